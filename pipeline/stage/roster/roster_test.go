package roster

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

// mkID builds a valid 18-digit ID from an address code, a birth date and a sequence.
func mkID(addr, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", addr, birth, seq)
	return s + string(checkChar(s))
}

type sheetSpec struct {
	name   string
	rows   [][]any
	merges [][2]string
	styles map[string]int // cell → NumFmt
}

// workbook writes an xlsx with the given sheets into dir and returns it as a File.
func workbook(t testing.TB, dir, rel string, sheets ...sheetSpec) yanshou.File {
	t.Helper()
	f := excelize.NewFile()
	for i, s := range sheets {
		if i == 0 {
			f.SetSheetName("Sheet1", s.name)
		} else {
			f.NewSheet(s.name)
		}
		for r, row := range s.rows {
			for c, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellValue(s.name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range s.merges {
			f.MergeCell(s.name, m[0], m[1])
		}
		for cell, nf := range s.styles {
			st, _ := f.NewStyle(&excelize.Style{NumFmt: nf})
			f.SetCellStyle(s.name, cell, cell, st)
		}
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return yanshou.File{Rel: rel, Abs: p}
}

func class(cfg *yanshou.Config, start, end string) *yanshou.ClassInfo {
	s, _ := time.ParseInLocation("2006-01-02", start, cfg.Location)
	e, _ := time.ParseInLocation("2006-01-02", end, cfg.Location)
	return &yanshou.ClassInfo{Institution: "某某学校", Class: "第3期", Start: yanshou.Date{Time: s}, End: yanshou.Date{Time: e}}
}

func problemText(a *yanshou.Attendance) string {
	var s []string
	for _, p := range a.Problems {
		s = append(s, fmt.Sprintf("%s|%s|%d|%s", p.File, p.Sheet, p.Row, p.Detail))
	}
	return strings.Join(s, "\n")
}

func TestValidID(t *testing.T) {
	tests := []struct{ id, want string }{
		{"11010519491231002X", ""}, // the standard's example
		{"440524188001010014", ""},
		{mkID("411623", "19900501", 22), ""},
		{"110105194912310021", "校验码"},
		{"11010519490231002X", "出生日期「19490231」不存在"},
		{"110105194912310", "15位旧身份证号码"},
		{"11010519491231002", "长度应为18位（实际17位）"},
		{"1101051949123100AX", "前17位应全为数字"},
		{"00010519491231002X", "前两位「00」"},
		{mkID("411623", "20990101", 1), "不合理"},
		{"", "为空"},
	}
	for _, tt := range tests {
		got := ValidID(tt.id)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("ValidID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestExpandScientific(t *testing.T) {
	tests := []struct{ in, want string }{
		{"4.11623199001011E+17", "411623199001011000"},
		{"4.11623199001011e17", "411623199001011000"},
		{"1.38001E+10", "13800100000"},
		{"411623199001011000", ""},
	}
	for _, tt := range tests {
		got, ok := expandScientific(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("expandScientific(%q) = %q %v", tt.in, got, ok)
		}
	}
}

// The main scenario: a messy roster, one sheet per session, follow-ups.
func TestRead(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	cl := class(cfg, "2026-03-10", "2026-03-12")
	id1 := mkID("411623", "19900501", 22) // 王芳, female
	id2 := mkID("411623", "19850312", 11) // 李强
	id3 := mkID("411623", "19800101", 31) // male ID given to 吴十 (女)
	id4 := mkID("412723", "19920202", 51) // 郑一, old county code: local
	id5 := mkID("410102", "19930303", 71) // 冯二, not local
	id6 := mkID("411623", "20150101", 91) // 周九, 11 years old
	id7 := mkID("411623", "19700707", 13) // 陈三 A
	id8 := mkID("411623", "19710707", 15) // 陈三 B
	bad := id2[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id2[17])+1)%11])
	fw := strings.Map(func(r rune) rune { // full-width digits
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, id2)
	header := []any{"序号", "姓名", "性别", "身份证号码", "联系电话", "乡镇", "学员类别", "是否建档立卡贫困户"}
	roster := workbook(t, dir, "名单/培训学员名单.xlsx", sheetSpec{
		name: "名单",
		rows: [][]any{
			{"商水县电子商务进农村培训学员名单"},
			{"培训机构：某某学校"},
			header,
			{"示例", "张三", "男", mkID("411623", "19900101", 1), "13800000000", "某某镇", "农民", "否"},
			{1, "王 芳", nil, id1, "13800000001", "邓城镇", "农民", "是"},
			{2, "李强", "男", fw, "１３８０００００００２", "邓城镇", "脱贫户", nil},
			{3, "赵六", "男", 4.11623199001011e17, "13800000003", nil, "合作社员"},
			{4, "钱七", "男", bad, "13800000004"},
			{5, "孙八", "男", id1, "13800000005"},
			{6, "周九", "男", id6, "13800000006"},
			{7, "吴十", "女", id3, "13800000007"},
			{8, "郑一", nil, id4, "13800000008"},
			{9, "冯二", nil, id5, "13800000009"},
			{10, "陈三", nil, id7, "13800000010"},
			{11, "陈三", nil, id8, "13800000011"},
			{12},
			{"填表人：刘某", nil, nil, "审核人：张某"},
		},
		merges: [][2]string{{"A1", "H1"}},
	})
	signHead := []any{"序号", "姓名", "身份证号码", "联系电话", "本人签名"}
	signins := workbook(t, dir, "签到表.xlsx",
		sheetSpec{name: "3月10日", rows: [][]any{
			{"签到表"}, signHead,
			{1, "王芳", id1},
			{2, "李强", nil, "13800000002"},
			{3, "郑一"},
			{4, "陈三"},
			{5, "路人甲"},
			{6, "冯二", nil, "13900000000"},
			{7, "周九", nil, "13900000000"},
			{8, "吴十", nil, "13900000000"},
		}},
		sheetSpec{name: "3月11日", rows: [][]any{signHead,
			{1, "王芳", id1}, {2, "李强", id2}, {3, "郑一"}, {4, "冯二"}}},
		sheetSpec{name: "3月12日", rows: [][]any{signHead,
			{1, "王芳", id1}, {2, "郑一"}, {3, "李强", nil, nil, "请假"}}},
		sheetSpec{name: "3月15日", rows: [][]any{signHead, {1, "王芳", id1}}},
	)
	followups := workbook(t, dir, "电话回访记录.xlsx", sheetSpec{name: "回访", rows: [][]any{
		{"序号", "姓名", "联系电话", "回访日期", "回访情况"},
		{1, "王芳", "13800000001", "2026-03-20", "已开网店"},
		{2, "路人甲", "13700000000", "2026-03-20", "好"},
		{3, "李强", "13800000002", "2026-03-11", "好"},
		{4, "郑一", nil, "2026-03-21", nil},
	}})

	a := Read([]yanshou.File{roster}, []yanshou.File{signins}, []yanshou.File{followups}, cl, cfg)
	probs := problemText(a)

	if len(a.Trainees) != 11 {
		t.Fatalf("trainees = %d, want 11 (example, blank and footer rows skipped):\n%+v", len(a.Trainees), a.Trainees)
	}
	if c := a.Trainees[2].Category; c != "合作社成员" {
		t.Errorf("赵六's category %q, want 合作社员 counted as 合作社成员", c)
	}
	want := []struct {
		i                    int
		name, id             string
		row                  int
		local, poor, trained bool
		sessions             int
		gender               string
	}{
		{0, "王芳", id1, 5, true, true, true, 4, "女"},
		{1, "李强", id2, 6, true, true, true, 2, "男"},
		{2, "赵六", "411623199001011000", 7, true, false, false, 0, "男"},
		{7, "郑一", id4, 12, true, false, true, 3, "男"},
		{8, "冯二", id5, 13, false, false, true, 2, "男"},
		{5, "周九", id6, 10, true, false, false, 1, "男"},
		{9, "陈三", id7, 14, true, false, false, 0, "男"},
	}
	for _, w := range want {
		tr := a.Trainees[w.i]
		if tr.Name != w.name || tr.ID != w.id || tr.Row != w.row || tr.Local != w.local || tr.Poor != w.poor ||
			tr.Trained != w.trained || tr.Sessions != w.sessions || tr.Gender != w.gender || tr.Sheet != "名单" || tr.File != "名单/培训学员名单.xlsx" {
			t.Errorf("trainee %d = %+v, want %+v", w.i, tr, w)
		}
	}
	if got := strings.Join(a.Sessions, ","); got != "2026-03-10,2026-03-11,2026-03-12,2026-03-15" {
		t.Errorf("sessions = %s", got)
	}
	for _, w := range []string{
		".xlsx|名单|7|工作表「名单」第7行：身份证号码「411623199001011000」以数字格式保存，后几位已丢失；请将该列设为文本格式后重新录入",
		".xlsx|名单|8|工作表「名单」第8行：「钱七」的身份证号码「" + bad + "」无效：校验码",
		".xlsx|名单|9|工作表「名单」第9行：身份证号码「" + id1 + "」（孙八）与工作表「名单」第5行重复（王芳）",
		"|名单|10|工作表「名单」第10行：「周九」按身份证号码开班时 11 岁，不在 16–75 岁之间",
		"|名单|11|工作表「名单」第11行：「吴十」性别填「女」，身份证号码为男性",
		"|名单|9|工作表「名单」第9行：「孙八」性别填「男」，身份证号码为女性",
		"签到表.xlsx|3月15日|0|工作表「3月15日」：签到日期 2026-03-15 不在培训日期 2026-03-10 至 2026-03-12 之内",
		"电话回访记录.xlsx|回访|3|工作表「回访」第3行：回访对象「路人甲」无法与学员名单对应：名单中没有「路人甲」",
		"|回访|4|工作表「回访」第4行：回访日期 2026-03-11 早于培训结束日期 2026-03-12",
		"|回访|5|工作表「回访」第5行：「郑一」未填写回访情况",
	} {
		if !strings.Contains(probs, w) {
			t.Errorf("problems lack %q", w)
		}
	}
	if n := len(a.Problems); n != 10 {
		t.Errorf("%d problems, want 10:\n%s", n, probs)
	}
	// Sign-in outcomes on the first session.
	outcomes := map[string]yanshou.Match{}
	reasons := map[string]string{}
	for _, s := range a.SignIns {
		if s.Session == "2026-03-10" {
			outcomes[s.Name], reasons[s.Name] = s.Match, s.Reason
		}
	}
	for name, m := range map[string]yanshou.Match{"王芳": yanshou.Matched, "李强": yanshou.Matched, "郑一": yanshou.Matched,
		"陈三": yanshou.Ambiguous, "路人甲": yanshou.WalkIn, "冯二": yanshou.Matched} {
		if outcomes[name] != m {
			t.Errorf("%s: %s (%s), want %s", name, outcomes[name], reasons[name], m)
		}
	}
	if !strings.Contains(reasons["李强"], "手机号和姓名一致") || !strings.Contains(reasons["郑一"], "姓名在名单中唯一") || !strings.Contains(reasons["陈三"], "2 人名为「陈三」") {
		t.Errorf("reasons: %q", reasons)
	}
	for _, s := range a.SignIns {
		if s.Name == "李强" && s.Session == "2026-03-12" {
			t.Errorf("李强 was on leave (请假) on 3-12 but counted")
		}
	}
	n := Count(a)
	if n.Trainees != 11 || n.InvalidIDs != 2 || n.Duplicates != 1 || n.MissingIDs != 0 || n.WalkIns != 1 || n.Ambiguous != 1 ||
		n.Sessions != 4 || n.Trained != 4 || n.Calls != 4 || n.CallsMatched != 3 || n.CalledTrained != 3 {
		t.Errorf("counts = %+v", n)
	}
	px := Phones(a, cfg.Thresholds).Households
	if len(px) != 1 || px[0].Row != 8 || px[0].Sheet != "3月10日" || !strings.Contains(px[0].Detail, "手机号 13900000000 为 3 人签到") || !strings.Contains(px[0].Detail, "冯二、周九、吴十") {
		t.Errorf("households = %+v", px)
	}
	th := cfg.Thresholds
	th.ProxyPhoneMax = 3
	if got := Phones(a, th); len(got.Households)+len(got.Rings) != 0 {
		t.Errorf("with a limit of 3 nobody is shown: %+v", got)
	}
}

// The different forms a sign-in workbook takes.
func TestSessionForms(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	cl := class(cfg, "2026-03-10", "2026-03-12")
	idA, idB := mkID("411623", "19900501", 22), mkID("411623", "19850312", 11)
	roster := workbook(t, dir, "r/名单.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
		{"姓名", "身份证号码", "联系电话"},
		{"甲", idA, "13800000001"},
		{"乙", idB, "13800000002"},
	}})
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("姓名,身份证号码,日期\n甲," + idA + ",2026/3/10\n乙,'" + idB + ",2026/3/10\n甲," + idA + ",2026/3/11\n")
	tests := []struct {
		name     string
		make     func(dir string) yanshou.File
		sessions string
		counts   [2]int // sessions of 甲, 乙
		problem  string
	}{
		{
			name: "one sheet with 日期 (date cells, carried down) and 场次",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s1/签到表.xlsx", sheetSpec{name: "签到", rows: [][]any{
					{"日期", "场次", "姓名", "身份证号码"},
					{time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), "上午", "甲", idA},
					{nil, nil, "乙", idB},
					{time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), "下午", "甲", idA},
					{time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), "上午", "乙", idB},
				}, styles: map[string]int{"A2": 14, "A4": 14, "A5": 14}})
			},
			sessions: "2026-03-10 上午,2026-03-10 下午,2026-03-11 上午",
			counts:   [2]int{2, 2},
		},
		{
			name: "GBK CSV with text dates and an apostrophe before the ID",
			make: func(dir string) yanshou.File {
				p := filepath.Join(dir, "签到.csv")
				os.WriteFile(p, []byte(gbk), 0o644)
				return yanshou.File{Rel: "签到.csv", Abs: p}
			},
			sessions: "2026-03-10,2026-03-11",
			counts:   [2]int{2, 1},
		},
		{
			name: "a grid with one column per session",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s3/考勤表.xlsx", sheetSpec{name: "考勤", rows: [][]any{
					{"学员考勤表"},
					{"姓名", "身份证号码", "3月10日", "3月11日", "3月12日"},
					{"甲", idA, "√", "√", "缺勤"},
					{"乙", idB, "√", nil, "√"},
				}})
			},
			sessions: "2026-03-10,2026-03-11,2026-03-12",
			counts:   [2]int{2, 2},
		},
		{
			name: "a generic sheet name and the date in the title",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s4/签到表.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
					{"签到表（2026年3月11日下午）"},
					{"姓名", "联系电话"},
					{"甲", "13800000001"},
				}, merges: [][2]string{{"A1", "B1"}}})
			},
			sessions: "2026-03-11 下午",
			counts:   [2]int{1, 0},
		},
		{
			name: "签到时间 spanning two days",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s5/签到.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
					{"姓名", "签到时间"},
					{"甲", "2026-03-10 08:01"},
					{"乙", "2026-03-10 08:03"},
					{"甲", "2026-03-12 07:58"},
				}})
			},
			sessions: "2026-03-10,2026-03-12",
			counts:   [2]int{2, 1},
		},
		{
			name: "one file per session named by its file",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s6/签到表-第1场.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{{"姓名"}, {"甲"}, {"乙"}}})
			},
			sessions: "签到表-第1场",
			counts:   [2]int{1, 1},
		},
		{
			name: "an .xls sign-in file",
			make: func(dir string) yanshou.File {
				p := filepath.Join(dir, "签到表.xls")
				os.WriteFile(p, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o644)
				return yanshou.File{Rel: "签到表.xls", Abs: p}
			},
			sessions: "",
			problem:  "签到表.xls||0|旧版 .xls 格式不支持，请在 Excel/WPS 中另存为 .xlsx",
		},
		{
			name: "sessions outside the training dates",
			make: func(dir string) yanshou.File {
				return workbook(t, dir, "s8/签到.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
					{"日期", "姓名"}, {"2026-03-09", "甲"}, {"2026-03-10", "甲"}}})
			},
			sessions: "2026-03-09,2026-03-10",
			counts:   [2]int{2, 0},
			problem:  "第2行：签到日期 2026-03-09 不在培训日期",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.make(t.TempDir())
			a := Read([]yanshou.File{roster}, []yanshou.File{f}, nil, cl, cfg)
			if got := strings.Join(a.Sessions, ","); got != tt.sessions {
				t.Errorf("sessions = %q, want %q", got, tt.sessions)
			}
			if got := [2]int{a.Trainees[0].Sessions, a.Trainees[1].Sessions}; got != tt.counts {
				t.Errorf("sessions attended = %v, want %v; sign-ins %+v", got, tt.counts, a.SignIns)
			}
			probs := problemText(a)
			if tt.problem == "" && probs != "" {
				t.Errorf("unexpected problems:\n%s", probs)
			}
			if tt.problem != "" && !strings.Contains(probs, tt.problem) {
				t.Errorf("problems lack %q:\n%s", tt.problem, probs)
			}
			for _, s := range a.SignIns {
				if s.Match != yanshou.Matched {
					t.Errorf("sign-in not matched: %+v", s)
				}
			}
		})
	}
}

// Trained follows the configured share of sessions.
func TestTrainedShare(t *testing.T) {
	dir := t.TempDir()
	idA := mkID("411623", "19900501", 22)
	roster := workbook(t, dir, "名单.xlsx", sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码"}, {"甲", idA}}})
	signins := workbook(t, dir, "签到.xlsx",
		sheetSpec{name: "第1场", rows: [][]any{{"姓名"}, {"甲"}}},
		sheetSpec{name: "第2场", rows: [][]any{{"姓名"}, {"甲"}}},
		sheetSpec{name: "第3场", rows: [][]any{{"姓名"}, {"乙"}}},
		sheetSpec{name: "第4场", rows: [][]any{{"姓名"}, {"乙"}}},
	)
	for _, tt := range []struct {
		share   float64
		trained bool
	}{{0.5, true}, {0.51, false}, {0.25, true}, {0, true}} {
		cfg := config.Default()
		cfg.Thresholds.TraineeMinSessionShare = tt.share
		a := Read([]yanshou.File{roster}, []yanshou.File{signins}, nil, nil, cfg)
		if a.Trainees[0].Sessions != 2 || a.Trainees[0].Trained != tt.trained {
			t.Errorf("share %v: sessions %d trained %v", tt.share, a.Trainees[0].Sessions, a.Trainees[0].Trained)
		}
		if a.WalkIns() != 1 {
			t.Errorf("乙 is a walk-in: %d", a.WalkIns())
		}
	}
	// No sign-ins at all: nobody is trained, even at share 0.
	cfg := config.Default()
	cfg.Thresholds.TraineeMinSessionShare = 0
	if a := Read([]yanshou.File{roster}, nil, nil, nil, cfg); a.Trainees[0].Trained {
		t.Error("trained without any session")
	}
}

// Bad input becomes problems naming the file; nothing panics.
func TestBadFiles(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	notZip := filepath.Join(dir, "名单.xlsx")
	os.WriteFile(notZip, []byte("garbage"), 0o644)
	noHeader := workbook(t, dir, "签到.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{{"一些", "文字"}, {"没有", "表头"}}})
	a := Read([]yanshou.File{{Rel: "名单.xlsx", Abs: notZip}, {Rel: "缺.xlsx", Abs: filepath.Join(dir, "none.xlsx")}},
		[]yanshou.File{noHeader}, nil, nil, cfg)
	probs := problemText(a)
	for _, w := range []string{"名单.xlsx||0|不是有效的 .xlsx 文件", "缺.xlsx||0|无法读取文件：文件不存在", "签到.xlsx|Sheet1|0|工作表「Sheet1」：未找到表头", "签到.xlsx||0|签到表中没有读到签到记录"} {
		if !strings.Contains(probs, w) {
			t.Errorf("problems lack %q:\n%s", w, probs)
		}
	}
	if a.Trainees == nil || a.SignIns == nil || a.Sessions == nil {
		t.Error("slices must be empty, not nil, for JSON")
	}
}

// BenchmarkRead10k reads a 10,000-row roster and 3 sessions of 10,000 sign-ins each
// (by ID, by phone and name, by name) and matches them.
func BenchmarkRead10k(b *testing.B) {
	cfg := config.Default()
	dir := b.TempDir()
	const n = 10000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = mkID("411623", fmt.Sprintf("19%02d0101", 70+i/1000), i%1000)
	}
	stream := func(p string, sheets []string, row func(sheet, i int) []any, head []any) {
		f := excelize.NewFile()
		for si, name := range sheets {
			if si == 0 {
				f.SetSheetName("Sheet1", name)
			} else {
				f.NewSheet(name)
			}
			sw, _ := f.NewStreamWriter(name)
			sw.SetRow("A1", head)
			for i := 0; i < n; i++ {
				c, _ := excelize.CoordinatesToCellName(1, i+2)
				sw.SetRow(c, row(si, i))
			}
			sw.Flush()
		}
		if err := f.SaveAs(p); err != nil {
			b.Fatal(err)
		}
	}
	rp, sp := filepath.Join(dir, "名单.xlsx"), filepath.Join(dir, "签到.xlsx")
	stream(rp, []string{"名单"}, func(_, i int) []any {
		return []any{i + 1, fmt.Sprintf("学员%05d", i), "男", ids[i], fmt.Sprintf("138%08d", i), "邓城镇", "王庄村", "农民", "否", "无"}
	}, []any{"序号", "姓名", "性别", "身份证号码", "联系电话", "乡镇", "村", "学员类别", "是否建档立卡贫困户", "备注"})
	stream(sp, []string{"3月10日", "3月11日", "3月12日"}, func(s, i int) []any {
		switch s {
		case 0:
			return []any{i + 1, fmt.Sprintf("学员%05d", i), ids[i], nil}
		case 1:
			return []any{i + 1, fmt.Sprintf("学员%05d", i), nil, fmt.Sprintf("138%08d", i)}
		}
		return []any{i + 1, fmt.Sprintf("学员%05d", i), nil, nil}
	}, []any{"序号", "姓名", "身份证号码", "联系电话"})
	cl := class(cfg, "2026-03-10", "2026-03-12")
	b.ResetTimer()
	for range b.N {
		a := Read([]yanshou.File{{Rel: "名单.xlsx", Abs: rp}}, []yanshou.File{{Rel: "签到.xlsx", Abs: sp}}, nil, cl, cfg)
		if a.Trained() != n || len(a.SignIns) != 3*n || len(a.Sessions) != 3 {
			b.Fatalf("trained %d sign-ins %d sessions %v problems %d", a.Trained(), len(a.SignIns), a.Sessions, len(a.Problems))
		}
	}
}

// A roster split over sheets, with a header repeated mid-table, a hidden list sheet
// and a hidden old roster.
func TestRosterLayouts(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	id := func(i int) string { return mkID("411623", "19900101", i) }
	head := []any{"序号", "姓名", "身份证号码"}
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "名单")
	rows := [][]any{{"学员名单"}, head, {1, "甲", id(1)}, {2, "乙", id(2)}, head, {3, "丙", id(3)}}
	put := func(sh string, rows [][]any) {
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellValue(sh, cell, v)
			}
		}
	}
	put("名单", rows)
	f.NewSheet("续")
	put("续", [][]any{{4, "丁", id(4)}, {5, "戊", id(5)}})
	f.NewSheet("数据源")
	put("数据源", [][]any{{"男"}, {"女"}})
	f.SetSheetVisible("数据源", false)
	f.NewSheet("旧名单")
	put("旧名单", [][]any{head, {1, "己", id(6)}})
	f.SetSheetVisible("旧名单", false)
	p := filepath.Join(dir, "名单.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	a := Read([]yanshou.File{{Rel: "名单.xlsx", Abs: p}}, nil, nil, nil, cfg)
	var got []string
	for _, tr := range a.Trainees {
		got = append(got, fmt.Sprintf("%s@%s:%d", tr.Name, tr.Sheet, tr.Row))
	}
	if strings.Join(got, ",") != "甲@名单:3,乙@名单:4,丙@名单:6,丁@续:1,戊@续:2" {
		t.Errorf("trainees = %v", got)
	}
	if probs := problemText(a); probs != "名单.xlsx|旧名单|0|工作表「旧名单」：隐藏的工作表未读取；如含学员，请取消隐藏后重新提交" {
		t.Errorf("problems:\n%s", probs)
	}
}

// IDs whose digits were lost to number storage, however they arrive.
func TestIDStoredAsNumber(t *testing.T) {
	cfg := config.Default()
	good := mkID("411623", "19900101", 123)
	lost := good[:15] + "000"
	tests := []struct {
		name string
		make func(dir string) yanshou.File
		want string
	}{
		{"numeric cell", func(dir string) yanshou.File {
			return workbook(t, dir, "a.xlsx", sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码"}, {"甲", 4.11623199001011e17}}})
		}, "第2行：身份证号码「411623199001011000」以数字格式保存，后几位已丢失；请将该列设为文本格式后重新录入"},
		{"numeric cell as Excel writes it (E+17)", func(dir string) yanshou.File {
			f := workbook(t, dir, "b.xlsx", sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码"}, {"甲", 4.11623199001011e17}}})
			rewrite(t, f.Abs, "xl/worksheets/sheet1.xml", "<v>411623199001011000</v>", "<v>4.11623199001011E+17</v>")
			return f
		}, "身份证号码「4.11623199001011E+17」以数字格式保存，后几位已丢失"},
		{"CSV exported with scientific notation", func(dir string) yanshou.File {
			p := filepath.Join(dir, "c.csv")
			os.WriteFile(p, []byte("姓名,身份证号码\n甲,4.11623E+17\n"), 0o644)
			return yanshou.File{Rel: "c.csv", Abs: p}
		}, "第2行：身份证号码「4.11623E+17」以数字格式保存"},
		{"text ending in 000 with a wrong check digit", func(dir string) yanshou.File {
			return workbook(t, dir, "d.xlsx", sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码"}, {"甲", lost}}})
		}, "身份证号码「" + lost + "」末三位为000且校验不符，疑似曾以数字格式保存"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.make(t.TempDir())
			a := Read([]yanshou.File{f}, nil, nil, nil, cfg)
			probs := problemText(a)
			if !strings.Contains(probs, tt.want) || len(a.Problems) != 1 {
				t.Errorf("problems:\n%s\nwant %q", probs, tt.want)
			}
			if n := Count(a); n.InvalidIDs != 1 || n.Trainees != 1 {
				t.Errorf("counts %+v", n)
			}
		})
	}
}

// rewrite replaces text in one part of an xlsx.
func rewrite(t *testing.T, p, part, old, new string) {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == part && bytes.Contains(data, []byte(old)) {
			data, found = bytes.ReplaceAll(data, []byte(old), []byte(new)), true
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zr.Close()
	zw.Close()
	if !found {
		t.Fatalf("%q not in %s", old, part)
	}
	os.WriteFile(p, buf.Bytes(), 0o644)
}
