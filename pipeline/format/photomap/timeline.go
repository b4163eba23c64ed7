package photomap

import (
	"fmt"
	"image"
	"math"
	"time"

	"yanshou"
)

// TimelineOptions sizes the timeline strip.
type TimelineOptions struct {
	Width  int // pixels; 0: 1600
	Height int // pixels; 0: as many rows of dots as the photos need (at most 10)
}

// Tick is where one photo was drawn on the timeline.
type Tick struct {
	N   int       // the photo's number: its index in the slice + 1
	X   float64   // of the photo's time on the axis (clamped to the ends when Off)
	Y   float64   // centre of its dot
	At  time.Time // the photo's time, in the county zone
	Off bool      // before or after the whole axis: drawn at the end, pointing out
}

// TimelineInfo says what the strip shows.
type TimelineInfo struct {
	Ticks    []Tick
	NoTime   []int     // numbers of photos without a time (not drawn)
	From, To time.Time // the axis
}

// Timeline draws the photos' times against the training days: each day of the
// class from start to end is a band, the allowed slack before and after is grey,
// anything beyond is pink, and each photo is a numbered dot above its time.
// Times are shown in loc (the county zone). Without dates (zero start or end)
// the axis spans the photos' times and no bands are drawn.
func Timeline(photos []yanshou.Photo, start, end yanshou.Date, slack time.Duration, loc *time.Location, opt TimelineOptions) (*image.RGBA, TimelineInfo) {
	if loc == nil {
		loc = time.Local
	}
	var info TimelineInfo
	type item struct {
		n int
		t time.Time
	}
	var items []item
	var tMin, tMax time.Time
	for i := range photos {
		p := &photos[i]
		if p.Taken == nil {
			info.NoTime = append(info.NoTime, i+1)
			continue
		}
		t := p.Taken.In(loc)
		items = append(items, item{i + 1, t})
		if tMin.IsZero() || t.Before(tMin) {
			tMin = t
		}
		if tMax.IsZero() || t.After(tMax) {
			tMax = t
		}
	}
	dated := !start.IsZero() && !end.IsZero() && !end.Before(start.Time)
	var dayFrom, dayTo time.Time // the training days, midnight to midnight
	if dated {
		y, m, d := start.Date()
		dayFrom = time.Date(y, m, d, 0, 0, 0, 0, loc)
		y, m, d = end.Date()
		dayTo = time.Date(y, m, d, 0, 0, 0, 0, loc).AddDate(0, 0, 1)
		span := dayTo.Sub(dayFrom) + 2*slack
		pad := max(span/12, 3*time.Hour)
		info.From, info.To = dayFrom.Add(-slack-pad), dayTo.Add(slack+pad)
	} else if len(items) > 0 {
		pad := max(tMax.Sub(tMin)/12, time.Hour)
		info.From, info.To = tMin.Add(-pad), tMax.Add(pad)
	} else {
		now := time.Date(2000, 1, 1, 0, 0, 0, 0, loc)
		info.From, info.To = now, now.AddDate(0, 0, 1)
	}

	w := opt.Width
	if w <= 0 {
		w = 1600
	}
	const (
		left, right = 24.0, 24.0
		rowH        = 2*dotRadius + 4
		axisGap     = 44.0 // below the axis: hour and date labels
		topGap      = 14.0
	)
	x0, x1 := left, float64(w)-right
	span := info.To.Sub(info.From).Seconds()
	xOf := func(t time.Time) float64 { return x0 + (x1-x0)*t.Sub(info.From).Seconds()/span }

	// Dots go into the lowest row where they do not overlap; the height follows.
	var rows [][]float64
	place := func(x float64) int {
		for r, xs := range rows {
			ok := true
			for _, o := range xs {
				if math.Abs(o-x) < 2*dotRadius+3 {
					ok = false
					break
				}
			}
			if ok {
				rows[r] = append(rows[r], x)
				return r
			}
		}
		if len(rows) < 10 {
			rows = append(rows, []float64{x})
			return len(rows) - 1
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], x)
		return len(rows) - 1
	}
	type drawn struct {
		tick Tick
		row  int
	}
	var ds []drawn
	for _, it := range items {
		tk := Tick{N: it.n, At: it.t, X: xOf(it.t)}
		if tk.X < x0 || tk.X > x1 {
			tk.Off = true
			tk.X = math.Max(x0+dotRadius, math.Min(x1-dotRadius, tk.X))
		}
		ds = append(ds, drawn{tk, place(tk.X)})
	}
	nRows := max(len(rows), 2)
	h := opt.Height
	if h <= 0 {
		h = int(topGap + float64(nRows)*rowH + 16 + axisGap)
	}
	axisY := float64(h) - axisGap
	c := newCanvas(w, h)

	// Bands: outside pink, slack grey, training days alternating blue.
	if dated {
		c.rect(x0, topGap/2, x1, axisY, outsideFill)
		c.rect(xOf(dayFrom.Add(-slack)), topGap/2, xOf(dayTo.Add(slack)), axisY, slackFill)
		for d, k := dayFrom, 0; d.Before(dayTo); d, k = d.AddDate(0, 0, 1), k+1 {
			fill := dayFill
			if k%2 == 1 {
				fill = dayFillAlt
			}
			c.rect(xOf(d), topGap/2, xOf(d.AddDate(0, 0, 1)), axisY, fill)
		}
	}
	c.rect(x0, axisY, x1, axisY+1.5, ink)

	// Hour ticks and day labels.
	small, dateFace, label := face(false, 13), face(true, 14), face(true, 13)
	hourPx := (x1 - x0) / (span / 3600)
	every := 6
	switch {
	case hourPx*3 >= 40:
		every = 3
	case hourPx*6 < 40:
		every = 12
	}
	first := time.Date(info.From.Year(), info.From.Month(), info.From.Day(), 0, 0, 0, 0, loc)
	for t := first; !t.After(info.To); t = t.Add(time.Duration(every) * time.Hour) {
		x := xOf(t)
		if x < x0 || x > x1 {
			continue
		}
		if t.Hour() == 0 {
			c.rect(x-0.75, topGap/2, x+0.75, axisY+8, gridDark)
			day := t.Format("2006-01-02")
			if dayW := hourPx * 24; dayW < 110 {
				day = t.Format("01-02")
			}
			c.text(dateFace, day, x+4, axisY+36, leftBase, ink)
		} else {
			c.rect(x-0.5, axisY, x+0.5, axisY+5, ink)
			c.text(small, fmt.Sprintf("%02d", t.Hour()), x, axisY+18, centreBase, gridDark)
		}
	}

	// Photos: stems first, so that no stem crosses another photo's dot.
	for i := range ds {
		d := &ds[i]
		col := Status(&photos[d.tick.N-1])
		d.tick.Y = axisY - 8 - dotRadius - float64(d.row)*rowH
		info.Ticks = append(info.Ticks, d.tick)
		c.line(d.tick.X, axisY, d.tick.X, d.tick.Y+dotRadius, 1.5, col)
		if d.tick.Off { // an arrow on the axis pointing out of the strip
			dir := 1.0
			if d.tick.X < (x0+x1)/2 {
				dir = -1
			}
			tip := d.tick.X + dir*(dotRadius+2)
			c.polygon([][2]float64{{tip + dir*8, axisY}, {tip, axisY - 7}, {tip, axisY + 7}}, col)
		}
	}
	for _, d := range ds {
		col := Status(&photos[d.tick.N-1])
		c.disc(d.tick.X, d.tick.Y, dotRadius+2, paper)
		c.disc(d.tick.X, d.tick.Y, dotRadius, col)
		c.text(label, fmt.Sprint(d.tick.N), d.tick.X, d.tick.Y, centre, paper)
	}
	c.rect(0, 0, float64(w), 1, gridDark)
	c.rect(0, float64(h)-1, float64(w), float64(h), gridDark)
	return c.img, info
}
