package archive

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// readTables reads a workbook (every sheet) or a CSV file as tables, at most
// limit rows per sheet. Leading rows with at most one filled cell are the title;
// the first row with two or more is the header, repeated on every page.
func readTables(path, ext string, limit int) ([]Sheet, error) {
	if ext == ".csv" {
		rows, truncated, err := readCSV(path, limit)
		if err != nil {
			return nil, err
		}
		return []Sheet{shape("CSV", rows, truncated)}, nil
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Sheet
	for _, name := range f.GetSheetList() {
		rows, truncated, err := sheetRows(f, name, limit)
		if err != nil {
			return nil, fmt.Errorf("工作表 %s：%w", name, err)
		}
		out = append(out, shape(name, rows, truncated))
	}
	return out, nil
}

// sheetRows reads up to limit rows with the iterator (memory stays flat on a
// huge sheet); merged cells keep their value in the first cell.
func sheetRows(f *excelize.File, sheet string, limit int) ([][]string, int, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, 0, err
	}
	defer it.Close()
	var rows [][]string
	truncated := 0
	for it.Next() {
		if len(rows) >= limit {
			truncated++
			if truncated > 1_000_000 {
				break
			}
			continue
		}
		r, err := it.Columns()
		if err != nil {
			return nil, 0, err
		}
		rows = append(rows, r)
	}
	return rows, truncated, nil
}

// readCSV reads a CSV file: UTF-8 (with or without BOM) or GB18030.
func readCSV(path string, limit int) ([][]string, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
			data = d
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	truncated := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if len(rows) >= limit {
			truncated++
			continue
		}
		rows = append(rows, rec)
	}
	return rows, truncated, nil
}

// shape splits rows into title, header and body, dropping empty rows and
// trailing empty columns.
func shape(name string, rows [][]string, truncated int) Sheet {
	s := Sheet{Name: name, Truncated: truncated}
	filled := func(r []string) int {
		n := 0
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
		return n
	}
	width := 0
	for _, r := range rows {
		for i := len(r) - 1; i >= 0; i-- {
			if strings.TrimSpace(r[i]) != "" {
				width = max(width, i+1)
				break
			}
		}
	}
	for _, r := range rows {
		n := filled(r)
		if n == 0 {
			continue
		}
		cells := make([]string, width)
		for i := 0; i < width && i < len(r); i++ {
			cells[i] = strings.TrimSpace(r[i])
		}
		switch {
		case s.Header == nil && n <= 1 && width > 1:
			s.Title = append(s.Title, strings.Join(strings.Fields(strings.Join(cells, " ")), " "))
		case s.Header == nil:
			s.Header = cells
		default:
			s.Rows = append(s.Rows, cells)
		}
	}
	return s
}
