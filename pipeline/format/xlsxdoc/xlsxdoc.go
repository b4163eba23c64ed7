// Package xlsxdoc is the one xlsx writer of yanshou: every workbook it writes
// (考勤表, 台账, the blank workbooks institutions fill in) is built with it, as
// every PDF is set with pipeline/format/pdfdoc. It knows nothing of the domain.
//
// A Book wraps an excelize workbook and keeps the first error of any call, so
// that callers write straight-line code and check once: Err, or Save, which
// writes nothing after an error. It offers a style registry (Book.Style), sheets
// with a row cursor (Book.Sheet), rows of values with a style per column
// (Sheet.Put), banner rows merged across the table (Sheet.Banner), header rows
// (Sheet.Header) with frozen panes, print titles and auto-filters, column widths,
// page setup, document properties, and Save (replace in place) and SaveNew
// (never overwrite) through pipeline/platform/durable.
//
// Rows and columns are numbered from 1, as in Excel.
package xlsxdoc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/xuri/excelize/v2"

	"yanshou/pipeline/platform/durable"
)

// A4 is the paper size code of A4 in a sheet's page setup.
const A4 = 9

// Font is the workbook's default font: a CJK face every Chinese Office and WPS
// has, instead of excelize's Calibri.
const Font = "宋体"

// Book is a workbook being written. The zero value is not usable: call New.
//
// Every sheet is printable as it is made: A4 landscape, scaled to one page
// wide, the footer of the book (page numbers) on every page, and its header
// row (Sheet.Header) repeated at the top of each printed page. Sheet.Page
// changes the layout of one sheet.
type Book struct {
	// X is the excelize workbook, for what this package does not cover (data
	// validation, the active sheet); record the errors of such calls with Check.
	X *excelize.File
	// Footer is the printed footer of the sheets added after it is set, in
	// Excel's header/footer codes ("&C第 &P 页，共 &N 页"); "" prints none.
	Footer string
	name   string // the workbook's file name, for messages
	sheets int    // sheets added by Sheet
	link   int    // style of hyperlinks, made on first use
	err    error
}

// New starts an empty workbook whose default font is Font. name is its file
// name, put before every error message.
func New(name string) *Book {
	b := &Book{X: excelize.NewFile(), name: name}
	b.Check(b.X.SetDefaultFont(Font))
	return b
}

// Close releases the workbook's temporary files; call it when done (also after
// Save).
func (b *Book) Close() error { return b.X.Close() }

// Err is the first error of any call on the book or its sheets, prefixed with
// the file name (and the sheet's name), or nil.
func (b *Book) Err() error { return b.err }

// Check records err as the book's error when it is the first.
func (b *Book) Check(err error) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s：%w", b.name, err)
	}
}

// Style registers a cell style and returns its id (0 after an error). Identical
// specifications share an id; ids follow the order of registration.
func (b *Book) Style(spec *excelize.Style) int {
	if b.err != nil {
		return 0
	}
	id, err := b.X.NewStyle(spec)
	b.Check(err)
	return id
}

// Border is a thin border of colour (hex RGB, as "808080") on the four sides of a
// cell, for a Style.
func Border(colour string) []excelize.Border {
	return []excelize.Border{
		{Type: "left", Color: colour, Style: 1}, {Type: "right", Color: colour, Style: 1},
		{Type: "top", Color: colour, Style: 1}, {Type: "bottom", Color: colour, Style: 1},
	}
}

// Sheet adds a sheet named name, cols columns wide (the width of its banners and
// filters), and returns it. The first call renames the workbook's default sheet,
// so that the sheets are in the order they were added.
func (b *Book) Sheet(name string, cols int) *Sheet {
	s := &Sheet{b: b, Name: name, Cols: cols}
	if b.sheets == 0 {
		s.Check(b.X.SetSheetName(b.X.GetSheetName(0), name))
	} else {
		_, err := b.X.NewSheet(name)
		s.Check(err)
	}
	b.sheets++
	s.Page(Page{Landscape: true, Paper: A4, FitWidth: true})
	if b.Footer != "" {
		s.Check(b.X.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: b.Footer}))
	}
	return s
}

// Props sets the document properties (title, subject, author, keywords…).
func (b *Book) Props(p excelize.DocProperties) { b.Check(b.X.SetDocProps(&p)) }

// Save writes the workbook to path durably, replacing what was there. After an
// error on the book it writes nothing and returns that error; a failed write
// leaves path as it was and no temporary file.
func (b *Book) Save(path string) error {
	if b.err != nil {
		return b.err
	}
	return durable.Write(path, 0o644, b.writeTo)
}

// SaveNew is Save for a file that must never be replaced: when path exists it
// returns an error saying so (wrapping fs.ErrExist) and leaves it untouched.
func (b *Book) SaveNew(path string) error {
	if b.err != nil {
		return b.err
	}
	err := durable.WriteNew(path, 0o644, b.writeTo)
	if errors.Is(err, fs.ErrExist) {
		return existsError(path)
	}
	return err
}

func (b *Book) writeTo(w io.Writer) error {
	_, err := b.X.WriteTo(w)
	return err
}

// existsError is SaveNew's refusal to replace the file at its path.
type existsError string

func (e existsError) Error() string { return string(e) + " 已存在，未覆盖" }
func (e existsError) Unwrap() error { return fs.ErrExist }

// Cell is the name of the cell at col and row ("A1" for 1, 1).
func Cell(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// Col is the name of column n ("A" for 1).
func Col(n int) string {
	c, _ := excelize.ColumnNumberToName(n)
	return c
}

// Sheet is one sheet of a Book, written row by row from a cursor.
type Sheet struct {
	b    *Book
	Name string
	// Cols is the width of the table: banners are merged across it and Filter
	// covers it.
	Cols int
	// Row is the last row written by Put, Banner or Header (0 before the first);
	// set it, or Skip, to leave rows empty.
	Row int
	// HeaderRow is the row of the last Header (0 before the first).
	HeaderRow int
	titles    bool // print titles set
}

// Book is the workbook the sheet belongs to.
func (s *Sheet) Book() *Book { return s.b }

// Check records err as the book's error, naming the sheet, when it is the first.
func (s *Sheet) Check(err error) {
	if err != nil && s.b.err == nil {
		s.b.Check(fmt.Errorf("工作表 %s：%w", s.Name, err))
	}
}

// Skip leaves the next n rows empty.
func (s *Sheet) Skip(n int) { s.Row += n }

// Set writes v into the cell at col and row: a string as text, a number as a
// number, a time.Time as a date; nil and "" leave the cell as it is (a blank
// cell, not an empty string: counts and filters see nothing there).
func (s *Sheet) Set(col, row int, v any) {
	if v == nil || v == "" {
		return
	}
	s.Check(s.b.X.SetCellValue(s.Name, Cell(col, row), v))
}

// StyleRange gives every cell from (col1, row1) to (col2, row2) the style.
func (s *Sheet) StyleRange(col1, row1, col2, row2, style int) {
	s.Check(s.b.X.SetCellStyle(s.Name, Cell(col1, row1), Cell(col2, row2), style))
}

// Put writes values as the next row, from column 1 (a nil value leaves its cell
// empty); styles[i] applies to column i+1 and the last one to the columns after
// it. Without styles the cells keep theirs.
func (s *Sheet) Put(values []any, styles ...int) {
	s.Row++
	for i, v := range values {
		s.Set(i+1, s.Row, v)
		if len(styles) > 0 {
			s.StyleRange(i+1, s.Row, i+1, s.Row, styles[min(i, len(styles)-1)])
		}
	}
}

// Banner writes text as the next row, merged across the sheet's columns, in
// style; a height above 0 sets the row's height (points).
func (s *Sheet) Banner(text string, style int, height float64) {
	s.Row++
	last := max(s.Cols, 1)
	s.Check(s.b.X.SetCellStr(s.Name, Cell(1, s.Row), text))
	if last > 1 {
		s.Check(s.b.X.MergeCell(s.Name, Cell(1, s.Row), Cell(last, s.Row)))
	}
	s.StyleRange(1, s.Row, last, s.Row, style)
	if height > 0 {
		s.Height(s.Row, height)
	}
}

// Header writes the column names as the next row in style and makes it the
// table's header (HeaderRow), from which Filter starts.
func (s *Sheet) Header(cols []string, style int) {
	s.Row++
	if s.HeaderRow == 0 {
		s.PrintTitles(s.Row, s.Row) // the first header is printed atop every page
	}
	s.HeaderRow = s.Row
	for i, c := range cols {
		s.Check(s.b.X.SetCellStr(s.Name, Cell(i+1, s.Row), c))
	}
	if len(cols) > 0 {
		s.StyleRange(1, s.Row, len(cols), s.Row, style)
	}
}

// Link writes text into the cell at col and row as a link to target (a path
// relative to the workbook's folder, or a URL), underlined in blue.
func (s *Sheet) Link(col, row int, text, target string) {
	if text == "" || target == "" {
		return
	}
	b := s.b
	if b.link == 0 {
		b.link = b.Style(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"},
			Border: Border("999999"), Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	}
	cell := Cell(col, row)
	s.Check(b.X.SetCellStr(s.Name, cell, text))
	s.Check(b.X.SetCellHyperLink(s.Name, cell, target, "External"))
	s.StyleRange(col, row, col, row, b.link)
}

// Height sets the height of a row, in points.
func (s *Sheet) Height(row int, h float64) { s.Check(s.b.X.SetRowHeight(s.Name, row, h)) }

// Widths sets the widths of the columns from the first on, one by one (in
// characters); a width of 0 leaves its column as it is.
func (s *Sheet) Widths(ws ...float64) {
	for i, w := range ws {
		if w > 0 {
			s.ColWidth(i+1, i+1, w)
		}
	}
}

// ColWidth sets the width of the columns first to last, in characters.
func (s *Sheet) ColWidth(first, last int, w float64) {
	s.Check(s.b.X.SetColWidth(s.Name, Col(first), Col(last), w))
}

// ColStyle gives a whole column the style, also the cells written later.
func (s *Sheet) ColStyle(col, style int) {
	s.Check(s.b.X.SetColStyle(s.Name, Col(col), style))
}

// Pane names the pane that has the focus in a sheet with frozen rows or columns.
type Pane string

// The panes of Freeze. The usual one is BottomRight below frozen rows and right
// of frozen columns, BottomLeft below frozen rows only, TopRight right of frozen
// columns only.
const (
	BottomLeft  Pane = "bottomLeft"
	BottomRight Pane = "bottomRight"
	TopRight    Pane = "topRight"
)

// Freeze keeps the first cols columns and rows rows in view while scrolling.
// active is the pane with the focus; "" is the usual one.
func (s *Sheet) Freeze(cols, rows int, active Pane) {
	if active == "" {
		switch {
		case rows == 0:
			active = TopRight
		case cols == 0:
			active = BottomLeft
		default:
			active = BottomRight
		}
	}
	s.Check(s.b.X.SetPanes(s.Name, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows,
		TopLeftCell: Cell(cols+1, rows+1), ActivePane: string(active)}))
}

// PrintTitles prints rows first to last at the top of every printed page
// (Header sets its row; a later call replaces it).
func (s *Sheet) PrintTitles(first, last int) {
	if s.titles { // one set per sheet: the later call decides
		s.Check(s.b.X.DeleteDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.Name}))
	}
	s.titles = true
	name := strings.ReplaceAll(s.Name, "'", "''")
	s.Check(s.b.X.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: s.Name,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", name, first, last)}))
}

// Filter puts an auto-filter on the table, across the sheet's columns from the
// header row (HeaderRow, or row 1 without one) to lastRow.
func (s *Sheet) Filter(lastRow int) {
	top := max(s.HeaderRow, 1)
	s.Check(s.b.X.AutoFilter(s.Name, Cell(1, top)+":"+Cell(max(s.Cols, 1), max(lastRow, top)), nil))
}

// Page is a sheet's page setup for printing.
type Page struct {
	Landscape bool
	Paper     int  // paper size code (A4); 0 leaves the default
	FitWidth  bool // scale to the width of one page, as many pages down as needed
}

// Page sets up the sheet for printing.
func (s *Sheet) Page(p Page) {
	orient := "portrait"
	if p.Landscape {
		orient = "landscape"
	}
	opts := &excelize.PageLayoutOptions{Orientation: &orient}
	if p.Paper > 0 {
		opts.Size = &p.Paper
	}
	if p.FitWidth {
		fit, one, zero := true, 1, 0
		s.Check(s.b.X.SetSheetProps(s.Name, &excelize.SheetPropsOptions{FitToPage: &fit}))
		opts.FitToWidth, opts.FitToHeight = &one, &zero
	}
	s.Check(s.b.X.SetPageLayout(s.Name, opts))
}
