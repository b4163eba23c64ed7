package inventory

import (
	"os"
	"path/filepath"
	"testing"

	"yanshou"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		rel  string
		want yanshou.MaterialKind
	}{
		{"培训信息表.xlsx", yanshou.Manifest},
		{"manifest.yaml", yanshou.Manifest},
		{"01申请报告.pdf", yanshou.Application},
		{"02-关于同意举办电商培训的批复.pdf", yanshou.Approval},
		{"03培训通知.docx", yanshou.Notice},
		{"04培训课件/第一讲 网店运营.pptx", yanshou.Courseware},
		{"05现场照片/IMG_20260310_093012.jpg", yanshou.SitePhotos},
		{"现场/DSC0001.JPG", yanshou.SitePhotos},
		{"06合影照片/合影.jpg", yanshou.GroupPhoto},
		{"照片/学员合影.jpg", yanshou.GroupPhoto},
		{"07培训学员名单.xlsx", yanshou.Roster},
		{"花名册.csv", yanshou.Roster},
		{"08签到表.xlsx", yanshou.SignInSheets},
		{"学员签到/第一天.xlsx", yanshou.SignInSheets},
		{"09培训内容.pdf", yanshou.Content},
		{"10电话回访记录.xlsx", yanshou.FollowUp},
		{"11情况总结.pdf", yanshou.Summary},
		{"ppt/第二讲.PDF", yanshou.Courseware},
		{"发票.pdf", yanshou.Other},
		{"其他/说明.txt", yanshou.Other},
		{"现场照片/培训信息表.xlsx", yanshou.Other},     // a spreadsheet is no photo, and the manifest sits at the top
		{"０５现场照片/ＩＭＧ.jpg", yanshou.SitePhotos}, // full-width digits and letters
	}
	for _, tt := range tests {
		if got := Classify(tt.rel); got != tt.want {
			t.Errorf("Classify(%q) = %s, want %s", tt.rel, got, tt.want)
		}
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"~$培训学员名单.xlsx": true, "a.tmp": true, "IMG.jpg.part": true, "x.crdownload": true,
		"Thumbs.db": true, "desktop.ini": true, ".DS_Store": true, "提交完成.txt": true,
		"签到表.xlsx": false, "IMG_0001.JPG": false,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("培训信息表.xlsx", "m")
	write("05现场照片/a.jpg", "a")
	write("05现场照片/Thumbs.db", "x")
	write("__MACOSX/05现场照片/._a.jpg", "x")
	write("~$签到表.xlsx", "lock")
	write("杂项.txt", "other")
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Skip("symlinks not available:", err)
	}

	sub, problems, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, f := range sub.Files {
		rels = append(rels, f.Rel)
	}
	want := []string{"05现场照片/a.jpg", "培训信息表.xlsx", "杂项.txt"}
	if len(rels) != len(want) {
		t.Fatalf("files %v, want %v", rels, want)
	}
	for i := range want {
		if rels[i] != want[i] {
			t.Fatalf("files %v, want %v", rels, want)
		}
	}
	if sub.Files[0].SHA256 != "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" || sub.Files[0].Size != 1 {
		t.Errorf("hash of a.jpg = %s", sub.Files[0].SHA256)
	}
	if len(problems) != 1 || problems[0].File != "link.txt" {
		t.Errorf("symlink not reported: %+v", problems)
	}
	if got := Missing(sub); len(got) != 10 || got[0] != yanshou.Application {
		t.Errorf("Missing = %v", got)
	}

	// The same content elsewhere has the same content hash; a change gives another.
	again, _, _ := Scan(dir)
	if again.ContentHash != sub.ContentHash {
		t.Error("content hash not stable")
	}
	write("杂项.txt", "changed")
	changed, _, _ := Scan(dir)
	if changed.ContentHash == sub.ContentHash {
		t.Error("content hash did not change with a file")
	}
}

func TestScanNotADirectory(t *testing.T) {
	f := filepath.Join(t.TempDir(), "x")
	os.WriteFile(f, nil, 0o644)
	if _, _, err := Scan(f); err == nil {
		t.Fatal("scanning a file must fail")
	}
}

func TestReadableName(t *testing.T) {
	gbk := "\xc7\xa9\xb5\xbd\xb1\xed.csv" // 签到表.csv in GBK
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"签到表.xlsx", "签到表.xlsx", false},
		{"现场照片/" + gbk, "现场照片/签到表.csv", false},
		{"\xff\xfe坏名.jpg", `\xFF\xFE坏名.jpg`, true},
		{"a/\xff/b.txt", `a/\xFF/b.txt`, true},
	}
	for _, tt := range tests {
		got, bad := ReadableName(tt.in)
		if got != tt.want || bad != tt.bad {
			t.Errorf("ReadableName(%q) = %q, %v; want %q, %v", tt.in, got, bad, tt.want, tt.bad)
		}
	}
}
