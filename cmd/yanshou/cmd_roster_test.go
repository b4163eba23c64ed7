package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yanshou"
)

// writeBook writes one sheet of rows into dir/name.
func writeBook(t *testing.T, dir, name, sheet string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", sheet)
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue(sheet, cell, v)
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoster(t *testing.T) {
	dir := t.TempDir()
	idA, idB := withCheckDigit("41162319900501022"), withCheckDigit("41010219850312011")
	writeBook(t, dir, "名单.xlsx", "学员名单", [][]any{
		{"培训学员名单"},
		{"序号", "姓名", "身份证号码", "联系电话", "学员类别", "是否建档立卡贫困户"},
		{1, "王芳", idA, "13800000001", "农民", "是"},
		{2, "李强", idB, "13800000002", "返乡青年", "否"},
		{3, "赵六", "110105194912310021", "13800000003"}, // wrong check digit
	})
	writeBook(t, dir, "签到.xlsx", "签到", [][]any{
		{"日期", "场次", "姓名", "身份证号码"},
		{"2026-03-10", "上午", "王芳", idA},
		{"2026-03-10", "上午", "李强", idB},
		{"2026-03-10", "下午", "王芳", idA},
		{"2026-03-10", "下午", "路人甲", nil},
	})
	writeBook(t, dir, "回访.xlsx", "回访", [][]any{
		{"姓名", "回访日期", "回访情况", "是否开网店"},
		{"王芳", "2026-03-09", "已开店", "是"},
	})
	t.Chdir(dir)

	code, out, errs := runCmd(t, "roster", "--start", "2026-03-10", "名单.xlsx", "签到.xlsx", "回访.xlsx")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{
		"培训学员名单：3 人（本县 1 人，建档立卡贫困户 1 人）",
		"名单.xlsx「学员名单」第3行",
		"考勤：2 场，√ 为签到；签到达到 50% 场次为参训。参训 2 人，名单外 1 人",
		"2026-03-10 上午  2026-03-10 下午  签到场次  参训",
		"名单外  2026-03-10 下午  路人甲",
		"电话回访记录：1 行",
		"2026-03-09（早于结束）",
		"问题：2 项",
		"1     王芳  女    " + idA + "  13800000001        农民      是      是    1990-05-01  名单.xlsx「学员名单」第3行",
		"名单.xlsx  学员名单  5   工作表「学员名单」第5行：「赵六」的身份证号码「110105194912310021」无效：校验码（第18位）不符，号码有误",
		"回访.xlsx  回访      2   工作表「回访」第2行：回访日期 2026-03-09 早于培训结束日期 2026-03-10，不计入回访人数",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	// The matrix: 王芳 at both sessions, 李强 at the first.
	for _, w := range []string{"王芳  " + idA + "  √                √                2/2       是", "李强  " + idB + "  √                ·                1/2       是"} {
		if !strings.Contains(out, w) {
			t.Errorf("matrix lacks %q:\n%s", w, out)
		}
	}

	code, out, errs = runCmd(t, "roster", "--json", "名单.xlsx", "签到.xlsx")
	if code != exitOK {
		t.Fatalf("--json exit %d: %s", code, errs)
	}
	var a yanshou.Attendance
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(a.Trainees) != 3 || len(a.SignIns) != 4 || len(a.Sessions) != 2 || a.Trainees[0].Sessions != 2 ||
		a.SignIns[3].Match != yanshou.WalkIn || len(a.Problems) != 1 || a.Problems[0].Row != 5 || a.Problems[0].Sheet != "学员名单" {
		t.Errorf("attendance = %+v", a)
	}

	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"roster"}, exitUsage},
		{[]string{"roster", "a", "b", "c", "d"}, exitUsage},
		{[]string{"roster", "--start", "3月10日", "名单.xlsx"}, exitUsage},
		{[]string{"roster", "--end", "2026-03-10", "名单.xlsx"}, exitUsage},
		{[]string{"roster", "不存在.xlsx"}, exitUnprocessed},
		{[]string{"roster", "--help"}, exitOK},
	} {
		if code, _, _ := runCmd(t, tt.args...); code != tt.want {
			t.Errorf("yanshou %v exited %d, want %d", tt.args, code, tt.want)
		}
	}
	if _, err := os.Stat("名单.xlsx"); err != nil {
		t.Error("input gone")
	}
}

// withCheckDigit completes the first 17 digits of a resident ID (GB 11643).
func withCheckDigit(s string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

// TestRosterWrongFile: a file that is no table is refused (exit 2); a table
// holding no roster reads as no one, which is said, with exit 1 — never
// "0 人, 问题 0 项" and exit 0.
func TestRosterWrongFile(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "名单.txt")
	os.WriteFile(text, []byte("王小明 411623199001011234\n"), 0o644)
	other := filepath.Join(dir, "其他.csv")
	os.WriteFile(other, []byte("品名,数量\n苹果,3\n"), 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"roster", text}, exitUsage, "名单.txt 不是表格文件（应为 .xlsx、.xlsm 或 .csv）；用 yanshou roster --help 查看用法"},
		{[]string{"roster", other}, exitUnprocessed, "其他.csv：没有读到任何学员"},
		{[]string{"roster", "--json", other}, exitUnprocessed, "没有读到任何学员"},
		{[]string{"roster", filepath.Join(dir, "不存在.xlsx")}, exitUnprocessed, "无法读取（文件不存在）"},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("yanshou %q: exit %d\n%s\nwant exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
