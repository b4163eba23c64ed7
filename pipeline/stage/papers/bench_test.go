package papers

import (
	"fmt"
	"path/filepath"
	"testing"

	"yanshou"
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
