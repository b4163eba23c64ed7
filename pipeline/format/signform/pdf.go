package signform

import (
	"fmt"

	"yanshou/pipeline/format/pdfdoc"
)

// Row is one printed row of the table; a blank row for a walk-in has only No.
type Row struct{ No, Name, ID, Phone string }

// SheetPage is one page: its QR payload, its page line (第 1 页 共 2 页) and its
// rows (the list's entries first, then the blank ones).
type SheetPage struct {
	Payload  Payload
	PageLine string
	Rows     []Row
}

// Sheet is one session's sign-in sheet, all its wording given by the caller.
type Sheet struct {
	Title, ClassLine, SessionLine, Instruction string
	Columns                                    [NumCols]string
	Pages                                      []SheetPage
}

// pt converts millimetres to PDF points.
func pt(mm float64) float64 { return mm * 72 / 25.4 }

// WritePDF writes the sheet as an A4 PDF at path, in the configured fonts
// (see pdfdoc.New). A *pdfdoc.MissingGlyphsError is returned after writing
// when a character had no glyph.
func (s Sheet) WritePDF(path string, fonts []string, info pdfdoc.Info) error {
	d, err := pdfdoc.New(fonts, path)
	if err != nil {
		return err
	}
	for i, p := range s.Pages {
		if i > 0 {
			d.NewPage()
		}
		if err := s.drawPage(d, p); err != nil {
			return fmt.Errorf("%s 第 %d 页：%w", path, i+1, err)
		}
	}
	return d.Save(path, info)
}

func (s Sheet) drawPage(d *pdfdoc.Doc, p SheetPage) error {
	if len(p.Rows) > RowsPerPage {
		return fmt.Errorf("一页最多 %d 行，给了 %d 行", RowsPerPage, len(p.Rows))
	}
	for _, m := range Marks {
		d.Box(pt(m.X), pt(m.Y), pt(m.W), pt(m.H), pdfdoc.Black)
	}
	mods, err := Modules(p.Payload.String())
	if err != nil {
		return err
	}
	mod := QRModule(len(mods))
	for y, row := range mods {
		for x, dark := range row {
			if dark {
				// a hair wider than the module, so that neighbours join without seams
				d.Box(pt(QRBox.X+float64(x+QRQuiet)*mod), pt(QRBox.Y+float64(y+QRQuiet)*mod), pt(mod)+0.15, pt(mod)+0.15, pdfdoc.Black)
			}
		}
	}
	d.SetColor(pdfdoc.Black)
	d.Text(pt(TitleAt.X), pt(TitleAt.Y), s.Title, 16)
	d.Text(pt(ClassAt.X), pt(ClassAt.Y), d.Fit(s.ClassLine, 10.5, pt(QRBox.X-ClassAt.X-2)), 10.5)
	d.Text(pt(SessionAt.X), pt(SessionAt.Y), s.SessionLine, 10.5)
	d.Text(pt(PageAt.X), pt(PageAt.Y), p.PageLine, 10.5)
	d.SetColor(pdfdoc.Gray)
	for i, l := range d.Lines(s.Instruction, 8, pt(TableRight-InstructionAt.X)) {
		if i == 2 { // two lines fit above the table
			break
		}
		d.Text(pt(InstructionAt.X), pt(InstructionAt.Y)+float64(i)*10, l, 8)
	}
	d.SetColor(pdfdoc.Black)
	for c := 0; c < NumCols; c++ {
		r := HeaderCell(c)
		d.Box(pt(r.X), pt(r.Y), pt(r.W), pt(r.H), pdfdoc.RGB{R: 235, G: 235, B: 235})
		d.TextCenter(pt(r.X+r.W/2), pt(r.Y+2.2), s.Columns[c], 10)
	}
	for i := 0; i < RowsPerPage; i++ {
		var row Row
		if i < len(p.Rows) {
			row = p.Rows[i]
		}
		for c, t := range []string{row.No, row.Name, row.ID, row.Phone} {
			r := Cell(i, c)
			d.TextCenter(pt(r.X+r.W/2), pt(r.Y+2.4), d.Fit(t, 10, pt(r.W-2)), 10)
		}
	}
	// the ruling: thin, so that it stays outside the measured part of a box
	lw := 0.6
	bottom := TableBottom()
	for i := 0; i <= RowsPerPage+1; i++ {
		y := TableY
		if i > 0 {
			y = TableY + HeaderH + float64(i-1)*RowH
		}
		d.Line(pt(TableX), pt(y), pt(TableRight), pt(y), lw, pdfdoc.Black)
	}
	for c := 0; c <= NumCols; c++ {
		x := TableRight
		if c < NumCols {
			x = colX(c)
		}
		d.Line(pt(x), pt(TableY), pt(x), pt(bottom), lw, pdfdoc.Black)
	}
	return d.Err()
}
