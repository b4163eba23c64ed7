package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
)

// runCmd runs the CLI in-process and returns exit code, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckUsage(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"check"}, exitUsage},
		{[]string{"check", "--nope", "x"}, exitUsage},
		{[]string{"check", "--help"}, exitOK},
		{[]string{"check", "-h"}, exitOK},
		{[]string{"bogus"}, exitUsage},
		{nil, exitUsage},
	}
	for _, tt := range tests {
		if code, _, _ := runCmd(t, tt.args...); code != tt.want {
			t.Errorf("yanshou %v exited %d, want %d", tt.args, code, tt.want)
		}
	}
}

// TestCheckBadInput: a folder holding only empty subfolders, a folder without a
// manifest, a JPEG that is not a JPEG and an xlsx that is not a zip all give
// findings and a report, never a panic; a path that does not exist is "not
// processed" (exit 1, said in Chinese), but the others are still reported, in
// argument order.
func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "只有空子文件夹")
	os.MkdirAll(filepath.Join(empty, "现场照片"), 0o755)
	os.WriteFile(filepath.Join(empty, "现场照片", ".keep"), nil, 0o644) // a file, if an empty one
	broken := filepath.Join(dir, "坏文件")
	os.MkdirAll(filepath.Join(broken, "现场照片"), 0o755)
	os.WriteFile(filepath.Join(broken, "培训信息表.xlsx"), []byte("this is not a zip"), 0o644)
	os.WriteFile(filepath.Join(broken, "现场照片", "IMG_0001.jpg"), []byte("not a jpeg either"), 0o644)
	os.WriteFile(filepath.Join(broken, "培训学员名单.xlsx"), []byte("PK but not really"), 0o644)
	missing := filepath.Join(dir, "不存在")
	outbox := filepath.Join(dir, "outbox")

	code, stdout, stderr := runCmd(t, "check", "--json", "--outbox", outbox, empty, broken, missing)
	if code != exitUnprocessed {
		t.Fatalf("exit %d, want 1 (one path could not be processed); stderr:\n%s", code, stderr)
	}
	var reps []yanshou.Report
	if err := json.Unmarshal([]byte(stdout), &reps); err != nil {
		t.Fatalf("stdout is not one JSON array: %v\n%s", err, stdout)
	}
	if len(reps) != 3 || reps[0].Path != empty || reps[1].Path != broken || reps[2].Path != missing {
		t.Fatalf("reports not in argument order: %+v", reps)
	}
	for _, r := range reps[:2] {
		if r.Verdict != yanshou.Fail || r.Error != "" || len(r.Outputs) < 3 {
			t.Errorf("%s: verdict %s error %q outputs %v", r.Path, r.Verdict, r.Error, r.Outputs)
		}
		for _, o := range r.Outputs {
			if _, err := os.Stat(o); err != nil {
				t.Errorf("%s: output %s missing", r.Path, o)
			}
		}
	}
	if !strings.Contains(reps[2].Error, "找不到文件夹或文件") || strings.Contains(reps[2].Error, "lstat") {
		t.Errorf("a missing path must say so in Chinese, not the OS's words: %q", reps[2].Error)
	}
	// The broken files are named in the findings.
	all, _ := json.Marshal(reps[1].Findings)
	for _, name := range []string{"培训信息表.xlsx", "现场照片/IMG_0001.jpg"} {
		if !strings.Contains(string(all), name) {
			t.Errorf("findings do not name %s: %s", name, all)
		}
	}
	// Nothing was written into the submissions.
	entries, _ := os.ReadDir(empty)
	if len(entries) != 1 {
		t.Errorf("something was written into the submission folder: %v", entries)
	}
}

// TestCheckMessages: what check says, in Chinese, when it is used wrongly, and
// that an empty folder is refused before the ledger is touched.
func TestCheckMessages(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "空文件夹")
	os.MkdirAll(filepath.Join(empty, "现场照片"), 0o755)
	outbox := filepath.Join(dir, "outbox")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check"}, exitUsage, "yanshou check：没有给出要验收的文件夹或 zip；用 yanshou check --help 查看用法"},
		{[]string{"check", "--foo", "x"}, exitUsage, "yanshou check：未知选项 --foo；用 yanshou check --help 查看用法"},
		{[]string{"check", "x", "--outbox"}, exitUsage, "选项 --outbox 后面缺少它的值"},
		{[]string{"check", "--json=maybe", "x"}, exitUsage, `选项 --json 的值 "maybe" 无效（开关选项只能写成 --json 或 --json=false）`},
		{[]string{"check", "--outbox", outbox, empty}, exitUsage, "是空文件夹，没有可验收的材料；所有路径均未验收，台账未记录"},
		// Flags may follow the paths: the empty folder is still refused, by the same words.
		{[]string{"check", empty, "--outbox", outbox, "--json"}, exitUsage, "是空文件夹"},
		{[]string{"bogus"}, exitUsage, "yanshou：没有 bogus 这个命令"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("yanshou %q: exit %d, stderr:\n%s\nwant exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
		if strings.Contains(stderr, "flag provided") || strings.Contains(stderr, "Usage") || stdout != "" {
			t.Errorf("yanshou %q: English or stdout output:\n%s%s", tt.args, stdout, stderr)
		}
	}
	if _, err := os.Stat(outbox); !os.IsNotExist(err) {
		t.Errorf("the outbox (and its ledger) was created for an empty folder: %v", err)
	}
}

// TestCheckLogs: the text log is Chinese and in the county's time (+08:00).
func TestCheckLogs(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "某机构", "第1期")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "说明.txt"), []byte("材料未齐"), 0o644)
	code, _, stderr := runCmd(t, "check", "--outbox", filepath.Join(dir, "outbox"), sub)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, w := range []string{"级别=信息", "消息=已验收", "路径=", "结论=不合格", "+08:00"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("log lacks %q:\n%s", w, stderr)
		}
	}
	for _, w := range []string{"msg=checked", "level=INFO", "Z level"} {
		if strings.Contains(stderr, w) {
			t.Errorf("log has %q:\n%s", w, stderr)
		}
	}
}

// TestPrintTable: the console table shows a finding by its rule's Chinese
// title; the id is for verdict.json.
func TestPrintTable(t *testing.T) {
	var b strings.Builder
	printTable(&b, []yanshou.Report{{Path: "inbox/x", VerdictZh: "不合格", Institution: "某某学校", Class: "第1期", Version: 1,
		Findings: []yanshou.Finding{
			{Rule: "materials.complete", Title: "培训材料齐全", Severity: yanshou.SevFail},
			{Rule: "photos.unverifiable", Title: "照片可核验", Severity: yanshou.Warning},
		}}})
	out := b.String()
	if !strings.Contains(out, "培训材料齐全") || strings.Contains(out, "materials.complete") || strings.Contains(out, "照片可核验") {
		t.Errorf("table:\n%s", out)
	}
}
