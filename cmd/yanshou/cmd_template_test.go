package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "模板")
	code, stdout, stderr := runCmd(t, "template", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"培训信息表.xlsx", "培训学员名单.xlsx", "签到表.xlsx", "电话回访记录.xlsx", "月度培训计划.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not written", name)
		}
		if !strings.Contains(stdout, name) {
			t.Errorf("%s not listed on stdout", name)
		}
	}
	// A second run never overwrites.
	if code, _, stderr := runCmd(t, "template", dir); code == exitOK || !strings.Contains(stderr, ".xlsx") {
		t.Errorf("second run exited %d (%s); it must refuse to overwrite and name the file", code, stderr)
	}
	if code, _, _ := runCmd(t, "template", "a", "b"); code != exitUsage {
		t.Errorf("two dirs: exit %d, want 2", code)
	}
}

// TestTemplateNeedsFolder: without a folder nothing is written where one
// stands (often the repository); the message says what to give.
func TestTemplateNeedsFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	code, stdout, stderr := runCmd(t, "template")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "请给出模板写入的文件夹，如 yanshou template 培训材料模板") {
		t.Errorf("exit %d:\n%s%s", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("written into the current folder: %v", entries)
	}
}
