package photomap

import (
	"fmt"
	"image"
	"math"
	"sort"

	"golang.org/x/image/font"

	"yanshou"
)

// MapOptions sizes the map picture.
type MapOptions struct {
	Width, Height int // pixels; 0: 1200 × 900
}

// Dot is where one photo was drawn on the map.
type Dot struct {
	N         int     // the photo's number: its index in the slice + 1
	X, Y      float64 // centre of the dot, in pixels
	TrueX     float64 // where the photo's position is (the dot is moved aside when dots would overlap)
	TrueY     float64
	Off       bool    // too far to show: drawn at the edge, pointing its way
	DistanceM float64 // from the map's centre (the venue when known)
}

// MapInfo says what the map shows, for the caption of the embedding document.
type MapInfo struct {
	Dots           []Dot
	NoGPS          []int          // numbers of photos without a position (not drawn)
	Centre         yanshou.LatLon // the venue, or the median of the photos' positions
	VenueShown     bool
	MetresPerPixel float64
	ScaleM         float64 // length of the scale bar
}

const (
	earthRadiusM = 6371008.8
	dotRadius    = 13.0
)

// Map draws the photos' positions around the venue (WGS-84; nil when unknown)
// with its radius in metres. North is up. The map spans the venue radius and the
// photos near it; photos much farther away (more than six radii, at least 3 km)
// are drawn at the edge as arrows with their distance. Without a venue the map
// centres on the median position of the photos.
func Map(photos []yanshou.Photo, venue *yanshou.LatLon, radiusM float64, opt MapOptions) (*image.RGBA, MapInfo) {
	w, h := opt.Width, opt.Height
	if w <= 0 || h <= 0 {
		w, h = 1200, 900
	}
	c := newCanvas(w, h)
	var info MapInfo
	type placed struct {
		n           int
		east, north float64
		d           float64
		p           *yanshou.Photo
	}
	var pts []placed
	var lats, lons []float64
	for i := range photos {
		p := &photos[i]
		if p.Lat == nil || p.Lon == nil || math.IsNaN(*p.Lat) || math.IsNaN(*p.Lon) {
			info.NoGPS = append(info.NoGPS, i+1)
			continue
		}
		lats, lons = append(lats, *p.Lat), append(lons, *p.Lon)
		pts = append(pts, placed{n: i + 1, p: p})
	}
	switch {
	case venue != nil:
		info.Centre, info.VenueShown = *venue, true
	case len(pts) > 0:
		ref := lons[0]
		for i := range lons { // relative to the first, so that ±180° does not split them
			lons[i] = wrapLon(lons[i] - ref)
		}
		info.Centre = yanshou.LatLon{Lat: median(lats), Lon: wrapLon(ref + median(lons))}
	}
	cosLat := math.Cos(info.Centre.Lat * math.Pi / 180)
	for i := range pts {
		p := pts[i].p
		pts[i].north = (*p.Lat - info.Centre.Lat) * math.Pi / 180 * earthRadiusM
		pts[i].east = wrapLon(*p.Lon-info.Centre.Lon) * math.Pi / 180 * earthRadiusM * cosLat
		pts[i].d = haversine(info.Centre, yanshou.LatLon{Lat: *p.Lat, Lon: *p.Lon})
	}

	// The extent: the venue radius and the photos within the limit.
	ext := 300.0
	limit := math.Inf(1)
	if venue != nil && radiusM > 0 {
		ext = radiusM * 1.3
		limit = math.Max(radiusM*6, 3000)
	} else if len(pts) > 0 {
		ds := make([]float64, len(pts))
		for i := range pts {
			ds[i] = pts[i].d
		}
		sort.Float64s(ds)
		limit = math.Max(3000, 4*ds[len(ds)*3/4])
	}
	for _, p := range pts {
		if p.d <= limit {
			ext = math.Max(ext, p.d*1.12)
		}
	}
	const margin = 24.0
	half := math.Min(float64(w), float64(h))/2 - margin - dotRadius
	mpp := ext / half
	info.MetresPerPixel = mpp
	cx, cy := float64(w)/2, float64(h)/2
	toPx := func(east, north float64) (float64, float64) { return cx + east/mpp, cy - north/mpp }

	// Grid at the scale bar's step, then the venue.
	step := niceStep(mpp * float64(w) / 5)
	info.ScaleM = step
	for k := -math.Ceil(float64(w)*mpp/2/step) - 1; k*step <= float64(w)*mpp/2+step; k++ {
		x, _ := toPx(k*step, 0)
		c.line(x, 0, x, float64(h), 1, gridInk)
	}
	for k := -math.Ceil(float64(h)*mpp/2/step) - 1; k*step <= float64(h)*mpp/2+step; k++ {
		_, y := toPx(0, k*step)
		c.line(0, y, float64(w), y, 1, gridInk)
	}
	small, label := face(false, 15), face(true, 13)
	if venue != nil {
		if radiusM > 0 {
			r := radiusM / mpp
			c.disc(cx, cy, r, venueFill)
			c.ring(cx, cy, r-1.5, r+1.5, venueLine)
			c.halo(small, "r = "+metres(radiusM), cx+r*0.72+6, cy-r*0.72-6, leftBase, venueLine)
		}
		c.line(cx-10, cy, cx+10, cy, 3, venueLine)
		c.line(cx, cy-10, cx, cy+10, 3, venueLine)
	}

	// Dots: those in view first (moved aside where they would overlap, with a
	// leader to their true place), then arrows at the edge for the far ones.
	var taken [][2]float64
	free := func(x, y float64) bool {
		for _, t := range taken {
			if math.Hypot(t[0]-x, t[1]-y) < 2*dotRadius+2 {
				return false
			}
		}
		return true
	}
	inner := image.Rect(int(margin), int(margin), w-int(margin), h-int(margin))
	for _, p := range pts {
		tx, ty := toPx(p.east, p.north)
		dot := Dot{N: p.n, TrueX: tx, TrueY: ty, DistanceM: p.d}
		in := tx >= float64(inner.Min.X) && tx <= float64(inner.Max.X) && ty >= float64(inner.Min.Y) && ty <= float64(inner.Max.Y)
		if !in {
			dot.Off = true
			dot.X, dot.Y = edgePoint(cx, cy, tx-cx, ty-cy, inner)
			info.Dots = append(info.Dots, dot)
			continue
		}
		x, y := tx, ty
		for k := 1; k < 400 && !free(x, y); k++ {
			a := float64(k) * 0.9
			r := (2*dotRadius + 2) * (0.5 + a/(2*math.Pi)*0.45)
			x, y = tx+r*math.Cos(a), ty+r*math.Sin(a)
		}
		taken = append(taken, [2]float64{x, y})
		dot.X, dot.Y = x, y
		info.Dots = append(info.Dots, dot)
	}
	for _, d := range info.Dots {
		if !d.Off && (d.X != d.TrueX || d.Y != d.TrueY) {
			c.line(d.TrueX, d.TrueY, d.X, d.Y, 1.5, ink)
			c.disc(d.TrueX, d.TrueY, 2.5, ink)
		}
	}
	for _, d := range info.Dots {
		col := Status(&photos[d.N-1])
		if d.Off {
			ang := math.Atan2(d.TrueY-cy, d.TrueX-cx)
			tip := [2]float64{d.X + 14*math.Cos(ang), d.Y + 14*math.Sin(ang)}
			l := [2]float64{d.X + 12*math.Cos(ang+2.4), d.Y + 12*math.Sin(ang+2.4)}
			r := [2]float64{d.X + 12*math.Cos(ang-2.4), d.Y + 12*math.Sin(ang-2.4)}
			c.polygon([][2]float64{tip, l, r}, col)
			// The label sits on the inward side of the arrow.
			lx, ly := d.X-30*math.Cos(ang), d.Y-30*math.Sin(ang)
			c.halo(small, fmt.Sprintf("%d: %s", d.N, metres(d.DistanceM)), lx, ly, centre, col)
			continue
		}
		c.disc(d.X, d.Y, dotRadius+2, paper)
		c.disc(d.X, d.Y, dotRadius, col)
		c.text(label, fmt.Sprint(d.N), d.X, d.Y, centre, paper)
	}

	drawScaleBar(c, small, step, mpp, margin, float64(h)-margin)
	drawNorthArrow(c, face(true, 18), float64(w)-margin-20, margin+8)
	c.rect(0, 0, float64(w), 1.5, ink)
	c.rect(0, float64(h)-1.5, float64(w), float64(h), ink)
	c.rect(0, 0, 1.5, float64(h), ink)
	c.rect(float64(w)-1.5, 0, float64(w), float64(h), ink)
	return c.img, info
}

// edgePoint is where the ray from (cx, cy) in direction (dx, dy) leaves r, moved
// in by a little.
func edgePoint(cx, cy, dx, dy float64, r image.Rectangle) (float64, float64) {
	in := 18.0
	t := math.Inf(1)
	if dx > 0 {
		t = math.Min(t, (float64(r.Max.X)-in-cx)/dx)
	} else if dx < 0 {
		t = math.Min(t, (float64(r.Min.X)+in-cx)/dx)
	}
	if dy > 0 {
		t = math.Min(t, (float64(r.Max.Y)-in-cy)/dy)
	} else if dy < 0 {
		t = math.Min(t, (float64(r.Min.Y)+in-cy)/dy)
	}
	if math.IsInf(t, 1) {
		return cx, cy
	}
	return cx + t*dx, cy + t*dy
}

// drawScaleBar draws a bar of step metres, in four alternating parts, with its
// left end at (x, y).
func drawScaleBar(c *canvas, fc font.Face, step, mpp, x, y float64) {
	l := step / mpp
	const bh = 8.0
	top := y - bh - 4
	c.rect(x-6, top-24, x+l+6+c.textWidth(fc, metres(step))/2, y+2, paperVeil)
	for k := 0; k < 4; k++ {
		col := ink
		if k%2 == 1 {
			col = paper
		}
		c.rect(x+float64(k)*l/4, top, x+float64(k+1)*l/4, top+bh, col)
	}
	c.rect(x, top, x+l, top+1, ink)
	c.rect(x, top+bh-1, x+l, top+bh, ink)
	c.rect(x, top, x+1, top+bh, ink)
	c.rect(x+l-1, top, x+l, top+bh, ink)
	c.text(fc, "0", x, top-5, centreBase, ink)
	c.text(fc, metres(step), x+l, top-5, centreBase, ink)
}

// drawNorthArrow draws an arrow pointing up with an N above it, centred on x.
func drawNorthArrow(c *canvas, fc font.Face, x, y float64) {
	c.disc(x, y+30, 24, paperVeil)
	c.polygon([][2]float64{{x, y + 8}, {x - 11, y + 46}, {x, y + 38}}, ink)
	c.polygon([][2]float64{{x, y + 8}, {x + 11, y + 46}, {x, y + 38}}, gridDark)
	c.text(fc, "N", x, y+4, centreBase, ink)
}

// niceStep rounds m to 1, 2 or 5 × a power of ten metres.
func niceStep(m float64) float64 {
	if m <= 0 || math.IsNaN(m) || math.IsInf(m, 0) {
		return 100
	}
	p := math.Pow(10, math.Floor(math.Log10(m)))
	for _, k := range []float64{1, 2, 5, 10} {
		if k*p >= m*0.8 {
			return k * p
		}
	}
	return 10 * p
}

// metres writes a distance as "350 m", "1.2 km" or "152 km".
func metres(m float64) string {
	switch {
	case m < 1000:
		return fmt.Sprintf("%.0f m", m)
	case m < 10000:
		return trimZero(fmt.Sprintf("%.1f", m/1000)) + " km"
	}
	return fmt.Sprintf("%.0f km", m/1000)
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// wrapLon brings a longitude difference into (−180, 180].
func wrapLon(d float64) float64 {
	for d > 180 {
		d -= 360
	}
	for d <= -180 {
		d += 360
	}
	return d
}

// haversine is the great-circle distance in metres.
func haversine(a, b yanshou.LatLon) float64 {
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dLat, dLon := la2-la1, wrapLon(b.Lon-a.Lon)*math.Pi/180
	s := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(s)))
}
