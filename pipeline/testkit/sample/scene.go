package sample

import (
	"image"
	"math"
	"math/rand/v2"
)

// Photos are drawn procedurally: a room seen from varying places, rows of people,
// a screen and a banner, then lit, tinted and grained like a phone picture. Each
// photo's layout comes from its own random stream, so that pictures differ in
// their coarse light and dark masses — what perceptual hashes compare.

const (
	photoW = 800
	photoH = 600
)

type rgb struct{ r, g, b float64 }

func (c rgb) scale(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

func mix(a, b rgb, t float64) rgb {
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

// hsv returns a colour from hue (0–360), saturation and value (0–1).
func hsv(h, s, v float64) rgb {
	h = math.Mod(h, 360)
	if h < 0 {
		h += 360
	}
	c := v * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := v - c
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	return rgb{(r + m) * 255, (g + m) * 255, (b + m) * 255}
}

type pt struct{ x, y float64 }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

func lerpPt(a, b pt, t float64) pt { return pt{lerp(a.x, b.x, t), lerp(a.y, b.y, t)} }

// canvas is the picture being painted, as 8-bit RGBA.
type canvas struct {
	w, h int
	img  *image.RGBA
	rng  *rand.Rand
}

func newCanvas(w, h int, rng *rand.Rand) *canvas {
	return &canvas{w: w, h: h, img: image.NewRGBA(image.Rect(0, 0, w, h)), rng: rng}
}

// span paints pixels [x0, x1) of row y with colour c at opacity a.
func (cv *canvas) span(y, x0, x1 int, c rgb, a float64) {
	x0, x1 = max(0, x0), min(cv.w, x1)
	if y < 0 || y >= cv.h || x0 >= x1 {
		return
	}
	r, g, b := clamp8(c.r), clamp8(c.g), clamp8(c.b)
	row := cv.img.Pix[y*cv.img.Stride+4*x0 : y*cv.img.Stride+4*x1]
	if a >= 1 {
		row[0], row[1], row[2], row[3] = r, g, b, 255
		for n := 4; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
		return
	}
	ia := uint32(a * 256)
	for o := 0; o < len(row); o += 4 {
		row[o] = uint8((uint32(row[o])*(256-ia) + uint32(r)*ia) >> 8)
		row[o+1] = uint8((uint32(row[o+1])*(256-ia) + uint32(g)*ia) >> 8)
		row[o+2] = uint8((uint32(row[o+2])*(256-ia) + uint32(b)*ia) >> 8)
		row[o+3] = 255
	}
}

// rect fills an axis-aligned rectangle.
func (cv *canvas) rect(x0, y0, x1, y1 float64, c rgb, a float64) {
	ix0, ix1 := int(math.Round(x0)), int(math.Round(x1))
	for y := max(0, int(math.Round(y0))); y < min(cv.h, int(math.Round(y1))); y++ {
		cv.span(y, ix0, ix1, c, a)
	}
}

// vgrad fills a rectangle with a vertical gradient.
func (cv *canvas) vgrad(x0, y0, x1, y1 float64, top, bottom rgb) {
	for y := max(0, int(y0)); y < min(cv.h, int(y1)); y++ {
		cv.span(y, int(x0), int(x1), mix(top, bottom, (float64(y)-y0)/math.Max(1, y1-y0)), 1)
	}
}

// ellipse fills an ellipse.
func (cv *canvas) ellipse(cx, cy, rx, ry float64, c rgb, a float64) {
	if rx <= 0 || ry <= 0 {
		return
	}
	y0, y1 := max(0, int(cy-ry)), min(cv.h-1, int(cy+ry)+1)
	for y := y0; y <= y1; y++ {
		dy := (float64(y) + 0.5 - cy) / ry
		if dy*dy > 1 {
			continue
		}
		dx := rx * math.Sqrt(1-dy*dy)
		cv.span(y, int(math.Round(cx-dx)), int(math.Round(cx+dx)), c, a)
	}
}

// poly fills a polygon (even-odd rule), clipped to the canvas.
func (cv *canvas) poly(ps []pt, c rgb, a float64) {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		ymin, ymax = math.Min(ymin, p.y), math.Max(ymax, p.y)
	}
	y0, y1 := max(0, int(ymin)), min(cv.h-1, int(ymax)+1)
	xs := make([]float64, 0, 8)
	for y := y0; y <= y1; y++ {
		fy := float64(y) + 0.5
		xs = xs[:0]
		for i := range ps {
			p, q := ps[i], ps[(i+1)%len(ps)]
			if (p.y <= fy && q.y > fy) || (q.y <= fy && p.y > fy) {
				xs = append(xs, p.x+(fy-p.y)*(q.x-p.x)/(q.y-p.y))
			}
		}
		for i := 1; i < len(xs); i++ { // insertion sort: few crossings
			for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
				xs[j], xs[j-1] = xs[j-1], xs[j]
			}
		}
		for i := 0; i+1 < len(xs); i += 2 {
			cv.span(y, int(math.Round(math.Max(-1, xs[i]))), int(math.Round(math.Min(float64(cv.w)+1, xs[i+1]))), c, a)
		}
	}
}

func (cv *canvas) f(lo, hi float64) float64 { return lo + cv.rng.Float64()*(hi-lo) }

func (cv *canvas) pick(cs []rgb) rgb { return cs[cv.rng.IntN(len(cs))] }

var (
	skinTones = []rgb{{224, 186, 150}, {210, 165, 125}, {196, 150, 112}, {232, 196, 164}, {186, 138, 100}}
	hairTones = []rgb{{20, 18, 18}, {35, 28, 24}, {48, 38, 30}, {28, 26, 30}, {70, 62, 58}}
)

// clothes returns a shirt or coat colour of the season.
func (cv *canvas) clothes() rgb {
	switch cv.rng.IntN(6) {
	case 0:
		return hsv(0, 0, cv.f(0.08, 0.3)) // black, charcoal
	case 1:
		return hsv(0, 0, cv.f(0.75, 0.95)) // white, light grey
	case 2:
		return hsv(cv.f(200, 230), cv.f(0.4, 0.8), cv.f(0.25, 0.6)) // navy, denim
	default:
		return hsv(cv.f(0, 360), cv.f(0.35, 0.9), cv.f(0.35, 0.85))
	}
}

// person draws one seated or standing person whose head is at (x, y) with radius r.
func (cv *canvas) person(x, y, r float64, back bool) {
	body := cv.clothes()
	cv.ellipse(x, y+r*2.6, r*2.1, r*1.9, body, 1)
	cv.rect(x-r*2.1, y+r*2.6, x+r*2.1, y+r*5.5, body.scale(0.92), 1)
	hair := cv.pick(hairTones)
	if back {
		cv.ellipse(x, y+r*0.9, r*0.45, r*0.6, cv.pick(skinTones).scale(0.9), 1) // neck
		cv.ellipse(x, y, r, r*1.1, hair, 1)
		return
	}
	skin := cv.pick(skinTones)
	cv.ellipse(x, y, r*0.95, r*1.1, skin, 1)
	cv.ellipse(x, y-r*0.55, r*1.0, r*0.6, hair, 1)
	cv.ellipse(x-r*0.35, y, r*0.12, r*0.1, rgb{30, 25, 25}, 1)
	cv.ellipse(x+r*0.35, y, r*0.12, r*0.1, rgb{30, 25, 25}, 1)
}

// banner draws a red cloth banner with light "characters".
func (cv *canvas) banner(x0, y0, x1, y1 float64) {
	red := hsv(cv.f(352, 368), cv.f(0.75, 0.95), cv.f(0.6, 0.85))
	cv.rect(x0, y0, x1, y1, red, 1)
	h := y1 - y0
	ch := h * 0.6
	n := int((x1 - x0) * 0.8 / (ch * 1.15))
	if n < 1 {
		return
	}
	txt := hsv(cv.f(45, 60), cv.f(0.1, 0.5), 0.97)
	start := x0 + (x1-x0-float64(n)*ch*1.15)/2
	for i := range n {
		cx := start + float64(i)*ch*1.15
		cv.rect(cx, y0+h*0.2, cx+ch*0.9, y0+h*0.8, txt, 0.75)
		cv.rect(cx+ch*0.15, y0+h*0.35, cx+ch*0.75, y0+h*0.45, red, 1)
	}
}

// screen draws a projected slide or a large TV with content.
func (cv *canvas) screen(x0, y0, x1, y1 float64) {
	bezel := rgb{25, 25, 28}
	cv.rect(x0-4, y0-4, x1+4, y1+4, bezel, 1)
	bg := hsv(cv.f(0, 360), cv.f(0, 0.15), cv.f(0.85, 1))
	cv.rect(x0, y0, x1, y1, bg, 1)
	band := hsv(cv.f(0, 360), cv.f(0.5, 0.9), cv.f(0.45, 0.8))
	h := y1 - y0
	cv.rect(x0, y0, x1, y0+h*cv.f(0.14, 0.24), band, 1)
	lines := 2 + cv.rng.IntN(4)
	for i := range lines {
		ly := y0 + h*(0.35+float64(i)*0.14)
		cv.rect(x0+(x1-x0)*0.08, ly, x0+(x1-x0)*cv.f(0.4, 0.9), ly+h*0.05, bg.scale(0.45), 1)
	}
	if cv.rng.IntN(2) == 0 { // a picture on the slide
		px := x0 + (x1-x0)*cv.f(0.55, 0.7)
		cv.rect(px, y0+h*0.35, x1-(x1-x0)*0.06, y1-h*0.1, hsv(cv.f(60, 140), 0.5, cv.f(0.4, 0.7)), 1)
	}
}

// finish lights, tints and grains the picture like a phone camera and returns it.
func (cv *canvas) finish() *image.RGBA {
	gain := cv.f(0.82, 1.12)
	tint := [3]float64{cv.f(0.92, 1.08), cv.f(0.95, 1.05), cv.f(0.9, 1.1)}
	vig := cv.f(0.05, 0.3)
	ang := cv.f(0, 2*math.Pi)
	ramp := cv.f(0.05, 0.3)
	ca, sa := math.Cos(ang), math.Sin(ang)
	grain := uint32(cv.f(3, 8))
	noise := uint32(cv.rng.Uint64()) | 1
	cx, cy := float64(cv.w)/2, float64(cv.h)/2
	diag := math.Hypot(cx, cy)
	// Pools of light and shade (lamps, windows, people's shadows): separable
	// Gaussians, so that smooth areas get their own gradients in each photo.
	nb := 2 + cv.rng.IntN(3)
	amp := make([]float64, nb)
	bx := make([][]float64, nb)
	by := make([][]float64, nb)
	for i := range nb {
		amp[i] = cv.f(-0.35, 0.35)
		px, py, sg := cv.f(0, float64(cv.w)), cv.f(0, float64(cv.h)), cv.f(0.12, 0.35)*float64(cv.w)
		bx[i], by[i] = make([]float64, cv.w), make([]float64, cv.h)
		for x := range cv.w {
			d := (float64(x) - px) / sg
			bx[i][x] = math.Exp(-d * d)
		}
		for y := range cv.h {
			d := (float64(y) - py) / sg
			by[i][y] = math.Exp(-d * d)
		}
	}
	pix := cv.img.Pix
	if cv.rng.IntN(2) == 0 { // taken from the other side of the room
		for y := range cv.h {
			row := pix[y*cv.img.Stride : y*cv.img.Stride+4*cv.w]
			for i, j := 0, 4*(cv.w-1); i < j; i, j = i+4, j-4 {
				for ch := range 4 {
					row[i+ch], row[j+ch] = row[j+ch], row[i+ch]
				}
			}
		}
	}
	// The light factor changes slowly: compute it every 8 pixels of a row and
	// interpolate; apply it with the tint in 8.8 fixed point.
	const step = 8
	nk := cv.w/step + 2
	ks := make([]float64, nk)
	for y := range cv.h {
		dy := (float64(y) - cy) / diag
		for j := range nk {
			x := min(j*step, cv.w-1)
			dx := (float64(x) - cx) / diag
			k := gain * (1 - vig*(dx*dx+dy*dy)) * (1 + ramp*(dx*ca+dy*sa))
			for i := range nb {
				k *= 1 + amp[i]*bx[i][x]*by[i][y]
			}
			ks[j] = k
		}
		row := pix[y*cv.img.Stride : y*cv.img.Stride+4*cv.w]
		for x := range cv.w {
			j, fr := x/step, float64(x%step)/step
			k := ks[j] + (ks[j+1]-ks[j])*fr
			noise ^= noise << 13 // xorshift32: cheap grain
			noise ^= noise >> 17
			noise ^= noise << 5
			n := int32(noise%(2*grain+1)) - int32(grain)
			o := 4 * x
			for ch := range 3 {
				v := (int32(row[o+ch])*int32(k*tint[ch]*256))>>8 + n
				row[o+ch] = uint8(min(255, max(0, v)))
			}
		}
	}
	return cv.img
}

func clamp8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// room is the geometry of a painted classroom: its front wall and vanishing point.
type room struct {
	fx0, fy0, fx1, fy1 float64 // front wall
	v                  pt      // vanishing point
}

// floorRow returns the left end, right end and y of a row at depth s (0 at the
// front wall, 1 at the camera).
func (r room) floorRow(s float64) (float64, float64, float64) {
	k := 1 + s*s*6
	l := r.v.x + (r.fx0-r.v.x)*k
	rr := r.v.x + (r.fx1-r.v.x)*k
	y := r.v.y + (r.fy1-r.v.y)*k
	return l, rr, y
}

// room paints the walls, floor, ceiling, lights and windows of a classroom seen
// from a random point, and returns its geometry.
func (cv *canvas) room() room {
	W, H := float64(cv.w), float64(cv.h)
	fw := W * cv.f(0.28, 0.58)
	fh := H * cv.f(0.26, 0.44)
	fy0 := H * cv.f(0.08, 0.32)
	fx0 := W*cv.f(0.2, 0.8) - fw*cv.f(0.3, 0.7)
	r := room{fx0: fx0, fy0: fy0, fx1: fx0 + fw, fy1: fy0 + fh}
	r.v = pt{fx0 + fw*cv.f(0.35, 0.65), fy0 + fh*cv.f(0.4, 0.6)}
	far := func(p pt) pt { return pt{r.v.x + (p.x-r.v.x)*12, r.v.y + (p.y-r.v.y)*12} }
	tl, tr, br, bl := pt{r.fx0, r.fy0}, pt{r.fx1, r.fy0}, pt{r.fx1, r.fy1}, pt{r.fx0, r.fy1}
	hue := cv.f(0, 360)
	wall := hsv(hue, cv.f(0.03, 0.3), cv.f(0.62, 0.92))
	floor := hsv(cv.f(0, 360), cv.f(0.05, 0.35), cv.f(0.25, 0.6))
	ceil := hsv(hue, cv.f(0, 0.1), cv.f(0.8, 0.97))
	side := cv.f(0.7, 1.0)
	cv.poly([]pt{far(tl), far(tr), tr, tl}, ceil, 1)
	cv.poly([]pt{far(tl), tl, bl, far(bl)}, wall.scale(side), 1)
	cv.poly([]pt{tr, far(tr), far(br), br}, wall.scale(1.7-side), 1)
	cv.poly([]pt{bl, br, far(br), far(bl)}, floor, 1)
	cv.rect(r.fx0, r.fy0, r.fx1, r.fy1, wall, 1)
	// Ceiling lights.
	for i := range 3 {
		s := 0.15 + float64(i)*0.28
		k := 1 + s*s*6
		y := r.v.y + (r.fy0-r.v.y)*k
		for j := range 3 {
			x := r.v.x + (r.fx0+float64(j+1)*(r.fx1-r.fx0)/4-r.v.x)*k
			cv.rect(x-12*k, y-3*k, x+12*k, y+3*k, rgb{252, 252, 245}, 1)
		}
	}
	// Windows on one side wall.
	left := cv.rng.IntN(2) == 0
	sky := hsv(cv.f(190, 215), cv.f(0.05, 0.35), cv.f(0.85, 1))
	nwin := 2 + cv.rng.IntN(3)
	for i := range nwin {
		s0 := 0.1 + float64(i)*0.8/float64(nwin)
		s1 := s0 + 0.5/float64(nwin)
		var t, b pt
		if left {
			t, b = tl, bl
		} else {
			t, b = tr, br
		}
		k0, k1 := 1+s0*s0*6, 1+s1*s1*6
		at := func(p pt, k float64) pt { return pt{r.v.x + (p.x-r.v.x)*k, r.v.y + (p.y-r.v.y)*k} }
		top, bot := lerpPt(b, t, 0.82), lerpPt(b, t, 0.38)
		cv.poly([]pt{at(top, k0), at(top, k1), at(bot, k1), at(bot, k0)}, sky, 1)
	}
	return r
}

// classroomScene: the room from the back or a side, rows of trainees facing a screen.
func (cv *canvas) classroomScene() {
	r := cv.room()
	fw, fh := r.fx1-r.fx0, r.fy1-r.fy0
	// Front wall: banner, screen, maybe a lecturer.
	cv.banner(r.fx0+fw*0.08, r.fy0+fh*0.05, r.fx1-fw*0.08, r.fy0+fh*cv.f(0.14, 0.22))
	sw := fw * cv.f(0.35, 0.6)
	sx := r.fx0 + (fw-sw)*cv.f(0, 1)
	cv.screen(sx, r.fy0+fh*0.3, sx+sw, r.fy0+fh*0.3+sw*0.56)
	if cv.rng.IntN(3) > 0 {
		lx := r.fx0 + fw*cv.f(0.1, 0.9)
		cv.person(lx, r.fy0+fh*0.55, fh*0.05, false)
	}
	// Rows of desks and trainees, far to near.
	rows := 3 + cv.rng.IntN(5)
	desk := hsv(cv.f(20, 40), cv.f(0.2, 0.6), cv.f(0.45, 0.9))
	aisle := cv.f(0.25, 0.75)
	seats := 6 + cv.rng.IntN(6)
	for i := range rows {
		s := 0.12 + float64(i)*0.85/float64(rows)
		l, rr, y := r.floorRow(s)
		l2, rr2, y2 := r.floorRow(s + 0.05)
		cv.poly([]pt{{l, y}, {rr, y}, {rr2, y2}, {l2, y2}}, desk, 1)
		rad := (y2 - y) * 0.9
		if rad < 2 {
			rad = 2
		}
		for j := range seats {
			u := (float64(j) + 0.5) / float64(seats)
			if math.Abs(u-aisle) < 0.5/float64(seats) || cv.rng.IntN(10) == 0 {
				continue
			}
			x := lerp(l2, rr2, u) + cv.f(-0.2, 0.2)*(rr2-l2)/float64(seats)
			cv.person(x, y2+rad*0.4, rad, true)
		}
	}
}

// lecturerScene: the teacher beside a large screen, heads of trainees in front.
func (cv *canvas) lecturerScene() {
	W, H := float64(cv.w), float64(cv.h)
	hue := cv.f(0, 360)
	cv.vgrad(0, 0, W, H*0.75, hsv(hue, cv.f(0, 0.25), cv.f(0.75, 0.95)), hsv(hue, cv.f(0, 0.25), cv.f(0.5, 0.8)))
	cv.vgrad(0, H*0.75, W, H, hsv(cv.f(0, 360), 0.2, 0.45), hsv(cv.f(0, 360), 0.2, 0.3))
	by := H * cv.f(0.02, 0.12)
	cv.banner(W*cv.f(0, 0.15), by, W*cv.f(0.85, 1), by+H*cv.f(0.07, 0.12))
	sw := W * cv.f(0.38, 0.6)
	onLeft := cv.rng.IntN(2) == 0
	sx := W * cv.f(0.04, 0.12)
	if !onLeft {
		sx = W - sw - W*cv.f(0.04, 0.12)
	}
	sy := by + H*cv.f(0.14, 0.2)
	cv.screen(sx, sy, sx+sw, sy+sw*0.56)
	lx := sx + sw + (W-sx-sw)*cv.f(0.3, 0.6)
	if !onLeft {
		lx = sx * cv.f(0.4, 0.7)
	}
	lr := H * cv.f(0.045, 0.07)
	ly := H * cv.f(0.32, 0.42)
	cv.person(lx, ly, lr, false)
	pod := hsv(cv.f(15, 35), cv.f(0.3, 0.6), cv.f(0.3, 0.6))
	cv.rect(lx-lr*3, ly+lr*4, lx+lr*3, H*0.8, pod, 1)
	n := 2 + cv.rng.IntN(5)
	for i := range n {
		x := W * (float64(i) + cv.f(0.2, 0.8)) / float64(n)
		cv.person(x, H*cv.f(0.8, 0.95), H*cv.f(0.07, 0.11), true)
	}
}

// labScene: trainees at computers, seen from the front corner.
func (cv *canvas) labScene() {
	r := cv.room()
	rows := 2 + cv.rng.IntN(4)
	desk := hsv(cv.f(0, 360), cv.f(0, 0.15), cv.f(0.7, 0.95))
	seats := 4 + cv.rng.IntN(5)
	glow := hsv(cv.f(180, 230), cv.f(0.2, 0.6), cv.f(0.8, 1))
	for i := range rows {
		s := 0.2 + float64(i)*0.75/float64(rows)
		l, rr, y := r.floorRow(s)
		l2, rr2, y2 := r.floorRow(s + 0.06)
		rad := math.Max(2, (y2-y)*0.8)
		for j := range seats {
			u := (float64(j) + 0.5) / float64(seats)
			x := lerp(l, rr, u)
			cv.person(x, y-rad*2.2, rad, false)
		}
		cv.poly([]pt{{l, y}, {rr, y}, {rr2, y2}, {l2, y2}}, desk, 1)
		for j := range seats {
			u := (float64(j) + 0.5) / float64(seats)
			x := lerp(l2, rr2, u)
			mw := (rr2 - l2) / float64(seats) * 0.55
			cv.rect(x-mw/2, y2-mw*0.75, x+mw/2, y2, rgb{30, 30, 34}, 1)
			cv.rect(x-mw/2+2, y2-mw*0.75+2, x+mw/2-2, y2-3, glow.scale(cv.f(0.8, 1)), 1)
		}
	}
}

// closeScene: over the shoulder of a trainee practising on a laptop or phone.
func (cv *canvas) closeScene() {
	W, H := float64(cv.w), float64(cv.h)
	wall := hsv(cv.f(0, 360), cv.f(0, 0.3), cv.f(0.5, 0.9))
	cv.vgrad(0, 0, W, H, wall, wall.scale(cv.f(0.6, 0.9)))
	ty := H * cv.f(0.35, 0.6)
	// What is behind: a window, a poster, a screen or a banner, and other trainees.
	for range 1 + cv.rng.IntN(3) {
		x0, w := W*cv.f(-0.1, 0.9), W*cv.f(0.12, 0.4)
		y0, h := H*cv.f(0, 0.2), ty*cv.f(0.3, 0.7)
		switch cv.rng.IntN(4) {
		case 0:
			cv.rect(x0, y0, x0+w, y0+h, hsv(cv.f(190, 215), cv.f(0.05, 0.3), cv.f(0.85, 1)), 1)
			cv.rect(x0+w/2-3, y0, x0+w/2+3, y0+h, wall.scale(0.7), 1)
		case 1:
			cv.rect(x0, y0, x0+w, y0+h, hsv(cv.f(0, 360), cv.f(0.3, 0.8), cv.f(0.4, 0.9)), 1)
			cv.rect(x0+w*0.1, y0+h*0.1, x0+w*0.9, y0+h*0.3, hsv(cv.f(0, 360), 0.2, 0.95), 1)
		case 2:
			cv.screen(x0, y0, x0+w, y0+w*0.56)
		default:
			cv.banner(x0, y0, x0+w*1.5, y0+H*0.07)
		}
	}
	for range cv.rng.IntN(4) {
		cv.person(W*cv.f(0, 1), ty-H*cv.f(0.05, 0.2), H*cv.f(0.03, 0.06), cv.rng.IntN(2) == 0)
	}
	table := hsv(cv.f(15, 45), cv.f(0.1, 0.6), cv.f(0.4, 0.95))
	cv.poly([]pt{{-W * 0.2, H}, {W * 1.2, H}, {W * cv.f(0.8, 1.1), ty}, {W * cv.f(-0.1, 0.2), ty}}, table, 1)
	lw := W * cv.f(0.3, 0.5)
	lx := W*cv.f(0.15, 0.85) - lw/2
	ly := ty + (H-ty)*cv.f(0.1, 0.3)
	cv.rect(lx, ly-lw*0.62, lx+lw, ly, rgb{40, 40, 45}, 1)
	cv.rect(lx+lw*0.04, ly-lw*0.58, lx+lw*0.96, ly-lw*0.04, hsv(cv.f(0, 360), cv.f(0, 0.3), cv.f(0.85, 1)), 1)
	cv.rect(lx+lw*0.04, ly-lw*0.58, lx+lw*0.96, ly-lw*0.48, hsv(cv.f(0, 360), 0.8, 0.8), 1)
	cv.poly([]pt{{lx, ly}, {lx + lw, ly}, {lx + lw*1.1, ly + lw*0.25}, {lx - lw*0.1, ly + lw*0.25}}, rgb{150, 150, 155}, 1)
	// The trainee's head and shoulder on one side, large and out of focus.
	hx := W * cv.f(-0.05, 0.25)
	if cv.rng.IntN(2) == 0 {
		hx = W - hx
	}
	cv.person(hx, H*cv.f(0.25, 0.5), H*cv.f(0.13, 0.2), true)
}

// groupScene: the class standing in rows under a banner.
func (cv *canvas) groupScene() {
	W, H := float64(cv.w), float64(cv.h)
	outdoor := cv.rng.IntN(2) == 0
	if outdoor {
		cv.vgrad(0, 0, W, H*0.45, hsv(cv.f(195, 220), cv.f(0.2, 0.6), cv.f(0.8, 1)), hsv(cv.f(195, 220), 0.1, 0.95))
		facade := hsv(cv.f(20, 50), cv.f(0.05, 0.3), cv.f(0.6, 0.9))
		top := H * cv.f(0.1, 0.3)
		cv.rect(0, top, W, H*0.75, facade, 1)
		for i := range 8 {
			for j := range 3 {
				x := W * (0.04 + float64(i)*0.12)
				y := top + H*0.05 + float64(j)*H*0.11
				cv.rect(x, y, x+W*0.07, y+H*0.07, hsv(200, 0.3, cv.f(0.3, 0.6)), 1)
			}
		}
		cv.rect(0, H*0.75, W, H, hsv(cv.f(0, 40), 0.1, cv.f(0.5, 0.7)), 1)
	} else {
		cv.room()
	}
	by := H * cv.f(0.05, 0.2)
	cv.banner(W*cv.f(0.02, 0.12), by, W*cv.f(0.88, 0.98), by+H*cv.f(0.08, 0.12))
	rows := 2 + cv.rng.IntN(2)
	per := 9 + cv.rng.IntN(6)
	rad := W / float64(per) * cv.f(0.2, 0.26)
	base := H * cv.f(0.38, 0.5)
	for i := range rows {
		y := base + float64(i)*rad*2.6
		off := cv.f(0, 0.5)
		for j := range per {
			x := W * (float64(j) + 0.5 + off*float64(i%2)) / float64(per)
			cv.person(x, y, rad*(1+float64(i)*0.08), false)
		}
	}
}

// drawScene paints one photo from its random stream.
func drawScene(rng *rand.Rand, group bool) *image.RGBA {
	cv := newCanvas(photoW, photoH, rng)
	switch {
	case group:
		cv.groupScene()
	default:
		switch k := rng.IntN(20); {
		case k < 9:
			cv.classroomScene()
		case k < 13:
			cv.lecturerScene()
		case k < 16:
			cv.labScene()
		default:
			cv.closeScene()
		}
	}
	return cv.finish()
}
