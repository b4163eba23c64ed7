package county_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/platform/config"
)

// TestInspectionOnePage: the inspection form carries the 发文机关标志 and its
// 文号 above the title and stays on one page (pdfinfo) for an institution
// with up to six classes, a third of them open (more classes may take a second page), the blank lines for the
// inspectors shortened to fit.
func TestInspectionOnePage(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("no pdfinfo")
	}
	cfg := config.Default()
	today := time.Date(2026, 6, 1, 9, 0, 0, 0, cfg.Location)
	for _, n := range []int{0, 3, 6} {
		t.Run(fmt.Sprint(n, " classes"), func(t *testing.T) {
			var classes []yanshou.ClassRecord
			for i := range n {
				start := yanshou.Date{Time: today.AddDate(0, 0, -60+4*i)}
				c := yanshou.ClassRecord{Institution: "某某培训学校", Class: fmt.Sprintf("第%d期", i+1), Start: start,
					End: yanshou.Date{Time: start.AddDate(0, 0, 2)}, State: yanshou.StateArchived}
				v := yanshou.VersionRecord{Version: 1, Verdict: yanshou.Pass}
				if i%3 == 1 {
					c.State, c.Deadline, v.Verdict = yanshou.StateRectify, yanshou.Date{Time: today.AddDate(0, 0, 10)}, yanshou.Fail
					v.Report.Findings = []yanshou.Finding{{Severity: yanshou.SevFail, Message: "缺少第十一条规定的材料：电话回访记录。结业人数 3/5 人，未达到 80% 的合格线，需重新组织培训并补交签到表。"}}
				}
				c.Versions = []yanshou.VersionRecord{v}
				classes = append(classes, c)
			}
			path := filepath.Join(t.TempDir(), county.InspectionFile("某某培训学校"))
			in := &county.Inspection{Institution: "某某培训学校", Classes: classes, Today: today, Now: today,
				Number: cfg.DocNumber(2026, 3)}
			if err := county.WriteInspection(path, in, cfg); err != nil {
				t.Fatal(err)
			}
			info, err := exec.Command("pdfinfo", path).Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(info), "\nPages:           1\n") {
				t.Errorf("form is not one page:\n%s", info)
			}
			txt := pdfText(t, path)
			at := 0
			for _, w := range []string{"商水县电子商务办公室文件", "商电商验〔2026〕3号", "电子商务培训检查记录表", "检查意见", "检查人（签字）"} {
				i := strings.Index(txt[at:], w)
				if i < 0 {
					t.Fatalf("%q missing or out of order:\n%s", w, txt)
				}
				at += i + len(w)
			}
		})
	}
}

// inspectionClasses are n classes of one institution, a third of them open
// with a long reason, as TestInspectionOnePage makes them.
func inspectionClasses(n int, today time.Time) []yanshou.ClassRecord {
	var classes []yanshou.ClassRecord
	for i := range n {
		start := yanshou.Date{Time: today.AddDate(0, 0, -200+4*i)}
		c := yanshou.ClassRecord{Institution: "某某培训学校", Class: fmt.Sprintf("第%d期", i+1), Start: start,
			End: yanshou.Date{Time: start.AddDate(0, 0, 2)}, State: yanshou.StateArchived}
		v := yanshou.VersionRecord{Version: 1, Verdict: yanshou.Pass}
		if i%3 == 1 {
			c.State, c.Deadline, v.Verdict = yanshou.StateRectify, yanshou.Date{Time: today.AddDate(0, 0, 10)}, yanshou.Fail
			v.Report.Findings = []yanshou.Finding{{Severity: yanshou.SevFail, Message: "缺少第十一条规定的材料：电话回访记录。"}}
		}
		c.Versions = []yanshou.VersionRecord{v}
		classes = append(classes, c)
	}
	return classes
}

// TestInspectionPages: a form of any size reads well — compact rows keep up
// to a dozen classes on one sheet; beyond, the table continues on a page
// headed as the form's 续页 with 续表 and its header row repeated; every
// class is listed once; the signatures stay on the page of the opinion
// section, never alone.
func TestInspectionPages(t *testing.T) {
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	cfg := config.Default()
	today := time.Date(2026, 12, 1, 9, 0, 0, 0, cfg.Location)
	tests := []struct{ classes, pages int }{{1, 1}, {6, 1}, {7, 1}, {15, 2}, {40, 3}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.classes, " classes"), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), county.InspectionFile("某某培训学校"))
			in := &county.Inspection{Institution: "某某培训学校", Classes: inspectionClasses(tt.classes, today), Today: today, Now: today,
				Number: cfg.DocNumber(2026, 3)}
			if err := county.WriteInspection(path, in, cfg); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
			if len(pages) != tt.pages {
				t.Fatalf("%d pages, want %d", len(pages), tt.pages)
			}
			header := "序号 期次 培训日期 批准/参训 验收结论 当前状态 整改期限"
			seen := 0
			for i, raw := range pages {
				page := strings.Join(strings.Fields(raw), " ")
				rows := 0
				for n := 1; n <= tt.classes; n++ {
					if strings.Contains(page, fmt.Sprintf(" %d 第%d期 ", n, n)) {
						rows++
					}
				}
				seen += rows
				if i == 0 {
					if !strings.Contains(page, "电子商务培训检查记录表") || !strings.Contains(page, header) {
						t.Errorf("page 1 lacks the title or the table's header:\n%s", page)
					}
				} else if !strings.Contains(page, "电子商务培训检查记录表（续页） 被检查单位：某某培训学校 商电商验〔2026〕3号") {
					t.Errorf("page %d is not headed as the form's 续页:\n%s", i+1, page)
				}
				if i > 0 && rows > 0 && (!strings.Contains(page, "（续表）") || !strings.Contains(page, header)) {
					t.Errorf("page %d continues the table without 续表 and its header:\n%s", i+1, page)
				}
				if strings.Contains(page, "检查人（签字）") && !strings.Contains(page, "四、检查意见") {
					t.Errorf("page %d: signatures without the opinion section above them:\n%s", i+1, page)
				}
			}
			if seen != tt.classes {
				t.Errorf("%d class rows found, want %d", seen, tt.classes)
			}
			if last := pages[len(pages)-1]; !strings.Contains(last, "检查人（签字）") {
				t.Errorf("signatures not on the last page")
			}
		})
	}
}

// TestInspectionRecorded: an inspection recorded on the review desk fills the
// form — date, place, inspectors, what was found and required, the names
// signed and their times — and it stays on one page; without one, the same
// places are left blank.
func TestInspectionRecorded(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("no pdfinfo")
	}
	cfg := config.Default()
	today := time.Date(2026, 6, 1, 9, 0, 0, 0, cfg.Location)
	at := time.Date(2026, 3, 10, 10, 30, 0, 0, cfg.Location)
	rec := &yanshou.InspectionRecord{At: at, Place: "县电商公共服务中心三楼", Inspectors: "王敏、李强",
		Content: "现场查看学员签到、课件和培训照片，实到学员与签到基本一致。", Opinion: "补齐第二天下午的签到表，十日内报送。",
		InspectorSign: "王敏", InspectorAt: at.Add(30 * time.Minute), InspectedSign: "张校长", InspectedAt: at.Add(35 * time.Minute),
		By: "王敏", Role: "审核人", RecordedAt: at.Add(2 * time.Hour)}
	want := []string{"据审核台登记的检查记录填写：王敏", "2026年3月10日 10:30", "县电商公共服务中心三楼", "王敏、李强",
		"实到学员与签到基本一致", "补齐第二天下午的签到表", "张校长", "日期：2026年3月10日 11:05"}
	for _, tt := range []struct {
		name string
		rec  *yanshou.InspectionRecord
	}{{"recorded", rec}, {"blank", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), county.InspectionFile("某某培训学校"))
			in := &county.Inspection{Institution: "某某培训学校", Today: today, Now: today, Number: cfg.DocNumber(2026, 3), Recorded: tt.rec}
			if err := county.WriteInspection(path, in, cfg); err != nil {
				t.Fatal(err)
			}
			txt := strings.Join(strings.Fields(pdfText(t, path)), "")
			for _, w := range want {
				if has := strings.Contains(txt, strings.Join(strings.Fields(w), "")); has != (tt.rec != nil) {
					t.Errorf("%q in the form: %v\n%s", w, has, txt)
				}
			}
			if info, _ := exec.Command("pdfinfo", path).Output(); !strings.Contains(string(info), "\nPages:           1\n") {
				t.Errorf("form is not one page:\n%s", info)
			}
		})
	}
}
