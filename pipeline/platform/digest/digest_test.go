package digest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		body, want string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"a", "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, string(rune('a'+i)))
		os.WriteFile(p, []byte(tt.body), 0o644)
		got, n, err := File(p)
		if err != nil || got != tt.want || n != int64(len(tt.body)) {
			t.Errorf("File(%q) = %s, %d, %v; want %s", tt.body, got, n, err, tt.want)
		}
	}
	if _, _, err := File(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file must be an error")
	}
}
