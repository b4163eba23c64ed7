package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCountyKeys: poor_registry must name an existing .xlsx/.csv file and
// monthly_plans an existing folder or workbook; the error names the key.
func TestCountyKeys(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "名单.xlsx")
	os.WriteFile(reg, []byte("x"), 0o644)
	tests := []struct {
		yaml, wantErr string
	}{
		{"poor_registry: " + reg + "\nmonthly_plans: " + dir + "\n", ""},
		{"poor_registry: " + filepath.Join(dir, "无.xlsx") + "\n", "poor_registry"},
		{"poor_registry: " + dir + "/名单.doc\n", "poor_registry"},
		{"monthly_plans: " + filepath.Join(dir, "无") + "\n", "monthly_plans"},
		{"materials: " + filepath.Join(dir, "无.yaml") + "\n", "materials"},
		{"sheet_vocab: " + dir + "\n", "sheet_vocab"},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(tt.yaml), "test.yaml")
		if tt.wantErr == "" {
			if err != nil || c.PoorRegistry != reg || c.MonthlyPlans != dir {
				t.Errorf("%q: %v %+v", tt.yaml, err, c)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%q: error %v, want one naming %s", tt.yaml, err, tt.wantErr)
		}
	}
}
