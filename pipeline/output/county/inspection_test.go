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
