package pipeline

import (
	"context"
	"image"
	"image/draw"
	_ "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nfnt/resize"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/stage/photo"
)

// TestReusedMirroredCopy: a photo of an earlier class, mirrored, shrunk and
// re-encoded with the later class's time and place in its
// EXIF, is found through the originals the pipeline kept of the earlier class
// and compared cell by cell: photos.reused, a veto, quoting the share.
func TestReusedMirroredCopy(t *testing.T) {
	inbox, cases := writeSample(t)
	var passing []string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			passing = append(passing, filepath.Join(inbox, c.Dir))
		}
	}
	if len(passing) < 2 {
		t.Fatal("the sample needs two passing classes")
	}
	first, later := passing[0], passing[len(passing)-1]
	photos := func(dir string) []string {
		var out []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, "现场") && photo.IsPhoto(p) {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	src, dst := photos(first), photos(later)
	if len(src) == 0 || len(dst) == 0 {
		t.Fatal("no on-site photos in the sample classes")
	}
	// The forgery: the first class's photo, mirrored, shrunk, with the
	// EXIF of the later class's photo it replaces.
	f, err := os.Open(src[0])
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cut := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(cut, cut.Rect, img, b.Min, draw.Src)
	mirrored := image.NewRGBA(cut.Rect)
	for y := 0; y < cut.Rect.Dy(); y++ {
		for x := 0; x < cut.Rect.Dx(); x++ {
			mirrored.Set(cut.Rect.Dx()-1-x, y, cut.At(x, y))
		}
	}
	was := photo.Read(dst[0], "x.jpg", nil)
	tags := exifwrite.Tags{Make: "OPPO"}
	if was.Taken != nil {
		tags.DateTimeOriginal = *was.Taken
	}
	if was.Lat != nil {
		tags.GPS = &yanshou.LatLon{Lat: *was.Lat, Lon: *was.Lon}
	}
	data, err := exifwrite.Encode(resize.Resize(uint(w*7/10), 0, mirrored, resize.Bilinear), 75, tags)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	p := open(t, t.TempDir())
	if r, err := p.Check(context.Background(), first, CheckOptions{}); err != nil || r.Verdict != yanshou.Pass {
		t.Fatalf("first class: %v %v", r, err)
	}
	r, err := p.Check(context.Background(), later, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var reused *yanshou.Finding
	for i := range r.Findings {
		if r.Findings[i].Rule == "photos.reused" {
			reused = &r.Findings[i]
		}
	}
	if r.Verdict != yanshou.Veto || reused == nil || len(reused.Evidence) != 1 || !strings.Contains(reused.Evidence[0].Detail, "对齐后") {
		t.Fatalf("verdict %s, reuse finding %+v; findings %+v", r.Verdict, reused, r.Findings)
	}
	t.Logf("%s", reused.Evidence[0].Detail)
}
