package xlsxdoc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou/pipeline/platform/durable"
	"yanshou/pipeline/testkit/fulldisk"
)

// TestSaveFullDisk: on a real full disk Save and SaveNew fail with
// durable.ErrNoSpace naming the file, and leave no file at all.
func TestSaveFullDisk(t *testing.T) {
	dir := fulldisk.Full(t, 4<<10)
	tests := []struct {
		name string
		save func(b *Book, path string) error
	}{
		{"Save", (*Book).Save},
		{"SaveNew", (*Book).SaveNew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New("大表.xlsx")
			defer b.Close()
			s := b.Sheet("表", 3)
			for i := range 3000 {
				s.Put([]any{i, strings.Repeat("内容", 20), float64(i) / 7})
			}
			path := filepath.Join(dir, "大表.xlsx")
			err := tt.save(b, path)
			if !errors.Is(err, durable.ErrNoSpace) || !strings.Contains(err.Error(), "大表.xlsx") {
				t.Fatalf("err = %v, want a full disk naming 大表.xlsx", err)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a file was left on the full disk")
			}
			onlyTarget(t, dir, "")
		})
	}
}
