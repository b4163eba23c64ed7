package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/nfnt/resize"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// A training room, drawn in "world" pixels wider than any one photo of it. A
// photo is a camera view of the room: a crop of the world (pan, tilt, zoom)
// scaled to the photo's size. Photos of the same room minutes apart share the
// walls, windows, screen, banner and desks; people shift, stand up or leave,
// the slide changes, the light drifts and the camera is aimed again.
const (
	worldW, worldH = 2400, 1200
)

type room struct {
	seed                int64
	wall, floor         color.RGBA
	windows             []image.Rectangle
	screen, banner      image.Rectangle
	deskRows            []float64 // y of each row of desks
	people              []person
	bannerInk, deskTone color.RGBA
}

type person struct {
	x, y, r float64
	body    color.RGBA
	hair    color.RGBA
}

func newRoom(seed int64) *room {
	r := rand.New(rand.NewSource(seed))
	hue := func(lo, hi float64) color.RGBA {
		return color.RGBA{uint8(lo + r.Float64()*(hi-lo)), uint8(lo + r.Float64()*(hi-lo)), uint8(lo + r.Float64()*(hi-lo)), 255}
	}
	rm := &room{seed: seed, wall: hue(170, 240), floor: hue(70, 140), deskTone: hue(90, 170),
		bannerInk: color.RGBA{250, 230, 120, 255}}
	for i, n := 0, 2+r.Intn(3); i < n; i++ {
		x := r.Intn(worldW - 300)
		if x > worldW/2-400 && x < worldW/2+300 {
			x = (x + 900) % (worldW - 300)
		}
		rm.windows = append(rm.windows, image.Rect(x, 150+r.Intn(100), x+180+r.Intn(120), 560+r.Intn(80)))
	}
	sx := worldW/2 - 350 + r.Intn(200)
	rm.screen = image.Rect(sx, 170+r.Intn(60), sx+420+r.Intn(200), 500+r.Intn(60))
	bx := worldW/2 - 700 + r.Intn(200)
	rm.banner = image.Rect(bx, 60, bx+1200+r.Intn(200), 130+r.Intn(20))
	for y := 700.0 + r.Float64()*30; y < worldH; y += 110 + r.Float64()*40 {
		rm.deskRows = append(rm.deskRows, y)
	}
	for _, y := range rm.deskRows {
		scale := 0.6 + 0.6*(y-700)/(worldH-700)
		for x := 250 + r.Float64()*80; x < worldW-250; x += (110 + r.Float64()*70) * scale {
			if r.Float64() < 0.15 {
				continue
			}
			rm.people = append(rm.people, person{x: x, y: y - 40*scale, r: 22 * scale,
				body: hue(20, 220), hair: color.RGBA{uint8(20 + r.Intn(40)), uint8(18 + r.Intn(30)), uint8(18 + r.Intn(30)), 255}})
		}
	}
	return rm
}

// shot draws the room as it is at one moment: people moved by up to move radii,
// a share of them standing or gone, the slide from slideSeed, light × light.
func (rm *room) shot(r *rand.Rand, move, away float64, slideSeed int64, light float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, worldW, worldH))
	fill := func(rect image.Rectangle, c color.RGBA) {
		draw.Draw(img, rect, &image.Uniform{c}, image.Point{}, draw.Src)
	}
	for y := 0; y < worldH; y++ { // wall and floor gradients
		c := rm.wall
		k := 1 - 0.25*float64(y)/worldH
		if y > 660 {
			c = rm.floor
			k = 0.8 + 0.4*float64(y-660)/(worldH-660)
		}
		fill(image.Rect(0, y, worldW, y+1), scaleRGBA(c, k))
	}
	for _, w := range rm.windows {
		fill(w, color.RGBA{235, 240, 250, 255})
		fill(image.Rect(w.Min.X+w.Dx()/2-4, w.Min.Y, w.Min.X+w.Dx()/2+4, w.Max.Y), color.RGBA{120, 110, 100, 255})
	}
	fill(rm.screen, color.RGBA{245, 245, 250, 255})
	sr := rand.New(rand.NewSource(slideSeed))
	for y := rm.screen.Min.Y + 30; y < rm.screen.Max.Y-30; y += 28 + sr.Intn(20) {
		x0 := rm.screen.Min.X + 30 + sr.Intn(40)
		fill(image.Rect(x0, y, x0+80+sr.Intn(rm.screen.Dx()-150), y+12+sr.Intn(8)), color.RGBA{uint8(sr.Intn(80)), uint8(sr.Intn(80)), uint8(60 + sr.Intn(120)), 255})
	}
	if sr.Intn(2) == 0 { // a picture on the slide
		x0 := rm.screen.Max.X - 200
		fill(image.Rect(x0, rm.screen.Min.Y+40, x0+150, rm.screen.Min.Y+180), color.RGBA{uint8(sr.Intn(255)), uint8(sr.Intn(255)), uint8(sr.Intn(255)), 255})
	}
	fill(rm.banner, color.RGBA{190, 25, 30, 255})
	for x := rm.banner.Min.X + 40; x < rm.banner.Max.X-60; x += 70 {
		fill(image.Rect(x, rm.banner.Min.Y+15, x+45, rm.banner.Max.Y-15), rm.bannerInk)
	}
	for _, y := range rm.deskRows {
		scale := 0.6 + 0.6*(y-700)/(worldH-700)
		fill(image.Rect(150, int(y), worldW-150, int(y+30*scale)), rm.deskTone)
		fill(image.Rect(150, int(y+30*scale), worldW-150, int(y+36*scale)), scaleRGBA(rm.deskTone, 0.6))
	}
	for _, p := range rm.people {
		if r.Float64() < away {
			continue
		}
		x, y := p.x+(r.Float64()*2-1)*move*p.r, p.y+(r.Float64()*2-1)*move*p.r*0.5
		if r.Float64() < away/2 { // standing up
			y -= 3 * p.r
		}
		disc(img, x, y+2.6*p.r, 2.0*p.r, p.body)
		fill(image.Rect(int(x-2*p.r), int(y+2.6*p.r), int(x+2*p.r), int(y+5*p.r)), p.body)
		disc(img, x, y, p.r, color.RGBA{214, 170, 132, 255})
		disc(img, x, y-0.5*p.r, p.r*0.95, p.hair)
	}
	if light != 1 {
		for i := 0; i < len(img.Pix); i += 4 {
			for k := 0; k < 3; k++ {
				img.Pix[i+k] = clamp(float64(img.Pix[i+k]) * light)
			}
		}
	}
	return img
}

func scaleRGBA(c color.RGBA, k float64) color.RGBA {
	return color.RGBA{clamp(float64(c.R) * k), clamp(float64(c.G) * k), clamp(float64(c.B) * k), 255}
}

func disc(img *image.RGBA, cx, cy, r float64, c color.RGBA) {
	for y := int(cy - r); y <= int(cy+r); y++ {
		dy := float64(y) + 0.5 - cy
		if dy*dy > r*r || y < 0 || y >= img.Rect.Dy() {
			continue
		}
		dx := math.Sqrt(r*r - dy*dy)
		for x := max(0, int(cx-dx)); x < min(img.Rect.Dx(), int(cx+dx)); x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// view is a camera aimed at the room: the centre of the view in world pixels and
// the view's width; photos are 4:3.
type view struct{ cx, cy, vw float64 }

func (v view) photo(world *image.RGBA, w, h int) image.Image {
	vh := v.vw * 3 / 4
	rect := image.Rect(int(v.cx-v.vw/2), int(v.cy-vh/2), int(v.cx+v.vw/2), int(v.cy+vh/2)).Intersect(world.Rect)
	return resize.Resize(uint(w), uint(h), world.SubImage(rect), resize.Bilinear)
}

// randomView aims the camera as a person taking photos of a class does: at the
// front or the room, from somewhat different places each time.
func randomView(r *rand.Rand) view {
	vw := 1100 + r.Float64()*900
	return view{cx: vw/2 + r.Float64()*(worldW-vw), cy: worldH/2 + (r.Float64()*2-1)*(worldH-vw*3/4)/2, vw: vw}
}

// copies are what an institution does to reuse a photo, each returning JPEG or PNG bytes.
func copies(t testing.TB, img image.Image) map[string][]byte {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	enc := func(m image.Image, q int, tags exifwrite.Tags) []byte {
		data, err := exifwrite.Encode(m, q, tags)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	sub := func(r image.Rectangle) image.Image {
		out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(out, out.Rect, img, r.Min, draw.Src)
		return out
	}
	brighten := func(m image.Image, add float64, gamma float64) image.Image {
		out := image.NewRGBA(m.Bounds())
		draw.Draw(out, out.Rect, m, image.Point{}, draw.Src)
		for i := 0; i < len(out.Pix); i += 4 {
			for k := 0; k < 3; k++ {
				out.Pix[i+k] = clamp(255*math.Pow(float64(out.Pix[i+k])/255, gamma) + add)
			}
		}
		return out
	}
	orig := enc(img, 92, exifwrite.Tags{Make: "HUAWEI", DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai)})
	other, err := exifwrite.Insert(orig, exifwrite.Tags{Make: "OPPO", DateTimeOriginal: time.Date(2026, 4, 2, 15, 0, 0, 0, shanghai),
		GPS: &yanshou.LatLon{Lat: 33.6, Lon: 114.7}})
	if err != nil {
		t.Fatal(err)
	}
	cut := w / 20
	return map[string][]byte{
		"recompressed q45":            enc(img, 45, exifwrite.Tags{}),
		"resized to half":             enc(resize.Resize(uint(w/2), 0, img, resize.Bilinear), 80, exifwrite.Tags{}),
		"resized to a quarter":        enc(resize.Resize(uint(w/4), 0, img, resize.Lanczos3), 75, exifwrite.Tags{}),
		"WeChat: 0.78× q70, no EXIF":  enc(resize.Resize(uint(w*78/100), 0, img, resize.Bilinear), 70, exifwrite.Tags{}),
		"converted to PNG":            encodePNG(t, img),
		"EXIF changed":                other,
		"cropped 5% from one side":    enc(sub(image.Rect(0, 0, w-cut, h)), 85, exifwrite.Tags{}),
		"cropped 5% all round":        enc(sub(image.Rect(cut/2, h/40, w-cut/2, h-h/40)), 85, exifwrite.Tags{}),
		"cropped 5% both sides":       enc(sub(image.Rect(0, 0, w-cut, h-h/20)), 85, exifwrite.Tags{}),
		"brightened +25":              enc(brighten(img, 25, 1), 85, exifwrite.Tags{}),
		"brightened gamma 0.8":        enc(brighten(img, 0, 0.8), 85, exifwrite.Tags{}),
		"darkened −20":                enc(brighten(img, -20, 1), 85, exifwrite.Tags{}),
		"mirrored":                    enc(orientImage(img, 2), 85, exifwrite.Tags{}),
		"turned 90°":                  enc(orientImage(img, 6), 85, exifwrite.Tags{}),
		"turned 180°":                 enc(orientImage(img, 3), 85, exifwrite.Tags{}),
		"cropped 20% from one side":   enc(sub(image.Rect(w/5, 0, w, h)), 85, exifwrite.Tags{}),
		"cropped 10% all round":       enc(sub(image.Rect(w/10, h/10, w*9/10, h*9/10)), 85, exifwrite.Tags{}),
		"mirrored, cropped 20%":       enc(orientImage(sub(image.Rect(w/5, 0, w, h)), 2), 85, exifwrite.Tags{}),
		"cropped 15% from one side":   enc(sub(image.Rect(0, 0, w*85/100, h)), 85, exifwrite.Tags{}),
		"mirrored, cropped 5%":        enc(orientImage(sub(image.Rect(cut, 0, w, h)), 2), 85, exifwrite.Tags{}),
		"turned 90°, cropped 15%":     enc(orientImage(sub(image.Rect(0, 0, w*85/100, h)), 6), 85, exifwrite.Tags{}),
		"cropped 25% from one side":   enc(sub(image.Rect(w/4, 0, w, h)), 85, exifwrite.Tags{}),
		"cropped 25% from the top":    enc(sub(image.Rect(0, h/4, w, h)), 85, exifwrite.Tags{}),
		"cropped 22% from the bottom": enc(sub(image.Rect(0, 0, w, h*78/100)), 85, exifwrite.Tags{}),
		"mirrored, cropped 25%":       enc(orientImage(sub(image.Rect(0, 0, w*3/4, h)), 2), 85, exifwrite.Tags{}),
		"cropped 12% from one side":   enc(sub(image.Rect(0, 0, w*88/100, h)), 85, exifwrite.Tags{}),
		"cropped 12% from the bottom": enc(sub(image.Rect(0, 0, w, h*88/100)), 85, exifwrite.Tags{}),
		"cropped 8% from the top":     enc(sub(image.Rect(0, h*8/100, w, h)), 85, exifwrite.Tags{}),
		"letterboxed":                 enc(letterbox(img), 85, exifwrite.Tags{}),
		"letterboxed, mirrored":       enc(letterbox(orientImage(img, 2)), 85, exifwrite.Tags{}),
		"cropped, halved, q60": enc(resize.Resize(uint((w-cut)/2), 0, sub(image.Rect(cut/2, 0, w-cut/2, h-h/20)), resize.Bilinear),
			60, exifwrite.Tags{}),
	}
}

// corpusHashes hashes bytes through a file, as the pipeline does.
func corpusHashes(t testing.TB, dir, name string, data []byte) []uint64 {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	hs, err := Hashes(path, 100e6)
	if err != nil {
		t.Fatalf("Hashes %s: %v", name, err)
	}
	return hs
}

// cropPenalty is the county's phash_crop_penalty (set by TestReuseCorpus).
var cropPenalty = 2

// setDistance is facts.hashDistance: the whole pictures compared, and each
// whole picture with the other's crops plus cropPenalty; the least distance.
func setDistance(a, b []uint64) int {
	d := Distance(a[0], b[0])
	for _, c := range b[1:] {
		d = min(d, Distance(a[0], c)+cropPenalty)
	}
	for _, c := range a[1:] {
		d = min(d, Distance(c, b[0])+cropPenalty)
	}
	return d
}

// TestReuseCorpus measures reuse detection on generated classes. Copies of a
// photo (resized, recompressed, PNG, EXIF changed, cropped, brightened,
// mirrored, turned, letterboxed) must come within photo_compare_max_distance
// of it (most within phash_max_distance), and those further than
// phash_max_distance must be the same capture once aligned
// (CompareCaptures); photos of the same room minutes apart with the camera
// aimed anew must not be candidates, nor photos of other rooms, and none of
// them that comes within the compare distance may be the same capture (a
// false veto). Photos taken from the same spot with the same framing a minute
// apart are measured too (they are the same picture to any perceptual hash;
// the report says so). Distances and false-match rates are logged.
func TestReuseCorpus(t *testing.T) {
	th := testConfig(t).Thresholds
	cropPenalty = th.PhashCropPenalty
	rooms, shots, copied, side := 5, 6, 2, 1280
	if testing.Short() {
		rooms, shots, copied, side = 2, 3, 1, 1024
	}
	if n, err := strconv.Atoi(os.Getenv("REUSE_CORPUS_ROOMS")); err == nil && n > 1 { // a bigger measurement
		rooms, shots = n, 8
	}
	dir := t.TempDir()
	type shot struct {
		room int
		v    view
		hs   []uint64
		path string // the shot's file, for the cell comparison
	}
	reach := max(th.PhashMaxDistance, th.PhotoCompareMaxDistance)
	same := func(a, b string) float64 { // share of aligned cells agreeing
		c, err := CompareCaptures(a, b, 100e6, th.PhotoCaptureTolerance)
		if err != nil {
			t.Fatalf("CompareCaptures %s %s: %v", a, b, err)
		}
		return c.Share
	}
	compared := map[string]int{} // copies beyond phash_max_distance found by the cell comparison
	var all []shot
	var burst []int // distances of same-spot pairs a minute apart
	missed, variants := 0, 0
	worst := map[string]int{}
	caught, tried := map[string]int{}, map[string]int{}
	for ri := 0; ri < rooms; ri++ {
		rm := newRoom(int64(100 + ri))
		r := rand.New(rand.NewSource(int64(1000 + ri)))
		var views []view
		for si := 0; si < shots; si++ {
			// Minutes apart: people shift by up to half a head, one in ten stands
			// or leaves, the slide changes every few photos, the light drifts by
			// 5%, and the photographer aims anew: pan by at least 8% of the view
			// or zoom by at least 10% from every earlier photo of the room.
			v := randomView(r)
			for tries := 0; tries < 1000 && tooClose(v, views); tries++ {
				v = randomView(r)
			}
			views = append(views, v)
			world := rm.shot(r, 0.5, 0.1, int64(ri*10+si/3), 0.95+r.Float64()*0.1)
			img := v.photo(world, side, side*3/4)
			name := fmt.Sprintf("shot-%d-%d.jpg", ri, si)
			hs := corpusHashes(t, dir, name, encodeJPEG(t, img, 90))
			all = append(all, shot{ri, v, hs, filepath.Join(dir, name)})
			if si == 0 { // the same spot a minute later: a near-duplicate by nature
				again := rm.shot(r, 0.5, 0.1, int64(ri*10), 0.95+r.Float64()*0.1)
				burst = append(burst, setDistance(hs, corpusHashes(t, dir, "burst.jpg", encodeJPEG(t, v.photo(again, side, side*3/4), 90))))
			}
			if si >= copied {
				continue
			}
			for name, data := range copies(t, img) {
				variants++
				d := setDistance(hs, corpusHashes(t, dir, "copy.img", data))
				worst[name] = max(worst[name], d)
				tried[name]++
				switch {
				case d <= th.PhashMaxDistance:
					caught[name]++
				case d <= reach:
					share := same(all[len(all)-1].path, filepath.Join(dir, "copy.img"))
					if share >= th.PhotoSameCaptureMinShare {
						caught[name]++
						compared[name]++
						continue
					}
					missed++
					t.Errorf("room %d shot %d, %s: distance %d, aligned cells agreeing %.0f%%, want the same capture", ri, si, name, d, 100*share)
				default:
					missed++
					t.Errorf("room %d shot %d, %s: distance %d, want ≤ %d", ri, si, name, d, reach)
				}
			}
		}
	}
	names := make([]string, 0, len(worst))
	for n := range worst {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		how := ""
		if compared[n] > 0 {
			how = fmt.Sprintf(" (%d beyond %d bits, found by the cell comparison)", compared[n], th.PhashMaxDistance)
		}
		t.Logf("copy %-28s matched %d of %d, worst distance %d%s", n, caught[n], tried[n], worst[n], how)
	}
	var sameRoom, other []int
	falseSame, comparedPairs := 0, 0
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			d := setDistance(all[i].hs, all[j].hs)
			if d <= reach { // compared cell by cell by the pipeline: must not be the same capture
				comparedPairs++
				if share := same(all[i].path, all[j].path); share >= th.PhotoSameCaptureMinShare {
					falseSame++
					t.Errorf("rooms %d and %d: shots %d bits apart are the same capture (%.0f%% of cells): a false veto", all[i].room, all[j].room, d, 100*share)
				}
			}
			if all[i].room == all[j].room {
				if d <= th.PhashMaxDistance {
					a, b := all[i].v, all[j].v
					t.Logf("same-room false match, distance %d (whole pictures %d): views %.0f%% apart, zoom ×%.2f",
						d, Distance(all[i].hs[0], all[j].hs[0]), 100*math.Hypot(a.cx-b.cx, a.cy-b.cy)/math.Min(a.vw, b.vw), math.Max(a.vw/b.vw, b.vw/a.vw))
				}
				sameRoom = append(sameRoom, d)
			} else {
				other = append(other, d)
			}
		}
	}
	count := func(ds []int, limit int) (int, float64) {
		n := 0
		for _, d := range ds {
			if d <= limit {
				n++
			}
		}
		return n, float64(n) / float64(max(1, len(ds)))
	}
	sort.Ints(sameRoom)
	sort.Ints(other)
	sort.Ints(burst)
	sm, sr := count(sameRoom, th.PhashMaxDistance)
	ss, ssr := count(sameRoom, th.PhashSimilarDistance)
	om, or := count(other, th.PhashMaxDistance)
	os, osr := count(other, th.PhashSimilarDistance)
	t.Logf("copies: %d of %d matched (%d missed)", variants-missed, variants, missed)
	t.Logf("same room, minutes apart, camera aimed anew: %d pairs, smallest distances %v; ≤ %d (same picture): %d (%.2f%%); ≤ %d (similar): %d (%.2f%%)",
		len(sameRoom), sameRoom[:min(6, len(sameRoom))], th.PhashMaxDistance, sm, 100*sr, th.PhashSimilarDistance, ss, 100*ssr)
	t.Logf("different rooms: %d pairs, smallest distances %v; ≤ %d: %d (%.3f%%); ≤ %d: %d (%.3f%%)",
		len(other), other[:min(6, len(other))], th.PhashMaxDistance, om, 100*or, th.PhashSimilarDistance, os, 100*osr)
	t.Logf("same spot and framing a minute later (near-duplicates by nature): distances %v", burst)
	t.Logf("pairs of different shots within %d bits, compared cell by cell: %d; the same capture: %d", reach, comparedPairs, falseSame)
	// An honest photo of a room holds no framed picture (a print's border, a
	// monitor's bezel): it is never compared as a photo taken again.
	framed := 0
	for _, s := range all {
		if FramedHash(s.hs[1:]) != 0 {
			framed++
		}
	}
	t.Logf("photos holding a framed picture (compared as taken again): %d of %d", framed, len(all))
	if framed > 0 {
		t.Errorf("%d honest photos of a room taken for photos of a print or a screen", framed)
	}
	// A wrong veto must be rare: at most one same-room pair in 200, none across rooms.
	if sr > 0.005 || om > 0 {
		t.Errorf("false matches: %d same-room pairs (%.2f%%), %d other-room pairs", sm, 100*sr, om)
	}
}

// tooClose reports whether v frames nearly what one of the earlier views did.
func tooClose(v view, earlier []view) bool {
	for _, e := range earlier {
		zoom := math.Max(v.vw/e.vw, e.vw/v.vw)
		if math.Hypot(v.cx-e.cx, v.cy-e.cy) < 0.08*math.Min(v.vw, e.vw) && zoom < 1.1 {
			return true
		}
	}
	return false
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
