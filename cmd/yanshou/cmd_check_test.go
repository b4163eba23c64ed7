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
		{[]string{"bogus"}, exitUsage},
		{nil, exitUsage},
	}
	for _, tt := range tests {
		if code, _, _ := runCmd(t, tt.args...); code != tt.want {
			t.Errorf("yanshou %v exited %d, want %d", tt.args, code, tt.want)
		}
	}
}

// TestCheckBadInput: an empty folder, a folder without a manifest, a JPEG that is
// not a JPEG and an xlsx that is not a zip all give findings and a report, never a
// panic; a path that does not exist is "not processed" (exit 1), but the others
// are still reported, in argument order.
func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "空文件夹")
	os.MkdirAll(empty, 0o755)
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
	if reps[2].Error == "" {
		t.Error("a missing path must carry an error")
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
	if len(entries) != 0 {
		t.Errorf("something was written into the submission folder: %v", entries)
	}
}
