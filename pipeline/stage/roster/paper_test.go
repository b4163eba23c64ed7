package roster

import (
	"testing"

	"yanshou"
)

func TestUsePaper(t *testing.T) {
	cfg := &yanshou.Config{Thresholds: yanshou.Thresholds{TraineeMinSessionShare: 0.5}}
	typed := func(s string, k int) yanshou.SignIn {
		return yanshou.SignIn{Session: s, Trainee: k, Match: yanshou.Matched, File: "签到.xlsx", Row: k + 2}
	}
	a := &yanshou.Attendance{
		Trainees: make([]yanshou.Trainee, 3),
		Sessions: []string{"2026-03-10 下午", "2026-03-11 上午"},
		SignIns:  []yanshou.SignIn{typed("2026-03-10 下午", 0), typed("2026-03-10 下午", 1), typed("2026-03-10 下午", 2), typed("2026-03-11 上午", 0)},
	}
	paper := []yanshou.SignIn{
		{Session: "2026-03-10 下午", Trainee: 0, Match: yanshou.Matched, File: "签到表.pdf", Sheet: "签到表第1页", Row: 1},
		{Session: "2026-03-10 上午", Trainee: 2, Match: yanshou.Matched, File: "签到表.pdf", Sheet: "签到表第1页", Row: 3},
	}
	// the paper's page of 下午 held trainees 0 and 1 (1 did not sign); trainee 2's page was not read
	covered := map[string]map[int]bool{"2026-03-10 下午": {0: true, 1: true}, "2026-03-10 上午": {0: true, 1: true, 2: true}}
	got := UsePaper(a, paper, covered, cfg)
	if len(got) != 2 {
		t.Errorf("typed rows the paper decides: %d, want 2", len(got))
	}
	if len(a.SignIns) != 4 || a.SignIns[0].Trainee != 2 || a.SignIns[1].Session != "2026-03-11 上午" || a.SignIns[2].File != "签到表.pdf" {
		t.Errorf("sign-ins = %+v", a.SignIns)
	}
	want := []string{"2026-03-10 上午", "2026-03-10 下午", "2026-03-11 上午"}
	if len(a.Sessions) != 3 || a.Sessions[0] != want[0] || a.Sessions[1] != want[1] || a.Sessions[2] != want[2] {
		t.Errorf("sessions = %v, want %v", a.Sessions, want)
	}
	// trainee 0: 2 of 3 sessions (trained), 1: none (the paper says so), 2: 2 of 3
	// (下午 typed, its page unread; 上午 on paper)
	for k, w := range []struct {
		n       int
		trained bool
	}{{2, true}, {0, false}, {2, true}} {
		if tr := a.Trainees[k]; tr.Sessions != w.n || tr.Trained != w.trained {
			t.Errorf("trainee %d: %d sessions, trained %v; want %d, %v", k, tr.Sessions, tr.Trained, w.n, w.trained)
		}
	}
	if UsePaper(a, nil, nil, cfg) != nil || len(a.SignIns) != 4 {
		t.Error("no paper sessions changed the attendance")
	}
}

func TestDatedLabel(t *testing.T) {
	for s, want := range map[string]bool{"2026-03-10": true, "2026-03-10 上午": true, "第1场": false, "2026/03/10": false, "": false} {
		if datedLabel(s) != want {
			t.Errorf("datedLabel(%q) = %v", s, !want)
		}
	}
}
