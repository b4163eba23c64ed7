package templates

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOverride(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "report"), 0o755)
	os.WriteFile(filepath.Join(dir, "report", "README.md"), []byte("county text"), 0o644)
	tests := []struct {
		override, name, want string
	}{
		{dir, "report/README.md", "county text"},
		{"", "report/README.md", ""},
		{dir, "blank/README.md", ""},
	}
	for _, tt := range tests {
		b, err := ReadFile(tt.override, tt.name)
		if err != nil {
			t.Fatalf("ReadFile(%q, %q): %v", tt.override, tt.name, err)
		}
		if tt.want != "" && string(b) != tt.want {
			t.Errorf("ReadFile(%q, %q) = %q, want %q", tt.override, tt.name, b, tt.want)
		}
		if tt.want == "" && string(b) == "county text" {
			t.Errorf("ReadFile(%q, %q) took the override", tt.override, tt.name)
		}
	}
}
