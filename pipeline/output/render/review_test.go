package render

import (
	"path/filepath"
	"testing"
	"time"

	"yanshou"
)

// TestReviewBlock: a reviewed report and notice carry the 审核意见 block —
// the program's verdict, each decision with its reason, reviewer, role and
// county time, a decision whose finding is gone marked as such, the findings
// dismissed and the final verdict with its confirmation; the program's own
// documents (no review) have none of it.
func TestReviewBlock(t *testing.T) {
	cfg := testConfig(t)
	at := time.Date(2026, 5, 5, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing
	dismissed := yanshou.Finding{Rule: "photos.gps", Title: "照片有拍摄地点", Article: "第九条", Severity: yanshou.SevFail, Message: "3 张照片无拍摄地点"}
	review := &yanshou.Review{Set: 2, Program: yanshou.Veto, Final: yanshou.Fail,
		Decisions: []yanshou.ReviewDecision{
			{Action: "驳回", Finding: "照片有拍摄地点", Reason: "审核人到场看过场地", Reviewer: "王敏", Role: "审核人", At: at},
			{Action: "驳回", Finding: "papers.approval", Reason: "批复原件日期早于开班", Reviewer: "李主任", Role: "负责人", At: at, Stale: true},
		},
		Confirmed: yanshou.ReviewDecision{Action: "确认结论", Reason: "其余问题属实", Reviewer: "李主任", Role: "负责人", At: at.Add(time.Hour)},
		Dismissed: []yanshou.Finding{dismissed}}
	block := []string{"审核意见", "程序初步结论：一票否决", "审核人到场看过场地", "王敏（审核人）", "2026年5月5日 09:30",
		"（重新评定", "3 张照片无拍摄地点", "最终结论：不合格", "李主任（负责人）于 2026年5月5日 10:30 确认", "第 2 次确认"}
	tests := []struct {
		name   string
		review *yanshou.Review
		want   []string
		unwant []string
	}{
		{"program", nil, nil, []string{"审核意见", "最终结论"}},
		{"reviewed", review, block, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleResult(yanshou.Fail)
			r.Review = tt.review
			dir := t.TempDir()
			report := filepath.Join(dir, ReportName)
			if err := Report(report, r, cfg); err != nil {
				t.Fatal(err)
			}
			checkReport(t, report, "review-"+tt.name, tt.want, tt.unwant)
			name, err := Notice(dir, r, cfg)
			if err != nil || name != FailNoticeName {
				t.Fatalf("notice %q: %v", name, err)
			}
			want := tt.want
			if tt.review != nil {
				want = append(want, "经审核最终结论为不合格", "二〇二六年五月五日")
			}
			checkReport(t, filepath.Join(dir, name), "review-notice-"+tt.name, want, tt.unwant)
		})
	}
}
