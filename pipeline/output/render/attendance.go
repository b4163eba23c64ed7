package render

import (
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/format/xlsxdoc"
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

func newStyles(b *xlsxdoc.Book) xlsxStyles {
	border := xlsxdoc.Border("808080")
	textFmt := "@"
	return xlsxStyles{
		title: b.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		sub:   b.Style(&excelize.Style{Font: &excelize.Font{Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}}),
		header: b.Style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E4E4"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}),
		body:   b.Style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		center: b.Style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		text:   b.Style(&excelize.Style{Border: border, CustomNumFmt: &textFmt, Alignment: &excelize.Alignment{Vertical: "center"}}),
		red:    b.Style(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C00000"}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
	}
}

// header writes a table's header row, freezes the rows above and including it
// (and the first freezeCols columns), repeats it on every printed page and sets
// the sheet landscape on A4.
func header(s *xlsxdoc.Sheet, cols []string, st xlsxStyles, freezeCols int) {
	s.Header(cols, st.header)
	s.Freeze(freezeCols, s.Row, xlsxdoc.BottomRight)
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
	r = inReadingOrder(r)
	var w attendanceWords
	if err := loadWording(cfg, "attendance.yaml", &w); err != nil {
		return err
	}
	footer, err := templates.WorkbookFooter(cfg.Templates)
	if err != nil {
		return err
	}
	f := &templates.Filler{}
	b := xlsxdoc.New(filepath.Base(path))
	defer b.Close()
	b.Footer = footer
	st := newStyles(b)
	a := r.Attendance
	if a == nil {
		a = &yanshou.Attendance{}
	}
	rosterCols := append(append(append([]string{}, w.RosterBefore...), a.Sessions...), w.RosterAfter...)
	roster := b.Sheet(w.Sheets.Roster, len(rosterCols))
	unmatched := b.Sheet(w.Sheets.Unmatched, len(w.UnmatchedHeader))
	problems := b.Sheet(w.Sheets.Problems, len(w.ProblemsHeader))
	findings := b.Sheet(w.Sheets.Findings, len(w.FindingsHeader))
	sources := b.Sheet(w.Sheets.Sources, len(w.SourcesHeader))
	base := baseVars(r, cfg)
	rosterSheet(roster, rosterCols, f, &w, st, r, a, base)
	unmatchedSheet(unmatched, &w, st, a)
	problemsSheet(problems, &w, st, a)
	findingsSheet(findings, &w, st, r)
	sourcesSheet(sources, f, &w, st, r)
	for _, s := range []*xlsxdoc.Sheet{roster, unmatched, problems, findings, sources} {
		if s.HeaderRow > 0 { // filters on every table, from its header to its last row
			s.Filter(s.Row)
		}
	}
	if err := b.Err(); err != nil {
		return err
	}
	if f.Err != nil {
		return f.Err
	}
	b.Props(excelize.DocProperties{Title: w.Subject, Subject: w.Subject,
		Creator: office(cfg), Keywords: keywords(r), Description: r.ID})
	return b.Save(path)
}

// rosterSheet is the roster with one column per session.
func rosterSheet(s *xlsxdoc.Sheet, cols []string, f *templates.Filler, w *attendanceWords, st xlsxStyles, r *yanshou.Result,
	a *yanshou.Attendance, base vars) {
	title := f.Do(w.TitleUnknown, base)
	if c := classOf(r); c != nil {
		title = f.Do(w.Title, vars{"Institution": c.Institution, "Title": c.Title, "Class": c.Class})
	}
	s.Banner(title, st.title, 26)
	s.Banner(f.Do(w.Subtitle, base), st.sub, 18)
	sum, _ := summarize(r)
	s.Banner(f.Do(w.Summary, vars{"Approved": sum.approved, "Trained": sum.trained, "Rate": percent(sum.rate),
		"WalkIns": sum.walkIns, "Sessions": len(a.Sessions)}), st.sub, 18)
	header(s, cols, st, 2)
	ws := []float64{6, 10, 21, 14, 12}
	for range a.Sessions {
		ws = append(ws, 9)
	}
	s.Widths(append(ws, 9, 9, 40)...)

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
		s.Banner(w.NoRoster, st.body, 20)
		return
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
		s.Put(vals, styles...)
	}
}

// unmatchedSheet lists sign-in rows that matched no single roster row.
func unmatchedSheet(s *xlsxdoc.Sheet, w *attendanceWords, st xlsxStyles, a *yanshou.Attendance) {
	header(s, w.UnmatchedHeader, st, 0)
	s.Widths(6, 14, 10, 21, 14, 12, 36, 32, 12, 6)
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
		s.Put([]any{n, si.Session, si.Name, si.ID, si.Phone, kind, si.Reason, si.File, si.Sheet, si.Row},
			st.center, st.body, st.body, st.text, st.text, st.center, st.body, st.body, st.body, st.center)
	}
	if n == 0 {
		s.Banner(w.None, st.body, 20)
	}
}

// problemsSheet lists the problems found reading the roster, sign-ins and follow-ups.
func problemsSheet(s *xlsxdoc.Sheet, w *attendanceWords, st xlsxStyles, a *yanshou.Attendance) {
	header(s, w.ProblemsHeader, st, 0)
	s.Widths(6, 36, 14, 6, 60)
	for i, p := range a.Problems {
		s.Put([]any{i + 1, p.File, p.Sheet, rowOrBlank(p.Row), p.Detail},
			st.center, st.body, st.body, st.center, st.body)
	}
	if len(a.Problems) == 0 {
		s.Banner(w.None, st.body, 20)
	}
}

// findingsSheet lists every finding with all of its evidence.
func findingsSheet(s *xlsxdoc.Sheet, w *attendanceWords, st xlsxStyles, r *yanshou.Result) {
	header(s, w.FindingsHeader, st, 0)
	s.Widths(6, 26, 9, 10, 40, 32, 12, 6, 44)
	n := 0
	styles := []int{st.center, st.body, st.center, st.center, st.body, st.body, st.body, st.center, st.body}
	for _, fd := range r.Findings {
		head := []any{fd.Name(), fd.Article, fd.Severity.Chinese(), fd.Message}
		if len(fd.Evidence) == 0 {
			n++
			s.Put(append(append([]any{n}, head...), "", "", "", ""), styles...)
		}
		for _, e := range fd.Evidence {
			n++
			s.Put(append(append([]any{n}, head...), e.File, e.Sheet, rowOrBlank(e.Row), e.Detail), styles...)
		}
	}
	if len(r.Findings) == 0 {
		s.Banner(w.NoFindings, st.body, 20)
	}
}

// sourcesSheet lists the submission's files with their SHA-256.
func sourcesSheet(s *xlsxdoc.Sheet, f *templates.Filler, w *attendanceWords, st xlsxStyles, r *yanshou.Result) {
	header(s, w.SourcesHeader, st, 0)
	s.Widths(6, 44, 14, 14, 70)
	fs := files(r)
	for i, file := range fs {
		s.Put([]any{i + 1, file.Rel, file.Kind.String(), file.Size, file.SHA256},
			st.center, st.body, st.body, st.center, st.text)
	}
	if len(fs) == 0 {
		s.Banner(w.None, st.body, 20)
	}
	if r.Submission != nil && r.Submission.ContentHash != "" {
		s.Skip(1)
		s.Banner(f.Do(w.ContentHash, vars{"Hash": r.Submission.ContentHash}), st.sub, 18)
	}
}

// rowOrBlank is a row number cell: the number, or blank when not a table row.
func rowOrBlank(n int) any {
	if n <= 0 {
		return ""
	}
	return n
}
