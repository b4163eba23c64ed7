// Package pdfdoc is the one PDF layout engine of yanshou: every PDF it writes
// (report, notices, archive, county summary, inspection form) is set with it.
// It knows nothing of the domain. It offers an A4 page with a type area (and an
// optional binding margin), a TrueType CJK font found by pipeline/format/fonts
// with fallback fonts chosen per character, paragraphs wrapped with the CJK
// line-start and line-end rules, tables that break across pages with repeated
// headers, pictures, rules, boxes and text placed by coordinates, and a Save
// that writes through pipeline/platform/durable.
//
// The glyph policy, one for every document: a character that no font has is
// never dropped nor an error. It is drawn as a visible marker (□, or ? when the
// font has no □), listed by Missing, and Save returns a *MissingGlyphsError
// after writing the file, which callers log as a warning.
package pdfdoc

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/signintech/gopdf"

	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/platform/durable"
)

// A4 portrait in points, and the type area.
const (
	PageW    = 595.28
	PageH    = 841.89
	MarginL  = 64.0
	MarginR  = 60.0
	MarginT  = 62.0
	MarginB  = 66.0
	ContentW = PageW - MarginL - MarginR
	Bottom   = PageH - MarginB
)

// RGB is a text, line or fill colour.
type RGB struct{ R, G, B uint8 }

// RGBOf is the colour of three 8-bit components (as yanshou.Verdict.Colour
// gives them).
func RGBOf(c [3]uint8) RGB { return RGB{c[0], c[1], c[2]} }

var (
	Black = RGB{0, 0, 0}
	Red   = RGB{196, 0, 0}
	Gray  = RGB{100, 100, 100}
	Green = RGB{0, 110, 50}
)

// Align of a line of text.
type Align int

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Line-start and line-end rules for CJK text (禁则): no line starts with a closing
// mark, none ends with an opening one.
const (
	noStartChars = "，。、；：？！）」』”’》〉】〕…—,.;:?!)]}%·"
	noEndChars   = "（「『“‘《〈【〔([{"
)

// Doc is a gopdf document with a cursor, CJK line breaking, tables that break
// across pages with repeated headers, glyph checking with fallback fonts, and an
// optional binding margin (wider on the left of odd pages).
type Doc struct {
	GP       *gopdf.GoPdf
	fonts    *fontSet
	name     string // document file name, for errors
	size     float64
	Y        float64
	Left     float64              // left edge of the type area on the current page
	CW       float64              // width of the type area
	bind     float64              // extra margin on the binding side (left of odd pages, right of even ones)
	widths   map[fontRune]float64 // advance at size 1, per font family drawing the rune
	has      map[rune]bool        // some font has a glyph for the rune
	face     Face                 // the face of the text being set
	faceFont map[Face]*parsedFont // the font of each face found (none: the primary, Song)
	faceSeen map[Face]bool        // faces looked for
	runeFont map[rune]int         // fallback (index+1) drawing a rune the primary font lacks
	fbUsed   map[int]string       // fallbacks added to the document: index → family
	missing  []rune
	marker   rune
	err      error
}

// New starts an A4 document with one empty page, in the first of the
// configured fonts found (see fonts.Find; a missing font is its error,
// unchanged) with the others as fallbacks. name is the document's file name,
// for messages.
func New(configured []string, name string) (*Doc, error) { return NewBound(configured, name, 0) }

// NewBound starts an A4 document whose odd pages have bind points more margin
// on the left and even pages on the right, for binding printed double-sided.
func NewBound(configured []string, name string, bind float64) (*Doc, error) {
	fs, err := fontFor(configured)
	if err != nil {
		return nil, err
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	gp.SetCompressLevel(6)
	if err := gp.AddTTFFontFromFontContainer(fs.primary.family, fs.primary.container); err != nil {
		return nil, fmt.Errorf("%s：加载字体 %s 失败：%w", name, fs.primary.path, err)
	}
	d := &Doc{GP: gp, fonts: fs, name: name, widths: map[fontRune]float64{}, has: map[rune]bool{},
		faceFont: map[Face]*parsedFont{}, faceSeen: map[Face]bool{},
		runeFont: map[rune]int{}, fbUsed: map[int]string{}, bind: bind, CW: ContentW - bind, Left: MarginL}
	d.SetSize(11)
	d.marker = '?'
	if ok, _ := gp.IsCurrFontContainGlyph('□'); ok {
		d.marker = '□'
	}
	d.NewPage()
	return d, nil
}

func (d *Doc) Fail(err error) {
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("%s：排版失败：%w", d.name, err)
	}
}

// SetSize sets the size of the text that follows, in the current face.
func (d *Doc) SetSize(size float64) {
	if size != d.size {
		d.Fail(d.GP.SetFont(d.baseFamily(), "", size))
		d.size = size
	}
}

// Face is the typeface style a paragraph is set in. FaceSong, the zero value,
// is the document's primary font; the others are found by fonts.FindStyle and
// fall back to it when the machine has no such font. A character the face's
// font lacks is set in the primary font or its fallbacks, so the glyph policy
// is the same in every face.
type Face int

// The faces: 宋体 (the primary font), 黑体, 仿宋, 楷体.
const (
	FaceSong Face = iota
	FaceHei
	FaceFang
	FaceKai
)

// fontRune keys a rune's advance by the font family that draws it.
type fontRune struct {
	family string
	r      rune
}

// SetFace makes f the face of the text that follows (the primary font when the
// machine has no font of that style).
func (d *Doc) SetFace(f Face) {
	if f == d.face {
		return
	}
	d.face = f
	if f != FaceSong && !d.faceSeen[f] {
		d.faceSeen[f] = true
		if spec, ok := fonts.FindStyle(fonts.Style(f)); ok {
			pf, err := loadFont(spec)
			if err == nil && pf.family != d.fonts.primary.family {
				err = d.GP.AddTTFFontFromFontContainer(pf.family, pf.container)
				if err == nil {
					d.faceFont[f] = pf
				}
			}
		}
	}
	d.Fail(d.GP.SetFont(d.baseFamily(), "", d.size))
}

// FaceFont is the spec of the font face f is set in ("" when it falls back to
// the primary font); SetFace(f) must have been called.
func (d *Doc) FaceFont(f Face) string {
	if pf := d.faceFont[f]; pf != nil {
		return pf.path
	}
	return ""
}

// baseFamily is the font family of the current face.
func (d *Doc) baseFamily() string {
	if pf := d.faceFont[d.face]; pf != nil {
		return pf.family
	}
	return d.fonts.primary.family
}

// inFace reports whether the current face's own font (not the primary) draws r.
func (d *Doc) inFace(r rune) bool {
	pf := d.faceFont[d.face]
	return pf != nil && !unicode.IsSpace(r) && fonts.Covers(pf.path, r)
}

// fontOf is the font drawing r in the current face: -1 the face's own font, 0
// the primary, i the fallback i-1.
func (d *Doc) fontOf(r rune) int {
	if d.inFace(r) {
		return -1
	}
	return d.runeFont[r]
}

// baseFont is fontOf's value for the current face's own font.
func (d *Doc) baseFont() int {
	if d.faceFont[d.face] != nil {
		return -1
	}
	return 0
}

func (d *Doc) SetColor(c RGB) { d.GP.SetTextColor(c.R, c.G, c.B) }

// Clean makes s safe to draw: tabs become spaces, other control characters go,
// and a character the font lacks becomes the marker (and is recorded).
func (d *Doc) Clean(s string) string {
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
		if d.inFace(r) {
			b.WriteRune(r)
			continue
		}
		ok, known := d.has[r]
		if !known {
			var err error
			ok, err = d.primaryHas(r)
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

// primaryHas reports whether the primary font has a glyph for r.
func (d *Doc) primaryHas(r rune) (bool, error) {
	if d.faceFont[d.face] == nil {
		return d.GP.IsCurrFontContainGlyph(r)
	}
	d.useFont(0)
	defer d.useFont(-1)
	return d.GP.IsCurrFontContainGlyph(r)
}

// fallbackFor finds a fallback font with a glyph for r (read from the font's
// character map, without adding the font to the document) and records it.
func (d *Doc) fallbackFor(r rune) bool {
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
func (d *Doc) useFont(f int) {
	d.Fail(d.GP.SetFont(d.familyOf(f), "", d.size))
}

// familyOf is the family of font f (see fontOf), adding a fallback to the
// document the first time it is used.
func (d *Doc) familyOf(f int) string {
	switch {
	case f < 0:
		return d.baseFamily()
	case f == 0:
		return d.fonts.primary.family
	}
	family, ok := d.fbUsed[f]
	if !ok {
		spec := d.fonts.fallbacks[f-1]
		pf, err := loadFont(spec)
		if err == nil {
			err = d.GP.AddTTFFontFromFontContainer(pf.family, pf.container)
			family = pf.family
		}
		if err != nil {
			d.Fail(err)
			return d.fonts.primary.family
		}
		d.fbUsed[f] = family
	}
	return family
}

// Width measures cleaned text at the current size.
func (d *Doc) Width(s string) float64 {
	w := 0.0
	base := d.baseFont()
	for _, r := range s {
		f := d.fontOf(r)
		key := fontRune{d.familyOf(f), r}
		a, ok := d.widths[key]
		if !ok {
			if f != base {
				d.useFont(f)
			}
			m, err := d.GP.MeasureTextWidth(string(r))
			if f != base {
				d.useFont(base)
			}
			d.Fail(err)
			a = m / d.size
			d.widths[key] = a
		}
		w += a
	}
	return w * d.size
}

// Cell sets cleaned text at (x, y), switching to a fallback font for the runs of
// characters the primary font lacks.
func (d *Doc) Cell(x, y float64, s string) {
	if len(d.runeFont) == 0 && d.faceFont[d.face] == nil {
		d.GP.SetXY(x, y)
		d.Fail(d.GP.Cell(nil, s))
		return
	}
	base := d.baseFont()
	runs, faces := []string{}, []int{}
	for _, r := range s {
		f := d.fontOf(r)
		if unicode.IsSpace(r) {
			f = base
		}
		if n := len(runs); n > 0 && faces[n-1] == f {
			runs[n-1] += string(r)
			continue
		}
		runs, faces = append(runs, string(r)), append(faces, f)
	}
	for i, run := range runs {
		if faces[i] != base {
			d.useFont(faces[i])
		}
		d.GP.SetXY(x, y)
		d.Fail(d.GP.Cell(nil, run))
		if faces[i] != base {
			d.useFont(base)
		}
		x += d.Width(run)
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

// Wrap breaks cleaned text into lines no wider than w at the current size. Breaks
// fall between CJK characters or at spaces; a Latin word wider than the line is
// cut. A closing mark never starts a line and an opening mark never ends one.
func (d *Doc) Wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = append(lines, d.wrapLine(para, w)...)
	}
	return lines
}

func (d *Doc) wrapLine(s string, w float64) []string {
	var lines [][]string
	var cur []string
	curW := 0.0
	const eps = 0.01
	for _, u := range tokens(s) {
		uw := d.Width(u)
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
				rw := d.Width(rs)
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
			for len(cur) > 1 && noStart(carry[0]) { // "），": both closing marks move on
				carry = append([]string{cur[len(cur)-1]}, carry...)
				cur = cur[:len(cur)-1]
			}
		}
		for len(cur) > 1 && noEnd(cur[len(cur)-1]) {
			carry = append([]string{cur[len(cur)-1]}, carry...)
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, cur)
		cur = append(carry, u)
		curW = d.Width(strings.Join(cur, ""))
	}
	lines = append(lines, cur)
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimRight(strings.Join(l, ""), " ")
	}
	return out
}

// Draw sets one cleaned line with its top at (x, y); bold is imitated by a second
// impression slightly to the right.
func (d *Doc) Draw(x, y float64, s string, bold bool) {
	d.Cell(x, y, s)
	if bold {
		d.Cell(x+d.size*0.03, y, s)
	}
}

// LineAt sets one cleaned line in the box [x, x+w] with the given alignment.
func (d *Doc) LineAt(x, y, w float64, s string, a Align, bold bool) {
	switch a {
	case AlignCenter:
		x += (w - d.Width(s)) / 2
	case AlignRight:
		x += w - d.Width(s)
	}
	d.Draw(x, y, s, bold)
}

// NewPage starts a page and puts the cursor at the top of its type area.
func (d *Doc) NewPage() {
	d.GP.AddPage()
	// Drawing at once gives the page its content stream now: gopdf creates it
	// lazily, and SetPage counts content streams to find a page.
	d.GP.SetLineWidth(0.5)
	d.Y = MarginT
	d.SetPageMargins(d.GP.GetNumberOfPages())
}

// SetPageMargins places the type area of page p: shifted right by the binding
// margin on odd pages.
func (d *Doc) SetPageMargins(p int) {
	d.Left = MarginL
	if d.bind > 0 && p%2 == 1 {
		d.Left += d.bind
	}
}

// Ensure starts a new page unless h points fit below the cursor.
func (d *Doc) Ensure(h float64) {
	if d.Y+h > Bottom {
		d.NewPage()
	}
}

// TextStyle describes a paragraph.
type TextStyle struct {
	Size   float64
	Color  RGB
	Align  Align
	Bold   bool
	Indent float64 // left indent of every line, points
	First  float64 // extra indent of the first line, in characters (2 for body text)
	Lead   float64 // line height ÷ size; 0 → 1.6
	After  float64 // space after, points
	Face   Face    // typeface style (FaceSong: the document's font)
}

// Para sets wrapped text at the cursor, breaking pages between lines.
func (d *Doc) Para(s string, st TextStyle) {
	d.SetFace(st.Face)
	defer d.SetFace(FaceSong)
	d.SetSize(st.Size)
	d.SetColor(st.Color)
	lead := st.Lead
	if lead == 0 {
		lead = 1.6
	}
	lh := st.Size * lead
	s = d.Clean(s)
	if st.First > 0 {
		s = strings.Repeat("\u3000", int(st.First)) + s
	}
	w := d.CW - st.Indent
	for _, line := range d.Wrap(s, w) {
		d.Ensure(lh)
		d.LineAt(d.Left+st.Indent, d.Y+(lh-st.Size)/2, w, line, st.Align, st.Bold)
		d.Y += lh
	}
	d.Y += st.After
	d.SetColor(Black)
}

// Rule draws a horizontal line across the type area at the cursor.
func (d *Doc) Rule(c RGB, width float64) {
	d.GP.SetStrokeColor(c.R, c.G, c.B)
	d.GP.SetLineWidth(width)
	d.GP.Line(d.Left, d.Y, d.Left+d.CW, d.Y)
	d.GP.SetLineWidth(0.5)
	d.GP.SetStrokeColor(0, 0, 0)
}

// Column of a table: its share of the type width and its alignment.
type Column struct {
	Share float64
	Align Align
	Shade bool // a label column, filled light grey
}

// Table is a bordered Table whose header repeats on every page it spans.
type Table struct {
	Cols   []Column
	Header []string // nil: no header row
	Size   float64
	Color  func(row, col int) RGB // nil: black

	// Optional pictures: Thumbs[row] is drawn, fitted, in column thumbCol of
	// that row (nil: the cell's text); rowMin is the least height of a row.
	Thumbs   []*Image
	ThumbCol int
	RowMin   float64

	// KeepWith is the room what follows the table needs on the page of its
	// last rows: when the last rows and it do not fit, the last rows start a
	// new page with their header, so that what follows (a signature block) is
	// never alone on a page. 0: nothing is kept.
	KeepWith float64
}

// keepRows is how many last rows move with what follows the table.
const keepRows = 2

const CellPad = 3.0

// layoutRow wraps each cell to its column and returns the lines and row height.
func (d *Doc) layoutRow(t *Table, cells []string) ([][]string, float64) {
	lh := t.Size * 1.35
	out := make([][]string, len(t.Cols))
	n := 1
	for i, c := range t.Cols {
		s := ""
		if i < len(cells) {
			s = d.Clean(cells[i])
		}
		out[i] = d.Wrap(s, c.Share*d.CW-2*CellPad)
		n = max(n, len(out[i]))
	}
	return out, float64(n)*lh + 2*CellPad
}

// drawRow sets one row at the cursor.
func (d *Doc) drawRow(t *Table, lines [][]string, h float64, row int, header bool) {
	lh := t.Size * 1.35
	x := d.Left
	for i, c := range t.Cols {
		w := c.Share * d.CW
		style := ""
		if header || c.Shade {
			if header {
				d.GP.SetFillColor(228, 228, 228)
			} else {
				d.GP.SetFillColor(243, 243, 243)
			}
			style = "FD"
		}
		d.GP.RectFromUpperLeftWithStyle(x, d.Y, w, h, style)
		if !header && i == t.ThumbCol && row >= 0 && row < len(t.Thumbs) && t.Thumbs[row] != nil {
			d.Thumb(t.Thumbs[row], x+CellPad, d.Y+CellPad, w-2*CellPad, h-2*CellPad)
			x += w
			continue
		}
		col := Black
		if !header && t.Color != nil {
			col = t.Color(row, i)
		}
		d.SetColor(col)
		a := c.Align
		if header {
			a = AlignCenter
		}
		for j, l := range lines[i] {
			d.LineAt(x+CellPad, d.Y+CellPad+float64(j)*lh+(lh-t.Size)/2, w-2*CellPad, l, a, header)
		}
		x += w
	}
	d.SetColor(Black)
	d.Y += h
}

// Thumb draws a picture fitted and centred in a box.
func (d *Doc) Thumb(img *Image, x, y, w, h float64) {
	if img.Width <= 0 || img.Height <= 0 {
		return
	}
	s := math.Min(w/float64(img.Width), h/float64(img.Height))
	iw, ih := float64(img.Width)*s, float64(img.Height)*s
	holder, err := gopdf.ImageHolderByBytes(img.JPEG)
	if err == nil {
		err = d.GP.ImageByHolder(holder, x+(w-iw)/2, y+(h-ih)/2, &gopdf.Rect{W: iw, H: ih})
	}
	d.Fail(err)
}

// Table sets rows, starting a page (and repeating the header) whenever the next
// row does not fit. A row taller than a page is cut with a marker.
func (d *Doc) Table(t Table, rows [][]string) {
	d.SetSize(t.Size)
	var head [][]string
	headH := 0.0
	if t.Header != nil {
		head, headH = d.layoutRow(&t, t.Header)
	}
	lh := t.Size * 1.35
	drawHead := func() {
		if head != nil {
			d.drawRow(&t, head, headH, -1, true)
		}
	}
	first := true
	for ri, cells := range rows {
		lines, h := d.layoutRow(&t, cells)
		h = max(h, t.RowMin)
		room := Bottom - MarginT - headH
		if h > room { // cut to one page
			keep := int((room - 2*CellPad) / lh)
			for i := range lines {
				if len(lines[i]) > keep {
					lines[i] = append(lines[i][:keep-1], "…")
				}
			}
			h = float64(keep)*lh + 2*CellPad
		}
		if first {
			need := headH + h
			if t.KeepWith > 0 && len(rows) <= keepRows {
				need = headH + d.tailHeight(&t, rows) + t.KeepWith
			}
			d.Ensure(need)
			drawHead()
			first = false
		} else if d.Y+h > Bottom || t.KeepWith > 0 && ri == len(rows)-keepRows && d.Y+d.tailHeight(&t, rows[ri:])+t.KeepWith > Bottom {
			d.NewPage()
			drawHead()
		}
		d.drawRow(&t, lines, h, ri, false)
	}
	if first && head != nil {
		d.Ensure(headH)
		drawHead()
	}
}

// tailHeight is the height of rows set in table t.
func (d *Doc) tailHeight(t *Table, rows [][]string) float64 {
	h := 0.0
	for _, cells := range rows {
		_, rh := d.layoutRow(t, cells)
		h += max(rh, t.RowMin)
	}
	return h
}

// Space moves the cursor down.
func (d *Doc) Space(h float64) { d.Y += h }

// PageTexts puts the running head (pages after the first) and the footer on every
// page once the page count is known.
func (d *Doc) PageTexts(head string, footer func(page, pages int) (left, center string)) {
	n := d.GP.GetNumberOfPages()
	for p := 1; p <= n; p++ {
		d.Fail(d.GP.SetPage(p))
		d.SetPageMargins(p)
		d.SetSize(8.5)
		d.SetColor(Gray)
		if p > 1 && head != "" {
			h := d.Clean(head)
			d.LineAt(d.Left, MarginT-26, d.CW, h, AlignRight, false)
			d.GP.SetStrokeColor(150, 150, 150)
			d.GP.Line(d.Left, MarginT-14, d.Left+d.CW, MarginT-14)
			d.GP.SetStrokeColor(0, 0, 0)
		}
		left, center := footer(p, n)
		y := PageH - MarginB + 22
		d.SetSize(10)
		d.SetColor(Black)
		d.LineAt(d.Left, y, d.CW, d.Clean(center), AlignCenter, false)
		d.SetSize(7.5)
		d.SetColor(Gray)
		d.LineAt(d.Left, y+15, d.CW, d.Clean(left), AlignCenter, false)
	}
	d.SetColor(Black)
}

// Info is the document information dictionary.
type Info struct {
	Title, Author, Subject, Keywords string
	Created                          time.Time
}

// Save writes the PDF to path. When characters were missing from the font the
// file is still written and a *MissingGlyphsError is returned.
func (d *Doc) Save(path string, info Info) error {
	if d.err != nil {
		return d.err
	}
	d.GP.SetInfo(gopdf.PdfInfo{Title: info.Title, Author: info.Author, Subject: info.Subject,
		Creator: "yanshou", Producer: "yanshou (gopdf)", CreationDate: info.Created})
	var err error
	if info.Keywords == "" { // streamed: the file is never held in memory twice
		err = durable.Write(path, 0o644, func(w io.Writer) error {
			_, err := d.GP.WriteTo(w)
			return err
		})
	} else {
		var b []byte
		b, err = d.GP.GetBytesPdfReturnErr()
		if err != nil {
			return fmt.Errorf("%s：生成 PDF 失败：%w", d.name, err)
		}
		err = durable.WriteFile(path, withKeywords(b, info.Keywords), 0o644)
	}
	if err != nil {
		return err
	}
	if len(d.missing) > 0 {
		return &MissingGlyphsError{Document: d.name, Font: d.fonts.primary.path, Marker: d.marker,
			Runes: d.Missing()}
	}
	return nil
}

// Missing lists the characters no font had, in order of first use; each was
// drawn as Marker.
func (d *Doc) Missing() []rune { return append([]rune(nil), d.missing...) }

// Marker is what a character no font has is drawn as: □, or ? when the font
// has no □.
func (d *Doc) Marker() rune { return d.marker }

// Err is the first layout error met so far (Save returns it).
func (d *Doc) Err() error { return d.err }

// Pages is the number of pages so far.
func (d *Doc) Pages() int { return d.GP.GetNumberOfPages() }

// SetPage makes page p (from 1) the one drawn on, with its margins.
func (d *Doc) SetPage(p int) {
	d.Fail(d.GP.SetPage(p))
	d.SetPageMargins(p)
}

// Text sets s at size points with its top-left corner at (x, y), in the
// current colour, regardless of the type area (for forms and charts placed by
// coordinates).
func (d *Doc) Text(x, y float64, s string, size float64) {
	d.SetSize(size)
	d.Cell(x, y, d.Clean(s))
}

// TextWidth measures s at size points.
func (d *Doc) TextWidth(s string, size float64) float64 {
	d.SetSize(size)
	return d.Width(d.Clean(s))
}

// TextRight sets s at size points ending at x.
func (d *Doc) TextRight(x, y float64, s string, size float64) {
	d.Text(x-d.TextWidth(s, size), y, s, size)
}

// TextCenter sets s at size points centred on x.
func (d *Doc) TextCenter(x, y float64, s string, size float64) {
	d.Text(x-d.TextWidth(s, size)/2, y, s, size)
}

// Fit shortens s with "…" until it fits in w at size points.
func (d *Doc) Fit(s string, size, w float64) string {
	if d.TextWidth(s, size) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 {
		rs = rs[:len(rs)-1]
		if t := string(rs) + "…"; d.TextWidth(t, size) <= w {
			return t
		}
	}
	return s
}

// Lines wraps s (see Wrap) at size points into lines no wider than w.
func (d *Doc) Lines(s string, size, w float64) []string {
	d.SetSize(size)
	return d.Wrap(d.Clean(s), w)
}

// Box fills a rectangle given by its top-left corner (nothing when empty).
func (d *Doc) Box(x, y, w, h float64, c RGB) {
	if w <= 0 || h <= 0 {
		return
	}
	d.GP.SetFillColor(c.R, c.G, c.B)
	d.GP.SetStrokeColor(c.R, c.G, c.B)
	d.GP.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// Frame strokes a rectangle given by its top-left corner, lw points wide.
func (d *Doc) Frame(x, y, w, h, lw float64, c RGB) {
	d.GP.SetFillColor(c.R, c.G, c.B)
	d.GP.SetStrokeColor(c.R, c.G, c.B)
	d.GP.SetLineWidth(lw)
	d.GP.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// Line strokes a line lw points wide.
func (d *Doc) Line(x1, y1, x2, y2, lw float64, c RGB) {
	d.GP.SetStrokeColor(c.R, c.G, c.B)
	d.GP.SetLineWidth(lw)
	d.GP.Line(x1, y1, x2, y2)
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

// Figure draws img at the cursor, wd × ht points with its left edge at x, and
// moves the cursor below it.
func (d *Doc) Figure(img image.Image, x, wd, ht float64) {
	d.Fail(d.GP.ImageFrom(img, x, d.Y, &gopdf.Rect{W: wd, H: ht}))
	d.Y += ht
}

// Image is a picture to embed: JPEG bytes and their pixel size.
type Image struct {
	JPEG          []byte
	Width, Height int
}

// MissingGlyphsError reports characters the PDF font cannot draw. The document
// has been written with each of them replaced by Marker; callers that treat this
// as a warning use errors.As and keep the file.
type MissingGlyphsError struct {
	Document string // file name of the document
	Font     string // font file used
	Marker   rune   // what was drawn instead
	Runes    []rune // distinct missing characters, in order of first use
}

// Error lists the missing characters with their code points.
func (e *MissingGlyphsError) Error() string {
	parts := make([]string, len(e.Runes))
	for i, r := range e.Runes {
		parts[i] = fmt.Sprintf("%c(U+%04X)", r, r)
	}
	return fmt.Sprintf("%s：字体 %s 缺少 %d 个字符 %s，已以 %c 代替；请在 yanshou.yaml 的 fonts: 中换用字符更全的字体",
		e.Document, filepath.Base(e.Font), len(e.Runes), strings.Join(parts, "、"), e.Marker)
}

// GlyphNote adds, when characters were missing, a line naming their code
// points (which every font can draw): note receives the marker and the codes
// joined by sep and returns the sentence.
func (d *Doc) GlyphNote(note func(marker, codes string) string, sep string) {
	if len(d.missing) == 0 {
		return
	}
	codes := make([]string, len(d.missing))
	for i, r := range d.missing {
		codes[i] = fmt.Sprintf("U+%04X", r)
	}
	d.Space(8)
	d.Para(note(string(d.marker), strings.Join(codes, sep)), TextStyle{Size: 9, Color: Red})
}
