package durable

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou/pipeline/testkit/fulldisk"
)

// TestWriteFullDisk: on a real full disk, a write fails with ErrNoSpace naming
// the file, the old file is untouched and no partial file is left.
func TestWriteFullDisk(t *testing.T) {
	dir := fulldisk.Full(t, 16<<10)
	path := filepath.Join(dir, "全县汇总.pdf")
	if err := os.WriteFile(path, []byte("旧的"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte(strings.Repeat("新", 1<<20)), 0o644)
	if !errors.Is(err, ErrNoSpace) || !strings.Contains(err.Error(), "全县汇总.pdf") || !strings.Contains(err.Error(), "磁盘空间不足") {
		t.Fatalf("err = %v, want ErrNoSpace naming the file", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "旧的" {
		t.Errorf("the old file changed: %.20q", got)
	}
	onlyTarget(t, dir)
}
