package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUseVocab(t *testing.T) {
	t.Cleanup(func() { UseVocab("") })
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.yaml", "columns:\n  - key: id\n    aliases: [学员身份证编码]\nwords:\n  poor: [低保户]\nheader_scan_rows: 20\n")
	if Columns().Match("学员身份证编码") != "" || IsWord("poor", "低保户") {
		t.Fatal("the built-in vocabulary already knows the test's words")
	}
	if err := UseVocab(good); err != nil {
		t.Fatal(err)
	}
	if Columns().Match("学员身份证编码") != "id" || Columns().Match("公民身份号码") != "id" || !IsWord("poor", "低保户") ||
		!IsWord("poor", "建档立卡") || HeaderScanRows() != 20 || Columns().Label("id") != "身份证号码" {
		t.Error("the override was not merged over the built-in vocabulary")
	}

	tests := []struct {
		name, body, want string
	}{
		{"key.yaml", "columns:\n  - key: idcard\n    aliases: [证号]\n", "columns 第 1 项：未知的 key \"idcard\""},
		{"empty.yaml", "columns:\n  - key: phone\n    aliases: []\n", "columns 第 1 项（联系电话）：aliases 为空"},
		{"blank.yaml", "manifest:\n  - key: institution\n    aliases: [\" \"]\n", "manifest 第 1 项（培训机构）：第 1 个别名为空"},
		{"kind.yaml", "columns:\n  - key: name\n    kind: text\n    aliases: [学员名]\n", "label 和 kind 不能改动"},
		{"clash.yaml", "columns:\n  - key: phone\n    aliases: [学员姓名]\n", "名称 \"学员姓名\" 同时属于"},
		{"list.yaml", "words:\n  maybe: [或许]\n", "words：未知的词表 \"maybe\""},
		{"unknown.yaml", "colums:\n  - key: id\n", "格式有误"},
	}
	for _, tt := range tests {
		p := write(tt.name, tt.body)
		err := UseVocab(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "表格词表 "+p) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", tt.name, err, tt.want)
		}
		if Columns().Match("学员身份证编码") != "id" {
			t.Errorf("%s: a refused override changed the vocabulary in use", tt.name)
		}
	}
	if err := UseVocab(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "无法读取") {
		t.Errorf("missing file: %v", err)
	}
	if err := UseVocab(""); err != nil || Columns().Match("学员身份证编码") != "" || HeaderScanRows() != 15 {
		t.Error("UseVocab(\"\") does not restore the built-in vocabulary")
	}
}
