package paper

import (
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/testkit/papersheet"
)

// BenchmarkRead100PageScans reads a 100-page image-only PDF of 300 dpi scans
// (4 sessions of a 625-trainee class; five distinct scans repeated) and reports
// pages/s and the heap's peak while reading (bench.sh adds the process's
// maximum RSS).
func BenchmarkRead100PageScans(b *testing.B) {
	rnd := rand.New(rand.NewPCG(5, 5))
	ts := trainees(625)
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.ID
	}
	c := Class{Trainees: ts}
	var scans [][]byte
	for _, s := range []string{"2026-03-10 上午", "2026-03-10 下午", "2026-03-11 上午", "2026-03-11 下午"} {
		for _, p := range signform.Plan("c1", s, keys, 0) {
			if len(scans) < 5 {
				pg := papersheet.RandomPage(rnd, p)
				scans = append(scans, papersheet.JPEG(papersheet.Scan(rnd, papersheet.Render(rnd, pg, 8), 8)))
				continue
			}
			scans = append(scans, nil)
		}
	}
	// pages past the fifth repeat the first five pictures: read as copies of
	// their pages, which is the same work as new pages
	for i := range scans {
		if scans[i] == nil {
			scans[i] = scans[i%5]
		}
	}
	path := filepath.Join(b.TempDir(), "扫描.pdf")
	if err := papersheet.ScanPDF(path, scans); err != nil {
		b.Fatal(err)
	}
	files := []yanshou.File{{Rel: "签到表.pdf", Abs: path}}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		res := Read(files, c, th, maxPixels)
		if len(res.Manual) != 0 {
			b.Fatalf("unread pages: %+v", res.Manual)
		}
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(len(scans)*b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MB")
}
