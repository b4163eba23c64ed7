package facts

import (
	"fmt"
	"strings"

	"yanshou"
)

func gatherAttendance(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	a := in.Attendance
	class := in.Submission.Class
	if a == nil {
		a = &yanshou.Attendance{}
	}
	f.Roster.Present = len(a.Trainees) > 0
	f.Roster.Rows = len(a.Trainees)
	f.Roster.InvalidIDs = in.RosterProblems.InvalidIDs
	f.Roster.Duplicates = in.RosterProblems.Duplicates
	ev("roster.problems", a.Problems...)

	f.Attendance.Approved = len(a.Trainees)
	if f.Attendance.Approved == 0 && class != nil {
		f.Attendance.Approved = class.Planned
	}
	f.Attendance.Trained = a.Trained()
	f.Attendance.WalkIns = a.WalkIns()
	f.Attendance.Sessions = len(a.Sessions)
	f.Attendance.SignInRows = len(a.SignIns)
	if f.Attendance.Approved > 0 {
		f.Attendance.Rate = float64(f.Attendance.Trained) / float64(f.Attendance.Approved)
	}
	for _, t := range a.Trainees {
		if !t.Trained {
			ev("attendance.absent", yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: fmt.Sprintf("%s 签到 %d/%d 场，未达到参训标准", t.Name, t.Sessions, len(a.Sessions))})
		}
	}
	for _, s := range a.SignIns {
		switch s.Match {
		case yanshou.WalkIn:
			ev("attendance.walk_ins", yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: fmt.Sprintf("%s（%s）不在批准名单中：%s", s.Name, s.Session, s.Reason)})
		case yanshou.Ambiguous:
			f.Attendance.Ambiguous++
			ev("attendance.walk_ins", yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: fmt.Sprintf("%s（%s）无法唯一对应：%s", s.Name, s.Session, s.Reason)})
		}
	}
	f.Attendance.ProxySuspect = len(in.ProxySuspects)
	ev("attendance.proxy", in.ProxySuspects...)

	// Follow-ups: distinct trained trainees called.
	f.FollowUp.Calls = len(a.FollowUps)
	called := map[int]bool{}
	for _, c := range a.FollowUps {
		if c.Trainee >= 0 && c.Trainee < len(a.Trainees) && a.Trainees[c.Trainee].Trained {
			called[c.Trainee] = true
		}
	}
	f.FollowUp.Matched = len(called)
	if f.Attendance.Trained > 0 {
		f.FollowUp.Share = float64(f.FollowUp.Matched) / float64(f.Attendance.Trained)
		ev("followup", yanshou.Evidence{Detail: fmt.Sprintf("回访记录 %d 行，对应已参训学员 %d 人", f.FollowUp.Calls, f.FollowUp.Matched)})
	}

	// Trainees counted in another class (第三条).
	for _, t := range a.Trainees {
		if other, ok := in.TrainedElsewhere[t.ID]; ok && t.Trained && t.ID != "" {
			f.Trainees.DoubleCounted++
			ev("trainees.double_counted", yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: fmt.Sprintf("%s（%s）已在 %s 计为参训", t.Name, maskID(t.ID), other)})
		}
	}
}

// maskID hides the middle of a resident ID in messages (personal data).
func maskID(id string) string {
	if len(id) < 10 {
		return id
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}
