package photo

import "math"

// A photo taken again of a print or a screen is not the same capture as the
// old photo it shows — its pixels went through paper or a monitor, a lens and
// a sensor again —, and its glare, cast and uneven light change its perceptual
// hash by more than a copy's. framedShare compares the picture found inside
// the frame (shownPicture), squared up, with the other photo directly: cell by
// cell, each cell's own brightness offset allowed (a glare's falloff, light
// falling off to the edges), the cells washed out by the glare left out.

// Limits of the comparison of a framed picture (luma 0–255).
const (
	fsSide     = CaptureCells * 8 // samples per side compared
	fsGlare    = 246.0            // a sample this bright is washed out (a print's paper is darker)
	fsMasked   = 0.25             // a cell with this share of washed-out samples is left out
	fsFlat     = 4.0              // a cell whose luma varies less than this (standard deviation) in both pictures tells nothing
	fsMinCells = 16               // fewer telling cells than this: no measure
	fsCorr     = 0.6              // a cell agrees at this correlation of its samples or more
)

// framedShare is the share of the telling cells of shown (the squared-up
// picture inside a frame), aligned with other (alignFramed), whose samples
// correlate with other's by fsCorr or more: a cell's own brightness and
// contrast do not count, its content does. Cells washed out by glare, and
// cells flat in both pictures, are not counted; with fewer than fsMinCells
// telling cells the share is 0.
func framedShare(shown, other plane) float64 {
	if shown.w < fsSide/2 || shown.h < fsSide/2 || other.w < 8 || other.h < 8 {
		return 0
	}
	x := shown.reduce(fsSide, fsSide)
	washed := func(i int) bool { return x[i] >= fsGlare }
	y := alignFramed(x, newGrid(other), washed)
	// y ≈ s·x + t over the samples not washed out.
	var n, mx, my float64
	for i := range x {
		if !washed(i) {
			n, mx, my = n+1, mx+x[i], my+y[i]
		}
	}
	if n < fsSide*fsSide/4 {
		return 0
	}
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i := range x {
		if !washed(i) {
			sxy += (x[i] - mx) * (y[i] - my)
			sxx += (x[i] - mx) * (x[i] - mx)
		}
	}
	if sxx == 0 || sxy <= 0 {
		return 0
	}
	s := sxy / sxx
	t := my - s*mx
	const cell = fsSide / CaptureCells
	telling, agree := 0, 0
	for cy := 0; cy < CaptureCells; cy++ {
		for cx := 0; cx < CaptureCells; cx++ {
			var out, cnt int
			var sx, sy, sxx, syy float64
			for j := cy * cell; j < (cy+1)*cell; j++ {
				for i := cx * cell; i < (cx+1)*cell; i++ {
					k := j*fsSide + i
					if washed(k) {
						out++
						continue
					}
					cnt++
					px := s*x[k] + t
					sx, sy, sxx, syy = sx+px, sy+y[k], sxx+px*px, syy+y[k]*y[k]
				}
			}
			if float64(out) >= fsMasked*cell*cell || cnt == 0 {
				continue
			}
			c := float64(cnt)
			sdx := math.Sqrt(math.Max(0, sxx/c-(sx/c)*(sx/c)))
			sdy := math.Sqrt(math.Max(0, syy/c-(sy/c)*(sy/c)))
			if sdx < fsFlat && sdy < fsFlat {
				continue
			}
			telling++
			var sxy float64
			for j := cy * cell; j < (cy+1)*cell; j++ {
				for i := cx * cell; i < (cx+1)*cell; i++ {
					if k := j*fsSide + i; !washed(k) {
						sxy += (s*x[k] + t) * y[k]
					}
				}
			}
			cov := sxy/c - (sx/c)*(sy/c)
			if sdx > 0 && sdy > 0 && cov/(sdx*sdy) >= fsCorr {
				agree++
			}
		}
	}
	if telling < fsMinCells {
		return 0
	}
	return float64(agree) / float64(telling)
}

// alignFramed finds the rectangle of g (fractions, a little beyond its sides
// allowed) whose fsSide×fsSide samples correlate best with x, the samples
// not washed out only — the frame's edges are found to a grid pixel or two —,
// and returns those samples.
func alignFramed(x []float64, g grid, washed func(int) bool) []float64 {
	const coarse = fsSide / 2
	xs := make([]float64, 0, coarse*coarse)
	keep := make([]bool, 0, coarse*coarse)
	for j := 0; j < coarse; j++ {
		for i := 0; i < coarse; i++ {
			k := (2*j)*fsSide + 2*i
			xs = append(xs, (x[k]+x[k+1]+x[k+fsSide]+x[k+fsSide+1])/4)
			keep = append(keep, !washed(k) && !washed(k+1) && !washed(k+fsSide) && !washed(k+fsSide+1))
		}
	}
	score := func(r [4]float64, buf []float64) ([]float64, float64) {
		buf = g.sample(r, coarse, coarse, buf)
		var n, ma, mb float64
		for i, ok := range keep {
			if ok {
				n, ma, mb = n+1, ma+xs[i], mb+buf[i]
			}
		}
		if n == 0 {
			return buf, -1
		}
		ma, mb = ma/n, mb/n
		var sab, saa, sbb float64
		for i, ok := range keep {
			if ok {
				a, b := xs[i]-ma, buf[i]-mb
				sab, saa, sbb = sab+a*b, saa+a*a, sbb+b*b
			}
		}
		if saa == 0 || sbb == 0 {
			return buf, -1
		}
		return buf, sab / math.Sqrt(saa*sbb)
	}
	r := [4]float64{0, 0, 1, 1}
	buf, best := score(r, nil)
	for step := 0.02; step >= 0.0025; step /= 2 {
		for improved, rounds := true, 0; improved && rounds < 12; rounds++ {
			improved = false
			for k := 0; k < 4; k++ {
				for _, d := range []float64{-step, step} {
					c := r
					c[k] += d
					if c[k] < -0.06+float64(k/2) || c[k] > 0.06+float64(k/2) {
						continue
					}
					var sc float64
					if buf, sc = score(c, buf); sc > best+1e-9 {
						r, best, improved = c, sc, true
					}
				}
			}
		}
	}
	return g.sample(r, fsSide, fsSide, nil)
}
