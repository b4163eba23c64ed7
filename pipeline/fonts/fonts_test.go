package fonts

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	dir := t.TempDir()
	ttf := filepath.Join(dir, "good.ttf")
	otf := filepath.Join(dir, "cff.otf")
	ttc := filepath.Join(dir, "coll.ttc")
	os.WriteFile(ttf, []byte("\x00\x01\x00\x00rest"), 0o644)
	os.WriteFile(otf, []byte("OTTOrest"), 0o644)
	os.WriteFile(ttc, []byte("ttcfrest"), 0o644)

	saved := Candidates
	defer func() { Candidates = saved }()
	Candidates = nil

	tests := []struct {
		name       string
		configured []string
		want       string
		wantErr    bool
	}{
		{"configured TrueType first", []string{filepath.Join(dir, "missing.ttf"), ttf}, ttf, false},
		{"CFF and collections refused", []string{otf, ttc}, "", true},
		{"nothing", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Find(tt.configured)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("Find = %q, %v; want %q, err=%v", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrNoFont) {
				t.Fatalf("error %v does not wrap ErrNoFont", err)
			}
		})
	}
}
