package render

import (
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/templates"
)

// reviewWords is templates/report/review.yaml: the 审核意见 block of the
// reviewed documents.
type reviewWords struct {
	Title          string   `yaml:"title"`
	Program        string   `yaml:"program"`
	DecisionsTitle string   `yaml:"decisions_title"`
	NoDecisions    string   `yaml:"no_decisions"`
	Header         []string `yaml:"header"`
	Stale          string   `yaml:"stale"`
	DismissedTitle string   `yaml:"dismissed_title"`
	DismissedItem  string   `yaml:"dismissed_item"`
	Final          string   `yaml:"final"`
	Confirmed      string   `yaml:"confirmed"`
	SetNote        string   `yaml:"set_note"`
	TimeFormat     string   `yaml:"time_format"`
	Notice         string   `yaml:"notice"`
}

// reviewTime is a decision's time in the county's zone.
func reviewTime(w *reviewWords, t time.Time, cfg *yanshou.Config) string {
	if t.IsZero() {
		return "—"
	}
	return local(t, cfg).Format(w.TimeFormat)
}

// reviewBlock sets the 审核意见 block of a reviewed document: the program's
// verdict, each decision of the office (action, finding, reason, reviewer and
// role, time), the findings dismissed, and the final verdict with its
// confirmation. It sets nothing when r carries no review.
func reviewBlock(d *pdfdoc.Doc, f *templates.Filler, r *yanshou.Result, cfg *yanshou.Config) error {
	rv := r.Review
	if rv == nil {
		return nil
	}
	var w reviewWords
	if err := loadWording(cfg, "review.yaml", &w); err != nil {
		return err
	}
	section(d, w.Title)
	body := pdfdoc.TextStyle{Size: sizeBody, Lead: 1.6}
	d.Para(f.Do(w.Program, vars{"Verdict": rv.Program.Chinese()}), body)
	if len(rv.Decisions) == 0 {
		d.Para(w.NoDecisions, body)
	} else {
		d.Para(f.Do(w.DecisionsTitle, vars{"N": len(rv.Decisions)}), body)
		rows := make([][]string, len(rv.Decisions))
		for i, x := range rv.Decisions {
			finding := x.Finding
			if x.Stale {
				finding += w.Stale
			}
			rows[i] = []string{rowText(i + 1), x.Action, finding, x.Reason, x.Reviewer + "（" + x.Role + "）", reviewTime(&w, x.At, cfg)}
		}
		d.Table(pdfdoc.Table{Size: sizeTable, Header: w.Header, Cols: []pdfdoc.Column{
			{Share: 0.06, Align: pdfdoc.AlignCenter}, {Share: 0.09, Align: pdfdoc.AlignCenter}, {Share: 0.25},
			{Share: 0.30}, {Share: 0.14}, {Share: 0.16},
		}}, rows)
	}
	if len(rv.Dismissed) > 0 {
		d.Space(4)
		d.Para(w.DismissedTitle, body)
		for _, fd := range rv.Dismissed {
			d.Para(f.Do(w.DismissedItem, vars{"Article": fd.Article, "Severity": fd.Severity.Chinese(), "Finding": fd.Name(), "Message": fd.Message}),
				pdfdoc.TextStyle{Size: 9.5, Color: pdfdoc.Gray, Indent: 12, Lead: 1.45})
		}
	}
	d.Space(4)
	d.Para(f.Do(w.Final, vars{"Verdict": rv.Final.Chinese()}), pdfdoc.TextStyle{Size: 12, Bold: true, Lead: 1.6,
		Color: pdfdoc.RGBOf(rv.Final.Colour())})
	c := rv.Confirmed
	d.Para(f.Do(w.Confirmed, vars{"Reviewer": c.Reviewer, "Role": c.Role, "At": reviewTime(&w, c.At, cfg), "Reason": c.Reason}), body)
	d.Para(f.Do(w.SetNote, vars{"Set": rv.Set}), pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray, Lead: 1.5})
	return nil
}

// reviewNotice is the paragraph of a reviewed notice saying on whose
// confirmation it is issued; "" when r carries no review.
func reviewNotice(f *templates.Filler, r *yanshou.Result, cfg *yanshou.Config) (string, error) {
	rv := r.Review
	if rv == nil {
		return "", nil
	}
	var w reviewWords
	if err := loadWording(cfg, "review.yaml", &w); err != nil {
		return "", err
	}
	c := rv.Confirmed
	return f.Do(w.Notice, vars{"Program": rv.Program.Chinese(), "Final": rv.Final.Chinese(),
		"Reviewer": c.Reviewer, "Role": c.Role, "At": reviewTime(&w, c.At, cfg)}), nil
}
