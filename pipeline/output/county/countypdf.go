package county

import (
	"fmt"
	"math"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// CountyFile is the file name of the county summary at the outbox root.
const CountyFile = "全县汇总.pdf"

// countyWords is templates/report/county.yaml.
type countyWords struct {
	Title                string `yaml:"title"`
	Subtitle             string `yaml:"subtitle"`
	TileClasses          string `yaml:"tile_classes"`
	TileClassesUnit      string `yaml:"tile_classes_unit"`
	TilePassed           string `yaml:"tile_passed"`
	TilePassedNote       string `yaml:"tile_passed_note"`
	TileTrained          string `yaml:"tile_trained"`
	TileTrainedUnit      string `yaml:"tile_trained_unit"`
	TileTrainedNote      string `yaml:"tile_trained_note"`
	TileCoverage         string `yaml:"tile_coverage"`
	TileCoverageNote     string `yaml:"tile_coverage_note"`
	TileCoverageNone     string `yaml:"tile_coverage_none"`
	TileCoverageNoneNote string `yaml:"tile_coverage_none_note"`
	ChartTitle           string `yaml:"chart_title"`
	ChartEmpty           string `yaml:"chart_empty"`
	MonthLabel           string `yaml:"month_label"`
	YearLabel            string `yaml:"year_label"`
	StatesTitle          string `yaml:"states_title"`
	AttentionTitle       string `yaml:"attention_title"`
	AttentionNone        string `yaml:"attention_none"`
	AttentionRectify     string `yaml:"attention_rectify"`
	AttentionOverdue     string `yaml:"attention_overdue"`
	AttentionVetoed      string `yaml:"attention_vetoed"`
	AttentionMore        string `yaml:"attention_more"`
	ListSep              string `yaml:"list_sep"`
	Footer               string `yaml:"footer"`
}

// stateColor is the colour of a standing in the state bar.
func stateColor(s yanshou.State) pdfdoc.RGB {
	switch s {
	case yanshou.StateArchived:
		return colPass
	case yanshou.StateRectified:
		return pdfdoc.RGB{R: 0x8C, G: 0xC0, B: 0x84}
	case yanshou.StateRetrained:
		return pdfdoc.RGB{R: 0x3A, G: 0x9A, B: 0x9A}
	case yanshou.StateRectify:
		return colFail
	case yanshou.StateOverdue:
		return pdfdoc.RGB{R: 0x8B, G: 0x1E, B: 0x1E}
	case yanshou.StateVetoed:
		return colVeto
	}
	return colLight
}

// WriteCounty writes the one-page county summary to path: four headline figures,
// a bar chart of classes per month by verdict, a bar of the classes' standings,
// and the institutions with open rectifications or vetoes.
func WriteCounty(path string, s *Summary, cfg *yanshou.Config) error {
	var w countyWords
	if err := templates.Load(cfg.Templates, "report/county.yaml", &w); err != nil {
		return err
	}
	f := &templates.Filler{}
	title := f.Do(w.Title, map[string]any{"County": cfg.County})
	d, err := newDoc(cfg, path)
	if err != nil {
		return err
	}
	today := s.Today.In(cfg.Location)

	// Title.
	d.SetColor(colInk)
	d.TextCenter(pageW/2, 42, title, 19)
	d.SetColor(colGrey)
	d.TextCenter(pageW/2, 70, f.Do(w.Subtitle, map[string]any{"Today": today.Format("2006年1月2日"), "Office": cfg.Office}), 9.5)
	d.Line(margin, 88, pageW-margin, 88, 0.8, colBlue)

	// Headline figures.
	passShare := 0.0
	if s.Classes > 0 {
		passShare = float64(s.Passed) / float64(s.Classes)
	}
	type tile struct {
		label, value, unit, note string
		color                    pdfdoc.RGB
	}
	tiles := []tile{
		{w.TileClasses, fmt.Sprint(s.Classes), w.TileClassesUnit, "", colBlue},
		{w.TilePassed, fmt.Sprint(s.Passed), w.TileClassesUnit, f.Do(w.TilePassedNote, map[string]any{"Share": zh.PercentFixed(passShare)}), colPass},
		{w.TileTrained, fmt.Sprint(s.Trained), w.TileTrainedUnit, f.Do(w.TileTrainedNote, map[string]any{"Approved": s.Approved, "Poor": s.Poor}), colBlue},
	}
	if s.Coverage != nil {
		c := colPass
		if s.Coverage.Rate() < 1 {
			c = colFail
		}
		tiles = append(tiles, tile{w.TileCoverage, zh.PercentFixed(s.Coverage.Rate()), "",
			f.Do(w.TileCoverageNote, map[string]any{"Trained": len(s.Coverage.Trained), "Members": s.Coverage.Members}), c})
	} else {
		tiles = append(tiles, tile{w.TileCoverage, "—", "", w.TileCoverageNoneNote, colGrey})
	}
	const gap, tileH, tileY = 10.0, 78.0, 100.0
	tileW := (pageW - 2*margin - 3*gap) / 4
	for i, t := range tiles {
		x := margin + float64(i)*(tileW+gap)
		d.Box(x, tileY, tileW, tileH, colPanel)
		d.Box(x, tileY, 4, tileH, t.color)
		d.SetColor(colGrey)
		d.Text(x+12, tileY+9, t.label, 9.5)
		d.SetColor(t.color)
		d.Text(x+12, tileY+26, t.value, 24)
		if t.unit != "" {
			d.SetColor(colGrey)
			d.Text(x+14+d.TextWidth(t.value, 24), tileY+37, t.unit, 10)
		}
		d.SetColor(colGrey)
		for i, l := range d.Lines(t.note, 7.5, tileW-16) {
			if i == 2 {
				break
			}
			d.Text(x+12, tileY+56+float64(i)*10, l, 7.5)
		}
	}
	if s.Coverage == nil {
		// The "not configured" wording sits under the dash.
		x := margin + 3*(tileW+gap)
		d.Text(x+40, tileY+36, w.TileCoverageNone, 9)
	}

	// Chart of classes per month by verdict.
	chartY := 200.0
	d.SetColor(colInk)
	d.Text(margin, chartY, w.ChartTitle, 12.5)
	legendX := pageW - margin
	for _, v := range []yanshou.Verdict{yanshou.Veto, yanshou.Fail, yanshou.Pass} {
		label := v.Chinese()
		legendX -= d.TextWidth(label, 9) + 4
		d.SetColor(colInk)
		d.Text(legendX, chartY+3, label, 9)
		legendX -= 12
		d.Box(legendX, chartY+4, 9, 9, pdfdoc.RGBOf(v.Colour()))
		legendX -= 10
	}
	drawChart(d, f, &w, s.Months, margin, chartY+28, pageW-2*margin, 250)

	// Standings.
	stY := 510.0
	d.SetColor(colInk)
	d.Text(margin, stY, w.StatesTitle, 12.5)
	drawStates(d, s, margin, stY+24, pageW-2*margin)

	// Institutions needing attention.
	atY := 606.0
	d.SetColor(colInk)
	d.Text(margin, atY, w.AttentionTitle, 12.5)
	y := atY + 24
	const lineH = 17.0
	if len(s.Attention) == 0 {
		d.SetColor(colPass)
		d.Text(margin+4, y, w.AttentionNone, 10)
	}
	room := int((pageH - 70 - y) / lineH)
	for i, a := range s.Attention {
		if i == room-1 && len(s.Attention) > room {
			d.SetColor(colGrey)
			d.Text(margin+4, y, f.Do(w.AttentionMore, map[string]any{"N": len(s.Attention) - i}), 9.5)
			break
		}
		var items []string
		if a.Vetoed > 0 {
			items = append(items, f.Do(w.AttentionVetoed, map[string]any{"N": a.Vetoed}))
		}
		if a.Overdue > 0 {
			items = append(items, f.Do(w.AttentionOverdue, map[string]any{"N": a.Overdue}))
		}
		if a.Rectify > 0 {
			items = append(items, f.Do(w.AttentionRectify, map[string]any{"N": a.Rectify, "Deadline": a.Deadline.String()}))
		}
		c := colFail
		if a.Vetoed > 0 || a.Overdue > 0 {
			c = colVeto
		}
		d.Box(margin+4, y+3, 6, 6, c)
		d.SetColor(colInk)
		name := d.Fit(a.Institution, 10, 200)
		d.Text(margin+16, y, name, 10)
		d.SetColor(c)
		d.Text(margin+222, y, d.Fit(strings.Join(items, w.ListSep), 9.5, pageW-2*margin-222), 9.5)
		y += lineH
	}

	d.Line(margin, pageH-48, pageW-margin, pageH-48, 0.4, colLight)
	d.SetColor(colGrey)
	d.TextCenter(pageW/2, pageH-42, f.Do(w.Footer, map[string]any{"Now": s.Now.In(cfg.Location).Format("2006-01-02 15:04")}), 8)
	if f.Err != nil {
		return f.Err
	}
	return d.Save(path, pdfdoc.Info{Title: title, Author: cfg.Office})
}

// niceStep picks an axis step (1, 2 or 5 × 10ⁿ) giving at most five gridlines.
func niceStep(max int) int {
	if max <= 5 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if max <= 5*m*p {
				return m * p
			}
		}
	}
}

func drawChart(d *pdfdoc.Doc, f *templates.Filler, w *countyWords, months []Month, x, y, width, height float64) {
	const axisW, labelH = 26.0, 30.0
	plotX, plotW, plotH := x+axisW, width-axisW, height-labelH
	base := y + plotH
	if len(months) == 0 {
		d.Frame(plotX, y, plotW, plotH, 0.5, colLight)
		d.SetColor(colGrey)
		d.TextCenter(plotX+plotW/2, y+plotH/2-6, w.ChartEmpty, 11)
		return
	}
	top := 0
	for _, m := range months {
		top = max(top, m.Total())
	}
	step := niceStep(top)
	ticks := (top + step - 1) / step
	if ticks == 0 {
		ticks = 1
	}
	scaleMax := float64(ticks * step)
	for i := 0; i <= ticks; i++ {
		gy := base - float64(i)/float64(ticks)*plotH
		c := colLight
		if i == 0 {
			c = colGrey
		}
		d.Line(plotX, gy, plotX+plotW, gy, 0.5, c)
		d.SetColor(colGrey)
		d.TextRight(plotX-5, gy-4.5, fmt.Sprint(i*step), 8)
	}
	slot := plotW / float64(len(months))
	barW := math.Min(slot*0.62, 46)
	for i, m := range months {
		bx := plotX + float64(i)*slot + (slot-barW)/2
		yy := base
		for _, part := range []struct {
			n int
			v yanshou.Verdict
		}{{m.Pass, yanshou.Pass}, {m.Fail, yanshou.Fail}, {m.Veto, yanshou.Veto}} {
			if part.n == 0 {
				continue
			}
			h := float64(part.n) / scaleMax * plotH
			d.Box(bx, yy-h, barW, h, pdfdoc.RGBOf(part.v.Colour()))
			if h >= 12 && barW >= 14 {
				d.GP.SetTextColor(255, 255, 255)
				d.TextCenter(bx+barW/2, yy-h/2-4, fmt.Sprint(part.n), 8)
			}
			yy -= h
		}
		if m.Total() > 0 {
			d.SetColor(colInk)
			d.TextCenter(bx+barW/2, yy-12, fmt.Sprint(m.Total()), 8.5)
		}
		d.SetColor(colInk)
		d.TextCenter(plotX+float64(i)*slot+slot/2, base+5, f.Do(w.MonthLabel, map[string]any{"Month": int(m.Month)}), 8.5)
		if i == 0 || m.Month == time.January {
			d.SetColor(colGrey)
			d.TextCenter(plotX+float64(i)*slot+slot/2, base+17, f.Do(w.YearLabel, map[string]any{"Year": m.Year}), 7.5)
		}
	}
}

func drawStates(d *pdfdoc.Doc, s *Summary, x, y, width float64) {
	const barH = 20.0
	if s.Classes == 0 {
		d.Frame(x, y, width, barH, 0.5, colLight)
		return
	}
	bx := x
	for _, st := range States {
		n := s.ByState[st]
		if n == 0 {
			continue
		}
		w := float64(n) / float64(s.Classes) * width
		d.Box(bx, y, w, barH, stateColor(st))
		if label := fmt.Sprint(n); w >= d.TextWidth(label, 9)+4 {
			d.GP.SetTextColor(255, 255, 255)
			d.TextCenter(bx+w/2, y+5, label, 9)
		}
		bx += w
	}
	// Legend: every standing, with its count (zero included, so the reader sees
	// that there is none).
	lx, ly := x, y+barH+10
	for _, st := range States {
		label := fmt.Sprintf("%s %d", st, s.ByState[st])
		lw := d.TextWidth(label, 9) + 26
		if lx+lw > x+width {
			lx, ly = x, ly+15
		}
		d.Box(lx, ly+1, 9, 9, stateColor(st))
		d.SetColor(colInk)
		d.Text(lx+13, ly, label, 9)
		lx += lw
	}
}
