package roster

import (
	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// readFollowUps reads the phone follow-up records and matches each call to the
// roster. It records each call's date, whether it precedes the training's last day,
// the 回访情况 and the outcome columns (开店, 网上销售, 是否开展电商应用) for the
// county's totals. A call to someone not on the roster, a call dated before the
// training ended (it does not count as a follow-up), a call without a date (when
// the training's end is known) and an empty 回访情况 are problems.
func (rd *reader) readFollowUps(f yanshou.File) {
	book := rd.open(f)
	if book == nil {
		return
	}
	before := len(rd.att.FollowUps)
	var end *yanshou.Date
	if rd.class != nil && !rd.class.End.IsZero() {
		end = &rd.class.End
	}
	for _, ht := range rd.tables(book, templates.Say("roster.what_followups")) {
		t, h := ht.t, ht.h
		timeCol, noteCol := h.Col("calltime"), h.Col("callnote")
		if timeCol < 0 && end != nil && h.Row >= 0 {
			rd.problem(t.Evidence(h.Row, templates.Say("roster.followup_no_date_column", end)))
		}
		dataRows(t, h, func(r int) {
			p := personAt(t, h, r)
			if p.name == "" && p.id == "" && p.phone == "" {
				return
			}
			mt := rd.idx.match(p)
			i, m, reason := mt.trainee, mt.match, mt.reason
			call := yanshou.FollowUpCall{Name: p.name, ID: p.id, Phone: p.phone,
				File: t.File, Sheet: t.Sheet, Row: r + 1, Trainee: i,
				Note:        h.Get(t, r, "callnote"),
				OpenedShop:  outcome(h.Get(t, r, "shop")),
				SellsOnline: outcome(h.Get(t, r, "sells")),
				Applied:     outcome(h.Get(t, r, "applied")),
			}
			if m != yanshou.Matched {
				rd.problem(t.Evidence(r, templates.Say("roster.followup_unmatched", orDash(p.name), reason)))
			}
			if timeCol >= 0 {
				if s := sheet.Clean(t.Cell(r, timeCol)); s != "" {
					w, err := t.When(r, timeCol, rd.loc, rd.year)
					switch {
					case err != nil:
						rd.problem(t.Evidence(r, templates.Say("roster.followup_time_unreadable", s, err)))
					case !w.HasDate:
						rd.problem(t.Evidence(r, templates.Say("roster.followup_time_only", s)))
					default:
						call.Date = w.Date().Format("2006-01-02")
						if end != nil && w.Date().Before(end.Time) {
							call.BeforeEnd = true
							rd.problem(t.Evidence(r, templates.Say("roster.followup_early", call.Date, end)))
						}
					}
				} else if end != nil {
					rd.problem(t.Evidence(r, templates.Say("roster.followup_undated", orDash(p.name))))
				}
			}
			if noteCol >= 0 && sheet.Clean(t.Cell(r, noteCol)) == "" {
				rd.problem(t.Evidence(r, templates.Say("roster.followup_no_note", orDash(p.name))))
			}
			rd.att.FollowUps = append(rd.att.FollowUps, call)
		})
	}
	if len(rd.att.FollowUps) == before && len(book.Tables) > 0 {
		rd.problem(yanshou.Evidence{File: f.Rel, Detail: templates.Say("roster.followup_none")})
	}
}

// outcome reads an outcome cell (是否开设网店, 网上销售 …): nil when empty; false
// for 否/无 or text saying "not (yet)" (未开店, 暂无, 准备开店); true for 是/√ or
// any other text (a shop's name, "拼多多").
func outcome(s string) *bool {
	s = sheet.Compact(s)
	if s == "" {
		return nil
	}
	v := true
	switch {
	case sheet.IsWord("yes", s):
	case sheet.IsWord("no", s), sheet.ContainsWord("not_yet", s):
		v = false
	}
	return &v
}
