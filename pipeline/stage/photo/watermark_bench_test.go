package photo

import (
	"testing"
	"time"

	"yanshou/pipeline/testkit/watermarks"
)

// BenchmarkWatermarkOCR: reading the watermark strip of generated photos (the
// three layouts, 2–12 MP, a quarter WeChat copies): strips — found, cut,
// read by tesseract and parsed, photos/s and the shares read right and wrong; plain —
// photos without a strip, where only the finder runs (what every photo of a
// check costs). A row of make bench (scripts/bench.sh).
func BenchmarkWatermarkOCR(b *testing.B) {
	corpus, err := watermarks.Write(b.TempDir(), 9, 3, 11)
	if err != nil {
		b.Skipf("no corpus (a CJK font is needed): %v", err)
	}
	if !CanReadWatermarks() {
		b.Skip("tesseract with chi_sim not installed")
	}
	loc := time.FixedZone("CST", 8*3600)
	var strips, plain []watermarks.Photo
	for _, p := range corpus {
		if p.Strip {
			strips = append(strips, p)
		} else {
			plain = append(plain, p)
		}
	}
	b.Run("strips", func(b *testing.B) {
		right, wrong, n := 0, 0, 0
		for i := 0; b.Loop(); i++ {
			p := strips[i%len(strips)]
			if w := Interpret(ScanWatermark(p.Path, 0), loc, "gcj02"); w != nil && w.Taken != nil {
				if w.Taken.Equal(p.When) {
					right++
				} else {
					wrong++
				}
			}
			n++
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "photos/s")
		b.ReportMetric(float64(right)/float64(n), "read-right")
		b.ReportMetric(float64(wrong)/float64(n), "read-wrong")
	})
	b.Run("plain", func(b *testing.B) {
		n := 0
		for i := 0; b.Loop(); i++ {
			if s := ScanWatermark(plain[i%len(plain)].Path, 0); s.Found {
				b.Fatalf("a strip found on %s", plain[i%len(plain)].Path)
			}
			n++
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "photos/s")
	})
}
