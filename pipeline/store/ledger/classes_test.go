package ledger

import (
	"testing"
	"time"

	"yanshou"
)

// judge records one judged version of a class.
func judge(t *testing.T, l *Ledger, c *yanshou.ClassInfo, hash string, verdict yanshou.Verdict, deadline string, trainees []yanshou.Trainee, at time.Time) {
	t.Helper()
	v, err := l.Claim(SubmissionID(c, ""), c, hash, "inbox/"+hash, at)
	if err != nil {
		t.Fatal(err)
	}
	r := &yanshou.Result{Submission: &yanshou.Submission{Class: c, Files: []yanshou.File{{Rel: "培训信息表.xlsx", SHA256: "ab" + hash, Size: 10, Kind: yanshou.Manifest}}},
		Verdict: verdict, Attendance: &yanshou.Attendance{Trainees: trainees},
		Facts: &yanshou.Facts{Attendance: yanshou.AttendanceFacts{Trained: len(trainees)}}}
	if deadline != "" {
		d, _ := time.Parse("2006-01-02", deadline)
		r.Deadline = yanshou.Date{Time: d}
	}
	if err := l.Complete(v, r, "out/"+hash, `{"verdict":"`+string(verdict)+`"}`, at); err != nil {
		t.Fatal(err)
	}
}

func people(ids ...string) []yanshou.Trainee {
	var out []yanshou.Trainee
	for i, id := range ids {
		out = append(out, yanshou.Trainee{Name: "学员", ID: id, Trained: true, Poor: i == 0})
	}
	return out
}

func TestClassesStanding(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	at := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	rectified := class("宏达", "第1期", "2026-03-10")
	overdue := class("宏达", "第2期", "2026-04-01")
	waiting := class("宏达", "第3期", "2026-05-01")
	vetoed := class("农商", "第1期", "2026-03-03")
	retrain := class("农商", "第1期（重训）", "2026-06-01")

	judge(t, l, rectified, "r1", yanshou.Fail, "2026-04-04", people("A1", "A2"), at)
	judge(t, l, rectified, "r2", yanshou.Pass, "", people("A1", "A2"), at.Add(time.Hour))
	judge(t, l, overdue, "o1", yanshou.Fail, "2026-04-20", people("B1"), at)
	judge(t, l, waiting, "w1", yanshou.Fail, "2026-07-01", people("C1"), at)
	judge(t, l, vetoed, "v1", yanshou.Veto, "", people("D1", "D2", "D3", "D4", "D5"), at)

	today := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	want := map[string]yanshou.State{"第1期": yanshou.StateRectified, "第2期": yanshou.StateOverdue, "第3期": yanshou.StateRectify}
	check := func(wantVeto yanshou.State) {
		t.Helper()
		cs, err := l.Classes(today, time.UTC, 0.8)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Institution == "宏达" && c.State != want[c.Class] {
				t.Errorf("%s %s: %s, want %s", c.Institution, c.Class, c.State, want[c.Class])
			}
			if c.Institution == "农商" && c.Class == "第1期" {
				if c.State != wantVeto {
					t.Errorf("vetoed class: %s, want %s", c.State, wantVeto)
				}
				if c.PoorTrained != 1 {
					t.Errorf("poor trained = %d, want 1", c.PoorTrained)
				}
			}
			if c.Class == "第1期" && c.Institution == "宏达" && len(c.Versions) != 2 {
				t.Errorf("rectified class has %d versions, want 2", len(c.Versions))
			}
			if f := c.Latest().Facts; f == nil || f.Attendance.Trained == 0 {
				t.Errorf("%s %s: facts not kept: %+v", c.Institution, c.Class, f)
			}
		}
	}
	check(yanshou.StateVetoed)
	// A retraining class that trains only 3 of 5 is not enough (0.6 < 0.8) …
	judge(t, l, retrain, "t1", yanshou.Pass, "", people("D1", "D2", "D3", "X9"), at.Add(2*time.Hour))
	check(yanshou.StateVetoed)
	// … a resubmitted version training 4 of 5 is.
	judge(t, l, retrain, "t2", yanshou.Pass, "", people("D1", "D2", "D3", "D4"), at.Add(3*time.Hour))
	check(yanshou.StateRetrained)

	cats, poor, _, err := l.TrainedByCategory([]string{"r2", "v1"})
	if err != nil || cats[""] != 7 || poor != 2 {
		t.Fatalf("TrainedByCategory = %v poor %d, %v; want 7 uncategorised, 2 poor", cats, poor, err)
	}

	prev, prevFiles, err := l.Previous(SubmissionID(rectified, ""), 2)
	if err != nil || prev == nil || prev.Version != 1 || prev.Verdict != yanshou.Fail || len(prevFiles) != 1 {
		t.Fatalf("Previous = %+v %+v, %v", prev, prevFiles, err)
	}
	if none, _, _ := l.Previous(SubmissionID(rectified, ""), 1); none != nil {
		t.Fatalf("version 1 has a previous version: %+v", none)
	}

	files, err := l.Files("r2")
	if err != nil || len(files) != 1 || files[0].Kind != yanshou.Manifest || files[0].SHA256 != "abr2" {
		t.Fatalf("Files = %+v, %v", files, err)
	}
}
