package ledgerbook

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

func record(inst, class string, start string, state yanshou.State, verdicts ...yanshou.Verdict) yanshou.ClassRecord {
	d, _ := time.Parse("2006-01-02", start)
	c := yanshou.ClassRecord{ID: inst + class, Institution: inst, Class: class, Title: "农村电商实用技能培训班",
		Venue: "商水县电子商务公共服务中心", Start: yanshou.Date{Time: d}, End: yanshou.Date{Time: d.AddDate(0, 0, 2)},
		State: state, Deadline: yanshou.Date{Time: d.AddDate(0, 0, 20)}, PoorTrained: 3}
	for i, v := range verdicts {
		rep := yanshou.Report{Verdict: v, Attendance: yanshou.AttendanceSummary{Approved: 40, Trained: 36},
			Photos:  yanshou.PhotoSummary{Verified: 12},
			Outputs: []string{"outbox/" + inst + "_v1/验收报告.pdf"}}
		if v != yanshou.Pass {
			rep.Findings = []yanshou.Finding{{Rule: "materials.complete", Severity: yanshou.SevFail, Message: "缺少第十一条规定的材料 1 项：情况总结"}}
		}
		c.Versions = append(c.Versions, yanshou.VersionRecord{Version: i + 1, Verdict: v, Report: rep,
			Facts: &yanshou.Facts{Attendance: yanshou.AttendanceFacts{Trained: 36}, FollowUp: yanshou.FollowUpFacts{Matched: 9}}})
	}
	return c
}

// confirmed is c with its latest version confirmed a pass by the office (the
// program said fail), as the batch puts it.
func confirmed(c yanshou.ClassRecord) yanshou.ClassRecord {
	last := c.Latest()
	last.Program, last.Verdict, last.ConfirmedBy = last.Verdict, yanshou.Pass, "审核人 王敏"
	return c
}

func TestWrite(t *testing.T) {
	cfg := config.Default()
	b := &Book{
		Classes: []yanshou.ClassRecord{
			record("商水县宏达职业培训学校", "第1期", "2026-03-10", yanshou.StateRectified, yanshou.Fail, yanshou.Pass),
			record("商水县宏达职业培训学校", "第2期", "2026-04-07", yanshou.StateOverdue, yanshou.Fail),
			record("周口市农商电子商务培训中心[总部]", "第1期", "2026-03-03", yanshou.StateVetoed, yanshou.Veto),
			confirmed(record("商水县宏达职业培训学校", "第3期", "2026-05-05", yanshou.StateArchived, yanshou.Fail)),
		},
		Totals: Totals{Trained: 108, Poor: 9, Local: 100, ByCategory: map[string]int{"": 8, "农民": 60, "返乡青年": 40}},
		Outbox: "outbox",
		Today:  time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := Write(path, b, cfg); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	want := []string{"全县汇总", "全部班次", "周口市农商电子商务培训中心_总部_", "商水县宏达职业培训学校"}
	if strings.Join(sheets, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", sheets, want)
	}
	rows, _ := f.GetRows("全部班次")
	if len(rows) != 7 || rows[2][1] != "培训机构" {
		t.Fatalf("all-classes sheet has %d rows; header %v", len(rows), rows[2])
	}
	tests := []struct {
		row, col int
		want     string
	}{
		{3, 1, "商水县宏达职业培训学校"},
		{3, 11, "合格"},
		{3, 12, "合格"},
		{3, 13, "整改后合格"},
		{3, 15, "2"},
		{4, 13, "逾期未整改"},
		{5, 13, "已否决待重训"},
		{4, 14, "2026-04-27"},
		{4, 16, "缺少第十一条规定的材料 1 项：情况总结"},
		{4, 17, "商水县宏达职业培训学校_v1/验收报告.pdf"},
		{5, 11, "一票否决"},
		{5, 12, "一票否决"},
		{6, 11, "不合格"}, // the program's verdict
		{6, 12, "合格（审核人 王敏 确认）"},
		{6, 13, "合格归档"},
		{3, 4, "2026-03-10"},
	}
	for _, tt := range tests {
		if got := rows[tt.row][tt.col]; got != tt.want {
			t.Errorf("row %d col %d = %q, want %q", tt.row+1, tt.col+1, got, tt.want)
		}
	}
	// The report opens from the ledger; the sheets print on A4 landscape, one
	// page wide, with page numbers and the header on every page.
	if ok, target, _ := f.GetCellHyperLink("全部班次", "R5"); !ok || target != "商水县宏达职业培训学校_v1/验收报告.pdf" {
		t.Errorf("验收报告 is not a link to the report: %v %q", ok, target)
	}
	for _, sh := range sheets {
		layout, _ := f.GetPageLayout(sh)
		footer, _ := f.GetHeaderFooter(sh)
		if *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || !strings.Contains(footer.OddFooter, "&P") {
			t.Errorf("sheet %s is not set up for printing: %s, %d wide, footer %q", sh, *layout.Orientation, *layout.FitToWidth, footer.OddFooter)
		}
	}
	panes, _ := f.GetPanes("全部班次")
	if !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("header not frozen: %+v", panes)
	}
	sum, _ := f.GetRows("全县汇总")
	text := ""
	for _, r := range sum {
		text += strings.Join(r, "|") + "\n"
	}
	for _, wantText := range []string{"整改后合格|1", "逾期未整改|1", "已否决待重训|1", "实际参训人数（最近一次报送）|108", "返乡青年|40", "（未填写）|8", "电话回访覆盖率|25.00%"} {
		if !strings.Contains(text, wantText) {
			t.Errorf("summary lacks %q:\n%s", wantText, text)
		}
	}
}
