package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"yanshou"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

// openCSV reads a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or
// GB18030/GBK as Excel and WPS save it on Chinese Windows. Comma, tab or
// semicolon separated, whichever the first line uses.
func openCSV(abs, rel string, cfg *yanshou.Config) (*Book, []yanshou.Evidence) {
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.read_failed", oserr.Reason(err)))}
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, []yanshou.Evidence{fileProblem(rel, templates.Say("sheet.csv_encoding", err))}
	}
	if line, n := longestLine(text); n > maxCSVLine {
		return nil, []yanshou.Evidence{{File: rel, Row: line, Detail: templates.Say("sheet.csv_long_line", line, n, maxCSVLine)}}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffComma(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &Table{File: rel}
	maxRows := cfg.Thresholds.MaxSheetRows
	if b := cfg.Thresholds.MaxBookRows; b > 0 && (maxRows <= 0 || b < maxRows) {
		maxRows = b // a CSV file is one sheet and the whole book
	}
	var problems []yanshou.Evidence
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := len(t.Rows) + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			problems = append(problems, yanshou.Evidence{File: rel, Row: line,
				Detail: templates.Say("sheet.csv_syntax", line, err)})
			break
		}
		if maxRows > 0 && len(t.Rows) >= maxRows {
			return &Book{File: rel}, append(problems, fileProblem(rel, templates.Say("sheet.csv_rows", maxRows)))
		}
		for len(rec) > 0 && strings.TrimSpace(rec[len(rec)-1]) == "" {
			rec = rec[:len(rec)-1]
		}
		t.Rows = append(t.Rows, rec)
	}
	for len(t.Rows) > 0 && len(t.Rows[len(t.Rows)-1]) == 0 {
		t.Rows = t.Rows[:len(t.Rows)-1]
	}
	return &Book{File: rel, Tables: []*Table{t}}, problems
}

// maxCSVLine bounds one CSV line (a sign-in row is well under 1 KB): a longer
// line is a damaged file or not a table, and parsing it would take memory in
// proportion to its fields.
const maxCSVLine = 64 << 10

// longestLine returns the 1-based number and byte length of text's longest line.
func longestLine(text string) (line, n int) {
	for i := 1; len(text) > 0; i++ {
		k := strings.IndexByte(text, '\n')
		if k < 0 {
			k = len(text)
		}
		if k > n {
			line, n = i, k
		}
		text = text[min(k+1, len(text)):]
	}
	return line, n
}

// decodeText turns the bytes of a text file into UTF-8.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		return string(out), err
	case utf8.Valid(data):
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	return string(out), err
}

// sniffComma picks the separator the first lines use most.
func sniffComma(text string) rune {
	line := text
	for i, k := 0, 0; i < len(text); i++ {
		if text[i] == '\n' {
			if k++; k == 5 {
				line = text[:i]
				break
			}
		}
	}
	best, n := ',', strings.Count(line, ",")
	for _, c := range []rune{'\t', ';'} {
		if k := strings.Count(line, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}
