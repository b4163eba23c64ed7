package ledger

import (
	"strings"
	"testing"
	"time"

	"yanshou"
)

func TestArchives(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 3, 20, 10, 30, 0, 0, time.UTC)
	class := &yanshou.ClassInfo{Institution: "某某学校", Class: "第3期", Start: yanshou.Date{Time: now}, End: yanshou.Date{Time: now}}
	content := strings.Repeat("c", 64)
	v, err := l.Claim("S1", class, content, "inbox/x", now)
	if err != nil {
		t.Fatal(err)
	}
	r := &yanshou.Result{Submission: &yanshou.Submission{ContentHash: content}, Verdict: yanshou.Pass}
	if err := l.Complete(v, r, "out", "{}", now); err != nil {
		t.Fatal(err)
	}
	files := []yanshou.File{{Rel: "a.pdf", Size: 3, SHA256: strings.Repeat("1", 64), Kind: yanshou.Application, Abs: "/tmp/a.pdf"}}
	for i, h := range []string{"办公室", "培训机构"} {
		if err := l.RecordArchive(Archive{SHA256: strings.Repeat(string(rune('a'+i)), 64), ContentHash: content, Holder: h,
			Copy: i + 1, Of: 2, Path: "out/归档-" + h + ".pdf", Size: 100, Files: files, Created: now}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		sha    string
		holder string
		copy   int
	}{{strings.Repeat("a", 64), "办公室", 1}, {strings.Repeat("b", 64), "培训机构", 2}, {strings.Repeat("f", 64), "", 0}}
	for _, tt := range tests {
		a, err := l.LookupArchive(tt.sha)
		if err != nil {
			t.Fatal(err)
		}
		if tt.holder == "" {
			if a != nil {
				t.Errorf("unknown hash found: %+v", a)
			}
			continue
		}
		if a == nil || a.Holder != tt.holder || a.Copy != tt.copy || a.Of != 2 || a.SubmissionID != "S1" || a.Version != 1 ||
			a.Verdict != yanshou.Pass || a.Institution != "某某学校" || !a.Created.Equal(now) {
			t.Fatalf("LookupArchive(%s) = %+v", tt.sha[:4], a)
		}
		if len(a.Files) != 1 || a.Files[0].SHA256 != files[0].SHA256 || a.Files[0].Kind != yanshou.Application || a.Files[0].Abs != "" {
			t.Errorf("files %+v", a.Files)
		}
	}
	for _, tt := range []struct {
		version int
		prior   yanshou.Verdict
		want    bool
	}{{2, yanshou.Pass, false}, {3, yanshou.Fail, true}} {
		c := strings.Repeat(string(rune('0'+tt.version)), 64)
		v, err := l.Claim("S1", class, c, "inbox/x", now)
		if err != nil || v.Version != tt.version {
			t.Fatalf("Claim: %+v, %v", v, err)
		}
		if got, err := l.Rectified("S1", tt.version); err != nil || got != tt.want {
			t.Errorf("Rectified(S1, %d) = %v, %v; want %v", tt.version, got, err, tt.want)
		}
		r := &yanshou.Result{Submission: &yanshou.Submission{ContentHash: c}, Verdict: yanshou.Fail}
		if err := l.Complete(v, r, "out", "{}", now); err != nil {
			t.Fatal(err)
		}
	}
	all, err := l.ArchivesOf(content)
	if err != nil || len(all) != 2 || all[0].Copy != 1 || all[1].Copy != 2 {
		t.Errorf("ArchivesOf = %+v, %v", all, err)
	}
}
