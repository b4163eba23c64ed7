package render

import (
	"image"
	"image/color"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"yanshou"
	"yanshou/pipeline/format/photomap"
)

// Sizes of the photo section's pictures.
const (
	mapWidthPt    = 160 * 72 / 25.4 // the map: 160 mm wide (or the type width, if narrower)
	timelinePx    = 1200            // the timeline's width in pixels: its labels come out as large as the map's
	figureListMax = 20              // photo numbers listed as not drawn, at most
)

// photoFigures sets, before the photo table, the map of where the photos were
// taken and the strip of when, each with its legend. Numbers on both are the
// table's row numbers.
func photoFigures(d *doc, f *filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	p := w.Photos
	note := textStyle{size: sizeSmall, color: gray, lead: 1.5}
	hasGPS, hasTime := false, false
	for i := range r.Photos {
		hasGPS = hasGPS || (r.Photos[i].Lat != nil && r.Photos[i].Lon != nil)
		hasTime = hasTime || r.Photos[i].Taken != nil
	}

	// The map, kept whole on one page with its title and legend.
	if hasGPS {
		img, info := photomap.Map(r.Photos, r.Venue, r.VenueM, photomap.MapOptions{})
		wd := min(mapWidthPt, d.cw)
		indent := (d.cw - wd) / 2
		ht := figureHeight(img, wd)
		d.space(4)
		d.ensure(sizeBody*1.6 + ht + 4 + 4*sizeSmall*1.5)
		d.para(p.MapTitle, textStyle{size: sizeBody, bold: true, indent: indent, after: 2})
		d.figure(img, d.left+indent, wd, ht)
		d.space(4)
		legend(d, w, indent)
		note.indent = indent
		if r.Venue != nil {
			d.para(f.do(p.MapVenue, vars{"Radius": round(r.VenueM)}), note)
		}
		if len(info.NoGPS) > 0 {
			d.para(f.do(p.NotOnMap, vars{"N": len(info.NoGPS), "List": numberList(info.NoGPS, w.ListSep)}), note)
		}
	} else {
		d.para(p.MapNone, note)
	}
	if r.Venue == nil {
		d.para(p.NoVenue, note)
	}
	note.indent = 0

	// The timeline, page wide, against the class's days.
	c := classOf(r)
	switch {
	case c == nil:
		d.para(p.TimelineNone, note)
	case !hasTime:
		d.para(p.TimelineNoTime, note)
	default:
		var slack time.Duration
		var loc *time.Location
		if cfg != nil {
			slack, loc = cfg.Thresholds.PhotoTimeSlack, cfg.Location
		}
		img, info := photomap.Timeline(r.Photos, c.Start, c.End, slack, loc, photomap.TimelineOptions{Width: timelinePx})
		ht := figureHeight(img, d.cw)
		d.space(6)
		d.ensure(sizeBody*1.6 + ht + 4 + 4*sizeSmall*1.5)
		d.para(p.TimelineTitle, textStyle{size: sizeBody, bold: true, after: 2})
		d.figure(img, d.left, d.cw, ht)
		d.space(4)
		legend(d, w, 0)
		d.para(f.do(p.TimelineNote, vars{"Hours": strconv.FormatFloat(slack.Hours(), 'f', -1, 64)}), note)
		if len(info.NoTime) > 0 {
			d.para(f.do(p.NotOnTimeline, vars{"N": len(info.NoTime), "List": numberList(info.NoTime, w.ListSep)}), note)
		}
	}
	d.space(6)
}

// figureHeight is the height of img set wd points wide.
func figureHeight(img image.Image, wd float64) float64 {
	b := img.Bounds()
	if b.Dx() <= 0 {
		return 0
	}
	return wd * float64(b.Dy()) / float64(b.Dx())
}

// figure draws img at the cursor, wd × ht points with its left edge at x, and
// moves the cursor below it.
func (d *doc) figure(img image.Image, x, wd, ht float64) {
	d.fail(d.gp.ImageFrom(img, x, d.y, &gopdf.Rect{W: wd, H: ht}))
	d.y += ht
}

// legend sets the three status colours of the dots, each as a small square and
// its meaning, on one line (wrapping when the labels do not fit).
func legend(d *doc, w *reportWords, indent float64) {
	const size, lh = sizeSmall, sizeSmall * 1.6
	keys := []struct {
		c color.RGBA
		s string
	}{{photomap.Good, w.Photos.LegendGood}, {photomap.Doubt, w.Photos.LegendDoubt}, {photomap.Bad, w.Photos.LegendBad}}
	d.setSize(size)
	x0 := d.left + indent
	x := x0
	d.ensure(lh)
	for _, k := range keys {
		s := d.clean(k.s)
		kw := size*1.4 + d.width(s)
		if x > x0 && x+kw > d.left+d.cw {
			d.y += lh
			d.ensure(lh)
			x = x0
		}
		d.gp.SetFillColor(k.c.R, k.c.G, k.c.B)
		d.gp.RectFromUpperLeftWithStyle(x, d.y+(lh-size*0.8)/2, size*0.8, size*0.8, "F")
		d.setColor(black)
		d.draw(x+size*1.2, d.y+(lh-size)/2, s, false)
		x += kw + size*1.5
	}
	d.gp.SetFillColor(0, 0, 0)
	d.y += lh
}

// numberList joins photo numbers, the first figureListMax of them.
func numberList(ns []int, sep string) string {
	parts := make([]string, 0, min(len(ns), figureListMax))
	for i, n := range ns {
		if i == figureListMax {
			break
		}
		parts = append(parts, strconv.Itoa(n))
	}
	s := strings.Join(parts, sep)
	if len(ns) > figureListMax {
		s += "…"
	}
	return s
}
