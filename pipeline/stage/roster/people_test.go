package roster

import (
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
