package sheet

import (
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou/pipeline/platform/config"
)

// BenchmarkOpen10k reads a 10,000-row, 10-column sheet with a date column.
func BenchmarkOpen10k(b *testing.B) {
	dir := b.TempDir()
	p := build(b, dir, "big.xlsx", func(f *excelize.File) {
		sw, _ := f.NewStreamWriter("Sheet1")
		ds, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		sw.SetRow("A1", []any{"序号", "姓名", "身份证号码", "联系电话", "性别", "乡镇", "村", "学员类别", "是否建档立卡贫困户", "日期"})
		for r := 2; r <= 10001; r++ {
			c, _ := excelize.CoordinatesToCellName(1, r)
			sw.SetRow(c, []any{r - 1, fmt.Sprintf("学员%d", r), fmt.Sprintf("41162319900101%04d", r), 13800000000 + r, "男", "邓城镇", "王庄村", "农民", "否",
				excelize.Cell{StyleID: ds, Value: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}})
		}
		sw.Flush()
	})
	cfg := config.Default()
	b.ResetTimer()
	for range b.N {
		book, probs := Open(p, "big.xlsx", cfg)
		if len(probs) > 0 || len(book.Tables[0].Rows) != 10001 || !book.Tables[0].IsDate(500, 9) {
			b.Fatalf("bad read: %v", probs)
		}
	}
}
