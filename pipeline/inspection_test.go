package pipeline

import (
	"path/filepath"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// TestRecordedInspection: the inspection form of an institution is filled
// from the latest inspection (by 检查时间) recorded for one of the classes it
// lists; one of a class outside them does not count, none gives nil.
func TestRecordedInspection(t *testing.T) {
	p := open(t, filepath.Join(t.TempDir(), "outbox"))
	now := time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC)
	if err := p.Ledger.AddUser(ledger.User{Login: "wang", DisplayName: "王敏", Role: ledger.RoleReviewer}, "correct horse", ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, now); err != nil {
		t.Fatal(err)
	}
	wang, _ := p.Ledger.User("wang")
	var classes []yanshou.ClassRecord
	for i, start := range []string{"2026-03-10", "2026-04-10", "2026-05-10"} {
		d, _ := time.Parse("2006-01-02", start)
		c := &yanshou.ClassInfo{Institution: "宏达", Class: start, Start: yanshou.Date{Time: d}, End: yanshou.Date{Time: d.AddDate(0, 0, 1)}}
		id := ledger.SubmissionID(c, "")
		if _, err := p.Ledger.Claim(id, c, "h"+start, "inbox", now); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			classes = append(classes, yanshou.ClassRecord{ID: id, Institution: "宏达", Class: start})
		}
	}
	if rec, err := p.recordedInspection("宏达", classes); err != nil || rec != nil {
		t.Fatalf("none recorded: %+v %v", rec, err)
	}
	record := func(id, place string, at time.Time) {
		t.Helper()
		r := yanshou.InspectionRecord{At: at, Place: place, Inspectors: "王敏", Content: "查看签到", InspectorSign: "王敏", InspectorAt: at,
			InspectedSign: "张校长", InspectedAt: at}
		if err := p.Ledger.RecordInspection(wang, id, r, now); err != nil {
			t.Fatal(err)
		}
	}
	third := ledger.SubmissionID(&yanshou.ClassInfo{Institution: "宏达", Class: "2026-05-10", Start: yanshou.Date{Time: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)},
		End: yanshou.Date{Time: time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)}}, "")
	record(classes[1].ID, "四月的检查", time.Date(2026, 4, 10, 2, 0, 0, 0, time.UTC))
	record(classes[0].ID, "三月的检查", time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC))
	record(third, "五月的检查（不在表中）", time.Date(2026, 5, 10, 2, 0, 0, 0, time.UTC))
	rec, err := p.recordedInspection("宏达", classes)
	if err != nil || rec == nil || rec.Place != "四月的检查" {
		t.Fatalf("recorded: %+v %v", rec, err)
	}
}
