package durable

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		old     string // content before; "" none
		fill    func(w io.Writer) error
		new     bool // WriteNew
		want    string
		wantErr error
	}{
		{"new file", "", content("甲乙丙"), false, "甲乙丙", nil},
		{"replaces", "旧", content("新"), false, "新", nil},
		{"fill fails: old kept", "旧", func(w io.Writer) error { w.Write([]byte("半")); return boom }, false, "旧", boom},
		{"fill fails: nothing made", "", func(w io.Writer) error { return boom }, false, "", boom},
		{"large, streamed", "", content(strings.Repeat("x", 3<<20)), false, strings.Repeat("x", 3<<20), nil},
		{"WriteNew on a new path", "", content("一"), true, "一", nil},
		{"WriteNew never replaces", "原件", content("改"), true, "原件", fs.ErrExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "全县汇总.pdf")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			if tt.new {
				err = WriteNew(path, 0o644, tt.fill)
			} else {
				err = Write(path, 0o644, tt.fill)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "全县汇总.pdf") {
				t.Errorf("error does not name the file: %v", err)
			}
			got, rerr := os.ReadFile(path)
			if tt.want == "" {
				if !errors.Is(rerr, fs.ErrNotExist) {
					t.Errorf("a file was left: %q", got)
				}
			} else if string(got) != tt.want {
				t.Errorf("content = %.20q, want %.20q", got, tt.want)
			}
			onlyTarget(t, dir)
			if info, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && tt.old == "" && info.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", info.Mode().Perm())
			}
		})
	}
}

func content(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader([]byte(s))); return err }
}

// onlyTarget fails when dir holds anything but the target (a temporary file left).
func onlyTarget(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "全县汇总.pdf" && e.Name() != "filler" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestPartial(t *testing.T) {
	for name, want := range map[string]bool{
		".台账.xlsx-123.partial": true, "台账.xlsx": false, ".hidden": false, "a.partial": false,
	} {
		if got := Partial(name); got != want {
			t.Errorf("Partial(%q) = %v", name, got)
		}
	}
}
