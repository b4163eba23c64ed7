package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// TestHeadcountBeforeJudging: the office recorded on the desk, for a class
// already judged, that fewer people were present at a session than signed in;
// the class's next version is judged with it — a fail naming the session,
// both counts and who recorded it — while a count that fits stays a pass.
func TestHeadcountBeforeJudging(t *testing.T) {
	inbox, cases := writeSample(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	var dir string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			dir = filepath.Join(inbox, c.Dir)
			break
		}
	}
	if dir == "" {
		t.Fatal("the sample has no passing class")
	}
	r1, err := p.check(context.Background(), &checking{path: dir, origin: dir})
	if err != nil || r1.Verdict != yanshou.Pass {
		t.Fatalf("first version: %v %v", r1.Verdict, err)
	}
	sessions := r1.Facts.Headcount.SessionSignIns
	if len(sessions) < 2 || sessions[0].SignedIn < 10 {
		t.Fatalf("the class's sessions: %+v", sessions)
	}
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	if err := p.Ledger.AddUser(ledger.User{Login: "wang", DisplayName: "王敏", Role: ledger.RoleReviewer}, "correct horse", ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, now); err != nil {
		t.Fatal(err)
	}
	wang, _ := p.Ledger.User("wang")
	th := p.Config.Thresholds
	short := sessions[0].SignedIn - th.HeadcountAllowance(sessions[0].SignedIn) - 2 // fewer present than the sign-ins allow
	if err := p.Ledger.RecordHeadcount(wang, r1.ID, sessions[0].Session, short, "上午十点清点", now); err != nil {
		t.Fatal(err)
	}
	if err := p.Ledger.RecordHeadcount(wang, r1.ID, sessions[1].Session, sessions[1].SignedIn, "", now); err != nil {
		t.Fatal(err)
	}
	// Version 1 was judged before: its recorded facts, compared again with the
	// headcounts now (what the desk does), give the same finding.
	v1, err := p.Ledger.Lookup(r1.Submission.ContentHash)
	if err != nil || v1 == nil || v1.Facts == nil {
		t.Fatalf("version 1 in the ledger: %+v %v", v1, err)
	}
	hs, _ := p.Ledger.Headcounts(ledger.Scope{All: true}, r1.ID)
	office, err := OfficeFindings(p.Rules, p.Config, v1.Facts, hs)
	if err != nil || len(office) != 1 || office[0].Rule != "attendance.headcount" || len(office[0].Evidence) != 1 {
		t.Fatalf("office findings of version 1: %+v %v", office, err)
	}
	if got := r1.Report().WithOfficeFindings(office); got.Verdict != yanshou.Fail {
		t.Errorf("version 1 after the headcount: %s", got.Verdict)
	}
	if none, _ := OfficeFindings(p.Rules, p.Config, nil, hs); none != nil {
		t.Errorf("a version without facts gave %+v", none)
	}
	os.WriteFile(filepath.Join(dir, "12整改说明.txt"), []byte("补充说明"), 0o644)
	r2, err := p.check(context.Background(), &checking{path: dir, origin: dir})
	if err != nil || r2.Version != 2 {
		t.Fatalf("second version: %v %v", r2, err)
	}
	var found *yanshou.Finding
	for i := range r2.Findings {
		if r2.Findings[i].Rule == "attendance.headcount" {
			found = &r2.Findings[i]
		}
	}
	if r2.Verdict != yanshou.Fail || found == nil || found.Severity != yanshou.SevFail || len(found.Evidence) != 1 {
		t.Fatalf("version 2: %s, headcount finding %+v", r2.Verdict, found)
	}
	if d := found.Evidence[0].Detail; !strings.Contains(d, sessions[0].Session) || !strings.Contains(d, "王敏（审核人）") ||
		!strings.Contains(d, "上午十点清点") || !strings.Contains(d, "实到 "+strconv.Itoa(short)+" 人") || found.Evidence[0].File == "" {
		t.Errorf("evidence %+v", found.Evidence[0])
	}
	if r2.Facts.Headcount.Recorded != 2 || r2.Facts.Headcount.Over != 1 {
		t.Errorf("facts %+v", r2.Facts.Headcount)
	}
	if office[0].Message != found.Message {
		t.Errorf("judged %q, compared after judging %q: not the same rule", found.Message, office[0].Message)
	}
}
