package signform

import (
	"image"
	"math"
	"sort"
)

// Shape is a signature's ink reduced for comparison: the ink inside the box's
// inset, cut to its bounding box and resampled to ShapeW × ShapeH cells of ink
// density, so that the same mark written a little higher, lower or wider
// compares alike. Aspect is the ink's width over its height.
type Shape struct {
	Cells  [ShapeW * ShapeH]float64
	Aspect float64
	ok     bool
}

// Size of a Shape's grid.
const (
	ShapeW = 24
	ShapeH = 6
)

// ShapeOf reduces a crop (as ReadPage gives it, CropPerMM) to its Shape; ok is
// false when the crop holds too little ink to compare.
func ShapeOf(crop *image.Gray) (Shape, bool) {
	var s Shape
	if crop == nil {
		return s, false
	}
	b := crop.Bounds()
	in := int(math.Ceil(SignInset * CropPerMM))
	x0, y0, x1, y1 := b.Min.X+in, b.Min.Y+in, b.Max.X-in, b.Max.Y-in
	if x1-x0 < ShapeW || y1-y0 < ShapeH {
		return s, false
	}
	vals := make([]int, 0, (x1-x0)*(y1-y0))
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			vals = append(vals, int(crop.GrayAt(x, y).Y))
		}
	}
	sorted := append([]int(nil), vals...)
	sort.Ints(sorted)
	paper := float64(sorted[len(sorted)*85/100])
	if paper < 40 {
		return s, false
	}
	limit := paper * 0.65
	w, h := x1-x0, y1-y0
	raw := func(x, y int) float64 { // 0 paper … 1 black, below the limit only
		v := float64(vals[y*w+x])
		if v >= limit {
			return 0
		}
		return (limit - v) / limit
	}
	// A ruling slightly off its place (dark nearly all along) is not ink.
	rowLine, colLine := make([]bool, h), make([]bool, w)
	for y := range h {
		k := 0
		for x := range w {
			if raw(x, y) > 0 {
				k++
			}
		}
		rowLine[y] = k > w*6/10
	}
	for x := range w {
		k := 0
		for y := range h {
			if raw(x, y) > 0 {
				k++
			}
		}
		colLine[x] = k > h*8/10
	}
	dark := func(x, y int) float64 {
		if rowLine[y] || colLine[x] {
			return 0
		}
		return raw(x, y)
	}
	// The ink's extent, by its mass (2% to 98% each way): a stray stroke's tip
	// does not move the frame.
	colMass, rowMass := make([]float64, w), make([]float64, h)
	total, n := 0.0, 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if v := dark(x, y); v > 0 {
				colMass[x] += v
				rowMass[y] += v
				total += v
				n++
			}
		}
	}
	if n < 20 {
		return s, false
	}
	left, right := massRange(colMass, total)
	top, bottom := massRange(rowMass, total)
	if right-left < 8 || bottom-top < 4 {
		return s, false
	}
	bw, bh := float64(right-left+1), float64(bottom-top+1)
	s.Aspect = bw / bh
	var count [ShapeW * ShapeH]float64
	for y := max(0, top-2); y <= min(h-1, bottom+2); y++ {
		cy := max(0, min(ShapeH-1, int(math.Floor(float64(y-top)/bh*ShapeH))))
		for x := max(0, left-2); x <= min(w-1, right+2); x++ {
			cx := max(0, min(ShapeW-1, int(math.Floor(float64(x-left)/bw*ShapeW))))
			s.Cells[cy*ShapeW+cx] += dark(x, y)
			count[cy*ShapeW+cx]++
		}
	}
	for i := range s.Cells {
		if count[i] > 0 {
			s.Cells[i] /= count[i]
		}
	}
	// A light blur: a stroke trembling across a cell's edge still meets itself.
	var blurred [ShapeW * ShapeH]float64
	for y := range ShapeH {
		for x := range ShapeW {
			sum, k := 0.0, 0.0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if yy, xx := y+dy, x+dx; yy >= 0 && yy < ShapeH && xx >= 0 && xx < ShapeW {
						wt := 1.0
						if dx == 0 && dy == 0 {
							wt = 4
						}
						sum += wt * s.Cells[yy*ShapeW+xx]
						k += wt
					}
				}
			}
			blurred[y*ShapeW+x] = sum / k
		}
	}
	s.Cells = blurred
	s.ok = true
	return s, true
}

// massRange is the span of indexes holding the middle 96% of the mass.
func massRange(mass []float64, total float64) (lo, hi int) {
	acc := 0.0
	lo, hi = 0, len(mass)-1
	for i, m := range mass {
		acc += m
		if acc >= total*0.02 {
			lo = i
			break
		}
	}
	acc = 0
	for i := len(mass) - 1; i >= 0; i-- {
		acc += mass[i]
		if acc >= total*0.02 {
			hi = i
			break
		}
	}
	return lo, hi
}

// Alike is how alike two signatures look, from 0 to 1: the correlation of
// their Shapes' cells (below 0 counts as 0), lowered by the ratio of their
// aspects when these differ (a short name and a long one are not the same
// hand's copy of one mark).
func Alike(a, b Shape) float64 {
	if !a.ok || !b.ok {
		return 0
	}
	n := float64(len(a.Cells))
	var ma, mb float64
	for i := range a.Cells {
		ma += a.Cells[i]
		mb += b.Cells[i]
	}
	ma, mb = ma/n, mb/n
	var sab, saa, sbb float64
	for i := range a.Cells {
		da, db := a.Cells[i]-ma, b.Cells[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	r := sab / math.Sqrt(saa*sbb)
	return math.Max(0, r) * math.Min(a.Aspect, b.Aspect) / math.Max(a.Aspect, b.Aspect)
}
