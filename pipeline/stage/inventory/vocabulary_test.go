package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
)

func TestUseVocabulary(t *testing.T) {
	t.Cleanup(func() { UseVocabulary("") })
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if Classify("大合照/IMG_1.jpg") != yanshou.GroupPhoto || Classify("开班仪式/IMG_1.jpg") != yanshou.Other {
		t.Fatal("the built-in vocabulary changed under the test")
	}
	good := write("good.yaml", "kinds:\n  - kind: site_photos\n    keywords: [开班仪式]\n  - kind: approval\n    name: 批复\n    keywords: [同意函]\n    replace: true\nignore:\n  names: [备份.txt]\n")
	if err := UseVocabulary(good); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]yanshou.MaterialKind{
		"开班仪式/IMG_1.jpg": yanshou.SitePhotos,  // the keyword added
		"现场/IMG_2.jpg":   yanshou.SitePhotos,  // the built-in ones kept
		"开班仪式/合影.jpg":    yanshou.GroupPhoto,  // the kinds keep their order
		"县商务局同意函.pdf":    yanshou.Approval,    // the replacing list
		"02批复.pdf":       yanshou.Other,       // the replaced keywords are gone
		"01申请报告.pdf":     yanshou.Application, // kinds the file leaves out are unchanged
	} {
		if got := Classify(rel); got != want {
			t.Errorf("with the override, Classify(%q) = %s, want %s", rel, got, want)
		}
	}
	if !Ignored("备份.txt") || !Ignored("Thumbs.db") {
		t.Error("the ignore list was not merged")
	}

	tests := []struct {
		name, body, want string
	}{
		{"code.yaml", "kinds:\n  - kind: grouphoto\n    keywords: [大合影]\n", "kinds 第 1 项：未知的材料代码 \"grouphoto\""},
		{"ordinal.yaml", "kinds:\n  - kind: 6\n    keywords: [大合影]\n", "未知的材料代码 \"6\""},
		{"other.yaml", "kinds:\n  - kind: other\n    keywords: [杂项]\n", "材料代码 \"other\" 不是第十一条的材料"},
		{"empty.yaml", "kinds:\n  - kind: roster\n    keywords: [学员表]\n  - kind: notice\n", "kinds 第 2 项（培训通知）：keywords 为空"},
		{"blank.yaml", "kinds:\n  - kind: notice\n    keywords: [\"\"]\n", "第 1 个关键词为空"},
		{"name.yaml", "kinds:\n  - kind: notice\n    name: 批复\n    keywords: [开班]\n", "name 写的是 批复，但代码 notice 是 培训通知"},
		{"twice.yaml", "kinds:\n  - kind: notice\n    keywords: [开班]\n  - kind: notice\n    keywords: [告知]\n", "与第 1 项是同一材料"},
		{"field.yaml", "kind:\n  - kind: notice\n", "格式有误"},
	}
	for _, tt := range tests {
		p := write(tt.name, tt.body)
		err := UseVocabulary(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "材料词表 "+p) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", tt.name, err, tt.want)
		}
		if Classify("开班仪式/IMG_1.jpg") != yanshou.SitePhotos {
			t.Errorf("%s: a refused override changed the vocabulary in use", tt.name)
		}
	}
	if err := UseVocabulary(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "无法读取") {
		t.Errorf("missing file: %v", err)
	}
	if err := UseVocabulary(""); err != nil || Classify("开班仪式/IMG_1.jpg") != yanshou.Other || Classify("02批复.pdf") != yanshou.Approval {
		t.Error("UseVocabulary(\"\") does not restore the built-in vocabulary")
	}
}
