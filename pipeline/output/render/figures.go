package render

import (
	"image"
	"image/color"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/photomap"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
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
func photoFigures(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	p := w.Photos
	note := pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray, Lead: 1.5}
	hasGPS, hasTime := false, false
	for i := range r.Photos {
		hasGPS = hasGPS || (r.Photos[i].Lat != nil && r.Photos[i].Lon != nil)
		hasTime = hasTime || r.Photos[i].Taken != nil
	}

	// The map, kept whole on one page with its title and legend.
	if hasGPS {
		img, info := photomap.Map(r.Photos, r.Venue, r.VenueM, photomap.MapOptions{})
		wd := min(mapWidthPt, d.CW)
		indent := (d.CW - wd) / 2
		ht := figureHeight(img, wd)
		d.Space(4)
		d.Ensure(sizeBody*1.6 + ht + 4 + 4*sizeSmall*1.5)
		d.Para(p.MapTitle, pdfdoc.TextStyle{Size: sizeBody, Bold: true, Indent: indent, After: 2})
		d.Figure(img, d.Left+indent, wd, ht)
		d.Space(4)
		legend(d, w, indent)
		note.Indent = indent
		if r.Venue != nil {
			d.Para(f.Do(p.MapVenue, vars{"Radius": zh.Whole(r.VenueM)}), note)
		}
		if len(info.NoGPS) > 0 {
			d.Para(f.Do(p.NotOnMap, vars{"N": len(info.NoGPS), "List": numberList(info.NoGPS, w.ListSep)}), note)
		}
	} else {
		d.Para(p.MapNone, note)
	}
	if r.Venue == nil {
		d.Para(p.NoVenue, note)
	}
	note.Indent = 0

	// The timeline, page wide, against the class's days.
	c := classOf(r)
	switch {
	case c == nil:
		d.Para(p.TimelineNone, note)
	case !hasTime:
		d.Para(p.TimelineNoTime, note)
	default:
		var slack time.Duration
		var loc *time.Location
		if cfg != nil {
			slack, loc = cfg.Thresholds.PhotoTimeSlack, cfg.Location
		}
		img, info := photomap.Timeline(r.Photos, c.Start, c.End, slack, loc, photomap.TimelineOptions{Width: timelinePx})
		ht := figureHeight(img, d.CW)
		d.Space(6)
		d.Ensure(sizeBody*1.6 + ht + 4 + 4*sizeSmall*1.5)
		d.Para(p.TimelineTitle, pdfdoc.TextStyle{Size: sizeBody, Bold: true, After: 2})
		d.Figure(img, d.Left, d.CW, ht)
		d.Space(4)
		legend(d, w, 0)
		d.Para(f.Do(p.TimelineNote, vars{"Hours": strconv.FormatFloat(slack.Hours(), 'f', -1, 64)}), note)
		if len(info.NoTime) > 0 {
			d.Para(f.Do(p.NotOnTimeline, vars{"N": len(info.NoTime), "List": numberList(info.NoTime, w.ListSep)}), note)
		}
	}
	d.Space(6)
}

// figureHeight is the height of img set wd points wide.
func figureHeight(img image.Image, wd float64) float64 {
	b := img.Bounds()
	if b.Dx() <= 0 {
		return 0
	}
	return wd * float64(b.Dy()) / float64(b.Dx())
}

// legend sets the three status colours of the dots, each as a small square and
// its meaning, on one line (wrapping when the labels do not fit).
func legend(d *pdfdoc.Doc, w *reportWords, indent float64) {
	const size, lh = sizeSmall, sizeSmall * 1.6
	keys := []struct {
		c color.RGBA
		s string
	}{{photomap.Good, w.Photos.LegendGood}, {photomap.Doubt, w.Photos.LegendDoubt}, {photomap.Bad, w.Photos.LegendBad}}
	d.SetSize(size)
	x0 := d.Left + indent
	x := x0
	d.Ensure(lh)
	for _, k := range keys {
		s := d.Clean(k.s)
		kw := size*1.4 + d.Width(s)
		if x > x0 && x+kw > d.Left+d.CW {
			d.Y += lh
			d.Ensure(lh)
			x = x0
		}
		d.GP.SetFillColor(k.c.R, k.c.G, k.c.B)
		d.GP.RectFromUpperLeftWithStyle(x, d.Y+(lh-size*0.8)/2, size*0.8, size*0.8, "F")
		d.SetColor(pdfdoc.Black)
		d.Draw(x+size*1.2, d.Y+(lh-size)/2, s, false)
		x += kw + size*1.5
	}
	d.GP.SetFillColor(0, 0, 0)
	d.Y += lh
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
