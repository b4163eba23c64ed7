package photo

import (
	"errors"
	"math"
	"slices"
	"sort"
	"sync"

	"yanshou/templates"
)

// Same capture or same room. A perceptual hash of a whole picture is dominated by
// what fills most of it: in a wide shot of a classroom that is the room — walls,
// windows, screen, desks — and two classes held in the same room from the same
// camera spot hash alike though the people differ. A reused photo is the same
// capture: once the two pictures are aligned (a copy may be scaled, cropped,
// letterboxed, mirrored or turned, and re-coloured), the content agrees
// everywhere, the people included. CompareCaptures measures that: the share of
// the cells of the aligned overlap whose content agrees.

// Capture is the outcome of comparing two pictures.
type Capture struct {
	// Share is the share of cells of the aligned overlap (CaptureCells per side)
	// whose content agrees once brightness and contrast are matched: about 1 for
	// copies of one capture, lower where people or things differ.
	Share float64
	// Correlation is the normalised correlation of the aligned pictures (−1..1).
	Correlation float64
	// Orientation is the EXIF-style orientation (1..8) that turns the second
	// picture to match the first: 1 as is, 2 mirrored, 3 turned 180°, 6 and 8
	// turned by a quarter, 4, 5 and 7 mirrored and turned.
	Orientation int
	// Crop is the part of the larger view the other covers (x0, y0, x1, y1 as
	// fractions); CropOfSecond says the second picture is the larger view.
	Crop         [4]float64
	CropOfSecond bool
	// Framed is, when the first picture shows another inside a frame (a photo
	// taken again of a print or a screen: shownPicture), the share of that
	// picture's telling cells agreeing with the second picture (framedShare);
	// 0 when it shows none. FramedPrint says the frame is a print's border.
	// A measure for review, never the same capture.
	Framed      float64
	FramedPrint bool
}

// CaptureCells is the number of cells per side the aligned overlap is cut into.
const CaptureCells = 8

// CaptureAlgorithm names what Compare measures: comparisons are cached in the
// ledger under it (and the tolerance), so a change to how pictures are
// aligned, cut or compared must change it.
const CaptureAlgorithm = "align-dc-cells8-framed-v1"

// defaultCaptureTolerance is the mean difference of luma (0–255), after
// brightness and contrast are matched, up to which a cell counts as agreeing.
const defaultCaptureTolerance = 10.0

// CompareCaptures aligns the pictures at pathA and pathB and measures how far
// their content agrees (see Capture). tolerance is the per-cell mean luma
// difference allowed after brightness and contrast are matched (≤ 0: 10).
// Pictures over maxPixels are refused, as by Hashes.
func CompareCaptures(pathA, pathB string, maxPixels int64, tolerance float64) (Capture, error) {
	a, err := LoadPicture(pathA, maxPixels)
	if err != nil {
		return Capture{}, err
	}
	b, err := LoadPicture(pathB, maxPixels)
	if err != nil {
		return Capture{}, err
	}
	return Compare(a, b, tolerance), nil
}

// Picture is a picture decoded once for comparing with several others.
type Picture struct {
	pl     plane
	once   sync.Once
	shown  plane // the picture it shows inside a frame, squared up (shownPicture)
	framed frameKind
}

// LoadPicture decodes the picture at path for Compare (refused over
// maxPixels, as by Hashes).
func LoadPicture(path string, maxPixels int64) (*Picture, error) {
	pl, err := loadPlane(path, maxPixels)
	if err != nil {
		return nil, err
	}
	return &Picture{pl: pl}, nil
}

// Compare is CompareCaptures over pictures already decoded, with the
// comparison of the picture a shows inside a frame, if any, with b (Framed).
func Compare(a, b *Picture, tolerance float64) Capture {
	c := comparePlanes(a.pl, b.pl, tolerance)
	a.once.Do(func() {
		if shown, kind, ok := shownPicture(a.pl); ok {
			a.shown, a.framed = shown, kind
		}
	})
	if a.framed != 0 {
		c.Framed, c.FramedPrint = framedShare(a.shown, b.pl), a.framed == framePrint
	}
	return c
}

// loadPlane reads the upright grey plane of the picture at path.
func loadPlane(path string, maxPixels int64) (pl plane, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(templates.Say("photo.decode_panic", r))
		}
	}()
	f, size, err := openRegular(path)
	if err != nil {
		return plane{}, err
	}
	defer f.Close()
	return decodePlane(f, size, maxPixels)
}

// grid is a small grey picture with a summed-area table, for box means over any
// fractional rectangle in constant time.
type grid struct {
	w, h int
	sum  []float64 // (w+1)×(h+1) summed-area table
}

// gridSide bounds the side of the reduced picture alignment works on.
const gridSide = 160

func newGrid(p plane) grid {
	s := float64(gridSide) / float64(max(p.w, p.h))
	w, h := p.w, p.h
	if s < 1 {
		w, h = max(1, int(math.Round(float64(p.w)*s))), max(1, int(math.Round(float64(p.h)*s)))
	}
	g := grid{w: w, h: h, sum: make([]float64, (w+1)*(h+1))}
	img := p.reduce(w, h)
	for y := 0; y < h; y++ {
		acc := 0.0
		for x := 0; x < w; x++ {
			acc += img[y*w+x]
			g.sum[(y+1)*(w+1)+x+1] = g.sum[y*(w+1)+x+1] + acc
		}
	}
	return g
}

// at is the summed-area value at the fractional point (x, y) in grid pixels,
// bilinearly interpolated.
func (g grid) at(x, y float64) float64 {
	x = math.Max(0, math.Min(float64(g.w), x))
	y = math.Max(0, math.Min(float64(g.h), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, g.w), min(y0+1, g.h)
	fx, fy := x-float64(x0), y-float64(y0)
	s := func(xx, yy int) float64 { return g.sum[yy*(g.w+1)+xx] }
	top := s(x0, y0)*(1-fx) + s(x1, y0)*fx
	bot := s(x0, y1)*(1-fx) + s(x1, y1)*fx
	return top*(1-fy) + bot*fy
}

// sample returns the n×m box means of the fractional rectangle r of the grid.
func (g grid) sample(r [4]float64, n, m int, out []float64) []float64 {
	out = out[:0]
	x0, y0 := r[0]*float64(g.w), r[1]*float64(g.h)
	dx, dy := (r[2]-r[0])*float64(g.w)/float64(n), (r[3]-r[1])*float64(g.h)/float64(m)
	area := dx * dy
	for j := 0; j < m; j++ {
		ya, yb := y0+float64(j)*dy, y0+float64(j+1)*dy
		for i := 0; i < n; i++ {
			xa, xb := x0+float64(i)*dx, x0+float64(i+1)*dx
			v := g.at(xb, yb) - g.at(xa, yb) - g.at(xb, ya) + g.at(xa, ya)
			out = append(out, v/area)
		}
	}
	return out
}

// ncc is the zero-mean normalised correlation of two equal-length vectors.
func ncc(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		if saa == sbb {
			return 1
		}
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// placement is one candidate alignment: the view v (a picture's grid) shown as
// the rectangle r of the other picture's grid.
type placement struct {
	orientation int
	second      bool // r is a part of the second picture
	r           [4]float64
	score       float64
}

// cropScales are the sizes, as a fraction of the larger view, that a cropped
// copy may cover, per axis, tried first; the refinement finds the size between.
var cropScales = []float64{1, 0.9, 0.8, 0.7}

// orientations returns the orientations of b worth aligning with a: the two
// whose perceptual hashes come nearest a's — the whole pictures, and each
// against the other's crops (a copy cut by a quarter hashes near a crop, not
// the whole) — and the upright one.
func orientations(a, b plane) []int {
	whole := [4]float64{0, 0, 1, 1}
	cuts := append(append([][4]float64{}, Crops[1:]...), WideCrops...)
	ha := pHash(a.sample(whole, hashSide))
	var aCuts []uint64
	for _, c := range cuts {
		aCuts = append(aCuts, pHash(a.sample(c, hashSide)))
	}
	type od struct{ o, d int }
	var ds []od
	for o := 1; o <= 8; o++ {
		bo := b.orient(o)
		hb := pHash(bo.sample(whole, hashSide))
		d := Distance(ha, hb)
		for _, h := range aCuts {
			d = min(d, Distance(h, hb))
		}
		for _, c := range cuts {
			d = min(d, Distance(ha, pHash(bo.sample(c, hashSide))))
		}
		ds = append(ds, od{o, d})
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].d < ds[j].d })
	out := []int{ds[0].o, ds[1].o}
	if !slices.Contains(out, 1) {
		out = append(out, 1)
	}
	return out
}

// comparePlanes aligns b (in its likely orientations) with a — either as a
// crop of a or a as a crop of it — and measures the agreement of the best
// alignment. Uniform borders (letterboxing) are trimmed from both first.
func comparePlanes(a, b plane, tolerance float64) Capture {
	if tolerance <= 0 {
		tolerance = defaultCaptureTolerance
	}
	a, b = a.trim(), b.trim()
	ga := newGrid(a)
	turned := map[int]grid{} // b's grid in each orientation tried
	gridOf := func(o int) grid {
		g, ok := turned[o]
		if !ok {
			g = newGrid(b.orient(o))
			turned[o] = g
		}
		return g
	}
	views := func(p placement) (big, small grid) {
		if p.second {
			return gridOf(p.orientation), ga
		}
		return ga, gridOf(p.orientation)
	}
	var best []placement
	const coarse = 16
	var va, vs []float64
	for _, o := range orientations(a, b) {
		gb := gridOf(o)
		for _, second := range []bool{false, true} {
			big, small := ga, gb
			if second {
				big, small = gb, ga
			}
			vs = small.sample([4]float64{0, 0, 1, 1}, coarse, coarse, vs)
			for _, sx := range cropScales {
				for _, sy := range cropScales {
					if second && sx == 1 && sy == 1 {
						continue // the same placement as the other way round
					}
					for x0 := 0.0; x0 <= 1-sx+1e-9; x0 += 0.04 {
						for y0 := 0.0; y0 <= 1-sy+1e-9; y0 += 0.04 {
							r := [4]float64{x0, y0, x0 + sx, y0 + sy}
							va = big.sample(r, coarse, coarse, va)
							best = keepBest(best, placement{o, second, r, ncc(va, vs)}, 4)
						}
					}
				}
			}
		}
	}
	// Refine the best few finely, then measure the best one.
	var top placement
	top.score = math.Inf(-1)
	const fine = 32
	var buf []float64
	for _, p := range best {
		big, small := views(p)
		vs := small.sample([4]float64{0, 0, 1, 1}, fine, fine, nil)
		cur := p
		buf = big.sample(p.r, fine, fine, buf)
		cur.score = ncc(buf, vs)
		for step := 0.02; step >= 0.0025; step /= 2 {
			for improved, rounds := true, 0; improved && rounds < 20; rounds++ {
				improved = false
				for k := 0; k < 4; k++ {
					for _, d := range []float64{-step, step} {
						r := cur.r
						r[k] += d
						if r[0] < 0 || r[1] < 0 || r[2] > 1 || r[3] > 1 || r[2]-r[0] < 0.5 || r[3]-r[1] < 0.5 {
							continue
						}
						buf = big.sample(r, fine, fine, buf)
						if s := ncc(buf, vs); s > cur.score+1e-9 {
							cur.r, cur.score, improved = r, s, true
						}
					}
				}
			}
		}
		if cur.score > top.score {
			top = cur
		}
	}
	big, small := views(top)
	const n = CaptureCells * 8
	x := big.sample(top.r, n, n, nil)
	y := small.sample([4]float64{0, 0, 1, 1}, n, n, nil)
	return Capture{Share: cellShare(x, y, n, tolerance), Correlation: ncc(x, y),
		Orientation: top.orientation, Crop: top.r, CropOfSecond: top.second}
}

// trim removes uniform borders — the black or white bars of a letterboxed copy
// or a screenshot — from each side, at most 45% of a side each.
func (p plane) trim() plane {
	uniform := func(get func(i int) float32, n int, ref float32) bool {
		lo, hi := float32(255), float32(0)
		for i := 0; i < n; i++ {
			v := get(i)
			lo, hi = min(lo, v), max(hi, v)
		}
		return hi-lo < 12 && lo > ref-8 && hi < ref+8
	}
	at := func(x, y int) float32 { return p.px[y*p.w+x] }
	top, bottom, left, right := 0, p.h, 0, p.w
	if p.w < 16 || p.h < 16 {
		return p
	}
	for ref := at(0, 0); top < p.h*45/100 && uniform(func(i int) float32 { return at(i, top) }, p.w, ref); top++ {
	}
	for ref := at(0, p.h-1); bottom > p.h*55/100 && uniform(func(i int) float32 { return at(i, bottom-1) }, p.w, ref); bottom-- {
	}
	for ref := at(0, top); left < p.w*45/100 && uniform(func(i int) float32 { return at(left, top+i) }, bottom-top, ref); left++ {
	}
	for ref := at(p.w-1, top); right > p.w*55/100 && uniform(func(i int) float32 { return at(right-1, top+i) }, bottom-top, ref); right-- {
	}
	if top == 0 && left == 0 && bottom == p.h && right == p.w {
		return p
	}
	out := plane{w: right - left, h: bottom - top, px: make([]float32, (right-left)*(bottom-top))}
	for y := top; y < bottom; y++ {
		copy(out.px[(y-top)*out.w:(y-top+1)*out.w], p.px[y*p.w+left:y*p.w+right])
	}
	return out
}

// keepBest keeps the k placements with the highest scores.
func keepBest(best []placement, p placement, k int) []placement {
	if len(best) == k && p.score <= best[k-1].score {
		return best
	}
	best = append(best, p)
	sort.Slice(best, func(i, j int) bool { return best[i].score > best[j].score })
	if len(best) > k {
		best = best[:k]
	}
	return best
}

// cellShare fits y ≈ s·x + t over the whole n×n pictures (brightness and
// contrast), cuts them into CaptureCells² cells and returns the share of cells
// whose mean absolute difference after the fit is at most tolerance.
func cellShare(x, y []float64, n int, tolerance float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	s := 1.0
	if sxx > 0 {
		s = sxy / sxx
	}
	if s <= 0 {
		return 0
	}
	t := my - s*mx
	cell := n / CaptureCells
	agree := 0
	for cy := 0; cy < CaptureCells; cy++ {
		for cx := 0; cx < CaptureCells; cx++ {
			d := 0.0
			for j := cy * cell; j < (cy+1)*cell; j++ {
				for i := cx * cell; i < (cx+1)*cell; i++ {
					d += math.Abs(y[j*n+i] - (s*x[j*n+i] + t))
				}
			}
			if d/float64(cell*cell) <= tolerance {
				agree++
			}
		}
	}
	return float64(agree) / float64(CaptureCells*CaptureCells)
}

// reduce box-filters the plane to w×h samples: hpass's rows, then the same
// filter down the columns.
func (p plane) reduce(w, h int) []float64 {
	tmp := p.hpass(0, 1, w)
	out := make([]float64, w*h)
	for j, ws := range boxWeights(0, float64(p.h), h, p.h) {
		for i := 0; i < w; i++ {
			s := 0.0
			for _, c := range ws {
				s += tmp[c.i*w+i] * c.w
			}
			out[j*w+i] = s
		}
	}
	return out
}
