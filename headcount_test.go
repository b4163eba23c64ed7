package yanshou

import "testing"

// TestWithOfficeFindings: an office finding replaces the report's finding of
// its rule in place or comes after the others; the verdict only gets graver.
func TestWithOfficeFindings(t *testing.T) {
	gps := Finding{Rule: "photos.gps", Severity: Warning}
	veto := Finding{Rule: "papers.approval", Severity: SevVeto}
	judged := Finding{Rule: "attendance.headcount", Severity: SevFail, Message: "判定时"}
	now := Finding{Rule: "attendance.headcount", Severity: SevFail, Message: "现在"}
	tests := []struct {
		name    string
		rep     Report
		found   []Finding
		rules   []string // of the findings, in order
		message string   // of the headcount finding
		verdict Verdict
	}{
		{"nothing found", Report{Verdict: Pass, Findings: []Finding{gps}}, nil, []string{"photos.gps"}, "", Pass},
		{"added after the others", Report{Verdict: Pass, Findings: []Finding{gps}}, []Finding{now}, []string{"photos.gps", "attendance.headcount"}, "现在", Fail},
		{"replaced in place", Report{Verdict: Fail, Findings: []Finding{judged, gps}}, []Finding{now}, []string{"attendance.headcount", "photos.gps"}, "现在", Fail},
		{"a veto stays a veto", Report{Verdict: Veto, Findings: []Finding{veto}}, []Finding{now}, []string{"papers.approval", "attendance.headcount"}, "现在", Veto},
	}
	for _, tt := range tests {
		got := tt.rep.WithOfficeFindings(tt.found)
		if got.Verdict != tt.verdict || len(got.Findings) != len(tt.rules) {
			t.Fatalf("%s: %s %+v", tt.name, got.Verdict, got.Findings)
		}
		for i, r := range tt.rules {
			if got.Findings[i].Rule != r || r == "attendance.headcount" && got.Findings[i].Message != tt.message {
				t.Errorf("%s: finding %d %+v, want %s", tt.name, i, got.Findings[i], r)
			}
		}
		if len(tt.rep.Findings) > 0 && tt.rep.Findings[0].Message == "现在" {
			t.Errorf("%s: the report itself changed", tt.name)
		}
	}
}
