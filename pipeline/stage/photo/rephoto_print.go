package photo

import (
	"math"
	"slices"
)

// A print lying on a table is framed by its paper border: a band of one
// colour (the paper's white, lit unevenly, brightened by a glare patch near
// it) between the table's edge and the picture's. The picture's own edge is
// often weak — a pale wall printed next to the white border — so the band is
// not bounded by a strong step on its inner side, as a bezel is, but ends
// where the scanline leaves the paper's colour.

// Limits of the search for a print's border (on the frameGrid, luma 0–255).
const (
	ppLeave      = 12.0  // the picture begins where the luma leaves the paper's by this much
	ppDrift      = 1.0   // the paper's luma may drift by this much per grid pixel (uneven light, glare)
	ppMinBand    = 3     // the border is at least this many grid pixels wide
	ppMaxBand    = 0.12  // and at most this share of the scanline
	ppMinPaper   = 150.0 // the paper is at least this bright
	ppMinAgree   = 0.25  // share of a side's scanlines that must agree on the border's width
	ppEvenBorder = 1.5   // a side's border read wider than this many times the narrowest side's is taken as wide as that
)

// paperEdge finds, on a scanline, the paper's border: a strong step (the
// table's edge, either way: a dark or a light table) within rpOuter of the
// side, then a band of slowly drifting bright luma at least ppMinBand wide; the
// picture begins where the luma leaves the band's — at +Inf when it does not
// within ppMaxBand (the picture's edge as pale as the paper: the border's
// width is read on the other scanlines, see bandWidth).
func paperEdge(n int, val func(i int) float64) (inner, outer float64, ok bool) {
	limit := int(rpOuter * float64(n))
	at := -1
	for i := 1; i < limit; i++ {
		d := val(i+1) - val(i-1)
		if math.Abs(d) >= rpEdge && math.Abs(d) >= math.Abs(val(i)-val(i-2)) && math.Abs(d) >= math.Abs(val(i+2)-val(i)) {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, 0, false
	}
	// The paper's luma just inside the step (past the blur of the edge).
	start := at + 2
	ref := []float64{val(start), val(start + 1), val(start + 2)}
	slices.Sort(ref)
	paper := ref[1]
	if paper < ppMinPaper || math.Abs(val(start+1)-paper) > ppLeave/2 {
		return 0, 0, false
	}
	maxBand := int(ppMaxBand * float64(n))
	for i := start + 1; i < start+maxBand && i < n; i++ {
		v := val(i)
		if math.Abs(v-paper) > ppLeave {
			if i-at < ppMinBand {
				return 0, 0, false
			}
			return float64(i), float64(at), true
		}
		paper += math.Max(-ppDrift, math.Min(ppDrift, v-paper))
	}
	// The picture's edge is as pale as the paper here: the table's edge
	// still tells where the print lies, the border's width is unknown.
	return math.Inf(1), float64(at), true
}

// bandWidth is the width of a print's border from the widths measured on a
// side's scanlines: the narrowest that at least ppMinAgree of them agree on
// within a grid pixel and a half. A scanline reads the border too wide where
// the picture's edge is as pale as the paper, never too narrow.
func bandWidth(widths []float64) (float64, bool) {
	ws := slices.Clone(widths)
	slices.Sort(ws)
	for i := range ws {
		if math.IsInf(ws[i], 0) {
			break
		}
		n, sum := 0, 0.0
		for _, w := range ws[i:] {
			if w > ws[i]+1.5 {
				break
			}
			n++
			sum += w
		}
		if float64(n) >= ppMinAgree*rpLines {
			return sum / float64(n), true
		}
	}
	return 0, false
}
