package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nfnt/resize"

	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/testkit/hostile"
)

// dcTestFiles are JPEGs of every layout at hand: the realworld camera files
// (baseline and progressive, 4:4:4, 4:2:2, 4:2:0, 4:4:0, with and without
// restart intervals) and Go-encoded colour and grey pictures.
func dcTestFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	enc := func(img image.Image, q int) []byte {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	files["go colour 1030×770"] = enc(scene(50, 1030, 770), 90)
	files["go colour 333×201"] = enc(scene(51, 333, 201), 60)
	g := image.NewGray(image.Rect(0, 0, 517, 389))
	for i := range g.Pix {
		g.Pix[i] = uint8((i*i)>>9 + i%517/3)
	}
	files["go grey 517×389"] = enc(g, 85)
	if dir := filepath.Join(realworld, "photos/metadata-extractor-images/jpg"); dirExists(dir) {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err == nil {
				files[filepath.Base(p)] = data
			}
		}
	}
	return files
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// TestDCPlane: the reduced decode gives the same 1/8-scale picture as a full
// decode (to within JPEG's rounding) wherever it accepts a file, and the
// hashes from both agree.
func TestDCPlane(t *testing.T) {
	accepted, progressive, worstMAD, worstHash, hashed := 0, 0, 0.0, 0, 0
	for name, data := range dcTestFiles(t) {
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			continue // damaged on purpose: the full decoder refuses it too
		}
		dc, ok := dcPlane(bytes.NewReader(data), int64(len(data)))
		if !ok {
			if !strings.Contains(name, "Issue") { // a few realworld files are damaged
				t.Logf("%s: not accepted by the DC reader", name)
			}
			continue
		}
		accepted++
		if bytes.Contains(data[:min(len(data), 1<<16)], []byte{0xFF, 0xC2}) {
			progressive++
		}
		want := blockMeans(full).shrink(planeMax)
		if dc.w != want.w || dc.h != want.h {
			t.Errorf("%s: DC plane %d×%d, want %d×%d", name, dc.w, dc.h, want.w, want.h)
			continue
		}
		mad := 0.0
		for i := range dc.px {
			mad += math.Abs(float64(dc.px[i] - want.px[i]))
		}
		mad /= float64(len(dc.px))
		worstMAD = math.Max(worstMAD, mad)
		if mad > 2.5 {
			t.Errorf("%s: DC plane differs from the block means by %.2f levels on average", name, mad)
		}
		h1, err1 := planeHashes(dc)
		h2, err2 := planeHashes(planeOf(full))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		d := Distance(h1[0], h2[0])
		if min(dc.w, dc.h) < dcMinSide/8 {
			continue // smaller pictures are decoded in full
		}
		hashed++
		worstHash = max(worstHash, d)
		if d > 4 {
			t.Errorf("%s (%d×%d blocks): hash from DC %016x, from full decode %016x: distance %d", name, dc.w, dc.h, h1[0], h2[0], d)
		}
	}
	t.Logf("DC reader accepted %d files (%d progressive); worst mean difference %.2f levels; over the %d that are hashed this way, worst hash distance %d",
		accepted, progressive, worstMAD, hashed, worstHash)
	if accepted < 3 {
		t.Errorf("only %d files accepted", accepted)
	}
}

// TestDCPlaneRefuses: damaged or unusual files are left to the full decoder.
func TestDCPlaneRefuses(t *testing.T) {
	good, err := exifwrite.Encode(resize.Resize(1024, 768, scene(52, 256, 192), resize.Bilinear), 85, exifwrite.Tags{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dcPlane(bytes.NewReader(good), int64(len(good))); !ok {
		t.Fatal("a plain baseline JPEG was refused")
	}
	sos := bytes.Index(good, []byte{0xFF, 0xDA})
	sof := bytes.Index(good, []byte{0xFF, 0xC0})
	arith := append([]byte(nil), good...)
	arith[sof+1] = 0xC9
	twelve := append([]byte(nil), good...)
	twelve[sof+4] = 12
	tests := map[string][]byte{
		"truncated in the scan": good[:sos+(len(good)-sos)/2],
		"no scan":               good[:sos],
		"arithmetic coding":     arith,
		"12-bit samples":        twelve,
		"not a JPEG":            []byte("hello"),
		"empty":                 nil,
	}
	for name, data := range tests {
		if _, ok := dcPlane(bytes.NewReader(data), int64(len(data))); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzDCPlane: no input makes the reduced decoder panic, loop or allocate
// without bound (dcDecode has no recover of its own).
func FuzzDCPlane(f *testing.F) {
	small, _ := exifwrite.Encode(scene(53, 40, 24), 70, exifwrite.Tags{})
	f.Add(small)
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 17, 9)), nil)
	f.Add(buf.Bytes())
	for _, name := range []string{"Sony DSC-P12.jpg", "Canon EOS D60.jpg", "Nokia 3110c (Mobile Phone).jpg"} {
		if data, err := os.ReadFile(filepath.Join(realworld, "photos/metadata-extractor-images/jpg", name)); err == nil && len(data) < 1<<20 {
			f.Add(data)
		}
	}
	for _, seed := range hostile.Samples(hostile.SamplePhoto) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dcDecode(bytes.NewReader(data), int64(len(data)))
	})
}

// BenchmarkHashes12MP compares the reduced decode with the full one on a
// 4000×3000 JPEG.
func BenchmarkHashes12MP(b *testing.B) {
	img := resize.Resize(4000, 3000, scene(40, 800, 600), resize.Bilinear)
	data, err := exifwrite.Encode(img, 90, exifwrite.Tags{Orientation: 6})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("dc", func(b *testing.B) {
		for b.Loop() {
			if _, ok := dcPlane(bytes.NewReader(data), int64(len(data))); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			planeOf(img)
		}
	})
}

func BenchmarkPlaneHashes(b *testing.B) {
	img := resize.Resize(4000, 3000, scene(40, 800, 600), resize.Bilinear)
	pl := planeOf(img)
	for b.Loop() {
		if _, err := planeHashes(pl); err != nil {
			b.Fatal(err)
		}
	}
}
