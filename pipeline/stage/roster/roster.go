// Package roster reads the approved roster (培训学员名单), the sign-in sheets (签到表)
// and the phone follow-up records (电话回访记录) of a class, checks the roster's
// resident IDs, and matches every sign-in and call to a roster trainee: by ID
// number, else by phone and name, else by a name unique in the roster.
//
// Sessions come from one sheet per session (the sheet name is the label), or from a
// 日期/场次 column, or from a grid with one column per session (考勤表). A trainee
// is trained at cfg.Thresholds.TraineeMinSessionShare of the sessions (at least one).
// Problems with the data — unreadable files, IDs stored as numbers, invalid or
// duplicate IDs, implausible ages, sessions outside the training dates — are
// Attendance.Problems, in Chinese, naming file, sheet and row. Walk-ins and
// ambiguous sign-ins are not problems: they are SignIns with their Match and Reason.
//
// Fraud signals are derived from the Attendance alone, for the facts stage:
// Phones (households sharing a phone, rings of proxy sign-ins, proxy sign-in spread
// thin over several phones, and the roster's own shared phones) and Repeats
// (one person signed in twice in one session). Follow-up calls carry their date,
// whether it precedes the training's end, and the outcome columns (开店, 网上销售,
// 是否开展电商应用) for the county's totals.
package roster

import (
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// reader holds the state of one Read.
type reader struct {
	cfg   *yanshou.Config
	class *yanshou.ClassInfo
	loc   *time.Location
	year  int // completes dates written without a year
	att   *yanshou.Attendance
	idx   *index

	sessions map[string]*session
	order    []*session
	badDates map[string]bool // unreadable dates already reported (file, sheet, text)
}

// Read reads the roster, sign-in and follow-up files (yanshou.File: Rel, Abs) into
// an Attendance and matches sign-ins and follow-ups to the roster. class may be nil
// (no manifest); cfg gives thresholds (TraineeMinSessionShare, MaxSheetRows, ages,
// LocalPrefixes()).
func Read(rosters, signins, followups []yanshou.File, class *yanshou.ClassInfo, cfg *yanshou.Config) *yanshou.Attendance {
	rd := &reader{cfg: cfg, class: class, loc: cfg.Location, sessions: map[string]*session{}, badDates: map[string]bool{},
		att: &yanshou.Attendance{Trainees: []yanshou.Trainee{}, SignIns: []yanshou.SignIn{},
			FollowUps: []yanshou.FollowUpCall{}, Sessions: []string{}, Problems: []yanshou.Evidence{}}}
	if rd.loc == nil {
		rd.loc = time.Local
	}
	if class != nil && !class.Start.IsZero() {
		rd.year = class.Start.Year()
	}
	lossy := map[int]bool{}
	for _, f := range rosters {
		rd.guard(f, func() { rd.readRoster(f, lossy) })
	}
	rd.idx = newIndex(rd.att.Trainees, lossy)
	for _, f := range signins {
		rd.guard(f, func() { rd.readSignIns(f) })
	}
	rd.finishSessions()
	for _, f := range followups {
		rd.guard(f, func() { rd.readFollowUps(f) })
	}
	return rd.att
}

// guard turns a failure while reading one file into a problem naming it, so that
// the other files are still read.
func (rd *reader) guard(f yanshou.File, read func()) {
	defer func() {
		if r := recover(); r != nil {
			rd.problem(yanshou.Evidence{File: f.Rel, Detail: templates.Say("roster.read_panic", r)})
		}
	}()
	read()
}

func (rd *reader) problem(e yanshou.Evidence) { rd.att.Problems = append(rd.att.Problems, e) }

// open reads a file's tables, recording its problems.
func (rd *reader) open(f yanshou.File) *sheet.Book {
	book, probs := sheet.Open(f.Abs, f.Rel, rd.cfg)
	rd.att.Problems = append(rd.att.Problems, probs...)
	return book
}

// tables yields the visible tables of a book that have a header naming a person
// (name, ID or phone). A sheet without a header that continues the previous one (a
// long list split over sheets: ID numbers in the same column) takes its header. A
// hidden sheet with such a header, and a visible sheet with content but no header,
// are reported and not read.
func (rd *reader) tables(book *sheet.Book, what string) []headed {
	var out []headed
	var prev *sheet.Header
	for _, t := range book.Tables {
		if len(t.Rows) == 0 {
			continue
		}
		h, ok := t.FindHeader(sheet.Columns(), 1)
		ok = ok && (h.Has("name") || h.Has("id") || h.Has("phone"))
		if t.Hidden {
			if ok {
				rd.problem(t.Evidence(-1, templates.Say("roster.hidden_sheet", what)))
			}
			continue
		}
		if !ok {
			if prev != nil && continues(t, *prev) {
				out = append(out, headed{t, sheet.Header{Row: -1, Data: 0, Cols: prev.Cols, Names: prev.Names}})
				continue
			}
			rd.problem(t.Evidence(-1, templates.Say("roster.no_header")))
			continue
		}
		prev = &h
		out = append(out, headed{t, h})
	}
	return out
}

// continues reports whether a headerless table holds ID numbers in the column the
// previous header gives for them, in at least half of its non-empty rows.
func continues(t *sheet.Table, h sheet.Header) bool {
	c := h.Col("id")
	if c < 0 {
		return false
	}
	rows, ids := 0, 0
	for r := range t.Rows {
		if t.IsEmptyRow(r) {
			continue
		}
		rows++
		if id := sheet.NormID(t.Cell(r, c)); len(id) >= 15 && allDigits(strings.TrimSuffix(id, "X")) {
			ids++
		}
	}
	return rows > 0 && 2*ids >= rows
}

type headed struct {
	t *sheet.Table
	h sheet.Header
}

// person is who a row names.
type person struct {
	name, id, phone string
	key             string // nameKey(name), filled by match
	loss            int
}

// personAt reads the name, ID and phone of row r, normalised.
func personAt(t *sheet.Table, h sheet.Header, r int) person {
	p := person{
		name:  sheet.NormName(h.Get(t, r, "name")),
		id:    sheet.NormID(h.Get(t, r, "id")),
		phone: sheet.NormPhone(h.Get(t, r, "phone")),
	}
	p.loss, p.id = idLoss(t, r, h.Col("id"), p.id)
	return p
}

// dataRows yields the data rows of a table: not empty, not notes or footers, not a
// repeated header.
func dataRows(t *sheet.Table, h sheet.Header, fn func(r int)) {
	for r := h.Data; r < len(t.Rows); r++ {
		if t.IsEmptyRow(r) || t.IsNoteRow(r) || h.Repeats(t, r) {
			continue
		}
		fn(r)
	}
}

// ---- roster ---------------------------------------------------------------------

func (rd *reader) readRoster(f yanshou.File, lossy map[int]bool) {
	book := rd.open(f)
	if book == nil {
		return
	}
	first := map[string]int{} // ID → trainee index, for duplicates
	for i, tr := range rd.att.Trainees {
		if _, ok := first[tr.ID]; !ok && tr.ID != "" && !lossy[i] {
			first[tr.ID] = i
		}
	}
	found := false
	for _, ht := range rd.tables(book, templates.Say("roster.what_trainees")) {
		t, h := ht.t, ht.h
		if !h.Has("name") && !h.Has("id") {
			rd.problem(t.Evidence(h.Row, templates.Say("roster.roster_no_columns")))
			continue
		}
		found = true
		dataRows(t, h, func(r int) {
			p := personAt(t, h, r)
			if p.name == "" && p.id == "" && p.phone == "" {
				return // a numbered but empty row
			}
			rd.rosterRow(t, h, r, p, first, lossy)
		})
	}
	if !found && len(book.Tables) > 0 {
		rd.problem(yanshou.Evidence{File: f.Rel, Detail: templates.Say("roster.roster_none")})
	}
}

func (rd *reader) rosterRow(t *sheet.Table, h sheet.Header, r int, p person, first map[string]int, lossy map[int]bool) {
	tr := yanshou.Trainee{
		Name: p.name, ID: p.id, Phone: p.phone,
		Gender:   sheet.Compact(h.Get(t, r, "gender")),
		Town:     h.Get(t, r, "town"),
		Category: sheet.CategoryOf(h.Get(t, r, "category")), // 合作社员 counted as 合作社成员
		File:     t.File, Sheet: t.Sheet, Row: r + 1,
	}
	if tr.Town == "" {
		tr.Town = h.Get(t, r, "address")
	}
	tr.Poor = isPoor(h.Get(t, r, "poor")) || isPoor(tr.Category)
	idx := len(rd.att.Trainees)
	switch {
	case p.loss == idNumeric:
		rd.problem(t.Evidence(r, templates.Say("roster.id_numeric", h.Get(t, r, "id"))))
		lossy[idx] = true
	case p.loss == idSuspect:
		rd.problem(t.Evidence(r, templates.Say("roster.id_suspect", p.id)))
		lossy[idx] = true
	case p.id == "":
		rd.problem(t.Evidence(r, templates.Say("roster.id_missing", orDash(p.name))))
	default:
		if why := ValidID(p.id); why != "" {
			rd.problem(t.Evidence(r, templates.Say("roster.id_invalid", orDash(p.name), p.id, why)))
		} else {
			rd.checkPerson(t, r, &tr)
		}
	}
	if p.name == "" {
		rd.problem(t.Evidence(r, templates.Say("roster.name_missing")))
	}
	if strings.Contains(p.phone, "E+") || strings.Contains(p.phone, "e+") {
		rd.problem(t.Evidence(r, templates.Say("roster.phone_scientific", p.phone)))
	} else if p.phone != "" && !plausiblePhone(p.phone) {
		rd.problem(t.Evidence(r, templates.Say("roster.phone_digits", orDash(p.name), h.Get(t, r, "phone"))))
	}
	if p.id != "" && !lossy[idx] {
		if j, dup := first[p.id]; dup {
			o := rd.att.Trainees[j]
			rd.problem(t.Evidence(r, templates.Say("roster.id_duplicate", p.id, orDash(p.name), placeOf(o.File, o.Sheet, o.Row, t.File), orDash(o.Name))))
		} else {
			first[p.id] = idx
		}
	}
	if len(p.id) >= 6 {
		for _, pre := range rd.cfg.LocalPrefixes() {
			if strings.HasPrefix(p.id, pre) {
				tr.Local = true
			}
		}
	}
	rd.att.Trainees = append(rd.att.Trainees, tr)
}

// checkPerson compares what a valid ID says with the row: age at the class's start
// within the configured bounds, and the sex column. It records the birth date.
func (rd *reader) checkPerson(t *sheet.Table, r int, tr *yanshou.Trainee) {
	th := rd.cfg.Thresholds
	birth, _ := idBirth(tr.ID)
	tr.Birth = birth.Format("2006-01-02")
	if rd.class != nil && !rd.class.Start.IsZero() && th.TraineeMaxAge > 0 {
		age := ageAt(birth, rd.class.Start.Time)
		if age < th.TraineeMinAge || age > th.TraineeMaxAge {
			rd.problem(t.Evidence(r, templates.Say("roster.age", orDash(tr.Name), age, th.TraineeMinAge, th.TraineeMaxAge)))
		}
	}
	male := idMale(tr.ID)
	switch tr.Gender {
	case "":
		if male {
			tr.Gender = "男"
		} else {
			tr.Gender = "女"
		}
	case "男", "女":
		if (tr.Gender == "男") != male {
			want := "女"
			if male {
				want = "男"
			}
			rd.problem(t.Evidence(r, templates.Say("roster.gender", orDash(tr.Name), tr.Gender, want)))
		}
	}
}

func isPoor(s string) bool {
	if s == "" {
		return false
	}
	if sheet.IsWord("yes", s) {
		return true
	}
	return sheet.ContainsWord("poor", s) && !strings.ContainsAny(s, "非否不")
}

// plausiblePhone: an 11-digit mobile number, or a landline of 7–12 digits.
func plausiblePhone(p string) bool {
	if !allDigits(p) {
		return false
	}
	if p[0] == '1' {
		return len(p) == 11
	}
	return len(p) >= 7 && len(p) <= 12
}

func orDash(s string) string {
	if s == "" {
		return templates.Say("roster.no_name")
	}
	return s
}

// placeOf names another row (1-based) for a message: the file only when it
// differs, then the sheet and row as sheet.Table.Where names them.
func placeOf(file, sheetName string, row int, here string) string {
	where := (&sheet.Table{File: file, Sheet: sheetName}).Where(row - 1)
	if file != here {
		return file + " " + where
	}
	return where
}
