package intake

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

type entry struct {
	name    string
	body    []byte
	gbk     bool // write the name in GBK without the UTF-8 flag
	symlink bool
}

func makeZip(t *testing.T, entries []entry) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.gbk {
			enc, err := simplifiedchinese.GBK.NewEncoder().String(e.name)
			if err != nil {
				t.Fatal(err)
			}
			h.Name, h.NonUTF8 = enc, true
		}
		if e.symlink {
			h.SetMode(os.ModeSymlink | 0o777)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(e.body)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "提交.zip")
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

func TestUnzip(t *testing.T) {
	lim := config.Default().Intake
	tests := []struct {
		name        string
		entries     []entry
		lim         func(l *yanshou.Intake)
		wantFiles   []string // relative to the submission root
		wantProblem string
		wantErr     string
	}{
		{"GBK names decoded", []entry{{name: "宏达第1期/培训信息表.xlsx", body: []byte("m"), gbk: true}, {name: "宏达第1期/05现场照片/a.jpg", body: []byte("a"), gbk: true}},
			nil, []string{"05现场照片/a.jpg", "培训信息表.xlsx"}, "", ""},
		{"zip slip refused", []entry{{name: "培训信息表.xlsx", body: []byte("m")}, {name: "../../evil.txt", body: []byte("x")}},
			nil, []string{"培训信息表.xlsx"}, "跳出", ""},
		{"absolute and drive paths refused", []entry{{name: "培训信息表.xlsx", body: []byte("m")}, {name: "C:/Windows/evil.txt", body: []byte("x")}, {name: "/etc/evil", body: []byte("x")}},
			nil, []string{"培训信息表.xlsx"}, "绝对路径", ""},
		{"symlink entry refused", []entry{{name: "培训信息表.xlsx", body: []byte("m")}, {name: "link", body: []byte("/etc/passwd"), symlink: true}},
			nil, []string{"培训信息表.xlsx"}, "符号链接", ""},
		{"zip bomb refused by ratio", []entry{{name: "big.bin", body: make([]byte, 50<<20)}},
			nil, nil, "", "压缩炸弹"},
		{"too many entries", []entry{{name: "a", body: []byte("1")}, {name: "b", body: []byte("2")}, {name: "c", body: []byte("3")}},
			func(l *yanshou.Intake) { l.MaxZipEntries = 2 }, nil, "", "超过上限 2"},
		{"too many bytes", []entry{{name: "a", body: bytes.Repeat([]byte("x"), 5000)}},
			func(l *yanshou.Intake) { l.MaxZipBytes, l.MaxZipRatio = 1000, 0 }, nil, "", "超过上限 1000 字节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lim
			if tt.lim != nil {
				tt.lim(&l)
			}
			zp := makeZip(t, tt.entries)
			state := t.TempDir()
			dest := filepath.Join(state, "unpacked", "x")
			problems, err := Unzip(zp, "提交.zip", dest, l)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				if _, serr := os.Stat(dest); serr == nil {
					t.Fatal("a refused zip left a folder")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			root := SubmissionRoot(dest)
			var got []string
			filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if !d.IsDir() && d.Name() != completeMark {
					r, _ := filepath.Rel(root, p)
					got = append(got, filepath.ToSlash(r))
				}
				return nil
			})
			if strings.Join(got, ",") != strings.Join(tt.wantFiles, ",") {
				t.Errorf("files %v, want %v", got, tt.wantFiles)
			}
			if tt.wantProblem != "" && (len(problems) == 0 || !strings.Contains(problems[0].Detail, tt.wantProblem)) {
				t.Errorf("problems %+v, want %q", problems, tt.wantProblem)
			}
			// Nothing escaped the state folder.
			filepath.WalkDir(filepath.Dir(state), func(p string, d os.DirEntry, err error) error {
				if d != nil && strings.Contains(d.Name(), "evil") {
					t.Errorf("escaped entry written at %s", p)
				}
				return nil
			})
			// A second call reuses the complete folder.
			if p2, err := Unzip(zp, "提交.zip", dest, l); err != nil || p2 != nil {
				t.Errorf("second unzip: %v %v", p2, err)
			}
		})
	}
}

func TestUnzipNotAZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "坏.zip")
	os.WriteFile(p, []byte("not a zip at all"), 0o644)
	_, err := Unzip(p, "坏.zip", filepath.Join(t.TempDir(), "x"), config.Default().Intake)
	if err == nil || !strings.Contains(err.Error(), "坏.zip") {
		t.Fatalf("error %v must name the zip", err)
	}
}

func TestDiscover(t *testing.T) {
	inbox := t.TempDir()
	mk := func(rel string) {
		p := filepath.Join(inbox, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	mk("宏达/第1期/培训信息表.xlsx")
	mk("宏达/第1期/照片/manifest.yaml") // inside a submission: not a second one
	mk("农商/第2期.zip")
	mk("巾帼/2026/春季/第3期/培训信息表.xlsx") // depth 4: too deep
	mk("README.md")
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "培训信息表.xlsx"), []byte("x"), 0o644)
	os.Symlink(outside, filepath.Join(inbox, "外部"))

	got, err := Discover(inbox)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, c := range got {
		r, _ := filepath.Rel(inbox, c.Path)
		rels = append(rels, filepath.ToSlash(r))
	}
	want := "农商/第2期.zip,宏达/第1期"
	if strings.Join(rels, ",") != want {
		t.Fatalf("Discover = %v, want %s", rels, want)
	}
}
