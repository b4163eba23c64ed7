package facts

import (
	"strings"
	"testing"

	"yanshou"
)

// TestGatherPapers: the manifest held to the documents' own text. The base
// class starts 2026-03-10, approved 2026-02-28 by 商电商办〔2026〕12号 per its manifest.
func TestGatherPapers(t *testing.T) {
	approval := func(number, date string) yanshou.Paper {
		p := yanshou.Paper{Kind: yanshou.Approval, File: "02批复.pdf", Page: 1, Read: true, Number: number, DateText: date, Mentions: true}
		if date != "" {
			p.Date = day(strings.NewReplacer("年", "-", "月", "-", "日", "").Replace(date))
		}
		return p
	}
	tests := []struct {
		name   string
		papers []yanshou.Paper
		check  func(p yanshou.PaperFacts) bool
		evKey  string
		evText string
	}{
		{"the 批复 agrees with the manifest", []yanshou.Paper{approval("商电商办〔2026〕12号", "2026-02-28")},
			func(p yanshou.PaperFacts) bool {
				return p.ApprovalRead && !p.ApprovalNoDiffers && !p.ApprovalDateDiffers && !p.ApprovalDocLate
			}, "", ""},
		{"another number in the 批复", []yanshou.Paper{approval("商电商办〔2026〕21号", "2026-02-28")},
			func(p yanshou.PaperFacts) bool { return p.ApprovalNoDiffers && !p.ApprovalDateDiffers }, "papers.approval", "批复原文的文号为「商电商办〔2026〕21号」"},
		{"the manifest typed an earlier date than the 批复's, which is after the start", []yanshou.Paper{approval("商电商办〔2026〕12号", "2026-03-12")},
			func(p yanshou.PaperFacts) bool {
				return p.ApprovalDateDiffers && p.ApprovalDocLate && p.ApprovalDocDaysLate == 2
			},
			"papers.approval", "批复原文的成文日期「2026-03-12」晚于培训开始日期 2026-03-10"},
		{"a scanned 批复: counted as unread, nothing judged", []yanshou.Paper{{Kind: yanshou.Approval, File: "02批复.jpg", Scan: true, Problem: "是图片（扫描件或照片）"}},
			func(p yanshou.PaperFacts) bool { return !p.ApprovalRead && p.Unread == 1 && !p.ApprovalDocLate }, "papers.unread", "批复：是图片"},
		{"a scanned 批复 read by OCR, its date after the start: shown, never a veto", []yanshou.Paper{func() yanshou.Paper {
			p := approval("商电商办〔2026〕12号", "2026-03-12")
			p.OCR = true
			return p
		}()}, func(p yanshou.PaperFacts) bool {
			return !p.ApprovalDocLate && !p.ApprovalDateDiffers && p.OCRDiffers == 2
		},
			"papers.ocr", "扫描件经文字识别，可能有误"},
		{"the 批复 approves 8, the roster has 10", []yanshou.Paper{func() yanshou.Paper {
			p := approval("商电商办〔2026〕12号", "2026-02-28")
			p.Count = 8
			return p
		}()}, func(p yanshou.PaperFacts) bool { return p.ApprovalCountShort && !p.ApprovalOtherName }, "papers.approval", "批复批准培训人数 8 人，培训学员名单有 10 人"},
		{"the 批复 does not name the institution", []yanshou.Paper{func() yanshou.Paper {
			p := approval("商电商办〔2026〕12号", "2026-02-28")
			p.Mentions = false
			return p
		}()}, func(p yanshou.PaperFacts) bool { return p.ApprovalOtherName && !p.ApprovalCountShort }, "papers.approval", "批复原文中没有培训信息表所填的培训机构「宏达」"},
		{"the summary says 15 trained, 10 were", []yanshou.Paper{{Kind: yanshou.Summary, File: "11总结.pdf", Page: 1, Read: true, Count: 15}},
			func(p yanshou.PaperFacts) bool { return p.SummaryCountOff }, "papers.summary", "情况总结写明参训 15 人，按签到核算达到参训标准的为 10 人"},
		{"the summary says 10 trained, as counted", []yanshou.Paper{{Kind: yanshou.Summary, File: "11总结.pdf", Page: 1, Read: true, Count: 10}},
			func(p yanshou.PaperFacts) bool { return !p.SummaryCountOff }, "", ""},
		{"a notice dated after the start", []yanshou.Paper{{Kind: yanshou.Notice, File: "03培训通知.pdf", Page: 1, Read: true, Date: day("2026-03-11"), DateText: "2026年3月11日"}},
			func(p yanshou.PaperFacts) bool { return p.NoticeAfterStart }, "papers.notice", "培训通知的日期「2026年3月11日」晚于"},
		{"an application dated after the 批复", []yanshou.Paper{approval("", "2026-02-28"),
			{Kind: yanshou.Application, File: "01申请.pdf", Page: 1, Read: true, Date: day("2026-03-01"), DateText: "2026年3月1日"}},
			func(p yanshou.PaperFacts) bool { return p.ApplicationLate }, "papers.application", "申请报告的日期「2026年3月1日」晚于批复日期 2026年2月28日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			in.Submission.Class.ApprovalNo = "商电商办[2026]12号"
			in.Papers = tt.papers
			f := Gather(in)
			if !tt.check(f.Papers) {
				t.Fatalf("papers facts %+v", f.Papers)
			}
			if tt.evKey == "" {
				return
			}
			for _, e := range f.Evidence[tt.evKey] {
				if e.File != "" && strings.Contains(e.Detail, tt.evText) {
					return
				}
			}
			t.Fatalf("evidence %s = %+v, want %q", tt.evKey, f.Evidence[tt.evKey], tt.evText)
		})
	}
}
