package ledger

import (
	"testing"
	"time"

	"yanshou"
)

func class(inst, cls, start string) *yanshou.ClassInfo {
	d, _ := time.Parse("2006-01-02", start)
	return &yanshou.ClassInfo{Institution: inst, Class: cls, Start: yanshou.Date{Time: d}, End: yanshou.Date{Time: d.AddDate(0, 0, 2)}}
}

func TestClaimVersions(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	c := class("宏达", "第1期", "2026-03-10")
	id := SubmissionID(c, "inbox/a")
	if id != SubmissionID(class("宏达", "第1期", "2026-03-10"), "inbox/elsewhere") {
		t.Fatal("the same class must have the same id wherever it is found")
	}
	if id == SubmissionID(class("宏达", "第2期", "2026-03-10"), "inbox/a") {
		t.Fatal("another class must have another id")
	}

	steps := []struct {
		hash        string
		wantVersion int
		wantDone    bool
		complete    bool
	}{
		{"h1", 1, false, true},  // first content
		{"h1", 1, true, false},  // the same content again: same version, already done
		{"h2", 2, false, false}, // changed content: a resubmission
		{"h2", 2, false, true},  // claimed but not completed (crash): same version again
		{"h3", 3, false, false},
	}
	for i, s := range steps {
		v, err := l.Claim(id, c, s.hash, "inbox/a", now)
		if err != nil {
			t.Fatal(err)
		}
		if v.Version != s.wantVersion || v.Done != s.wantDone {
			t.Fatalf("step %d: version %d done %v, want %d %v", i, v.Version, v.Done, s.wantVersion, s.wantDone)
		}
		if s.complete {
			r := &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Fail,
				Photos:     []yanshou.Photo{{File: "现场照片/a.jpg", Hash: 0xF0F0}},
				Attendance: &yanshou.Attendance{Trainees: []yanshou.Trainee{{Name: "张三", ID: "411623199001011234", Trained: true}, {Name: "李四", ID: "X", Trained: false}}}}
			if err := l.Complete(v, r, "out/"+s.hash, `{"verdict":"fail"}`, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, _ := l.Lookup("h1")
	if got == nil || !got.Done || got.Verdict != yanshou.Fail || got.OutDir != "out/h1" {
		t.Fatalf("Lookup(h1) = %+v", got)
	}
	if none, err := l.Lookup("nope"); none != nil || err != nil {
		t.Fatalf("Lookup(nope) = %v, %v", none, err)
	}

	// A class seen later sees the latest completed version's photos and trainees;
	// the earlier class never sees the later one's.
	otherClass := class("农商", "第1期", "2026-04-01")
	other := SubmissionID(otherClass, "")
	ov, err := l.Claim(other, otherClass, "o1", "inbox/b", now)
	if err != nil {
		t.Fatal(err)
	}
	l.Complete(ov, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Pass,
		Photos: []yanshou.Photo{{File: "现场/b.jpg", Hash: 0xF0F0}}}, "out/o1", "{}", now)
	if earlier, _ := l.PhotosOutside(id); len(earlier) != 0 {
		t.Fatalf("the earlier class sees a later class's photos: %+v", earlier)
	}
	photos, err := l.PhotosOutside(other)
	if err != nil || len(photos) != 1 || photos[0].Hash != 0xF0F0 || photos[0].Version != 2 {
		t.Fatalf("PhotosOutside = %+v, %v", photos, err)
	}
	if own, _ := l.PhotosOutside(id); len(own) != 0 {
		t.Fatalf("a class must not see its own photos: %+v", own)
	}
	all, _ := l.Versions()
	if len(all) != 4 {
		t.Fatalf("Versions = %d, want 4 (three of one class, one of another)", len(all))
	}
}

func TestReopenKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir)
	c := class("宏达", "第1期", "2026-03-10")
	l.Claim(SubmissionID(c, ""), c, "h1", "o", time.Now())
	l.Close()
	l2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if v, _ := l2.Lookup("h1"); v == nil || v.Version != 1 {
		t.Fatalf("record lost on reopen: %+v", v)
	}
}
