package sample

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

const fontFamily = "song"

// typesetter makes PDFs with one parsed CJK font and remembers any character the
// font lacks, so that a missing glyph is an error instead of a silent blank.
type typesetter struct {
	fonts   gopdf.FontContainer
	mu      sync.Mutex
	missing map[rune]bool
}

func newTypesetter(fontPath string) (*typesetter, error) {
	ts := &typesetter{missing: map[rune]bool{}}
	opt := gopdf.TtfOption{OnGlyphNotFound: func(r rune) {
		ts.mu.Lock()
		ts.missing[r] = true
		ts.mu.Unlock()
	}}
	if err := ts.fonts.AddTTFFontWithOption(fontFamily, fontPath, opt); err != nil {
		return nil, fmt.Errorf("sample: font %s: %w", fontPath, err)
	}
	return ts, nil
}

// check returns an error naming the characters the font could not set.
func (ts *typesetter) check() error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.missing) == 0 {
		return nil
	}
	var rs []rune
	for r := range ts.missing {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	return fmt.Errorf("sample: the font has no glyph for %q", string(rs))
}

// doc is one PDF being laid out top to bottom.
type doc struct {
	pdf    *gopdf.GoPdf
	w, h   float64
	margin float64
	y      float64
	size   float64
	pages  int
}

// newDoc starts a document: A4 portrait, or 16:9 slides.
func (ts *typesetter) newDoc(slides bool) (*doc, error) {
	d := &doc{pdf: &gopdf.GoPdf{}, w: 595.28, h: 841.89, margin: 72}
	if slides {
		d.w, d.h, d.margin = 960, 540, 48
	}
	d.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: d.w, H: d.h}, Unit: gopdf.UnitPT})
	d.pdf.SetCompressLevel(6)
	if err := d.pdf.AddTTFFontFromFontContainer(fontFamily, &ts.fonts); err != nil {
		return nil, err
	}
	d.page()
	return d, d.font(14)
}

func (d *doc) page() {
	d.pdf.AddPage()
	d.pages++
	d.y = d.margin
}

func (d *doc) font(size float64) error {
	d.size = size
	return d.pdf.SetFont(fontFamily, "", size)
}

func (d *doc) lineHeight() float64 { return d.size * 1.75 }

// room starts a new page when h points do not fit.
func (d *doc) room(h float64) {
	if d.y+h > d.h-d.margin {
		d.page()
	}
}

func (d *doc) width(s string) float64 {
	w, err := d.pdf.MeasureTextWidth(s)
	if err != nil {
		return 0
	}
	return w
}

func (d *doc) at(x float64, s string) {
	d.pdf.SetXY(x, d.y)
	_ = d.pdf.Cell(nil, s)
}

// center writes one centred line.
func (d *doc) center(s string, size float64) {
	_ = d.font(size)
	d.room(d.lineHeight())
	d.at((d.w-d.width(s))/2, s)
	d.y += d.lineHeight()
}

// right writes one line flush right.
func (d *doc) right(s string) {
	d.room(d.lineHeight())
	d.at(d.w-d.margin-d.width(s)-d.size, s)
	d.y += d.lineHeight()
}

// left writes one line flush left.
func (d *doc) left(s string) {
	d.room(d.lineHeight())
	d.at(d.margin, s)
	d.y += d.lineHeight()
}

// para writes a paragraph wrapped to the text width; a leading 　　 indents it.
func (d *doc) para(s string) {
	for _, l := range d.wrap(s, d.w-2*d.margin) {
		d.left(l)
	}
}

// Punctuation that must not start a line, and that must not end one (GB/T 15834).
const (
	noLineStart = "，。、；：？！）》」』”’％,.;:?!)%"
	noLineEnd   = "（《「『“‘("
)

// wrap breaks s into lines of at most width points: between CJK characters and
// between runs of Latin letters and digits, never before closing or after opening
// punctuation (a closing mark may hang past the margin).
func (d *doc) wrap(s string, width float64) []string {
	var toks []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		if rs[i] < 128 && rs[i] != ' ' {
			for j < len(rs) && rs[j] < 128 && rs[j] != ' ' {
				j++
			}
		}
		toks = append(toks, string(rs[i:j]))
		i = j
	}
	var lines []string
	var line []string
	w := 0.0
	for _, t := range toks {
		tw := d.width(t)
		first, _ := utf8.DecodeRuneInString(t)
		if w+tw > width && len(line) > 0 && !strings.ContainsRune(noLineStart, first) {
			var carry []string
			if last, _ := utf8.DecodeRuneInString(line[len(line)-1]); strings.ContainsRune(noLineEnd, last) && len(line) > 1 {
				carry = line[len(line)-1:]
				line = line[:len(line)-1]
			}
			lines = append(lines, strings.Join(line, ""))
			line = append([]string(nil), carry...)
			w = 0
			for _, c := range line {
				w += d.width(c)
			}
		}
		line = append(line, t)
		w += tw
	}
	if len(line) > 0 {
		lines = append(lines, strings.Join(line, ""))
	}
	return lines
}

// gap moves down by a fraction of a line.
func (d *doc) gap(lines float64) { d.y += lines * d.lineHeight() }

// table draws a ruled table; widths are fractions of the text width.
func (d *doc) table(widths []float64, rows [][]string, size float64) {
	_ = d.font(size)
	total := d.w - 2*d.margin
	pad := 4.0
	for r, row := range rows {
		cells := make([][]string, len(row))
		n := 1
		for i, s := range row {
			lines := d.wrap(s, widths[i]*total-2*pad)
			if len(lines) == 0 {
				lines = []string{""}
			}
			cells[i] = lines
			n = max(n, len(lines))
		}
		h := float64(n)*size*1.4 + 2*pad
		if d.y+h > d.h-d.margin {
			d.page()
			_ = d.font(size)
		}
		x := d.margin
		for i, lines := range cells {
			cw := widths[i] * total
			if r == 0 {
				d.pdf.SetFillColor(235, 235, 235)
				d.pdf.RectFromUpperLeftWithStyle(x, d.y, cw, h, "FD")
				// The text is painted with the fill colour: back to black, or
				// the header row's words come out as pale as its shading.
				d.pdf.SetFillColor(0, 0, 0)
				d.pdf.SetTextColor(0, 0, 0)
			} else {
				d.pdf.RectFromUpperLeftWithStyle(x, d.y, cw, h, "D")
			}
			for k, l := range lines {
				d.pdf.SetXY(x+pad, d.y+pad+float64(k)*size*1.4+size*0.15)
				_ = d.pdf.Cell(nil, l)
			}
			x += cw
		}
		d.y += h
	}
	d.pdf.SetFillColor(0, 0, 0)
}

// bytes finishes the document with fixed metadata.
func (d *doc) bytes(title, author string, created time.Time) ([]byte, error) {
	d.pdf.SetInfo(gopdf.PdfInfo{Title: title, Author: author, Creator: "yanshou demo sample",
		Producer: "gopdf", CreationDate: created})
	var b bytes.Buffer
	if _, err := d.pdf.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// slidePage draws one courseware slide: a coloured title band and bullet points.
func (d *doc) slidePage(theme [3]uint8, footer, heading string, points []string, first bool) {
	if !first {
		d.page()
	}
	p := d.pdf
	p.SetFillColor(theme[0], theme[1], theme[2])
	p.RectFromUpperLeftWithStyle(0, 0, d.w, 96, "F")
	p.SetFillColor(theme[0]/2+120, theme[1]/2+120, theme[2]/2+120)
	p.RectFromUpperLeftWithStyle(0, d.h-36, d.w, 36, "F")
	p.SetTextColor(255, 255, 255)
	_ = d.font(34)
	d.y = 30
	d.at(d.margin, heading)
	_ = d.font(14)
	d.y = d.h - 28
	d.at(d.margin, footer)
	p.SetTextColor(40, 40, 40)
	_ = d.font(26)
	d.y = 140
	for _, pt := range points {
		p.SetFillColor(theme[0], theme[1], theme[2])
		p.RectFromUpperLeftWithStyle(d.margin+8, d.y+10, 12, 12, "F")
		d.at(d.margin+36, pt)
		d.y += 62
	}
	p.SetTextColor(0, 0, 0)
	p.SetFillColor(0, 0, 0)
}

// coverPage draws a courseware title slide.
func (d *doc) coverPage(theme [3]uint8, title, teacher, org, when string, first bool) {
	if !first {
		d.page()
	}
	p := d.pdf
	p.SetFillColor(theme[0], theme[1], theme[2])
	p.RectFromUpperLeftWithStyle(0, 0, d.w, d.h, "F")
	p.SetFillColor(255, 255, 255)
	p.RectFromUpperLeftWithStyle(d.margin, 300, d.w-2*d.margin, 3, "F")
	p.SetTextColor(255, 255, 255)
	_ = d.font(44)
	d.y = 190
	d.at((d.w-d.width(title))/2, title)
	_ = d.font(22)
	for i, s := range []string{"主讲：" + teacher, org, when} {
		d.y = 330 + float64(i)*40
		d.at((d.w-d.width(s))/2, s)
	}
	p.SetTextColor(0, 0, 0)
	p.SetFillColor(0, 0, 0)
}

// redHeader draws the letterhead of an official document (红头文件).
func (d *doc) redHeader(org, number string) {
	d.pdf.SetTextColor(200, 16, 16)
	_ = d.font(30)
	d.at((d.w-d.width(org))/2, org)
	d.y += 60
	d.pdf.SetTextColor(0, 0, 0)
	_ = d.font(14)
	d.at((d.w-d.width(number))/2, number)
	d.y += 26
	d.pdf.SetStrokeColor(200, 16, 16)
	d.pdf.SetLineWidth(2)
	d.pdf.Line(d.margin, d.y, d.w-d.margin, d.y)
	d.pdf.SetLineWidth(1)
	d.pdf.SetStrokeColor(0, 0, 0)
	d.y += 30
}
