package docs

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/testkit/hostile"
)

// validPDF is a small valid one-page PDF with correct offsets.
func validPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"} {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	b.WriteString("xref\n0 4\n0000000000 65535 f \n")
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", x)
	return b.Bytes()
}

// shiftStartxref moves startxref's offset by d bytes.
func shiftStartxref(pdf []byte, d int) []byte {
	i := bytes.LastIndex(pdf, []byte("startxref\n")) + len("startxref\n")
	j := i + bytes.IndexByte(pdf[i:], '\n')
	off, _ := strconv.Atoi(string(pdf[i:j]))
	return append(append(append([]byte{}, pdf[:i]...), strconv.Itoa(off+d)...), pdf[j:]...)
}

// farStartxref pads the PDF with a 4 KB comment before its table and points
// startxref at the start of the objects, far from the table.
func farStartxref(pdf []byte) []byte {
	x := bytes.Index(pdf, []byte("xref\n"))
	padded := append(append(append([]byte{}, pdf[:x]...), "%"+strings.Repeat("x", 4096)+"\n"...), pdf[x:]...)
	return shiftStartxref(padded, 9-x) // startxref still says x: make it 9, the first object
}

func zipOf(files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	return b.Bytes()
}

func TestCheck(t *testing.T) {
	good := validPDF()
	tests := []struct {
		name, rel string
		kind      yanshou.MaterialKind
		body      []byte
		unread    string // part of the unreadable detail, "" for none
		risky     string // part of the risky detail, "" for none
	}{
		{"valid pdf", "申请报告.pdf", yanshou.Application, good, "", ""},
		{"empty", "申请报告.pdf", yanshou.Application, nil, "0 字节", ""},
		{"empty table left to its stage", "签到表.xlsx", yanshou.SignInSheets, nil, "", ""},
		{"not a pdf", "批复.pdf", yanshou.Approval, []byte("<html>"), "不是 PDF", ""},
		{"truncated pdf", "批复.pdf", yanshou.Approval, good[:len(good)-20], "不完整", ""},
		{"startxref outside", "批复.pdf", yanshou.Approval, bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1), "startxref", ""},
		{"startxref not at xref", "批复.pdf", yanshou.Approval, bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n1"), 1), "交叉引用表", ""},
		{"startxref a few bytes off", "批复.pdf", yanshou.Approval, shiftStartxref(good, -7), "", ""},
		{"startxref far from the table", "批复.pdf", yanshou.Approval, farStartxref(good), "startxref 指向的位置不是交叉引用表", ""},
		{"docx not a zip", "情况总结.docx", yanshou.Summary, []byte("文本"), "不是有效的 .docx", ""},
		{"docx as ole", "情况总结.docx", yanshou.Summary, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "已加密", ""},
		{"table not a zip left to its stage", "签到表.xlsx", yanshou.SignInSheets, []byte("x"), "", ""},
		{"macro", "签到表.xlsm", yanshou.SignInSheets, zipOf(map[string]string{"xl/vbaProject.bin": "x"}), "", "含宏"},
		{"external link", "签到表.xlsx", yanshou.SignInSheets, zipOf(map[string]string{"xl/externalLinks/_rels/externalLink1.xml.rels": `<Relationship Id="rId1" Target="file:///C:/a.xlsx" TargetMode="External"/>`}), "", "file:///C:/a.xlsx"},
		{"executable", "培训课件/安装.exe", yanshou.Courseware, []byte("MZ"), "", "可执行文件"},
		{"bidi disguise", "照片\u202egpj.exe", yanshou.SitePhotos, []byte("MZ"), "", "控制字符"},
		{"nested zip", "资料.zip", yanshou.Other, zipOf(map[string]string{"a.txt": "a"}), "压缩包", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(p, tt.body, 0o644); err != nil {
				t.Fatal(err)
			}
			sub := &yanshou.Submission{Files: []yanshou.File{{Rel: tt.rel, Abs: p, Size: int64(len(tt.body)), Kind: tt.kind}}}
			got := Check(sub, Options{})
			check := func(what string, ev []yanshou.Evidence, want string) {
				if want == "" {
					if len(ev) > 0 {
						t.Errorf("%s: unexpected %+v", what, ev)
					}
					return
				}
				if len(ev) != 1 || ev[0].File != tt.rel || !strings.Contains(ev[0].Detail, want) {
					t.Errorf("%s: got %+v, want one naming %s with %q", what, ev, tt.rel, want)
				}
			}
			check("unreadable", got.Unreadable, tt.unread)
			check("risky", got.Risky, tt.risky)
		})
	}
}

// TestCheckHostileCorpus: the corpus's broken PDFs and Office files are found.
func TestCheckHostileCorpus(t *testing.T) {
	inbox := t.TempDir()
	cases, err := hostile.Write(inbox, hostile.Options{Rows: 10, BombBytes: 1 << 20, Outside: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		switch c.Name {
		case "pdf-broken-xref", "pdf-encrypted", "pdf-truncated", "docx-not-zip", "xlsm-macro-external", "name-rtl-override":
		default:
			continue
		}
		root := filepath.Join(inbox, c.Path)
		sub := &yanshou.Submission{}
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && info.Mode().IsRegular() {
				rel, _ := filepath.Rel(root, p)
				sub.Files = append(sub.Files, yanshou.File{Rel: filepath.ToSlash(rel), Abs: p, Size: info.Size()})
			}
			return nil
		})
		got := Check(sub, Options{})
		all := append(got.Unreadable, got.Risky...)
		found := false
		for _, e := range all {
			found = found || e.File == c.Want[0] || strings.HasSuffix(e.File, c.Want[0])
		}
		if !found {
			t.Errorf("%s: nothing names %s: %+v", c.Name, c.Want[0], all)
		}
	}
}
