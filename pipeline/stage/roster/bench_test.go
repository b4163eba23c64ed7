package roster

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sheettest"
)

// bigClass writes a roster of n/4 trainees and a one-sheet sign-in workbook of n
// rows (4 sessions over 2 days, as a QR sign-in system exports them): half the
// rows carry the ID, a quarter phone and name, a quarter the name alone.
func bigClass(tb testing.TB, dir string, n int) (roster, signin yanshou.File) {
	tb.Helper()
	people := n / 4
	ids := make([]string, people)
	for i := range ids {
		ids[i] = mkID("411623", fmt.Sprintf("19%02d%02d%02d", 60+i%40, 1+i/40%12, 1+i/480%28), i%1000)
	}
	rp, sp := filepath.Join(dir, "培训学员名单.xlsx"), filepath.Join(dir, "签到表.xlsx")
	err := sheettest.Write(rp, sheettest.Sheet{Name: "学员名单", Rows: people + 2, Row: func(i int) []any {
		switch i {
		case 0:
			return []any{"商水县电子商务进农村培训学员名单"}
		case 1:
			return []any{"序号", "姓名", "性别", "身份证号码", "联系电话", "乡镇", "村", "学员类别", "是否建档立卡贫困户"}
		}
		k := i - 2
		return []any{k + 1, fmt.Sprintf("学员%06d", k), []string{"女", "男"}[ids[k][16]%2], ids[k], fmt.Sprintf("139%08d", k), "邓城镇", "王庄村", "农民", []string{"否", "是"}[k%10/9]}
	}})
	if err != nil {
		tb.Fatal(err)
	}
	halves := []string{"上午", "下午"}
	err = sheettest.Write(sp, sheettest.Sheet{Name: "签到记录", Rows: n + 1, Row: func(i int) []any {
		if i == 0 {
			return []any{"序号", "日期", "场次", "姓名", "身份证号码", "联系电话", "签到时间"}
		}
		k := i - 1
		s, p := k/people, k%people // session, person
		day := time.Date(2026, 3, 10+s/2, 0, 0, 0, 0, time.UTC)
		at := fmt.Sprintf("2026-03-%02d %02d:%02d", 10+s/2, 8+6*(s%2), k%60)
		row := []any{k + 1, day, halves[s%2], fmt.Sprintf("学员%06d", p), nil, nil, at}
		switch p % 4 {
		case 0, 1:
			row[4] = ids[p]
		case 2:
			row[5] = fmt.Sprintf("139%08d", p)
		}
		return row
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return yanshou.File{Rel: "培训学员名单.xlsx", Abs: rp}, yanshou.File{Rel: "签到表.xlsx", Abs: sp}
}

// BenchmarkSignIn100k reads a 25,000-trainee roster and a 100,000-row sign-in
// workbook and matches every row; it reports sign-in rows per second and the peak
// growth of the heap.
func BenchmarkSignIn100k(b *testing.B) {
	const n = 100000
	cfg := config.Default()
	r, s := bigClass(b, b.TempDir(), n)
	cl := class(cfg, "2026-03-10", "2026-03-11")
	var peak float64
	b.ResetTimer()
	for range b.N {
		peak = max(peak, sheettest.PeakHeapMB(func() {
			a := Read([]yanshou.File{r}, []yanshou.File{s}, nil, cl, cfg)
			if len(a.SignIns) != n || a.Trained() != n/4 || len(a.Sessions) != 4 || len(a.Problems) != 0 {
				b.Fatalf("sign-ins %d trained %d sessions %v problems %v", len(a.SignIns), a.Trained(), a.Sessions, a.Problems[:min(3, len(a.Problems))])
			}
		}))
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-MB")
}
