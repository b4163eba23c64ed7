package papers

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/doctext"
	"yanshou/pipeline/format/pdfdoc"
)

// TestRead: the 批复 typeset in a PDF with an embedded CJK font gives its 文号
// and 成文日期 (in Chinese numerals); a DOCX notice its date; a photographed
// application is a scan, not read; a kind without files gives nothing.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	d, err := pdfdoc.New(nil, "批复.pdf")
	if err != nil {
		t.Skipf("no CJK font (make deps installs one): %v", err)
	}
	for _, line := range []string{"商水县电子商务办公室", "商电商办〔2026〕12号", "关于同意举办电商培训班的批复",
		"同意你单位于2026年3月10日至3月11日举办培训班。", "此复。", "二〇二六年二月二十八日"} {
		d.Para(line, pdfdoc.TextStyle{Size: 12})
	}
	approval := filepath.Join(dir, "02批复.pdf")
	if err := d.Save(approval, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	notice := filepath.Join(dir, "03培训通知.docx")
	f, _ := os.Create(notice)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>关于举办电商培训班的通知</w:t></w:r></w:p><w:p><w:r><w:t>2026年3月1日</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	f.Close()
	photo := filepath.Join(dir, "01申请.jpg")
	os.WriteFile(photo, []byte{0xFF, 0xD8, 0xFF, 0xD9}, 0o644)
	sub := &yanshou.Submission{Class: &yanshou.ClassInfo{Institution: "商水县电子商务办公室"}, Files: []yanshou.File{
		{Rel: "02批复.pdf", Abs: approval, Kind: yanshou.Approval},
		{Rel: "03培训通知.docx", Abs: notice, Kind: yanshou.Notice},
		{Rel: "01申请.jpg", Abs: photo, Kind: yanshou.Application},
	}}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	got := map[yanshou.MaterialKind]yanshou.Paper{}
	for _, p := range Read(sub, loc, nil) {
		got[p.Kind] = p
	}
	if a := got[yanshou.Approval]; !a.Read || a.Number != "商电商办〔2026〕12号" || a.Date.Format("2006-01-02") != "2026-02-28" || a.Page != 1 || !a.Mentions {
		t.Errorf("批复 %+v", a)
	}
	if n := got[yanshou.Notice]; !n.Read || n.Date.Format("2006-01-02") != "2026-03-01" {
		t.Errorf("notice %+v", n)
	}
	if a := got[yanshou.Application]; a.Read || a.Problem == "" || (!doctext.CanOCR() && !a.Scan) {
		t.Errorf("application %+v", a)
	}
	if _, ok := got[yanshou.Summary]; ok {
		t.Error("a summary read from no file")
	}
}

// memCache is a Cache in memory that counts what it is asked.
type memCache struct {
	m          map[string][]string
	hits, puts int
}

func (c *memCache) CachedText(algo, sha string) ([]string, bool, bool, error) {
	p, ok := c.m[algo+sha]
	if ok {
		c.hits++
	}
	return p, false, ok, nil
}

func (c *memCache) CacheText(algo, sha string, pages []string, ocr bool) error {
	c.m[algo+sha] = pages
	c.puts++
	return nil
}

// TestReadCached: a second reading of the same document comes from the cache.
func TestReadCached(t *testing.T) {
	dir := t.TempDir()
	d, err := pdfdoc.New(nil, "批复.pdf")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	d.Para("商电商办〔2026〕12号 2026年2月28日", pdfdoc.TextStyle{Size: 12})
	path := filepath.Join(dir, "批复.pdf")
	if err := d.Save(path, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	sub := &yanshou.Submission{Class: &yanshou.ClassInfo{Institution: "商水县电子商务办公室"}, Files: []yanshou.File{{Rel: "批复.pdf", Abs: path, Kind: yanshou.Approval, SHA256: "abc"}}}
	c := &memCache{m: map[string][]string{}}
	first := Read(sub, nil, c)
	os.Remove(path) // the second reading must not need the file
	second := Read(sub, nil, c)
	if c.puts != 1 || c.hits != 1 || len(second) != 1 || second[0].Number != first[0].Number || second[0].Number != "商电商办〔2026〕12号" {
		t.Errorf("puts %d hits %d; first %+v second %+v", c.puts, c.hits, first, second)
	}
}

// TestReadHeading: the heading of a document's first page is its lines up to
// the addressee (a line ending in ：) or the first sentence (。), white space
// removed — of a PDF, a DOCX and a PPTX (the deck's title first) —; a file of
// another type has none. Read once, the text is cached for Read: the second
// reading needs no file. A scan read without OCR is not cached (Read will try
// OCR on it).
func TestReadHeading(t *testing.T) {
	dir := t.TempDir()
	d, err := pdfdoc.New(nil, "批复.pdf")
	if err != nil {
		t.Skipf("no CJK font: %v", err)
	}
	for _, line := range []string{"商水县电子商务办公室", "商电商办〔2026〕12号", "关于同意举办电商培训班的批复",
		"商水县巾帼电商创业服务站：", "同意你单位于2026年3月10日至3月11日举办培训班。"} {
		d.Para(line, pdfdoc.TextStyle{Size: 12})
	}
	pdf := filepath.Join(dir, "扫描件001.pdf")
	if err := d.Save(pdf, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	docx := filepath.Join(dir, "文件2.docx")
	writeParts(t, docx, "word/document.xml", `<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>巾帼电商培训班</w:t></w:r><w:r><w:t> 工作总结</w:t></w:r></w:p><w:p><w:r><w:t>2026年6月</w:t></w:r></w:p><w:p><w:r><w:t>本期培训共有学员45人。</w:t></w:r></w:p><w:p><w:r><w:t>不是标题</w:t></w:r></w:p></w:body></w:document>`)
	pptx := filepath.Join(dir, "演示1.pptx")
	writeParts(t, pptx, "ppt/slides/slide1.xml", `<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree>`+
		`<p:sp><p:nvSpPr><p:nvPr><p:ph type="subTitle"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>主讲：张三</a:t></a:r></a:p></p:txBody></p:sp>`+
		`<p:sp><p:nvSpPr><p:nvPr><p:ph type="ctrTitle"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>直播带货实务课件</a:t></a:r></a:p></p:txBody></p:sp>`+
		`</p:spTree></p:cSld></p:sld>`)
	blank := filepath.Join(dir, "扫描件002.pdf")
	b, _ := pdfdoc.New(nil, "空白.pdf")
	b.Para(" ", pdfdoc.TextStyle{Size: 12})
	if err := b.Save(blank, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	c := &memCache{m: map[string][]string{}}
	cases := []struct {
		rel, abs string
		want     []string
	}{
		{"扫描件001.pdf", pdf, []string{"商水县电子商务办公室", "商电商办〔2026〕12号", "关于同意举办电商培训班的批复"}},
		{"文件2.docx", docx, []string{"巾帼电商培训班工作总结", "2026年6月"}},
		{"演示1.pptx", pptx, []string{"直播带货实务课件", "主讲：张三"}},
		{"扫描件002.pdf", blank, nil},
		{"名单.xlsx", docx, nil},
		{"扫描件003.jpg", blank, nil}, // a picture is read (by OCR) only when OCR is asked
	}
	for i, tc := range cases {
		f := yanshou.File{Rel: tc.rel, Abs: tc.abs, SHA256: fmt.Sprint("sha", i)}
		if got := ReadHeading(f, c, false); !slices.Equal(got.Lines, tc.want) || got.OCR {
			t.Errorf("%s: %q (ocr %v), want %q", tc.rel, got.Lines, got.OCR, tc.want)
		}
	}
	if c.puts != 3 {
		t.Errorf("%d documents cached, want the 3 with text (not the scan read without OCR)", c.puts)
	}
	os.Remove(pdf)
	if got := ReadHeading(yanshou.File{Rel: "扫描件001.pdf", Abs: pdf, SHA256: "sha0"}, c, false); len(got.Lines) != 3 || c.hits != 1 {
		t.Errorf("second reading %q, %d cache hits: want the cached text", got.Lines, c.hits)
	}
	sub := &yanshou.Submission{Files: []yanshou.File{{Rel: "扫描件001.pdf", Abs: pdf, SHA256: "sha0", Kind: yanshou.Approval}}}
	if p := Read(sub, nil, c); len(p) != 1 || p[0].Number != "商电商办〔2026〕12号" || !strings.HasSuffix(p[0].Title, "的批复") {
		t.Errorf("Read after ReadHeading: %+v, want the cached text", p)
	}
}

// writeParts writes a zip of (name, content) parts.
func writeParts(t *testing.T, path string, parts ...string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i+1 < len(parts); i += 2 {
		w, _ := zw.Create(parts[i])
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}
