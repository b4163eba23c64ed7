package photo

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nfnt/resize"

	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/format/heic"
	"yanshou/templates"
)

const cheersHEIC = "photos/metadata-extractor-images/heic/cheers_1440x960.heic"

// TestHEICHashes: every realworld HEIC that libheif can read is hashed like a
// JPEG; the damaged ones (metadata-extractor's crash cases) are refused with a
// Chinese reason, not skipped as "not decoded".
func TestHEICHashes(t *testing.T) {
	dir := realworldDir(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "photos/metadata-extractor-images/heic/*"))
	if len(paths) == 0 {
		t.Fatal("no realworld HEIC")
	}
	for _, path := range paths {
		hs, err := Hashes(path, 100e6)
		damaged := strings.Contains(filepath.Base(path), "Exception")
		switch {
		case damaged && err == nil:
			t.Errorf("%s: damaged file hashed", filepath.Base(path))
		case damaged && (errors.Is(err, ErrNotDecoded) || !strings.Contains(err.Error(), "HEIC 照片无法解码")):
			t.Errorf("%s: error %v, want the HEIC decoder's reason", filepath.Base(path), err)
		case !damaged && err != nil:
			t.Errorf("%s: %v", filepath.Base(path), err)
		case !damaged && (len(hs) < 2 || hs[0] == 0):
			t.Errorf("%s: hashes %x", filepath.Base(path), hs)
		}
	}
	if _, err := Hashes(filepath.Join(dir, cheersHEIC), 1440*960-1); err == nil || !strings.Contains(err.Error(), "超过上限") {
		t.Errorf("HEIC over the pixel limit: %v, want refused", err)
	}
}

// TestHEICReencodedIsSameCapture: a phone HEIC sent again as a JPEG (decoded,
// scaled to two thirds, re-encoded at quality 75) is a candidate by its
// perceptual hashes and the same capture cell by cell — what makes
// photos.reused veto it — while another real photo is neither.
func TestHEICReencodedIsSameCapture(t *testing.T) {
	dir := realworldDir(t)
	th := testConfig(t).Thresholds
	cropPenalty = th.PhashCropPenalty
	src := filepath.Join(dir, cheersHEIC)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	img, err := heic.Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	re := writeJPEG(t, tmp, "转发.jpg", resize.Resize(960, 640, img, resize.Bilinear), 75, exifwrite.Tags{})
	other := filepath.Join(dir, "photos/metadata-extractor-images/jpg/Apple iPhone 4.jpg")

	hHEIC, err := Hashes(src, 100e6)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		path string
		same bool
	}{{"re-encoded JPEG", re, true}, {"another photo", other, false}} {
		hs, err := Hashes(c.path, 100e6)
		if err != nil {
			t.Fatal(err)
		}
		d := setDistance(hHEIC, hs)
		capt, err := CompareCaptures(src, c.path, 100e6, th.PhotoCaptureTolerance)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: hash distance %d (candidate ≤ %d), cells agreeing %.0f%% (same capture ≥ %.0f%%)",
			c.name, d, th.PhashMaxDistance, 100*capt.Share, 100*th.PhotoSameCaptureMinShare)
		if got := d <= th.PhashMaxDistance && capt.Share >= th.PhotoSameCaptureMinShare; got != c.same {
			t.Errorf("%s: same capture %v, want %v", c.name, got, c.same)
		}
	}
}

// BenchmarkHashHEIC: perceptual hashes of a 1440×960 phone HEIC, decoded in
// full through the WebAssembly libheif (the module compiled before).
func BenchmarkHashHEIC(b *testing.B) {
	path := filepath.Join(realworld, cheersHEIC)
	if _, err := os.Stat(path); err != nil {
		b.Skip("shared/realworld is absent")
	}
	if err := heic.Init(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Hashes(path, 100e6); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "photos/s")
}

// BenchmarkHashHEIC12MP: perceptual hashes of a 4032×3024 HEIC (an iPhone's
// 12 MP), encoded for the benchmark by libheif's heif-enc (libheif-examples)
// from a generated scene; skipped without heif-enc.
func BenchmarkHashHEIC12MP(b *testing.B) {
	if _, err := exec.LookPath("heif-enc"); err != nil {
		b.Skip("heif-enc (libheif-examples) is not installed")
	}
	dir := b.TempDir()
	src, dst := filepath.Join(dir, "scene.png"), filepath.Join(dir, "IMG_0001.heic")
	if err := os.WriteFile(src, encodePNG(b, scene(12, 4032, 3024)), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("heif-enc", "-q", "60", src, "-o", dst).CombinedOutput(); err != nil {
		b.Fatalf("heif-enc: %v %s", err, out)
	}
	if err := heic.Init(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Hashes(dst, 100e6); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "photos/s")
}

// TestHEICTimeoutNotDamaged: a decode stopped at its deadline counts as not
// decoded (the pipeline records no damage), and keeps its Chinese reason.
func TestHEICTimeoutNotDamaged(t *testing.T) {
	err := error(notInTime{"HEIC 照片无法解码：HEIC 解码超时：超过 120 秒未完成，已停止"})
	if !errors.Is(err, ErrNotDecoded) || !strings.Contains(err.Error(), "超时") {
		t.Errorf("%v: not ErrNotDecoded", err)
	}
	if errors.Is(errors.New(templates.Say("photo.heic_failed", "x")), ErrNotDecoded) {
		t.Error("any HEIC failure counts as not decoded")
	}
}
