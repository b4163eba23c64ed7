package photo

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nfnt/resize"
)

// reseat fills the room's seats with another class: other people (clothes, hair),
// some seats empty, people sitting a little differently. The room itself — walls,
// windows, screen, banner, desks — stays.
func (rm *room) reseat(seed int64) *room {
	r := rand.New(rand.NewSource(seed))
	out := *rm
	out.people = nil
	hue := func(lo, hi float64) color.RGBA {
		return color.RGBA{uint8(lo + r.Float64()*(hi-lo)), uint8(lo + r.Float64()*(hi-lo)), uint8(lo + r.Float64()*(hi-lo)), 255}
	}
	for _, p := range rm.people {
		if r.Float64() < 0.2 {
			continue
		}
		q := p
		q.x += (r.Float64()*2 - 1) * 0.8 * p.r
		q.body = hue(20, 220)
		q.hair = color.RGBA{uint8(20 + r.Intn(40)), uint8(18 + r.Intn(30)), uint8(18 + r.Intn(30)), 255}
		out.people = append(out.people, q)
	}
	return &out
}

// orientImage returns img shown in EXIF orientation o (2 mirrored, 3 turned
// 180°, 6 a quarter clockwise, 8 a quarter anticlockwise).
func orientImage(img image.Image, o int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			sx, sy := orientSource(o, x, y, w, h)
			out.Set(x, y, img.At(b.Min.X+sx, b.Min.Y+sy))
		}
	}
	return out
}

func cropImage(img image.Image, r image.Rectangle) image.Image {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Rect, img, r.Min, draw.Src)
	return out
}

// letterbox puts img on a black frame of the other aspect ratio (a phone
// screenshot of a landscape photo).
func letterbox(img image.Image) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, w*4/3*9/16+h))
	draw.Draw(out, out.Rect, &image.Uniform{color.Black}, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(0, (out.Rect.Dy()-h)/2, w, (out.Rect.Dy()-h)/2+h), img, b.Min, draw.Src)
	return out
}

// stamp draws a timestamp-like white text bar over the bottom right corner.
func stamp(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	for i := 0; i < 16; i++ {
		x := w*60/100 + i*w/50
		draw.Draw(out, image.Rect(x, h*90/100, x+w/80, h*96/100), &image.Uniform{color.RGBA{255, 250, 240, 255}}, image.Point{}, draw.Src)
	}
	return out
}

func captureOf(t *testing.T, dir string, a, b []byte) Capture {
	t.Helper()
	pa, pb := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.img")
	if err := os.WriteFile(pa, a, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pb, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := CompareCaptures(pa, pb, 100e6, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSameCaptureOrSameRoom: copies of one photo (re-encoded, resized, cropped up
// to 25%, mirrored, turned, letterboxed, stamped, recoloured) agree nearly
// everywhere once aligned; photos of other classes in the same room, taken from
// the same camera spot with the same light, do not — though their perceptual
// hashes may be within the "same picture" distance.
func TestSameCaptureOrSameRoom(t *testing.T) {
	const minShare = 0.9 // photo_same_capture_min_share in the config
	side, rooms, classes := 1024, 3, 5
	if testing.Short() {
		rooms, classes = 2, 3
	}
	dir := t.TempDir()
	var copiesLow, honestHigh []string
	var honestShares, copyShares []float64
	hashClose := 0
	var distances []int
	for ri := 0; ri < rooms; ri++ {
		rm := newRoom(int64(300 + ri))
		r := rand.New(rand.NewSource(int64(3000 + ri)))
		v := randomView(r)
		v.vw, v.cx, v.cy = 2200+r.Float64()*200, worldW/2, worldH/2 // a wide shot of the whole class from the back
		first := v.photo(rm.shot(r, 0.3, 0.05, int64(ri), 1), side, side*3/4)
		orig := encodeJPEG(t, first, 90)
		w, h := side, side*3/4
		edits := map[string][]byte{}
		for name, data := range copies(t, first) {
			edits[name] = data
		}
		edits["mirrored"] = encodeJPEG(t, orientImage(first, 2), 85)
		edits["turned 90°"] = encodeJPEG(t, orientImage(first, 6), 85)
		edits["turned 180°"] = encodeJPEG(t, orientImage(first, 3), 85)
		edits["cropped 20% from the centre"] = encodeJPEG(t, cropImage(first, image.Rect(w/10, h/10, w*9/10, h*9/10)), 85)
		edits["cropped 25% from the left"] = encodeJPEG(t, cropImage(first, image.Rect(w/4, 0, w, h)), 85)
		edits["letterboxed"] = encodeJPEG(t, letterbox(first), 85)
		edits["timestamp overlay"] = encodeJPEG(t, stamp(first), 85)
		edits["mirrored, cropped 10%, halved"] = encodeJPEG(t, resize.Resize(uint(w*9/20), 0, orientImage(cropImage(first, image.Rect(w/20, h/20, w*19/20, h*19/20)), 2), resize.Bilinear), 70)
		for name, data := range edits {
			c := captureOf(t, dir, orig, data)
			copyShares = append(copyShares, c.Share)
			if c.Share < minShare {
				copiesLow = append(copiesLow, name)
				t.Logf("room %d, copy %q: share %.2f (corr %.3f, orientation %d, crop %.3v)", ri, name, c.Share, c.Correlation, c.Orientation, c.Crop)
			}
		}
		ha := corpusHashes(t, dir, "h1.jpg", orig)
		for ci := 1; ci < classes; ci++ {
			class := rm.reseat(int64(ri*100 + ci))
			cv := v
			cv.cx += (r.Float64()*2 - 1) * 6 // the tripod a few centimetres off
			cv.cy += (r.Float64()*2 - 1) * 4
			other := encodeJPEG(t, cv.photo(class.shot(r, 0.3, 0.05, int64(ri), 1), side, side*3/4), 90) // the same course, the same first slide
			d := setDistance(ha, corpusHashes(t, dir, "h2.jpg", other))
			distances = append(distances, d)
			if d <= testConfig(t).Thresholds.PhashMaxDistance {
				hashClose++
			}
			c := captureOf(t, dir, orig, other)
			honestShares = append(honestShares, c.Share)
			if c.Share >= minShare {
				honestHigh = append(honestHigh, "room "+string(rune('0'+ri))+" class "+string(rune('0'+ci)))
			}
		}
	}
	sort.Float64s(copyShares)
	sort.Float64s(honestShares)
	t.Logf("copies: %d, lowest shares %.2v", len(copyShares), copyShares[:min(5, len(copyShares))])
	t.Logf("honest same-room classes: %d pairs (%d within the perceptual-hash distance of the same picture), highest shares %.2v",
		len(honestShares), hashClose, honestShares[max(0, len(honestShares)-5):])
	sort.Ints(distances)
	t.Logf("perceptual-hash distances of the honest pairs: %v", distances)
	if len(copiesLow) > 0 {
		t.Errorf("copies not seen as the same capture: %v", copiesLow)
	}
	if len(honestHigh) > 0 {
		t.Errorf("honest classes in the same room taken for the same capture: %v", honestHigh)
	}
}

// BenchmarkCompareCaptures: one candidate pair, 12-megapixel JPEGs (decoded
// from their DC coefficients), aligned and compared.
func BenchmarkCompareCaptures(b *testing.B) {
	dir := b.TempDir()
	rm := newRoom(7)
	r := rand.New(rand.NewSource(7))
	v := randomView(r)
	img := v.photo(rm.shot(r, 0.3, 0.05, 1, 1), 4000, 3000)
	pa, pb := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
	os.WriteFile(pa, encodeJPEG(b, img, 90), 0o644)
	os.WriteFile(pb, encodeJPEG(b, orientImage(cropImage(img, image.Rect(200, 150, 3800, 2850)), 2), 80), 0o644)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := CompareCaptures(pa, pb, 100e6, 0); err != nil {
			b.Fatal(err)
		}
	}
}
