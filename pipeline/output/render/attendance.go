package render

import (
	"fmt"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/platform/durable"
	"yanshou/templates"
)

// attendanceWords is templates/report/attendance.yaml.
type attendanceWords struct {
	Title        string `yaml:"title"`
	TitleUnknown string `yaml:"title_unknown"`
	Subtitle     string `yaml:"subtitle"`
	Sheets       struct {
		Roster    string `yaml:"roster"`
		Unmatched string `yaml:"unmatched"`
		Problems  string `yaml:"problems"`
		Findings  string `yaml:"findings"`
		Sources   string `yaml:"sources"`
	} `yaml:"sheets"`
	RosterBefore    []string `yaml:"roster_before"`
	RosterAfter     []string `yaml:"roster_after"`
	Present         string   `yaml:"present"`
	TrainedYes      string   `yaml:"trained_yes"`
	TrainedNo       string   `yaml:"trained_no"`
	Ref             string   `yaml:"ref"`
	Summary         string   `yaml:"summary"`
	NoRoster        string   `yaml:"no_roster"`
	UnmatchedHeader []string `yaml:"unmatched_header"`
	WalkIn          string   `yaml:"walk_in"`
	Ambiguous       string   `yaml:"ambiguous"`
	ProblemsHeader  []string `yaml:"problems_header"`
	FindingsHeader  []string `yaml:"findings_header"`
	NoFindings      string   `yaml:"no_findings"`
	SourcesHeader   []string `yaml:"sources_header"`
	ContentHash     string   `yaml:"content_hash"`
	Subject         string   `yaml:"subject"`
	None            string   `yaml:"none"`
}

// xlsxStyles are the cell styles of the workbook.
type xlsxStyles struct {
	title, sub, header, body, center, text, red int
}

func newStyles(x *excelize.File) (xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	textFmt := "@"
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E4E4"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Border: border, CustomNumFmt: &textFmt, Alignment: &excelize.Alignment{Vertical: "center"}},
		{Border: border, Font: &excelize.Font{Color: "C00000"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
	}
	ids := make([]int, len(specs))
	for i, s := range specs {
		id, err := x.NewStyle(s)
		if err != nil {
			return xlsxStyles{}, err
		}
		ids[i] = id
	}
	return xlsxStyles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]}, nil
}

// sheetWriter fills one sheet row by row and remembers the first error.
type sheetWriter struct {
	x         *excelize.File
	name      string
	row       int
	width     int // number of columns
	headerRow int // the table's header row, 0 before header()
	err       error
}

func (s *sheetWriter) fail(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// put writes one row of values; styles[i] applies to column i+1 (the last one
// repeats).
func (s *sheetWriter) put(values []any, styles ...int) {
	s.row++
	for i, v := range values {
		c := cellName(i+1, s.row)
		switch x := v.(type) {
		case string:
			s.fail(s.x.SetCellStr(s.name, c, x))
		case int:
			s.fail(s.x.SetCellInt(s.name, c, int64(x)))
		case int64:
			s.fail(s.x.SetCellInt(s.name, c, x))
		default:
			s.fail(s.x.SetCellValue(s.name, c, x))
		}
		if len(styles) > 0 {
			st := styles[min(i, len(styles)-1)]
			s.fail(s.x.SetCellStyle(s.name, c, c, st))
		}
	}
}

// banner writes a line of text merged across the sheet's width.
func (s *sheetWriter) banner(text string, style int, height float64) {
	s.row++
	first, last := cellName(1, s.row), cellName(max(s.width, 1), s.row)
	s.fail(s.x.SetCellStr(s.name, first, text))
	if s.width > 1 {
		s.fail(s.x.MergeCell(s.name, first, last))
	}
	s.fail(s.x.SetCellStyle(s.name, first, last, style))
	s.fail(s.x.SetRowHeight(s.name, s.row, height))
}

// widths sets column widths from the first column on.
func (s *sheetWriter) widths(ws ...float64) {
	for i, w := range ws {
		col, _ := excelize.ColumnNumberToName(i + 1)
		s.fail(s.x.SetColWidth(s.name, col, col, w))
	}
}

// header writes a header row, freezes the rows above and including it, and
// repeats it on every printed page.
func (s *sheetWriter) header(cols []string, st xlsxStyles, freezeCols int) {
	vals := make([]any, len(cols))
	for i, c := range cols {
		vals[i] = c
	}
	s.put(vals, st.header)
	s.headerRow = s.row
	s.fail(s.x.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: freezeCols, YSplit: s.row,
		TopLeftCell: cellName(freezeCols+1, s.row+1), ActivePane: "bottomRight"}))
	s.fail(s.x.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.name,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", s.name, s.row, s.row)}))
	landscape := "landscape"
	size := 9 // A4
	s.fail(s.x.SetPageLayout(s.name, &excelize.PageLayoutOptions{Orientation: &landscape, Size: &size}))
}

// AttendanceBook writes 考勤表.xlsx: the roster with a column per session (√ /
// blank), sessions attended, trained yes/no, plus a sheet of sign-in rows not
// matched (walk-ins, ambiguous) with their reasons, and a sheet of problems (file,
// sheet, row, detail). Two more sheets hold every finding's full evidence (the
// report truncates long lists and points here) and the source files with their
// SHA-256.
func AttendanceBook(path string, r *yanshou.Result, cfg *yanshou.Config) error {
	if r == nil {
		return errNoResult
	}
	var w attendanceWords
	if err := loadWording(cfg, "attendance.yaml", &w); err != nil {
		return err
	}
	f := &templates.Filler{}
	x := excelize.NewFile()
	defer x.Close()
	st, err := newStyles(x)
	if err != nil {
		return fmt.Errorf("%s：%w", filepath.Base(path), err)
	}
	if err := x.SetSheetName("Sheet1", w.Sheets.Roster); err != nil {
		return fmt.Errorf("%s：%w", filepath.Base(path), err)
	}
	for _, name := range []string{w.Sheets.Unmatched, w.Sheets.Problems, w.Sheets.Findings, w.Sheets.Sources} {
		if _, err := x.NewSheet(name); err != nil {
			return fmt.Errorf("%s：工作表 %s：%w", filepath.Base(path), name, err)
		}
	}
	base := baseVars(r, cfg)
	a := r.Attendance
	if a == nil {
		a = &yanshou.Attendance{}
	}
	sheets := []*sheetWriter{
		rosterSheet(x, f, &w, st, r, a, base),
		unmatchedSheet(x, &w, st, a),
		problemsSheet(x, &w, st, a),
		findingsSheet(x, &w, st, r),
		sourcesSheet(x, f, &w, st, r),
	}
	for _, s := range sheets {
		if s.headerRow > 0 { // filters on every table, from its header to its last row
			s.fail(s.x.AutoFilter(s.name, cellName(1, s.headerRow)+":"+cellName(max(s.width, 1), max(s.row, s.headerRow)), nil))
		}
		if s.err != nil {
			return fmt.Errorf("%s：工作表 %s：%w", filepath.Base(path), s.name, s.err)
		}
	}
	if f.Err != nil {
		return f.Err
	}
	if err := x.SetDocProps(&excelize.DocProperties{Title: w.Subject, Subject: w.Subject,
		Creator: office(cfg), Keywords: keywords(r), Description: r.ID}); err != nil {
		return fmt.Errorf("%s：%w", filepath.Base(path), err)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("%s：生成失败：%w", filepath.Base(path), err)
	}
	return durable.WriteFile(path, buf.Bytes(), 0o644)
}

// rosterSheet is the roster with one column per session.
func rosterSheet(x *excelize.File, f *templates.Filler, w *attendanceWords, st xlsxStyles, r *yanshou.Result,
	a *yanshou.Attendance, base vars) *sheetWriter {
	cols := append(append(append([]string{}, w.RosterBefore...), a.Sessions...), w.RosterAfter...)
	s := &sheetWriter{x: x, name: w.Sheets.Roster, width: len(cols)}
	title := f.Do(w.TitleUnknown, base)
	if c := classOf(r); c != nil {
		title = f.Do(w.Title, vars{"Institution": c.Institution, "Title": c.Title, "Class": c.Class})
	}
	s.banner(title, st.title, 26)
	s.banner(f.Do(w.Subtitle, base), st.sub, 18)
	sum, _ := summarize(r)
	s.banner(f.Do(w.Summary, vars{"Approved": sum.approved, "Trained": sum.trained, "Rate": percent(sum.rate),
		"WalkIns": sum.walkIns, "Sessions": len(a.Sessions)}), st.sub, 18)
	s.header(cols, st, 2)
	ws := []float64{6, 10, 21, 14, 12}
	for range a.Sessions {
		ws = append(ws, 9)
	}
	s.widths(append(ws, 9, 9, 40)...)

	sessionIdx := make(map[string]int, len(a.Sessions))
	for i, l := range a.Sessions {
		sessionIdx[l] = i
	}
	attended := make([][]bool, len(a.Trainees))
	for i := range attended {
		attended[i] = make([]bool, len(a.Sessions))
	}
	for _, si := range a.SignIns {
		j, ok := sessionIdx[si.Session]
		if si.Match == yanshou.Matched && ok && si.Trainee >= 0 && si.Trainee < len(a.Trainees) {
			attended[si.Trainee][j] = true
		}
	}
	if len(a.Trainees) == 0 {
		s.banner(w.NoRoster, st.body, 20)
		return s
	}
	for i, t := range a.Trainees {
		vals := []any{i + 1, t.Name, t.ID, t.Phone, t.Town}
		styles := []int{st.center, st.body, st.text, st.text, st.body}
		for j := range a.Sessions {
			mark := ""
			if attended[i][j] {
				mark = w.Present
			}
			vals = append(vals, mark)
			styles = append(styles, st.center)
		}
		trained, tst := w.TrainedNo, st.red
		if t.Trained {
			trained, tst = w.TrainedYes, st.center
		}
		vals = append(vals, t.Sessions, trained,
			f.Do(w.Ref, vars{"File": t.File, "Sheet": t.Sheet, "Row": t.Row}))
		styles = append(styles, st.center, tst, st.body)
		s.put(vals, styles...)
	}
	return s
}

// unmatchedSheet lists sign-in rows that matched no single roster row.
func unmatchedSheet(x *excelize.File, w *attendanceWords, st xlsxStyles, a *yanshou.Attendance) *sheetWriter {
	s := &sheetWriter{x: x, name: w.Sheets.Unmatched, width: len(w.UnmatchedHeader)}
	s.header(w.UnmatchedHeader, st, 0)
	s.widths(6, 14, 10, 21, 14, 12, 36, 32, 12, 6)
	n := 0
	for _, si := range a.SignIns {
		if si.Match == yanshou.Matched {
			continue
		}
		n++
		kind := w.WalkIn
		if si.Match == yanshou.Ambiguous {
			kind = w.Ambiguous
		}
		s.put([]any{n, si.Session, si.Name, si.ID, si.Phone, kind, si.Reason, si.File, si.Sheet, si.Row},
			st.center, st.body, st.body, st.text, st.text, st.center, st.body, st.body, st.body, st.center)
	}
	if n == 0 {
		s.banner(w.None, st.body, 20)
	}
	return s
}

// problemsSheet lists the problems found reading the roster, sign-ins and follow-ups.
func problemsSheet(x *excelize.File, w *attendanceWords, st xlsxStyles, a *yanshou.Attendance) *sheetWriter {
	s := &sheetWriter{x: x, name: w.Sheets.Problems, width: len(w.ProblemsHeader)}
	s.header(w.ProblemsHeader, st, 0)
	s.widths(6, 36, 14, 6, 60)
	for i, p := range a.Problems {
		s.put([]any{i + 1, p.File, p.Sheet, rowOrBlank(p.Row), p.Detail},
			st.center, st.body, st.body, st.center, st.body)
	}
	if len(a.Problems) == 0 {
		s.banner(w.None, st.body, 20)
	}
	return s
}

// findingsSheet lists every finding with all of its evidence.
func findingsSheet(x *excelize.File, w *attendanceWords, st xlsxStyles, r *yanshou.Result) *sheetWriter {
	s := &sheetWriter{x: x, name: w.Sheets.Findings, width: len(w.FindingsHeader)}
	s.header(w.FindingsHeader, st, 0)
	s.widths(6, 26, 9, 10, 40, 32, 12, 6, 44)
	n := 0
	styles := []int{st.center, st.body, st.center, st.center, st.body, st.body, st.body, st.center, st.body}
	for _, fd := range r.Findings {
		head := []any{fd.Rule, fd.Article, fd.Severity.Chinese(), fd.Message}
		if len(fd.Evidence) == 0 {
			n++
			s.put(append(append([]any{n}, head...), "", "", "", ""), styles...)
		}
		for _, e := range fd.Evidence {
			n++
			s.put(append(append([]any{n}, head...), e.File, e.Sheet, rowOrBlank(e.Row), e.Detail), styles...)
		}
	}
	if len(r.Findings) == 0 {
		s.banner(w.NoFindings, st.body, 20)
	}
	return s
}

// sourcesSheet lists the submission's files with their SHA-256.
func sourcesSheet(x *excelize.File, f *templates.Filler, w *attendanceWords, st xlsxStyles, r *yanshou.Result) *sheetWriter {
	s := &sheetWriter{x: x, name: w.Sheets.Sources, width: len(w.SourcesHeader)}
	s.header(w.SourcesHeader, st, 0)
	s.widths(6, 44, 14, 14, 70)
	fs := files(r)
	for i, file := range fs {
		s.put([]any{i + 1, file.Rel, file.Kind.String(), file.Size, file.SHA256},
			st.center, st.body, st.body, st.center, st.text)
	}
	if len(fs) == 0 {
		s.banner(w.None, st.body, 20)
	}
	if r.Submission != nil && r.Submission.ContentHash != "" {
		s.row++
		s.banner(f.Do(w.ContentHash, vars{"Hash": r.Submission.ContentHash}), st.sub, 18)
	}
	return s
}

// rowOrBlank is a row number cell: the number, or blank when not a table row.
func rowOrBlank(n int) any {
	if n <= 0 {
		return ""
	}
	return n
}
