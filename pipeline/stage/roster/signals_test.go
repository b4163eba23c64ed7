package roster

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

// The fraud signals and follow-up outcomes, read from workbooks, with known answers.
func TestSignals(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	cl := class(cfg, "2026-03-10", "2026-03-11")
	id := func(i int) string { return mkID("411623", fmt.Sprintf("19%02d0101", 70+i), i) }
	child := mkID("411623", "20150601", 7)
	roster := workbook(t, dir, "名单.xlsx", sheetSpec{name: "名单", rows: [][]any{
		{"姓名", "身份证号码", "联系电话"},
		{"甲", id(1), "13800000001"},
		{"乙", id(2), "13800000002"},
		{"丙", id(3), "13800000003"}, // 丙, 丁 and 庚: one family phone on the roster
		{"丁", id(4), "13800000003"},
		{"庚", id(5), "13800000003"},
		{"戊", child, "13800000006"},
	}})
	head := []any{"姓名", "身份证号码", "联系电话"}
	signins := workbook(t, dir, "签到表.xlsx",
		sheetSpec{name: "3月10日上午", rows: [][]any{head,
			{"甲", id(1)},                // row 2
			{"乙", nil, "13900000009"},   // row 3: one phone signs 乙, 丙 and 丁
			{"丙", nil, "13900000009"},   // row 4
			{"丁", nil, "13900000009"},   // row 5
			{"甲"},                       // row 6: 甲 again, by name
			{"路人", id(9)},               // row 7: a walk-in …
			{"路人", id(9)},               // row 8: … twice
			{"戊", child},                // row 9
			{"乙", id(2), "13900000009"}, // row 10: 乙 again on the same phone: still three people
		}},
		sheetSpec{name: "3月10日下午", rows: [][]any{head,
			{"丙"}, {"丁"}, {"庚"}, // no phone on the sheet: the roster's shared phone is not a sign-in
			{"甲", id(1), "13800000001"},
		}},
	)
	late := workbook(t, dir, "签到表（补签）.xlsx", sheetSpec{name: "3月10日上午", rows: [][]any{head, {"庚", id(5)}, {"甲", id(1)}}})
	calls := workbook(t, dir, "电话回访记录.xlsx", sheetSpec{name: "回访", rows: [][]any{
		{"姓名", "回访日期", "回访情况", "是否开网店", "网上销售情况", "是否开展电商应用"},
		{"甲", "2026-03-09", "已开店", "已开店", "否", "是"},
		{"乙", "2026/3/15", "还没开", "未开", "拼多多", nil},
		{"丙", nil, "好", "准备开店", nil, "√"},
		{"丁", "3月11日", "好", "是", "是", "否"},
	}})

	a := Read([]yanshou.File{roster}, []yanshou.File{signins, late}, []yanshou.File{calls}, cl, cfg)

	t.Run("repeated sign-ins", func(t *testing.T) {
		var got []string
		for _, g := range Repeats(a) {
			var rows []string
			for _, e := range g {
				rows = append(rows, fmt.Sprintf("%s/%s/%d", e.File, e.Sheet, e.Row))
			}
			got = append(got, g[0].Detail+" @ "+strings.Join(rows, ","))
		}
		want := []string{
			"「甲」在场次「2026-03-10 上午」签到 3 次：签到表.xlsx 工作表「3月10日上午」第2行、签到表.xlsx 工作表「3月10日上午」第6行、签到表（补签）.xlsx 工作表「3月10日上午」第3行 @ 签到表.xlsx/3月10日上午/2,签到表.xlsx/3月10日上午/6,签到表（补签）.xlsx/3月10日上午/3",
			"「乙」在场次「2026-03-10 上午」签到 2 次：签到表.xlsx 工作表「3月10日上午」第3行、签到表.xlsx 工作表「3月10日上午」第10行 @ 签到表.xlsx/3月10日上午/3,签到表.xlsx/3月10日上午/10",
			"「路人」在场次「2026-03-10 上午」签到 2 次：签到表.xlsx 工作表「3月10日上午」第7行、签到表.xlsx 工作表「3月10日上午」第8行 @ 签到表.xlsx/3月10日上午/7,签到表.xlsx/3月10日上午/8",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("repeats:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		probs := problemText(a)
		if !strings.Contains(probs, "签到表（补签）.xlsx|3月10日上午|3|「甲」在场次「2026-03-10 上午」签到 3 次") {
			t.Errorf("the repeat is not a problem at its last row:\n%s", probs)
		}
	})
	t.Run("one phone for three people: a household, shown", func(t *testing.T) {
		u := Phones(a, cfg.Thresholds)
		if len(u.Households) != 1 || len(u.Rings) != 0 || u.Households[0].Row != 3 || u.Households[0].Sheet != "3月10日上午" ||
			!strings.Contains(u.Households[0].Detail, "手机号 13900000009 为 3 人签到，多为同户家人共用一部手机，请核对：乙、丙、丁（第3、4、5、10行）") {
			t.Errorf("phones = %+v", u)
		}
	})
	t.Run("one phone for more people than a household: proxy sign-in", func(t *testing.T) {
		th := cfg.Thresholds
		th.HouseholdPhoneMax = 2
		u := Phones(a, th)
		if len(u.Rings) != 1 || len(u.Households) != 0 ||
			!strings.Contains(u.Rings[0].Detail, "手机号 13900000009 为 3 人签到（上限 2 人）：乙、丙、丁（第3、4、5、10行）") {
			t.Errorf("phones = %+v", u)
		}
	})
	t.Run("a child on the roster", func(t *testing.T) {
		tr := a.Trainees[5]
		if tr.Name != "戊" || tr.Birth != "2015-06-01" || tr.Sessions != 1 {
			t.Errorf("戊 = %+v", tr)
		}
		if !strings.Contains(problemText(a), "名单.xlsx|名单|7|工作表「名单」第7行：「戊」按身份证号码开班时 10 岁，不在 16–75 岁之间") {
			t.Errorf("no problem for the child:\n%s", problemText(a))
		}
	})
	t.Run("follow-ups: dates and outcomes", func(t *testing.T) {
		type call struct {
			name, date       string
			early            bool
			shop, sells, app string
		}
		str := func(b *bool) string {
			if b == nil {
				return "-"
			}
			return map[bool]string{true: "是", false: "否"}[*b]
		}
		want := []call{
			{"甲", "2026-03-09", true, "是", "否", "是"},
			{"乙", "2026-03-15", false, "否", "是", "-"},
			{"丙", "", false, "否", "-", "是"},
			{"丁", "2026-03-11", false, "是", "是", "否"},
		}
		if len(a.FollowUps) != len(want) {
			t.Fatalf("follow-ups = %+v", a.FollowUps)
		}
		for i, w := range want {
			c := a.FollowUps[i]
			got := call{c.Name, c.Date, c.BeforeEnd, str(c.OpenedShop), str(c.SellsOnline), str(c.Applied)}
			if got != w || c.Trainee != i {
				t.Errorf("call %d = %+v (trainee %d), want %+v", i, got, c.Trainee, w)
			}
		}
		probs := problemText(a)
		for _, w := range []string{
			"电话回访记录.xlsx|回访|2|工作表「回访」第2行：回访日期 2026-03-09 早于培训结束日期 2026-03-11，不计入回访人数",
			"电话回访记录.xlsx|回访|4|工作表「回访」第4行：「丙」未填写回访日期，无法确认在培训结束后回访",
		} {
			if !strings.Contains(probs, w) {
				t.Errorf("problems lack %q:\n%s", w, probs)
			}
		}
	})
}

// A follow-up sheet without a date column is a problem once, when the training's
// end is known.
func TestFollowUpWithoutDates(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	roster := workbook(t, dir, "名单.xlsx", sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码"}, {"甲", mkID("411623", "19900101", 1)}}})
	p := filepath.Join(dir, "回访.csv")
	os.WriteFile(p, []byte("姓名,回访情况\n甲,好\n"), 0o644)
	for _, c := range []*yanshou.ClassInfo{class(cfg, "2026-03-10", "2026-03-11"), nil} {
		a := Read([]yanshou.File{roster}, nil, []yanshou.File{{Rel: "回访.csv", Abs: p}}, c, cfg)
		probs := problemText(a)
		want := ""
		if c != nil {
			want = "回访.csv||1|第1行：回访记录没有「回访日期」列，无法确认回访在培训结束（2026-03-11）之后；请补充回访日期"
		}
		if probs != want || len(a.FollowUps) != 1 || a.FollowUps[0].Note != "好" {
			t.Errorf("class %v: problems %q, want %q; calls %+v", c != nil, probs, want, a.FollowUps)
		}
	}
}
