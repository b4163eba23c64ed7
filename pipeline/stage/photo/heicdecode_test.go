package photo

import (
	"errors"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
// full by each decoder: heif-convert (skipped when not installed) and the
// WebAssembly libheif (heif-convert hidden from PATH; the module compiled
// before).
func BenchmarkHashHEIC(b *testing.B) {
	path := filepath.Join(realworld, cheersHEIC)
	if _, err := os.Stat(path); err != nil {
		b.Skip("shared/realworld is absent")
	}
	benchHEICBoth(b, path)
}

// BenchmarkHashHEIC12MP: perceptual hashes of a 4032×3024 HEIC (an iPhone's
// 12 MP), encoded for the benchmark by libheif's heif-enc (libheif-examples)
// from a generated scene, by each decoder as BenchmarkHashHEIC; skipped
// without heif-enc.
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
	benchHEICBoth(b, dst)
}

// benchHEICBoth hashes the HEIC at path in two sub-benchmarks, one a decoder.
func benchHEICBoth(b *testing.B, path string) {
	b.Run(heic.Tool, func(b *testing.B) {
		if heic.Backend() != heic.Tool {
			b.Skip("heif-convert (libheif-examples) is not installed")
		}
		benchHashes(b, path)
	})
	b.Run("WebAssembly", func(b *testing.B) {
		b.Setenv("PATH", b.TempDir())
		if err := heic.Init(); err != nil {
			b.Fatal(err)
		}
		benchHashes(b, path)
	})
}

// benchHashes hashes the photo at path b.N times: photos/s of wall-clock
// time, and photos/cpu-s of the CPU time this process and the heif-convert
// it ran used (the speed of one core, whatever else the machine runs).
func benchHashes(b *testing.B, path string) {
	cpu0 := cpuWithChildren()
	for b.Loop() {
		if _, err := Hashes(path, 100e6); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "photos/s")
	b.ReportMetric(float64(b.N)/(cpuWithChildren()-cpu0), "photos/cpu-s")
}

// cpuWithChildren is the CPU time (user and system) this process and its
// waited-for children have used so far.
func cpuWithChildren() float64 {
	var sum time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			sum += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return sum.Seconds()
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

// TestHEICNativeAndWebAssemblySame: heif-convert and the WebAssembly libheif
// (heif-convert hidden from PATH) give one picture — perceptual hashes within
// 2 bits, the same capture cell by cell — for the realworld phone HEIC and a
// 12 MP HEIC that heif-enc makes of a generated scene.
func TestHEICNativeAndWebAssemblySame(t *testing.T) {
	if heic.Backend() != heic.Tool {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
	th := testConfig(t).Thresholds
	var files []string
	if dir, err := os.Stat(realworld); err == nil && dir.IsDir() {
		files = append(files, filepath.Join(realworld, cheersHEIC))
	}
	if _, err := exec.LookPath("heif-enc"); err == nil && !testing.Short() {
		tmp := t.TempDir()
		src, dst := filepath.Join(tmp, "scene.png"), filepath.Join(tmp, "IMG_0001.heic")
		if err := os.WriteFile(src, encodePNG(t, scene(12, 4032, 3024)), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("heif-enc", "-q", "60", "-p", "preset=ultrafast", src, "-o", dst).CombinedOutput(); err != nil {
			t.Fatalf("heif-enc: %v %s", err, out)
		}
		files = append(files, dst)
	}
	if len(files) == 0 {
		t.Skip("neither shared/realworld nor heif-enc")
	}
	path := os.Getenv("PATH")
	decode := func(t *testing.T, f string) ([]uint64, *Picture) { // one decode: the hashes and the picture of one plane
		file, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		pl, err := heicPlane(file, 100e6, nil, "")
		if errors.Is(err, ErrNotDecoded) { // stopped at heic.Timeout: a machine too busy says nothing of the decoders
			t.Skipf("%s: %v", heic.Backend(), err)
		}
		if err != nil {
			t.Fatal(err)
		}
		hs, err := planeHashes(pl)
		if err != nil {
			t.Fatal(err)
		}
		return hs, &Picture{pl: pl}
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Setenv("PATH", path)
			hn, pn := decode(t, f)
			t.Setenv("PATH", t.TempDir())
			hw, pw := decode(t, f)
			if len(hn) != len(hw) {
				t.Fatalf("%d hashes natively, %d in WebAssembly", len(hn), len(hw))
			}
			worst := 0
			for i := range hn {
				worst = max(worst, bits.OnesCount64(hn[i]^hw[i]))
			}
			share := Compare(pn, pw, th.PhotoCaptureTolerance).Share
			t.Logf("hash of the whole picture %d bits apart, worst of %d hashes %d bits; cells agreeing %.1f%%",
				bits.OnesCount64(hn[0]^hw[0]), len(hn), worst, 100*share)
			if worst > 2 {
				t.Errorf("hashes up to %d bits apart, want ≤ 2", worst)
			}
			if share < th.PhotoSameCaptureMinShare {
				t.Errorf("cells agreeing %.1f%%, same capture from %.0f%%", 100*share, 100*th.PhotoSameCaptureMinShare)
			}
		})
	}
}
