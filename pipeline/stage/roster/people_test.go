package roster

import (
	"fmt"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

// TestRuralSignIns reads sign-in sheets as rural classes write them: names in
// traditional or variant characters, a name mistyped with the phone right, and
// a family member signing with a trainee's phone while the trainee signs too.
func TestRuralSignIns(t *testing.T) {
	dir := t.TempDir()
	roster := workbook(t, dir, "学员名单.xlsx", sheetSpec{name: "名单", rows: [][]any{
		{"姓名", "身份证号码", "手机号"},
		{"杜伟", mkID("411623", "19800101", 11), "13800000001"},
		{"刘德华", mkID("411623", "19810101", 21), "13800000002"},
		{"张秀英", mkID("411623", "19820101", 32), "13800000003"},
		{"王建国", mkID("411623", "19830101", 41), "13800000004"},
	}})
	signins := workbook(t, dir, "签到表.xlsx", sheetSpec{name: "第1场", rows: [][]any{
		{"姓名", "手机号"},
		{"杜偉", "13800000001"},  // traditional form of 杜伟
		{"劉德華", "13800000002"}, // traditional
		{"張秀瑛", "13800000003"}, // a character written differently, phone right
		{"王建国", "13800000004"},
		{"王小明", "13800000004"}, // his son with his phone: not him
	}})
	a := Read([]yanshou.File{roster}, []yanshou.File{signins}, nil, nil, config.Default())
	want := []struct {
		name        string
		match       yanshou.Match
		trainee     int
		nameDiffers string
	}{
		{"杜偉", yanshou.Matched, 0, ""},
		{"劉德華", yanshou.Matched, 1, ""},
		{"張秀瑛", yanshou.Matched, 2, "张秀英"},
		{"王建国", yanshou.Matched, 3, ""},
		{"王小明", yanshou.WalkIn, -1, ""},
	}
	if len(a.SignIns) != len(want) {
		t.Fatalf("%d sign-ins, want %d", len(a.SignIns), len(want))
	}
	for i, w := range want {
		s := a.SignIns[i]
		if s.Name != w.name || s.Match != w.match || s.Trainee != w.trainee || s.NameDiffers != w.nameDiffers {
			t.Errorf("row %d: %s %s trainee %d differs %q (%s), want %s %s %d %q", s.Row, s.Name, s.Match, s.Trainee, s.NameDiffers, s.Reason,
				w.name, w.match, w.trainee, w.nameDiffers)
		}
	}
	if a.WalkIns() != 1 {
		t.Errorf("walk-ins %d, want 1 (王小明)", a.WalkIns())
	}
	for i, tr := range a.Trainees {
		if !tr.Trained {
			t.Errorf("%s (row %d) not trained", tr.Name, i)
		}
	}
}

// TestPhones: households sharing one phone are shown, never a veto; more
// people than a household on one phone, a phone passed round over the sessions,
// proxy sign-in spread thin over several phones, and a roster with one phone
// for ten people are caught.
func TestPhones(t *testing.T) {
	cfg := config.Default()
	th := cfg.Thresholds
	people := func(n int) []yanshou.Trainee {
		var ts []yanshou.Trainee
		for i := range n {
			ts = append(ts, yanshou.Trainee{Name: "学员" + string(rune('甲'+i)), Phone: "1380000" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + "00", File: "名单.xlsx", Row: i + 2})
		}
		return ts
	}
	signs := func(sessions int, phoneOf func(trainee, session int) string, n int) []yanshou.SignIn {
		var out []yanshou.SignIn
		for s := range sessions {
			for i := range n {
				out = append(out, yanshou.SignIn{Session: "第" + string(rune('1'+s)) + "场", Name: "学员" + string(rune('甲'+i)), Phone: phoneOf(i, s),
					Match: yanshou.Matched, Trainee: i, File: "签到表.xlsx", Sheet: "第" + string(rune('1'+s)) + "场", Row: i + 2})
			}
		}
		return out
	}
	own := func(ts []yanshou.Trainee) func(int, int) string { return func(i, _ int) string { return ts[i].Phone } }
	tests := []struct {
		name                                    string
		att                                     func() *yanshou.Attendance
		households, rings, rosterShared, rRings int
		sharedPhones                            int
		minShare, maxShare                      float64
	}{
		{"everyone on their own phone", func() *yanshou.Attendance {
			ts := people(40)
			return &yanshou.Attendance{Trainees: ts, SignIns: signs(4, own(ts), 40)}
		}, 0, 0, 0, 0, 0, 0, 0},
		{"a family of three on the son's phone, every session", func() *yanshou.Attendance {
			ts := people(40)
			return &yanshou.Attendance{Trainees: ts, SignIns: signs(4, func(i, s int) string {
				if i < 3 {
					return ts[0].Phone
				}
				return ts[i].Phone
			}, 40)}
		}, 4, 0, 0, 0, 1, 3.0 / 40, 3.0 / 40},
		{"five couples on one phone each in a class of forty", func() *yanshou.Attendance {
			ts := people(40)
			return &yanshou.Attendance{Trainees: ts, SignIns: signs(4, func(i, s int) string {
				if i < 10 {
					return ts[i/2*2].Phone
				}
				return ts[i].Phone
			}, 40)}
		}, 0, 0, 0, 0, 5, 0.25, 0.25},
		{"six people on one phone in a session", func() *yanshou.Attendance {
			ts := people(20)
			return &yanshou.Attendance{Trainees: ts, SignIns: signs(1, func(i, s int) string {
				if i < 6 {
					return ts[0].Phone
				}
				return ts[i].Phone
			}, 20)}
		}, 0, 1, 0, 0, 1, 0.3, 0.3},
		{"one phone passed round: two a session, six people over three sessions", func() *yanshou.Attendance {
			ts := people(12)
			var out []yanshou.SignIn
			for s := range 3 {
				for i := range 12 {
					ph := ts[i].Phone
					if i/2 == s { // the pair of this session signs on trainee 11's phone
						ph = ts[11].Phone
					}
					if i == 11 {
						continue
					}
					out = append(out, yanshou.SignIn{Session: "第" + string(rune('1'+s)) + "场", Name: ts[i].Name, Phone: ph, Match: yanshou.Matched, Trainee: i,
						File: "签到表.xlsx", Row: i + 2})
				}
			}
			return &yanshou.Attendance{Trainees: ts, SignIns: out}
		}, 0, 1, 0, 0, 1, 0, 1},
		{"ten people on five phones, two each, every session", func() *yanshou.Attendance {
			ts := people(10)
			return &yanshou.Attendance{Trainees: ts, SignIns: signs(4, func(i, s int) string { return ts[i/2*2].Phone }, 10)}
		}, 0, 0, 0, 0, 5, 1, 1},
		{"ten trainees with one phone on the roster", func() *yanshou.Attendance {
			ts := people(30)
			for i := range 10 {
				ts[i].Phone = "13912345678"
			}
			return &yanshou.Attendance{Trainees: ts}
		}, 0, 0, 0, 1, 0, 0, 0},
		{"a couple and a family of three on the roster", func() *yanshou.Attendance {
			ts := people(30)
			ts[1].Phone, ts[3].Phone, ts[4].Phone = ts[0].Phone, ts[2].Phone, ts[2].Phone
			return &yanshou.Attendance{Trainees: ts}
		}, 0, 0, 1, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := Phones(tt.att(), th)
			if len(u.Households) != tt.households || len(u.Rings) != tt.rings || len(u.RosterShared) != tt.rosterShared ||
				len(u.RosterRings) != tt.rRings || u.SharedPhones != tt.sharedPhones || u.SharedShare < tt.minShare-1e-9 || u.SharedShare > tt.maxShare+1e-9 {
				t.Errorf("households %d rings %d roster %d/%d shared phones %d share %.3f; want %d %d %d/%d %d %.3f–%.3f\n%+v",
					len(u.Households), len(u.Rings), len(u.RosterShared), len(u.RosterRings), u.SharedPhones, u.SharedShare,
					tt.households, tt.rings, tt.rosterShared, tt.rRings, tt.sharedPhones, tt.minShare, tt.maxShare, u)
			}
		})
	}
}

// TestMadeUpIDs: numbers with valid check digits that a forger's list gives
// away — a county code that does not exist, everyone born on one day, serials
// counting up — and an honest roster that shows none of it.
func TestMadeUpIDs(t *testing.T) {
	th := config.Default().Thresholds
	roster := func(n int, id func(i int) string, gender func(i int) string) *yanshou.Attendance {
		a := &yanshou.Attendance{}
		for i := range n {
			a.Trainees = append(a.Trainees, yanshou.Trainee{Name: "学员" + string(rune('甲'+i)), ID: id(i), Gender: gender(i), File: "名单.xlsx", Sheet: "名单", Row: i + 2})
		}
		return a
	}
	none := func(int) string { return "" }
	honest := func(i int) string {
		codes := []string{"411623", "412723", "411626", "411602", "411622"}
		return mkID(codes[i%len(codes)], fmt.Sprintf("19%02d%02d%02d", 50+i*7%45, 1+i*5%12, 1+i*11%28), (i*37+13)%999)
	}
	tests := []struct {
		name                     string
		a                        *yanshou.Attendance
		sameBirth, runs, genders int
	}{
		{"an honest roster of forty", roster(40, honest, none), 0, 0, 0},
		{"everyone born on one day", roster(30, func(i int) string { return mkID("411623", "19800101", i*37%999) }, none), 1, 0, 0},
		{"a few born on one day, as happens", roster(40, func(i int) string {
			if i < 3 {
				return mkID("411623", "19800101", 100+i*9)
			}
			return honest(i)
		}, none), 0, 0, 0},
		{"serials 001…045", roster(45, func(i int) string {
			return mkID("411623", fmt.Sprintf("19%02d%02d%02d", 50+i%40, 1+i%12, 1+i%28), i+1)
		}, none), 0, 1, 0},
		{"serials two by two (one sex)", roster(20, func(i int) string {
			return mkID("411623", fmt.Sprintf("19%02d0315", 60+i), 2*i+1)
		}, none), 0, 1, 0},
		{"a 性别 against the ID", roster(5, honest, func(i int) string {
			if (honest(i)[16]-'0')%2 == 1 { // male by the ID
				if i == 2 {
					return "女"
				}
				return "男"
			}
			return "女"
		}), 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tr := range tt.a.Trainees {
				if why := ValidID(tr.ID); why != "" {
					t.Fatalf("fixture ID %s invalid: %s", tr.ID, why)
				}
			}
			p := IDPatterns(tt.a, th)
			if len(p.SameBirth) != tt.sameBirth || len(p.SerialRuns) != tt.runs || len(p.GenderMismatch) != tt.genders {
				t.Errorf("same birth %d, runs %d, gender %d; want %d %d %d\n%+v", len(p.SameBirth), len(p.SerialRuns), len(p.GenderMismatch),
					tt.sameBirth, tt.runs, tt.genders, p)
			}
		})
	}
	for _, tt := range []struct{ id, want string }{
		{mkID("411699", "19800101", 11), "地址码「411699」不是有效的行政区划代码"},
		{mkID("419999", "19800101", 11), "地址码「419999」"},
		{mkID("412723", "19650101", 11), ""}, // 商水县 under 周口地区, before 2000
		{mkID("411626", "19900101", 11), ""}, // 淮阳县, before 2019
	} {
		if got := ValidID(tt.id); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ValidID(%s) = %q, want %q", tt.id, got, tt.want)
		}
	}
}
