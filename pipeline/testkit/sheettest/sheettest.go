// Package sheettest writes xlsx workbooks for tests and benchmarks directly, part by
// part, so that a sheet of 100,000 or 1,000,000 rows takes a second rather than the
// minutes (and gigabytes) of building it cell by cell. Strings go to the shared
// string table, as Excel and WPS save them; numbers are number cells; time.Time
// values are date cells (numFmt 14). Nothing here is used outside tests.
package sheettest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"html"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Sheet is one worksheet to write.
type Sheet struct {
	Name      string
	Rows      int               // number of rows, written as Excel rows 1..Rows
	Row       func(i int) []any // the cells of row i (0-based): string, int, float64, time.Time, Formula, or nil
	Dimension string            // the <dimension ref> to declare; "" computes it, "-" writes none
	Hidden    bool
}

// Formula is a formula cell with its cached value (what Excel stores).
type Formula struct {
	Expr   string
	Cached any // string or number
}

// Write writes the sheets into a new xlsx file at path.
func Write(path string, sheets ...Sheet) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	sst := &table{index: map[string]int{}}
	var errs []error
	for i, s := range sheets {
		w, err := zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		if err != nil {
			errs = append(errs, err)
			break
		}
		if err := writeSheet(w, s, sst); err != nil {
			errs = append(errs, err)
		}
	}
	parts := map[string]string{
		"[Content_Types].xml":        contentTypes(len(sheets)),
		"_rels/.rels":                rootRels,
		"xl/workbook.xml":            workbook(sheets),
		"xl/_rels/workbook.xml.rels": workbookRels(len(sheets)),
		"xl/styles.xml":              styles,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"} {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, parts[name])
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if w, err := zw.Create("xl/sharedStrings.xml"); err != nil {
		errs = append(errs, err)
	} else if err := sst.write(w); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, zw.Close(), out.Close())
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

type table struct {
	index map[string]int
	list  []string
	count int
}

func (t *table) id(s string) int {
	t.count++
	if i, ok := t.index[s]; ok {
		return i
	}
	t.index[s] = len(t.list)
	t.list = append(t.list, s)
	return len(t.list) - 1
}

func (t *table) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, t.count, len(t.list))
	for _, s := range t.list {
		sp := ""
		if strings.TrimSpace(s) != s {
			sp = ` xml:space="preserve"`
		}
		fmt.Fprintf(bw, "<si><t%s>%s</t></si>", sp, html.EscapeString(s))
	}
	bw.WriteString("</sst>")
	return bw.Flush()
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func writeSheet(w io.Writer, s Sheet, sst *table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	dim := s.Dimension
	if dim == "" {
		width := 1
		if s.Rows > 0 && s.Row != nil {
			width = max(1, len(s.Row(0)))
		}
		dim = fmt.Sprintf("A1:%s%d", col(width-1), max(s.Rows, 1))
	}
	if dim != "-" {
		fmt.Fprintf(bw, `<dimension ref="%s"/>`, dim)
	}
	bw.WriteString(`<sheetData>`)
	var num []byte
	for i := 0; i < s.Rows; i++ {
		r := strconv.Itoa(i + 1)
		bw.WriteString(`<row r="` + r + `">`)
		for c, v := range s.Row(i) {
			if v == nil {
				continue
			}
			ref := col(c) + r
			switch v := v.(type) {
			case string:
				num = strconv.AppendInt(num[:0], int64(sst.id(v)), 10)
				bw.WriteString(`<c r="` + ref + `" t="s"><v>`)
				bw.Write(num)
				bw.WriteString(`</v></c>`)
			case int:
				num = strconv.AppendInt(num[:0], int64(v), 10)
				bw.WriteString(`<c r="` + ref + `"><v>`)
				bw.Write(num)
				bw.WriteString(`</v></c>`)
			case float64:
				num = strconv.AppendFloat(num[:0], v, 'G', -1, 64)
				bw.WriteString(`<c r="` + ref + `"><v>`)
				bw.Write(num)
				bw.WriteString(`</v></c>`)
			case time.Time:
				d := v.Sub(excelEpoch).Hours() / 24
				fmt.Fprintf(bw, `<c r="%s" s="1"><v>%s</v></c>`, ref, strconv.FormatFloat(d, 'f', -1, 64))
			case Formula:
				switch cv := v.Cached.(type) {
				case string:
					fmt.Fprintf(bw, `<c r="%s" t="str"><f>%s</f><v>%s</v></c>`, ref, html.EscapeString(v.Expr), html.EscapeString(cv))
				default:
					fmt.Fprintf(bw, `<c r="%s"><f>%s</f><v>%v</v></c>`, ref, html.EscapeString(v.Expr), cv)
				}
			default:
				return fmt.Errorf("sheettest: cell %s: unsupported %T", ref, v)
			}
		}
		bw.WriteString(`</row>`)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	return bw.Flush()
}

// col returns the column letters of a 0-based column.
func col(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

func contentTypes(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func workbook(sheets []Sheet) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i, s := range sheets {
		state := ""
		if s.Hidden {
			state = ` state="hidden"`
		}
		fmt.Fprintf(&b, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, html.EscapeString(s.Name), i+1, state, i+1)
	}
	b.WriteString(`</sheets></workbook>`)
	return b.String()
}

func workbookRels(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i, i)
	}
	fmt.Fprintf(&b, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, n+1, n+2)
	return b.String()
}
