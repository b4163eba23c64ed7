// Package rephoto draws what a forger gets by photographing an old photo again
// instead of copying its file: the photo shown on a monitor and photographed
// with a phone (a bezel and the desk around it, the screen seen a few degrees
// off square, its gamma and colour, moiré from the pixel grid, a slight blur),
// or a print of it lying on a table (a white paper border, a warm cast and less
// contrast, a glare patch, perspective). The result is at a phone's size; the
// caller encodes it. Nothing is random but what the seed gives.
package rephoto

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
)

// Kind is the way the old photo was shown to the camera.
type Kind int

const (
	Screen Kind = iota // shown on a monitor
	Print              // printed on paper
)

// String names the kind (test logs).
func (k Kind) String() string {
	if k == Screen {
		return "re-photographed screen"
	}
	return "re-photographed print"
}

// Options is how the picture is taken again.
type Options struct {
	Width, Height int     // the phone photo's size (default 1600×1200)
	TiltDeg       float64 // how far the camera is off square, in degrees (default 4)
	Fill          float64 // the share of the frame's width the shown photo covers (default 0.82)
	Seed          uint64
	// Table is the colour (RGB 0–255) of the table a print lies on, lit
	// evenly; zero: a wooden table, darker than the paper and shaded.
	Table [3]float64
	// Without leaves out one effect of a print (NoGlare, NoCast), to measure
	// what each costs; the zero value draws them all.
	Without Effect
}

// Effect is a set of a print's effects that Options.Without leaves out.
type Effect int

const (
	NoGlare Effect = 1 << iota // the glare patch
	NoCast                     // the paper's smaller range and warm cast
)

func (o Options) withDefaults() Options {
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = 1600, 1200
	}
	if o.TiltDeg == 0 {
		o.TiltDeg = 4
	}
	if o.Fill <= 0 || o.Fill > 1 {
		o.Fill = 0.82
	}
	return o
}

// Take photographs src again as kind k.
func Take(src image.Image, k Kind, o Options) *image.RGBA {
	o = o.withDefaults()
	r := rand.New(rand.NewPCG(o.Seed, uint64(k)+7))
	quad := corners(src.Bounds(), o, r)
	H := float64(o.Height)
	sb := src.Bounds()
	aspect := float64(sb.Dy()) / float64(sb.Dx())
	// The frame's pixel → the shown picture's (u, v) in 0..1.
	h := homography(quad, [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}})
	out := image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))
	sample := bilinear(src)
	// The border around the shown picture (bezel or paper), in (u, v) units.
	border := 0.035
	if k == Print {
		border = 0.06
	}
	gx, gy, gr := 0.25+0.5*r.Float64(), 0.2+0.4*r.Float64(), 0.18 // the glare on a print
	phase := r.Float64() * 2 * math.Pi
	for y := 0; y < o.Height; y++ {
		for x := 0; x < o.Width; x++ {
			u, v := apply(h, float64(x)+0.5, float64(y)+0.5)
			var c [3]float64
			inside := u >= 0 && u <= 1 && v >= 0 && v <= 1
			framed := u >= -border && u <= 1+border && v >= -border*1.3 && v <= 1+border*1.3
			switch {
			case inside:
				c = sample(u, v)
				if k == Screen {
					for i := range c { // gamma, a blue cast, light falling off to the edges
						c[i] = 255 * math.Pow(c[i]/255, 1.15)
					}
					c[0], c[2] = c[0]*0.93, math.Min(255, c[2]*1.06+6)
					fall := 1 - 0.18*(math.Pow(2*u-1, 2)+math.Pow(2*v-1, 2))/2
					// Moiré: the monitor's pixel grid beating with the phone's sensor.
					m := 1 - 0.07*(0.5+0.5*math.Cos(2*math.Pi*(0.11*float64(x)+0.043*float64(y))+phase))*
						(0.5+0.5*math.Cos(2*math.Pi*(0.017*float64(x)-0.09*float64(y))))
					for i := range c {
						c[i] *= fall * m
					}
				} else if o.Without&NoCast == 0 {
					for i := range c { // the print's smaller range and warm paper
						c[i] = 22 + 0.84*c[i]
					}
					c[0], c[1], c[2] = math.Min(255, c[0]*1.05+4), c[1]*1.0, c[2]*0.86
				}
			case framed && k == Screen:
				c = [3]float64{18, 18, 20} // the bezel
			case framed:
				c = [3]float64{238, 232, 214} // the paper's white border
			default: // the desk or wall around, with a gradient
				g := 60 + 40*float64(y)/H
				if k == Print && o.Table != [3]float64{} {
					c = o.Table
				} else if k == Print {
					c = [3]float64{g * 1.6, g * 1.15, g * 0.7} // a wooden table
				} else {
					c = [3]float64{g, g * 0.97, g * 0.92}
				}
			}
			if k == Print && framed && o.Without&NoGlare == 0 {
				d := math.Hypot(u-gx, (v-gy)*aspect) / gr
				c[0] += 150 * math.Exp(-d*d)
				c[1] += 150 * math.Exp(-d*d)
				c[2] += 140 * math.Exp(-d*d)
			}
			n := (r.Float64()*2 - 1) * 3 // sensor noise
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = clamp(c[0]+n), clamp(c[1]+n), clamp(c[2]+n), 255
		}
	}
	return blur(out)
}

// Corners returns where Take(src, k, o) puts the corners of the shown picture
// in the frame (top left, top right, bottom right, bottom left; pixels).
func Corners(src image.Image, k Kind, o Options) [4][2]float64 {
	o = o.withDefaults()
	return corners(src.Bounds(), o, rand.New(rand.NewPCG(o.Seed, uint64(k)+7)))
}

// corners places the shown picture: a centred rectangle of the shown size,
// its corners moved as a camera a few degrees off square and turned a little
// sees them (one side nearer, so longer).
func corners(sb image.Rectangle, o Options, r *rand.Rand) [4][2]float64 {
	W, H := float64(o.Width), float64(o.Height)
	aspect := float64(sb.Dy()) / float64(sb.Dx())
	pw := o.Fill * W
	ph := pw * aspect
	if ph > 0.9*H {
		ph = 0.9 * H
		pw = ph / aspect
	}
	cx, cy := W/2+(r.Float64()*2-1)*0.02*W, H/2+(r.Float64()*2-1)*0.02*H
	t := math.Tan(o.TiltDeg * math.Pi / 180)
	keystone := t * 0.5 * ph // the far side shorter by this much each end
	spin := (r.Float64()*2 - 1) * 1.5 * math.Pi / 180
	cs := [4][2]float64{{-pw / 2, -ph / 2}, {pw / 2, -ph / 2}, {pw / 2, ph / 2}, {-pw / 2, ph / 2}}
	if r.IntN(2) == 0 { // left side farther
		cs[0][1] += keystone
		cs[3][1] -= keystone
	} else {
		cs[1][1] += keystone
		cs[2][1] -= keystone
	}
	var quad [4][2]float64
	for i, c := range cs {
		x := c[0]*math.Cos(spin) - c[1]*math.Sin(spin)
		y := c[0]*math.Sin(spin) + c[1]*math.Cos(spin)
		quad[i] = [2]float64{cx + x, cy + y}
	}
	return quad
}

func clamp(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }

// bilinear samples src at (u, v) in 0..1, RGB 0–255.
func bilinear(src image.Image) func(u, v float64) [3]float64 {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	rgb := make([]float64, 3*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			cr, cg, cb, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			rgb[3*(y*w+x)], rgb[3*(y*w+x)+1], rgb[3*(y*w+x)+2] = float64(cr>>8), float64(cg>>8), float64(cb>>8)
		}
	}
	return func(u, v float64) [3]float64 {
		fx, fy := math.Max(0, math.Min(float64(w)-1.001, u*float64(w)-0.5)), math.Max(0, math.Min(float64(h)-1.001, v*float64(h)-0.5))
		x0, y0 := int(fx), int(fy)
		ax, ay := fx-float64(x0), fy-float64(y0)
		var c [3]float64
		for k := 0; k < 3; k++ {
			p := func(x, y int) float64 { return rgb[3*(y*w+x)+k] }
			c[k] = (p(x0, y0)*(1-ax)+p(x0+1, y0)*ax)*(1-ay) + (p(x0, y0+1)*(1-ax)+p(x0+1, y0+1)*ax)*ay
		}
		return c
	}
}

// blur is a 3×3 box blur: the phone's focus and its noise reduction.
func blur(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Rect)
	w, h := m.Rect.Dx(), m.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s [3]int
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					i := m.PixOffset(xx, yy)
					s[0], s[1], s[2] = s[0]+int(m.Pix[i]), s[1]+int(m.Pix[i+1]), s[2]+int(m.Pix[i+2])
					n++
				}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255})
		}
	}
	return out
}

// homography solves for the projective map taking the four points from to the
// four points to (8 unknowns, h33 = 1).
func homography(from, to [4][2]float64) [9]float64 {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for c := 0; c < 8; c++ { // Gauss–Jordan with partial pivoting
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r == c || a[c][c] == 0 {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var hm [9]float64
	for i := 0; i < 8; i++ {
		hm[i] = a[i][8] / a[i][i]
	}
	hm[8] = 1
	return hm
}

func apply(h [9]float64, x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}
