package papers

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/signintech/gopdf"

	"yanshou"
	"yanshou/pipeline/format/doctext"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/store/ledger"
)

// BenchmarkRead100: the 批复 of 100 classes (two-page PDFs with an embedded
// CJK font) read and parsed, first with an empty cache, then again from the
// ledger's cache (the re-check: no document read again).
func BenchmarkRead100(b *testing.B) {
	dir := b.TempDir()
	var subs []*yanshou.Submission
	for i := range 100 {
		d, err := pdfdoc.New(nil, "批复.pdf")
		if err != nil {
			b.Skipf("no CJK font: %v", err)
		}
		d.Para(fmt.Sprintf("商电商办〔2026〕%d号", i+1), pdfdoc.TextStyle{Size: 12})
		d.Para("关于同意举办农村电商培训班的批复", pdfdoc.TextStyle{Size: 16})
		for range 30 {
			d.Para("同意你单位于2026年3月10日至3月11日在商水县电子商务公共服务中心举办农村电商培训班，培训人数50人。培训要严格按照管理办法组织实施。", pdfdoc.TextStyle{Size: 12})
		}
		d.Para("二〇二六年二月二十八日", pdfdoc.TextStyle{Size: 12})
		p := filepath.Join(dir, fmt.Sprintf("%03d.pdf", i))
		if err := d.Save(p, pdfdoc.Info{}); err != nil {
			b.Fatal(err)
		}
		subs = append(subs, &yanshou.Submission{Files: []yanshou.File{{Rel: "02批复.pdf", Abs: p, Kind: yanshou.Approval, SHA256: fmt.Sprintf("%064d", i)}}})
	}
	for _, cached := range []bool{false, true} {
		name := "first"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				l, err := ledger.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if cached {
					for _, s := range subs {
						Read(s, nil, l)
					}
				}
				b.StartTimer()
				for _, s := range subs {
					ps := Read(s, nil, l)
					if len(ps) != 1 || ps[0].Number == "" {
						b.Fatalf("not read: %+v", ps)
					}
				}
				b.StopTimer()
				l.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "documents/s")
		})
	}
}

// BenchmarkReadOCR: scanned 批复 (image-only PDFs: a page rendered at 150 dpi
// and put back in a PDF, no text layer) read by OCR (pdftoppm at 200 dpi,
// tesseract chi_sim), first with an empty cache, then again from the ledger's
// cache. Skipped without the tools.
func BenchmarkReadOCR(b *testing.B) {
	if !doctext.CanOCR() {
		b.Skip("tesseract with chi_sim and pdftoppm are not installed")
	}
	const n = 4
	dir := b.TempDir()
	var subs []*yanshou.Submission
	for i := range n {
		d, err := pdfdoc.New(nil, "批复.pdf")
		if err != nil {
			b.Skipf("no CJK font: %v", err)
		}
		d.Para(fmt.Sprintf("商电商办〔2026〕%d号", i+11), pdfdoc.TextStyle{Size: 16})
		d.Para("关于同意举办农村电商培训班的批复", pdfdoc.TextStyle{Size: 18})
		for range 8 {
			d.Para("同意你单位于2026年3月10日至3月11日在商水县电子商务公共服务中心举办农村电商培训班，培训人数50人。", pdfdoc.TextStyle{Size: 14})
		}
		d.Para("2026年2月28日", pdfdoc.TextStyle{Size: 16})
		text := filepath.Join(dir, fmt.Sprintf("t%d.pdf", i))
		if err := d.Save(text, pdfdoc.Info{}); err != nil {
			b.Fatal(err)
		}
		base := filepath.Join(dir, fmt.Sprintf("page%d", i))
		if out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-jpeg", "-singlefile", text, base).CombinedOutput(); err != nil {
			b.Fatalf("pdftoppm: %v %s", err, out)
		}
		gp := &gopdf.GoPdf{}
		gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
		gp.AddPage()
		if err := gp.Image(base+".jpg", 0, 0, gopdf.PageSizeA4); err != nil {
			b.Fatal(err)
		}
		scan := filepath.Join(dir, fmt.Sprintf("扫描件%d.pdf", i))
		if err := gp.WritePdf(scan); err != nil {
			b.Fatal(err)
		}
		subs = append(subs, &yanshou.Submission{Files: []yanshou.File{{Rel: "02批复.pdf", Abs: scan, Kind: yanshou.Approval, SHA256: fmt.Sprintf("%064d", i)}}})
	}
	for _, cached := range []bool{false, true} {
		name := "first"
		if cached {
			name = "cached"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				l, err := ledger.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				if cached {
					for _, s := range subs {
						Read(s, nil, l)
					}
				}
				b.StartTimer()
				for _, s := range subs {
					if ps := Read(s, nil, l); len(ps) != 1 || !ps[0].Read || !ps[0].OCR {
						b.Fatalf("not read by OCR: %+v", ps)
					}
				}
				b.StopTimer()
				l.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
