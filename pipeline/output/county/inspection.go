package county

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/templates"
)

// inspectionWords is templates/report/inspection.yaml.
type inspectionWords struct {
	Title  string `yaml:"title"`
	Header string `yaml:"header"`
	Number string `yaml:"number"`
	Fields struct {
		Institution string `yaml:"institution"`
		Period      string `yaml:"period"`
		Date        string `yaml:"date"`
		Place       string `yaml:"place"`
		Inspectors  string `yaml:"inspectors"`
		BlankDate   string `yaml:"blank_date"`
	} `yaml:"fields"`
	Period        string   `yaml:"period"`
	PeriodNone    string   `yaml:"period_none"`
	Totals        string   `yaml:"totals"`
	ClassesTitle  string   `yaml:"classes_title"`
	ClassesCont   string   `yaml:"classes_continued"`
	ContinuedHead string   `yaml:"continued_head"`
	ClassesHeader []string `yaml:"classes_header"`
	NoClasses     string   `yaml:"no_classes"`
	OpenTitle     string   `yaml:"open_title"`
	OpenNone      string   `yaml:"open_none"`
	OpenItem      string   `yaml:"open_item"`
	OpenDeadline  string   `yaml:"open_deadline"`
	OpenNoReasons string   `yaml:"open_no_reasons"`
	ContentTitle  string   `yaml:"content_title"`
	OpinionTitle  string   `yaml:"opinion_title"`
	BlankLines    int      `yaml:"blank_lines"`
	Signatures    struct {
		Inspector string `yaml:"inspector"`
		Inspected string `yaml:"inspected"`
		Date      string `yaml:"date"`
	} `yaml:"signatures"`
	Recorded     string `yaml:"recorded"`
	RecordedDate string `yaml:"recorded_date"`
	Signed       string `yaml:"signed"`
	SignedDate   string `yaml:"signed_date"`
	Note         string `yaml:"note"`
	Footer       string `yaml:"footer"`
}

// Inspection is what one inspection record form is made from.
type Inspection struct {
	Institution string
	Classes     []yanshou.ClassRecord // the institution's classes in the period, oldest first
	Today       time.Time
	Now         time.Time // when the form is made, printed in its footers
	Number      string    // its 文号 (see yanshou.Config.DocNumber); "": a number made from the day and institution
	// Recorded is the inspection the office recorded on the review desk that
	// the form is filled from (the latest of the institution's classes in the
	// period): its date, place, inspectors, content, requirements and the
	// names and times signed. nil: the form is left blank for a pen.
	Recorded *yanshou.InspectionRecord
}

// InspectionFile names the inspection form of an institution (safe is the
// institution's name made safe for a file name).
func InspectionFile(safe string) string { return "电子商务培训检查记录表-" + safe + ".pdf" }

// classColumns are the widths of the class table's columns (points; sum 495).
var classColumns = []float64{28, 82, 112, 60, 56, 82, 75}

// WriteInspection writes 《电子商务培训检查记录表》 (第十五条) for one institution:
// pre-filled with its classes, verdicts, standings, deadlines and open
// rectifications, with blank lines for what the inspectors find and signature
// lines for the inspector and the inspected unit.
func WriteInspection(path string, in *Inspection, cfg *yanshou.Config) error {
	var w inspectionWords
	if err := templates.Load(cfg.Templates, "report/inspection.yaml", &w); err != nil {
		return err
	}
	if len(w.ClassesHeader) != len(classColumns) {
		return fmt.Errorf("模板 report/inspection.yaml：classes_header 应有 %d 列，实际 %d 列", len(classColumns), len(w.ClassesHeader))
	}
	f := &templates.Filler{}
	d, err := newDoc(cfg, path)
	if err != nil {
		return err
	}
	today := in.Today.In(cfg.Location)
	const bottom = pageH - 60
	contentW := pageW - 2*margin
	y := 0.0
	number := in.Number
	if number == "" {
		sum := sha256.Sum256([]byte(in.Institution))
		number = fmt.Sprintf("编号：JC%s-%X", today.Format("20060102"), sum[:2])
	}
	// A page after the first names the form it continues (续页), so that a
	// loose sheet is still known.
	contHead := f.Do(w.ContinuedHead, map[string]any{"Title": w.Title, "Institution": in.Institution, "Number": number})
	newPage := func() {
		d.NewPage()
		d.SetColor(colGrey)
		d.Text(margin, margin-24, contHead, 9)
		d.Line(margin, margin-10, pageW-margin, margin-10, 0.5, colGrey)
		d.SetColor(colInk)
		y = margin
	}
	ensure := func(h float64) {
		if y+h > bottom {
			newPage()
		}
	}
	para := func(s string, size, indent float64) {
		for _, l := range d.Lines(s, size, contentW-indent) {
			ensure(size + 6)
			d.Text(margin+indent, y, l, size)
			y += size + 6
		}
	}

	// 版头 of GB/T 9704: the 发文机关标志 in red, the 文号, a red rule.
	y = margin - 10 // the document starts on its first page
	d.SetFace(pdfdoc.FaceHei)
	d.SetColor(pdfdoc.Red)
	d.TextCenter(pageW/2, y, f.Do(w.Header, map[string]any{"Office": cfg.Office, "Mark": cfg.Mark()}), 22)
	y += 32
	d.SetFace(pdfdoc.FaceSong)
	d.SetColor(colInk)
	d.TextCenter(pageW/2, y, f.Do(w.Number, map[string]any{"Number": number}), 11)
	y += 18
	d.Line(margin, y, pageW-margin, y, 1.5, pdfdoc.Red)
	y += 14
	d.SetFace(pdfdoc.FaceHei)
	d.SetColor(colInk)
	d.TextCenter(pageW/2, y, w.Title, 18)
	d.SetFace(pdfdoc.FaceSong)
	y += 34

	// The header grid.
	var pass, fail, veto, approved, trained, poor int
	var first, last yanshou.Date
	for _, c := range in.Classes {
		lv := c.Latest()
		switch lv.Verdict {
		case yanshou.Pass:
			pass++
		case yanshou.Fail:
			fail++
		case yanshou.Veto:
			veto++
		}
		approved += lv.Report.Attendance.Approved
		trained += lv.Report.Attendance.Trained
		poor += c.PoorTrained
		if first.IsZero() || c.Start.Before(first.Time) {
			first = c.Start
		}
		if last.IsZero() || c.End.After(last.Time) {
			last = c.End
		}
	}
	period := w.PeriodNone
	if len(in.Classes) > 0 {
		period = f.Do(w.Period, map[string]any{"Start": first.String(), "End": last.String(), "Classes": len(in.Classes)})
	}
	const rowH, labelW = 26.0, 90.0
	grid := func(cells ...string) { // label, value[, label, value]
		d.Frame(margin, y, contentW, rowH, 0.6, colInk)
		half := contentW / 2
		if len(cells) == 4 {
			d.Line(margin+half, y, margin+half, y+rowH, 0.6, colInk)
			d.Line(margin+half+labelW, y, margin+half+labelW, y+rowH, 0.6, colInk)
			d.SetColor(colInk)
			d.Text(margin+half+6, y+8, cells[2], 10.5)
			d.Text(margin+half+labelW+6, y+8, d.Fit(cells[3], 10.5, half-labelW-10), 10.5)
		}
		d.Line(margin+labelW, y, margin+labelW, y+rowH, 0.6, colInk)
		d.SetColor(colInk)
		d.Text(margin+6, y+8, cells[0], 10.5)
		valW := contentW - labelW - 10
		if len(cells) == 4 {
			valW = half - labelW - 10
		}
		d.Text(margin+labelW+6, y+8, d.Fit(cells[1], 10.5, valW), 10.5)
		y += rowH
	}
	rec := in.Recorded
	when := func(t time.Time) string { return t.In(cfg.Location).Format("2006年1月2日 15:04") }
	if rec != nil {
		d.SetColor(colGrey)
		d.TextCenter(pageW/2, y-12, f.Do(w.Recorded, map[string]any{"By": rec.By, "At": when(rec.RecordedAt)}), 9)
		d.SetColor(colInk)
	}
	grid(w.Fields.Institution, in.Institution)
	grid(w.Fields.Period, period)
	if rec != nil {
		grid(w.Fields.Date, f.Do(w.RecordedDate, map[string]any{"Date": when(rec.At)}), w.Fields.Place, rec.Place)
		grid(w.Fields.Inspectors, rec.Inspectors)
	} else {
		grid(w.Fields.Date, w.Fields.BlankDate, w.Fields.Place, "")
		grid(w.Fields.Inspectors, "")
	}
	y += 10
	d.SetColor(colInk)
	para(f.Do(w.Totals, map[string]any{"Approved": approved, "Trained": trained, "Poor": poor, "Pass": pass, "Fail": fail, "Veto": veto}), 10, 0)
	y += 8

	// The classes, in compact rows: the table continues on a page of its own
	// (续表, its header row repeated) when it must.
	const cellH = 16.0
	ensure(20 + 3*cellH) // the title with the header row and a first row
	d.Text(margin, y, w.ClassesTitle, 12)
	y += 20
	tableRow := func(cells []string, header bool, stateCol pdfdoc.RGB) {
		if header {
			d.Box(margin, y, contentW, cellH, colPanel)
		}
		x := margin
		for i, wd := range classColumns {
			d.Frame(x, y, wd, cellH, 0.5, colInk)
			d.SetColor(colInk)
			if i == 5 && !header {
				d.SetColor(stateCol)
			}
			d.TextCenter(x+wd/2, y+3.5, d.Fit(cells[i], 9, wd-4), 9)
			x += wd
		}
		y += cellH
	}
	tableRow(w.ClassesHeader, true, colInk)
	for i, c := range in.Classes {
		lv := c.Latest()
		deadline := ""
		if (c.State == yanshou.StateRectify || c.State == yanshou.StateOverdue) && !c.Deadline.IsZero() {
			deadline = c.Deadline.String()
		}
		col := colInk
		switch c.State {
		case yanshou.StateRectify:
			col = colFail
		case yanshou.StateOverdue, yanshou.StateVetoed:
			col = colVeto
		}
		if y+cellH > bottom {
			newPage()
			d.Text(margin, y, w.ClassesCont, 12)
			y += 20
			tableRow(w.ClassesHeader, true, colInk)
		}
		tableRow([]string{fmt.Sprint(i + 1), c.Class, dates(c.Start, c.End),
			fmt.Sprintf("%d/%d", lv.Report.Attendance.Approved, lv.Report.Attendance.Trained),
			lv.Verdict.Chinese(), string(c.State), deadline}, false, col)
	}
	if len(in.Classes) == 0 {
		d.SetColor(colGrey)
		d.Text(margin+6, y+4, w.NoClasses, 10)
		y += 20
	}
	y += 12

	// Open rectifications and vetoes.
	ensure(40)
	d.SetColor(colInk)
	d.Text(margin, y, w.OpenTitle, 12)
	y += 20
	n := 0
	for _, c := range in.Classes {
		if c.State != yanshou.StateRectify && c.State != yanshou.StateOverdue && c.State != yanshou.StateVetoed {
			continue
		}
		n++
		deadline := ""
		if c.State != yanshou.StateVetoed && !c.Deadline.IsZero() {
			deadline = f.Do(w.OpenDeadline, map[string]any{"Date": c.Deadline.String()})
		}
		var reasons []string
		for _, fd := range c.Latest().Report.Findings {
			if fd.Severity != yanshou.Warning {
				reasons = append(reasons, fd.Message)
			}
		}
		if len(reasons) > 3 {
			reasons = reasons[:3]
		}
		rs := strings.Join(reasons, "；")
		if rs == "" {
			rs = w.OpenNoReasons
		}
		d.SetColor(colInk)
		para(f.Do(w.OpenItem, map[string]any{"N": n, "Class": c.Class, "Dates": dates(c.Start, c.End),
			"State": string(c.State), "Deadline": deadline, "Reasons": rs}), 9.5, 6)
	}
	if n == 0 {
		d.SetColor(colGrey)
		d.Text(margin+6, y, w.OpenNone, 10)
		y += 16
	}
	y += 10

	// Blank sections for the inspectors and the signatures, kept together: as
	// many of the template's lines as the page holds above the signatures (at
	// least one), so that the form stays on one sheet while its classes do;
	// when not even one line each fits, all of it goes on the next page with
	// the template's lines — the signatures are never alone on a page.
	const gap, sectionH, signH = 24.0, 34.0, 92.0
	need := func(lines int) float64 { return 2*(sectionH+gap*float64(lines)) + signH }
	lines := w.BlankLines
	for lines > min(1, w.BlankLines) && y+need(lines) > bottom {
		lines--
	}
	if y+need(lines) > bottom {
		newPage()
		lines = w.BlankLines
		for lines > min(1, w.BlankLines) && y+need(lines) > bottom {
			lines--
		}
	}
	for k, title := range []string{w.ContentTitle, w.OpinionTitle} {
		d.SetColor(colInk)
		d.Text(margin, y, title, 12)
		y += 20
		left := lines
		if rec != nil { // the recorded text, then what lines are left for a pen
			text := []string{rec.Content, rec.Opinion}[k]
			for _, l := range d.Lines(text, 10.5, contentW-12) {
				ensure(gap)
				y += gap
				d.Text(margin+6, y-16, l, 10.5)
				d.Line(margin, y, pageW-margin, y, 0.5, colGrey)
				left--
			}
			left = max(left, 1)
		}
		for i := 0; i < left; i++ {
			y += gap
			d.Line(margin, y, pageW-margin, y, 0.5, colGrey)
		}
		y += 14
	}

	// Signatures.
	y += 10
	half := contentW / 2
	d.SetColor(colInk)
	for i, who := range []string{w.Signatures.Inspector, w.Signatures.Inspected} {
		x := margin + float64(i)*half
		d.Text(x, y, who, 11)
		lx := x + d.TextWidth(who, 11)
		d.Line(lx, y+14, x+half-16, y+14, 0.6, colInk)
		if rec == nil {
			d.Text(x, y+32, w.Signatures.Date, 11)
			continue
		}
		name, at := rec.InspectorSign, rec.InspectorAt
		if i == 1 {
			name, at = rec.InspectedSign, rec.InspectedAt
		}
		d.Text(lx+6, y, d.Fit(f.Do(w.Signed, map[string]any{"Name": name}), 11, x+half-lx-28), 11)
		d.Text(x, y+32, f.Do(w.SignedDate, map[string]any{"Date": when(at)}), 11)
	}
	y += 60
	d.SetColor(colGrey)
	para(w.Note, 9, 0)

	// Page footers, now that the page count is known.
	pages := d.Pages()
	now := in.Now.In(cfg.Location).Format("2006-01-02 15:04")
	for p := 1; p <= pages; p++ {
		d.SetPage(p)
		d.SetColor(colGrey)
		d.TextCenter(pageW/2, pageH-40, f.Do(w.Footer, map[string]any{"Page": p, "Pages": pages, "Now": now}), 8)
	}
	if f.Err != nil {
		return f.Err
	}
	return d.Save(path, pdfdoc.Info{Title: w.Title + " " + in.Institution, Author: cfg.Office})
}

func dates(a, b yanshou.Date) string {
	if b.IsZero() || a.Equal(b.Time) {
		return a.String()
	}
	return a.String() + "～" + b.Format("01-02")
}
