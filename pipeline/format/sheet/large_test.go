package sheet

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sheettest"
)

// signInRow is row i of a QR sign-in export: a header, then one row per sign-in.
func signInRow(i int) []any {
	if i == 0 {
		return []any{"序号", "日期", "场次", "姓名", "身份证号码", "联系电话", "签到时间"}
	}
	return []any{i, time.Date(2026, 3, 10+i%2, 0, 0, 0, 0, time.UTC), "上午", fmt.Sprintf("学员%06d", i%25000),
		fmt.Sprintf("411623199%09d", i), fmt.Sprintf("139%08d", i), "08:30"}
}

// Sheets far beyond the limit are refused quickly, however their size is (or is
// not) declared; a workbook's sheets together stay within the book limit; and a
// 100,000-row sheet within the default limits is read whole, with its memory
// proportional to what it holds.
func TestLargeSheets(t *testing.T) {
	if testing.Short() {
		t.Skip("writes workbooks of up to a million rows")
	}
	cfg := config.Default()
	dir := t.TempDir()
	small := sheettest.Sheet{Name: "说明", Rows: 2, Row: func(i int) []any { return []any{"姓名", "甲"} }}
	million := func(dim string) sheettest.Sheet {
		return sheettest.Sheet{Name: "签到", Rows: 1000000, Dimension: dim, Row: func(i int) []any { return []any{i, 13900000000 + i, 20260310} }}
	}
	tests := []struct {
		name    string
		sheets  []sheettest.Sheet
		book    int    // MaxBookRows; 0: the default
		tables  string // names of the tables read
		problem string
		maxMB   uint64 // allocated while opening: a sheet refused is never read whole
	}{
		{"1,000,000 rows declared", []sheettest.Sheet{small, million("")}, 0, "说明", "工作表「签到」声明有 1000000 行，超过上限 200000 行", 64},
		{"1,000,000 rows, no dimension", []sheettest.Sheet{million("-"), small}, 0, "说明", "工作表「签到」超过 200000 行，未读取", 200},
		{"1,000,000 rows, dimension understated", []sheettest.Sheet{million("A1:C10"), small}, 0, "说明", "工作表「签到」超过 200000 行，未读取", 200},
		{"sheets past the book limit", []sheettest.Sheet{
			{Name: "第1场", Rows: 400, Row: signInRow}, {Name: "第2场", Rows: 400, Row: signInRow},
			{Name: "第3场", Rows: 400, Row: signInRow}, small}, 1000,
			"第1场,第2场,说明", "工作表「第3场」未读取：连同前面的工作表超过本工作簿 1000 行的上限", 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".xlsx")
			if err := sheettest.Write(p, tt.sheets...); err != nil {
				t.Fatal(err)
			}
			c := *cfg
			if tt.book > 0 {
				c.Thresholds.MaxBookRows = tt.book
			}
			before := totalAlloc()
			b, probs := Open(p, "签到表.xlsx", &c)
			allocMB := (totalAlloc() - before) >> 20
			if b == nil {
				t.Fatalf("nil book: %s", details(probs))
			}
			var names []string
			for _, tb := range b.Tables {
				names = append(names, tb.Sheet)
			}
			if got := strings.Join(names, ","); got != tt.tables {
				t.Errorf("tables read = %s, want %s", got, tt.tables)
			}
			if len(probs) != 1 || !strings.Contains(probs[0].Detail, tt.problem) || probs[0].File != "签到表.xlsx" {
				t.Errorf("problems = %s, want one with %q", details(probs), tt.problem)
			}
			if allocMB > tt.maxMB {
				t.Errorf("opening allocated %d MB, want at most %d MB", allocMB, tt.maxMB)
			}
			t.Logf("%d MB allocated", allocMB)
		})
	}
	t.Run("100,000 rows are read", func(t *testing.T) {
		p := filepath.Join(dir, "100k.xlsx")
		if err := sheettest.Write(p, sheettest.Sheet{Name: "签到记录", Rows: 100001, Row: signInRow}); err != nil {
			t.Fatal(err)
		}
		var b *Book
		var probs []yanshou.Evidence
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		before := m.HeapAlloc
		start := time.Now()
		grew := sheettest.PeakHeapMB(func() { b, probs = Open(p, "签到表.xlsx", cfg) })
		took := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&m)
		kept := float64(m.HeapAlloc-before) / (1 << 20)
		if len(probs) != 0 || len(b.Tables) != 1 {
			t.Fatalf("problems: %s", details(probs))
		}
		tb := b.Tables[0]
		if len(tb.Rows) != 100001 || tb.Cell(100000, 4) != "411623199000100000" || !tb.IsDate(100000, 1) || tb.IsDate(100000, 0) {
			t.Fatalf("rows %d, last %q", len(tb.Rows), tb.Rows[len(tb.Rows)-1])
		}
		// The table itself holds 700,000 short strings (about 30 MB). While reading,
		// excelize also holds the workbook's shared strings (225,000 here, about 50
		// MB in its structures); the sheet's XML is streamed, never held.
		if kept > 64 || grew > 256 {
			t.Errorf("heap: %.0f MB kept, %.0f MB at the peak, reading 100,000 rows", kept, grew)
		}
		t.Logf("100,000 rows in %v (%.0f rows/s): heap %.0f MB kept, %.0f MB at the peak", took, 100001/took.Seconds(), kept, grew)
	})
}

// totalAlloc is the bytes allocated by the process so far: tests bound the work
// a refused sheet costs by what it allocates, never by wall-clock time.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// BenchmarkOpen100k reads a 100,000-row sign-in export (7 columns, shared strings
// as Excel saves them, a date column); it reports rows per second and the peak
// growth of the live heap.
func BenchmarkOpen100k(b *testing.B) {
	p := filepath.Join(b.TempDir(), "100k.xlsx")
	if err := sheettest.Write(p, sheettest.Sheet{Name: "签到记录", Rows: 100001, Row: signInRow}); err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	var peak float64
	b.ResetTimer()
	for range b.N {
		peak = max(peak, sheettest.PeakHeapMB(func() {
			book, probs := Open(p, "签到表.xlsx", cfg)
			if len(probs) > 0 || len(book.Tables[0].Rows) != 100001 {
				b.Fatalf("bad read: %v", probs)
			}
		}))
	}
	b.ReportMetric(100001*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-MB")
}
