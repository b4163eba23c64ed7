package papers

import (
	"archive/zip"
	"os"
	"path/filepath"
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
