package xlsxdoc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// styleIDs are the styles the test workbook registers.
type styleIDs struct{ title, header, body, red, same int }

// testBook writes a workbook with every feature of the package into dir.
func testBook(t *testing.T, dir string) (string, styleIDs) {
	t.Helper()
	b := New("测试.xlsx")
	defer b.Close()
	border := Border("808080")
	st := styleIDs{
		title:  b.Style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center"}}),
		header: b.Style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E4E4E4"}}}),
		body:   b.Style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		red:    b.Style(&excelize.Style{Border: border, Font: &excelize.Font{Color: "C00000"}}),
		same:   b.Style(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
	}
	b.Footer = "&C第 &P 页，共 &N 页"
	s := b.Sheet("名单", 4)
	s.Banner("某某培训班 名单", st.title, 26)
	s.Header([]string{"序号", "姓名", "身份证号码", "备注"}, st.header)
	s.Freeze(1, s.Row, "")
	s.PrintTitles(s.Row, s.Row)
	s.Put([]any{1, "王小明", "411623199001011234", nil}, st.body, st.body, st.body, st.red)
	s.Put([]any{2, "李二妮", 3.5}, st.body)
	s.Skip(1)
	s.Banner("合计 2 人", st.body, 0)
	s.Widths(6, 0, 21, 30)
	s.Filter(s.Row - 2)
	s.Page(Page{Landscape: true, Paper: A4, FitWidth: true})
	o := b.Sheet("O'Brien", 1)
	o.Banner("一列", st.title, 0)
	o.Header([]string{"说明"}, st.header)
	o.Freeze(0, o.Row, "")
	o.PrintTitles(1, o.Row)
	o.ColWidth(1, 3, 14)
	o.Page(Page{Paper: A4})
	// A sheet with nothing but a header is printable as it is.
	d := b.Sheet("默认", 3)
	d.Header([]string{"班次", "备注", "验收报告"}, st.header)
	d.Put([]any{"第1期", ""}, st.body)
	d.Link(3, d.Row, "某校_第1期_v1/验收报告.pdf", "某校_第1期_v1/验收报告.pdf")
	b.Props(excelize.DocProperties{Title: "测试标题", Creator: "商水县电子商务办公室", Keywords: "编号 v1"})
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "测试.xlsx")
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	return path, st
}

func TestBook(t *testing.T) {
	path, st := testBook(t, t.TempDir())
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell := func(sheet, ref string) string {
		v, _ := f.GetCellValue(sheet, ref)
		return v
	}
	style := func(sheet, ref string) int {
		v, _ := f.GetCellStyle(sheet, ref)
		return v
	}
	width := func(sheet, col string) string {
		v, _ := f.GetColWidth(sheet, col)
		return fmt.Sprint(v)
	}
	panes := func(sheet string) string {
		p, _ := f.GetPanes(sheet)
		return fmt.Sprintf("%v %d %d %s %s", p.Freeze, p.XSplit, p.YSplit, p.TopLeftCell, p.ActivePane)
	}
	merged := func(sheet string) string {
		m, _ := f.GetMergeCells(sheet)
		var refs []string
		for _, c := range m {
			refs = append(refs, c.GetStartAxis()+":"+c.GetEndAxis())
		}
		return strings.Join(refs, ",")
	}
	defined := func(name, scope string) string {
		for _, d := range f.GetDefinedName() {
			if d.Name == name && d.Scope == scope {
				return d.RefersTo
			}
		}
		return ""
	}
	font := func(id int) string {
		s, err := f.GetStyle(id)
		if err != nil || s.Font == nil {
			return fmt.Sprint(err)
		}
		return fmt.Sprintf("bold=%v size=%v colour=%s", s.Font.Bold, s.Font.Size, s.Font.Color)
	}
	layout, _ := f.GetPageLayout("名单")
	layout2, _ := f.GetPageLayout("O'Brien")
	sheetProps, _ := f.GetSheetProps("名单")
	props, _ := f.GetDocProps()
	layout3, _ := f.GetPageLayout("默认")
	props3, _ := f.GetSheetProps("默认")
	footer, _ := f.GetHeaderFooter("默认")
	emptyType, _ := f.GetCellType("默认", "B2")
	isLink, target, _ := f.GetCellHyperLink("默认", "C2")
	defaultFont, _ := f.GetDefaultFont()
	rows, _ := f.GetRows("名单")
	tests := []struct{ name, got, want string }{
		{"sheets in the order added", strings.Join(f.GetSheetList(), ","), "名单,O'Brien,默认"},
		{"banner text", cell("名单", "A1"), "某某培训班 名单"},
		{"banner merged across the columns; one column is not merged", merged("名单") + "|" + merged("O'Brien"), "A1:D1,A6:D6|"},
		{"banner style on every merged cell", fmt.Sprint(style("名单", "A1"), style("名单", "D1")), fmt.Sprint(st.title, st.title)},
		{"banner height", fmt.Sprint(must(f.GetRowHeight("名单", 1))), "26"},
		{"header", strings.Join(rows[1], "|"), "序号|姓名|身份证号码|备注"},
		{"header style", fmt.Sprint(style("名单", "D2")), fmt.Sprint(st.header)},
		{"text stays text", cell("名单", "C3"), "411623199001011234"},
		{"numbers", cell("名单", "A4") + " " + cell("名单", "C4"), "2 3.5"},
		{"a style per column, the last repeated", fmt.Sprint(style("名单", "A3"), style("名单", "C3"), style("名单", "D3"), style("名单", "C4")),
			fmt.Sprint(st.body, st.body, st.red, st.body)},
		{"nil leaves the cell empty, styled", fmt.Sprintf("%q %d", cell("名单", "D3"), style("名单", "D3")), fmt.Sprintf("%q %d", "", st.red)},
		{"skipped row empty", fmt.Sprint(len(rows[4])), "0"},
		{"identical styles share an id", fmt.Sprint(st.same), fmt.Sprint(st.body)},
		{"style font", font(st.title) + "; " + font(st.red), "bold=true size=14 colour=; bold=false size=0 colour=C00000"},
		{"widths; 0 leaves the default", width("名单", "A") + " " + width("名单", "B") + " " + width("名单", "C") + " " + width("名单", "D"),
			"6 " + width("名单", "Z") + " 21 30"},
		{"column range width", width("O'Brien", "A") + " " + width("O'Brien", "C"), "14 14"},
		{"panes below the header, right of column A", panes("名单"), "true 1 2 B3 bottomRight"},
		{"panes below the header only", panes("O'Brien"), "true 0 2 A3 bottomLeft"},
		{"print titles", defined("_xlnm.Print_Titles", "名单"), "'名单'!$2:$2"},
		{"print titles of a sheet with a quote", defined("_xlnm.Print_Titles", "O'Brien"), "'O''Brien'!$1:$2"},
		{"filter from the header", defined("_xlnm._FilterDatabase", "名单"), "'名单'!$A$2:$D$4"},
		{"page landscape A4 fit to width", fmt.Sprintf("%s %d %d %d %v", *layout.Orientation, *layout.Size, *layout.FitToWidth, *layout.FitToHeight, *sheetProps.FitToPage),
			"landscape 9 1 0 true"},
		{"page portrait", *layout2.Orientation, "portrait"},
		{"every sheet printable by default: landscape A4, one page wide", fmt.Sprintf("%s %d %d %v", *layout3.Orientation, *layout3.Size, *layout3.FitToWidth, *props3.FitToPage),
			"landscape 9 1 true"},
		{"the header repeated on every printed page", defined("_xlnm.Print_Titles", "默认"), "'默认'!$1:$1"},
		{"page numbers in the footer", footer.OddFooter, "&C第 &P 页，共 &N 页"},
		{"an empty string is a blank cell", fmt.Sprint(emptyType == excelize.CellTypeUnset), "true"},
		{"a link", fmt.Sprintf("%v %s %s", isLink, target, cell("默认", "C2")), "true 某校_第1期_v1/验收报告.pdf 某校_第1期_v1/验收报告.pdf"},
		{"a CJK default font, not Calibri", defaultFont, "宋体"},
		{"properties", props.Title + "|" + props.Creator + "|" + props.Keywords, "测试标题|商水县电子商务办公室|编号 v1"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSaveErrors: a save that cannot happen returns an error naming the file
// and leaves no file, not even a temporary one; SaveNew never replaces a file;
// after an error on the book nothing is written.
func TestSaveErrors(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) string // returns the target path
		write   func(b *Book)
		save    func(b *Book, path string) error
		want    []string // in the error's text
		exist   bool     // errors.Is(err, fs.ErrExist)
		keep    string   // the target's content after the save ("" = no file)
	}{
		{"missing folder", func(t *testing.T, dir string) string { return filepath.Join(dir, "无此文件夹", "a.xlsx") },
			func(b *Book) {}, (*Book).Save, []string{"a.xlsx"}, false, ""},
		{"missing folder, new", func(t *testing.T, dir string) string { return filepath.Join(dir, "无此文件夹", "a.xlsx") },
			func(b *Book) {}, (*Book).SaveNew, []string{"a.xlsx"}, false, ""},
		{"existing file not replaced", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "a.xlsx")
			if err := os.WriteFile(p, []byte("旧的"), 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}, func(b *Book) {}, (*Book).SaveNew, []string{"a.xlsx 已存在，未覆盖"}, true, "旧的"},
		{"bad sheet name stops the save", func(t *testing.T, dir string) string { return filepath.Join(dir, "a.xlsx") },
			func(b *Book) {
				b.Sheet("一", 2)
				s := b.Sheet("a:b", 2) // ':' is not allowed
				s.Put([]any{"x"})
				b.Sheet("一", 2).Banner("y", 0, 0)
			}, (*Book).Save, []string{"a.xlsx：工作表 a:b："}, false, ""},
		{"bad style stops the save", func(t *testing.T, dir string) string { return filepath.Join(dir, "a.xlsx") },
			func(b *Book) {
				if id := b.Style(&excelize.Style{Font: &excelize.Font{Size: 500}}); id != 0 {
					t.Errorf("style id after an error = %d", id)
				}
				b.Sheet("一", 2).Put([]any{"x"})
			}, (*Book).SaveNew, []string{"a.xlsx："}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.prepare(t, dir)
			b := New("a.xlsx")
			defer b.Close()
			tt.write(b)
			err := tt.save(b, path)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if errors.Is(err, fs.ErrExist) != tt.exist {
				t.Errorf("errors.Is(%v, fs.ErrExist) = %v", err, !tt.exist)
			}
			got, rerr := os.ReadFile(path)
			switch {
			case tt.keep == "" && rerr == nil:
				t.Errorf("a file was left: %d bytes", len(got))
			case tt.keep != "" && string(got) != tt.keep:
				t.Errorf("the old file changed: %.20q", got)
			}
			onlyTarget(t, filepath.Dir(path), filepath.Base(path))
		})
	}
}

// onlyTarget fails when dir holds anything but name (and a full disk's filler).
func onlyTarget(t *testing.T, dir, name string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != name && e.Name() != "filler" {
			t.Errorf("left in %s: %s", dir, e.Name())
		}
	}
}
