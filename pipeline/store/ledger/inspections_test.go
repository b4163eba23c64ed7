package ledger

import (
	"errors"
	"testing"
	"time"

	"yanshou"
)

// TestInspections: the office records inspections with the fields of the
// 检查记录表; an institution cannot, a record missing a required field or
// dated after today is refused; the records are listed per class and per
// institution, in the order of their 检查时间, within the reader's scope.
func TestInspections(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)
	users := map[string]*User{}
	for _, u := range []User{{Login: "wang", DisplayName: "王敏", Role: RoleReviewer}, {Login: "hongda", Role: RoleInstitution, Institution: "宏达"}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
		users[u.Login], _ = l.User(u.Login)
	}
	c1, c2 := class("宏达", "第1期", "2026-03-10"), class("宏达", "第2期", "2026-03-01")
	id1, id2 := SubmissionID(c1, ""), SubmissionID(c2, "")
	for _, x := range []struct {
		id string
		c  *yanshou.ClassInfo
		h  string
	}{{id1, c1, "h1"}, {id2, c2, "h2"}} {
		if _, err := l.Claim(x.id, x.c, x.h, "inbox", now); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 3, 10, 2, 30, 0, 0, time.UTC)
	full := yanshou.InspectionRecord{At: at, Place: "县电商公共服务中心三楼", Inspectors: "王敏、李强", Content: "现场查看签到、课件",
		Opinion: "补齐第二天下午签到", InspectorSign: "王敏", InspectorAt: at, InspectedSign: "张校长", InspectedAt: at}
	with := func(f func(r *yanshou.InspectionRecord)) yanshou.InspectionRecord {
		r := full
		f(&r)
		return r
	}
	steps := []struct {
		who     string
		id      string
		rec     yanshou.InspectionRecord
		wantErr error // nil: recorded; errAny: any error
	}{
		{"hongda", id1, full, ErrNotAllowed},
		{"wang", id1, with(func(r *yanshou.InspectionRecord) { r.Place = " " }), errAny},
		{"wang", id1, with(func(r *yanshou.InspectionRecord) { r.InspectedSign = "" }), errAny},
		{"wang", id1, with(func(r *yanshou.InspectionRecord) { r.InspectorAt = time.Time{} }), errAny},
		{"wang", id1, with(func(r *yanshou.InspectionRecord) { r.At = now.AddDate(0, 0, 3) }), errAny},
		{"wang", "SNOSUCH", full, errAny},
		{"wang", id1, full, nil},
		{"wang", id2, with(func(r *yanshou.InspectionRecord) { r.At, r.Opinion = at.AddDate(0, 0, -9), "" }), nil}, // nothing to require
	}
	for i, s := range steps {
		err := l.RecordInspection(users[s.who], s.id, s.rec, now)
		switch {
		case s.wantErr == nil && err != nil, s.wantErr == errAny && err == nil,
			s.wantErr != nil && s.wantErr != errAny && !errors.Is(err, s.wantErr):
			t.Fatalf("step %d (%s): %v, want %v", i, s.who, err, s.wantErr)
		}
	}
	got, err := l.Inspections(Scope{All: true}, id1)
	if err != nil || len(got) != 1 {
		t.Fatalf("class inspections %+v %v", got, err)
	}
	if r := got[0]; r.Place != full.Place || r.InspectedSign != "张校长" || !r.At.Equal(at) || r.By != "王敏" || r.Role != "审核人" || r.Institution != "宏达" || r.Class != "第1期" || !r.RecordedAt.Equal(now) {
		t.Fatalf("record %+v", r)
	}
	all, _ := l.InstitutionInspections(Scope{Institution: "宏达"}, "宏达")
	if len(all) != 2 || all[0].Class != "第2期" || all[1].Class != "第1期" {
		t.Fatalf("the institution's inspections, by 检查时间: %+v", all)
	}
	if other, _ := l.InstitutionInspections(Scope{Institution: "农商"}, "宏达"); other != nil {
		t.Errorf("another institution sees them: %+v", other)
	}
	if other, _ := l.Inspections(Scope{Institution: "农商"}, id1); other != nil {
		t.Errorf("another institution sees the class's: %+v", other)
	}
}
