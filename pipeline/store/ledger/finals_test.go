package ledger

import (
	"encoding/json"
	"testing"
	"time"

	"yanshou"
)

// TestSummarise: a version's final verdict from its decisions (and the
// office's findings taken into its report), with the confirmation it stands
// by; a headcount finding after a confirmation leaves it standing unconfirmed.
func TestSummarise(t *testing.T) {
	at := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	gps := yanshou.Finding{Rule: "photos.gps", Severity: yanshou.SevFail, Message: "照片无位置"}
	warn := yanshou.Finding{Rule: "papers.summary", Severity: yanshou.Warning, Message: "人数不符"}
	failed := yanshou.Report{Verdict: yanshou.Fail, Findings: []yanshou.Finding{gps, warn}}
	passed := yanshou.Report{Verdict: yanshou.Pass, Findings: []yanshou.Finding{warn}}
	counted := passed.WithOfficeFindings([]yanshou.Finding{{Rule: "attendance.headcount", Severity: yanshou.SevFail, Message: "签到人数多于实到"}})
	d := func(k int, a Action, msg string) Decision {
		return Decision{Finding: k, Rule: "photos.gps", Action: a, Message: msg, DisplayName: "李主任", Role: RoleHead, At: at}
	}
	confirm := func(v yanshou.Verdict) Decision { return d(ConfirmFinding, Confirm, v.Chinese()) }
	tests := []struct {
		name                  string
		rep                   yanshou.Report
		office                bool // rep has the office's headcount finding taken in
		ds                    []Decision
		final                 yanshou.Verdict
		dismissed, downgraded int
		confirmed             string // the verdict confirmed, "" none standing
	}{
		{"undecided", failed, false, nil, yanshou.Fail, 0, 0, ""},
		{"dismissed, a recommendation", failed, false, []Decision{d(0, Dismiss, "")}, yanshou.Pass, 1, 0, ""},
		{"dismissed and confirmed", failed, false, []Decision{d(0, Dismiss, ""), confirm(yanshou.Pass)}, yanshou.Pass, 1, 0, "合格"},
		{"restored after the confirmation", failed, false, []Decision{d(0, Dismiss, ""), confirm(yanshou.Pass), d(0, Restore, "")}, yanshou.Fail, 0, 0, ""},
		{"downgraded and confirmed", failed, false, []Decision{d(0, Downgrade, ""), confirm(yanshou.Pass)}, yanshou.Pass, 0, 1, "合格"},
		{"the program's verdict confirmed", failed, false, []Decision{confirm(yanshou.Fail)}, yanshou.Fail, 0, 0, "不合格"},
		{"a headcount, no decision", counted, true, nil, yanshou.Fail, 0, 0, ""},
		{"a headcount confirmed", counted, true, []Decision{confirm(yanshou.Fail)}, yanshou.Fail, 0, 0, "不合格"},
		{"a headcount after the confirmation", counted, true, []Decision{confirm(yanshou.Pass)}, yanshou.Fail, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			program := tt.rep.Verdict
			if tt.office {
				program = passed.Verdict // the recorded one, before the headcount
			}
			f := Summarise(program, tt.rep, tt.ds)
			if f.Program != program {
				t.Fatalf("program %s, want %s", f.Program, program)
			}
			got := ""
			if f.Confirmed != nil {
				got = f.Confirmed.Message
			}
			if f.Final != tt.final || f.Dismissed != tt.dismissed || f.Downgraded != tt.downgraded || got != tt.confirmed || f.Decisions != len(tt.ds) {
				t.Fatalf("%+v (confirmed %q), want final %s, dismissed %d, downgraded %d, confirmed %q", f, got, tt.final, tt.dismissed, tt.downgraded, tt.confirmed)
			}
		})
	}
}

// TestApplyFinal: a confirmed final verdict counts in the version (its
// deadline from the confirmation when the program gave none, none for a
// pass); an unconfirmed one changes nothing.
func TestApplyFinal(t *testing.T) {
	day := func(s string) yanshou.Date {
		d, _ := time.Parse("2006-01-02", s)
		return yanshou.Date{Time: d}
	}
	conf := &Decision{Action: Confirm, DisplayName: "王敏", Role: RoleReviewer}
	tests := []struct {
		name     string
		v        yanshou.VersionRecord
		f        *Final
		verdict  yanshou.Verdict
		program  yanshou.Verdict
		deadline string
	}{
		{"none stored", yanshou.VersionRecord{Verdict: yanshou.Fail, Deadline: day("2026-06-01")}, nil, yanshou.Fail, yanshou.Fail, "2026-06-01"},
		{"not confirmed", yanshou.VersionRecord{Verdict: yanshou.Fail, Deadline: day("2026-06-01")},
			&Final{Program: yanshou.Fail, Final: yanshou.Pass}, yanshou.Fail, yanshou.Fail, "2026-06-01"},
		{"confirmed pass", yanshou.VersionRecord{Verdict: yanshou.Fail, Deadline: day("2026-06-01")},
			&Final{Program: yanshou.Fail, Final: yanshou.Pass, Confirmed: conf}, yanshou.Pass, yanshou.Fail, ""},
		{"confirmed fail of a pass", yanshou.VersionRecord{Verdict: yanshou.Pass},
			&Final{Program: yanshou.Pass, Final: yanshou.Fail, Confirmed: conf, Deadline: day("2026-07-15")}, yanshou.Fail, yanshou.Pass, "2026-07-15"},
		{"confirmed fail of a veto", yanshou.VersionRecord{Verdict: yanshou.Veto},
			&Final{Program: yanshou.Veto, Final: yanshou.Fail, Confirmed: conf, Deadline: day("2026-07-15")}, yanshou.Fail, yanshou.Veto, "2026-07-15"},
		{"confirmed fail keeps the program's deadline", yanshou.VersionRecord{Verdict: yanshou.Fail, Deadline: day("2026-06-01")},
			&Final{Program: yanshou.Fail, Final: yanshou.Fail, Confirmed: conf, Deadline: day("2026-07-15")}, yanshou.Fail, yanshou.Fail, "2026-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.v
			ApplyFinal(&v, tt.f)
			deadline := ""
			if !v.Deadline.IsZero() {
				deadline = v.Deadline.String()
			}
			if v.Verdict != tt.verdict || v.ProgramVerdict() != tt.program || deadline != tt.deadline || (v.ConfirmedBy != "") != tt.f.Counts() {
				t.Fatalf("%+v, want %s (program %s), deadline %q", v, tt.verdict, tt.program, deadline)
			}
		})
	}
}

// TestStoredFinals: a final verdict stored is read while it is current, and
// the class's standing follows it once confirmed; a later decision, a
// headcount or a re-judging makes it stale (not read, listed to compute
// again), as does another engine.
func TestStoredFinals(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	for _, u := range []User{{Login: "li", DisplayName: "李主任", Role: RoleHead}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
	}
	head, _ := l.User("li")
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "")
	v, err := l.Claim(id, c, "h1", "inbox", now)
	if err != nil {
		t.Fatal(err)
	}
	rep := yanshou.Report{Verdict: yanshou.Fail, Findings: []yanshou.Finding{{Rule: "photos.gps", Severity: yanshou.SevFail, Message: "照片无位置"}}}
	b, _ := json.Marshal(rep)
	deadline := yanshou.Date{Time: time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)}
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Fail, Deadline: deadline}, "out", string(b), now); err != nil {
		t.Fatal(err)
	}
	all := Scope{All: true}
	standing := func(today time.Time) *yanshou.ClassRecord {
		t.Helper()
		cs, err := l.Classes(today, time.UTC, 0.8)
		if err != nil || len(cs) != 1 {
			t.Fatalf("classes: %v %d", err, len(cs))
		}
		return &cs[0]
	}
	store := func(engine string) {
		t.Helper()
		vr, err := l.JudgedVersion(id, 1)
		if err != nil || vr == nil {
			t.Fatalf("version: %v", err)
		}
		ds, _ := l.Decisions(all, id, 1)
		hs, _ := l.Headcounts(all, id)
		f := Summarise(vr.Verdict, vr.Report, ds)
		f.Headcounts, f.Engine, f.JudgedAt = len(hs), engine, vr.CheckedAt.Format(time.RFC3339)
		if err := l.StoreFinal(id, 1, f, now); err != nil {
			t.Fatal(err)
		}
	}
	stale := func(engine string) int {
		t.Helper()
		ks, err := l.StaleFinals(engine)
		if err != nil {
			t.Fatal(err)
		}
		return len(ks)
	}
	if n := stale("e1"); n != 0 {
		t.Fatalf("an undecided version is listed to compute: %d", n)
	}
	if c := standing(now); c.State != yanshou.StateRectify || c.Deadline != deadline {
		t.Fatalf("undecided: %s %s", c.State, c.Deadline)
	}
	if err := l.Decide(head, id, 1, 0, "photos.gps", Dismiss, "现场核实有定位", now); err != nil {
		t.Fatal(err)
	}
	if n := stale("e1"); n != 1 {
		t.Fatalf("a decided version without its final verdict: %d listed", n)
	}
	store("e1")
	fs, _ := l.Finals(all, time.UTC)
	if f := fs["h1"]; f == nil || f.Final != yanshou.Pass || f.Confirmed != nil || f.Dismissed != 1 || stale("e1") != 0 {
		t.Fatalf("stored after the dismissal: %+v", f)
	}
	if c := standing(now); c.State != yanshou.StateRectify || c.Latest().Verdict != yanshou.Fail {
		t.Fatalf("an unconfirmed dismissal changed the standing: %s", c.State)
	}
	if _, err := l.ConfirmVerdict(head, id, 1, "审核后确认合格", now); err != nil {
		t.Fatal(err)
	}
	if fs, _ := l.Finals(all, time.UTC); fs["h1"] != nil {
		t.Fatal("a final verdict stored before the confirmation is read after it")
	}
	store("e1")
	c2 := standing(now.AddDate(0, 2, 0))
	if last := c2.Latest(); c2.State != yanshou.StateArchived || !c2.Deadline.IsZero() || last.Verdict != yanshou.Pass || last.ProgramVerdict() != yanshou.Fail || last.ConfirmedBy != "负责人 李主任" {
		t.Fatalf("confirmed 合格: %s, deadline %s, %+v", c2.State, c2.Deadline, last)
	}
	if mine, _ := l.Finals(Scope{Institution: "宏达"}, time.UTC); mine["h1"] == nil {
		t.Fatal("the institution does not see its final verdict")
	}
	if other, _ := l.Finals(Scope{Institution: "农商"}, time.UTC); len(other) != 0 {
		t.Fatal("another institution sees it")
	}
	if n := stale("e2"); n != 1 {
		t.Fatalf("another engine: %d listed", n)
	}
	if err := l.RecordHeadcount(head, id, "2026-03-10 上午", 40, "", now); err != nil {
		t.Fatal(err)
	}
	if fs, _ := l.Finals(all, time.UTC); fs["h1"] != nil || stale("e1") != 1 {
		t.Fatal("a headcount did not make the final verdict stale")
	}
	if c := standing(now.AddDate(0, 2, 0)); c.State != yanshou.StateOverdue {
		t.Fatalf("a stale final verdict counts: %s", c.State)
	}
	store("e1")
	if c := standing(now); c.State != yanshou.StateArchived {
		t.Fatalf("stored again: %s", c.State)
	}
	// A computation that read fewer headcounts does not overwrite the stored one.
	f := Summarise(yanshou.Fail, rep, nil)
	f.Engine, f.JudgedAt = "e1", now.Format(time.RFC3339)
	if err := l.StoreFinal(id, 1, f, now); err != nil {
		t.Fatal(err)
	}
	if fs, _ := l.Finals(all, time.UTC); fs["h1"] == nil || fs["h1"].Confirmed == nil {
		t.Fatal("an older computation overwrote the stored final verdict")
	}
	// Judged again: the stored one no longer reads.
	v.Done = false
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Fail, Deadline: deadline}, "out", string(b), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if fs, _ := l.Finals(all, time.UTC); fs["h1"] != nil || stale("e1") != 1 {
		t.Fatal("a re-judged version's final verdict still reads")
	}
}
