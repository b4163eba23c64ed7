package pipeline

import (
	"encoding/json"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

// TestFinalsRefresh: a decided version's final verdict is computed once and
// stored (Refresh finds nothing more to do), a confirmed fail of a veto
// counts in the class's standing with a deadline from the confirmation, and
// another threshold (another engine) computes them again.
func TestFinalsRefresh(t *testing.T) {
	l, err := ledger.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := config.Default()
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, cfg.Location)
	if err := l.AddUser(ledger.User{Login: "li", DisplayName: "李主任", Role: ledger.RoleHead}, "correct horse", ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, now); err != nil {
		t.Fatal(err)
	}
	head, _ := l.User("li")
	start := yanshou.Date{Time: time.Date(2026, 4, 10, 0, 0, 0, 0, cfg.Location)}
	info := &yanshou.ClassInfo{Institution: "宏达", Class: "第1期", Start: start, End: start}
	id := ledger.SubmissionID(info, "")
	v, err := l.Claim(id, info, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	rep := yanshou.Report{Verdict: yanshou.Veto, Findings: []yanshou.Finding{{Rule: "timeline.approved_before_start", Severity: yanshou.SevVeto, Message: "先培训后批复"}}}
	b, _ := json.Marshal(rep)
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Veto}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	e := Finals{Ledger: l, Rules: rules.Default(), Config: cfg}
	refresh := func(e Finals, want int) {
		t.Helper()
		if n, err := e.Refresh(now); err != nil || n != want {
			t.Fatalf("refresh: %d computed (%v), want %d", n, err, want)
		}
	}
	refresh(e, 0)
	if err := l.Decide(head, id, 1, 0, rep.Findings[0].Rule, ledger.Downgrade, "批复在开班当日补办", now); err != nil {
		t.Fatal(err)
	}
	refresh(e, 1)
	refresh(e, 0)
	confirmed := now.Add(time.Hour)
	if _, err := l.ConfirmVerdict(head, id, 1, "降级后确认不合格", confirmed); err != nil {
		t.Fatal(err)
	}
	if err := e.Record(id, 1, confirmed); err != nil {
		t.Fatal(err)
	}
	refresh(e, 0)
	cs, err := l.Classes(confirmed, cfg.Location, cfg.Thresholds.AttendancePass)
	if err != nil || len(cs) != 1 {
		t.Fatalf("classes: %v", err)
	}
	c, want := cs[0], facts.Deadline(confirmed, cfg)
	if c.State != yanshou.StateRectify || c.Deadline.String() != want.String() || c.Latest().ProgramVerdict() != yanshou.Veto || c.Latest().Verdict != yanshou.Fail {
		t.Fatalf("confirmed fail of a veto: %s, deadline %s (want %s), %+v", c.State, c.Deadline, want, c.Latest())
	}
	other := *cfg
	other.Thresholds.HeadcountMaxExcess++
	e2 := Finals{Ledger: l, Rules: e.Rules, Config: &other}
	if e2.Engine() == e.Engine() {
		t.Fatal("another threshold, the same engine")
	}
	refresh(e2, 1)
	refresh(e2, 0)
}
