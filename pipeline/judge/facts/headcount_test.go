package facts

import (
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

// TestHeadcounts: the office's count of each session against its sign-ins,
// under the default allowance (3 people, or 10% of the count when more):
// under, at and over it, a session the office counted that nobody signed in
// at, none recorded, the latest record of a session counting, and the share
// taking over from the people for a large class.
func TestHeadcounts(t *testing.T) {
	th := config.Default().Thresholds
	at := time.Date(2026, 3, 10, 2, 5, 0, 0, time.UTC) // 10:05 in the county
	hc := func(session string, present int) yanshou.Headcount {
		return yanshou.Headcount{Session: session, Present: present, Note: "开课时清点", By: "王敏", Role: "审核人", At: at}
	}
	sessions := []yanshou.SessionCount{{Session: "2026-03-10 上午", SignedIn: 40, File: "08签到表/签到表.xlsx"}, {Session: "2026-03-10 下午", SignedIn: 38, File: "08签到表/签到表.xlsx"}}
	tests := []struct {
		name           string
		counts         []yanshou.SessionCount
		hs             []yanshou.Headcount
		recorded, over int
		evidence       string // in the one evidence line, "" for none
	}{
		{"no headcount", sessions, nil, 0, 0, ""},
		{"under the allowance", sessions, []yanshou.Headcount{hc("2026-03-10 上午", 38)}, 1, 0, ""},
		{"at the allowance: 3 more", sessions, []yanshou.Headcount{hc("2026-03-10 上午", 37)}, 1, 0, ""},
		{"over it: 4 more", sessions, []yanshou.Headcount{hc("2026-03-10 上午", 36), hc("2026-03-10 下午", 38)}, 2, 1,
			"场次「2026-03-10 上午」签到 40 人，县电子商务办公室现场清点实到 36 人，多出 4 人（允许 3 人）；王敏（审核人）于 2026-03-10 10:05 记录：开课时清点"},
		{"a session nobody signed in at", sessions, []yanshou.Headcount{hc("2026-03-11 上午", 5)}, 0, 0, ""},
		{"no sessions read (a version judged before sessions were kept)", nil, []yanshou.Headcount{hc("2026-03-10 上午", 5)}, 0, 0, ""},
		{"the latest record counts", sessions, []yanshou.Headcount{hc("2026-03-10 下午", 20), hc("2026-03-10 下午", 37)}, 1, 0, ""},
		{"the latest record counts, the other way", sessions, []yanshou.Headcount{hc("2026-03-10 下午", 37), hc("2026-03-10 下午", 20)}, 1, 1, "签到 38 人，县电子商务办公室现场清点实到 20 人，多出 18 人"},
		{"a large class: 10% of 100 allowed", []yanshou.SessionCount{{Session: "第1场", SignedIn: 110}}, []yanshou.Headcount{hc("第1场", 100)}, 1, 0, ""},
		{"a large class: 11 more than 100", []yanshou.SessionCount{{Session: "第1场", SignedIn: 111, File: "签到表.xlsx"}}, []yanshou.Headcount{hc("第1场", 100)}, 1, 1, "多出 11 人（允许 10 人）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &yanshou.Facts{T: th, Headcount: yanshou.HeadcountFacts{SessionSignIns: tt.counts}}
			Headcounts(f, tt.hs, cfg.Location)
			ev := f.Evidence[yanshou.EvAttendanceHeadcount]
			if f.Headcount.Recorded != tt.recorded || f.Headcount.Over != tt.over || len(ev) != tt.over {
				t.Fatalf("recorded %d, over %d, %d evidence lines; want %d, %d", f.Headcount.Recorded, f.Headcount.Over, len(ev), tt.recorded, tt.over)
			}
			if tt.evidence != "" && (!strings.Contains(ev[0].Detail, tt.evidence) || ev[0].File == "") {
				t.Errorf("evidence %+v, want %q with the sign-in sheet", ev[0], tt.evidence)
			}
			// comparing again (the desk, after a later record) replaces, never adds
			Headcounts(f, tt.hs, cfg.Location)
			if len(f.Evidence[yanshou.EvAttendanceHeadcount]) != tt.over {
				t.Error("a second comparison added evidence")
			}
		})
	}
}

// TestSessionSignIns: distinct people per session, in the attendance's order:
// a trainee signing twice counts once, a walk-in by the ID, else by name and
// phone.
func TestSessionSignIns(t *testing.T) {
	a := &yanshou.Attendance{Sessions: []string{"上午", "下午"}, SignIns: []yanshou.SignIn{
		{Session: "下午", Match: yanshou.Matched, Trainee: 0, File: "b.xlsx"},
		{Session: "上午", Match: yanshou.Matched, Trainee: 0, File: "a.xlsx"},
		{Session: "上午", Match: yanshou.Matched, Trainee: 0, File: "a.xlsx"},
		{Session: "上午", Match: yanshou.Matched, Trainee: 1, File: "a.xlsx"},
		{Session: "上午", Match: yanshou.WalkIn, Trainee: -1, ID: "411623199001011234"},
		{Session: "上午", Match: yanshou.WalkIn, Trainee: -1, ID: "411623199001011234"},
		{Session: "上午", Match: yanshou.WalkIn, Trainee: -1, Name: "张三", Phone: "13800000000"},
		{Session: "晚上", Match: yanshou.Ambiguous, Trainee: -1, Name: "李四"},
	}}
	got := sessionSignIns(a)
	want := []yanshou.SessionCount{{Session: "上午", SignedIn: 4, File: "a.xlsx"}, {Session: "下午", SignedIn: 1, File: "b.xlsx"}, {Session: "晚上", SignedIn: 1}}
	if len(got) != len(want) {
		t.Fatalf("%+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if sessionSignIns(nil) != nil {
		t.Error("no attendance gave sessions")
	}
}
