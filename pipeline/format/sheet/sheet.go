// Package sheet reads the spreadsheets institutions submit — xlsx workbooks and CSV
// files — as plain text tables, the way they really arrive: title rows and merged
// cells above the header, the header on any of the first rows under any of its
// usual names, full-width characters, dates as date cells or as text, ID numbers
// stored as numbers. It is a shared library for the manifest, roster and blank
// packages; it knows nothing about what the tables mean beyond the vocabulary of
// column names kept in vocab.yaml.
//
// Every problem is a yanshou.Evidence in Chinese naming the file (relative to the
// submission), the sheet and the row as Excel shows it (1-based).
package sheet

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/templates"
)

// Cell flags recorded from the workbook.
const (
	flagNumber uint8 = 1 << iota // stored as a number (not text)
	flagDate                     // a number shown with a date/time format, or an ISO date cell
)

// Table is one sheet of a workbook (or a CSV file) read as text.
type Table struct {
	File   string     // relative path inside the submission, for messages
	Sheet  string     // sheet name; "" for a CSV file
	Hidden bool       // the sheet is hidden in the workbook
	Rows   [][]string // Rows[i][j] is the cell in Excel row i+1, column j+1; merged ranges carry their value in every cell

	flags    [][]uint8 // per cell, see flagNumber; nil rows have no flags
	date1904 bool
}

// Book is a workbook or a CSV file: its readable tables in workbook order.
type Book struct {
	File   string
	Tables []*Table
}

// Cell returns the text of the cell at row r, column c (both 0-based), or "".
func (t *Table) Cell(r, c int) string {
	if r < 0 || r >= len(t.Rows) || c < 0 || c >= len(t.Rows[r]) {
		return ""
	}
	return t.Rows[r][c]
}

// IsNumber reports whether the cell was stored as a number in the workbook (never
// true for CSV).
func (t *Table) IsNumber(r, c int) bool { return t.flag(r, c)&flagNumber != 0 }

// IsDate reports whether the cell is a number with a date or time format.
func (t *Table) IsDate(r, c int) bool { return t.flag(r, c)&flagDate != 0 }

func (t *Table) flag(r, c int) uint8 {
	if r < 0 || r >= len(t.flags) || c < 0 || c >= len(t.flags[r]) {
		return 0
	}
	return t.flags[r][c]
}

func (t *Table) setFlag(r, c int, f uint8) {
	for len(t.flags) <= r {
		t.flags = append(t.flags, nil)
	}
	for len(t.flags[r]) <= c {
		t.flags[r] = append(t.flags[r], 0)
	}
	t.flags[r][c] |= f
}

// When reads the cell at (r, c) as a date and/or time: a date cell, an Excel
// serial or 8-digit number in a cell where a date is expected, or text in any of
// the forms ParseWhen accepts. year completes dates written without one (0: none).
func (t *Table) When(r, c int, loc *time.Location, year int) (When, error) {
	s := strings.TrimSpace(t.Cell(r, c))
	if s == "" {
		return When{}, errors.New(templates.Say("sheet.date_empty"))
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if t.IsDate(r, c) {
			return FromSerial(v, t.date1904, loc)
		}
		return whenFromNumber(v, t.date1904, loc, s)
	}
	return ParseWhen(s, loc, year)
}

// Where names a place in the table for a message: 「Sheet1」第5行, or 第5行 for CSV.
// row is 0-based; a negative row names the sheet alone.
func (t *Table) Where(row int) string {
	var b strings.Builder
	if t.Sheet != "" {
		b.WriteString(templates.Say("sheet.where_sheet", t.Sheet))
	}
	if row >= 0 {
		b.WriteString(templates.Say("sheet.where_row", row+1))
	}
	return b.String()
}

// Problem builds an Evidence about a row of the table (0-based; -1 for the whole
// sheet). The detail is prefixed with the place so that it reads on its own.
func (t *Table) Problem(row int, format string, args ...any) yanshou.Evidence {
	return t.Evidence(row, fmt.Sprintf(format, args...))
}

// Evidence is Problem with a detail that is already worded (no format).
func (t *Table) Evidence(row int, detail string) yanshou.Evidence {
	e := yanshou.Evidence{File: t.File, Sheet: t.Sheet, Detail: detail}
	if row >= 0 {
		e.Row = row + 1
	}
	if w := t.Where(row); w != "" {
		e.Detail = w + "：" + e.Detail
	}
	return e
}

// ColName returns the Excel column letters of a 0-based column (0 → A).
func ColName(c int) string {
	s := ""
	for c++; c > 0; c = (c - 1) / 26 {
		s = string(rune('A'+(c-1)%26)) + s
	}
	return s
}

// fileProblem is an Evidence about a whole file.
func fileProblem(rel, detail string) yanshou.Evidence {
	return yanshou.Evidence{File: rel, Detail: detail}
}

// Stem returns the file name without folder and extension (签到表-第1天.xlsx → 签到表-第1天).
func Stem(rel string) string {
	base := path.Base(strings.ReplaceAll(rel, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}
