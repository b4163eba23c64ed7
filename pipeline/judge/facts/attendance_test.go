package facts

import (
	"strings"
	"testing"

	"yanshou"
)

// The attendance facts with known answers: trainees counted in a class held at the
// same time (and not in one held at another time), sign-ins repeated in one
// session, children on the roster, follow-up calls before the training's end,
// outcomes and categories. The base class runs 2026-03-10 to 2026-03-11 with ten
// trainees, all trained, and two follow-up calls.
func TestGatherAttendance(t *testing.T) {
	prior := func(start, end string) yanshou.PriorTraining {
		return yanshou.PriorTraining{SubmissionID: "S1", Label: "农商 第2期（" + start + "至" + end + "）", Institution: "农商", Class: "第2期", Start: start, End: end, Verdict: yanshou.Pass}
	}
	elsewhere := func(ps ...yanshou.PriorTraining) func(in *Input) {
		return func(in *Input) {
			in.TrainedIn = map[int][]yanshou.PriorTraining{0: ps}
		}
	}
	dated := func(dates ...string) func(in *Input) {
		return func(in *Input) {
			for i, d := range dates {
				c := &in.Attendance.FollowUps[i]
				c.Date, c.BeforeEnd, c.File, c.Row = d, d < "2026-03-11", "电话回访记录.xlsx", i+3
			}
		}
	}
	tests := []struct {
		name   string
		change func(in *Input)
		check  func(f *yanshou.Facts) bool
		evKey  string // evidence that must be present …
		evText string // … with this text in one of its details
	}{
		{"another class on the same days", elsewhere(prior("2026-03-11", "2026-03-12")),
			func(f *yanshou.Facts) bool {
				return f.Trainees.DoubleCounted == 1 && f.Trainees.OtherClasses == "农商 第2期（2026-03-11至2026-03-12）"
			}, "trainees.double_counted", "已在同期的 农商 第2期（2026-03-11至2026-03-12） 计为参训（该班次先于本班验收）"},
		{"the same person by name and phone, the ID altered", elsewhere(func() yanshou.PriorTraining {
			p := prior("2026-03-10", "2026-03-11")
			p.Via, p.OtherID = "name_phone", "411623199001015671"
			return p
		}()), func(f *yanshou.Facts) bool { return f.Trainees.DoubleCounted == 1 }, "trainees.double_counted", "姓名和手机号相同，身份证号码为 411623********5671"},
		{"a later class counts the same person: this one was judged first", elsewhere(func() yanshou.PriorTraining {
			p := prior("2026-03-10", "2026-03-11")
			p.Later = true
			return p
		}()), func(f *yanshou.Facts) bool {
			return f.Trainees.DoubleCounted == 0 && f.Trainees.CountedLater == 1 && f.Trainees.LaterClasses == "农商 第2期（2026-03-10至2026-03-11）"
		}, "trainees.counted_later", "本班先验收"},
		{"another class ending on the first day", elsewhere(prior("2026-03-09", "2026-03-10")),
			func(f *yanshou.Facts) bool { return f.Trainees.DoubleCounted == 1 }, "trainees.double_counted", "学员（411623*****101A）已在同期的 农商 第2期（2026-03-09至2026-03-10）"},
		{"another class a week later: allowed", elsewhere(prior("2026-03-18", "2026-03-19")),
			func(f *yanshou.Facts) bool { return f.Trainees.DoubleCounted == 0 && f.Trainees.OtherClasses == "" }, "", ""},
		{"another class without dates: not counted", elsewhere(yanshou.PriorTraining{Label: "无日期"}),
			func(f *yanshou.Facts) bool { return f.Trainees.DoubleCounted == 0 }, "", ""},
		{"another class at the same time, but this trainee not trained", func(in *Input) {
			elsewhere(prior("2026-03-10", "2026-03-11"))(in)
			in.Attendance.Trainees[0].Trained = false
		}, func(f *yanshou.Facts) bool { return f.Trainees.DoubleCounted == 0 }, "", ""},
		{"signed twice in one session", func(in *Input) {
			in.Repeats = [][]yanshou.Evidence{{{File: "签到表.xlsx", Sheet: "上午", Row: 3, Detail: "「学员」在场次「上午」签到 2 次"}, {File: "签到表.xlsx", Sheet: "上午", Row: 9, Detail: "「学员」在场次「上午」签到 2 次"}}}
		}, func(f *yanshou.Facts) bool {
			return f.Attendance.Repeated == 1 && len(f.Evidence["attendance.repeated"]) == 2 && f.Evidence["attendance.repeated"][1].Row == 9
		}, "attendance.repeated", "签到 2 次"},
		{"a child on the roster", func(in *Input) {
			in.Attendance.Trainees[2].Birth = "2015-01-01" // 11 at the start
			in.Attendance.Trainees[3].Birth = "2010-03-10" // 16 on the first day: not a child
			in.Attendance.Trainees[4].Birth = "2010-03-11" // 16 the day after: a child
		}, func(f *yanshou.Facts) bool { return f.Roster.Minors == 2 }, "roster.minors", "出生于 2015-01-01，开班时 11 岁，未满 16 周岁，签到 2 场"},
		{"no start date: ages unknown", func(in *Input) {
			in.Attendance.Trainees[2].Birth = "2015-01-01"
			in.Submission.Class.Start = yanshou.Date{}
		}, func(f *yanshou.Facts) bool { return f.Roster.Minors == 0 }, "", ""},
		{"follow-ups after the end count", dated("2026-03-11", "2026-03-20"),
			func(f *yanshou.Facts) bool {
				return f.FollowUp.Matched == 2 && f.FollowUp.Early == 0 && f.FollowUp.Undated == 0 && f.FollowUp.Share == 0.2
			}, "followup", "对应培训结束后回访的已参训学员 2 人"},
		{"a follow-up before the end does not count", dated("2026-03-10", "2026-03-20"),
			func(f *yanshou.Facts) bool {
				return f.FollowUp.Matched == 1 && f.FollowUp.Early == 1 && f.FollowUp.Share == 0.1 && f.FollowUp.Calls == 2
			}, "followup", "的回访日期 2026-03-10 早于培训结束日期 2026-03-11，不计入"},
		{"follow-ups without dates count, and are shown", func(in *Input) {},
			func(f *yanshou.Facts) bool { return f.FollowUp.Matched == 2 && f.FollowUp.Undated == 2 }, "followup", "没有可识别的日期"},
		{"outcomes of the calls", func(in *Input) {
			dated("2026-03-12", "2026-03-12")(in)
			c := in.Attendance.FollowUps
			c[0].OpenedShop, c[0].SellsOnline, c[1].OpenedShop, c[1].Applied = yes(), no(), no(), yes()
			in.Attendance.FollowUps = append(c, yanshou.FollowUpCall{Trainee: 0, Date: "2026-03-15", OpenedShop: yes()}, // the same trainee again
				yanshou.FollowUpCall{Trainee: -1, Date: "2026-03-15", OpenedShop: yes()}) // not on the roster
		}, func(f *yanshou.Facts) bool {
			return f.FollowUp.OpenedShop == 1 && f.FollowUp.SellsOnline == 0 && f.FollowUp.Applied == 1 && f.FollowUp.Calls == 4 && f.FollowUp.Matched == 2
		}, "", ""},
		{"categories, poor households and local trainees", func(in *Input) {
			ts := in.Attendance.Trainees
			for i := range ts {
				ts[i].Category = []string{"农民", "农民", "返乡青年", "农民", "", "返乡青年", "农民", "农民", "农民", "退伍军人"}[i]
				ts[i].Local = i < 7
			}
			ts[0].Poor, ts[1].Poor, ts[9].Poor = true, true, true
			ts[1].Trained, ts[1].Sessions = false, 0
		}, func(f *yanshou.Facts) bool {
			a := f.Attendance
			return a.Poor == 3 && a.PoorTrained == 2 && a.LocalTrained == 6 && a.Categories == "农民 5人、返乡青年 2人、未填类别 1人、退伍军人 1人"
		}, "attendance.poor", "（建档立卡贫困户）签到 0/2 场"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			f := Gather(in)
			if !tt.check(f) {
				t.Fatalf("facts: roster %+v attendance %+v follow-up %+v trainees %+v", f.Roster, f.Attendance, f.FollowUp, f.Trainees)
			}
			if tt.evKey == "" {
				return
			}
			var details []string
			for _, e := range f.Evidence[tt.evKey] {
				details = append(details, e.Detail)
			}
			if !strings.Contains(strings.Join(details, "\n"), tt.evText) {
				t.Errorf("evidence %s = %q, want %q", tt.evKey, details, tt.evText)
			}
		})
	}
}
