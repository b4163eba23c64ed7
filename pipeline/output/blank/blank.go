// Package blank writes the blank workbooks institutions fill in (yanshou template):
// 培训信息表.xlsx, 培训学员名单.xlsx, 签到表.xlsx and 电话回访记录.xlsx, from the
// specifications in templates/blank/*.yaml (a county may override them through the
// config's templates folder). The workbooks are made so that the readers take them
// back without surprises: ID and phone columns are text, dates are date cells, the
// headers are names the readers know, and the example row is marked 示例.
package blank

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"go.yaml.in/yaml/v3"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/pipeline/format/xlsxdoc"
	"yanshou/templates"
)

// Specs are the template files read, in the order the workbooks are written.
var Specs = []string{"blank/info.yaml", "blank/roster.yaml", "blank/signin.yaml", "blank/followup.yaml", "blank/plan.yaml"}

// Spec describes one blank workbook.
type Spec struct {
	File    string   `yaml:"file"`    // output file name
	Sheet   string   `yaml:"sheet"`   // the one sheet's name
	Title   string   `yaml:"title"`   // row 1, merged; {county} and {office} are replaced
	Note    string   `yaml:"note"`    // row 2, merged, wrapped
	Columns []Column `yaml:"columns"` // the header row (row 3)
	Example []string `yaml:"example"` // first data row, marked 示例 in its first cell
	Rows    int      `yaml:"rows"`    // data rows pre-formatted with borders and validation
	Items   []Item   `yaml:"items"`   // manifest items pre-filled under the first column
}

// Column is one column of a blank table.
type Column struct {
	Header   string   `yaml:"header"`
	Width    float64  `yaml:"width"`
	Format   string   `yaml:"format"`    // "", text, date, time, datetime, int
	List     []string `yaml:"list"`      // drop-down values (other values warn, not refuse)
	ListFrom string   `yaml:"list_from"` // categories: the drop-down is the 学员类别 of the sheet vocabulary
	Validate string   `yaml:"validate"`  // id: 18 characters
}

// Item is one pre-filled row of the manifest (项目 | 内容 | 填写说明).
type Item struct {
	Label    string   `yaml:"label"`
	Required bool     `yaml:"required"`
	Format   string   `yaml:"format"`
	List     []string `yaml:"list"`
	Hint     string   `yaml:"hint"`
}

// Load reads and checks the four specifications, honouring the override folder.
func Load(override string) ([]Spec, error) {
	var specs []Spec
	for _, name := range Specs {
		data, err := templates.ReadFile(override, name)
		if err != nil {
			return nil, fmt.Errorf("读取模板说明 %s 失败：%w", name, err)
		}
		var s Spec
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&s); err != nil {
			return nil, fmt.Errorf("模板说明 %s 格式错误：%w", name, err)
		}
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("模板说明 %s：%w", name, err)
		}
		for i, c := range s.Columns {
			if c.ListFrom == "categories" {
				// One vocabulary for the template and the statistics: the
				// categories a roster is counted by are the ones it offers.
				s.Columns[i].List = sheet.Categories()
			}
		}
		specs = append(specs, s)
	}
	return specs, nil
}

func (s *Spec) check() error {
	switch {
	case s.File == "" || filepath.Base(s.File) != s.File || !strings.HasSuffix(strings.ToLower(s.File), ".xlsx"):
		return fmt.Errorf("file 应为 .xlsx 文件名（不含路径），现为 %q", s.File)
	case s.Sheet == "":
		return errors.New("缺少 sheet")
	case len(s.Columns) == 0:
		return errors.New("缺少 columns")
	case len(s.Example) > len(s.Columns):
		return errors.New("example 比 columns 多")
	case s.Rows < 0 || s.Rows > 10000:
		return fmt.Errorf("rows %d 应在 0–10000 之间", s.Rows)
	}
	for _, c := range s.Columns {
		switch c.Format {
		case "", "text", "date", "time", "datetime", "int":
		default:
			return fmt.Errorf("列「%s」的 format %q 未知", c.Header, c.Format)
		}
		switch {
		case c.ListFrom != "" && c.ListFrom != "categories":
			return fmt.Errorf("列「%s」的 list_from %q 未知（可用：categories）", c.Header, c.ListFrom)
		case c.ListFrom != "" && len(c.List) > 0:
			return fmt.Errorf("列「%s」不能同时给出 list 和 list_from", c.Header)
		}
	}
	return nil
}

// Write writes 培训信息表.xlsx, 培训学员名单.xlsx, 签到表.xlsx, 电话回访记录.xlsx into
// dir (never overwriting an existing file: return an error naming it), from the
// specs in templates/blank/*.yaml (override folder from cfg.Templates).
func Write(dir string, cfg *yanshou.Config) ([]string, error) {
	specs, err := Load(cfg.Templates)
	if err != nil {
		return nil, err
	}
	for _, s := range specs {
		p := filepath.Join(dir, s.File)
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%s 已存在，未覆盖；请换一个文件夹，或先移走该文件", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("无法检查 %s：%w", p, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建文件夹 %s：%w", dir, err)
	}
	var written []string
	for _, s := range specs {
		p := filepath.Join(dir, s.File)
		b := render(s, cfg)
		err := b.SaveNew(p)
		b.Close()
		if err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

// styles are the cell styles of one workbook.
type styles struct {
	title, note, header, hint int
	label, labelReq           int
	body, example             map[string]int // by column format
}

const (
	headerRow = 3 // title, note, header
	fontName  = "宋体"
)

func newStyles(b *xlsxdoc.Book) *styles {
	st := &styles{body: map[string]int{}, example: map[string]int{}}
	border := xlsxdoc.Border("808080")
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	st.title = b.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: fontName}, Alignment: center})
	st.note = b.Style(&excelize.Style{Font: &excelize.Font{Size: 10, Family: fontName, Color: "595959"},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	st.header = b.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: fontName}, Alignment: center, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	st.hint = b.Style(&excelize.Style{Font: &excelize.Font{Size: 10, Family: fontName, Color: "7F7F7F"}, Border: border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	st.label = b.Style(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, Border: border,
		Alignment: &excelize.Alignment{Vertical: "center"}})
	st.labelReq = b.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: fontName}, Border: border,
		Alignment: &excelize.Alignment{Vertical: "center"}})
	for _, format := range []string{"", "text", "date", "time", "datetime", "int"} {
		base := excelize.Style{Font: &excelize.Font{Size: 11, Family: fontName}, Border: border,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: format == ""}}
		switch format {
		case "text":
			base.NumFmt = 49 // @
		case "date":
			base.CustomNumFmt = ptr("yyyy-mm-dd")
		case "time":
			base.CustomNumFmt = ptr("hh:mm")
		case "datetime":
			base.CustomNumFmt = ptr("yyyy-mm-dd hh:mm")
		case "int":
			base.NumFmt = 1 // 0
		}
		st.body[format] = b.Style(&base)
		ex := base
		ex.Font = &excelize.Font{Size: 11, Family: fontName, Italic: true, Color: "808080"}
		st.example[format] = b.Style(&ex)
	}
	return st
}

func ptr[T any](v T) *T { return &v }

// render builds one workbook from its spec; errors are the book's (see
// xlsxdoc.Book.Err).
func render(s Spec, cfg *yanshou.Config) *xlsxdoc.Book {
	b := xlsxdoc.New(s.File)
	footer, err := templates.WorkbookFooter(cfg.Templates)
	b.Check(err)
	b.Footer = footer
	ncol := len(s.Columns)
	sh := b.Sheet(s.Sheet, ncol)
	st := newStyles(b)
	repl := strings.NewReplacer("{county}", cfg.County, "{office}", cfg.Office)
	// Columns: width, the format of every cell (also beyond the prepared rows), header.
	for i, c := range s.Columns {
		if c.Width > 0 {
			sh.ColWidth(i+1, i+1, c.Width)
		}
		if c.Format != "" {
			sh.ColStyle(i+1, st.body[c.Format])
		}
	}
	// Title and note.
	sh.Banner(repl.Replace(s.Title), st.title, 30)
	note := repl.Replace(s.Note)
	sh.Banner(note, st.note, noteHeight(note, s.Columns))
	headers := make([]string, ncol)
	for i, c := range s.Columns {
		headers[i] = c.Header
	}
	sh.Header(headers, st.header)
	sh.Height(headerRow, 24)
	first := headerRow + 1
	if len(s.Items) > 0 {
		renderItems(sh, st, s)
	} else {
		lastRow := first + max(s.Rows, 1) - 1
		for i, c := range s.Columns {
			sh.StyleRange(i+1, first, i+1, lastRow, st.body[c.Format])
			validate(sh, fmt.Sprintf("%s%d:%s%d", xlsxdoc.Col(i+1), first, xlsxdoc.Col(i+1), lastRow), c.Format, c.List, c.Validate)
		}
		if len(s.Example) > 0 {
			renderExample(sh, st, s)
		}
	}
	// Freeze the header, print the title rows on every page, fit the width.
	sh.Freeze(0, headerRow, "")
	sh.PrintTitles(1, headerRow)
	sh.Page(xlsxdoc.Page{Landscape: ncol > 6, Paper: xlsxdoc.A4, FitWidth: true})
	b.Props(excelize.DocProperties{Title: repl.Replace(s.Title), Creator: cfg.Office, Description: "yanshou template"})
	return b
}

// renderItems fills the manifest's 项目 column, the format and validation of each
// 内容 cell and the 填写说明 column, from the row after the header on.
func renderItems(sh *xlsxdoc.Sheet, st *styles, s Spec) {
	for _, it := range s.Items {
		label, style := it.Label, st.label
		if it.Required {
			label, style = it.Label+" *", st.labelReq
		}
		vals := make([]any, max(2, len(s.Columns))) // 项目 | 内容 | 填写说明…
		vals[0] = label
		if len(s.Columns) > 2 && it.Hint != "" {
			vals[2] = it.Hint
		}
		sh.Put(vals, style, st.body[it.Format], st.hint)
		validate(sh, xlsxdoc.Cell(2, sh.Row), it.Format, it.List, "")
		height := 22.0
		if len(s.Columns) > 2 {
			height = max(height, noteHeight(it.Hint, s.Columns[2:3])+4)
		}
		sh.Height(sh.Row, height)
	}
}

// renderExample writes the example row, marked 示例, in grey italics, after the
// header.
func renderExample(sh *xlsxdoc.Sheet, st *styles, s Spec) {
	vals := make([]any, len(s.Columns))
	styles := make([]int, len(s.Columns))
	for i, c := range s.Columns {
		styles[i] = st.example[c.Format]
		if i >= len(s.Example) || s.Example[i] == "" {
			continue
		}
		v := s.Example[i]
		if i == 0 {
			v = "示例"
		}
		vals[i] = exampleValue(v, c.Format)
	}
	sh.Put(vals, styles...)
}

// exampleValue gives an example the cell type its column expects: an Excel serial
// (shown by the column's date or time format) for dates and times, text for text.
func exampleValue(v, format string) any {
	switch format {
	case "date", "datetime", "time":
		if w, err := sheet.ParseWhen(v, time.UTC, 0); err == nil {
			day := float64(w.Time.Hour()*3600+w.Time.Minute()*60+w.Time.Second()) / 86400
			if w.HasDate {
				day += float64(w.Date().Sub(excelEpoch).Hours() / 24)
			}
			return day
		}
	}
	return v
}

// excelEpoch is day 0 of Excel's 1900 date system (as corrected for its 1900 leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// validate adds data validation to a range: drop-down lists (warning only, other
// values allowed), dates within 2000–2099, whole numbers, and 18 characters for IDs.
func validate(sh *xlsxdoc.Sheet, sqref, format string, list []string, rule string) {
	dv := excelize.NewDataValidation(true)
	var err error
	switch {
	case len(list) > 0:
		err = dv.SetDropList(list)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "请从下拉列表中选择", "该值不在下拉列表中，确定要使用吗？")
	case rule == "id":
		err = dv.SetRange(18, 18, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "身份证号码应为18位", "身份证号码应为18位（末位可为X），请核对。")
		dv.SetInput("身份证号码", "18位，末位可为X；本列为文本格式，请勿改为数字格式。")
	case format == "date":
		err = dv.SetRange(36526, 73050, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "请填写日期", "请填写日期，如 2026-03-10。")
	case format == "int":
		err = dv.SetRange(0, 100000, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleWarning, "请填写数字", "请填写整数。")
	default:
		return
	}
	if err != nil {
		sh.Check(err)
		return
	}
	dv.Sqref = sqref
	sh.Check(sh.Book().X.AddDataValidation(sh.Name, dv))
}

// noteHeight estimates the row height the wrapped note needs across the columns.
func noteHeight(note string, cols []Column) float64 {
	width := 0.0
	for _, c := range cols {
		w := c.Width
		if w <= 0 {
			w = 9
		}
		width += w
	}
	lines := 0
	for _, l := range strings.Split(note, "\n") {
		n := 0.0
		for _, r := range l {
			if r < 0x80 {
				n++
			} else {
				n += 2 // a CJK character is about two columns wide
			}
		}
		lines += max(1, int(n/width)+1)
	}
	return float64(lines)*14 + 6
}
