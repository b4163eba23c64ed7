package ledger

import (
	"errors"
	"testing"
	"time"

	"yanshou"
)

// cheap are real argon2id parameters small enough for tests.
var cheap = KDFParams{Time: 1, Memory: 64, Threads: 1}

func openAccounts(t *testing.T) *Ledger {
	t.Helper()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func TestAddUser(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		u       User
		pw      string
		wantErr bool
	}{
		{"reviewer", User{Login: "wang", DisplayName: "王审核", Role: RoleReviewer}, "correct horse", false},
		{"institution", User{Login: "hongda", Role: RoleInstitution, Institution: "商水县宏达职业培训学校"}, "correct horse", false},
		{"duplicate", User{Login: "wang", Role: RoleHead}, "correct horse", true},
		{"institution without one", User{Login: "nobody", Role: RoleInstitution}, "correct horse", true},
		{"unknown role", User{Login: "x", Role: "admin"}, "correct horse", true},
		{"short password", User{Login: "y", Role: RoleHead}, "short", true},
		{"blank login", User{Login: " ", Role: RoleHead}, "correct horse", true},
	}
	for _, tt := range tests {
		err := l.AddUser(tt.u, tt.pw, cheap, now)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
	u, err := l.User("hongda")
	if err != nil || u == nil || u.DisplayName != "hongda" || u.Scope() != (Scope{Institution: "商水县宏达职业培训学校"}) {
		t.Fatalf("User(hongda) = %+v, %v", u, err)
	}
	if w, _ := l.User("wang"); w.Scope() != (Scope{All: true}) {
		t.Fatalf("a reviewer's scope is %+v", w.Scope())
	}
	var salts [][]byte
	for _, login := range []string{"wang", "hongda"} {
		var salt, hash []byte
		if err := l.db.QueryRow(`SELECT salt, hash FROM users WHERE login=?`, login).Scan(&salt, &hash); err != nil {
			t.Fatal(err)
		}
		if string(hash) == "correct horse" || len(hash) != hashLen {
			t.Fatalf("%s: the password is not hashed", login)
		}
		salts = append(salts, salt)
	}
	if string(salts[0]) == string(salts[1]) {
		t.Fatal("two users share a salt")
	}
}

func TestAuthenticate(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	if err := l.AddUser(User{Login: "wang", Role: RoleReviewer}, "correct horse", cheap, now); err != nil {
		t.Fatal(err)
	}
	limit := LoginLimit{PerAccount: 3, PerAddress: 5, Window: 15 * time.Minute}
	steps := []struct {
		login, pw, addr string
		at              time.Duration // after now
		want            error
	}{
		{"wang", "correct horse", "10.0.0.1", 0, nil},
		{"wang", "wrong", "10.0.0.1", time.Minute, ErrBadLogin},
		{"nobody", "correct horse", "10.0.0.2", time.Minute, ErrBadLogin},
		{"wang", "wrong", "10.0.0.1", 2 * time.Minute, ErrBadLogin},
		{"wang", "wrong", "10.0.0.3", 3 * time.Minute, ErrBadLogin}, // third failure of the account
		{"wang", "correct horse", "10.0.0.4", 4 * time.Minute, ErrLocked},
		{"wang", "correct horse", "10.0.0.4", 19 * time.Minute, nil}, // the window passed
		{"wang", "wrong", "10.0.0.5", 20 * time.Minute, ErrBadLogin}, // a success reset the count
		{"wang", "correct horse", "10.0.0.5", 21 * time.Minute, nil},
		// five failures from one address lock it for every account
		{"a", "x", "10.9.9.9", 30 * time.Minute, ErrBadLogin},
		{"b", "x", "10.9.9.9", 30 * time.Minute, ErrBadLogin},
		{"c", "x", "10.9.9.9", 30 * time.Minute, ErrBadLogin},
		{"d", "x", "10.9.9.9", 30 * time.Minute, ErrBadLogin},
		{"e", "x", "10.9.9.9", 30 * time.Minute, ErrBadLogin},
		{"wang", "correct horse", "10.9.9.9", 31 * time.Minute, ErrLocked},
		{"wang", "correct horse", "10.0.0.6", 31 * time.Minute, nil},
	}
	for i, s := range steps {
		u, err := l.Authenticate(s.login, s.pw, s.addr, limit, now.Add(s.at))
		if !errors.Is(err, s.want) || (err == nil) != (u != nil) {
			t.Fatalf("step %d (%s from %s): %v, %v; want %v", i, s.login, s.addr, u, err, s.want)
		}
	}
	if err := l.SetDisabled("wang", true, now); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Authenticate("wang", "correct horse", "10.0.0.7", limit, now.Add(time.Hour)); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("a disabled account logged in: %v", err)
	}
	audit, err := l.Logins("wang")
	if err != nil || len(audit) != 11 {
		t.Fatalf("audit of wang: %d rows, %v; want 11", len(audit), err)
	}
	if last := audit[len(audit)-1]; last.OK || last.Reason != "disabled" || last.Addr != "10.0.0.7" {
		t.Fatalf("last attempt recorded as %+v", last)
	}
	if err := l.SetDisabled("ghost", true, now); !errors.Is(err, ErrNoUser) {
		t.Fatalf("disabling an unknown account: %v", err)
	}
}

func TestSessions(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	if err := l.AddUser(User{Login: "hongda", Role: RoleInstitution, Institution: "宏达"}, "correct horse", cheap, now); err != nil {
		t.Fatal(err)
	}
	token, s, err := l.NewSession("hongda", time.Hour, now)
	if err != nil || len(token) != 64 || len(s.CSRF) != 64 {
		t.Fatalf("NewSession = %q, %+v, %v", token, s, err)
	}
	var stored int
	l.db.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash=?`, token).Scan(&stored)
	if stored != 0 {
		t.Fatal("the ledger keeps the session token itself")
	}
	tests := []struct {
		name  string
		token string
		at    time.Duration
		live  bool
	}{
		{"fresh", token, time.Minute, true},
		{"unknown", otherLastDigit(token), time.Minute, false},
		{"empty", "", time.Minute, false},
		{"expired", token, time.Hour, false},
	}
	for _, tt := range tests {
		got, err := l.Session(tt.token, now.Add(tt.at))
		if err != nil || (got != nil) != tt.live {
			t.Errorf("%s: %+v, %v; want live %v", tt.name, got, err, tt.live)
		}
		if got != nil && (got.User.Institution != "宏达" || got.CSRF != s.CSRF) {
			t.Errorf("%s: session %+v", tt.name, got)
		}
	}
	// a new password and disabling both end the sessions
	for _, end := range []func() error{
		func() error { return l.SetPassword("hongda", "another horse", cheap, now) },
		func() error { return l.SetDisabled("hongda", true, now) },
		func() error { return l.EndSession(token) },
	} {
		token, _, _ = l.NewSession("hongda", time.Hour, now)
		if err := end(); err != nil {
			t.Fatal(err)
		}
		if got, _ := l.Session(token, now); got != nil {
			t.Fatalf("session still live: %+v", got)
		}
		l.SetDisabled("hongda", false, now)
	}
	if _, err := l.Authenticate("hongda", "another horse", "::1", DefaultLoginLimit, now); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
}

func TestScope(t *testing.T) {
	l := openAccounts(t)
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	mine, theirs := class("宏达", "第1期", "2026-03-10"), class("农商", "第1期", "2026-03-11")
	for i, c := range []*yanshou.ClassInfo{mine, theirs} {
		hash := []string{"m1", "t1"}[i]
		v, err := l.Claim(SubmissionID(c, ""), c, hash, "inbox", now)
		if err != nil {
			t.Fatal(err)
		}
		r := &yanshou.Result{Submission: &yanshou.Submission{Files: []yanshou.File{
			{Rel: "05现场照片/a.jpg", SHA256: hash + "sha", Size: 10, Kind: yanshou.SitePhotos},
			{Rel: "05现场照片/b.mp4", SHA256: hash + "vid", Size: 10, Kind: yanshou.SitePhotos},
			{Rel: "01申请报告.pdf", SHA256: hash + "pdf", Size: 10, Kind: yanshou.Application}}}, Verdict: yanshou.Pass}
		if err := l.Complete(v, r, "out/"+hash, "{}", now); err != nil {
			t.Fatal(err)
		}
	}
	mineID, theirsID := SubmissionID(mine, ""), SubmissionID(theirs, "")
	tests := []struct {
		name    string
		scope   Scope
		classes int
		sees    map[string]bool
	}{
		{"office", Scope{All: true}, 2, map[string]bool{mineID: true, theirsID: true}},
		{"institution", Scope{Institution: "宏达"}, 1, map[string]bool{mineID: true, theirsID: false}},
		{"nobody", Scope{}, 0, map[string]bool{mineID: false, theirsID: false}},
		{"unknown institution", Scope{Institution: "假机构"}, 0, map[string]bool{mineID: false}},
	}
	for _, tt := range tests {
		cs, err := l.ScopedClasses(tt.scope, now, time.UTC, 0.8)
		if err != nil || len(cs) != tt.classes {
			t.Errorf("%s: %d classes, %v; want %d", tt.name, len(cs), err, tt.classes)
		}
		for id, want := range tt.sees {
			c, err := l.ScopedClass(tt.scope, id, now, time.UTC, 0.8)
			if err != nil || (c != nil) != want {
				t.Errorf("%s: class %s seen %v (%v), want %v", tt.name, id, c != nil, err, want)
			}
			files, err := l.ScopedFiles(tt.scope, id, 1)
			if err != nil || (len(files) == 3) != want || !want && files != nil {
				t.Errorf("%s: files of %s: %d (%v), want seen %v", tt.name, id, len(files), err, want)
			}
			photos := 0
			for _, f := range files {
				if f.IsPhoto() {
					photos++
				}
			}
			if want && photos != 1 {
				t.Errorf("%s: %d photos among %+v, want 1 (the video is not one)", tt.name, photos, files)
			}
		}
	}
	if c, _ := l.ScopedClass(Scope{All: true}, "S-NO-SUCH", now, time.UTC, 0.8); c != nil {
		t.Fatal("an unknown id gave a class")
	}
}

// TestMigrateAccounts: a ledger written before accounts existed gains the
// tables, keeps its rows, and takes users at once.
func TestMigrateAccounts(t *testing.T) {
	dir := fixtureCopy(t, "")
	before, _ := dump(t, dir)
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if after, _ := dump(t, dir); after != before {
		t.Fatal("the migration changed the rows of the fixture")
	}
	if err := l.AddUser(User{Login: "wang", Role: RoleReviewer}, "correct horse", cheap, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Authenticate("wang", "correct horse", "127.0.0.1", DefaultLoginLimit, time.Now()); err != nil {
		t.Fatal(err)
	}
	cs, err := l.ScopedClasses(Scope{All: true}, time.Now(), time.UTC, 0.8)
	if err != nil || len(cs) != 3 {
		t.Fatalf("the fixture's classes through the office scope: %d, %v; want 3", len(cs), err)
	}
}

// otherLastDigit is token with another last hex digit: a token that is not it.
func otherLastDigit(token string) string {
	if token[len(token)-1] == '0' {
		return token[:len(token)-1] + "1"
	}
	return token[:len(token)-1] + "0"
}
