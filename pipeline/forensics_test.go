package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/stage/photo"
)

// TestSameCameraTwoInstitutions: one camera (by its serial number) on the
// photos of two institutions' classes is a warning on the later class, naming
// the earlier class and both files; the ledger keeps the serial of each photo.
func TestSameCameraTwoInstitutions(t *testing.T) {
	inbox, cases := writeSample(t)
	var first, later string
	for _, c := range cases {
		if c.Verdict != yanshou.Pass {
			continue
		}
		if first == "" {
			first = c.Dir
		} else if strings.Split(c.Dir, "/")[0] != strings.Split(first, "/")[0] {
			later = c.Dir
		}
	}
	if later == "" {
		t.Fatal("the sample needs passing classes of two institutions")
	}
	const serial = "032011001234"
	// One on-site photo of each class gets the camera's serial, its other EXIF kept.
	withSerial := func(dir string) string {
		t.Helper()
		var path string
		filepath.WalkDir(filepath.Join(inbox, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && path == "" && !d.IsDir() && strings.Contains(p, "现场") && photo.IsPhoto(p) {
				path = p
			}
			return nil
		})
		if path == "" {
			t.Fatalf("%s: no on-site photo", dir)
		}
		was := photo.Read(path, "x.jpg", nil)
		tags := exifwrite.Tags{Make: "Canon", Model: "Canon EOS 80D", BodySerial: serial}
		if was.Taken != nil {
			tags.DateTimeOriginal = *was.Taken
		}
		if was.Lat != nil {
			tags.GPS = &yanshou.LatLon{Lat: *was.Lat, Lon: *was.Lon}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if data, err = exifwrite.Insert(data, tags); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join(inbox, dir), path)
		return filepath.ToSlash(rel)
	}
	firstFile, laterFile := withSerial(first), withSerial(later)

	p := open(t, t.TempDir())
	// The sample's classes are months apart; the days are facts' to judge
	// (TestGatherForensics), the finding's way through the ledger is tested here.
	p.Config.Thresholds.PhotoSerialOverlapDays = 400
	if r, err := p.Check(context.Background(), filepath.Join(inbox, first), CheckOptions{}); err != nil || r.Verdict != yanshou.Pass {
		t.Fatalf("first class: %v %v", r, err)
	}
	r, err := p.Check(context.Background(), filepath.Join(inbox, later), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var found *yanshou.Finding
	for i := range r.Findings {
		if r.Findings[i].Rule == "photos.same_camera" {
			found = &r.Findings[i]
		}
	}
	if found == nil || found.Severity != yanshou.Warning || len(found.Evidence) != 1 {
		t.Fatalf("verdict %s, same-camera finding %+v", r.Verdict, found)
	}
	ev := found.Evidence[0]
	inst := strings.Split(first, "/")[0]
	if ev.File != laterFile || !strings.Contains(ev.Detail, serial) || !strings.Contains(ev.Detail, firstFile) || !strings.Contains(found.Message, inst) {
		t.Fatalf("finding %q, evidence %+v: want %s, %s and %s", found.Message, ev, laterFile, firstFile, inst)
	}
	if r.Verdict != yanshou.Pass {
		t.Errorf("a warning changed the verdict to %s", r.Verdict)
	}
	t.Logf("%s — %s: %s", found.Message, ev.File, ev.Detail)
}
