package render

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/signintech/gopdf"

	"yanshou/pipeline/format/fonts"
)

// A4 portrait in points, and the type area.
const (
	pageW    = 595.28
	pageH    = 841.89
	marginL  = 64.0
	marginR  = 60.0
	marginT  = 62.0
	marginB  = 66.0
	contentW = pageW - marginL - marginR
	bottom   = pageH - marginB
)

// rgb is a text or line colour.
type rgb struct{ r, g, b uint8 }

var (
	black = rgb{0, 0, 0}
	red   = rgb{196, 0, 0}
	gray  = rgb{100, 100, 100}
	green = rgb{0, 110, 50}
)

// alignment of a line of text.
type alignment int

const (
	alignLeft alignment = iota
	alignCenter
	alignRight
)

// Line-start and line-end rules for CJK text (禁则): no line starts with a closing
// mark, none ends with an opening one.
const (
	noStartChars = "，。、；：？！）」』”’》〉】〕…—,.;:?!)]}%·"
	noEndChars   = "（「『“‘《〈【〔([{"
)

// doc is a gopdf document with a cursor, CJK line breaking, tables that break
// across pages with repeated headers, glyph checking with fallback fonts, and an
// optional binding margin (wider on the left of odd pages).
type doc struct {
	gp       *gopdf.GoPdf
	fonts    *fontSet
	name     string // document file name, for errors
	size     float64
	y        float64
	left     float64          // left edge of the type area on the current page
	cw       float64          // width of the type area
	bind     float64          // extra margin on the binding side (left of odd pages, right of even ones)
	widths   map[rune]float64 // advance at size 1
	has      map[rune]bool    // some font has a glyph for the rune
	runeFont map[rune]int     // fallback (index+1) drawing a rune the primary font lacks
	fbUsed   map[int]string   // fallbacks added to the document: index → family
	missing  []rune
	marker   rune
	err      error
}

// newDoc starts an A4 document in the given fonts with one empty page.
func newDoc(fs *fontSet, name string) (*doc, error) { return newBoundDoc(fs, name, 0) }

// newBoundDoc starts an A4 document whose odd pages have bind points more margin
// on the left and even pages on the right, for binding printed double-sided.
func newBoundDoc(fs *fontSet, name string, bind float64) (*doc, error) {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	gp.SetCompressLevel(6)
	if err := gp.AddTTFFontFromFontContainer(fs.primary.family, fs.primary.container); err != nil {
		return nil, fmt.Errorf("%s：加载字体 %s 失败：%w", name, fs.primary.path, err)
	}
	d := &doc{gp: gp, fonts: fs, name: name, widths: map[rune]float64{}, has: map[rune]bool{},
		runeFont: map[rune]int{}, fbUsed: map[int]string{}, bind: bind, cw: contentW - bind, left: marginL}
	d.setSize(11)
	d.marker = '?'
	if ok, _ := gp.IsCurrFontContainGlyph('□'); ok {
		d.marker = '□'
	}
	d.newPage()
	return d, nil
}

func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("%s：排版失败：%w", d.name, err)
	}
}

func (d *doc) setSize(size float64) {
	if size != d.size {
		d.fail(d.gp.SetFont(d.fonts.primary.family, "", size))
		d.size = size
	}
}

func (d *doc) setColor(c rgb) { d.gp.SetTextColor(c.r, c.g, c.b) }

// clean makes s safe to draw: tabs become spaces, other control characters go,
// and a character the font lacks becomes the marker (and is recorded).
func (d *doc) clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
			continue
		case r == '\t':
			r = ' '
		case unicode.IsControl(r):
			continue
		case unicode.Is(unicode.Cf, r): // zero-width and direction marks
			continue
		}
		ok, known := d.has[r]
		if !known {
			var err error
			ok, err = d.gp.IsCurrFontContainGlyph(r)
			if err != nil {
				ok = false
			}
			if !ok && d.fallbackFor(r) {
				ok = true
			}
			d.has[r] = ok
			if !ok {
				d.missing = append(d.missing, r)
			}
		}
		if !ok {
			r = d.marker
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fallbackFor finds a fallback font with a glyph for r (read from the font's
// character map, without adding the font to the document) and records it.
func (d *doc) fallbackFor(r rune) bool {
	if unicode.IsSpace(r) {
		return false
	}
	for i, spec := range d.fonts.fallbacks {
		if !fonts.Covers(spec, r) {
			continue
		}
		if _, err := loadFont(spec); err != nil { // gopdf cannot read it: try the next
			continue
		}
		d.runeFont[r] = i + 1
		return true
	}
	return false
}

// useFont makes fallback i+1 (or the primary for 0) the current font, adding a
// fallback to the document the first time it is used.
func (d *doc) useFont(f int) {
	if f == 0 {
		d.fail(d.gp.SetFont(d.fonts.primary.family, "", d.size))
		return
	}
	family, ok := d.fbUsed[f]
	if !ok {
		spec := d.fonts.fallbacks[f-1]
		pf, err := loadFont(spec)
		if err == nil {
			err = d.gp.AddTTFFontFromFontContainer(pf.family, pf.container)
			family = pf.family
		}
		if err != nil {
			d.fail(err)
			return
		}
		d.fbUsed[f] = family
	}
	d.fail(d.gp.SetFont(family, "", d.size))
}

// width measures cleaned text at the current size.
func (d *doc) width(s string) float64 {
	w := 0.0
	for _, r := range s {
		a, ok := d.widths[r]
		if !ok {
			f := d.runeFont[r]
			if f != 0 {
				d.useFont(f)
			}
			m, err := d.gp.MeasureTextWidth(string(r))
			if f != 0 {
				d.useFont(0)
			}
			d.fail(err)
			a = m / d.size
			d.widths[r] = a
		}
		w += a
	}
	return w * d.size
}

// cell sets cleaned text at (x, y), switching to a fallback font for the runs of
// characters the primary font lacks.
func (d *doc) cell(x, y float64, s string) {
	if len(d.runeFont) == 0 {
		d.gp.SetXY(x, y)
		d.fail(d.gp.Cell(nil, s))
		return
	}
	runs, faces := []string{}, []int{}
	for _, r := range s {
		f := d.runeFont[r]
		if n := len(runs); n > 0 && faces[n-1] == f {
			runs[n-1] += string(r)
			continue
		}
		runs, faces = append(runs, string(r)), append(faces, f)
	}
	for i, run := range runs {
		if faces[i] != 0 {
			d.useFont(faces[i])
		}
		d.gp.SetXY(x, y)
		d.fail(d.gp.Cell(nil, run))
		if faces[i] != 0 {
			d.useFont(0)
		}
		x += d.width(run)
	}
}

// isWordRune reports runes kept together in a word (Latin letters, digits, ASCII
// punctuation other than space): file names, hashes and numbers do not break.
func isWordRune(r rune) bool { return r > ' ' && r < 0x7f }

// tokens splits a line into units a break may fall between.
func tokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
		out = append(out, string(r))
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func noStart(u string) bool { return len([]rune(u)) == 1 && strings.Contains(noStartChars, u) }
func noEnd(u string) bool   { return len([]rune(u)) == 1 && strings.Contains(noEndChars, u) }

// wrap breaks cleaned text into lines no wider than w at the current size. Breaks
// fall between CJK characters or at spaces; a Latin word wider than the line is
// cut. A closing mark never starts a line and an opening mark never ends one.
func (d *doc) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, d.wrapLine(para, w)...)
	}
	return lines
}

func (d *doc) wrapLine(s string, w float64) []string {
	var lines [][]string
	var cur []string
	curW := 0.0
	const eps = 0.01
	for _, u := range tokens(s) {
		uw := d.width(u)
		if curW+uw <= w+eps {
			cur = append(cur, u)
			curW += uw
			continue
		}
		if u == " " {
			lines, cur, curW = append(lines, cur), nil, 0
			continue
		}
		if uw > w { // a word wider than a line: cut it by characters
			for _, r := range u {
				rs := string(r)
				rw := d.width(rs)
				if curW+rw > w+eps && len(cur) > 0 {
					lines, cur, curW = append(lines, cur), nil, 0
				}
				cur = append(cur, rs)
				curW += rw
			}
			continue
		}
		var carry []string
		if noStart(u) && len(cur) > 1 {
			carry = []string{cur[len(cur)-1]}
			cur = cur[:len(cur)-1]
		}
		for len(cur) > 1 && noEnd(cur[len(cur)-1]) {
			carry = append([]string{cur[len(cur)-1]}, carry...)
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, cur)
		cur = append(carry, u)
		curW = d.width(strings.Join(cur, ""))
	}
	lines = append(lines, cur)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(strings.Join(l, ""), " ")
	}
	return out
}

// draw sets one cleaned line with its top at (x, y); bold is imitated by a second
// impression slightly to the right.
func (d *doc) draw(x, y float64, s string, bold bool) {
	d.cell(x, y, s)
	if bold {
		d.cell(x+d.size*0.03, y, s)
	}
}

// lineAt sets one cleaned line in the box [x, x+w] with the given alignment.
func (d *doc) lineAt(x, y, w float64, s string, a alignment, bold bool) {
	switch a {
	case alignCenter:
		x += (w - d.width(s)) / 2
	case alignRight:
		x += w - d.width(s)
	}
	d.draw(x, y, s, bold)
}

// newPage starts a page and puts the cursor at the top of its type area.
func (d *doc) newPage() {
	d.gp.AddPage()
	// Drawing at once gives the page its content stream now: gopdf creates it
	// lazily, and SetPage counts content streams to find a page.
	d.gp.SetLineWidth(0.5)
	d.y = marginT
	d.setPageMargins(d.gp.GetNumberOfPages())
}

// setPageMargins places the type area of page p: shifted right by the binding
// margin on odd pages.
func (d *doc) setPageMargins(p int) {
	d.left = marginL
	if d.bind > 0 && p%2 == 1 {
		d.left += d.bind
	}
}

// ensure starts a new page unless h points fit below the cursor.
func (d *doc) ensure(h float64) {
	if d.y+h > bottom {
		d.newPage()
	}
}

// textStyle describes a paragraph.
type textStyle struct {
	size   float64
	color  rgb
	align  alignment
	bold   bool
	indent float64 // left indent of every line, points
	first  float64 // extra indent of the first line, in characters (2 for body text)
	lead   float64 // line height ÷ size; 0 → 1.6
	after  float64 // space after, points
}

// para sets wrapped text at the cursor, breaking pages between lines.
func (d *doc) para(s string, st textStyle) {
	d.setSize(st.size)
	d.setColor(st.color)
	lead := st.lead
	if lead == 0 {
		lead = 1.6
	}
	lh := st.size * lead
	s = d.clean(s)
	if st.first > 0 {
		s = strings.Repeat("\u3000", int(st.first)) + s
	}
	w := d.cw - st.indent
	for _, line := range d.wrap(s, w) {
		d.ensure(lh)
		d.lineAt(d.left+st.indent, d.y+(lh-st.size)/2, w, line, st.align, st.bold)
		d.y += lh
	}
	d.y += st.after
	d.setColor(black)
}

// rule draws a horizontal line across the type area at the cursor.
func (d *doc) rule(c rgb, width float64) {
	d.gp.SetStrokeColor(c.r, c.g, c.b)
	d.gp.SetLineWidth(width)
	d.gp.Line(d.left, d.y, d.left+d.cw, d.y)
	d.gp.SetLineWidth(0.5)
	d.gp.SetStrokeColor(0, 0, 0)
}

// column of a table: its share of the type width and its alignment.
type column struct {
	share float64
	align alignment
	shade bool // a label column, filled light grey
}

// table is a bordered table whose header repeats on every page it spans.
type table struct {
	cols   []column
	header []string // nil: no header row
	size   float64
	color  func(row, col int) rgb // nil: black

	// Optional pictures: thumbs[row] is drawn, fitted, in column thumbCol of
	// that row (nil: the cell's text); rowMin is the least height of a row.
	thumbs   []*Image
	thumbCol int
	rowMin   float64
}

const cellPad = 3.0

// layoutRow wraps each cell to its column and returns the lines and row height.
func (d *doc) layoutRow(t *table, cells []string) ([][]string, float64) {
	lh := t.size * 1.35
	out := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		s := ""
		if i < len(cells) {
			s = d.clean(cells[i])
		}
		out[i] = d.wrap(s, c.share*d.cw-2*cellPad)
		n = max(n, len(out[i]))
	}
	return out, float64(n)*lh + 2*cellPad
}

// drawRow sets one row at the cursor.
func (d *doc) drawRow(t *table, lines [][]string, h float64, row int, header bool) {
	lh := t.size * 1.35
	x := d.left
	for i, c := range t.cols {
		w := c.share * d.cw
		style := ""
		if header || c.shade {
			if header {
				d.gp.SetFillColor(228, 228, 228)
			} else {
				d.gp.SetFillColor(243, 243, 243)
			}
			style = "FD"
		}
		d.gp.RectFromUpperLeftWithStyle(x, d.y, w, h, style)
		if !header && i == t.thumbCol && row >= 0 && row < len(t.thumbs) && t.thumbs[row] != nil {
			d.thumb(t.thumbs[row], x+cellPad, d.y+cellPad, w-2*cellPad, h-2*cellPad)
			x += w
			continue
		}
		col := black
		if !header && t.color != nil {
			col = t.color(row, i)
		}
		d.setColor(col)
		a := c.align
		if header {
			a = alignCenter
		}
		for j, l := range lines[i] {
			d.lineAt(x+cellPad, d.y+cellPad+float64(j)*lh+(lh-t.size)/2, w-2*cellPad, l, a, header)
		}
		x += w
	}
	d.setColor(black)
	d.y += h
}

// thumb draws a picture fitted and centred in a box.
func (d *doc) thumb(img *Image, x, y, w, h float64) {
	if img.Width <= 0 || img.Height <= 0 {
		return
	}
	s := math.Min(w/float64(img.Width), h/float64(img.Height))
	iw, ih := float64(img.Width)*s, float64(img.Height)*s
	holder, err := gopdf.ImageHolderByBytes(img.JPEG)
	if err == nil {
		err = d.gp.ImageByHolder(holder, x+(w-iw)/2, y+(h-ih)/2, &gopdf.Rect{W: iw, H: ih})
	}
	d.fail(err)
}

// table sets rows, starting a page (and repeating the header) whenever the next
// row does not fit. A row taller than a page is cut with a marker.
func (d *doc) table(t table, rows [][]string) {
	d.setSize(t.size)
	var head [][]string
	headH := 0.0
	if t.header != nil {
		head, headH = d.layoutRow(&t, t.header)
	}
	lh := t.size * 1.35
	drawHead := func() {
		if head != nil {
			d.drawRow(&t, head, headH, -1, true)
		}
	}
	first := true
	for ri, cells := range rows {
		lines, h := d.layoutRow(&t, cells)
		h = max(h, t.rowMin)
		room := bottom - marginT - headH
		if h > room { // cut to one page
			keep := int((room - 2*cellPad) / lh)
			for i := range lines {
				if len(lines[i]) > keep {
					lines[i] = append(lines[i][:keep-1], "…")
				}
			}
			h = float64(keep)*lh + 2*cellPad
		}
		if first {
			d.ensure(headH + h)
			drawHead()
			first = false
		} else if d.y+h > bottom {
			d.newPage()
			drawHead()
		}
		d.drawRow(&t, lines, h, ri, false)
	}
	if first && head != nil {
		d.ensure(headH)
		drawHead()
	}
}

// space moves the cursor down.
func (d *doc) space(h float64) { d.y += h }

// pageTexts puts the running head (pages after the first) and the footer on every
// page once the page count is known.
func (d *doc) pageTexts(head string, footer func(page, pages int) (left, center string)) {
	n := d.gp.GetNumberOfPages()
	for p := 1; p <= n; p++ {
		d.fail(d.gp.SetPage(p))
		d.setPageMargins(p)
		d.setSize(8.5)
		d.setColor(gray)
		if p > 1 && head != "" {
			h := d.clean(head)
			d.lineAt(d.left, marginT-26, d.cw, h, alignRight, false)
			d.gp.SetStrokeColor(150, 150, 150)
			d.gp.Line(d.left, marginT-14, d.left+d.cw, marginT-14)
			d.gp.SetStrokeColor(0, 0, 0)
		}
		left, center := footer(p, n)
		y := pageH - marginB + 22
		d.setSize(10)
		d.setColor(black)
		d.lineAt(d.left, y, d.cw, d.clean(center), alignCenter, false)
		d.setSize(7.5)
		d.setColor(gray)
		d.lineAt(d.left, y+15, d.cw, d.clean(left), alignCenter, false)
	}
	d.setColor(black)
}

// pdfInfo is the document information dictionary.
type pdfInfo struct {
	title, author, subject, keywords string
	created                          time.Time
}

// save writes the PDF to path. When characters were missing from the font the
// file is still written and a *MissingGlyphsError is returned.
func (d *doc) save(path string, info pdfInfo) error {
	if d.err != nil {
		return d.err
	}
	d.gp.SetInfo(gopdf.PdfInfo{Title: info.title, Author: info.author, Subject: info.subject,
		Creator: "yanshou", Producer: "yanshou (gopdf)", CreationDate: info.created})
	b, err := d.gp.GetBytesPdfReturnErr()
	if err != nil {
		return fmt.Errorf("%s：生成 PDF 失败：%w", d.name, err)
	}
	b = withKeywords(b, info.keywords)
	if err := writeAtomic(path, b); err != nil {
		return err
	}
	if len(d.missing) > 0 {
		return &MissingGlyphsError{Document: d.name, Font: d.fonts.primary.path, Marker: d.marker,
			Runes: append([]rune(nil), d.missing...)}
	}
	return nil
}

// withKeywords adds /Keywords to the information dictionary gopdf writes inline in
// the trailer (gopdf's PdfInfo has no such field). The trailer follows the
// cross-reference table, so no object offset moves.
func withKeywords(b []byte, keywords string) []byte {
	if keywords == "" {
		return b
	}
	marker := []byte("/Info <<\n")
	i := bytes.LastIndex(b, marker)
	if i < 0 {
		return b
	}
	i += len(marker)
	var kw strings.Builder
	kw.WriteString("/Keywords <FEFF")
	for _, u := range utf16.Encode([]rune(keywords)) {
		fmt.Fprintf(&kw, "%04X", u)
	}
	kw.WriteString(">\n")
	out := make([]byte, 0, len(b)+kw.Len())
	out = append(out, b[:i]...)
	out = append(out, kw.String()...)
	return append(out, b[i:]...)
}

// round formats a distance in whole metres.
func round(x float64) string { return fmt.Sprintf("%.0f", math.Round(x)) }
