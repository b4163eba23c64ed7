package county_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/output/blank"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/output/ledgerbook"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

// writeBook writes rows (from A1) to a one-sheet workbook.
func writeBook(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		addr, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", addr, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestCoverage: the registry is read as a clerk keeps it (title row, messy ID
// cells, a duplicate, a bad ID), and only trainees trained in a passed class
// count — a trainee of a failed class is still "not yet trained".
func TestCoverage(t *testing.T) {
	cfg := config.Default()
	work := t.TempDir()
	outbox := filepath.Join(work, "outbox")
	p, err := pipeline.Open(cfg, rules.Default(), outbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i, from := range []string{"商水县宏达职业培训学校/第1期", "商水县巾帼电商创业服务站/巾帼电商第一期"} {
		dir := filepath.Join(work, "inbox", string(rune('a'+i)))
		copyDir(t, sampleClass(t, from), dir)
		if _, err := p.Check(context.Background(), dir, pipeline.CheckOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	classes, err := p.Ledger.Classes(time.Now(), cfg.Location, cfg.Thresholds.AttendancePass)
	if err != nil {
		t.Fatal(err)
	}
	var passed, failed []string
	for _, c := range classes {
		if c.Latest().Verdict == yanshou.Pass {
			passed = append(passed, c.Latest().ContentHash)
		} else {
			failed = append(failed, c.Latest().ContentHash)
		}
	}
	if len(passed) != 1 || len(failed) != 1 {
		t.Fatalf("want one passed and one failed class, got %d and %d", len(passed), len(failed))
	}
	inPassed, err := p.Ledger.TrainedIDs(passed)
	if err != nil {
		t.Fatal(err)
	}
	inFailed, err := p.Ledger.TrainedIDs(failed)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(m map[string]string, n int) []string {
		var out []string
		for id := range m {
			if len(out) < n {
				out = append(out, id)
			}
		}
		if len(out) < n {
			t.Fatalf("only %d trainees", len(out))
		}
		return out
	}
	a, b := pick(inPassed, 2), pick(inFailed, 1)
	registry := filepath.Join(work, "建档立卡贫困户名单.xlsx")
	writeBook(t, registry, [][]any{
		{"商水县建档立卡贫困户（有培训需求）名单"},
		{"序号", "姓名", "公民身份号码", "所属乡镇", "行政村"},
		{1, "甲", a[0], "练集镇", "朱庄村"},
		{2, "乙", " " + a[1] + " ", "练集镇", "朱庄村"},
		{3, "丙", b[0], "城关乡", "东关村"},
		{4, "丁", "411623199001019999", "巴村镇", "西村"},
		{5, "乙", a[1], "练集镇", "朱庄村"},
		{6, "戊", "4116231990", "巴村镇", "西村"},
	})
	members, problems, err := county.ReadRegistry(registry, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 4 || len(problems) != 1 || !strings.Contains(problems[0].Detail, "4116231990") {
		t.Fatalf("registry: %d members, problems %+v; want 4 and the short ID", len(members), problems)
	}
	trained := map[string]string{}
	for id := range inPassed {
		trained[id] = "宏达 第1期"
	}
	cov := county.Cover(registry, members, trained)
	cov.Problems = problems
	if len(cov.Trained) != 2 || cov.Rate() != 0.5 {
		t.Errorf("trained %d, rate %v; want 2 and 0.5", len(cov.Trained), cov.Rate())
	}
	var missing []string
	for _, m := range cov.Missing {
		missing = append(missing, m.Name+"/"+m.Town)
	}
	if want := []string{"丙/城关乡", "丁/巴村镇"}; !reflect.DeepEqual(missing, want) {
		t.Errorf("missing %v, want %v (grouped by town)", missing, want)
	}

	book := filepath.Join(outbox, "台账.xlsx")
	if err := ledgerbook.Write(book, &ledgerbook.Book{Classes: classes, Outbox: outbox, Today: time.Now(), Coverage: cov}, cfg); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("贫困户覆盖")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 6 || !strings.Contains(rows[1][0], "覆盖率 50.0%") || rows[4][1] != "丙" || rows[4][2] != b[0] || rows[5][1] != "丁" {
		t.Errorf("贫困户覆盖 sheet:\n%v", rows)
	}
	joined := ""
	for _, r := range rows {
		joined += strings.Join(r, "|") + "\n"
	}
	if !strings.Contains(joined, "4116231990") {
		t.Errorf("the unreadable registry row is not listed:\n%s", joined)
	}
}

// TestPlans: plan workbooks in the forms institutions write them (institution
// above the header or in a column, months as 2026-03, 2026年4月 or a date cell)
// compared with delivered classes, with a known answer per month.
func TestPlans(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	writeBook(t, filepath.Join(dir, "宏达月度培训计划.xlsx"), [][]any{
		{"月度培训计划"},
		{"培训机构", "商水县宏达职业培训学校"},
		{"月份", "计划班次", "计划人数", "培训内容"},
		{"示例", 1, 40, "网店开设"},
		{"2026-03", 1, 45, "网店开设与运营"},
		{"2026年4月", 2, 80, "直播带货"},
		{time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), 1, 40, "农产品上行"},
		{"五月份", 1, 40, ""},
	})
	writeBook(t, filepath.Join(dir, "汇总.xlsx"), [][]any{
		{"培训机构", "月份", "计划班次", "计划人数"},
		{"巾帼", "2026.03", 1, 30},
	})
	plans, problems, err := county.ReadPlans(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 4 || len(problems) != 1 || !strings.Contains(problems[0].Detail, "五月份") {
		t.Fatalf("plans %+v, problems %+v", plans, problems)
	}
	rec := func(inst, start string, trained int) yanshou.ClassRecord {
		d, _ := time.ParseInLocation("2006-01-02", start, cfg.Location)
		return yanshou.ClassRecord{Institution: inst, Start: yanshou.Date{Time: d},
			Versions: []yanshou.VersionRecord{{Verdict: yanshou.Pass, Report: yanshou.Report{Attendance: yanshou.AttendanceSummary{Trained: trained}}}}}
	}
	classes := []yanshou.ClassRecord{
		rec("商水县宏达职业培训学校", "2026-03-10", 44),
		rec("商水县宏达职业培训学校", "2026-04-07", 36),
		rec("商水县巾帼电商创业服务站", "2026-03-24", 28),
		rec("商水县巾帼电商创业服务站", "2026-05-19", 30),
	}
	rows := county.ComparePlans(plans, classes, cfg.Location)
	type got struct {
		inst           string
		month          int
		pc, pt, dc, tr int
		planned        bool
	}
	var g []got
	for _, r := range rows {
		g = append(g, got{r.Institution, int(r.Month), r.PlannedClasses, r.PlannedTrainees, r.DeliveredClasses, r.Trained, r.Planned})
	}
	want := []got{
		{"商水县宏达职业培训学校", 3, 1, 45, 1, 44, true},
		{"商水县宏达职业培训学校", 4, 2, 80, 1, 36, true},
		{"商水县宏达职业培训学校", 5, 1, 40, 0, 0, true},
		{"巾帼", 3, 1, 30, 1, 28, true},
		{"巾帼", 5, 0, 0, 1, 30, false},
	}
	if !reflect.DeepEqual(g, want) {
		t.Errorf("comparison\n got %v\nwant %v", g, want)
	}
	if r := rows[1]; r.ClassShare() != 0.5 || r.TraineeShare() != 0.45 {
		t.Errorf("April shares %v %v, want 0.5 0.45", r.ClassShare(), r.TraineeShare())
	}
}

// TestPlanTemplate: the blank 月度培训计划.xlsx of `yanshou template`, filled in
// as an institution would, is read back (its example row ignored).
func TestPlanTemplate(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	files, err := blank.Write(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var path string
	for _, f := range files {
		if filepath.Base(f) == "月度培训计划.xlsx" {
			path = f
		}
	}
	if path == "" {
		t.Fatalf("no 月度培训计划.xlsx among %v", files)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sh := f.GetSheetList()[0]
	f.SetSheetRow(sh, "A5", &[]any{1, "商水县宏达职业培训学校", "2026年6月", 2, 90, "直播带货"})
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	plans, problems, err := county.ReadPlans(path, cfg)
	if err != nil || len(problems) > 0 {
		t.Fatalf("%v %+v", err, problems)
	}
	want := []yanshou.Plan{{Institution: "商水县宏达职业培训学校", Year: 2026, Month: 6, Classes: 2, Trainees: 90, Content: "直播带货"}}
	if !reflect.DeepEqual(plans, want) {
		t.Errorf("plans %+v, want %+v", plans, want)
	}
}
