package ledger

import (
	"errors"
	"testing"
	"time"

	"yanshou"
)

func TestUploads(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	for _, u := range []User{{Login: "wang", Role: RoleReviewer}, {Login: "hongda", Role: RoleInstitution, Institution: "宏达"},
		{Login: "xinyu", Role: RoleInstitution, Institution: "新宇"}} {
		if err := l.AddUser(u, "correct horse", cheap, now); err != nil {
			t.Fatal(err)
		}
	}
	wang, _ := l.User("wang")
	hongda, _ := l.User("hongda")
	xinyu, _ := l.User("xinyu")
	if _, err := l.RecordUpload(wang, "t0", "y", 1, 1, now); !errors.Is(err, ErrNoInstitution) {
		t.Fatalf("a reviewer's upload: %v, want ErrNoInstitution", err)
	}
	steps := []struct {
		who   *User
		token string
		rel   string
		fresh bool
	}{
		{hongda, "t1", "宏达/第1期", true},
		{hongda, "t1", "宏达/第1期", false}, // the same upload again
		{xinyu, "t1", "新宇/第1期", false},  // another account cannot reuse a token either
		{hongda, "t2", "宏达/第2期.zip", true},
		{xinyu, "t3", "新宇/第1期", true},
	}
	for i, s := range steps {
		fresh, err := l.RecordUpload(s.who, s.token, s.rel, 10, 2, now.Add(time.Duration(i)*time.Minute))
		if err != nil || fresh != s.fresh {
			t.Fatalf("step %d: fresh %v err %v, want %v", i, fresh, err, s.fresh)
		}
		if fresh {
			if err := l.UploadLanded(s.token, s.rel); err != nil {
				t.Fatal(err)
			}
		}
	}
	// 宏达/第1期 is claimed and judged; its sheet names 宏达.
	// A folder of the same place judged before the upload is not it.
	old := class("宏达", "第0期", "2026-03-01")
	if _, err := l.Claim(SubmissionID(old, ""), old, "h0", "/elsewhere/宏达/第1期", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := class("宏达", "第1期", "2026-03-10")
	v, err := l.Claim(SubmissionID(c, ""), c, "h1", "/srv/inbox/宏达/第1期", now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.Uploads(hongda.Scope())
	if err != nil || len(got) != 2 {
		t.Fatalf("宏达 sees %d uploads (%v), want 2", len(got), err)
	}
	if got[0].Rel != "宏达/第2期.zip" || got[0].ClassID != "" || got[1].ClassID != v.SubmissionID || got[1].Done {
		t.Fatalf("before the verdict: %+v", got)
	}
	if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Pass}, "out", "{}", now); err != nil {
		t.Fatal(err)
	}
	got, _ = l.Uploads(hongda.Scope())
	if !got[1].Done || got[1].Verdict != yanshou.Pass || got[1].Version != 1 {
		t.Fatalf("after the verdict: %+v", got[1])
	}
	// 新宇's upload landed at a place whose sheet names 宏达: 新宇 sees its
	// upload but not the class.
	c2 := class("宏达", "第9期", "2026-03-12")
	if _, err := l.Claim(SubmissionID(c2, ""), c2, "h2", `D:\inbox\新宇\第1期`, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = l.Uploads(xinyu.Scope())
	if len(got) != 1 || got[0].ClassID != "" {
		t.Fatalf("新宇 sees %+v, want its one upload without 宏达's class", got)
	}
	if all, _ := l.Uploads(wang.Scope()); len(all) != 3 {
		t.Fatalf("the office sees %d uploads, want 3", len(all))
	}
	if none, _ := l.Uploads(Scope{}); len(none) != 0 {
		t.Fatalf("an empty scope sees %d uploads", len(none))
	}
	if err := l.ForgetUpload("t2"); err != nil {
		t.Fatal(err)
	}
	if seen, _ := l.UploadSeen("t2"); seen {
		t.Fatal("a forgotten upload is still seen")
	}
	if fresh, _ := l.RecordUpload(hongda, "t2", "第2期.zip", 1, 1, now); !fresh {
		t.Fatal("the retry of a forgotten upload was not taken")
	}
}

func TestTail(t *testing.T) {
	for _, c := range []struct {
		p    string
		n    int
		want string
	}{
		{"/srv/inbox/宏达/第1期", 2, "宏达/第1期"},
		{"/srv/inbox/宏达/第1期", 1, "第1期"},
		{"宏达/第1期", 2, "宏达/第1期"},
		{"第1期", 2, ""},
		{"D:/inbox/新宇/第1期_100%", 2, "新宇/第1期_100%"},
		{"/宏达/第1期", 3, "/宏达/第1期"},
		{"", 1, ""},
	} {
		if got := tail(c.p, c.n); got != c.want {
			t.Errorf("tail(%q, %d) = %q, want %q", c.p, c.n, got, c.want)
		}
	}
}
