// Package papersheet generates pictures of filled-in paper sign-in sheets for
// tests and benchmarks: a page of pipeline/format/signform rasterised straight
// from its geometry (marks, QR code, ruling, text-like strokes), its boxes
// filled with synthetic handwriting (random Bézier strokes of varying
// pressure), a stray dot or a tick, or left empty; then "scanned" (300 dpi
// grey, slight skew, noise) or "photographed" (perspective, rotation, shading,
// blur, JPEG, 2–12 MP). Everything is drawn from a seed: nothing binary is
// committed.
package papersheet

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"yanshou/pipeline/format/signform"
)

// Fill is what was put in a box.
type Fill int

// Box fills.
const (
	Empty     Fill = iota
	Signature      // a handwritten name
	Dot            // a stray dot of the pen
	Tick           // a tick (√) instead of a signature
)

// String names the fill.
func (f Fill) String() string { return [...]string{"empty", "signature", "dot", "tick"}[f] }

// Page is one printed page and what was written on it: Fills[i] in the
// signature box of row i; WalkIn[i] a name written in blank row i's name cell.
// Hands[i], when not 0, is the hand that signed box i: boxes of one hand get
// the same strokes (drawn from that seed), each shifted and trembling a
// little, as one person signing for many; 0 (or no Hands) is the trainee's own
// hand, strokes of their own.
type Page struct {
	Payload signform.Payload
	Fills   []Fill
	WalkIn  []bool
	Hands   []uint64
}

// RandomPage fills a page of p's rows: most boxes signed, some empty, some
// with a dot or a tick; a blank row now and then used by a walk-in.
func RandomPage(rnd *rand.Rand, p signform.Payload) Page {
	pg := Page{Payload: p, Fills: make([]Fill, p.Rows+p.Blank), WalkIn: make([]bool, p.Rows+p.Blank)}
	for i := range pg.Fills {
		if i >= p.Rows {
			if rnd.IntN(4) == 0 {
				pg.Fills[i], pg.WalkIn[i] = Signature, true
			}
			continue
		}
		switch r := rnd.IntN(20); {
		case r < 13:
			pg.Fills[i] = Signature
		case r < 17:
			pg.Fills[i] = Empty
		case r < 19:
			pg.Fills[i] = Dot
		default:
			pg.Fills[i] = Tick
		}
	}
	return pg
}

// canvas is a grey page being drawn at s pixels a millimetre.
type canvas struct {
	g *image.Gray
	s float64
}

func (c canvas) rect(r signform.Rect, v uint8) {
	x0, y0 := int(math.Round(r.X*c.s)), int(math.Round(r.Y*c.s))
	x1, y1 := int(math.Round((r.X+r.W)*c.s)), int(math.Round((r.Y+r.H)*c.s))
	for y := max(y0, 0); y < min(y1, c.g.Rect.Dy()); y++ {
		for x := max(x0, 0); x < min(x1, c.g.Rect.Dx()); x++ {
			c.g.Pix[y*c.g.Stride+x] = v
		}
	}
}

// dot darkens a disc of radius rad (mm) at p to ink level v, soft-edged.
func (c canvas) dot(p signform.Point, rad float64, v uint8) {
	cx, cy, rr := p.X*c.s, p.Y*c.s, rad*c.s
	for y := int(cy - rr - 1); y <= int(cy+rr+1); y++ {
		for x := int(cx - rr - 1); x <= int(cx+rr+1); x++ {
			if x < 0 || y < 0 || x >= c.g.Rect.Dx() || y >= c.g.Rect.Dy() {
				continue
			}
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			a := math.Min(1, math.Max(0, rr+0.5-d))
			if a <= 0 {
				continue
			}
			i := y*c.g.Stride + x
			old := float64(c.g.Pix[i])
			nv := old*(1-a) + float64(v)*a
			if nv < old {
				c.g.Pix[i] = uint8(nv)
			}
		}
	}
}

// line strokes from a to b, w mm wide.
func (c canvas) line(a, b signform.Point, w float64, v uint8) {
	n := int(math.Hypot(b.X-a.X, b.Y-a.Y)*c.s*2) + 1
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		c.dot(signform.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}, w/2, v)
	}
}

// stroke draws a cubic Bézier stroke whose width follows the pen's pressure
// (thin at both ends).
func (c canvas) stroke(p [4]signform.Point, w float64, v uint8) {
	l := 0.0
	for i := 0; i < 3; i++ {
		l += math.Hypot(p[i+1].X-p[i].X, p[i+1].Y-p[i].Y)
	}
	n := int(l*c.s*2) + 2
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		u := 1 - t
		x := u*u*u*p[0].X + 3*u*u*t*p[1].X + 3*u*t*t*p[2].X + t*t*t*p[3].X
		y := u*u*u*p[0].Y + 3*u*u*t*p[1].Y + 3*u*t*t*p[2].Y + t*t*t*p[3].Y
		pressure := 0.45 + 0.55*math.Sin(math.Pi*t)
		c.dot(signform.Point{X: x, Y: y}, w*pressure/2, v)
	}
}

// handwriting writes 2–4 characters of random strokes across the box r.
func (c canvas) handwriting(rnd *rand.Rand, r signform.Rect) {
	chars := 2 + rnd.IntN(3)
	ch := r.H * (0.65 + 0.3*rnd.Float64()) // character height
	cw := ch * (0.9 + 0.3*rnd.Float64())
	x := r.X + 2 + rnd.Float64()*math.Max(0, r.W-4-float64(chars)*cw*1.1)
	w := 0.35 + 0.35*rnd.Float64()
	v := uint8(15 + rnd.IntN(70))
	for k := 0; k < chars; k++ {
		y0 := r.Y + (r.H-ch)/2 + (rnd.Float64()-0.5)*1.2
		for s := 0; s < 3+rnd.IntN(4); s++ {
			var p [4]signform.Point
			for i := range p {
				p[i] = signform.Point{X: x + rnd.Float64()*cw, Y: y0 + rnd.Float64()*ch}
			}
			c.stroke(p, w, v)
		}
		x += cw * (0.95 + 0.25*rnd.Float64())
	}
}

// hand writes the signature of the hand whose strokes shape draws (a fresh
// generator of the same seed gives the same strokes) into the box r, shifted
// by up to ±1.5 mm and scaled by ±5%, each control point trembling by up to
// ±0.25 mm (from jit).
func (c canvas) hand(shape, jit *rand.Rand, r signform.Rect) {
	chars := 2 + shape.IntN(3)
	ch := r.H * (0.65 + 0.3*shape.Float64())
	cw := ch * (0.9 + 0.3*shape.Float64())
	x0 := r.X + 2 + shape.Float64()*math.Max(0, r.W-4-float64(chars)*cw*1.1)
	w := 0.35 + 0.35*shape.Float64()
	v := uint8(15 + shape.IntN(70))
	dx, dy, k := (jit.Float64()-0.5)*3, (jit.Float64()-0.5)*0.8, 1+(jit.Float64()-0.5)*0.1
	tremble := func() float64 { return (jit.Float64() - 0.5) * 0.5 }
	x := x0
	for n := 0; n < chars; n++ {
		y0 := r.Y + (r.H-ch)/2 + (shape.Float64()-0.5)*1.2
		for s := 0; s < 3+shape.IntN(4); s++ {
			var p [4]signform.Point
			for i := range p {
				px, py := x+shape.Float64()*cw, y0+shape.Float64()*ch
				p[i] = signform.Point{X: x0 + dx + (px-x0)*k + tremble(), Y: r.Y + r.H/2 + dy + (py-r.Y-r.H/2)*k + tremble()}
			}
			c.stroke(p, w, v)
		}
		x += cw * (0.95 + 0.25*shape.Float64())
	}
}

// text imitates n printed characters from (x, y) (top), h mm high.
func (c canvas) text(rnd *rand.Rand, x, y, h float64, n int) {
	for k := 0; k < n; k++ {
		for s := 0; s < 3; s++ {
			a := signform.Point{X: x + rnd.Float64()*h*0.8, Y: y + rnd.Float64()*h}
			b := signform.Point{X: x + rnd.Float64()*h*0.8, Y: y + rnd.Float64()*h}
			c.line(a, b, h/12, 40)
		}
		x += h
	}
}

// Render draws the page at pxPerMM pixels a millimetre.
func Render(rnd *rand.Rand, pg Page, pxPerMM float64) *image.Gray {
	w, h := int(signform.PageW*pxPerMM), int(signform.PageH*pxPerMM)
	c := canvas{image.NewGray(image.Rect(0, 0, w, h)), pxPerMM}
	for i := range c.g.Pix {
		c.g.Pix[i] = 250
	}
	for _, m := range signform.Marks {
		c.rect(m, 0)
	}
	mods, err := signform.Modules(pg.Payload.String())
	if err != nil {
		panic(err) // a payload of the test's own making
	}
	mod := signform.QRModule(len(mods))
	for y, row := range mods {
		for x, d := range row {
			if d {
				c.rect(signform.Rect{X: signform.QRBox.X + float64(x+signform.QRQuiet)*mod, Y: signform.QRBox.Y + float64(y+signform.QRQuiet)*mod, W: mod, H: mod}, 0)
			}
		}
	}
	c.text(rnd, signform.TitleAt.X, signform.TitleAt.Y, 5.5, 5)
	for _, p := range []signform.Point{signform.ClassAt, signform.SessionAt, signform.PageAt} {
		c.text(rnd, p.X, p.Y, 3.6, 12+rnd.IntN(15))
	}
	c.text(rnd, signform.InstructionAt.X, signform.InstructionAt.Y, 2.8, 60)
	for col := 0; col < signform.NumCols; col++ {
		r := signform.HeaderCell(col)
		c.rect(r, 235)
		c.text(rnd, r.X+r.W/2-5, r.Y+2.2, 3.5, 3)
	}
	for i := 0; i < pg.Payload.Rows+pg.Payload.Blank; i++ {
		r := signform.Cell(i, 0)
		c.text(rnd, r.X+3, r.Y+2.4, 3.5, 2)
		if i < pg.Payload.Rows {
			for col, n := range []int{3, 18, 4} {
				r := signform.Cell(i, col+1)
				c.text(rnd, r.X+2, r.Y+2.4, math.Min(3.5, (r.W-4)/float64(n)), n)
			}
		}
	}
	lw := 0.6 * 25.4 / 72
	bottom := signform.TableBottom()
	for i := 0; i <= signform.RowsPerPage+1; i++ {
		y := signform.TableY
		if i > 0 {
			y = signform.TableY + signform.HeaderH + float64(i-1)*signform.RowH
		}
		c.line(signform.Point{X: signform.TableX, Y: y}, signform.Point{X: signform.TableRight, Y: y}, lw, 0)
	}
	x := signform.TableX
	for col := 0; col <= signform.NumCols; col++ {
		c.line(signform.Point{X: x, Y: signform.TableY}, signform.Point{X: x, Y: bottom}, lw, 0)
		if col < signform.NumCols {
			x += signform.ColW[col]
		}
	}
	for i, f := range pg.Fills {
		b := signform.SignBox(i)
		switch f {
		case Signature:
			if i < len(pg.Hands) && pg.Hands[i] != 0 {
				c.hand(rand.New(rand.NewPCG(pg.Hands[i], 0x5167)), rnd, b)
				break
			}
			c.handwriting(rnd, b)
		case Dot:
			p := signform.Point{X: b.X + 3 + rnd.Float64()*(b.W-6), Y: b.Y + 2.5 + rnd.Float64()*(b.H-5)}
			c.dot(p, 0.3+0.3*rnd.Float64(), uint8(20+rnd.IntN(40)))
		case Tick:
			p := signform.Point{X: b.X + 4 + rnd.Float64()*(b.W-12), Y: b.Y + b.H/2}
			w := 0.4 + 0.2*rnd.Float64()
			c.line(p, signform.Point{X: p.X + 1.5, Y: p.Y + 2}, w, 30)
			c.line(signform.Point{X: p.X + 1.5, Y: p.Y + 2}, signform.Point{X: p.X + 4.5, Y: p.Y - 2.5}, w, 30)
		}
		if i < len(pg.WalkIn) && pg.WalkIn[i] {
			c.handwriting(rnd, signform.Cell(i, signform.ColName))
		}
	}
	return c.g
}

// Kind is how a page came to the office.
type Kind int

// Capture kinds.
const (
	Scanned Kind = iota
	Photographed
)

// String names the kind in Chinese, for tables.
func (k Kind) String() string { return [...]string{"扫描", "手机拍照"}[k] }

// Scan is the page scanned at 300 dpi in grey: skewed up to ±2°, shifted a
// few millimetres, with sensor noise. src is the page rendered at pxPerMM.
func Scan(rnd *rand.Rand, src *image.Gray, pxPerMM float64) *image.Gray {
	dpmm := 300 / 25.4
	w, h := int(signform.PageW*dpmm), int(signform.PageH*dpmm)
	th := (rnd.Float64()*4 - 2) * math.Pi / 180
	dx, dy := (rnd.Float64()*4-2)*dpmm, (rnd.Float64()*4-2)*dpmm
	var page, pic [4]signform.Point
	for i, p := range [4]signform.Point{{X: 0, Y: 0}, {X: signform.PageW, Y: 0}, {X: 0, Y: signform.PageH}, {X: signform.PageW, Y: signform.PageH}} {
		page[i] = p
		x, y := (p.X-signform.PageW/2)*dpmm, (p.Y-signform.PageH/2)*dpmm
		pic[i] = signform.Point{X: float64(w)/2 + x*math.Cos(th) - y*math.Sin(th) + dx, Y: float64(h)/2 + x*math.Sin(th) + y*math.Cos(th) + dy}
	}
	out := warp(src, pxPerMM, page, pic, w, h, 245)
	for i := range out.Pix {
		v := float64(out.Pix[i]) + rnd.NormFloat64()*6
		out.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
	}
	return out
}

// Photo is the page photographed with a phone: a 2–12 MP frame, the page
// turned (any quarter turn and up to ±10° more), tilted up to ±15° about
// both axes in perspective, lit unevenly, slightly blurred and saved as JPEG
// at quality 50–90. It returns the JPEG bytes.
func Photo(rnd *rand.Rand, src *image.Gray, pxPerMM float64) []byte {
	return PhotoOf(rnd, src, pxPerMM, 2+rnd.Float64()*10)
}

// PhotoOf is Photo with a frame of mp megapixels.
func PhotoOf(rnd *rand.Rand, src *image.Gray, pxPerMM, mp float64) []byte {
	fw := math.Sqrt(mp * 1e6 * 4 / 3)
	w, h := int(fw), int(fw*3/4)
	quarter := rnd.IntN(4)
	if rnd.IntN(2) == 0 { // portrait frame
		w, h = h, w
	}
	th := float64(quarter)*math.Pi/2 + (rnd.Float64()*20-10)*math.Pi/180
	ax, ay := (rnd.Float64()*30-15)*math.Pi/180, (rnd.Float64()*30-15)*math.Pi/180
	f := float64(max(w, h)) * 1.1 // focal length in pixels (a phone's ~28 mm equivalent)
	// page fill: the page's bounding box covers 70–90% of the frame
	corners := [4]signform.Point{{X: 0, Y: 0}, {X: signform.PageW, Y: 0}, {X: 0, Y: signform.PageH}, {X: signform.PageW, Y: signform.PageH}}
	project := func(dist float64) [4]signform.Point {
		var out [4]signform.Point
		for i, p := range corners {
			x, y := p.X-signform.PageW/2, p.Y-signform.PageH/2
			x, y = x*math.Cos(th)-y*math.Sin(th), x*math.Sin(th)+y*math.Cos(th)
			// tilt about the x axis, then the y axis
			y, z := y*math.Cos(ax), y*math.Sin(ax)
			x, z = x*math.Cos(ay), z+x*math.Sin(ay)
			z += dist
			out[i] = signform.Point{X: float64(w)/2 + f*x/z, Y: float64(h)/2 + f*y/z}
		}
		return out
	}
	fill := 0.7 + 0.2*rnd.Float64()
	dist := 400.0
	for it := 0; it < 30; it++ {
		pts := project(dist)
		minX, maxX, minY, maxY := pts[0].X, pts[0].X, pts[0].Y, pts[0].Y
		for _, p := range pts {
			minX, maxX, minY, maxY = math.Min(minX, p.X), math.Max(maxX, p.X), math.Min(minY, p.Y), math.Max(maxY, p.Y)
		}
		r := math.Max((maxX-minX)/float64(w), (maxY-minY)/float64(h)) / fill
		dist *= r
	}
	out := warp(src, pxPerMM, corners, project(dist), w, h, 90)
	// shading: a light gradient across the frame and a soft shadow
	gx, gy := rnd.Float64()*2-1, rnd.Float64()*2-1
	sx, sy, sr := rnd.Float64()*float64(w), rnd.Float64()*float64(h), float64(max(w, h))*(0.2+0.3*rnd.Float64())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			l := 0.85 + 0.15*(gx*(float64(x)/float64(w)-0.5)+gy*(float64(y)/float64(h)-0.5))
			if d := math.Hypot(float64(x)-sx, float64(y)-sy); d < sr {
				l *= 0.75 + 0.25*d/sr
			}
			i := y*out.Stride + x
			out.Pix[i] = uint8(math.Min(255, float64(out.Pix[i])*l))
		}
	}
	blur(out, 1+rnd.IntN(2))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, out, &jpeg.Options{Quality: 50 + rnd.IntN(41)}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// warp draws src (a page at pxPerMM) into a w×h picture where the page
// corners land at pic, on a background of level bg.
func warp(src *image.Gray, pxPerMM float64, page, pic [4]signform.Point, w, h int, bg uint8) *image.Gray {
	inv, err := signform.FitHomography(pic, page) // picture → page
	if err != nil {
		panic(err)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := inv.Apply(signform.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5})
			sx, sy := p.X*pxPerMM-0.5, p.Y*pxPerMM-0.5
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			v := bg
			if x0 >= 0 && y0 >= 0 && x0+1 < sw && y0+1 < sh {
				fx, fy := sx-float64(x0), sy-float64(y0)
				i := y0*src.Stride + x0
				a, b, c, d := float64(src.Pix[i]), float64(src.Pix[i+1]), float64(src.Pix[i+src.Stride]), float64(src.Pix[i+src.Stride+1])
				v = uint8(a*(1-fx)*(1-fy) + b*fx*(1-fy) + c*(1-fx)*fy + d*fx*fy + 0.5)
			}
			out.Pix[y*out.Stride+x] = v
		}
	}
	return out
}

// blur is a box blur of radius r, horizontal then vertical.
func blur(g *image.Gray, r int) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]uint8, max(w, h))
	pass := func(n int, at func(int) int) {
		s := 0
		for k := -r; k <= r; k++ {
			s += int(g.Pix[at(min(max(k, 0), n-1))])
		}
		for k := 0; k < n; k++ {
			tmp[k] = uint8(s / (2*r + 1))
			s += int(g.Pix[at(min(k+r+1, n-1))]) - int(g.Pix[at(max(k-r, 0))])
		}
		for k := 0; k < n; k++ {
			g.Pix[at(k)] = tmp[k]
		}
	}
	for y := 0; y < h; y++ {
		pass(w, func(x int) int { return y*g.Stride + x })
	}
	for x := 0; x < w; x++ {
		pass(h, func(y int) int { return y*g.Stride + x })
	}
}
