// Package ledgerbook writes the county's training ledger (台账.xlsx): one row per
// class with its standing, a sheet per institution and a county summary sheet,
// formatted as a county clerk expects to open it in Excel or WPS.
package ledgerbook

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/format/xlsxdoc"
	"yanshou/templates"
)

// Totals are the county-wide counts the summary sheet shows.
type Totals struct {
	Trained    int
	Poor       int
	Local      int
	ByCategory map[string]int
}

// Book is what the ledger workbook is made from.
type Book struct {
	Classes []yanshou.ClassRecord
	Totals  Totals
	Outbox  string    // document paths are shown relative to it
	Today   time.Time // the day the standings were computed
	// Coverage, when set, adds the 贫困户覆盖 sheet (those not yet trained).
	Coverage *yanshou.Coverage
	// Plans, when set, adds the 月度计划 sheet (planned vs delivered per month).
	Plans *PlanBook
}

type wording struct {
	Title        string   `yaml:"title"`
	Subtitle     string   `yaml:"subtitle"`
	AllSheet     string   `yaml:"all_sheet"`
	SummarySheet string   `yaml:"summary_sheet"`
	Columns      []string `yaml:"columns"`
	Confirmed    string   `yaml:"confirmed"` // the 最终结论 of a version the office confirmed
	Summary      struct {
		ByState       string `yaml:"by_state"`
		State         string `yaml:"state"`
		Classes       string `yaml:"classes"`
		Totals        string `yaml:"totals"`
		Trained       string `yaml:"trained"`
		Poor          string `yaml:"poor"`
		Local         string `yaml:"local"`
		Followup      string `yaml:"followup"`
		ByCategory    string `yaml:"by_category"`
		Category      string `yaml:"category"`
		Uncategorised string `yaml:"uncategorised"`
		People        string `yaml:"people"`
		ByVerdict     string `yaml:"by_verdict"`
		Verdict       string `yaml:"verdict"`
	} `yaml:"summary"`
}

const columns = 18 // the row built by row() has this many cells

// loadWording reads templates/report/ledger.yaml with the county's override on
// top, key by key (see templates.Load).
func loadWording(cfg *yanshou.Config) (*wording, error) {
	var w wording
	if err := templates.Load(cfg.Templates, "report/ledger.yaml", &w); err != nil {
		return nil, err
	}
	if len(w.Columns) != columns {
		return nil, fmt.Errorf("模板 report/ledger.yaml 的 columns 列出 %d 个列名，应为 %d 个", len(w.Columns), columns)
	}
	return &w, nil
}

// Write writes the ledger workbook to path (via a temporary file, renamed into place).
func Write(path string, b *Book, cfg *yanshou.Config) error {
	w, err := loadWording(cfg)
	if err != nil {
		return err
	}
	footer, err := templates.WorkbookFooter(cfg.Templates)
	if err != nil {
		return err
	}
	x := xlsxdoc.New(filepath.Base(path))
	defer x.Close()
	x.Footer = footer
	st := newStyles(x)
	title, err := templates.Fill(w.Title, map[string]any{"County": cfg.County})
	if err != nil {
		return err
	}
	subtitle, err := templates.Fill(w.Subtitle, map[string]any{"Today": b.Today.In(cfg.Location).Format("2006年1月2日"), "Classes": len(b.Classes)})
	if err != nil {
		return err
	}

	summarySheet(x.Sheet(w.SummarySheet, 4), w, st, b, title, subtitle)
	classSheet(x.Sheet(w.AllSheet, columns), w, st, b, b.Classes, title, subtitle)
	byInst := map[string][]yanshou.ClassRecord{}
	var insts []string
	for _, c := range b.Classes {
		if _, ok := byInst[c.Institution]; !ok {
			insts = append(insts, c.Institution)
		}
		byInst[c.Institution] = append(byInst[c.Institution], c)
	}
	sort.Strings(insts)
	used := map[string]bool{w.SummarySheet: true, w.AllSheet: true}
	for _, inst := range insts {
		classSheet(x.Sheet(sheetName(inst, used), columns), w, st, b, byInst[inst], inst, subtitle)
	}
	if err := countySheets(x, st, b, cfg, used); err != nil {
		return err
	}
	x.X.SetActiveSheet(0)
	x.Props(excelize.DocProperties{Title: title, Creator: cfg.Office, Created: b.Today.UTC().Format(time.RFC3339)})
	return x.Save(path)
}

type styles struct{ title, sub, header, cell, date, number, pct, bad, warn, good int }

func newStyles(x *xlsxdoc.Book) *styles {
	border := xlsxdoc.Border("999999")
	return &styles{
		title: x.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}}),
		sub:   x.Style(&excelize.Style{Font: &excelize.Font{Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "center"}}),
		header: x.Style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}),
		cell:   x.Style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		date:   x.Style(&excelize.Style{Border: border, NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		number: x.Style(&excelize.Style{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}),
		pct:    x.Style(&excelize.Style{Border: border, NumFmt: 10, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}}),
		bad:    x.Style(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C00000", Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		warn:   x.Style(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C65911"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		good:   x.Style(&excelize.Style{Border: border, Font: &excelize.Font{Color: "375623"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
	}
}

func ptr(s string) *string { return &s }

// classSheet is a table of classes, one row each, under the title and subtitle.
func classSheet(s *xlsxdoc.Sheet, w *wording, st *styles, b *Book, classes []yanshou.ClassRecord, title, subtitle string) {
	s.Banner(title, st.title, 0)
	s.Banner(subtitle, st.sub, 0)
	s.Header(w.Columns, st.header)
	s.Height(s.Row, 30)
	for i, c := range classes {
		state := stateStyle(st, c.State)
		cells := row(i+1, &c, b.Outbox, w)
		s.Put(cells, st.cell, st.cell, st.cell, st.cell, st.date, st.date, st.cell,
			st.number, st.number, st.number, st.number, st.cell, state, state, st.date, st.number, st.cell)
		// The report opens from the ledger: a link relative to the outbox,
		// where 台账.xlsx is written.
		if rep, _ := cells[len(cells)-1].(string); rep != "" && !filepath.IsAbs(rep) {
			s.Link(len(cells), s.Row, rep, rep)
		}
	}
	s.Widths(6, 28, 10, 24, 12, 12, 24, 9, 9, 9, 9, 10, 18, 12, 12, 7, 48, 50)
	s.Filter(s.Row)
	s.Freeze(3, 3, "")
}

func stateStyle(st *styles, s yanshou.State) int {
	switch s {
	case yanshou.StateVetoed, yanshou.StateOverdue:
		return st.bad
	case yanshou.StateRectify:
		return st.warn
	case yanshou.StateArchived, yanshou.StateRectified, yanshou.StateRetrained:
		return st.good
	}
	return st.cell
}

// row is one class's cells, in the order of the columns wording.
func row(n int, c *yanshou.ClassRecord, outbox string, w *wording) []any {
	last := c.Latest()
	rep := last.Report
	var reasons []string
	for _, f := range rep.Findings {
		if f.Severity != yanshou.Warning {
			reasons = append(reasons, f.Message)
		}
	}
	if len(reasons) > 3 {
		reasons = append(reasons[:3], fmt.Sprintf("…等 %d 项", len(reasons)))
	}
	report := ""
	for _, o := range rep.Outputs {
		if strings.HasSuffix(o, ".pdf") && strings.Contains(filepath.Base(o), "验收报告") {
			report = o
		}
	}
	if rel, err := filepath.Rel(outbox, report); err == nil && report != "" && !strings.HasPrefix(rel, "..") {
		report = filepath.ToSlash(rel)
	}
	date := func(d yanshou.Date) any {
		if d.IsZero() {
			return ""
		}
		return d.Time
	}
	deadline := any("")
	if c.State == yanshou.StateRectify || c.State == yanshou.StateOverdue {
		deadline = date(c.Deadline)
	}
	state := string(c.State)
	if c.RetrainedBy != "" {
		state += "（" + c.RetrainedBy + "）"
	}
	return []any{n, c.Institution, c.Class, c.Title, date(c.Start), date(c.End), c.Venue,
		rep.Attendance.Approved, rep.Attendance.Trained, c.PoorTrained, rep.Photos.Verified,
		last.ProgramVerdict().Chinese(), finalVerdict(last, w), state, deadline, len(c.Versions), strings.Join(reasons, "；"), report}
}

// finalVerdict is the 最终结论 cell: the verdict the version counts with,
// and who confirmed it when the office did.
func finalVerdict(v *yanshou.VersionRecord, w *wording) string {
	if v.ConfirmedBy == "" {
		return v.Verdict.Chinese()
	}
	f := &templates.Filler{}
	return f.Do(w.Confirmed, map[string]any{"Verdict": v.Verdict.Chinese(), "By": v.ConfirmedBy})
}

func summarySheet(s *xlsxdoc.Sheet, w *wording, st *styles, b *Book, title, subtitle string) {
	s.Banner(title, st.title, 0)
	s.Banner(subtitle, st.sub, 0)
	s.Skip(1)
	section := func(name string, header ...string) {
		s.Put([]any{name}, st.header)
		vals := make([]any, len(header))
		for i, h := range header {
			vals[i] = h
		}
		s.Put(vals, st.header)
	}
	pair := func(label string, v any, style int) {
		s.Put([]any{label, v}, st.cell, style)
	}

	section(w.Summary.ByState, w.Summary.State, w.Summary.Classes)
	states := []yanshou.State{yanshou.StateArchived, yanshou.StateRectified, yanshou.StateRetrained,
		yanshou.StateRectify, yanshou.StateOverdue, yanshou.StateVetoed}
	byState := map[yanshou.State]int{}
	byVerdict := map[yanshou.Verdict]int{}
	called, trainedWithFacts := 0, 0
	for _, c := range b.Classes {
		byState[c.State]++
		last := c.Latest()
		byVerdict[last.Verdict]++
		if last.Facts != nil {
			called += last.Facts.FollowUp.Matched
			trainedWithFacts += last.Facts.Attendance.Trained
		}
	}
	for _, st2 := range states {
		pair(string(st2), byState[st2], st.number)
	}
	s.Skip(1)
	section(w.Summary.ByVerdict, w.Summary.Verdict, w.Summary.Classes)
	for _, v := range []yanshou.Verdict{yanshou.Pass, yanshou.Fail, yanshou.Veto} {
		pair(v.Chinese(), byVerdict[v], st.number)
	}
	s.Skip(1)
	section(w.Summary.Totals, "", w.Summary.People)
	pair(w.Summary.Trained, b.Totals.Trained, st.number)
	pair(w.Summary.Poor, b.Totals.Poor, st.number)
	pair(w.Summary.Local, b.Totals.Local, st.number)
	share := 0.0
	if trainedWithFacts > 0 {
		share = float64(called) / float64(trainedWithFacts)
	}
	pair(w.Summary.Followup, share, st.pct)
	s.Skip(1)
	section(w.Summary.ByCategory, w.Summary.Category, w.Summary.People)
	var cats []string
	for c := range b.Totals.ByCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		label := c
		if label == "" {
			label = w.Summary.Uncategorised
		}
		pair(label, b.Totals.ByCategory[c], st.number)
	}
	s.ColWidth(1, 1, 30)
	s.ColWidth(2, 4, 14)
}

// sheetName makes a unique Excel sheet name (at most 31 characters, none of []:*?/\).
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	rs := []rune(s)
	if len(rs) > 28 {
		rs = rs[:28]
	}
	base := string(rs)
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s(%d)", base, i)
	}
	used[name] = true
	return name
}
