package pipeline

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/heic"
	"yanshou/pipeline/platform/digest"
)

// TestHEICDecodedOncePerCheck: a class's HEIC photos (the realworld phone HEIC
// twice under two names, and one heif-enc makes) are decoded once per content
// in its first check — the hashes, the watermark scan, the report's
// thumbnails and the archive's pages all from that decode, through the proxy
// kept by SHA-256 — and not at all in a re-check.
func TestHEICDecodedOncePerCheck(t *testing.T) {
	var heics []string
	if _, err := os.Stat(filepath.Join(realworldDir, "photos")); err == nil {
		heics = append(heics, filepath.Join(realworldDir, "photos/metadata-extractor-images/heic/cheers_1440x960.heic"))
	}
	inbox, cases := writeSample(t)
	var class string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			class = filepath.Join(inbox, c.Dir)
			break
		}
	}
	var site string
	filepath.WalkDir(class, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && strings.Contains(d.Name(), "现场") && site == "" {
			site = p
		}
		return nil
	})
	if site == "" {
		t.Fatal("no site photo folder in the passing sample class")
	}
	if _, err := exec.LookPath("heif-enc"); err == nil {
		src := filepath.Join(t.TempDir(), "scene.png")
		writeScene(t, src, 800, 600)
		dst := filepath.Join(t.TempDir(), "IMG_0002.heic")
		if out, err := exec.Command("heif-enc", "-q", "50", "-p", "preset=ultrafast", src, "-o", dst).CombinedOutput(); err != nil {
			t.Fatalf("heif-enc: %v %s", err, out)
		}
		heics = append(heics, dst)
	}
	if len(heics) == 0 {
		t.Skip("neither shared/realworld nor heif-enc (libheif-examples)")
	}
	var sums []string
	for i, src := range heics {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"IMG_%d.HEIC"}
		if i == 0 {
			names = append(names, "副本_%d.heic") // the same content again: not decoded again
		}
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(site, strings.Replace(n, "%d", string(rune('1'+i)), 1)), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		sum, _, err := digest.File(src)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sum)
	}
	p := open(t, t.TempDir())
	before := heic.Decodes()
	r, err := p.Check(context.Background(), class, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := heic.Decodes() - before; got != int64(len(heics)) {
		t.Errorf("first check: %d HEIC decodes for %d contents (backend %s)", got, len(heics), heic.Backend())
	}
	for _, sum := range sums {
		if !p.isFile(p.proxyPath(sum)) {
			t.Errorf("no proxy kept for %s", sum)
		}
	}
	if r.Verdict == "" {
		t.Error("no verdict")
	}
	before = heic.Decodes()
	if _, err := p.Check(context.Background(), class, CheckOptions{Recheck: true}); err != nil {
		t.Fatal(err)
	}
	if got := heic.Decodes() - before; got != 0 {
		t.Errorf("re-check: %d HEIC decodes, want none", got)
	}
}

// realworldDir is the folder of real photos (absent on some machines).
const realworldDir = "../../shared/realworld"

// writeScene writes a w×h PNG of soft colour gradients at path.
func writeScene(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
