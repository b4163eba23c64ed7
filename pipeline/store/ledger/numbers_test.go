package ledger

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"yanshou"
)

// TestDocumentNumber: numbers count from 1 per year, a key asked for again
// keeps its year and number (also after reopening), other keys get the next.
func TestDocumentNumber(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		key      string
		year     int
		wantYear int
		wantN    int
	}{
		{NoticeKey("SA", 1), 2026, 2026, 1},
		{NoticeKey("SB", 1), 2026, 2026, 2},
		{NoticeKey("SA", 1), 2026, 2026, 1}, // rendered again
		{NoticeKey("SA", 2), 2026, 2026, 3}, // a new version, a new notice
		{InspectionKey("宏达", "2026-05-12"), 2026, 2026, 4},
		{NoticeKey("SC", 1), 2027, 2027, 1}, // a new year starts at 1
		{NoticeKey("SA", 1), 2027, 2026, 1}, // asked in another year: keeps its number
	}
	for i, s := range steps {
		y, n, err := l.DocumentNumber(s.key, s.year, now)
		if err != nil || y != s.wantYear || n != s.wantN {
			t.Errorf("step %d %s: %d/%d, %v; want %d/%d", i, s.key, y, n, err, s.wantYear, s.wantN)
		}
	}
	l.Close()
	l, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if y, n, err := l.DocumentNumber(NoticeKey("SB", 1), 2026, now); err != nil || y != 2026 || n != 2 {
		t.Errorf("after reopening: %d/%d, %v", y, n, err)
	}
	if _, n, _ := l.DocumentNumber(NoticeKey("SD", 1), 2026, now); n != 5 {
		t.Errorf("next number after reopening = %d, want 5", n)
	}
}

// TestMigrateDocNumbers: the fixture ledger (schema 3) opens at the newest
// schema with an empty number table that numbers from 1.
func TestMigrateDocNumbers(t *testing.T) {
	dir := fixtureCopy(t, "")
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var count int
	if err := l.db.QueryRow(`SELECT COUNT(*) FROM doc_numbers`).Scan(&count); err != nil || count != 0 {
		t.Fatalf("doc_numbers after migration: %d rows, %v", count, err)
	}
	if _, n, err := l.DocumentNumber(NoticeKey("S1", 1), 2026, time.Now()); err != nil || n != 1 {
		t.Errorf("first number on a migrated ledger: %d, %v", n, err)
	}
}

// TestSubmissionIDAlphabet: new ids use Crockford's base 32 (no I, L, O, U),
// are stable and differ per class; a class the ledger holds under its legacy
// base-36 id keeps that id, a new class gets the new one.
func TestSubmissionIDAlphabet(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	old := class("宏达", "第1期", "2026-03-10")
	fresh := class("宏达", "第2期", "2026-03-20")
	if _, err := l.Claim(LegacySubmissionID(old, ""), old, "h-old", "inbox", time.Now()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		c    *yanshou.ClassInfo
		want string
	}{
		{"held under its legacy id", old, LegacySubmissionID(old, "")},
		{"new class", fresh, SubmissionID(fresh, "")},
		{"no manifest", nil, SubmissionID(nil, "inbox/x")},
	}
	for _, tt := range tests {
		got, err := l.ID(tt.c, "inbox/x")
		if tt.c != nil {
			got, err = l.ID(tt.c, "")
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: ID = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	for _, c := range []*yanshou.ClassInfo{old, fresh, class("某某", "第9期", "2026-01-01")} {
		id := SubmissionID(c, "")
		if len(id) != 14 || strings.ContainsAny(id[1:], "ILOU") || id != SubmissionID(c, "") {
			t.Errorf("SubmissionID = %q: not 13 Crockford digits after S, or not stable", id)
		}
	}
	if SubmissionID(old, "") == SubmissionID(fresh, "") || SubmissionID(old, "") == LegacySubmissionID(old, "") {
		t.Errorf("ids do not tell classes or alphabets apart")
	}
}

// TestDocumentNumberConcurrent: documents numbered at once by several
// goroutines get distinct numbers 1…n.
func TestDocumentNumberConcurrent(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	const n = 16
	got := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			_, got[i], err = l.DocumentNumber(NoticeKey(fmt.Sprint("S", i), 1), 2026, time.Now())
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, x := range got {
		if x < 1 || x > n || seen[x] {
			t.Fatalf("numbers %v: not distinct in 1…%d", got, n)
		}
		seen[x] = true
	}
}
