// Package ledgerbook writes the county's training ledger (台账.xlsx): one row per
// class with its standing, a sheet per institution and a county summary sheet,
// formatted as a county clerk expects to open it in Excel or WPS.
package ledgerbook

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/platform/durable"
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

const columns = 17 // the row built by row() has this many cells

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
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	title, err := templates.Fill(w.Title, map[string]any{"County": cfg.County})
	if err != nil {
		return err
	}
	subtitle, err := templates.Fill(w.Subtitle, map[string]any{"Today": b.Today.In(cfg.Location).Format("2006年1月2日"), "Classes": len(b.Classes)})
	if err != nil {
		return err
	}

	f.SetSheetName("Sheet1", w.SummarySheet)
	if err := summarySheet(f, w, st, b, title, subtitle); err != nil {
		return err
	}
	if _, err := f.NewSheet(w.AllSheet); err != nil {
		return err
	}
	if err := classSheet(f, w.AllSheet, w, st, b, b.Classes, title, subtitle); err != nil {
		return err
	}
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
		name := sheetName(inst, used)
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := classSheet(f, name, w, st, b, byInst[inst], inst, subtitle); err != nil {
			return err
		}
	}
	if err := countySheets(f, st, b, cfg, used); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	f.SetDocProps(&excelize.DocProperties{Title: title, Creator: cfg.Office, Created: b.Today.UTC().Format(time.RFC3339)})
	return durable.Write(path, 0o644, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

type styles struct{ title, sub, header, cell, date, number, pct, bad, warn, good int }

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	s.sub = mk(&excelize.Style{Font: &excelize.Font{Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.cell = mk(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.date = mk(&excelize.Style{Border: border, NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.number = mk(&excelize.Style{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	s.pct = mk(&excelize.Style{Border: border, NumFmt: 10, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	s.bad = mk(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C00000", Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.warn = mk(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C65911"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.good = mk(&excelize.Style{Border: border, Font: &excelize.Font{Color: "375623"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	return &s, err
}

func ptr(s string) *string { return &s }

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func classSheet(f *excelize.File, sheet string, w *wording, st *styles, b *Book, classes []yanshou.ClassRecord, title, subtitle string) error {
	last := cell(columns, 1)
	f.MergeCell(sheet, "A1", last)
	f.SetCellStr(sheet, "A1", title)
	f.SetCellStyle(sheet, "A1", last, st.title)
	f.MergeCell(sheet, "A2", cell(columns, 2))
	f.SetCellStr(sheet, "A2", subtitle)
	f.SetCellStyle(sheet, "A2", cell(columns, 2), st.sub)
	for i, name := range w.Columns {
		f.SetCellStr(sheet, cell(i+1, 3), name)
	}
	f.SetCellStyle(sheet, "A3", cell(columns, 3), st.header)
	f.SetRowHeight(sheet, 3, 30)
	for i, c := range classes {
		r := i + 4
		vals := row(i+1, &c, b.Outbox)
		for j, v := range vals {
			addr := cell(j+1, r)
			if err := f.SetCellValue(sheet, addr, v); err != nil {
				return err
			}
		}
		f.SetCellStyle(sheet, cell(1, r), cell(columns, r), st.cell)
		f.SetCellStyle(sheet, cell(5, r), cell(6, r), st.date)
		f.SetCellStyle(sheet, cell(8, r), cell(11, r), st.number)
		f.SetCellStyle(sheet, cell(14, r), cell(14, r), st.date)
		f.SetCellStyle(sheet, cell(15, r), cell(15, r), st.number)
		f.SetCellStyle(sheet, cell(12, r), cell(13, r), stateStyle(st, c.State))
	}
	colWidths(f, sheet, 6, 28, 10, 24, 12, 12, 24, 9, 9, 9, 9, 10, 12, 12, 7, 48, 50)
	lastRow := max(3, len(classes)+3)
	if err := f.AutoFilter(sheet, "A3:"+cell(columns, lastRow), nil); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, Split: false, XSplit: 3, YSplit: 3, TopLeftCell: "D4", ActivePane: "bottomRight"})
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
func row(n int, c *yanshou.ClassRecord, outbox string) []any {
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
		rep.Verdict.Chinese(), state, deadline, len(c.Versions), strings.Join(reasons, "；"), report}
}

func summarySheet(f *excelize.File, w *wording, st *styles, b *Book, title, subtitle string) error {
	s := w.SummarySheet
	f.MergeCell(s, "A1", "D1")
	f.SetCellStr(s, "A1", title)
	f.SetCellStyle(s, "A1", "D1", st.title)
	f.MergeCell(s, "A2", "D2")
	f.SetCellStr(s, "A2", subtitle)
	f.SetCellStyle(s, "A2", "D2", st.sub)
	r := 4
	section := func(name string, header ...string) {
		f.SetCellStr(s, cell(1, r), name)
		f.SetCellStyle(s, cell(1, r), cell(1, r), st.header)
		r++
		for i, h := range header {
			f.SetCellStr(s, cell(i+1, r), h)
		}
		f.SetCellStyle(s, cell(1, r), cell(len(header), r), st.header)
		r++
	}
	pair := func(label string, v any, style int) {
		f.SetCellStr(s, cell(1, r), label)
		f.SetCellValue(s, cell(2, r), v)
		f.SetCellStyle(s, cell(1, r), cell(1, r), st.cell)
		f.SetCellStyle(s, cell(2, r), cell(2, r), style)
		r++
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
	r++
	section(w.Summary.ByVerdict, w.Summary.Verdict, w.Summary.Classes)
	for _, v := range []yanshou.Verdict{yanshou.Pass, yanshou.Fail, yanshou.Veto} {
		pair(v.Chinese(), byVerdict[v], st.number)
	}
	r++
	section(w.Summary.Totals, "", w.Summary.People)
	pair(w.Summary.Trained, b.Totals.Trained, st.number)
	pair(w.Summary.Poor, b.Totals.Poor, st.number)
	pair(w.Summary.Local, b.Totals.Local, st.number)
	share := 0.0
	if trainedWithFacts > 0 {
		share = float64(called) / float64(trainedWithFacts)
	}
	pair(w.Summary.Followup, share, st.pct)
	r++
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
	f.SetColWidth(s, "A", "A", 30)
	f.SetColWidth(s, "B", "D", 14)
	return nil
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
