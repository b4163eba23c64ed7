package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"yanshou"
)

// TestBatch: after the sample is judged, batch re-evaluates it (same verdicts),
// writes 台账.xlsx with one row per class, and honours its filters and flags.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	if code, _, stderr := runCmd(t, "demo", "--quiet", "--inbox", inbox, "--outbox", outbox); code != exitOK {
		t.Fatalf("demo: %s", stderr)
	}
	judged, _ := filepath.Glob(filepath.Join(outbox, "*", "verdict.json"))
	n := len(judged) // the sample's classes
	if n < 8 {
		t.Fatalf("the demo judged %d classes", n)
	}
	// Stopped (SIGINT) before its first class: nothing re-evaluated, and it says so.
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	if code := runBatch(stopped, []string{"--quiet", "--outbox", outbox}, &out, &errb); code != exitUnprocessed ||
		!strings.Contains(errb.String(), fmt.Sprintf("已中断：完成 0 个，剩余 %d 个未处理", n)) {
		t.Errorf("batch stopped before it began: exit %d, stderr %q", code, errb.String())
	}
	code, stdout, stderr := runCmd(t, "batch", "--quiet", "--outbox", outbox)
	if code != exitOK {
		t.Fatalf("batch exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, fmt.Sprintf("重新评定 %d 个班次", n)) || !strings.Contains(stdout, "已否决待重训") {
		t.Errorf("summary missing:\n%s", stdout)
	}
	if !strings.Contains(stderr, fmt.Sprintf("[%d/%d]", n, n)) {
		t.Errorf("no progress lines on a non-terminal stderr:\n%s", stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(outbox, "台账.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("全部班次")
	f.Close()
	if len(rows) != 3+n {
		t.Errorf("台账 has %d class rows, want %d", len(rows)-3, n)
	}

	code, stdout, _ = runCmd(t, "batch", "--quiet", "--json", "--institution", "巾帼", "--since", "2026-05-01", "--until", "2026-05-31", "--outbox", outbox)
	var reps []yanshou.Report
	if err := json.Unmarshal([]byte(stdout), &reps); err != nil || code != exitOK {
		t.Fatalf("batch --json: %v (exit %d)\n%s", err, code, stdout)
	}
	if len(reps) != 1 || !strings.Contains(reps[0].Institution, "巾帼") || reps[0].Start < "2026-05-01" || reps[0].Start > "2026-05-31" {
		t.Errorf("filters let through %+v", reps)
	}
	if code, _, stderr := runCmd(t, "batch", "--since", "三月", "--outbox", outbox); code != exitUsage ||
		!strings.Contains(stderr, `--since 的值 "三月" 不是日期，请写成 2026-03-10 这样`) {
		t.Errorf("a bad date: exit %d, want 2\n%s", code, stderr)
	}
	// An empty range is refused before the ledger is opened: 台账 stays as it was.
	book := filepath.Join(outbox, "台账.xlsx")
	before, _ := os.ReadFile(book)
	stBefore, _ := os.Stat(book)
	code, stdout, stderr = runCmd(t, "batch", "--since", "2026-12-31", "--until", "2026-01-01", "--outbox", outbox)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "--since 2026-12-31 晚于 --until 2026-01-01") {
		t.Errorf("an empty range: exit %d, want 2 and a Chinese reason\n%s%s", code, stdout, stderr)
	}
	after, _ := os.ReadFile(book)
	if stAfter, _ := os.Stat(book); !bytes.Equal(before, after) || !stAfter.ModTime().Equal(stBefore.ModTime()) {
		t.Error("an empty range rewrote 台账.xlsx")
	}
	if _, err := os.Stat(filepath.Join(outbox, ".yanshou", "ledger.db")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(outbox, "全县汇总.pdf")); err != nil {
		t.Errorf("batch wrote no county summary: %v", err)
	}
	batchCounty(t, dir, outbox)
}

// batchCounty: with a registry and monthly plans in the config, batch adds the
// 贫困户覆盖 and 月度计划 sheets and reports the coverage; --inspection writes
// the institution's inspection form, and names no institution → exit 2.
func batchCounty(t *testing.T, dir, outbox string) {
	registry, plans := filepath.Join(dir, "贫困户名单.xlsx"), filepath.Join(dir, "计划")
	book := func(path string, rows [][]any) {
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range rows {
			f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &r)
		}
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
	}
	book(registry, [][]any{{"姓名", "身份证号码", "乡镇", "村"}, {"甲", "411623199001010011", "练集镇", "朱庄村"}, {"乙", "411623199001010038", "城关乡", "东关村"}})
	os.MkdirAll(plans, 0o755)
	book(filepath.Join(plans, "宏达.xlsx"), [][]any{{"培训机构", "月份", "计划班次", "计划人数"}, {"宏达", "2026-03", 1, 45}, {"宏达", "2026-04", 2, 80}})
	cfgPath := filepath.Join(dir, "yanshou.yaml")
	os.WriteFile(cfgPath, []byte("poor_registry: "+registry+"\nmonthly_plans: "+plans+"\n"), 0o644)

	code, stdout, stderr := runCmd(t, "batch", "--quiet", "--config", cfgPath, "--outbox", outbox, "--inspection", "宏达")
	if code != exitOK {
		t.Fatalf("batch --inspection exited %d: %s", code, stderr)
	}
	form := filepath.Join(outbox, "电子商务培训检查记录表-商水县宏达职业培训学校.pdf")
	if !strings.Contains(stdout, "覆盖率 0.0%（0/2 人") || !strings.Contains(stdout, form) {
		t.Errorf("summary lacks the coverage or the form:\n%s", stdout)
	}
	if _, err := os.Stat(form); err != nil {
		t.Error(err)
	}
	f, err := excelize.OpenFile(filepath.Join(outbox, "台账.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rows, _ := f.GetRows("贫困户覆盖"); len(rows) != 6 {
		t.Errorf("贫困户覆盖 should list the 2 untrained under 4 header rows: %v", rows)
	}
	rows, _ := f.GetRows("月度计划")
	want := map[string]string{"2026-03": "1|1", "2026-04": "2|1"} // planned | delivered classes
	for _, r := range rows {
		if len(r) > 3 && strings.Contains(r[0], "宏达") {
			if w, ok := want[r[1]]; ok && r[2]+"|"+r[3] != w {
				t.Errorf("月度计划 %s: %s|%s, want %s", r[1], r[2], r[3], w)
			}
			delete(want, r[1])
		}
	}
	if len(want) > 0 {
		t.Errorf("月度计划 lacks months %v: %v", want, rows)
	}
	if code, _, stderr := runCmd(t, "batch", "--quiet", "--outbox", outbox, "--inspection", "不存在的机构"); code != exitUsage || !strings.Contains(stderr, "不存在的机构") {
		t.Errorf("--inspection of no institution: exit %d (%s), want 2", code, stderr)
	}
}
