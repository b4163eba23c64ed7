package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corona10/goimagehash"
	"github.com/nfnt/resize"

	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/format/heic"
)

// rotate90 turns a picture 90° clockwise, as a phone app "saving rotated" does.
func rotate90(src image.Image) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(b.Dy()-1-y, x, src.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return out
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hashOf(t *testing.T, path string) uint64 {
	t.Helper()
	h, err := Hash(path, 100e6)
	if err != nil {
		t.Fatalf("Hash(%s): %v", filepath.Base(path), err)
	}
	return h
}

func TestHashSamePicture(t *testing.T) {
	max := testConfig(t).Thresholds.PhashMaxDistance
	dir := t.TempDir()
	orig := scene(10, 640, 480)
	base := writeJPEG(t, dir, "orig.jpg", orig, 92, exifwrite.Tags{})
	h0 := hashOf(t, base)
	variants := []struct {
		name string
		path string
	}{
		{"quality 40", writeJPEG(t, dir, "q40.jpg", orig, 40, exifwrite.Tags{})},
		{"half size, quality 60", writeJPEG(t, dir, "half.jpg", resize.Resize(320, 240, orig, resize.Bilinear), 60, exifwrite.Tags{})},
		{"a fifth, quality 75", writeJPEG(t, dir, "small.jpg", resize.Resize(128, 96, orig, resize.Lanczos3), 75, exifwrite.Tags{})},
		{"double size", writeJPEG(t, dir, "big.jpg", resize.Resize(1280, 960, orig, resize.Bilinear), 85, exifwrite.Tags{})},
		{"PNG", writeFile(t, dir, "orig.png", encodePNG(t, orig))},
		// Stored rotated with Orientation 8 (display: rotate 90° counter-clockwise) = the original.
		{"rotated pixels + orientation tag", writeJPEG(t, dir, "rot.jpg", rotate90(orig), 85, exifwrite.Tags{Orientation: 8})},
	}
	for _, v := range variants {
		if d := Distance(h0, hashOf(t, v.path)); d > max {
			t.Errorf("%s: distance %d to the original, want ≤ %d", v.name, d, max)
		} else {
			t.Logf("%s: distance %d", v.name, d)
		}
	}
	// Without the orientation tag the rotated picture is a different picture.
	rot := writeJPEG(t, dir, "rot-notag.jpg", rotate90(orig), 85, exifwrite.Tags{})
	if d := Distance(h0, hashOf(t, rot)); d <= max {
		t.Errorf("rotated without a tag: distance %d, want > %d (orientation must matter)", d, max)
	}
}

func TestHashDifferentPictures(t *testing.T) {
	max := testConfig(t).Thresholds.PhashMaxDistance
	dir := t.TempDir()
	var hashes []uint64
	for seed := int64(20); seed < 28; seed++ {
		hashes = append(hashes, hashOf(t, writeJPEG(t, dir, "s.jpg", scene(seed, 320, 240), 85, exifwrite.Tags{})))
	}
	minD := 64
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			d := Distance(hashes[i], hashes[j])
			minD = min(minD, d)
			if d <= max {
				t.Errorf("scenes %d and %d: distance %d, want > %d", i, j, d, max)
			}
		}
	}
	t.Logf("smallest distance between %d different scenes: %d", len(hashes), minD)
}

// TestHashRealworld: real photos re-encoded stay close; different real photos do not.
func TestHashRealworld(t *testing.T) {
	dir := realworldDir(t)
	max := testConfig(t).Thresholds.PhashMaxDistance
	jpgDir := filepath.Join(dir, "photos/metadata-extractor-images/jpg")
	names := []string{"Apple iPhone 4.jpg", "Nikon D5000.jpg", "Canon EOS 7D.jpg",
		"Olympus PEN E-P3.jpg", "HTC Desire.jpg", "FujiFilm FinePix2650.jpg"}
	tmp := t.TempDir()
	var hashes []uint64
	for _, n := range names {
		path := filepath.Join(jpgDir, n)
		h := hashOf(t, path)
		hashes = append(hashes, h)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		small := resize.Resize(uint(b.Dx()/2), uint(b.Dy()/2), img, resize.Bilinear)
		// Keep the original's orientation tag, as a re-encoding tool that copies EXIF would.
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		o := orientationOf(t, data)
		re := writeJPEG(t, tmp, n, small, 55, exifwrite.Tags{Orientation: o})
		if d := Distance(h, hashOf(t, re)); d > max {
			t.Errorf("%s re-encoded at half size: distance %d, want ≤ %d", n, d, max)
		}
	}
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			if d := Distance(hashes[i], hashes[j]); d <= max {
				t.Errorf("%s and %s: distance %d, want > %d", names[i], names[j], d, max)
			}
		}
	}
}

// orientationOf reads the EXIF orientation of a JPEG through the package's own reader.
func orientationOf(t *testing.T, data []byte) int {
	t.Helper()
	block, _ := app1(data)
	if block == nil {
		return 0
	}
	fx, _, err := decodeExif(block, shanghai)
	if err != nil {
		return 0
	}
	return fx.orientation
}

func TestHashRefusesAndFails(t *testing.T) {
	dir := t.TempDir()
	if err := heic.Init(); err != nil { // compiled before the clock runs
		t.Fatal(err)
	}
	good, err := exifwrite.Encode(scene(30, 64, 64), 80, exifwrite.Tags{})
	if err != nil {
		t.Fatal(err)
	}
	// A JPEG whose SOF claims 60000×60000.
	bigJPEG := append([]byte(nil), good...)
	sof := bytes.Index(bigJPEG, []byte{0xFF, 0xC0})
	binary.BigEndian.PutUint16(bigJPEG[sof+5:], 60000)
	binary.BigEndian.PutUint16(bigJPEG[sof+7:], 60000)
	// A PNG whose IHDR claims 60000×60000 (CRC fixed so decoders accept the header).
	bigPNG := encodePNG(t, scene(31, 16, 16))
	binary.BigEndian.PutUint32(bigPNG[16:], 60000)
	binary.BigEndian.PutUint32(bigPNG[20:], 60000)
	binary.BigEndian.PutUint32(bigPNG[29:], crc(bigPNG[12:29]))
	sos := bytes.Index(good, []byte{0xFF, 0xDA})

	tests := []struct {
		name      string
		data      []byte
		maxPixels int64
		want      string
	}{
		{"JPEG header 60000×60000", bigJPEG, 100e6, "超过上限"},
		{"PNG header 60000×60000", bigPNG, 100e6, "超过上限"},
		{"limit from the caller", good, 64*64 - 1, "超过上限"},
		{"truncated in the image data", good[:sos+(len(good)-sos)/2], 100e6, "损坏或不完整"},
		{"no image data", good[:sos], 100e6, "截断"},
		{"text named .jpg", []byte("hello"), 100e6, "不是可识别的照片格式"},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), 100e6, "HEIC"},
		{"no limit", good, 0, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.Repeat("x", i+1)+".jpg", tt.data)
			before := allocated()
			_, err := Hash(path, tt.maxPixels)
			// Work, not time: none of these pictures may be decoded past its
			// header (60000×60000 would take gigabytes).
			if grew := allocated() - before; grew > 16<<20 {
				t.Errorf("Hash allocated %d MB", grew>>20)
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}

	t.Run("HashPhoto names the file", func(t *testing.T) {
		path := writeFile(t, dir, "bad.jpg", []byte("hello"))
		p := Read(path, "现场照片/bad.jpg", shanghai)
		if HashPhoto(&p, path, 100e6) {
			t.Fatal("HashPhoto succeeded on text")
		}
		if p.Error == nil || !strings.HasPrefix(*p.Error, "现场照片/bad.jpg：") || !strings.Contains(*p.Error, "图像指纹") {
			t.Errorf("Error = %v", p.Error)
		}
		okPath := writeFile(t, dir, "ok.jpg", good)
		q := Read(okPath, "现场照片/ok.jpg", shanghai)
		if !HashPhoto(&q, okPath, 100e6) || q.Hash == 0 || q.Error != nil {
			t.Errorf("HashPhoto on a good JPEG: hash %x, error %v", q.Hash, q.Error)
		}
	})
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0}, {0, 1, 1}, {0xFFFFFFFFFFFFFFFF, 0, 64}, {0xF0F0, 0x0F0F, 16}, {0x8000000000000001, 1, 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%x, %x) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestOrient(t *testing.T) {
	// A 3×2 picture with distinct pixels, turned upright for every orientation,
	// must equal what the EXIF specification says is displayed.
	src := gray(3, 2, func(x, y int) uint8 { return uint8(y*3 + x) })
	// Displayed rows for each orientation, from the EXIF 2.32 table.
	want := map[int][][]uint8{
		1: {{0, 1, 2}, {3, 4, 5}},
		2: {{2, 1, 0}, {5, 4, 3}},
		3: {{5, 4, 3}, {2, 1, 0}},
		4: {{3, 4, 5}, {0, 1, 2}},
		5: {{0, 3}, {1, 4}, {2, 5}},
		6: {{3, 0}, {4, 1}, {5, 2}},
		7: {{5, 2}, {4, 1}, {3, 0}},
		8: {{2, 5}, {1, 4}, {0, 3}},
	}
	for o := 1; o <= 8; o++ {
		g := planeOf(src).orient(o)
		rows := want[o]
		if g.h != len(rows) || g.w != len(rows[0]) {
			t.Errorf("orientation %d: size %d×%d", o, g.w, g.h)
			continue
		}
		for y, row := range rows {
			for x, v := range row {
				if got := g.px[y*g.w+x]; got != float32(v) {
					t.Errorf("orientation %d: pixel (%d,%d) = %v, want %d", o, x, y, got, v)
				}
			}
		}
	}
}

// BenchmarkHash hashes a 4000×3000 JPEG (12 MP, as phones take).
func BenchmarkHash(b *testing.B) {
	img := resize.Resize(4000, 3000, scene(40, 800, 600), resize.Bilinear)
	path := writeJPEG(b, b.TempDir(), "12mp.jpg", img, 90, exifwrite.Tags{Orientation: 6})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Hash(path, 100e6); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPHashMatchesGoimagehash: pHash gives goimagehash's PerceptionHash bits.
func TestPHashMatchesGoimagehash(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	differ := 0
	for i := 0; i < 300; i++ {
		var g *image.Gray
		switch i % 3 {
		case 0: // noise
			g = gray(hashSide, hashSide, func(x, y int) uint8 { return uint8(r.Intn(256)) })
		case 1: // a scene, reduced
			g = planeOf(scene(int64(i), 320, 240)).sample(Crops[i%len(Crops)], hashSide)
		default: // smooth gradients with a few steps
			a, b, c := r.Float64()*4, r.Float64()*4, r.Intn(64)
			g = gray(hashSide, hashSide, func(x, y int) uint8 {
				v := 128 + 60*math.Sin(a*float64(x)/20+b*float64(y)/20)
				if x > c {
					v += 30
				}
				return uint8(max(0, min(255, v)))
			})
		}
		want, err := goimagehash.PerceptionHash(g)
		if err != nil {
			t.Fatal(err)
		}
		if got := pHash(g); got != want.GetHash() {
			differ++
			t.Logf("picture %d: pHash %016x, goimagehash %016x (distance %d)", i, got, want.GetHash(), Distance(got, want.GetHash()))
		}
	}
	if differ > 3 { // a coefficient within rounding of the median may fall either way
		t.Errorf("%d of 300 hashes differ from goimagehash's", differ)
	}
}
