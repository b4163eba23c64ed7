package pipeline

import (
	"time"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/rules"
)

// OfficeFindings are the findings of the office's own facts about a judged
// version: the rule of the headcount (rules.Headcount) evaluated by the rule
// set over the version's recorded facts with the class's headcounts as the
// ledger holds them now (hs, oldest first), under cfg's thresholds. The review
// desk, and documents rendered again after a review, take them into the
// version's report with yanshou.Report.WithOfficeFindings, so that a
// headcount recorded after judging counts as one recorded before would have.
// A version recorded without facts (judged before they were kept) gives none.
func OfficeFindings(set *rules.Set, cfg *yanshou.Config, judged *yanshou.Facts, hs []yanshou.Headcount) ([]yanshou.Finding, error) {
	if judged == nil || set == nil {
		return nil, nil
	}
	f := *judged
	var loc *time.Location // time.Local
	if cfg != nil {
		f.T, loc = cfg.Thresholds, cfg.Location
	}
	f.Evidence = map[string][]yanshou.Evidence{}
	facts.Headcounts(&f, hs, loc)
	return set.EvaluateOnly(&f, rules.Headcount)
}
