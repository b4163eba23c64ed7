package heic

import (
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// realworld is the folder of real photos and ExifTool's readings of them.
const realworld = "../../../../shared/realworld"

// realworldHEIF lists the realworld HEIC/HEIF files with the size ExifTool
// states (0×0 where it states none).
func realworldHEIF(t *testing.T) map[string][2]int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(realworld, "photos.exiftool.json"))
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	var rows []struct {
		SourceFile              string
		ImageWidth, ImageHeight int
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string][2]int{}
	for _, r := range rows {
		if ext := strings.ToLower(filepath.Ext(r.SourceFile)); ext == ".heic" || ext == ".heif" {
			out[filepath.Join(realworld, r.SourceFile)] = [2]int{r.ImageWidth, r.ImageHeight}
		}
	}
	if len(out) == 0 {
		t.Fatal("no HEIC among the realworld photos")
	}
	return out
}

// TestDecodeRealworld: the intact HEIC decodes to the size ExifTool states;
// the files metadata-extractor keeps as crash cases (a box length, an item
// count, an iloc field or the data cut) are refused with a Chinese reason —
// libheif's own heif-convert refuses them too.
func TestDecodeRealworld(t *testing.T) {
	files := realworldHEIF(t)
	decoded := 0
	for path, size := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !Is(data) {
				t.Fatal("not recognised as HEIC")
			}
			img, err := Decode(data, 100e6)
			intact := !strings.Contains(filepath.Base(path), "Exception")
			if !intact {
				if err == nil {
					t.Fatalf("damaged file decoded as %v", img.Bounds())
				}
				if !strings.ContainsAny(err.Error(), "损坏不无") {
					t.Errorf("reason not Chinese: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			decoded++
			if b := img.Bounds(); b.Dx() != size[0] || b.Dy() != size[1] {
				t.Errorf("decoded %d×%d, ExifTool states %d×%d", b.Dx(), b.Dy(), size[0], size[1])
			}
			cfg, err := DecodeConfig(data)
			if err != nil || cfg.Width != size[0] || cfg.Height != size[1] {
				t.Errorf("DecodeConfig = %v, %v", cfg, err)
			}
			if _, err := Decode(data, int64(size[0])*int64(size[1])-1); !errors.As(err, new(*TooLargeError)) {
				t.Errorf("one pixel over the limit: %v, want TooLargeError", err)
			}
			compareWithTool(t, path, img)
		})
	}
	if decoded == 0 {
		t.Error("no realworld HEIC decoded")
	}
}

// compareWithTool checks the pixels against libheif's own heif-convert (when
// installed): the same picture, not just the same size.
func compareWithTool(t *testing.T, path string, img image.Image) {
	if _, err := exec.LookPath("heif-convert"); err != nil {
		t.Log("heif-convert absent: pixels not compared with libheif's own tool")
		return
	}
	out := filepath.Join(t.TempDir(), "ref.png")
	if b, err := exec.Command("heif-convert", path, out).CombinedOutput(); err != nil {
		t.Fatalf("heif-convert: %v %s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Bounds() != img.Bounds() {
		t.Fatalf("heif-convert gives %v, we %v", ref.Bounds(), img.Bounds())
	}
	var sum, n float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r1, g1, b1, _ := img.At(x, y).RGBA()
			r2, g2, b2, _ := ref.At(x, y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2)
			n += 3
		}
	}
	mean := sum / n / 257
	t.Logf("mean difference from heif-convert: %.2f levels of 255", mean)
	if mean > 2 {
		t.Errorf("mean difference from heif-convert %.2f levels of 255", mean)
	}
}

func absDiff(a, b uint32) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}

// TestIs tells HEVC-coded HEIF from other ISOBMFF files and from junk.
func TestIs(t *testing.T) {
	ftyp := func(major string, compat ...string) []byte {
		b := []byte{0, 0, 0, byte(16 + 4*len(compat))}
		b = append(b, "ftyp"+major+"\x00\x00\x00\x00"...)
		for _, c := range compat {
			b = append(b, c...)
		}
		return append(b, make([]byte, 16)...)
	}
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"heic major", ftyp("heic", "mif1"), true},
		{"mif1 major, heic compatible", ftyp("mif1", "mif1", "heic"), true},
		{"heix", ftyp("heix"), true},
		{"avif", ftyp("avif", "mif1", "avif"), false},
		{"mif1 alone", ftyp("mif1", "mif1"), false},
		{"mp4", ftyp("isom", "mp41"), false},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"), false},
		{"short", []byte("\x00\x00\x00\x18ftyp"), false},
	} {
		if got := Is(c.data); got != c.want {
			t.Errorf("%s: Is = %v, want %v", c.name, got, c.want)
		}
	}
	if _, err := Decode(ftyp("avif", "avif"), 0); !errors.Is(err, ErrNotHEIC) {
		t.Errorf("AVIF: %v, want ErrNotHEIC", err)
	}
}

// TestDecodeGarbage: a HEIC header over junk, or cut anywhere, gives an error.
func TestDecodeGarbage(t *testing.T) {
	files := realworldHEIF(t)
	for path := range files {
		if strings.Contains(path, "cheers") {
			data, _ := os.ReadFile(path)
			for _, n := range []int{24, 100, 500, 4000, len(data) / 2} {
				if img, err := Decode(data[:n], 0); err == nil {
					t.Errorf("cut at %d: decoded %v", n, img.Bounds())
				}
			}
		}
	}
}

// TestDecodeParallel: instances are independent.
func TestDecodeParallel(t *testing.T) {
	path := filepath.Join(realworld, "photos/metadata-extractor-images/heic/cheers_1440x960.heic")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Decode(data, 0)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkDecode: one 1440×960 HEIC decoded (the module compiled once before).
func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(realworld, "photos/metadata-extractor-images/heic/cheers_1440x960.heic"))
	if err != nil {
		b.Skip("shared/realworld is absent")
	}
	if err := setup(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(data, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFullRange reads the nclx colour property's range flag from the meta box.
func TestFullRange(t *testing.T) {
	box := func(typ string, body []byte) []byte {
		n := 8 + len(body)
		return append([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), typ[0], typ[1], typ[2], typ[3]}, body...)
	}
	nclx := func(flag byte) []byte { return box("colr", []byte{'n', 'c', 'l', 'x', 0, 1, 0, 13, 0, 1, flag}) }
	ftyp := box("ftyp", []byte("heic\x00\x00\x00\x00mif1heic"))
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"full", append(ftyp, box("meta", nclx(0x80))...), true},
		{"studio", append(ftyp, box("meta", nclx(0))...), false},
		{"no colr", append(ftyp, box("meta", []byte("iprp"))...), false},
		{"colr outside meta", append(append(ftyp, box("mdat", nclx(0x80))...), box("meta", nil)...), false},
		{"box too long", append(ftyp, 0xff, 0xff, 0xff, 0xff, 'm', 'e', 't', 'a'), false},
	} {
		if got := fullRange(c.data); got != c.want {
			t.Errorf("%s: fullRange = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestDecodeDeadline: a decode that outlasts its time is stopped with a
// Chinese error (a deadline of a millisecond stops the real photo's decode).
func TestDecodeDeadline(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(realworld, "photos/metadata-extractor-images/heic/cheers_1440x960.heic"))
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	if err := Init(); err != nil {
		t.Fatal(err)
	}
	was := timeout
	timeout = time.Millisecond
	defer func() { timeout = was }()
	img, err := Decode(data, 0)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "已停止") {
		t.Fatalf("decode with a 1 ms deadline: %v, %v", img, err)
	}
}

// FuzzDecode: any bytes after a HEIC ftyp decode or fail, never panic or hang.
func FuzzDecode(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(realworld, "photos/metadata-extractor-images/heic/*"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic"))
	if err := Init(); err != nil { // compiled before any input is timed
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Decode(data, 4e6)
	})
}

// TestNativeAgreesWithWebAssembly: the realworld phone HEIC decodes through
// heif-convert and through the WebAssembly libheif (heif-convert hidden from
// PATH) to the same size and, pixel by pixel, the same picture.
func TestNativeAgreesWithWebAssembly(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(realworld, "photos/metadata-extractor-images/heic/cheers_1440x960.heic"))
	if err != nil {
		t.Skip("shared/realworld is absent")
	}
	if Backend() != Tool {
		t.Skip("heif-convert (libheif-examples) is not installed")
	}
	before := Decodes()
	native, err := Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	if Backend() != "WebAssembly" {
		t.Fatalf("Backend with an empty PATH: %s", Backend())
	}
	wasm, err := Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := Decodes() - before; got != 2 {
		t.Errorf("Decodes counted %d decodes, want 2", got)
	}
	if native.Bounds() != wasm.Bounds() {
		t.Fatalf("heif-convert gives %v, WebAssembly %v", native.Bounds(), wasm.Bounds())
	}
	if mean := meanDiff(native, wasm); mean > 1 {
		t.Errorf("mean difference %.2f levels of 255", mean)
	} else {
		t.Logf("mean difference native / WebAssembly: %.3f levels of 255", mean)
	}
}

// meanDiff is the mean absolute RGB difference of two pictures of one size, in
// levels of 255 (every third pixel of every third row).
func meanDiff(a, b image.Image) float64 {
	var sum, n float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			sum += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2)
			n += 3
		}
	}
	return sum / n / 257
}
