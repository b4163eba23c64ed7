package yanshou

import (
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		sevs []Severity
		want Verdict
	}{
		{"nothing", nil, Pass},
		{"warnings only", []Severity{Warning, Warning}, Pass},
		{"a fail", []Severity{Warning, SevFail}, Fail},
		{"veto beats fail", []Severity{SevFail, SevVeto, Warning}, Veto},
	}
	for _, tt := range tests {
		var fs []Finding
		for _, s := range tt.sevs {
			fs = append(fs, Finding{Severity: s})
		}
		if got := Decide(fs); got != tt.want {
			t.Errorf("%s: Decide = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestClassDays(t *testing.T) {
	day := func(s string) Date { d, _ := time.Parse("2006-01-02", s); return Date{Time: d} }
	tests := []struct {
		start, end string
		want       int
	}{
		{"2026-03-10", "2026-03-10", 1},
		{"2026-03-10", "2026-03-12", 3},
		{"2026-03-12", "2026-03-10", 0},
		{"", "2026-03-10", 0},
	}
	for _, tt := range tests {
		c := &ClassInfo{}
		if tt.start != "" {
			c.Start = day(tt.start)
		}
		c.End = day(tt.end)
		if got := c.Days(); got != tt.want {
			t.Errorf("Days(%s..%s) = %d, want %d", tt.start, tt.end, got, tt.want)
		}
	}
	var nilClass *ClassInfo
	if nilClass.Days() != 0 {
		t.Error("nil class has days")
	}
}

func TestNames(t *testing.T) {
	if len(Materials) != 11 || Materials[0].String() != "申请报告" || Materials[10].String() != "情况总结" {
		t.Errorf("materials of 第十一条 wrong: %v", Materials)
	}
	if Veto.Chinese() != "一票否决" || Fail.Chinese() != "不合格" || Pass.Chinese() != "合格" {
		t.Error("verdict names wrong")
	}
}

func TestWalkInsCountsPeopleNotRows(t *testing.T) {
	a := &Attendance{SignIns: []SignIn{
		{Name: "王五", ID: "X1", Match: WalkIn, Session: "上午"},
		{Name: "王五", ID: "X1", Match: WalkIn, Session: "下午"},
		{Name: "赵六", Phone: "138", Match: WalkIn},
		{Name: "张三", Match: Matched},
	}}
	if got := a.WalkIns(); got != 2 {
		t.Errorf("WalkIns = %d, want 2", got)
	}
}

func TestReportJSONNeverNull(t *testing.T) {
	r := &Result{Submission: &Submission{Origin: "x"}, Verdict: Fail, Findings: []Finding{{Rule: "a"}}}
	rep := r.Report()
	if rep.Findings[0].Evidence == nil || rep.Outputs == nil || rep.VerdictZh != "不合格" {
		t.Errorf("report has nil slices or wrong verdict: %+v", rep)
	}
}

func TestStanding(t *testing.T) {
	deadline := Date{Time: time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)}
	v := func(verdict Verdict) VersionRecord { return VersionRecord{Verdict: verdict, Deadline: deadline} }
	before := time.Date(2026, 4, 5, 18, 0, 0, 0, time.UTC) // on the deadline day
	after := time.Date(2026, 4, 7, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		versions  []VersionRecord
		today     time.Time
		retrained bool
		want      State
	}{
		{"nothing judged", nil, before, false, StatePending},
		{"first pass", []VersionRecord{v(Pass)}, after, false, StateArchived},
		{"fail within deadline", []VersionRecord{v(Fail)}, before, false, StateRectify},
		{"fail past deadline", []VersionRecord{v(Fail)}, after, false, StateOverdue},
		{"fail then pass", []VersionRecord{v(Fail), v(Pass)}, after, false, StateRectified},
		{"veto", []VersionRecord{v(Veto)}, after, false, StateVetoed},
		{"veto then retrained", []VersionRecord{v(Veto)}, after, true, StateRetrained},
	}
	for _, tt := range tests {
		if got := Standing(tt.versions, tt.today, tt.retrained); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	prev := []File{{Rel: "a.pdf", SHA256: "1"}, {Rel: "b.xlsx", SHA256: "2"}, {Rel: "gone.jpg", SHA256: "3"}}
	now := []File{{Rel: "a.pdf", SHA256: "1"}, {Rel: "b.xlsx", SHA256: "9"}, {Rel: "11情况总结.pdf", SHA256: "4"}}
	was := []Finding{{Rule: "materials.complete", Severity: SevFail}, {Rule: "photos.unverifiable", Severity: Warning}}
	is := []Finding{{Rule: "photos.unverifiable", Severity: Warning}, {Rule: "followup.coverage", Severity: SevFail}}
	c := CompareVersions(1, Fail, prev, now, was, is)
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"added", len(c.Added), 1}, {"removed", len(c.Removed), 1}, {"modified", len(c.Modified), 1},
		{"resolved", len(c.Resolved), 1}, {"new", len(c.New), 1},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d, want %d (%+v)", tt.name, tt.got, tt.want, c)
		}
	}
	if c.Added[0] != "11情况总结.pdf" || c.Resolved[0].Rule != "materials.complete" || c.New[0].Rule != "followup.coverage" {
		t.Errorf("wrong entries: %+v", c)
	}
}
