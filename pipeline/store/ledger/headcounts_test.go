package ledger

import (
	"errors"
	"testing"
	"time"

	"yanshou"
)

// TestHeadcounts: the office records the people present per session; an
// institution cannot, a missing session, an implausible count or an unknown
// class is refused; records are added, the latest of a session counts, and
// they belong to the class whatever version comes next.
func TestHeadcounts(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
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
	if _, err := l.Claim(id, c, "h1", "inbox", now); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		who     string
		id      string
		session string
		present int
		wantErr error // nil: recorded; errAny: any error
	}{
		{"hongda", id, "2026-03-10 上午", 40, ErrNotAllowed},
		{"wang", id, "  ", 40, errAny},
		{"wang", id, "2026-03-10 上午", -1, errAny},
		{"wang", id, "2026-03-10 上午", MaxHeadcount + 1, errAny},
		{"wang", "SNOSUCHCLASS", "2026-03-10 上午", 40, errAny},
		{"wang", id, "2026-03-10 上午", 36, nil},
		{"li", id, "2026-03-10 下午", 35, nil},
		{"wang", id, "2026-03-10 上午", 38, nil}, // a recount: the latest counts
	}
	for i, s := range steps {
		err := l.RecordHeadcount(users[s.who], s.id, s.session, s.present, "开课时清点", now.Add(time.Duration(i)*time.Minute))
		switch {
		case s.wantErr == nil && err != nil, s.wantErr == errAny && err == nil,
			s.wantErr != nil && s.wantErr != errAny && !errors.Is(err, s.wantErr):
			t.Fatalf("step %d (%s %q %d): %v, want %v", i, s.who, s.session, s.present, err, s.wantErr)
		}
	}
	// a resubmission is the same class: the headcounts hold for it
	if v, err := l.Claim(id, c, "h2", "inbox", now.Add(time.Hour)); err != nil || v.Version != 2 {
		t.Fatalf("second version: %+v %v", v, err)
	}
	hs, err := l.Headcounts(Scope{All: true}, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 3 || hs[0].Present != 36 || hs[0].By != "王敏" || hs[0].Role != "审核人" || hs[0].Note != "开课时清点" || !hs[0].At.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("records %+v", hs)
	}
	latest := yanshou.LatestHeadcounts(hs)
	if latest["2026-03-10 上午"].Present != 38 || latest["2026-03-10 下午"].By != "李主任" || len(latest) != 2 {
		t.Fatalf("latest %+v", latest)
	}
	if mine, _ := l.Headcounts(Scope{Institution: "宏达"}, id); len(mine) != 3 {
		t.Errorf("the institution does not see the office's counts of its class: %d", len(mine))
	}
	if other, _ := l.Headcounts(Scope{Institution: "农商"}, id); other != nil {
		t.Errorf("another institution sees them: %+v", other)
	}
}
