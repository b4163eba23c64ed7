package sample

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"
)

// book wraps an excelize workbook with the few styles the sample uses.
type book struct {
	f                              *excelize.File
	title, header, text, body, num int
	sheet                          string
}

// newBook starts a workbook whose first sheet is called sheet.
func newBook(sheet string) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, sheet: sheet}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	text := "@"
	var err error
	styles := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&b.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"}, Alignment: center}},
		{&b.header, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: "宋体"}, Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}},
		{&b.text, &excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Border: border, CustomNumFmt: &text}},
		{&b.body, &excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&b.num, &excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, Border: border, Alignment: center}},
	}
	for _, s := range styles {
		if *s.dst, err = f.NewStyle(s.s); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// titleRow writes a merged title across cols columns of a row.
func (b *book) titleRow(sheet string, row, cols int, s string, height float64) error {
	f := b.f
	if err := f.SetCellStr(sheet, cell(1, row), s); err != nil {
		return err
	}
	if cols > 1 {
		if err := f.MergeCell(sheet, cell(1, row), cell(cols, row)); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, cell(1, row), cell(cols, row), b.title); err != nil {
		return err
	}
	return f.SetRowHeight(sheet, row, height)
}

// note writes a merged, plain line (e.g. 填报单位) across cols columns.
func (b *book) note(sheet string, row, cols int, s string) error {
	if err := b.f.SetCellStr(sheet, cell(1, row), s); err != nil {
		return err
	}
	return b.f.MergeCell(sheet, cell(1, row), cell(cols, row))
}

// rows writes a header and string rows from (1, first); text columns are stored
// as text cells, number columns as numbers.
func (b *book) rows(sheet string, first int, header []string, widths []float64, data [][]any) error {
	f := b.f
	for i, h := range header {
		if err := f.SetCellStr(sheet, cell(i+1, first), h); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, colName(i+1), colName(i+1), widths[i]); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, cell(1, first), cell(len(header), first), b.header); err != nil {
		return err
	}
	for r, row := range data {
		for i, v := range row {
			ref := cell(i+1, first+1+r)
			var err error
			switch v := v.(type) {
			case int:
				err = f.SetCellInt(sheet, ref, int64(v))
				if err == nil {
					err = f.SetCellStyle(sheet, ref, ref, b.num)
				}
			case string:
				err = f.SetCellStr(sheet, ref, v)
				if err == nil {
					err = f.SetCellStyle(sheet, ref, ref, b.text)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// bytes finishes the workbook with fixed document properties.
func (b *book) bytes(author, title string, created time.Time) ([]byte, error) {
	defer b.f.Close()
	ts := created.UTC().Format("2006-01-02T15:04:05Z")
	if err := b.f.SetDocProps(&excelize.DocProperties{Creator: author, LastModifiedBy: author, Title: title,
		Created: ts, Modified: ts}); err != nil {
		return nil, err
	}
	if err := b.f.SetAppProps(&excelize.AppProperties{Application: "Microsoft Excel", AppVersion: "16.0300",
		DocSecurity: 0}); err != nil {
		return nil, err
	}
	b.f.SetActiveSheet(0)
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// excelSerial is the Excel (1900 system) serial number of a day.
func excelSerial(t time.Time) float64 {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return float64(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// manifestXLSX is 培训信息表: the 项目 | 内容 sheet of DESIGN.md.
func manifestXLSX(c *class) ([]byte, error) {
	b, err := newBook("培训信息表")
	if err != nil {
		return nil, err
	}
	f, sh := b.f, b.sheet
	if err := b.titleRow(sh, 1, 2, "电子商务培训信息表", 30); err != nil {
		return nil, err
	}
	type item struct {
		key string
		val any // string, int or time.Time (a date)
		fmt int // for dates: 14 (built-in m/d/yy) or 0 (custom yyyy-mm-dd)
	}
	date := func(t time.Time, builtin bool) any {
		switch c.Inst.Style {
		case styleFlat:
			return cn(t)
		case styleMixed:
			if builtin {
				return t.Format("2006/1/2")
			}
			return t.Format("2006.1.2")
		}
		return t
	}
	items := []item{
		{"培训机构", c.Inst.Name, 0},
		{"培训名称", c.Inst.Title, 0},
		{"期次", fmt.Sprintf("第%d期", c.No), 0},
		{"开始日期", date(c.StartT, true), 14},
		{"结束日期", date(c.EndT, true), 14},
		{"培训地点", c.Venue, 0},
	}
	if c.Address != "" {
		items = append(items, item{"地点坐标", fmt.Sprintf("%.5f,%.5f", c.Coords.Lat, c.Coords.Lon), 0})
	}
	items = append(items,
		item{"申请日期", date(c.AppliedT, false), 0},
		item{"批复文号", c.ApprovalNo, 0},
		item{"批复日期", date(c.TypedT, false), 0},
		item{"计划人数", len(c.Roster), 0},
		item{"授课教师", c.teacherList(), 0},
		item{"联系人", c.Inst.Contact, 0},
		item{"联系电话", c.Inst.Tel, 0},
	)
	if err := b.rows(sh, 2, []string{"项目", "内容"}, []float64{16, 60}, nil); err != nil {
		return nil, err
	}
	custom := "yyyy-mm-dd"
	dateStyles := map[int]int{}
	for _, n := range []int{14, 0} {
		s := &excelize.Style{Font: &excelize.Font{Size: 11, Family: "宋体"}, NumFmt: n,
			Alignment: &excelize.Alignment{Horizontal: "left"},
			Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
				{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}}
		if n == 0 {
			s.CustomNumFmt = &custom
		}
		if dateStyles[n], err = f.NewStyle(s); err != nil {
			return nil, err
		}
	}
	for i, it := range items {
		row := 3 + i
		k, v := cell(1, row), cell(2, row)
		if err := f.SetCellStr(sh, k, it.key); err != nil {
			return nil, err
		}
		style := b.body
		switch val := it.val.(type) {
		case string:
			err = f.SetCellStr(sh, v, val)
		case int:
			err = f.SetCellInt(sh, v, int64(val))
		case time.Time:
			err = f.SetCellFloat(sh, v, excelSerial(val), -1, 64)
			style = dateStyles[it.fmt]
		}
		if err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, k, k, b.header); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sh, v, v, style); err != nil {
			return nil, err
		}
	}
	return b.bytes(c.Inst.Author, "电子商务培训信息表", at(c.AppliedT, 9, 30))
}

// rosterXLSX is 培训学员名单: a title, sometimes a note row, then the trainees.
func rosterXLSX(c *class) ([]byte, error) {
	b, err := newBook("学员名单")
	if err != nil {
		return nil, err
	}
	idCol := "身份证号码"
	if c.Inst.Style == styleMixed {
		idCol = "身份证号"
	}
	header := []string{"序号", "姓名", "性别", idCol, "联系电话", "乡镇", "村", "学员类别", "是否建档立卡贫困户"}
	widths := []float64{6, 10, 6, 22, 14, 12, 12, 18, 20}
	if err := b.titleRow(b.sheet, 1, len(header), fmt.Sprintf("%s%s学员名单", c.Inst.Name, c.className()), 32); err != nil {
		return nil, err
	}
	first := 2
	switch c.Inst.Style {
	case styleFlat:
		err = b.note(b.sheet, 2, len(header), "培训时间："+c.span()+"　　培训地点："+c.Venue)
		first = 3
	case styleMixed:
		err = b.note(b.sheet, 2, len(header), "填报单位："+c.Inst.Name+"（盖章）　　填报日期："+cn(c.AppliedT))
		first = 3
	}
	if err != nil {
		return nil, err
	}
	var data [][]any
	for i, p := range c.Roster {
		poor := "否"
		if p.Poor {
			poor = "是"
		}
		data = append(data, []any{i + 1, p.Name, p.Gender(), p.ID, p.Phone, p.Town, p.Village, p.Category, poor})
	}
	if err := b.rows(b.sheet, first, header, widths, data); err != nil {
		return nil, err
	}
	return b.bytes(c.Inst.Author, "学员名单", at(c.AppliedT, 9, 10))
}

// signer is one line of a sign-in sheet.
type signer struct {
	p    person
	time string
}

// signers returns who signed a session, in the order they arrived, with times.
func (c *class) signers(s int, rng *rand.Rand) []signer {
	var ps []person
	for i, p := range c.Roster {
		if c.Attend[i][s] {
			ps = append(ps, p)
		}
	}
	ps = append(ps, c.Walkers...)
	rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
	start := 7*60 + 48
	if c.Sessions[s].Half == "下午" {
		start = 13*60 + 28
	}
	mins := make([]int, len(ps))
	for i := range mins {
		mins[i] = start + rng.IntN(40)
	}
	sort.Ints(mins)
	out := make([]signer, len(ps))
	for i, p := range ps {
		out[i] = signer{p, fmt.Sprintf("%02d:%02d", mins[i]/60, mins[i]%60)}
	}
	return out
}

// signInXLSX is 签到表: one sheet per session (with ID or phone), or one sheet with
// 日期 and 场次 columns.
func signInXLSX(c *class, rng *rand.Rand) ([]byte, error) {
	var b *book
	var err error
	switch c.Inst.Style {
	case styleFlat:
		if b, err = newBook("签到表"); err != nil {
			return nil, err
		}
		header := []string{"序号", "日期", "场次", "姓名", "联系电话", "签到时间"}
		if err := b.titleRow(b.sheet, 1, len(header), c.className()+"学员签到表", 30); err != nil {
			return nil, err
		}
		var data [][]any
		for s, ses := range c.Sessions {
			for _, sg := range c.signers(s, rng) {
				data = append(data, []any{len(data) + 1, ses.Day.Format("2006-01-02"), ses.Half, sg.p.Name, sg.p.Phone, sg.time})
			}
		}
		if err := b.rows(b.sheet, 2, header, []float64{6, 12, 8, 10, 14, 10}, data); err != nil {
			return nil, err
		}
	default:
		for s, ses := range c.Sessions {
			if s == 0 {
				b, err = newBook(ses.Label())
			} else {
				_, err = b.f.NewSheet(ses.Label())
			}
			if err != nil {
				return nil, err
			}
			header := []string{"序号", "姓名", "身份证号码", "签到时间", "备注"}
			widths := []float64{6, 10, 22, 10, 12}
			if c.Inst.Style == styleMixed {
				header = []string{"序号", "姓名", "联系电话", "签到时间"}
				widths = []float64{6, 10, 14, 10}
			}
			title := fmt.Sprintf("%s签到表（%s）", c.className(), ses.Label())
			if err := b.titleRow(ses.Label(), 1, len(header), title, 28); err != nil {
				return nil, err
			}
			var data [][]any
			for _, sg := range c.signers(s, rng) {
				row := []any{len(data) + 1, sg.p.Name}
				if c.Inst.Style == styleMixed {
					row = append(row, sg.p.Phone, sg.time)
				} else {
					row = append(row, sg.p.ID, sg.time, "")
				}
				data = append(data, row)
			}
			if err := b.rows(ses.Label(), 2, header, widths, data); err != nil {
				return nil, err
			}
		}
	}
	return b.bytes(c.Inst.Author, "签到表", at(c.EndT, 17, 40))
}

// followUpXLSX is 电话回访记录.
func followUpXLSX(c *class) ([]byte, error) {
	b, err := newBook("回访记录")
	if err != nil {
		return nil, err
	}
	header := []string{"序号", "回访时间", "姓名", "联系电话", "回访情况", "回访人"}
	if err := b.titleRow(b.sheet, 1, len(header), c.className()+"学员电话回访记录", 30); err != nil {
		return nil, err
	}
	var data [][]any
	for i, call := range c.Calls {
		p := c.Roster[call.Trainee]
		data = append(data, []any{i + 1, call.At.Format("2006-01-02 15:04"), p.Name, p.Phone, call.Note, c.Inst.Contact})
	}
	if err := b.rows(b.sheet, 2, header, []float64{6, 18, 10, 14, 48, 10}, data); err != nil {
		return nil, err
	}
	last := c.EndT
	if n := len(c.Calls); n > 0 {
		last = c.Calls[n-1].At
	}
	return b.bytes(c.Inst.Author, "电话回访记录", last.Add(30*time.Minute))
}
