// Package signform is the paper sign-in sheet (纸质签到表) of yanshou, domain-free:
// the layout of an A4 page in millimetres (four solid corner marks, a QR code
// top right, header lines, a table of up to RowsPerPage rows whose last column
// is a signature box), the QR payload that tells a page from its picture (which
// class, session and page, which roster rows), the QR modules, the split of a
// list into pages, and the PDF writer (through pipeline/format/pdfdoc).
//
// Coordinates are millimetres from the page's top-left corner, y down.
package signform

// Page size (A4 portrait) in millimetres.
const (
	PageW = 210.0
	PageH = 297.0
)

// RowsPerPage is the number of table rows on a page.
const RowsPerPage = 25

// Point is a position on the page in millimetres.
type Point struct{ X, Y float64 }

// Rect is a rectangle on the page in millimetres, by its top-left corner.
type Rect struct{ X, Y, W, H float64 }

// Centre is the middle of the rectangle.
func (r Rect) Centre() Point { return Point{r.X + r.W/2, r.Y + r.H/2} }

// Inset is the rectangle shrunk by d on every side.
func (r Rect) Inset(d float64) Rect { return Rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d} }

// Corner marks: solid squares (a QR finder is a square within a ring, so the
// two are not mistaken for each other), in the order top-left, top-right,
// bottom-left, bottom-right.
const MarkSize = 8.0

// Marks are the four corner marks.
var Marks = [4]Rect{
	{10, 10, MarkSize, MarkSize},
	{PageW - 10 - MarkSize, 10, MarkSize, MarkSize},
	{10, PageH - 10 - MarkSize, MarkSize, MarkSize},
	{PageW - 10 - MarkSize, PageH - 10 - MarkSize, MarkSize, MarkSize},
}

// QRBox is where the QR code (with its quiet zone) is printed.
var QRBox = Rect{PageW - 10 - MarkSize - 4 - 34, 6, 34, 34}

// QRQuiet is the quiet zone around the QR code, in modules.
const QRQuiet = 2

// Header lines: the title, the class, the date and session, the page; then the
// instruction line. Each is the top of a line of text.
var (
	TitleAt       = Point{24, 11}
	ClassAt       = Point{24, 21}
	SessionAt     = Point{24, 28}
	PageAt        = Point{24, 35}
	InstructionAt = Point{18, 41} // two lines at most
)

// Columns of the table, left to right.
const (
	ColNo = iota
	ColName
	ColID
	ColPhone
	ColSign
	NumCols
)

// Table geometry.
const (
	TableX     = 18.0
	TableY     = 50.0
	HeaderH    = 8.0
	RowH       = 8.6
	SignInset  = 1.2 // the part of a signature box measured for ink lies this far inside its ruling
	TableRight = PageW - 18.0
)

// ColW are the column widths; they add up to the table's width.
var ColW = [NumCols]float64{12, 32, 50, 20, TableRight - TableX - 12 - 32 - 50 - 20}

// HeaderCell is column c of the header row.
func HeaderCell(c int) Rect { return Rect{colX(c), TableY, ColW[c], HeaderH} }

// Cell is column c of table row i (from 0).
func Cell(i, c int) Rect { return Rect{colX(c), TableY + HeaderH + float64(i)*RowH, ColW[c], RowH} }

// SignBox is the signature box of row i, its ruling included.
func SignBox(i int) Rect { return Cell(i, ColSign) }

// TableBottom is the bottom ruling of the table.
func TableBottom() float64 { return TableY + HeaderH + RowsPerPage*RowH }

func colX(c int) float64 {
	x := TableX
	for k := 0; k < c; k++ {
		x += ColW[k]
	}
	return x
}
