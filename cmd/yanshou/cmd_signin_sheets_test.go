package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
)

func TestSigninSheets(t *testing.T) {
	dir := t.TempDir()
	rows := [][]any{{"序号", "姓名", "身份证号码", "联系电话"}}
	for i := 0; i < 27; i++ {
		rows = append(rows, []any{i + 1, "学员" + string(rune('甲'+i)), withCheckDigit(fmt.Sprintf("41162319%02d0501%03d", 70+i, 100+7*i)), fmt.Sprintf("1390000%04d", 2000+i)})
	}
	rows[1][1], rows[1][2], rows[1][3] = "王芳", withCheckDigit("41162319900501022"), "13800001234"
	writeBook(t, dir, "名单.xlsx", "学员名单", rows)
	t.Chdir(dir)

	code, out, errs := runCmd(t, "signin-sheets", "--out", "表", "--class", "电商直播班", "--start", "2026-03-10", "--end", "2026-03-11", "名单.xlsx")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := []string{"签到表-2026-03-10-上午.pdf", "签到表-2026-03-10-下午.pdf", "签到表-2026-03-11-上午.pdf", "签到表-2026-03-11-下午.pdf"}
	for _, w := range want {
		p := filepath.Join("表", w)
		if !strings.Contains(out, p) {
			t.Errorf("stdout does not name %s:\n%s", p, out)
		}
		if _, err := os.Stat(p); err != nil {
			t.Error(err)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", "-layout", filepath.Join("表", want[0]), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"电商直播班", "2026-03-10 上午", "第 1 页 共 2 页", "第 2 页 共 2 页", "王芳", "4116**********" + withCheckDigit("41162319900501022")[14:], "1234", "本人签名"} {
			if !strings.Contains(string(txt), w) {
				t.Errorf("the sheet lacks %q:\n%s", w, txt)
			}
		}
		if strings.Contains(string(txt), withCheckDigit("41162319900501022")) {
			t.Error("the sheet prints a whole ID number")
		}
	}
	// a second run refuses to overwrite
	if code, _, errs := runCmd(t, "signin-sheets", "--out", "表", "--start", "2026-03-10", "名单.xlsx"); code != exitUnprocessed || !strings.Contains(errs, "已存在") {
		t.Errorf("second run: exit %d, %s", code, errs)
	}
}

func TestSigninSheetsUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		say  string
	}{
		{"no roster", []string{"--start", "2026-03-10"}, exitUsage, "学员名单"},
		{"no start", []string{"名单.xlsx"}, exitUsage, "--start"},
		{"bad dates", []string{"--start", "2026-03-10", "--end", "2026-03-01", "名单.xlsx"}, exitUsage, "日期"},
		{"no sessions", []string{"--start", "2026-03-10", "--sessions", " , ", "名单.xlsx"}, exitUsage, "--sessions"},
		{"missing file", []string{"--start", "2026-03-10", "无.xlsx"}, exitUnprocessed, "无法读取"},
	}
	t.Chdir(t.TempDir())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCmd(t, append([]string{"signin-sheets"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.say) {
				t.Errorf("exit %d (want %d), stderr %q lacks %q", code, tt.code, errs, tt.say)
			}
		})
	}
}

// TestSigninSheetsFromJudgedClass: --class-id prints the sheets of a judged
// class from the roster kept in the originals store, with the class's dates
// and name from the ledger; an unknown id or an outbox without a ledger is
// said in Chinese.
func TestSigninSheetsFromJudgedClass(t *testing.T) {
	outbox, _, _, _ := archivedOutbox(t)
	l, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	classes, err := l.ScopedClasses(ledger.Scope{All: true}, time.Now(), time.UTC, 0.8)
	l.Close()
	if err != nil || len(classes) != 1 {
		t.Fatalf("classes %v, %v", classes, err)
	}
	t.Chdir(t.TempDir())
	code, out, errs := runCmd(t, "signin-sheets", "--outbox", outbox, "--class-id", classes[0].ID, "--sessions", "全天", "--out", "表")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, day := range []string{"2026-03-10", "2026-03-11", "2026-03-12"} { // the class's three days
		if p := filepath.Join("表", "签到表-"+day+"-全天.pdf"); !strings.Contains(out, p) {
			t.Errorf("stdout does not name %s:\n%s", p, out)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, _ := exec.Command("pdftotext", filepath.Join("表", "签到表-2026-03-10-全天.pdf"), "-").Output()
		if !strings.Contains(string(txt), "张三") || !strings.Contains(string(txt), "农村电商实用技能培训班") {
			t.Errorf("the sheet lacks the trainee or the class's name:\n%s", txt)
		}
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		say  string
	}{
		{"unknown id", []string{"--outbox", outbox, "--class-id", "S0NOSUCHCLASS"}, exitUnprocessed, "没有已验收的班次"},
		{"no ledger", []string{"--outbox", t.TempDir(), "--class-id", classes[0].ID}, exitUnprocessed, "没有台账"},
		{"id and a roster", []string{"--outbox", outbox, "--class-id", classes[0].ID, "名单.xlsx"}, exitUsage, "--class-id"},
		{"id and dates", []string{"--outbox", outbox, "--class-id", classes[0].ID, "--start", "2026-03-10"}, exitUsage, "--class-id"},
	} {
		code, _, errs := runCmd(t, append([]string{"signin-sheets", "--out", "表2"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.say) {
			t.Errorf("%s: exit %d (want %d), stderr %q lacks %q", tt.name, code, tt.code, errs, tt.say)
		}
	}
}
