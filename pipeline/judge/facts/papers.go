package facts

import (
	"yanshou"
	"yanshou/pipeline/format/gongwen"
	"yanshou/templates"
)

// gatherPapers holds the manifest to the documents' own text: the 批复's 文号
// and 成文日期 against approval_no and approved, its date against the first
// training day whatever the manifest says, the notice's and the application's
// dates. A document whose text could not be read is counted, never judged.
func gatherPapers(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	class := in.Submission.Class
	var approvedOn yanshou.Date
	for _, p := range in.Papers {
		at := yanshou.Evidence{File: p.File}
		page := ""
		if p.Page > 0 {
			page = templates.Say("facts.paper_page", p.Page)
		}
		if !p.Read {
			f.Papers.Unread++
			at.Detail = templates.Say("facts.paper_unread", p.Kind.String(), p.Problem)
			ev(yanshou.EvPapersUnread, at)
			continue
		}
		switch p.Kind {
		case yanshou.Approval:
			f.Papers.ApprovalRead = true
			approvedOn = p.Date
			if class == nil {
				continue
			}
			if p.Number != "" && class.ApprovalNo != "" && gongwen.NormNumber(class.ApprovalNo) != p.Number {
				f.Papers.ApprovalNoDiffers = true
				at.Detail = page + templates.Say("facts.paper_number", p.Number, class.ApprovalNo, class.Source)
				ev(yanshou.EvPapersApproval, at)
			}
			if !p.Date.IsZero() && !class.Approved.IsZero() && p.Date.Format("2006-01-02") != class.Approved.Format("2006-01-02") {
				f.Papers.ApprovalDateDiffers = true
				at.Detail = page + templates.Say("facts.paper_date", p.DateText, class.Approved, class.Source)
				ev(yanshou.EvPapersApproval, at)
			}
			if !p.Date.IsZero() && !class.Start.IsZero() && p.Date.After(class.Start.Time) {
				f.Papers.ApprovalDocLate = true
				f.Papers.ApprovalDocDaysLate = int(p.Date.Sub(class.Start.Time).Hours()/24 + 0.5)
				at.Detail = page + templates.Say("facts.paper_approval_late", p.DateText, class.Start)
				ev(yanshou.EvPapersApproval, at)
			}
		case yanshou.Notice:
			if class != nil && !p.Date.IsZero() && !class.Start.IsZero() && p.Date.After(class.Start.Time) {
				f.Papers.NoticeAfterStart = true
				at.Detail = page + templates.Say("facts.paper_notice_late", p.DateText, class.Start)
				ev(yanshou.EvPapersNotice, at)
			}
		}
	}
	for _, p := range in.Papers {
		if p.Kind != yanshou.Application || !p.Read || p.Date.IsZero() {
			continue
		}
		on := approvedOn
		if on.IsZero() && class != nil {
			on = class.Approved
		}
		if !on.IsZero() && p.Date.After(on.Time) {
			f.Papers.ApplicationLate = true
			ev(yanshou.EvPapersApplication, yanshou.Evidence{File: p.File,
				Detail: templates.Say("facts.paper_page", p.Page) + templates.Say("facts.paper_application_late", p.DateText, on.Format("2006年1月2日"))})
		}
	}
}
