package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
	code, stdout, stderr := runCmd(t, "batch", "--quiet", "--outbox", outbox)
	if code != exitOK {
		t.Fatalf("batch exited %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "重新评定 8 个班次") || !strings.Contains(stdout, "已否决待重训") {
		t.Errorf("summary missing:\n%s", stdout)
	}
	if !strings.Contains(stderr, "[8/8]") {
		t.Errorf("no progress lines on a non-terminal stderr:\n%s", stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(outbox, "台账.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("全部班次")
	f.Close()
	if len(rows) != 3+8 {
		t.Errorf("台账 has %d class rows, want 8", len(rows)-3)
	}

	code, stdout, _ = runCmd(t, "batch", "--quiet", "--json", "--institution", "巾帼", "--since", "2026-05-01", "--outbox", outbox)
	var reps []yanshou.Report
	if err := json.Unmarshal([]byte(stdout), &reps); err != nil || code != exitOK {
		t.Fatalf("batch --json: %v (exit %d)\n%s", err, code, stdout)
	}
	if len(reps) != 1 || !strings.Contains(reps[0].Institution, "巾帼") || reps[0].Start < "2026-05-01" {
		t.Errorf("filters let through %+v", reps)
	}
	if code, _, _ := runCmd(t, "batch", "--since", "三月", "--outbox", outbox); code != exitUsage {
		t.Errorf("a bad date: exit %d, want 2", code)
	}
	if _, err := os.Stat(filepath.Join(outbox, ".yanshou", "ledger.db")); err != nil {
		t.Error(err)
	}
}
