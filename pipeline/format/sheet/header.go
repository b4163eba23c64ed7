package sheet

import "strings"

// Header is the header row of a table and the columns it names.
type Header struct {
	Row   int            // 0-based row of the header (the upper one when it spans two rows)
	Data  int            // 0-based first row below the header
	Cols  map[string]int // field key → 0-based column (the leftmost when named twice)
	Names []string       // the header text of every column, as written (cleaned)
}

// Has reports whether the header names the field.
func (h Header) Has(key string) bool { _, ok := h.Cols[key]; return ok }

// Col returns the column of a field, or -1.
func (h Header) Col(key string) int {
	if c, ok := h.Cols[key]; ok {
		return c
	}
	return -1
}

// Get returns the cleaned text of a field's cell in row r ("" when the header
// does not name the field).
func (h Header) Get(t *Table, r int, key string) string {
	c, ok := h.Cols[key]
	if !ok {
		return ""
	}
	return Clean(t.Cell(r, c))
}

// matchRow maps the fields a row names to their (leftmost) columns.
func matchRow(v *Vocab, row []string) map[string]int {
	m := map[string]int{}
	for c, s := range row {
		if s == "" {
			continue
		}
		if k := v.Match(s); k != "" {
			if _, seen := m[k]; !seen {
				m[k] = c
			}
		}
	}
	return m
}

// FindHeader searches the first HeaderScanRows rows for the row naming the most
// fields of v (the upper row on a tie), and returns false when no row names at
// least min fields. A second header row right below (sub-headers under a merged
// group such as 联系方式 → 手机 | 固话) adds the fields it names.
func (t *Table) FindHeader(v *Vocab, min int) (Header, bool) {
	best, bestScore := -1, 0
	var bestCols map[string]int
	limit := HeaderScanRows()
	for r := 0; r < len(t.Rows) && r < limit; r++ {
		cols := matchRow(v, t.Rows[r])
		if len(cols) > bestScore {
			best, bestScore, bestCols = r, len(cols), cols
		}
	}
	if best < 0 || bestScore < max(min, 1) {
		return Header{}, false
	}
	h := Header{Row: best, Data: best + 1, Cols: bestCols}
	width := len(t.Rows[best])
	if next := best + 1; next < len(t.Rows) {
		sub := t.Rows[next]
		subCols := matchRow(v, sub)
		if len(subCols) > 0 && looksLikeSubHeader(v, t.Rows[best], sub) {
			for k, c := range subCols {
				if _, ok := h.Cols[k]; !ok {
					h.Cols[k] = c
				}
			}
			h.Data = next + 1
			width = max(width, len(sub))
		}
	}
	h.Names = make([]string, width)
	for c := range width {
		top := Clean(t.Cell(best, c))
		if h.Data == best+2 {
			if s := Clean(t.Cell(best+1, c)); s != "" && s != top {
				if top == "" {
					top = s
				} else {
					top += "/" + s
				}
			}
		}
		h.Names[c] = top
	}
	return h, true
}

// looksLikeSubHeader: at least half of the non-empty cells of sub name a field or
// repeat the cell above (a vertically merged header cell); data rows do neither.
func looksLikeSubHeader(v *Vocab, top, sub []string) bool {
	n, ok := 0, 0
	for c, s := range sub {
		if Clean(s) == "" {
			continue
		}
		n++
		if v.Match(s) != "" || (c < len(top) && Clean(top[c]) == Clean(s)) {
			ok++
		}
	}
	return n > 0 && 2*ok >= n
}

// Repeats reports whether row r repeats the header row (tables printed over several
// pages often do): at least two of the header's named columns hold the same text.
func (h Header) Repeats(t *Table, r int) bool {
	if r == h.Row {
		return true
	}
	n := 0
	for _, c := range h.Cols {
		if s := t.Cell(r, c); s != "" && s == t.Cell(h.Row, c) {
			n++
		}
	}
	return n >= 2 || (n == 1 && len(h.Cols) == 1)
}

// IsEmptyRow reports whether every cell of row r is blank.
func (t *Table) IsEmptyRow(r int) bool {
	if r < 0 || r >= len(t.Rows) {
		return true
	}
	for _, s := range t.Rows[r] {
		if Clean(s) != "" {
			return false
		}
	}
	return true
}

// IsNoteRow reports whether row r is not data: an example row (示例), a total
// (合计), or a footer such as 填表人：… / 注：…, judged by its first non-empty cell.
func (t *Table) IsNoteRow(r int) bool {
	if r < 0 || r >= len(t.Rows) {
		return false
	}
	for _, s := range t.Rows[r] {
		s = Compact(s)
		if s == "" {
			continue
		}
		key := s
		if i := strings.IndexAny(s, ":："); i > 0 {
			key = s[:i]
		}
		return IsWord("skip_rows", s) || IsWord("skip_rows", key) || (key != s && IsWord("footer", key))
	}
	return false
}
