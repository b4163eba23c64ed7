package ledger

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"yanshou"
)

func TestDecide(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	users := map[string]*User{}
	for _, u := range []User{{Login: "wang", DisplayName: "王敏", Role: RoleReviewer}, {Login: "li", DisplayName: "李主任", Role: RoleHead},
		{Login: "hongda", Role: RoleInstitution, Institution: "宏达"}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
		users[u.Login], _ = l.User(u.Login)
	}
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "")
	v, err := l.Claim(id, c, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	findings := []yanshou.Finding{
		{Rule: "photos.gps", Article: "第九条", Severity: yanshou.SevFail, Message: "照片无位置"},
		{Rule: "papers.approval", Article: "第五条", Severity: yanshou.SevVeto, Message: "先培训后批复"},
		{Rule: "papers.summary", Article: "第十一条", Severity: yanshou.Warning, Message: "人数不符"},
	}
	rep := yanshou.Report{Verdict: yanshou.Veto, Findings: findings}
	b, _ := json.Marshal(rep)
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Veto}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		who     string
		k       int
		rule    string
		action  Action
		reason  string
		wantErr error // nil: recorded; errAny: any error
		verdict yanshou.Verdict
	}{
		{"hongda", 0, "photos.gps", Dismiss, "我们确实在现场", ErrNotAllowed, yanshou.Veto},
		{"wang", 0, "photos.gps", Dismiss, "", errAny, yanshou.Veto},
		{"wang", 0, "photos.gps", Dismiss, "  好  ", errAny, yanshou.Veto},
		{"wang", 1, "photos.gps", Dismiss, "本人到场核实过场地", errAny, yanshou.Veto}, // not the finding shown
		{"wang", 7, "photos.gps", Dismiss, "本人到场核实过场地", errAny, yanshou.Veto},
		{"wang", 0, "photos.gps", Restore, "本人到场核实过场地", errAny, yanshou.Veto}, // not dismissed
		{"wang", 0, "photos.gps", "delete", "本人到场核实过场地", errAny, yanshou.Veto},
		{"wang", 0, "photos.gps", Dismiss, "本人到场核实过场地", nil, yanshou.Veto},
		{"wang", 0, "photos.gps", Dismiss, "本人到场核实过场地", errAny, yanshou.Veto}, // already dismissed
		{"wang", 1, "papers.approval", Dismiss, "批复原件日期早于开班", ErrNotAllowed, yanshou.Veto},
		{"li", 1, "papers.approval", Dismiss, "批复原件日期早于开班", nil, yanshou.Pass},
		{"li", 0, "photos.gps", Restore, "照片位置仍须补充说明", nil, yanshou.Fail},
	}
	for i, s := range steps {
		err := l.Decide(users[s.who], id, 1, s.k, s.rule, s.action, s.reason, now.Add(time.Duration(i)*time.Minute))
		switch {
		case s.wantErr == nil && err != nil, s.wantErr == errAny && err == nil,
			s.wantErr != nil && s.wantErr != errAny && !errors.Is(err, s.wantErr):
			t.Fatalf("step %d (%s %s %d): %v, want %v", i, s.who, s.action, s.k, err, s.wantErr)
		}
		if err != nil {
		}
		ds, err := l.Decisions(Scope{All: true}, id, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := FinalVerdict(rep, ds); got != s.verdict {
			t.Fatalf("step %d: final verdict %s, want %s", i, got, s.verdict)
		}
	}
	ds, _ := l.Decisions(Scope{All: true}, id, 1)
	if len(ds) != 3 || ds[0].Login != "wang" || ds[0].DisplayName != "王敏" || ds[0].Reason != "本人到场核实过场地" || ds[1].Role != RoleHead || ds[2].Action != Restore {
		t.Fatalf("decisions %+v", ds)
	}
	if mine, _ := l.Decisions(Scope{Institution: "宏达"}, id, 1); len(mine) != 3 {
		t.Fatalf("the institution does not see the decisions on its class: %d", len(mine))
	}
	if other, _ := l.Decisions(Scope{Institution: "农商"}, id, 1); other != nil {
		t.Fatalf("another institution sees them: %+v", other)
	}
	got, _ := l.Lookup("h1")
	if got.ReportJSON != string(b) || got.Verdict != yanshou.Veto {
		t.Fatal("a decision changed what the program found")
	}
}

// errAny stands for "some error" in TestDecide's table.
var errAny = errors.New("any error")

func TestFinalVerdictWithoutDecisions(t *testing.T) {
	tests := []struct {
		rep  yanshou.Report
		want yanshou.Verdict
	}{
		{yanshou.Report{Verdict: yanshou.Pass}, yanshou.Pass},
		{yanshou.Report{Verdict: yanshou.Fail, Findings: []yanshou.Finding{{Severity: yanshou.SevFail}}}, yanshou.Fail},
		// a verdict the findings alone do not give (a processing error) stays
		{yanshou.Report{Verdict: yanshou.Fail}, yanshou.Fail},
	}
	for i, tt := range tests {
		if got := FinalVerdict(tt.rep, nil); got != tt.want {
			t.Errorf("%d: %s, want %s", i, got, tt.want)
		}
	}
}

// TestConfirmVerdict: the office confirms the final verdict with a reason; a
// second confirmation waits for a change of decisions; a dismissed veto is
// confirmed by the 负责人 only; an institution cannot confirm.
func TestConfirmVerdict(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	users := map[string]*User{}
	for _, u := range []User{{Login: "wang", DisplayName: "王敏", Role: RoleReviewer}, {Login: "li", DisplayName: "李主任", Role: RoleHead},
		{Login: "hongda", Role: RoleInstitution, Institution: "宏达"}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
		users[u.Login], _ = l.User(u.Login)
	}
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "")
	v, err := l.Claim(id, c, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	rep := yanshou.Report{Verdict: yanshou.Veto, Findings: []yanshou.Finding{{Rule: "papers.approval", Severity: yanshou.SevVeto, Message: "先培训后批复"}}}
	b, _ := json.Marshal(rep)
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Veto}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ConfirmVerdict(users["hongda"], id, 1, "确认无误的理由", now); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("an institution confirms: %v", err)
	}
	if _, err := l.ConfirmVerdict(users["wang"], id, 1, "短", now); err == nil {
		t.Fatal("a confirmation without a reason was taken")
	}
	if got, err := l.ConfirmVerdict(users["wang"], id, 1, "现场核实，确认否决", now); err != nil || got != yanshou.Veto {
		t.Fatalf("confirm: %v %v", got, err)
	}
	if _, err := l.ConfirmVerdict(users["li"], id, 1, "再次确认一遍", now); err == nil {
		t.Fatal("confirmed twice without a change")
	}
	if err := l.Decide(users["li"], id, 1, 0, "papers.approval", Dismiss, "批复在培训前已口头下达", now); err != nil {
		t.Fatal(err)
	}
	ds, _ := l.Decisions(Scope{All: true}, id, 1)
	if Confirmed(ds) != nil || FinalVerdict(rep, ds) != yanshou.Pass || !Dismissed(ds)[0] {
		t.Fatalf("after a dismissal: confirmed %v, final %v", Confirmed(ds), FinalVerdict(rep, ds))
	}
	if _, err := l.ConfirmVerdict(users["wang"], id, 1, "驳回后确认合格", now); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("a reviewer confirms a dismissed veto: %v", err)
	}
	if got, err := l.ConfirmVerdict(users["li"], id, 1, "驳回后确认合格", now); err != nil || got != yanshou.Pass {
		t.Fatalf("the head confirms: %v %v", got, err)
	}
	ds, _ = l.Decisions(Scope{All: true}, id, 1)
	if c := Confirmed(ds); c == nil || c.Message != "合格" || c.Login != "li" || c.Finding != ConfirmFinding {
		t.Fatalf("confirmation recorded as %+v", c)
	}
}

// TestDowngrade: a fail is downgraded to a warning, a veto (by the 负责人
// only) to a fail; the latest decision on a finding counts, a downgrade is
// restored as a dismissal is, and a finding is restored before it is decided
// otherwise; FinalVerdict follows every step.
func TestDowngrade(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	users := map[string]*User{}
	for _, u := range []User{{Login: "wang", DisplayName: "王敏", Role: RoleReviewer}, {Login: "li", DisplayName: "李主任", Role: RoleHead},
		{Login: "hongda", Role: RoleInstitution, Institution: "宏达"}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
		users[u.Login], _ = l.User(u.Login)
	}
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "")
	v, err := l.Claim(id, c, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	rep := yanshou.Report{Verdict: yanshou.Veto, Findings: []yanshou.Finding{
		{Rule: "photos.gps", Severity: yanshou.SevFail, Message: "照片无位置"},
		{Rule: "papers.approval", Severity: yanshou.SevVeto, Message: "先培训后批复"},
		{Rule: "papers.summary", Severity: yanshou.Warning, Message: "人数不符"},
	}}
	b, _ := json.Marshal(rep)
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Veto}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	rules := []string{"photos.gps", "papers.approval", "papers.summary"}
	steps := []struct {
		who     string
		k       int
		action  Action
		wantErr error // nil: recorded; errAny: any error
		verdict yanshou.Verdict
	}{
		{"hongda", 0, Downgrade, ErrNotAllowed, yanshou.Veto},
		{"wang", 1, Downgrade, ErrNotAllowed, yanshou.Veto}, // a veto: the head only
		{"wang", 2, Downgrade, errAny, yanshou.Veto},        // a warning stays one
		{"li", 1, Downgrade, nil, yanshou.Fail},             // the veto counts as a fail
		{"li", 1, Downgrade, errAny, yanshou.Fail},          // already downgraded
		{"li", 1, Dismiss, errAny, yanshou.Fail},            // restore first
		{"wang", 0, Downgrade, nil, yanshou.Fail},           // the fail as a warning; the downgraded veto still fails
		{"li", 1, Restore, nil, yanshou.Veto},               // the veto counts again
		{"li", 1, Dismiss, nil, yanshou.Pass},               // only the downgraded fail is left: a warning
		{"wang", 0, Restore, nil, yanshou.Fail},
		{"wang", 0, Restore, errAny, yanshou.Fail}, // nothing to restore
	}
	for i, s := range steps {
		err := l.Decide(users[s.who], id, 1, s.k, rules[s.k], s.action, "现场核实后的决定", now.Add(time.Duration(i)*time.Minute))
		switch {
		case s.wantErr == nil && err != nil, s.wantErr == errAny && err == nil,
			s.wantErr != nil && s.wantErr != errAny && !errors.Is(err, s.wantErr):
			t.Fatalf("step %d (%s %s %d): %v, want %v", i, s.who, s.action, s.k, err, s.wantErr)
		}
		ds, err := l.Decisions(Scope{All: true}, id, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := FinalVerdict(rep, ds); got != s.verdict {
			t.Fatalf("step %d: final verdict %s, want %s", i, got, s.verdict)
		}
	}
	ds, _ := l.Decisions(Scope{All: true}, id, 1)
	if st := Standing(ds); len(st) != 1 || st[1] != Dismiss {
		t.Fatalf("standing %v", st)
	}
	if got := Reviewed(rep, ds); len(got) != 2 || got[0].Severity != yanshou.SevFail || got[1].Rule != "papers.summary" {
		t.Fatalf("reviewed %+v", got)
	}
}

func TestLighter(t *testing.T) {
	for _, tt := range []struct{ in, want yanshou.Severity }{
		{yanshou.SevVeto, yanshou.SevFail}, {yanshou.SevFail, yanshou.Warning}, {yanshou.Warning, yanshou.Warning},
	} {
		if got := Lighter(tt.in); got != tt.want {
			t.Errorf("Lighter(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestConfirmWithOfficeFindings: a finding of the office's own facts (a
// headcount recorded after judging) makes the final verdict confirmed; a
// verdict confirmed before it changed is confirmed again.
func TestConfirmWithOfficeFindings(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	if err := l.AddUser(User{Login: "wang", DisplayName: "王敏", Role: RoleReviewer}, "correct horse", cheap, now); err != nil {
		t.Fatal(err)
	}
	wang, _ := l.User("wang")
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "")
	v, err := l.Claim(id, c, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(yanshou.Report{Verdict: yanshou.Pass, Findings: []yanshou.Finding{}})
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Pass}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	headcount := yanshou.Finding{Rule: "attendance.headcount", Severity: yanshou.SevFail, Message: "签到多于清点"}
	steps := []struct {
		office  []yanshou.Finding
		want    yanshou.Verdict
		refused bool
	}{
		{nil, yanshou.Pass, false},
		{nil, yanshou.Pass, true}, // confirmed already
		{[]yanshou.Finding{headcount}, yanshou.Fail, false},
		{[]yanshou.Finding{headcount}, yanshou.Fail, true},
	}
	for i, s := range steps {
		got, err := l.ConfirmVerdict(wang, id, 1, "现场核实后确认", now, s.office...)
		if s.refused != (err != nil) || err == nil && got != s.want {
			t.Fatalf("step %d: %v %v, want %v (refused %v)", i, got, err, s.want, s.refused)
		}
	}
}
