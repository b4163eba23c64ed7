// Package paper reads the paper sign-in sheets printed by `yanshou
// signin-sheets` (pipeline/format/signform) back from their scans (image-only
// PDFs: each page's embedded image, or the page rendered by pdftoppm when
// installed) and phone photos (JPEG, PNG): every signature box 已签 / 未签 /
// 无法判断, a name written in a blank row as a walk-in. Its rows are sign-ins
// like the xlsx reader's (session, trainee, source = file + page + row), so
// attendance counts them unchanged. Pages of a session may come in any order
// and twice; a missing page is a problem naming its rows; a picture that is not
// one of our sheets is listed for manual checking, never guessed.
package paper

import (
	"fmt"
	"image"
	"path"
	"sort"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/signform"
	"yanshou/templates"
)

// Box is one signature box as read, for the reviewer (签字核对).
type Box struct {
	Session  string
	Page     int // of the session's sheet, from 1
	Row      int // on the page, from 1
	Trainee  int // roster index; -1 for a blank row (walk-in)
	State    signform.State
	Ink      float64
	File     string // the picture it was read from
	FilePage int    // page of that file (0 for a photo)
	Crop     *image.Gray
	NameCrop *image.Gray // the name cell of a blank row (walk-in); nil for roster rows
}

// Result is what the paper sheets of one class gave.
type Result struct {
	SignIns  []yanshou.SignIn
	Boxes    []Box
	Sessions []string           // in order of first appearance
	Problems []yanshou.Evidence // pages unreadable, missing, of another roster or class; boxes 无法判断
	Alike    []yanshou.Evidence // pages on which one hand seems to have signed for many (alike), one a page
	Manual   []yanshou.Evidence // pictures that are not our sheets: for manual checking
}

// Class tells the reader which class the sheets must belong to: its roster
// (each page's digest of its trainees' IDs must match the roster's rows) and
// its dates (a page of a session dated outside them is another class's). The
// class id in the QR code is not compared: sheets printed a day at a time
// carry other ids than the whole class would.
type Class struct {
	Trainees   []yanshou.Trainee
	Start, End string // 2006-01-02; "" when unknown
}

// IsPicture reports whether a file may be a paper sheet: a PDF or a
// JPEG/PNG/HEIC picture.
func IsPicture(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".pdf", ".jpg", ".jpeg", ".png", ".heic", ".heif":
		return true
	}
	return false
}

// pageKey is one page of one session's sheet.
type pageKey struct {
	session string
	page    int
}

// seen is a page read, with where it came from.
type seen struct {
	read *signform.PageRead
	file string
	fp   int
}

// Read reads the files (PDFs and pictures of the 签到表 material) against the
// class. maxPixels bounds a picture (config intake.max_image_pixels).
func Read(files []yanshou.File, c Class, th yanshou.Thresholds, maxPixels int64) *Result {
	res := &Result{}
	lim := signform.Limits{SignedMin: th.PaperInkSignedMin, EmptyMax: th.PaperInkEmptyMax}
	keys := make([]string, len(c.Trainees))
	for i, t := range c.Trainees {
		keys[i] = t.ID
	}
	pages := map[pageKey]*seen{}
	total := map[string]int{} // session → pages of its sheet
	sorted := append([]yanshou.File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rel < sorted[j].Rel })
	for _, f := range sorted {
		where := func(fp int) yanshou.Evidence {
			e := yanshou.Evidence{File: f.Rel}
			if fp > 0 {
				e.Sheet = templates.Say("paper.file_page", fp)
			}
			return e
		}
		handle := func(pic picture) {
			e := where(pic.page)
			if pic.err != "" {
				e.Detail = templates.Say("paper.unreadable", pic.err)
				res.Manual = append(res.Manual, e)
				return
			}
			r, err := signform.ReadPage(pic.img, lim)
			switch {
			case err == signform.ErrNoQR:
				e.Detail = templates.Say("paper.not_ours")
				res.Manual = append(res.Manual, e)
				return
			case r == nil && err != nil: // a QR code of something else
				e.Detail = templates.Say("paper.other_qr")
				res.Manual = append(res.Manual, e)
				return
			case err != nil:
				e.Detail = templates.Say("paper.no_marks", r.Payload.Session, r.Payload.Page, r.Payload.Pages, rowsText(c.Trainees, r.Payload))
				res.Problems = append(res.Problems, e)
				total[r.Payload.Session] = max(total[r.Payload.Session], r.Payload.Pages)
				if _, ok := pages[pageKey{r.Payload.Session, r.Payload.Page}]; !ok {
					pages[pageKey{r.Payload.Session, r.Payload.Page}] = nil // seen, not read: not "missing"
				}
				return
			}
			p := r.Payload
			if day := sessionDay(p.Session); day != "" && ((c.Start != "" && day < c.Start) || (c.End != "" && day > c.End)) {
				e.Detail = templates.Say("paper.other_class", p.Session, p.Page)
				res.Problems = append(res.Problems, e)
				return
			}
			if p.First+p.Rows > len(c.Trainees) || signform.Digest(keys[p.First:p.First+p.Rows]) != p.Check {
				e.Detail = templates.Say("paper.other_roster", p.Session, p.Page)
				res.Problems = append(res.Problems, e)
				return
			}
			total[p.Session] = max(total[p.Session], p.Pages)
			k := pageKey{p.Session, p.Page}
			if old := pages[k]; old != nil {
				merge(res, old, r, e, c.Trainees)
				return
			}
			pages[k] = &seen{read: r, file: f.Rel, fp: pic.page}
		}
		switch strings.ToLower(path.Ext(f.Rel)) {
		case ".pdf":
			if err := pdfPages(f.Abs, maxPixels, handle); err != nil {
				e := where(0)
				e.Detail = templates.Say("paper.pdf_unreadable", err.Error())
				res.Manual = append(res.Manual, e)
			}
		case ".jpg", ".jpeg", ".png", ".heic", ".heif":
			handle(photo(f.Abs, maxPixels))
		}
	}
	// sessions in order of their labels (dates first), pages in order
	var sessions []string
	for s := range total {
		sessions = append(sessions, s)
	}
	sort.Strings(sessions)
	res.Sessions = sessions
	for _, s := range sessions {
		for pg := 1; pg <= total[s]; pg++ {
			sp, ok := pages[pageKey{s, pg}]
			if !ok {
				res.Problems = append(res.Problems, yanshou.Evidence{Detail: templates.Say("paper.missing_page", s, pg, total[s], missingRows(c.Trainees, pg))})
				continue
			}
			if sp == nil {
				continue
			}
			res.rows(sp, c.Trainees)
			res.Alike = append(res.Alike, alike(sp, c.Trainees, th)...)
		}
	}
	return res
}

// rows turns a page read into boxes and sign-ins.
func (res *Result) rows(sp *seen, ts []yanshou.Trainee) {
	p := sp.read.Payload
	for _, b := range sp.read.Boxes {
		row := b.Row + 1
		src := yanshou.SignIn{Session: p.Session, File: sp.file, Sheet: templates.Say("paper.sheet_page", p.Page), Row: row, Trainee: -1}
		if sp.fp > 0 {
			src.Sheet = templates.Say("paper.sheet_page_of_file", p.Page, sp.fp)
		}
		if b.Row < p.Rows {
			k := p.First + b.Row
			t := ts[k]
			res.Boxes = append(res.Boxes, Box{Session: p.Session, Page: p.Page, Row: row, Trainee: k, State: b.State, Ink: b.Ink, File: sp.file, FilePage: sp.fp, Crop: b.Crop})
			switch b.State {
			case signform.Signed:
				src.Name, src.ID, src.Match, src.Trainee = t.Name, t.ID, yanshou.Matched, k // no phone: nobody wrote one
				src.Reason = templates.Say("paper.signed")
				res.SignIns = append(res.SignIns, src)
			case signform.Unsure:
				res.Problems = append(res.Problems, yanshou.Evidence{File: sp.file, Sheet: src.Sheet, Row: row,
					Detail: templates.Say("paper.unsure", p.Session, t.Name)})
			}
			continue
		}
		if b.NameState == signform.Signed || b.State == signform.Signed {
			res.Boxes = append(res.Boxes, Box{Session: p.Session, Page: p.Page, Row: row, Trainee: -1, State: b.State, Ink: b.Ink, File: sp.file, FilePage: sp.fp, Crop: b.Crop, NameCrop: b.NameCrop})
			src.Match, src.Name = yanshou.WalkIn, templates.Say("paper.walkin_name", p.Page, row)
			src.Reason = templates.Say("paper.walkin")
			res.SignIns = append(res.SignIns, src)
		}
	}
}

// merge compares a second picture of a page with the first: a box read signed
// in one and empty in the other becomes 无法判断; signed beats 无法判断.
func merge(res *Result, old *seen, r *signform.PageRead, e yanshou.Evidence, ts []yanshou.Trainee) {
	for i := range old.read.Boxes {
		if i >= len(r.Boxes) {
			break
		}
		a, b := &old.read.Boxes[i], r.Boxes[i]
		switch {
		case a.State == b.State:
		case a.State == signform.Unsure && b.State == signform.Signed, a.State == signform.Empty && b.State == signform.Unsure:
			a.State, a.Ink, a.Crop = b.State, b.Ink, b.Crop
		case a.State == signform.Signed && b.State == signform.Empty, a.State == signform.Empty && b.State == signform.Signed:
			a.State = signform.Unsure
			name := ""
			if i < r.Payload.Rows {
				name = ts[r.Payload.First+i].Name
			}
			res.Problems = append(res.Problems, yanshou.Evidence{File: e.File, Sheet: e.Sheet, Row: i + 1,
				Detail: templates.Say("paper.copies_disagree", r.Payload.Session, r.Payload.Page, i+1, name, old.file)})
		}
		if a.NameState != signform.Signed && b.NameState == signform.Signed {
			a.NameState = b.NameState
		}
	}
}

// sessionDay is the date a session label starts with (2006-01-02), or "".
func sessionDay(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return ""
}

// rowsText names the trainees a page holds: 第26–50行（张三 至 李四）.
func rowsText(ts []yanshou.Trainee, p signform.Payload) string {
	if p.Rows == 0 || p.First+p.Rows > len(ts) {
		return templates.Say("paper.rows_blank")
	}
	return templates.Say("paper.rows", p.First+1, p.First+p.Rows, ts[p.First].Name, ts[p.First+p.Rows-1].Name)
}

// missingRows names the trainees of page pg of a sheet as signin-sheets lays
// the roster out (RowsPerPage a page, in roster order).
func missingRows(ts []yanshou.Trainee, pg int) string {
	first := (pg - 1) * signform.RowsPerPage
	n := min(signform.RowsPerPage, len(ts)-first)
	if n <= 0 {
		return templates.Say("paper.rows_blank")
	}
	return rowsText(ts, signform.Payload{First: first, Rows: n})
}

// Covered gives, by session, the roster trainees whose box was read (whatever
// its state): where the paper decides. A session of which no page was read is
// not in it.
func (res *Result) Covered() map[string]map[int]bool {
	out := map[string]map[int]bool{}
	for _, b := range res.Boxes {
		if out[b.Session] == nil {
			out[b.Session] = map[int]bool{}
		}
		if b.Trainee >= 0 {
			out[b.Session][b.Trainee] = true
		}
	}
	return out
}

// String summarises the result for logs.
func (res *Result) String() string {
	return fmt.Sprintf("%d 场，%d 个签名栏，%d 条签到，%d 个问题，%d 个待人工核对", len(res.Sessions), len(res.Boxes), len(res.SignIns), len(res.Problems), len(res.Manual))
}

// TypedButEmpty compares the typed sign-ins of the sessions the paper covers
// (roster.UsePaper returns them) with the paper: a trainee typed as present
// whose box on the paper is 未签 is one evidence, naming the trainee, the
// session, the page and row of the paper and the typed row. One per trainee
// and session.
func TypedButEmpty(res *Result, typed []yanshou.SignIn, ts []yanshou.Trainee) []yanshou.Evidence {
	type key struct {
		session string
		trainee int
	}
	empty := map[key]Box{}
	for _, b := range res.Boxes {
		if b.Trainee >= 0 && b.State == signform.Empty {
			empty[key{b.Session, b.Trainee}] = b
		}
	}
	type found struct {
		b Box
		e yanshou.Evidence
	}
	var out []found
	done := map[key]bool{}
	for _, s := range typed {
		k := key{s.Session, s.Trainee}
		b, ok := empty[k]
		if s.Match != yanshou.Matched || !ok || done[k] || s.Trainee >= len(ts) {
			continue
		}
		done[k] = true
		sheet := templates.Say("paper.sheet_page", b.Page)
		if b.FilePage > 0 {
			sheet = templates.Say("paper.sheet_page_of_file", b.Page, b.FilePage)
		}
		typedAt := s.File
		if s.Sheet != "" {
			typedAt += "「" + s.Sheet + "」"
		}
		out = append(out, found{b, yanshou.Evidence{File: b.File, Sheet: sheet, Row: b.Row,
			Detail: templates.Say("paper.typed_but_empty", ts[s.Trainee].Name, s.Session, typedAt, s.Row)}})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].b, out[j].b
		if a.Session != b.Session {
			return a.Session < b.Session
		}
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Row < b.Row
	})
	ev := make([]yanshou.Evidence, len(out))
	for i, f := range out {
		ev[i] = f.e
	}
	return ev
}
