package roster

import (
	"yanshou"
	"yanshou/pipeline/sheet"
)

// readFollowUps reads the phone follow-up records and matches each call to the
// roster. A call to someone not on the roster, a call dated before the training
// ended, and an empty 回访情况 are problems.
func (rd *reader) readFollowUps(f yanshou.File) {
	book := rd.open(f)
	if book == nil {
		return
	}
	before := len(rd.att.FollowUps)
	for _, ht := range rd.tables(book, "回访记录") {
		t, h := ht.t, ht.h
		timeCol, noteCol := h.Col("calltime"), h.Col("callnote")
		dataRows(t, h, func(r int) {
			p := personAt(t, h, r)
			if p.name == "" && p.id == "" && p.phone == "" {
				return
			}
			i, m, reason := rd.idx.match(p)
			rd.att.FollowUps = append(rd.att.FollowUps, yanshou.FollowUpCall{Name: p.name, ID: p.id, Phone: p.phone,
				File: t.File, Sheet: t.Sheet, Row: r + 1, Trainee: i})
			if m != yanshou.Matched {
				rd.problem(t.Problem(r, "回访对象「%s」无法与学员名单对应：%s", orDash(p.name), reason))
			}
			if timeCol >= 0 {
				if s := sheet.Clean(t.Cell(r, timeCol)); s != "" {
					w, err := t.When(r, timeCol, rd.loc, rd.year)
					switch {
					case err != nil:
						rd.problem(t.Problem(r, "回访时间「%s」无法识别：%v", s, err))
					case w.HasDate && rd.class != nil && !rd.class.End.IsZero() && w.Date().Before(rd.class.End.Time):
						rd.problem(t.Problem(r, "回访日期 %s 早于培训结束日期 %s", w.Date().Format("2006-01-02"), rd.class.End))
					}
				}
			}
			if noteCol >= 0 && sheet.Clean(t.Cell(r, noteCol)) == "" {
				rd.problem(t.Problem(r, "「%s」未填写回访情况", orDash(p.name)))
			}
		})
	}
	if len(rd.att.FollowUps) == before && len(book.Tables) > 0 {
		rd.problem(yanshou.Evidence{File: f.Rel, Detail: "电话回访记录中没有读到回访记录"})
	}
}
