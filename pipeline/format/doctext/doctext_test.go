package doctext

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

	txt, err := Read(text, Limits{})
	pages := txt.Pages
	if err != nil || len(pages) != 1 || !strings.Contains(strings.Join(strings.Fields(pages[0]), ""), "关于同意举办电商培训班的批复") ||
		!strings.Contains(strings.Join(strings.Fields(pages[0]), ""), "二〇二六年三月五日") {
		t.Errorf("PDF: %q %v", pages, err)
	}
	if txt, err := Read(scan, Limits{}); err != nil || len(txt.Pages) != 1 || strings.TrimSpace(txt.Pages[0]) != "" {
		t.Errorf("scan: %q %v", txt.Pages, err)
	}
	if txt, err := Read(docx, Limits{}); err != nil || len(txt.Pages) != 1 || !strings.Contains(txt.Pages[0], "关于举办农村电商培训班的通知\n2026年3月1日") {
		t.Errorf("DOCX: %q %v", txt.Pages, err)
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

// TestReadOCR: a scanned page (a picture of a 批复 in a PDF without a text
// layer) and the picture itself are read by OCR when tesseract (chi_sim) and
// pdftoppm are installed (make deps installs them); without them the page
// reads as empty. Both paths are taken: the tools are hidden from PATH for
// the second.
func TestReadOCR(t *testing.T) {
	dir := t.TempDir()
	d, err := pdfdoc.New(nil, "批复.pdf")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	d.Para("商电商办〔2026〕14号", pdfdoc.TextStyle{Size: 22})
	d.Para("关于同意举办电商培训班的批复", pdfdoc.TextStyle{Size: 22})
	d.Para("2026年3月13日", pdfdoc.TextStyle{Size: 22})
	text := filepath.Join(dir, "text.pdf")
	if err := d.Save(text, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) is needed to make the scan")
	}
	// The scan: the page rendered to a picture, the picture put in a PDF.
	if out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-jpeg", "-singlefile", text, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	picture := filepath.Join(dir, "page.jpg")
	scan := filepath.Join(dir, "扫描件.pdf")
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	gp.AddPage()
	if err := gp.Image(picture, 0, 0, gopdf.PageSizeA4); err != nil {
		t.Fatal(err)
	}
	if err := gp.WritePdf(scan); err != nil {
		t.Fatal(err)
	}
	if CanOCR() {
		for _, p := range []string{scan, picture} {
			txt, err := Read(p, Limits{OCR: true})
			got := strings.Join(strings.Fields(strings.Join(txt.Pages, "")), "")
			if err != nil || !txt.OCR || !strings.Contains(got, "2026") || !strings.Contains(got, "批复") {
				t.Errorf("OCR of %s: %q ocr=%v %v", filepath.Base(p), got, txt.OCR, err)
			}
		}
	} else {
		t.Log("tesseract with chi_sim not installed: only the path without OCR is tested")
	}
	// Without the tools (or without OCR asked): the scan reads as empty.
	if txt, err := Read(scan, Limits{}); err != nil || txt.OCR || strings.TrimSpace(strings.Join(txt.Pages, "")) != "" {
		t.Errorf("scan without OCR: %q %v", txt.Pages, err)
	}
	t.Setenv("PATH", t.TempDir())
	if CanOCR() {
		t.Fatal("OCR available with an empty PATH")
	}
	if txt, err := Read(scan, Limits{OCR: true}); err != nil || txt.OCR || strings.TrimSpace(strings.Join(txt.Pages, "")) != "" {
		t.Errorf("scan with OCR asked but no tools: %q %v", txt.Pages, err)
	}
}

// slideXML is a slide with shapes: each a placeholder type ("" none) and its
// paragraphs.
func slideXML(shapes ...[]string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>`)
	for _, s := range shapes {
		b.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="2" name="x"/><p:cNvSpPr/><p:nvPr>`)
		if s[0] != "" {
			b.WriteString(`<p:ph type="` + s[0] + `"/>`)
		}
		b.WriteString(`</p:nvPr></p:nvSpPr><p:txBody>`)
		for _, para := range s[1:] {
			b.WriteString(`<a:p>`)
			for _, run := range strings.Split(para, "|") { // runs of one paragraph
				b.WriteString(`<a:r><a:t>` + run + `</a:t></a:r>`)
			}
			b.WriteString(`</a:p>`)
		}
		b.WriteString(`</p:txBody></p:sp>`)
	}
	b.WriteString(`</p:spTree></p:cSld></p:sld>`)
	return b.String()
}

// writeZip writes the parts (name, content) as a zip at path.
func writeZip(t *testing.T, path string, parts ...string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// TestReadPPTX: a deck's slides are read in the order of their numbers (slide10
// after slide2), the first slide's title placeholder (title or ctrTitle, its
// runs joined) is the title and the first line of its page, other shapes
// follow a line per paragraph; a deck without a title placeholder has no
// title; only Limits.Pages slides are read; a slide larger than MaxBytes, a
// damaged slide, a zip without slides and a zip of too many parts are errors.
func TestReadPPTX(t *testing.T) {
	dir := t.TempDir()
	title := []string{"ctrTitle", "农村电商|直播带货实务"}
	body := []string{"body", "主讲人：张三", "2026年6月9日"}
	many := []string{}
	for i := 0; i <= maxSlideParts; i++ {
		many = append(many, fmt.Sprintf("ppt/media/%d.txt", i), "x")
	}
	many = append(many, "ppt/slides/slide1.xml", slideXML(title))
	cases := []struct {
		name  string
		parts []string
		lim   Limits
		title string
		pages []string
		err   string
	}{
		{"封面标题.pptx", []string{"ppt/slides/slide1.xml", slideXML(body, title), "ppt/slides/slide2.xml", slideXML([]string{"title", "第一章"}, []string{"", "内容"})},
			Limits{}, "农村电商直播带货实务", []string{"农村电商直播带货实务\n主讲人：张三\n2026年6月9日", "第一章\n内容"}, ""},
		{"按编号排序.pptx", []string{"ppt/slides/slide10.xml", slideXML([]string{"", "十"}), "ppt/slides/slide2.xml", slideXML([]string{"", "二"}), "ppt/slides/slide1.xml", slideXML([]string{"title", "一"})},
			Limits{}, "一", []string{"一", "二", "十"}, ""},
		{"只读前两页.pptx", []string{"ppt/slides/slide1.xml", slideXML(title), "ppt/slides/slide2.xml", slideXML(body), "ppt/slides/slide3.xml", slideXML(body)},
			Limits{Pages: 2}, "农村电商直播带货实务", []string{"农村电商直播带货实务", "主讲人：张三\n2026年6月9日"}, ""},
		{"无标题.pptx", []string{"ppt/slides/slide1.xml", slideXML(body), "ppt/slideLayouts/slideLayout1.xml", slideXML(title)},
			Limits{}, "", []string{"主讲人：张三\n2026年6月9日"}, ""},
		{"大页.pptx", []string{"ppt/slides/slide1.xml", slideXML([]string{"title", strings.Repeat("字", 40000)})},
			Limits{MaxBytes: 64 << 10}, "", nil, "over the limit"},
		{"损坏.pptx", []string{"ppt/slides/slide1.xml", `<p:sld><p:sp><a:t>未完`},
			Limits{}, "", nil, "slide1.xml"},
		{"不是演示文稿.pptx", []string{"word/document.xml", "<w:document/>"},
			Limits{}, "", nil, "not a PowerPoint deck"},
		{"部件过多.pptx", many, Limits{}, "", nil, "parts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			writeZip(t, p, c.parts...)
			txt, err := Read(p, c.lim)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if txt.Title != c.title || !slices.Equal(txt.Pages, c.pages) {
				t.Errorf("title %q pages %q, want %q %q", txt.Title, txt.Pages, c.title, c.pages)
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "不存在.pptx"), Limits{}); err == nil {
		t.Error("a missing deck read")
	}
	os.WriteFile(filepath.Join(dir, "非压缩包.pptx"), []byte("PK not really"), 0o644)
	if _, err := Read(filepath.Join(dir, "非压缩包.pptx"), Limits{}); err == nil {
		t.Error("a deck that is not a zip read")
	}
}
