package ledger

import (
	"testing"
	"time"

	"yanshou"
)

// TestPhotosBySerial: a class finds the photos of earlier classes of other
// institutions shot by the same camera, from their latest judged version, with
// their days; not its own institution's, not a later class's, not another serial.
func TestPhotosBySerial(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	judge := func(c *yanshou.ClassInfo, hash string, photos ...yanshou.Photo) string {
		t.Helper()
		id := SubmissionID(c, "")
		v, err := l.Claim(id, c, hash, "inbox", now)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{Class: c}, Verdict: yanshou.Pass, Photos: photos}, "out", "{}", now); err != nil {
			t.Fatal(err)
		}
		return id
	}
	judge(class("乙机构", "第3期", "2026-03-12"), "b1", yanshou.Photo{File: "现场/old.jpg", Serial: "SN1"})
	judge(class("乙机构", "第3期", "2026-03-12"), "b2", yanshou.Photo{File: "现场/b.jpg", Serial: "SN1"}, yanshou.Photo{File: "现场/c.jpg", Serial: "SN2"})
	judge(class("宏达", "第1期", "2026-03-11"), "h1", yanshou.Photo{File: "现场/own.jpg", Serial: "SN1"})
	me := judge(class("宏达", "第2期", "2026-03-10"), "m1", yanshou.Photo{File: "现场/a.jpg", Serial: "SN1"})
	judge(class("丙机构", "第1期", "2026-03-10"), "c1", yanshou.Photo{File: "现场/later.jpg", Serial: "SN1"})

	got, err := l.PhotosBySerial(me, "宏达", []string{"SN1", "SN1", "SN9", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].File != "现场/b.jpg" || got[0].Label != "乙机构 第3期" || got[0].Institution != "乙机构" ||
		got[0].Version != 2 || got[0].Start.String() != "2026-03-12" || got[0].End.String() != "2026-03-14" || got[0].Serial != "SN1" {
		t.Fatalf("PhotosBySerial = %+v", got)
	}
}
