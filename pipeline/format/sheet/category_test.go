package sheet

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCategoryOf: the ways rosters write a 学员类别 are counted under one name,
// the one the roster template offers.
func TestCategoryOf(t *testing.T) {
	tests := []struct{ cell, want string }{
		{"合作社成员", "合作社成员"},
		{"合作社员", "合作社成员"},
		{" 合作社社员 ", "合作社成员"},
		{"电商服务站点人员", "电商服务站点运营人员"},
		{"返乡创业青年", "返乡青年"},
		{"退役军人", "退伍军人"},
		{"其它", "其他"},
		{"种植大户", "种养大户"},
		{"新型职业农民", "新型职业农民"}, // not listed: counted under its own words
		{"", ""},
	}
	for _, tt := range tests {
		if got := CategoryOf(tt.cell); got != tt.want {
			t.Errorf("CategoryOf(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
	names := Categories()
	if len(names) < 10 || names[0] != "农民" || !slices.Contains(names, "合作社成员") || slices.Contains(names, "合作社员") {
		t.Errorf("Categories() = %v", names)
	}
}

// TestCategoryOverride: a county adds an alias to a category and a category of
// its own; an empty name or alias is refused, naming the file.
func TestCategoryOverride(t *testing.T) {
	t.Cleanup(func() { UseVocab("") })
	dir := t.TempDir()
	p := filepath.Join(dir, "v.yaml")
	if err := os.WriteFile(p, []byte("categories:\n  - {name: 合作社成员, aliases: [社员]}\n  - {name: 新型职业农民, aliases: [职业农民]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UseVocab(p); err != nil {
		t.Fatal(err)
	}
	if CategoryOf("社员") != "合作社成员" || CategoryOf("合作社员") != "合作社成员" || CategoryOf("职业农民") != "新型职业农民" {
		t.Error("the override's categories are not merged")
	}
	if names := Categories(); names[len(names)-1] != "新型职业农民" || names[0] != "农民" {
		t.Errorf("categories after the override: %v", names)
	}
	for body, want := range map[string]string{
		"categories:\n  - {name: \"\", aliases: [a]}\n":   "name 为空",
		"categories:\n  - {name: 农民, aliases: [\" \"]}\n": "第 1 个别名为空",
		"categories:\n  - {name: 农民, aliases: [合作社员]}\n":  "同时属于",
	} {
		bad := filepath.Join(dir, "bad.yaml")
		if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := UseVocab(bad); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error %v, want %q naming the file", body, err, want)
		}
	}
}
