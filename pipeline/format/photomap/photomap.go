// Package photomap draws the two pictures of the verdict report's photo
// evidence: a map of where the photos were taken — the venue and its radius,
// each photo as a numbered dot, a scale bar and a north arrow, drawn in pure Go
// with no map tiles — and a timeline strip of the photo times against the
// training days. Dots are numbered by the photo's position in the slice given
// (1-based), so that they match the rows of the report's photo table; colours
// tell the photo's status (see Good, Doubt, Bad). Text in the pictures is ASCII
// only (numbers, dates, metres); the Chinese caption and legend belong to the
// document that embeds them.
package photomap

import (
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"yanshou"
)

// Status colours of dots and ticks, for a legend drawn by the embedding document.
var (
	Good  = color.RGBA{0x2e, 0x7d, 0x32, 0xff} // green: time and place verified
	Doubt = color.RGBA{0xef, 0x8f, 0x00, 0xff} // amber: time or place unknown
	Bad   = color.RGBA{0xc6, 0x28, 0x28, 0xff} // red: outside the window, the venue or the county, or reused

	venueFill   = color.RGBA{0x1e, 0x88, 0xe5, 0x30}
	venueLine   = color.RGBA{0x15, 0x65, 0xc0, 0xff}
	paper       = color.RGBA{0xff, 0xff, 0xff, 0xff}
	ink         = color.RGBA{0x21, 0x21, 0x21, 0xff}
	gridInk     = color.RGBA{0xe3, 0xe6, 0xea, 0xff}
	dayFill     = color.RGBA{0xe3, 0xf2, 0xfd, 0xff}
	dayFillAlt  = color.RGBA{0xd0, 0xe8, 0xfb, 0xff}
	slackFill   = color.RGBA{0xf3, 0xf3, 0xf3, 0xff}
	outsideFill = color.RGBA{0xfd, 0xec, 0xea, 0xff}
	gridDark    = color.RGBA{0x90, 0x96, 0x9c, 0xff}
	paperVeil   = color.RGBA{0xff, 0xff, 0xff, 0xd0}
)

// Status is a photo's colour: Bad when it was judged outside the time window,
// the venue radius or the county, or repeats another photo; Good when its time
// is verified and its place is within the radius (or no venue is known but it
// is in the county); Doubt otherwise (no time, no GPS).
func Status(p *yanshou.Photo) color.RGBA {
	switch {
	case p.ReusedOf != "", p.InWindow != nil && !*p.InWindow, p.InVenue != nil && !*p.InVenue, p.InCounty != nil && !*p.InCounty:
		return Bad
	case p.Verified() && (p.InVenue != nil || (p.InCounty != nil && *p.InCounty)):
		return Good
	}
	return Doubt
}

// fonts are parsed once; a Face is made per picture (faces are not safe for
// concurrent use).
var (
	fontsOnce       sync.Once
	regular, bold   *opentype.Font
	errFontsInvalid error
)

func face(b bool, size float64) font.Face {
	fontsOnce.Do(func() {
		regular, errFontsInvalid = opentype.Parse(goregular.TTF)
		if errFontsInvalid == nil {
			bold, errFontsInvalid = opentype.Parse(gobold.TTF)
		}
	})
	if errFontsInvalid != nil {
		panic("photomap: built-in Go fonts unreadable: " + errFontsInvalid.Error())
	}
	f := regular
	if b {
		f = bold
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("photomap: " + err.Error())
	}
	return fc
}

// canvas is an RGBA picture with the few drawing operations the maps need, all
// anti-aliased by coverage.
type canvas struct {
	img *image.RGBA
}

func newCanvas(w, h int) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	c.rect(0, 0, float64(w), float64(h), paper)
	return c
}

// blend paints colour col over pixel (x, y) with coverage a (0..1).
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if !(image.Point{x, y}.In(c.img.Rect)) || a <= 0 {
		return
	}
	a = math.Min(a, 1) * float64(col.A) / 255
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+4 : i+4]
	p[0] = uint8(float64(p[0])*(1-a) + float64(col.R)*a + 0.5)
	p[1] = uint8(float64(p[1])*(1-a) + float64(col.G)*a + 0.5)
	p[2] = uint8(float64(p[2])*(1-a) + float64(col.B)*a + 0.5)
	p[3] = 255
}

// rect fills [x0,x1)×[y0,y1).
func (c *canvas) rect(x0, y0, x1, y1 float64, col color.RGBA) {
	b := c.img.Rect
	for y := max(int(math.Floor(y0)), b.Min.Y); y < min(int(math.Ceil(y1)), b.Max.Y); y++ {
		cy := math.Min(float64(y+1), y1) - math.Max(float64(y), y0)
		for x := max(int(math.Floor(x0)), b.Min.X); x < min(int(math.Ceil(x1)), b.Max.X); x++ {
			cx := math.Min(float64(x+1), x1) - math.Max(float64(x), x0)
			c.blend(x, y, col, cx*cy)
		}
	}
}

// disc fills a circle of radius r around (cx, cy).
func (c *canvas) disc(cx, cy, r float64, col color.RGBA) {
	c.ring(cx, cy, -1, r, col)
}

// ring fills the band between radii r0 and r1 (r0 < 0: a disc).
func (c *canvas) ring(cx, cy, r0, r1 float64, col color.RGBA) {
	b := c.img.Rect
	for y := max(int(cy-r1-1), b.Min.Y); y <= min(int(cy+r1+1), b.Max.Y-1); y++ {
		for x := max(int(cx-r1-1), b.Min.X); x <= min(int(cx+r1+1), b.Max.X-1); x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			a := math.Min(1, math.Max(0, r1-d+0.5))
			if r0 >= 0 {
				a = math.Min(a, math.Max(0, d-r0+0.5))
			}
			c.blend(x, y, col, a)
		}
	}
}

// line draws a segment of the given width.
func (c *canvas) line(x0, y0, x1, y1, w float64, col color.RGBA) {
	minX, maxX := math.Min(x0, x1)-w, math.Max(x0, x1)+w
	minY, maxY := math.Min(y0, y1)-w, math.Max(y0, y1)+w
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	b := c.img.Rect
	for y := max(int(minY), b.Min.Y); y <= min(int(maxY), b.Max.Y-1); y++ {
		for x := max(int(minX), b.Min.X); x <= min(int(maxX), b.Max.X-1); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-x0)*dx+(py-y0)*dy)/l2))
			}
			d := math.Hypot(px-(x0+t*dx), py-(y0+t*dy))
			c.blend(x, y, col, math.Min(1, math.Max(0, w/2-d+0.5)))
		}
	}
}

// polygon fills a convex or simple polygon by the even-odd rule, 4×4 supersampled.
func (c *canvas) polygon(pts [][2]float64, col color.RGBA) {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	inside := func(x, y float64) bool {
		in := false
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			a, b := pts[i], pts[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
		return in
	}
	b := c.img.Rect
	for y := max(int(minY), b.Min.Y); y <= min(int(maxY), b.Max.Y-1); y++ {
		for x := max(int(minX), b.Min.X); x <= min(int(maxX), b.Max.X-1); x++ {
			n := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					if inside(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			c.blend(x, y, col, float64(n)/16)
		}
	}
}

// anchor says where text sits relative to the point given.
type anchor int

const (
	leftBase anchor = iota // the point is the start of the baseline
	centre                 // the point is the middle of the text's box
	rightBase
	centreBase
)

// text draws s at (x, y) and returns its width in pixels.
func (c *canvas) text(fc font.Face, s string, x, y float64, a anchor, col color.RGBA) float64 {
	d := font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: fc}
	w := float64(d.MeasureString(s)) / 64
	m := fc.Metrics()
	switch a {
	case centre:
		x -= w / 2
		y += (float64(m.Ascent) - float64(m.Descent)) / 64 / 2
	case rightBase:
		x -= w
	case centreBase:
		x -= w / 2
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}
	d.DrawString(s)
	return w
}

// textWidth is the width of s in pixels.
func (c *canvas) textWidth(fc font.Face, s string) float64 {
	return float64(font.MeasureString(fc, s)) / 64
}

// halo draws s with a white outline so that it reads over dots and lines.
func (c *canvas) halo(fc font.Face, s string, x, y float64, a anchor, col color.RGBA) {
	for _, o := range [][2]float64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
		c.text(fc, s, x+o[0], y+o[1], a, paper)
	}
	c.text(fc, s, x, y, a, col)
}
