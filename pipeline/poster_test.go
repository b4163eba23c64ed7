package pipeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/digest"
	"yanshou/pipeline/stage/photo"
)

// TestVideoReusedFromAnotherClass: the footage of an earlier class's video,
// re-encoded smaller and sent by a later class, is found through its poster
// frame (hashed like a photo, compared cell by cell): photos.reused, a veto. A
// re-check runs no ffmpeg (the poster is kept by the video's SHA-256 in the
// state folder, its hashes in the ledger) and finds it again.
func TestVideoReusedFromAnotherClass(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed")
	}
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
	sitePhoto := func(dir string) string {
		var out string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(p, "现场") && photo.IsPhoto(p) && out == "" {
				out = p
			}
			return nil
		})
		return out
	}
	ffmpeg := func(args ...string) {
		t.Helper()
		args = append([]string{"-nostdin", "-loglevel", "error"}, args...)
		if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v %s", err, out)
		}
	}
	// The same footage, stamped each time with the class's own time and place.
	meta := func(dir string) []string {
		was := photo.Read(sitePhoto(dir), "x.jpg", nil)
		if was.Taken == nil || was.Lat == nil {
			t.Fatalf("sample photo without time or place: %+v", was)
		}
		return []string{"-metadata", "creation_time=" + was.Taken.UTC().Format(time.RFC3339),
			"-metadata", "location=" + formatISO6709(*was.Lat, *was.Lon)}
	}
	orig := filepath.Join(filepath.Dir(sitePhoto(first)), "VID_0001.mov")
	ffmpeg(append(append([]string{"-f", "lavfi", "-i", "mandelbrot=size=960x540:rate=10", "-t", "3",
		"-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"}, meta(first)...), "-y", orig)...)
	copyOf := filepath.Join(filepath.Dir(sitePhoto(later)), "现场视频.mov")
	ffmpeg(append(append([]string{"-i", orig, "-vf", "scale=640:360", "-b:v", "300k",
		"-c:v", "libx264", "-preset", "ultrafast"}, meta(later)...), "-y", copyOf)...)

	outbox := t.TempDir()
	p := open(t, outbox)
	if _, err := p.Check(context.Background(), first, CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	sum, _, err := digest.File(copyOf)
	if err != nil {
		t.Fatal(err)
	}
	veto := func(r yanshou.Report) {
		t.Helper()
		for _, f := range r.Findings {
			if f.Rule == "photos.reused" && len(f.Evidence) > 0 && strings.Contains(f.Evidence[0].File+f.Evidence[0].Detail, "现场视频.mov") {
				if r.Verdict != yanshou.Veto {
					t.Errorf("verdict %s", r.Verdict)
				}
				t.Log(f.Evidence[0].Detail)
				return
			}
		}
		t.Fatalf("verdict %s, no photos.reused naming the video: %+v", r.Verdict, r.Findings)
	}
	r, err := p.Check(context.Background(), later, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	veto(r)
	if _, err := os.Stat(p.posterPath(sum)); err != nil {
		t.Errorf("no poster kept for the video: %v", err)
	}
	t.Setenv("PATH", t.TempDir()) // the re-check must not need ffmpeg
	r, err = p.Check(context.Background(), later, CheckOptions{Recheck: true})
	if err != nil {
		t.Fatal(err)
	}
	veto(r)
}

// formatISO6709 writes a position as ffmpeg's location tag takes it.
func formatISO6709(lat, lon float64) string { return fmt.Sprintf("%+08.4f%+09.4f/", lat, lon) }
