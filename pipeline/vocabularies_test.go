package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/inventory"
	"yanshou/templates"
)

// TestUseVocabularies: the config keys materials: and sheet_vocab: reach the
// inventory and the sheet readers, and a bad file names the key and the file.
func TestUseVocabularies(t *testing.T) {
	t.Cleanup(func() { UseVocabularies(config.Default()) })
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := *config.Default()
	cfg.Materials = write("materials.yaml", "kinds:\n  - kind: followup\n    keywords: [电访]\n")
	cfg.SheetVocab = write("vocab.yaml", "columns:\n  - key: phone\n    aliases: [学员联系号码]\n")
	if err := UseVocabularies(&cfg); err != nil {
		t.Fatal(err)
	}
	if inventory.Classify("学员电访.xlsx") != yanshou.FollowUp || sheet.Columns().Match("学员联系号码") != "phone" {
		t.Error("the county's vocabularies are not in use")
	}
	tests := []struct {
		key, file, body, want string
	}{
		{"materials", "bad-materials.yaml", "kinds:\n  - kind: phone_calls\n    keywords: [电访]\n", `未知的材料代码 "phone_calls"`},
		{"sheet_vocab", "bad-vocab.yaml", "columns:\n  - key: mobile\n    aliases: [手机]\n", `未知的 key "mobile"`},
	}
	for _, tt := range tests {
		c := *config.Default()
		p := write(tt.file, tt.body)
		if tt.key == "materials" {
			c.Materials = p
		} else {
			c.SheetVocab = p
		}
		err := UseVocabularies(&c)
		if err == nil || !strings.Contains(err.Error(), "配置项 "+tt.key) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v", tt.key, err)
		}
	}
	if err := UseVocabularies(config.Default()); err != nil || inventory.Classify("学员电访.xlsx") != yanshou.Other ||
		sheet.Columns().Match("学员联系号码") != "" {
		t.Errorf("the built-in config does not restore the built-in vocabularies (%v)", err)
	}
}

// TestUseVocabulariesEvidence: the templates folder's evidence wording is put in
// use by the config, and a bad line names the key.
func TestUseVocabulariesEvidence(t *testing.T) {
	t.Cleanup(func() { UseVocabularies(config.Default()) })
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "evidence"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(dir, "evidence", "facts.yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := *config.Default()
	cfg.Templates = dir
	write("material_missing: 未提交：%s\n")
	if err := UseVocabularies(&cfg); err != nil {
		t.Fatal(err)
	}
	if got := templates.Say("facts.material_missing", "批复"); got != "未提交：批复" {
		t.Errorf("override not in use: %q", got)
	}
	write("material_missing: 未提交\n")
	if err := UseVocabularies(&cfg); err == nil || !strings.Contains(err.Error(), "配置项 templates") {
		t.Errorf("bad override: error %v", err)
	}
	if err := UseVocabularies(config.Default()); err != nil || templates.Say("facts.material_missing", "批复") != "缺少：批复" {
		t.Errorf("the built-in wording is not restored (%v)", err)
	}
}
