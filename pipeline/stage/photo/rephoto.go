package photo

import (
	"math"
	"slices"
)

// A photo taken of an old photo — shown on a monitor or printed, and
// photographed again — holds the old picture as a quadrilateral inside a
// frame (the monitor's bezel, the print's white border) with the desk or wall
// around it. Its perceptual hash is not the old picture's: the frame and the
// surroundings take part, and the picture is seen a few degrees off square.
// rephotoPlane finds the frame — on each side a uniform band between two
// straight edges — and gives the picture inside it squared up again, so that
// its hash is compared like the crops'. It finds nothing in an ordinary photo
// (no uniform band on all four sides, with straight parallel-ish edges,
// enclosing most of the frame).

// Limits of the search for a shown picture.
const (
	rpGrid      = 256  // the long side of the grid searched
	rpLines     = 21   // scanlines per side
	rpOuter     = 0.3  // how far in from each side the frame may lie (share of the side)
	rpEdge      = 24.0 // luma step (0–255) of an edge
	rpFlat      = 14.0 // luma range within the frame band
	rpMinShare  = 0.35 // the picture covers at least this share of the photo
	rpMaxSlope  = 0.2  // an edge's slope at most this (about 11°)
	rpMinPoints = 0.6  // share of the scanlines that must find the edge
	rpOutSide   = 192  // the long side of the squared-up plane
)

// rephotoPlane returns the picture shown inside a frame in p, squared up, or
// false when there is none (shownPicture).
func rephotoPlane(p plane) (plane, bool) {
	shown, _, ok := shownPicture(p)
	return shown, ok
}

// FramedHash returns, from a photo's crop hashes as HashPhoto sets them
// (Photo.Hashes: Hashes without the whole picture), the hash of the picture
// found shown inside a frame — a photo taken again of a print or a screen
// (shownPicture) —, or 0 when none was found. It reads planeHashes' layout:
// the framed picture's hash comes last, after the optional trimmed ones.
func FramedHash(crops []uint64) uint64 {
	switch len(crops) + 1 - hashesTrimmed {
	case 1, 1 + 1 + len(turnedCutOrientations):
		return crops[len(crops)-1]
	}
	return 0
}

// shownPicture returns the picture shown inside a frame in p — a print's
// paper border (paperEdge) or, failing that, a monitor's dark bezel
// (bezelEdge) —, squared up, or false when there is none. kind says which.
func shownPicture(p plane) (shown plane, kind frameKind, ok bool) {
	if p.w < 64 || p.h < 64 {
		return plane{}, 0, false
	}
	g := newFrameGrid(p)
	// A print's border first: a white band bounded by edges passes for a
	// bezel too, but the picture's pale edges do not bound it.
	if shown, ok := g.squaredUp(p, paperEdge, true); ok {
		return shown, framePrint, true
	}
	if shown, ok := g.squaredUp(p, bezelEdge, false); ok {
		return shown, frameScreen, true
	}
	return plane{}, 0, false
}

// frameKind is the frame a shown picture was found in.
type frameKind int

const (
	frameScreen frameKind = iota + 1 // a monitor's bezel
	framePrint                       // a print's paper border
)

// frameGrid is the photo reduced for the search of a frame: rpGrid on the
// long side, s grid pixels per plane pixel.
type frameGrid struct {
	w, h int
	s    float64
	px   []float64
}

func newFrameGrid(p plane) frameGrid {
	s := float64(rpGrid) / float64(max(p.w, p.h))
	gw, gh := max(1, int(float64(p.w)*s)), max(1, int(float64(p.h)*s))
	return frameGrid{gw, gh, s, p.reduce(gw, gh)}
}

// edgeFinder walks one scanline inward from a side (n samples, val(i) the
// i-th from the side) and returns where the shown picture begins (inner) and
// where its frame does (outer).
type edgeFinder func(n int, val func(i int) float64) (inner, outer float64, ok bool)

// bezelEdge finds, on a scanline, a uniform band bounded by edges (or
// beginning at the side): a monitor's bezel.
func bezelEdge(n int, val func(i int) float64) (inner, outer float64, ok bool) {
	limit := int(rpOuter * float64(n))
	var edges []int
	for i := 1; i < limit && len(edges) < 2; i++ {
		d := val(i+1) - val(i-1)
		if math.Abs(d) >= rpEdge && math.Abs(d) >= math.Abs(val(i)-val(i-2)) && math.Abs(d) >= math.Abs(val(i+2)-val(i)) {
			edges = append(edges, i)
			i += 2
		}
	}
	flat := func(a, b int) bool {
		if b-a < 2 {
			return false
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := a; i < b; i++ {
			lo, hi = math.Min(lo, val(i)), math.Max(hi, val(i))
		}
		return hi-lo <= rpFlat
	}
	switch {
	case len(edges) == 2 && flat(edges[0]+2, edges[1]-1):
		return float64(edges[1]), float64(edges[0]), true
	case len(edges) >= 1 && flat(0, edges[0]-1):
		return float64(edges[0]), 0, true
	}
	return 0, 0, false
}

// squaredUp finds the frame's inner edge on scanlines of each side (find),
// fits a straight line to each side's points, and returns the picture inside
// the four lines squared up, or false when a side has too few points, is too
// steep, or the four enclose too little of the photo. With banded, the line
// is fitted to the frame's outer edge and moved inward by the band's width
// (bandWidth): a print's border is as wide all along a side, and the
// picture's own edge is missed where it is as pale as the paper.
func (g frameGrid) squaredUp(p plane, find edgeFinder, banded bool) (plane, bool) {
	gw, gh, s := g.w, g.h, g.s
	at := func(x, y int) float64 { return g.px[y*gw+x] }
	// Points of each side's edge: (along, across) in grid pixels.
	type pt struct{ a, c, o float64 } // o: the frame's outer edge, across
	side := func(n, m int, val func(line, i int) float64, from int) []pt {
		var out []pt
		for k := 0; k < rpLines; k++ {
			line := int((0.25 + 0.5*float64(k)/float64(rpLines-1)) * float64(m))
			v := func(i int) float64 {
				if from > 0 {
					i = n - 1 - i
				}
				i = min(max(i, 0), n-1)
				return val(line, i)
			}
			if e, o, ok := find(n, v); ok {
				if from > 0 {
					e, o = float64(n-1)-e, float64(n-1)-o
				}
				out = append(out, pt{float64(line), e, o})
			}
		}
		return out
	}
	row := func(y, x int) float64 { return at(x, y) }
	col := func(x, y int) float64 { return at(x, y) }
	sides := [4][]pt{
		side(gw, gh, row, 0), // left: x across, y along
		side(gw, gh, row, 1), // right
		side(gh, gw, col, 0), // top: y across, x along
		side(gh, gw, col, 1), // bottom
	}
	var lines [4][2]float64 // across = a + b·along
	var bands [4]float64    // the border's width on each side (banded)
	for i, pts := range sides {
		if float64(len(pts)) < rpMinPoints*rpLines {
			return plane{}, false
		}
		a, b, ok := fitLine(pts, func(q pt) (float64, float64) { return q.a, q.c })
		if banded {
			a, b, ok = fitLine(pts, func(q pt) (float64, float64) { return q.a, q.o })
			widths := make([]float64, len(pts))
			for k, q := range pts {
				widths[k] = math.Abs(q.c - (a + b*q.a))
			}
			var found bool
			bands[i], found = bandWidth(widths)
			ok = ok && found
		}
		if !ok || math.Abs(b) > rpMaxSlope {
			return plane{}, false
		}
		lines[i] = [2]float64{a, b}
	}
	if banded {
		// A print's border is about as wide on every side: a side read much
		// wider than the narrowest — its picture's edge as pale as the paper
		// all along — is taken as wide as that.
		narrowest := slices.Min(bands[:])
		for i := range lines {
			w := bands[i]
			if w > ppEvenBorder*narrowest+1.5 {
				w = narrowest
			}
			if i%2 == 1 { // right and bottom: inward is towards 0
				w = -w
			}
			lines[i][0] += w
		}
	}
	// Corners: left/right lines give x = a + b·y, top/bottom y = a + b·x.
	corner := func(v, h [2]float64) [2]float64 {
		// x = va + vb·y, y = ha + hb·x
		x := (v[0] + v[1]*h[0]) / (1 - v[1]*h[1])
		return [2]float64{x, h[0] + h[1]*x}
	}
	q := [4][2]float64{corner(lines[0], lines[2]), corner(lines[1], lines[2]), corner(lines[1], lines[3]), corner(lines[0], lines[3])}
	area := 0.0
	for i := range q {
		j := (i + 1) % 4
		area += q[i][0]*q[j][1] - q[j][0]*q[i][1]
	}
	area = math.Abs(area) / 2
	if area < rpMinShare*float64(gw*gh) {
		return plane{}, false
	}
	for i := range q {
		if q[i][0] < -1 || q[i][1] < -1 || q[i][0] > float64(gw)+1 || q[i][1] > float64(gh)+1 {
			return plane{}, false
		}
		q[i][0] /= s // to the plane's pixels
		q[i][1] /= s
	}
	wTop, wBot := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1]), math.Hypot(q[2][0]-q[3][0], q[2][1]-q[3][1])
	hL, hR := math.Hypot(q[3][0]-q[0][0], q[3][1]-q[0][1]), math.Hypot(q[2][0]-q[1][0], q[2][1]-q[1][1])
	aspect := (hL + hR) / (wTop + wBot)
	ow, oh := rpOutSide, int(math.Round(rpOutSide*aspect))
	if aspect > 1 {
		ow, oh = int(math.Round(rpOutSide/aspect)), rpOutSide
	}
	if ow < 16 || oh < 16 {
		return plane{}, false
	}
	hm := squareToQuad(q)
	out := plane{ow, oh, make([]float32, ow*oh)}
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			u, v := (float64(x)+0.5)/float64(ow), (float64(y)+0.5)/float64(oh)
			w := hm[6]*u + hm[7]*v + hm[8]
			px, py := (hm[0]*u+hm[1]*v+hm[2])/w-0.5, (hm[3]*u+hm[4]*v+hm[5])/w-0.5
			out.px[y*ow+x] = p.bilinear(px, py)
		}
	}
	return out, true
}

// fitLine fits across = a + b·along to points by least squares, twice: the
// second time without the points more than two grid pixels off the first fit.
func fitLine[T any](pts []T, xy func(T) (float64, float64)) (a, b float64, ok bool) {
	fit := func(keep func(x, y float64) bool) (float64, float64, int) {
		var n, sx, sy, sxx, sxy float64
		for _, p := range pts {
			x, y := xy(p)
			if !keep(x, y) {
				continue
			}
			n++
			sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
		}
		den := n*sxx - sx*sx
		if n < 2 || den == 0 {
			return 0, 0, 0
		}
		b := (n*sxy - sx*sy) / den
		return (sy - b*sx) / n, b, int(n)
	}
	a, b, n := fit(func(float64, float64) bool { return true })
	if n == 0 {
		return 0, 0, false
	}
	a2, b2, n2 := fit(func(x, y float64) bool { return math.Abs(y-(a+b*x)) <= 2 })
	if float64(n2) < rpMinPoints*rpLines {
		return 0, 0, false
	}
	return a2, b2, true
}

// squareToQuad is the projective map taking the unit square's corners (0,0),
// (1,0), (1,1), (0,1) to q's (h33 = 1).
func squareToQuad(q [4][2]float64) [9]float64 {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]
	dx1, dy1, dx2, dy2 := x1-x2, y1-y2, x3-x2, y3-y2
	sx, sy := x0-x1+x2-x3, y0-y1+y2-y3
	var g, h float64
	if den := dx1*dy2 - dx2*dy1; den != 0 {
		g = (sx*dy2 - dx2*sy) / den
		h = (dx1*sy - sx*dy1) / den
	}
	return [9]float64{x1 - x0 + g*x1, x3 - x0 + h*x3, x0, y1 - y0 + g*y1, y3 - y0 + h*y3, y0, g, h, 1}
}

// bilinear samples the plane at (x, y) (pixel centres at integers), clamped
// to its edges.
func (p plane) bilinear(x, y float64) float32 {
	x = math.Max(0, math.Min(float64(p.w-1), x))
	y = math.Max(0, math.Min(float64(p.h-1), y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := p.px[y0*p.w+x0]*(1-fx) + p.px[y0*p.w+x1]*fx
	b := p.px[y1*p.w+x0]*(1-fx) + p.px[y1*p.w+x1]*fx
	return a*(1-fy) + b*fy
}
