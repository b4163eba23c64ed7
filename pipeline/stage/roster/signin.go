package roster

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// session is one training session found in the sign-in sheets.
type session struct {
	label string
	date  time.Time // zero when unknown
	order int
	src   yanshou.Evidence // where it was first seen
}

var (
	// a date anywhere in a text: 2026年3月10日, 2026-03-10, 2026.3.10, 3月10日, 3.10
	reDateIn = regexp.MustCompile(`\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?|\d{8}|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|^\d{1,2}[-/.]\d{1,2}$`)
	// a part of day or a numbered session
	reQualifier = regexp.MustCompile(`上午|下午|中午|晚上|晚间|第[0-9一二三四五六七八九十]+[场次节课讲天]`)
	// sheet names that say nothing about the session
	reGeneric = regexp.MustCompile(`(?i)^(sheet|工作表|表|签到表|签到|签到记录|签到表格)\s*\d*$`)
	// a column header that is a session of a grid (考勤表)
	reSessionHead = regexp.MustCompile(`^(第[0-9一二三四五六七八九十]+[场次节课讲天日]|上午|下午|晚上)`)
)

// sessionText finds a session in a free text (sheet name, title, file stem, a 场次
// or 日期 cell): a date, optionally with a part of day or session number. ok is false
// when the text holds no date.
func (rd *reader) sessionText(s string) (label string, date time.Time, ok bool) {
	s = sheet.Compact(s)
	m := reDateIn.FindStringIndex(s)
	if m == nil {
		return "", time.Time{}, false
	}
	w, err := sheet.ParseWhen(s[m[0]:m[1]], rd.loc, rd.year)
	if err != nil || !w.HasDate {
		return "", time.Time{}, false
	}
	date = w.Date()
	label = date.Format("2006-01-02")
	rest := s[:m[0]] + s[m[1]:]
	if q := reQualifier.FindString(rest); q != "" {
		label += " " + q
	}
	return label, date, true
}

// session registers (or finds) a session by label.
func (rd *reader) session(label string, date time.Time, src yanshou.Evidence) *session {
	if s, ok := rd.sessions[label]; ok {
		if s.date.IsZero() && !date.IsZero() {
			s.date = date
		}
		return s
	}
	s := &session{label: label, date: date, order: len(rd.order), src: src}
	rd.sessions[label] = s
	rd.order = append(rd.order, s)
	return s
}

func (rd *reader) readSignIns(f yanshou.File) {
	book := rd.open(f)
	if book == nil {
		return
	}
	tables := rd.tables(book, templates.Say("roster.what_signins"))
	before := len(rd.att.SignIns)
	for _, ht := range tables {
		rd.signInTable(f, ht.t, ht.h, len(tables))
	}
	if len(rd.att.SignIns) == before && len(book.Tables) > 0 {
		rd.problem(yanshou.Evidence{File: f.Rel, Detail: templates.Say("roster.signin_none")})
	}
}

// tableSession is the session a whole table stands for: its sheet name, else a
// date in the rows above the header, else the file name.
func (rd *reader) tableSession(f yanshou.File, t *sheet.Table, h sheet.Header, tables int) *session {
	src := place(t, -1)
	name := sheet.Compact(t.Sheet)
	if name != "" && !reGeneric.MatchString(name) {
		if label, d, ok := rd.sessionText(name); ok {
			return rd.session(label, d, src)
		}
		return rd.session(name, time.Time{}, src)
	}
	for r := 0; r < h.Row; r++ {
		for c := range t.Rows[r] {
			if w, err := t.When(r, c, rd.loc, rd.year); err == nil && w.HasDate && t.IsDate(r, c) {
				return rd.session(w.Date().Format("2006-01-02"), w.Date(), place(t, r))
			}
			if label, d, ok := rd.sessionText(t.Cell(r, c)); ok {
				return rd.session(label, d, place(t, r))
			}
		}
	}
	stem := sheet.Stem(f.Rel)
	if label, d, ok := rd.sessionText(stem); ok && tables == 1 {
		return rd.session(label, d, src)
	}
	if tables > 1 && name != "" {
		return rd.session(stem+"·"+t.Sheet, time.Time{}, src)
	}
	return rd.session(stem, time.Time{}, src)
}

// signInTable reads one sign-in table in whichever form it has.
func (rd *reader) signInTable(f yanshou.File, t *sheet.Table, h sheet.Header, tables int) {
	if grid := rd.gridColumns(t, h); len(grid) > 0 {
		rd.gridTable(t, h, grid)
		return
	}
	dateCol, sessCol, timeCol := h.Col("date"), h.Col("session"), h.Col("signtime")
	useTime := false
	if dateCol < 0 && sessCol < 0 && timeCol >= 0 { // several days in a 签到时间 column
		days := map[string]bool{}
		dataRows(t, h, func(r int) {
			if w, err := t.When(r, timeCol, rd.loc, rd.year); err == nil && w.HasDate {
				days[w.Date().Format("2006-01-02")] = true
			}
		})
		useTime = len(days) > 1
	}
	var whole *session
	if dateCol < 0 && sessCol < 0 && !useTime {
		whole = rd.tableSession(f, t, h, tables)
	}
	// A 签到/签名 column marks presence only when somebody's mark is in it.
	markCol, marked := h.Col("signed"), false
	if markCol >= 0 {
		dataRows(t, h, func(r int) {
			if m := sheet.Clean(t.Cell(r, markCol)); m != "" && !sheet.IsWord("absent", m) {
				marked = true
			}
		})
	}
	var last *session
	var lossRows []int
	dataRows(t, h, func(r int) {
		p := personAt(t, h, r)
		if p.name == "" && p.id == "" && p.phone == "" {
			return
		}
		if markCol >= 0 {
			m := sheet.Clean(t.Cell(r, markCol))
			if sheet.IsWord("absent", m) || (marked && m == "") {
				return // not there
			}
		}
		s := whole
		switch {
		case useTime:
			if w, err := t.When(r, timeCol, rd.loc, rd.year); err == nil && w.HasDate {
				s = rd.session(w.Date().Format("2006-01-02"), w.Date(), place(t, r))
			}
		case whole == nil:
			s = rd.rowSession(t, r, dateCol, sessCol)
		}
		if s == nil {
			s = last
		}
		if s == nil {
			s = rd.tableSession(f, t, h, tables)
		}
		last = s
		if p.loss != idIntact {
			lossRows = append(lossRows, r)
		}
		si := yanshou.SignIn{Session: s.label, Name: p.name, ID: p.id, Phone: p.phone,
			File: t.File, Sheet: t.Sheet, Row: r + 1}
		mt := rd.idx.match(p)
		si.Trainee, si.Match, si.Reason, si.NameDiffers = mt.trainee, mt.match, mt.reason, mt.nameDiffers
		rd.att.SignIns = append(rd.att.SignIns, si)
	})
	if len(lossRows) > 0 {
		rd.problem(t.Evidence(lossRows[0], templates.Say("roster.signin_id_numeric", len(lossRows))))
	}
}

// place is an Evidence naming a row (0-based; -1: the sheet) whose Detail is the
// place alone, to be completed by a message.
func place(t *sheet.Table, r int) yanshou.Evidence {
	e := yanshou.Evidence{File: t.File, Sheet: t.Sheet, Detail: t.Where(r)}
	if r >= 0 {
		e.Row = r + 1
	}
	return e
}

// rowSession reads a row's 日期 and 场次 cells; nil when both are empty (the
// previous row's session then continues).
func (rd *reader) rowSession(t *sheet.Table, r, dateCol, sessCol int) *session {
	dateText := sheet.Clean(t.Cell(r, dateCol))
	sessText := sheet.Clean(t.Cell(r, sessCol))
	if dateText == "" && sessText == "" {
		return nil
	}
	var date time.Time
	label := ""
	if dateText != "" {
		if w, err := t.When(r, dateCol, rd.loc, rd.year); err == nil && w.HasDate {
			date = w.Date()
			label = date.Format("2006-01-02")
		} else if l, d, ok := rd.sessionText(dateText); ok {
			label, date = l, d
		} else {
			// Report each unreadable date once per sheet; without the class's year a
			// date such as 3月10日 is simply kept as the label.
			key := t.File + "\x00" + t.Sheet + "\x00" + dateText
			if rd.year != 0 && !rd.badDates[key] {
				rd.badDates[key] = true
				rd.problem(t.Evidence(r, templates.Say("roster.signin_date_unreadable", dateText)))
			}
			label = dateText
		}
	}
	if sessText != "" {
		if l, d, ok := rd.sessionText(sessText); ok {
			if label == "" || date.Equal(d) {
				label, date = l, d
			} else {
				label += " " + sessText
			}
		} else if label == "" {
			label = sessText
		} else {
			label += " " + sessText
		}
	}
	return rd.session(label, date, place(t, r))
}

// gridColumns finds the columns of a grid (考勤表): header cells that are dates or
// name a session (第1场, 上午 …) and are not a known field.
func (rd *reader) gridColumns(t *sheet.Table, h sheet.Header) map[int]*session {
	if !h.Has("name") && !h.Has("id") {
		return nil
	}
	known := map[int]bool{}
	for _, c := range h.Cols {
		known[c] = true
	}
	cols := map[int]*session{}
	for c, text := range h.Names {
		if known[c] || text == "" || sheet.Columns().Match(text) != "" {
			continue
		}
		src := place(t, h.Row)
		if t.IsDate(h.Row, c) {
			if w, err := t.When(h.Row, c, rd.loc, rd.year); err == nil && w.HasDate {
				label := w.Date().Format("2006-01-02")
				if sub := sheet.Clean(t.Cell(h.Row+1, c)); h.Data == h.Row+2 && reQualifier.MatchString(sub) {
					label += " " + reQualifier.FindString(sub)
				}
				cols[c] = rd.session(label, w.Date(), src)
				continue
			}
		}
		if label, d, ok := rd.sessionText(text); ok {
			cols[c] = rd.session(label, d, src)
		} else if reSessionHead.MatchString(sheet.Compact(text)) {
			cols[c] = rd.session(sheet.Compact(text), time.Time{}, src)
		}
	}
	return cols
}

// gridTable reads a grid: one row per person, a mark under each session attended.
func (rd *reader) gridTable(t *sheet.Table, h sheet.Header, grid map[int]*session) {
	cols := make([]int, 0, len(grid))
	for c := range grid {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	dataRows(t, h, func(r int) {
		p := personAt(t, h, r)
		if p.name == "" && p.id == "" && p.phone == "" {
			return
		}
		mt := rd.idx.match(p)
		for _, c := range cols {
			mark := sheet.Clean(t.Cell(r, c))
			if mark == "" || sheet.IsWord("absent", mark) {
				continue
			}
			rd.att.SignIns = append(rd.att.SignIns, yanshou.SignIn{Session: grid[c].label, Name: p.name, ID: p.id,
				Phone: p.phone, File: t.File, Sheet: t.Sheet, Row: r + 1, Match: mt.match, Trainee: mt.trainee, Reason: mt.reason,
				NameDiffers: mt.nameDiffers})
		}
	})
}

// finishSessions orders the sessions (dated ones by date, then in the order found),
// checks their dates against the training dates, and counts every trainee's
// sessions.
func (rd *reader) finishSessions() {
	ss := append([]*session(nil), rd.order...)
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if a.date.IsZero() != b.date.IsZero() {
			return !a.date.IsZero()
		}
		if !a.date.Equal(b.date) {
			return a.date.Before(b.date)
		}
		return a.order < b.order
	})
	for _, s := range ss {
		rd.att.Sessions = append(rd.att.Sessions, s.label)
		c := rd.class
		if s.date.IsZero() || c == nil || c.Start.IsZero() || c.End.IsZero() {
			continue
		}
		if s.date.Before(c.Start.Time) || s.date.After(c.End.Time) {
			e := s.src
			if e.Detail != "" {
				e.Detail += "："
			}
			e.Detail += templates.Say("roster.signin_outside", s.date.Format("2006-01-02"), c.Start, c.End)
			rd.problem(e)
		}
	}
	rd.phoneTaken()
	// A person signed in twice in one session: one problem naming every row.
	for _, g := range Repeats(rd.att) {
		rd.problem(g[len(g)-1])
	}
	n := len(ss)
	attended := make([]map[string]bool, len(rd.att.Trainees))
	for _, si := range rd.att.SignIns {
		if si.Match != yanshou.Matched || si.Trainee < 0 || si.Trainee >= len(attended) {
			continue
		}
		if attended[si.Trainee] == nil {
			attended[si.Trainee] = map[string]bool{}
		}
		attended[si.Trainee][si.Session] = true
	}
	need := rd.cfg.Thresholds.TraineeMinSessionShare * float64(n)
	for i := range rd.att.Trainees {
		k := len(attended[i])
		rd.att.Trainees[i].Sessions = k
		rd.att.Trainees[i].Trained = k >= 1 && float64(k) >= need-1e-9
	}
}

// Repeats lists the people who signed in more than once in one session — the same
// roster trainee, or a walk-in with the same ID (or, without one, the same name and
// phone); ambiguous rows are not anybody yet. Each group holds one Evidence per row
// (file, sheet, row), every one naming the person, the session and all the rows,
// in the order read.
func Repeats(a *yanshou.Attendance) [][]yanshou.Evidence {
	if a == nil {
		return nil
	}
	type key struct{ session, who string }
	var order []key
	groups := map[key][]int{}
	for i, s := range a.SignIns {
		who := ""
		switch {
		case s.Match == yanshou.Matched && s.Trainee >= 0:
			who = fmt.Sprintf("t:%d", s.Trainee)
		case s.Match != yanshou.WalkIn:
			continue
		case s.ID != "":
			who = "i:" + s.ID
		case s.Name != "":
			who = "n:" + s.Name + "/" + s.Phone
		default:
			continue
		}
		k := key{s.Session, who}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	var out [][]yanshou.Evidence
	for _, k := range order {
		rows := groups[k]
		if len(rows) < 2 {
			continue
		}
		first := a.SignIns[rows[0]]
		name := first.Name
		if first.Match == yanshou.Matched && first.Trainee < len(a.Trainees) && a.Trainees[first.Trainee].Name != "" {
			name = a.Trainees[first.Trainee].Name
		}
		var places []string
		for _, i := range rows {
			s := a.SignIns[i]
			places = append(places, placeOf(s.File, s.Sheet, s.Row, ""))
		}
		detail := templates.Say("roster.signin_repeat", orDash(name), k.session, len(rows), strings.Join(places, "、"))
		g := make([]yanshou.Evidence, 0, len(rows))
		for _, i := range rows {
			s := a.SignIns[i]
			g = append(g, yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: detail})
		}
		out = append(out, g)
	}
	return out
}

// phoneTaken undoes a match by phone or masked ID under another name where the
// trainee also signed in the same session under their own name: the row is
// somebody else using the trainee's phone (a family member), a walk-in.
func (rd *reader) phoneTaken() {
	type key struct {
		session string
		trainee int
	}
	direct := map[key]bool{}
	for _, si := range rd.att.SignIns {
		if si.Match == yanshou.Matched && si.NameDiffers == "" {
			direct[key{si.Session, si.Trainee}] = true
		}
	}
	for i := range rd.att.SignIns {
		si := &rd.att.SignIns[i]
		if si.Match == yanshou.Matched && si.NameDiffers != "" && direct[key{si.Session, si.Trainee}] {
			si.Reason = templates.Say("roster.walkin_phone_taken", si.NameDiffers, si.NameDiffers)
			si.Match, si.Trainee, si.NameDiffers = yanshou.WalkIn, -1, ""
		}
	}
}
