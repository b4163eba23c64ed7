package doctext

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signintech/gopdf"

	"yanshou/pipeline/format/pdfdoc"
)

// TestRead: a PDF typeset with an embedded CJK font (as offices' PDFs are)
// reads back its Chinese text; a DOCX its paragraphs; a PDF of a blank page (a
// scan: no text layer) reads as an empty page; other types are not read; a
// damaged PDF is an error, not a panic.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	d, err := pdfdoc.New(nil, "批复.pdf")
	if err != nil {
		t.Skipf("no CJK font here (make deps installs one): %v", err)
	}
	d.Para("商电商办〔2026〕14号", pdfdoc.TextStyle{Size: 12})
	d.Para("关于同意举办电商培训班的批复", pdfdoc.TextStyle{Size: 16})
	d.Para("二〇二六年三月五日", pdfdoc.TextStyle{Size: 12})
	text := filepath.Join(dir, "批复.pdf")
	if err := d.Save(text, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(dir, "扫描件.pdf")
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	gp.AddPage()
	gp.SetFillColor(200, 200, 200)
	gp.RectFromUpperLeftWithStyle(50, 50, 400, 600, "F")
	if err := gp.WritePdf(scan); err != nil {
		t.Fatal(err)
	}
	docx := filepath.Join(dir, "通知.docx")
	f, _ := os.Create(docx)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>关于举办农村电商</w:t></w:r><w:r><w:t>培训班的通知</w:t></w:r></w:p><w:p><w:r><w:t>2026年3月1日</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	f.Close()
	broken := filepath.Join(dir, "损坏.pdf")
	os.WriteFile(broken, []byte("%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n"), 0o644)
	doc := filepath.Join(dir, "旧格式.doc")
	os.WriteFile(doc, []byte("x"), 0o644)

	pages, err := Read(text, Limits{})
	if err != nil || len(pages) != 1 || !strings.Contains(strings.Join(strings.Fields(pages[0]), ""), "关于同意举办电商培训班的批复") ||
		!strings.Contains(strings.Join(strings.Fields(pages[0]), ""), "二〇二六年三月五日") {
		t.Errorf("PDF: %q %v", pages, err)
	}
	if pages, err := Read(scan, Limits{}); err != nil || len(pages) != 1 || strings.TrimSpace(pages[0]) != "" {
		t.Errorf("scan: %q %v", pages, err)
	}
	if pages, err := Read(docx, Limits{}); err != nil || len(pages) != 1 || !strings.Contains(pages[0], "关于举办农村电商培训班的通知\n2026年3月1日") {
		t.Errorf("DOCX: %q %v", pages, err)
	}
	if _, err := Read(broken, Limits{}); err == nil {
		t.Error("a damaged PDF read without an error")
	}
	if _, err := Read(doc, Limits{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf(".doc: %v", err)
	}
	if _, err := Read(text, Limits{MaxBytes: 10}); err == nil {
		t.Error("a file over the limit was read")
	}
}
