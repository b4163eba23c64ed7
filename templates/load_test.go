package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ledgerWords is the part of report/ledger.yaml the tests look at, with the
// rest of its keys so that strict decoding accepts the file.
type ledgerWords struct {
	Title        string   `yaml:"title"`
	Subtitle     string   `yaml:"subtitle"`
	AllSheet     string   `yaml:"all_sheet"`
	SummarySheet string   `yaml:"summary_sheet"`
	Columns      []string `yaml:"columns"`
	Confirmed    string   `yaml:"confirmed"`
	Summary      struct {
		ByState string            `yaml:"by_state"`
		State   string            `yaml:"state"`
		Rest    map[string]string `yaml:",inline"`
	} `yaml:"summary"`
}

// TestLoad: an override of one key keeps the others (the ledger.yaml bug: the
// rest came out empty), nested keys merge too, an empty key is refused naming
// the file and key, bad YAML and unknown keys are refused naming the file, and
// a missing override file means the built-in wording.
func TestLoad(t *testing.T) {
	var builtin ledgerWords
	if err := Load("", "report/ledger.yaml", &builtin); err != nil {
		t.Fatalf("built-in: %v", err)
	}
	tests := []struct {
		name     string
		override string // content of report/ledger.yaml in the override folder; "-" none
		check    func(t *testing.T, w *ledgerWords)
		wantErr  []string
	}{
		{name: "no override file", override: "-", check: func(t *testing.T, w *ledgerWords) {
			if w.Title != builtin.Title || w.AllSheet != builtin.AllSheet || len(w.Columns) != len(builtin.Columns) {
				t.Errorf("got %+v, want the built-in %+v", w, builtin)
			}
		}},
		{name: "one key kept others", override: "title: 某县台账\n", check: func(t *testing.T, w *ledgerWords) {
			if w.Title != "某县台账" {
				t.Errorf("title = %q", w.Title)
			}
			if w.Subtitle != builtin.Subtitle || w.SummarySheet != builtin.SummarySheet || len(w.Columns) != len(builtin.Columns) {
				t.Errorf("the other keys changed: %+v", w)
			}
		}},
		{name: "nested key merges", override: "summary:\n  state: 状况\n", check: func(t *testing.T, w *ledgerWords) {
			if w.Summary.State != "状况" || w.Summary.ByState != builtin.Summary.ByState {
				t.Errorf("summary = %+v", w.Summary)
			}
		}},
		{name: "empty key", override: "title: \"\"\n", wantErr: []string{"模板 report/ledger.yaml 的 title 为空"}},
		{name: "null key", override: "subtitle:\n", wantErr: []string{"report/ledger.yaml", "subtitle", "为空"}},
		{name: "bad yaml", override: "title: [未闭合\n", wantErr: []string{"模板", "ledger.yaml", "无法读取"}},
		{name: "unknown key", override: "titel: 错字\n", wantErr: []string{"ledger.yaml", "titel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.override != "-" {
				if err := os.MkdirAll(filepath.Join(dir, "report"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "report", "ledger.yaml"), []byte(tt.override), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var w ledgerWords
			err := Load(dir, "report/ledger.yaml", &w)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, &w)
		})
	}
}

// TestFill: placeholders are filled, plain text passes through, and an unknown
// placeholder or a broken text is an error quoting the text.
func TestFill(t *testing.T) {
	tests := []struct {
		text    string
		v       map[string]any
		want    string
		wantErr bool
	}{
		{"共 {{.N}} 份", map[string]any{"N": 3}, "共 3 份", false},
		{"没有占位符", nil, "没有占位符", false},
		{"{{.Missing}}", map[string]any{}, "", true},
		{"{{.N", map[string]any{"N": 1}, "", true},
	}
	for _, tt := range tests {
		got, err := Fill(tt.text, tt.v)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Fill(%q) = %q, %v; want %q (error %v)", tt.text, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), tt.text) {
			t.Errorf("error %q does not quote the text", err)
		}
	}
	var f Filler
	f.Do("{{.X}}", map[string]any{})
	f.Do("{{.Y}}", map[string]any{"Y": 1})
	if f.Err == nil || !strings.Contains(f.Err.Error(), ".X") {
		t.Errorf("Filler kept %v, want the first error", f.Err)
	}
}
