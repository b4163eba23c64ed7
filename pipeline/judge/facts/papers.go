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
		// What OCR read of a scan may have a digit wrong: a difference is shown
		// for the office to check, never a fail or a veto of its own.
		flag := func(b *bool, key string) {
			if p.OCR {
				f.Papers.OCRDiffers++
				at.Detail = templates.Say("facts.paper_ocr") + at.Detail
				ev(yanshou.EvPapersOCR, at)
				return
			}
			*b = true
			ev(key, at)
		}
		switch p.Kind {
		case yanshou.Approval:
			f.Papers.ApprovalRead = true
			approvedOn = p.Date
			if class == nil {
				continue
			}
			if p.Number != "" && class.ApprovalNo != "" && gongwen.NormNumber(class.ApprovalNo) != p.Number {
				at.Detail = page + templates.Say("facts.paper_number", p.Number, class.ApprovalNo, class.Source)
				flag(&f.Papers.ApprovalNoDiffers, yanshou.EvPapersApproval)
			}
			if !p.Date.IsZero() && !class.Approved.IsZero() && p.Date.Format("2006-01-02") != class.Approved.Format("2006-01-02") {
				at.Detail = page + templates.Say("facts.paper_date", p.DateText, class.Approved, class.Source)
				flag(&f.Papers.ApprovalDateDiffers, yanshou.EvPapersApproval)
			}
			if !p.Date.IsZero() && !class.Start.IsZero() && p.Date.After(class.Start.Time) {
				at.Detail = page + templates.Say("facts.paper_approval_late", p.DateText, class.Start)
				flag(&f.Papers.ApprovalDocLate, yanshou.EvPapersApproval)
				if f.Papers.ApprovalDocLate {
					f.Papers.ApprovalDocDaysLate = int(p.Date.Sub(class.Start.Time).Hours()/24 + 0.5)
				}
			}
			if in.Attendance != nil && p.Count > 0 && len(in.Attendance.Trainees) > p.Count {
				at.Detail = page + templates.Say("facts.paper_count", p.Count, len(in.Attendance.Trainees))
				flag(&f.Papers.ApprovalCountShort, yanshou.EvPapersApproval)
			}
			if class.Institution != "" && !p.Mentions {
				at.Detail = page + templates.Say("facts.paper_other_name", class.Institution)
				flag(&f.Papers.ApprovalOtherName, yanshou.EvPapersApproval)
			}
		case yanshou.Summary:
			trained := f.Attendance.Trained
			if p.Count > 0 && trained > 0 && float64(abs(p.Count-trained))/float64(trained) > in.Config.Thresholds.SummaryCountMaxGap {
				at.Detail = page + templates.Say("facts.paper_summary_count", p.Count, trained)
				flag(&f.Papers.SummaryCountOff, yanshou.EvPapersSummary)
			}
		case yanshou.Notice:
			if class != nil && !p.Date.IsZero() && !class.Start.IsZero() && p.Date.After(class.Start.Time) {
				at.Detail = page + templates.Say("facts.paper_notice_late", p.DateText, class.Start)
				flag(&f.Papers.NoticeAfterStart, yanshou.EvPapersNotice)
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

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
