package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/templates"
)

const (
	// defaultUnzipLimit bounds the uncompressed size of a workbook when the config
	// gives no limit.
	defaultUnzipLimit = 1 << 30
	// bombFloor: below this uncompressed size a workbook is never judged by its
	// compression ratio or its sheets' XML size.
	bombFloor = 64 << 20
	// bytesPerRow is a generous XML size of one sheet row (a row of 20 filled cells
	// takes about 1 KB).
	bytesPerRow = 2048
)

// sheetPart is one worksheet of a workbook and where its XML lives in the zip.
type sheetPart struct {
	name, path string
	hidden     bool
}

// openXLSX reads a workbook: values through excelize (raw, no number formatting —
// formatting dominates its cost), and cell types, date styles, merged ranges and the
// row count by one light pass over each sheet's XML, which also refuses a sheet
// with too many rows before excelize iterates it.
func openXLSX(abs, rel string, cfg *yanshou.Config) (*Book, []yanshou.Evidence) {
	var problems []yanshou.Evidence
	maxRows, bookRows := cfg.Thresholds.MaxSheetRows, cfg.Thresholds.MaxBookRows
	zr, err := zip.OpenReader(abs)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, fmt.Sprintf("%s（%v）", templates.Say("sheet.not_zip"), err))}
	}
	defer zr.Close()
	limit := uint64(defaultUnzipLimit)
	if cfg.Intake.MaxZipBytes > 0 {
		limit = uint64(cfg.Intake.MaxZipBytes)
	}
	var total, packed uint64
	size := map[string]uint64{}
	for _, f := range zr.File {
		total += f.UncompressedSize64
		packed += f.CompressedSize64
		size[f.Name] = f.UncompressedSize64
	}
	if total > limit {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.book_too_big", total, limit))}
	}
	if r := cfg.Intake.MaxZipRatio; r > 0 && total > bombFloor && float64(total) > r*float64(max(packed, 1)) {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.book_ratio", total))}
	}
	parts, date1904, err := workbookParts(&zr.Reader)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.book_damaged", err))}
	}
	// A sheet whose XML is far larger than any sheet within the row limit could be
	// is refused before excelize unpacks the workbook.
	sheetCap := uint64(max(maxRows, 1)) * bytesPerRow
	for _, p := range parts {
		if n := size[p.path]; n > sheetCap && n > bombFloor {
			return nil, []yanshou.Evidence{{File: rel, Sheet: p.name,
				Detail: templates.Say("sheet.sheet_too_big", p.name, n, maxRows)}}
		}
	}
	book := &Book{File: rel}
	// Refuse oversized sheets — by their declared dimension, then by counting their
	// rows in one light pass — before excelize opens anything: a workbook whose only
	// sheet has a million rows costs a fraction of a second. The rows of all sheets
	// together stay within MaxBookRows, so that memory stays bounded however many
	// sheets a workbook has.
	type keptSheet struct {
		part sheetPart
		scan scanResult
	}
	var keep []keptSheet
	read := 0                 // rows of the sheets kept so far
	drop := map[string]bool{} // large parts of refused sheets, kept from excelize
	for _, p := range parts {
		if n := peekDimension(&zr.Reader, p.path); maxRows > 0 && n > maxRows {
			problems = append(problems, yanshou.Evidence{File: rel, Sheet: p.name,
				Detail: templates.Say("sheet.sheet_declared_rows", p.name, n, maxRows)})
			drop[p.path] = size[p.path] > dropFloor
			continue
		}
		limit, byBook := maxRows, false
		if bookRows > 0 && (limit <= 0 || bookRows-read < limit) {
			limit, byBook = bookRows-read, true
		}
		if byBook && limit <= 0 {
			problems = append(problems, yanshou.Evidence{File: rel, Sheet: p.name,
				Detail: templates.Say("sheet.sheet_book_full", p.name, read, bookRows)})
			continue
		}
		sc, err := scanSheet(&zr.Reader, p.path, limit)
		if err != nil {
			problems = append(problems, yanshou.Evidence{File: rel, Sheet: p.name,
				Detail: templates.Say("sheet.sheet_unreadable", p.name, err)})
			continue
		}
		if sc.tooMany {
			d := templates.Say("sheet.sheet_rows", p.name, limit)
			if byBook {
				d = templates.Say("sheet.sheet_book_rows", p.name, bookRows)
			}
			problems = append(problems, yanshou.Evidence{File: rel, Sheet: p.name, Detail: d})
			drop[p.path] = size[p.path] > dropFloor
			continue
		}
		read += sc.lastRow
		keep = append(keep, keptSheet{p, sc})
	}
	if len(keep) == 0 {
		return book, problems
	}
	f, err := openExcelize(abs, &zr.Reader, drop, excelize.Options{RawCellValue: true, UnzipSizeLimit: int64(limit)})
	if err != nil {
		return nil, append(problems, fileProblem(rel, excelizeReason(err)))
	}
	defer f.Close()
	dateStyle := map[int32]bool{}
	isDateStyle := func(id int32) bool {
		if v, ok := dateStyle[id]; ok {
			return v
		}
		v := false
		if st, err := f.GetStyle(int(id)); err == nil && st != nil {
			code := ""
			if st.CustomNumFmt != nil {
				code = *st.CustomNumFmt
			}
			v = isDateFormat(st.NumFmt, code)
		}
		dateStyle[id] = v
		return v
	}
	for _, k := range keep {
		p, sc := k.part, k.scan
		t := &Table{File: rel, Sheet: p.name, Hidden: p.hidden, date1904: date1904}
		limit := sc.lastRow
		if limit == 0 { // rows the scan did not see: still never more than allowed
			limit = maxRows
			if limit <= 0 {
				limit = excelize.TotalRows
			}
		}
		if err := readValues(f, t, limit); err != nil {
			problems = append(problems, yanshou.Evidence{File: rel, Sheet: p.name,
				Detail: templates.Say("sheet.sheet_read_error", p.name, len(t.Rows)+1, err)})
		}
		for _, c := range sc.cells {
			if int(c.row) < len(t.Rows) {
				fl := c.flags
				if fl&flagNumber != 0 && c.style > 0 && isDateStyle(c.style) {
					fl |= flagDate
				}
				t.setFlag(int(c.row), int(c.col), fl)
			}
		}
		fillMerges(t, sc.merges)
		book.Tables = append(book.Tables, t)
	}
	return book, problems
}

// dropFloor is the uncompressed size above which a refused sheet's XML is left out
// of what excelize unpacks.
const dropFloor = 1 << 20

// emptySheet stands in for a refused sheet's XML.
const emptySheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`

// openExcelize opens the workbook with excelize. When large sheets were refused
// (drop), it opens a copy made in memory in which their XML is an empty sheet:
// excelize unpacks every part of a workbook when it opens it, and a refused sheet
// of a million rows would otherwise be unpacked (to a temporary file) for nothing.
// The other parts are copied still compressed.
func openExcelize(abs string, zr *zip.Reader, drop map[string]bool, opt excelize.Options) (*excelize.File, error) {
	dropping := false
	for _, d := range drop {
		dropping = dropping || d
	}
	if !dropping {
		return excelize.OpenFile(abs, opt)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if drop[f.Name] {
			w, err := zw.Create(f.Name)
			if err != nil {
				return nil, err
			}
			if _, err := io.WriteString(w, emptySheet); err != nil {
				return nil, err
			}
			continue
		}
		fh := f.FileHeader
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return nil, err
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return excelize.OpenReader(&buf, opt)
}

// readValues reads the raw cell values of a sheet, at most lastRow rows.
func readValues(f *excelize.File, t *Table, lastRow int) error {
	rows, err := f.Rows(t.Sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}
	for rows.Next() {
		if len(t.Rows) >= lastRow {
			break
		}
		cols, err := rows.Columns(raw)
		if err != nil {
			return err
		}
		for len(cols) > 0 && strings.TrimSpace(cols[len(cols)-1]) == "" {
			cols = cols[:len(cols)-1]
		}
		t.Rows = append(t.Rows, cols)
	}
	for len(t.Rows) > 0 && len(t.Rows[len(t.Rows)-1]) == 0 {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return rows.Error()
}

// fillMerges gives every cell of a merged range the value (and flags) of its
// top-left cell, clamped to the rows and columns actually read.
func fillMerges(t *Table, refs []string) {
	width := 0
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	for _, ref := range refs {
		a, b, ok := strings.Cut(ref, ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil || r1 > len(t.Rows) {
			continue
		}
		c1, r1, c2, r2 = c1-1, r1-1, min(c2, width)-1, min(r2, len(t.Rows))-1
		v := t.Cell(r1, c1)
		if v == "" {
			continue
		}
		fl := t.flag(r1, c1)
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if r == r1 && c == c1 {
					continue
				}
				for len(t.Rows[r]) <= c {
					t.Rows[r] = append(t.Rows[r], "")
				}
				if t.Rows[r][c] == "" {
					t.Rows[r][c] = v
					if fl != 0 {
						t.setFlag(r, c, fl)
					}
				}
			}
		}
	}
}

func excelizeReason(err error) string {
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return templates.Say("sheet.book_password")
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return templates.Say("sheet.not_zip")
	case errors.Is(err, excelize.ErrOptionsUnzipSizeLimit):
		return templates.Say("sheet.book_unzip_big")
	}
	return templates.Say("sheet.book_unopenable", err)
}

// ---- workbook structure -------------------------------------------------------

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		State string     `xml:"state,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

const maxPartXML = 32 << 20 // workbook.xml and .rels parts are small; refuse absurd ones

func readPart(zr *zip.Reader, name string, v any) error {
	name = strings.TrimPrefix(name, "/")
	for _, f := range zr.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			rc, err := f.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			return xml.NewDecoder(io.LimitReader(rc, maxPartXML)).Decode(v)
		}
	}
	return errors.New(templates.Say("sheet.part_missing", name))
}

// workbookParts lists the worksheets of a workbook in order with their XML paths.
func workbookParts(zr *zip.Reader) ([]sheetPart, bool, error) {
	wbPath := "xl/workbook.xml"
	var root xmlRels
	if err := readPart(zr, "_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb xmlWorkbook
	if err := readPart(zr, wbPath, &wb); err != nil {
		return nil, false, err
	}
	dir := path.Dir(wbPath)
	var rels xmlRels
	if err := readPart(zr, path.Join(dir, "_rels", path.Base(wbPath)+".rels"), &rels); err != nil {
		return nil, false, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		if !strings.HasSuffix(r.Type, "/worksheet") {
			continue // chart sheets, dialog sheets: no cells
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		targets[r.ID] = t
	}
	var parts []sheetPart
	for _, s := range wb.Sheets {
		id := ""
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				id = a.Value
			}
		}
		if t, ok := targets[id]; ok {
			parts = append(parts, sheetPart{name: s.Name, path: t, hidden: s.State == "hidden" || s.State == "veryHidden"})
		}
	}
	d := strings.ToLower(wb.Pr.Date1904)
	return parts, d == "1" || d == "true", nil
}

func openPart(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if f.Name == name || strings.EqualFold(f.Name, name) {
			return f.Open()
		}
	}
	return nil, errors.New(templates.Say("sheet.part_missing", name))
}

var reDimension = regexp.MustCompile(`<(?:[A-Za-z0-9_]+:)?dimension\s+ref\s*=\s*["']([A-Za-z0-9:$]+)["']`)

// peekDimension returns the last row a sheet's <dimension> declares, reading only
// the beginning of its XML; 0 when it declares none.
func peekDimension(zr *zip.Reader, part string) int {
	rc, err := openPart(zr, part)
	if err != nil {
		return 0
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(rc, buf)
	buf = buf[:n]
	if i := bytes.Index(buf, []byte("sheetData")); i >= 0 {
		buf = buf[:i]
	}
	m := reDimension.FindSubmatch(buf)
	if m == nil {
		return 0
	}
	ref := string(m[1])
	if _, b, ok := strings.Cut(ref, ":"); ok {
		ref = b
	}
	_, row := splitRef(strings.ReplaceAll(ref, "$", ""))
	return row
}

// ---- the light scan -----------------------------------------------------------

type cellFlag struct {
	row, col int32
	style    int32 // the cell's style (s attribute), to tell dates from numbers
	flags    uint8
}

type scanResult struct {
	lastRow int // highest row number holding a <row> element
	tooMany bool
	merges  []string
	cells   []cellFlag // numeric and date cells, 0-based
}

// scanSheet passes once over a sheet's XML, without building a tree: it counts rows
// (stopping past maxRows), notes which cells hold numbers (with their style, so that
// date formats can be told later) and collects merged ranges. Text content is
// skipped unparsed, and nothing is allocated per cell but the flags of numbers.
func scanSheet(zr *zip.Reader, part string, maxRows int) (scanResult, error) {
	rc, err := openPart(zr, part)
	if err != nil {
		return scanResult{}, err
	}
	defer rc.Close()
	return scanXML(rc, maxRows), nil
}

// scanXML is scanSheet over the sheet's XML. Malformed XML ends the scan early;
// what was seen is kept.
func scanXML(r io.Reader, maxRows int) scanResult {
	var sc scanResult
	var err error
	br := bufio.NewReaderSize(r, 64<<10)
	row, col := 0, 0
	var tag []byte
	for {
		if err := skipTo(br, '<'); err != nil {
			break
		}
		tag, err = readTag(br, tag[:0])
		if err != nil {
			break
		}
		switch string(tagName(tag)) {
		case "row":
			if n := atoi(attr(tag, "r")); n > 0 {
				row = max(n, row+1)
			} else {
				row++
			}
			col = 0
			if row > sc.lastRow {
				sc.lastRow = row
			}
			if maxRows > 0 && row > maxRows {
				sc.tooMany = true
				return sc
			}
		case "c":
			if r := attr(tag, "r"); len(r) > 0 {
				if c, rr := splitRefBytes(r); c > 0 {
					col = c
					if rr > 0 {
						row = rr
					}
				} else {
					col++
				}
			} else {
				col++
			}
			var fl uint8
			var style int32
			switch string(attr(tag, "t")) {
			case "", "n":
				fl = flagNumber
				if id := atoi(attr(tag, "s")); id > 0 && id < 1<<30 {
					style = int32(id)
				}
			case "d":
				fl = flagDate
			}
			if fl != 0 && row > 0 && col > 0 && col < 1<<24 {
				sc.cells = append(sc.cells, cellFlag{row: int32(row - 1), col: int32(col - 1), style: style, flags: fl})
			}
		case "mergeCell":
			if ref := attr(tag, "ref"); len(ref) > 0 {
				sc.merges = append(sc.merges, string(ref))
			}
		}
	}
	return sc
}

// skipTo discards input up to and including the byte b.
func skipTo(br *bufio.Reader, b byte) error {
	for {
		_, err := br.ReadSlice(b)
		if err == bufio.ErrBufferFull {
			continue
		}
		return err
	}
}

// readTag reads a tag's inside up to '>' (at most 1 MiB).
func readTag(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('>')
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			if len(buf) > 1<<20 {
				return buf, errors.New(templates.Say("sheet.xml_tag_long"))
			}
			continue
		}
		if err != nil {
			return buf, err
		}
		return buf[:len(buf)-1], nil
	}
}

// tagName returns the local name of a start tag (nil for end tags, comments,
// declarations).
func tagName(tag []byte) []byte {
	if len(tag) == 0 || tag[0] == '/' || tag[0] == '!' || tag[0] == '?' {
		return nil
	}
	end := bytes.IndexAny(tag, " \t\r\n/")
	if end < 0 {
		end = len(tag)
	}
	name := tag[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// attr returns the value of an attribute of a tag (without namespace prefix), as
// a slice of the tag.
func attr(tag []byte, name string) []byte {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], []byte(name))
		if j < 0 {
			return nil
		}
		j += i
		eq := j + len(name)
		if j > 0 && isSpace(tag[j-1]) && eq+1 < len(tag) && tag[eq] == '=' {
			q := tag[eq+1]
			if q == '"' || q == '\'' {
				end := bytes.IndexByte(tag[eq+2:], q)
				if end < 0 {
					return nil
				}
				return tag[eq+2 : eq+2+end]
			}
		}
		i = eq
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// atoi reads a positive decimal number; 0 when b is not one (or too large).
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1<<40 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// splitRef splits "AB12" into column 28 and row 12 (0, 0 when malformed).
func splitRef(ref string) (col, row int) { return splitRefBytes([]byte(ref)) }

func splitRefBytes(ref []byte) (col, row int) {
	i := 0
	for i < len(ref) {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
		if col > 1<<20 {
			return 0, 0
		}
		i++
	}
	if i == len(ref) {
		return col, 0
	}
	n := atoi(ref[i:])
	if n <= 0 {
		return col, 0
	}
	return col, n
}
