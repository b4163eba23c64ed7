package paper

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"yanshou"

	"yanshou/pipeline/testkit/papersheet"
)

// TestReadHEIC: a phone's HEIC photo of a sheet is read like a JPEG (encoded
// here by heif-enc when installed: a test tool, never needed by the binary);
// a broken HEIC is listed for manual checking, naming the file.
func TestReadHEIC(t *testing.T) {
	dir := t.TempDir()
	broken := append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...)
	os.WriteFile(filepath.Join(dir, "坏.heic"), broken, 0o644)
	res := Read([]yanshou.File{file(dir, "坏.heic")}, Class{Trainees: trainees(3)}, th, maxPixels)
	if len(res.Manual) != 1 || res.Manual[0].File != "08签到表/坏.heic" || !strings.Contains(res.Manual[0].Detail, "HEIC") {
		t.Errorf("broken HEIC: manual %+v, problems %+v", res.Manual, res.Problems)
	}

	enc, err := exec.LookPath("heif-enc")
	if err != nil {
		t.Skip("heif-enc not installed: the HEIC photo is not generated")
	}
	rnd := rand.New(rand.NewPCG(15, 8))
	cl := newClass(t, rnd)
	// In colour, as phones shoot (the decoder takes 4:2:0 colour, not monochrome HEIC).
	grey, err := jpeg.Decode(bytes.NewReader(papersheet.Photo(rnd, cl.src[0], 8)))
	if err != nil {
		t.Fatal(err)
	}
	rgb := image.NewRGBA(grey.Bounds())
	draw.Draw(rgb, rgb.Bounds(), grey, grey.Bounds().Min, draw.Src)
	jpg := filepath.Join(dir, "page.png")
	writePNG(t, jpg, rgb)
	if out, err := exec.Command(enc, "-q", "80", "-o", filepath.Join(dir, "IMG_0001.HEIC"), jpg).CombinedOutput(); err != nil {
		t.Fatalf("heif-enc: %v\n%s", err, out)
	}
	if !IsPicture("08签到表/IMG_0001.HEIC") {
		t.Fatal("a HEIC photo is not taken as a picture of a sheet")
	}
	res = Read([]yanshou.File{file(dir, "IMG_0001.HEIC")}, cl.c, th, maxPixels)
	if len(res.Manual) != 0 || len(res.Boxes) == 0 {
		t.Fatalf("HEIC photo: %s; manual %+v", res, res.Manual)
	}
	right := 0
	for _, b := range res.Boxes {
		if b.Page == 1 && b.Trainee >= 0 && (b.State.String() == "signed") == (cl.pages[0].Fills[b.Row-1] == papersheet.Signature) {
			right++
		}
	}
	if right < cl.pages[0].Payload.Rows-1 {
		t.Errorf("HEIC photo: %d of %d boxes read right", right, cl.pages[0].Payload.Rows)
	}
}
