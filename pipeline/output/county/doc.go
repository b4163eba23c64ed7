// Package county writes the county-level documents of the pre-inspection batch
// (第十条, 第十四条, 第十五条 of the measures): the one-page county summary
// (全县汇总.pdf), the inspection record form of one institution
// (《电子商务培训检查记录表》), the poor-household coverage against the county
// registry (第三条) and the institutions' monthly plans against what they
// delivered. It works from the ledger's class records; it draws its PDFs with
// gopdf directly (rectangles and lines for the chart, no plotting module).
package county

import (
	"fmt"
	"io"

	"github.com/signintech/gopdf"

	"yanshou"
	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/platform/durable"
)

// Page size (A4, points) and margins.
const (
	pageW  = 595.0
	pageH  = 842.0
	margin = 50.0
)

// doc is a gopdf document with the county's CJK font and, for characters that
// font lacks, fallback fonts chosen per character. A character no font has is
// an error: a glyph never silently becomes a blank.
type doc struct {
	gp        *gopdf.GoPdf
	primary   string   // spec of the primary font
	fallbacks []string // specs, loaded on first use
	loaded    map[string]string
	err       error
}

func newDoc(cfg *yanshou.Config, title string) (*doc, error) {
	spec, err := fonts.Find(cfg.Fonts)
	if err != nil {
		return nil, err
	}
	d := &doc{gp: &gopdf.GoPdf{}, primary: spec, fallbacks: fonts.Fallbacks(cfg.Fonts, spec), loaded: map[string]string{}}
	d.gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	d.gp.SetCompressLevel(6)
	d.gp.SetInfo(gopdf.PdfInfo{Title: title, Creator: cfg.Office, Producer: "yanshou"})
	if _, err := d.family(spec); err != nil {
		return nil, err
	}
	return d, nil
}

// family loads the font at spec into the document once and returns its name.
func (d *doc) family(spec string) (string, error) {
	if name, ok := d.loaded[spec]; ok {
		return name, nil
	}
	data, err := fonts.Load(spec)
	if err != nil {
		return "", fmt.Errorf("读取字体 %s 失败：%w", spec, err)
	}
	name := fmt.Sprintf("f%d", len(d.loaded))
	if err := d.gp.AddTTFFontData(name, data); err != nil {
		return "", fmt.Errorf("字体 %s 无法使用（需为 TrueType .ttf）：%w", spec, err)
	}
	d.loaded[spec] = name
	return name, nil
}

// fontFor returns the spec of the first font with a glyph for r.
func (d *doc) fontFor(r rune) (string, error) {
	if r == ' ' || r == '\u3000' || fonts.Covers(d.primary, r) {
		return d.primary, nil
	}
	for _, fb := range d.fallbacks {
		if fonts.Covers(fb, r) {
			return fb, nil
		}
	}
	return "", fmt.Errorf("没有字体含有字符「%c」（U+%04X）：请在配置 fonts: 中加入含此字的 TrueType 字体", r, r)
}

// run is a piece of text set in one font.
type run struct{ spec, text string }

func (d *doc) runs(s string) []run {
	var out []run
	for _, r := range s {
		spec, err := d.fontFor(r)
		if err != nil {
			d.fail(err)
			spec = d.primary
		}
		if n := len(out); n > 0 && out[n-1].spec == spec {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, run{spec, string(r)})
	}
	return out
}

func (d *doc) fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

func (d *doc) setFont(spec string, size float64) {
	name, err := d.family(spec)
	if err != nil {
		d.fail(err)
		return
	}
	d.fail(d.gp.SetFont(name, "", size))
}

// width measures s at size points.
func (d *doc) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range d.runs(s) {
		d.setFont(r.spec, size)
		m, err := d.gp.MeasureTextWidth(r.text)
		d.fail(err)
		w += m
	}
	return w
}

// text sets s with its top-left corner at (x, y).
func (d *doc) text(x, y float64, s string, size float64) {
	for _, r := range d.runs(s) {
		d.setFont(r.spec, size)
		d.gp.SetXY(x, y)
		d.fail(d.gp.Cell(nil, r.text))
		m, err := d.gp.MeasureTextWidth(r.text)
		d.fail(err)
		x += m
	}
}

// textRight sets s ending at x; textCenter centres it on x.
func (d *doc) textRight(x, y float64, s string, size float64) {
	d.text(x-d.width(s, size), y, s, size)
}

func (d *doc) textCenter(x, y float64, s string, size float64) {
	d.text(x-d.width(s, size)/2, y, s, size)
}

// fit shortens s with "…" until it fits in w.
func (d *doc) fit(s string, size, w float64) string {
	if d.width(s, size) <= w {
		return s
	}
	rs := []rune(s)
	for len(rs) > 1 {
		rs = rs[:len(rs)-1]
		if t := string(rs) + "…"; d.width(t, size) <= w {
			return t
		}
	}
	return s
}

// wrap breaks s into lines no wider than w (per character: Chinese has no spaces).
func (d *doc) wrap(s string, size, w float64) []string {
	var lines []string
	var cur []rune
	for _, r := range s {
		if d.width(string(append(cur, r)), size) > w && len(cur) > 0 {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

func (d *doc) color(c [3]uint8) {
	d.gp.SetFillColor(c[0], c[1], c[2])
	d.gp.SetStrokeColor(c[0], c[1], c[2])
}

func (d *doc) textColor(c [3]uint8) { d.gp.SetTextColor(c[0], c[1], c[2]) }

// box fills a rectangle given by its top-left corner.
func (d *doc) box(x, y, w, h float64, c [3]uint8) {
	if w <= 0 || h <= 0 {
		return
	}
	d.color(c)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// frame strokes a rectangle.
func (d *doc) frame(x, y, w, h, lw float64, c [3]uint8) {
	d.color(c)
	d.gp.SetLineWidth(lw)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

func (d *doc) line(x1, y1, x2, y2, lw float64, c [3]uint8) {
	d.gp.SetStrokeColor(c[0], c[1], c[2])
	d.gp.SetLineWidth(lw)
	d.gp.Line(x1, y1, x2, y2)
}

// write saves the document to path durably: a full disk or any other write
// error leaves no file at path.
func (d *doc) write(path string) error {
	if d.err != nil {
		return d.err
	}
	return durable.Write(path, 0o644, func(w io.Writer) error {
		_, err := d.gp.WriteTo(w)
		return err
	})
}

// Colours of verdicts and standings.
var (
	colPass  = [3]uint8{0x4C, 0x9A, 0x5B}
	colFail  = [3]uint8{0xE8, 0x9B, 0x2E}
	colVeto  = [3]uint8{0xC6, 0x3B, 0x3B}
	colInk   = [3]uint8{0x22, 0x22, 0x22}
	colGrey  = [3]uint8{0x77, 0x77, 0x77}
	colLight = [3]uint8{0xDD, 0xDD, 0xDD}
	colPanel = [3]uint8{0xF3, 0xF5, 0xF8}
	colBlue  = [3]uint8{0x2F, 0x5D, 0x9A}
)

func verdictColor(v yanshou.Verdict) [3]uint8 {
	switch v {
	case yanshou.Fail:
		return colFail
	case yanshou.Veto:
		return colVeto
	}
	return colPass
}
