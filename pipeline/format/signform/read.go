package signform

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// State is what a box was read as.
type State int

// Box states.
const (
	Empty  State = iota // 未签: no ink
	Signed              // 已签: ink enough for a signature
	Unsure              // 无法判断: a mark too small for a signature, or the picture too poor to tell
)

// String names the state (for tests and logs; documents word it from templates).
func (s State) String() string { return [...]string{"empty", "signed", "unsure"}[s] }

// Limits are the ink shares (dark samples ÷ samples inside a box) that decide
// a box: at or above SignedMin signed, at or below EmptyMax empty, between
// them unsure.
type Limits struct{ SignedMin, EmptyMax float64 }

// Box is one row's reading: the signature box's ink share and state, and for a
// blank row (a walk-in) the name cell's too; Crop is the signature box
// straightened (CropPerMM samples a millimetre), for the reviewer.
type Box struct {
	Row       int // on the page, from 0
	Ink       float64
	Span      float64 // mm from the leftmost to the rightmost inked column
	State     State
	NameInk   float64 // blank rows only
	NameState State   // blank rows only
	Crop      *image.Gray
	NameCrop  *image.Gray // blank rows only
}

// CropPerMM is the resolution of the straightened crops.
const CropPerMM = 4

// PageRead is what one picture of a page gave.
type PageRead struct {
	Payload Payload
	Boxes   []Box // one per printed row (Rows + Blank)
	Scale   float64
	Marks   [4]Point // corner mark centres found, in picture pixels of the work image
}

// Errors of ReadPage. ErrNoQR: no QR code could be read (not one of our sheets,
// or too poor a picture to tell); ErrNotOurs: a QR code of something else;
// ErrNoMarks: the page is ours (PageRead.Payload is set) but its corner marks
// were not all found, so its boxes were not read.
var (
	ErrNoQR    = errors.New("未找到可读取的签到表二维码")
	ErrNoMarks = errors.New("找到了二维码，但未找到全部四个角的定位方块（可能被遮挡、折叠或拍摄不全）")
)

// Pictures are reduced to workMaxSide before reading (QR code and boxes), and
// to markMaxSide for finding the corner marks.
const (
	workMaxSide = 4096
	markMaxSide = 1600
)

// ReadPage reads one picture of a printed sheet (a scan or a photo, any
// rotation, tilted in perspective): the QR code, the four corner marks, the
// homography from the page to the picture, and the ink in every box.
func ReadPage(img image.Image, lim Limits) (*PageRead, error) {
	g := grey(img, workMaxSide)
	text, finders, err := decodeQR(g)
	if err != nil {
		return nil, err
	}
	p, err := ParsePayload(text)
	if err != nil {
		return nil, err
	}
	out := &PageRead{Payload: p}
	mods, err := Modules(text)
	if err != nil {
		return out, err
	}
	pageFinders := QRFinders(len(mods))
	aff, err := Affine(pageFinders, finders)
	if err != nil {
		return out, ErrNoMarks
	}
	scale := math.Sqrt(math.Abs(aff[0][0]*aff[1][1] - aff[0][1]*aff[1][0])) // px per mm
	out.Scale = scale
	gm := grey(g, markMaxSide)
	f := float64(g.Bounds().Dx()) / float64(gm.Bounds().Dx())
	small := aff
	for c := 0; c < 3; c++ {
		small[0][c] /= f
		small[1][c] /= f
	}
	marks, ok := findMarks(gm, small, scale/f)
	for i := range marks {
		marks[i] = Point{marks[i].X * f, marks[i].Y * f}
	}
	if !ok {
		return out, ErrNoMarks
	}
	out.Marks = marks
	var page [4]Point
	for i, m := range Marks {
		page[i] = m.Centre()
	}
	h, err := FitHomography(page, marks)
	if err != nil {
		return out, ErrNoMarks
	}
	// the QR code must sit where the marks put it: else a mark was taken wrongly
	mod := QRModule(len(mods))
	for i := range pageFinders {
		q := h.Apply(pageFinders[i])
		if math.Hypot(q.X-finders[i].X, q.Y-finders[i].Y) > 3*mod*scale+2 {
			return out, ErrNoMarks
		}
	}
	for i := 0; i < p.Rows+p.Blank; i++ {
		b := Box{Row: i}
		b.Crop, b.Ink, b.Span = ink(g, h, SignBox(i))
		b.State = decide(b.Ink, b.Span, lim)
		if i >= p.Rows {
			var span float64
			b.NameCrop, b.NameInk, span = ink(g, h, Cell(i, ColName))
			b.NameState = decide(b.NameInk, span, lim)
		}
		out.Boxes = append(out.Boxes, b)
	}
	return out, nil
}

// SpanSigned is the width of ink (mm) that makes a box signed at half the
// SignedMin share: a name of two characters or more written lightly, not a
// tick (about 5 mm) nor a dot.
const SpanSigned = 8.0

func decide(share, span float64, lim Limits) State {
	switch {
	case share >= lim.SignedMin, share >= lim.SignedMin/2 && span >= SpanSigned:
		return Signed
	case share <= lim.EmptyMax:
		return Empty
	}
	return Unsure
}

// grey is the picture's luminance reduced by a whole factor until its longest
// side is at most maxSide.
func grey(img image.Image, maxSide int) *image.Gray {
	b := img.Bounds()
	k := 1
	for (b.Dx()+k-1)/k > maxSide || (b.Dy()+k-1)/k > maxSide {
		k++
	}
	w, h := (b.Dx()+k-1)/k, (b.Dy()+k-1)/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	sum := make([]uint32, w)
	cnt := make([]uint32, w)
	lum := func(x, y int) uint32 {
		switch m := img.(type) {
		case *image.Gray:
			return uint32(m.Pix[m.PixOffset(x, y)])
		case *image.YCbCr:
			return uint32(m.Y[m.YOffset(x, y)])
		}
		r, gg, bb, _ := img.At(x, y).RGBA()
		return (19595*r + 38470*gg + 7471*bb + 1<<15) >> 24
	}
	for oy := 0; oy < h; oy++ {
		clear(sum)
		clear(cnt)
		for y := b.Min.Y + oy*k; y < b.Min.Y+(oy+1)*k && y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				ox := (x - b.Min.X) / k
				sum[ox] += lum(x, y)
				cnt[ox]++
			}
		}
		row := out.Pix[oy*out.Stride:]
		for ox := 0; ox < w; ox++ {
			row[ox] = uint8(sum[ox] / max(cnt[ox], 1))
		}
	}
	return out
}

// decodeQR finds the QR code: in the picture as it is, then sharpened (a
// blurred phone photo), then enlarged twice (small modules), then halved (a
// noisy scan). The finder centres are in the picture's pixels.
func decodeQR(g *image.Gray) (string, [3]Point, error) {
	var pts [3]Point
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	tries := []func() *image.Gray{
		func() *image.Gray { return g },
		func() *image.Gray { return sharpen(g, 1.5) },
		func() *image.Gray {
			if max(w, h) > 2600 {
				return nil
			}
			return sharpen(enlarge(g), 1)
		},
		func() *image.Gray {
			if max(w, h) > 2600 {
				return nil
			}
			return sharpen(enlarge(g), 3)
		},
		func() *image.Gray { return grey(g, (max(w, h)+1)/2) },
	}
	for _, try := range tries {
		src := try()
		if src == nil {
			continue
		}
		text, rp, ok := decodeOnce(src)
		if !ok {
			continue
		}
		fx := float64(w) / float64(src.Bounds().Dx())
		fy := float64(h) / float64(src.Bounds().Dy())
		for i := 0; i < 3; i++ {
			pts[i] = Point{(rp[i].X + 0.5) * fx, (rp[i].Y + 0.5) * fy}
		}
		return text, pts, nil
	}
	return "", pts, ErrNoQR
}

var qrHints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}

func decodeOnce(src *image.Gray) (string, [3]Point, bool) {
	var pts [3]Point
	ls, err := gozxing.NewPlanarYUVLuminanceSource(src.Pix, src.Stride, src.Bounds().Dy(), 0, 0, src.Bounds().Dx(), src.Bounds().Dy(), false)
	if err != nil {
		return "", pts, false
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(ls))
	if err != nil {
		return "", pts, false
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, qrHints)
	if err != nil {
		return "", pts, false
	}
	rp := res.GetResultPoints()
	if len(rp) < 3 {
		return "", pts, false
	}
	for i := 0; i < 3; i++ {
		pts[i] = Point{rp[i].GetX(), rp[i].GetY()}
	}
	return res.GetText(), pts, true
}

// sharpen is an unsharp mask of amount a over a 5×5 box blur.
func sharpen(g *image.Gray, a float64) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	tmp := make([]int32, w*h)
	const r = 2
	for y := 0; y < h; y++ {
		row := g.Pix[y*g.Stride:]
		s := int32(0)
		for x := -r; x <= r; x++ {
			s += int32(row[min(max(x, 0), w-1)])
		}
		for x := 0; x < w; x++ {
			tmp[y*w+x] = s
			s += int32(row[min(x+r+1, w-1)]) - int32(row[max(x-r, 0)])
		}
	}
	for x := 0; x < w; x++ {
		s := int32(0)
		for y := -r; y <= r; y++ {
			s += tmp[min(max(y, 0), h-1)*w+x]
		}
		for y := 0; y < h; y++ {
			blurred := float64(s) / 25
			v := float64(g.Pix[y*g.Stride+x])
			out.Pix[y*out.Stride+x] = uint8(math.Max(0, math.Min(255, v+a*(v-blurred))))
			s += tmp[min(y+r+1, h-1)*w+x] - tmp[max(y-r, 0)*w+x]
		}
	}
	return out
}

// enlarge doubles the picture (bilinear).
func enlarge(g *image.Gray) *image.Gray {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	out := image.NewGray(image.Rect(0, 0, 2*w, 2*h))
	for y := 0; y < 2*h; y++ {
		for x := 0; x < 2*w; x++ {
			out.Pix[y*out.Stride+x] = uint8(sample(g, Point{(float64(x) + 0.5) / 2, (float64(y) + 0.5) / 2}) + 0.5)
		}
	}
	return out
}

// blob is a connected dark region.
type blob struct {
	area                   int
	minX, minY, maxX, maxY int
	sx, sy                 float64
}

// findMarks finds the four corner marks: solid dark squares about MarkSize
// across, each the candidate nearest where the QR code alone puts it.
func findMarks(g *image.Gray, aff Homography, scale float64) ([4]Point, bool) {
	var out [4]Point
	side := MarkSize * scale
	if side < 4 {
		return out, false
	}
	blobs := darkBlobs(g, int(2*side))
	var cands []Point
	for _, b := range blobs {
		w, h := float64(b.maxX-b.minX+1), float64(b.maxY-b.minY+1)
		a := float64(b.area)
		if w < 0.55*side || h < 0.55*side || w > 1.9*side || h > 1.9*side {
			continue
		}
		if a < 0.45*side*side || a > 1.9*side*side || a/(w*h) < 0.45 {
			continue
		}
		cands = append(cands, Point{b.sx / a, b.sy / a})
	}
	reach := 70 * scale // perspective moves the far corners from where the QR code alone puts them
	used := map[int]bool{}
	for i, m := range Marks {
		want := aff.Apply(m.Centre())
		best, bd := -1, reach
		for k, c := range cands {
			if d := math.Hypot(c.X-want.X, c.Y-want.Y); d < bd && !used[k] {
				best, bd = k, d
			}
		}
		if best < 0 {
			return out, false
		}
		used[best] = true
		out[i] = cands[best]
	}
	return out, true
}

// darkBlobs labels the pixels darker than their neighbourhood (a window of
// about win pixels) and returns the connected regions (4-connected).
func darkBlobs(g *image.Gray, win int) []blob {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	integ := make([]uint64, (w+1)*(h+1))
	for y := 0; y < h; y++ {
		var row uint64
		for x := 0; x < w; x++ {
			row += uint64(g.Pix[y*g.Stride+x])
			integ[(y+1)*(w+1)+x+1] = integ[y*(w+1)+x+1] + row
		}
	}
	r := max(win/2, 2)
	dark := make([]bool, w*h)
	for y := 0; y < h; y++ {
		y0, y1 := max(y-r, 0), min(y+r+1, h)
		for x := 0; x < w; x++ {
			x0, x1 := max(x-r, 0), min(x+r+1, w)
			s := integ[y1*(w+1)+x1] - integ[y0*(w+1)+x1] - integ[y1*(w+1)+x0] + integ[y0*(w+1)+x0]
			mean := float64(s) / float64((y1-y0)*(x1-x0))
			v := float64(g.Pix[y*g.Stride+x])
			dark[y*w+x] = v < 0.72*mean && v < 160
		}
	}
	var out []blob
	stack := make([]int, 0, 1024)
	for i, d := range dark {
		if !d {
			continue
		}
		b := blob{minX: w, minY: h, maxX: -1, maxY: -1}
		dark[i] = false
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			b.area++
			b.sx += float64(x) + 0.5
			b.sy += float64(y) + 0.5
			b.minX, b.maxX = min(b.minX, x), max(b.maxX, x)
			b.minY, b.maxY = min(b.minY, y), max(b.maxY, y)
			for _, q := range [4]int{p - 1, p + 1, p - w, p + w} {
				if q < 0 || q >= len(dark) || !dark[q] {
					continue
				}
				if (q == p-1 && x == 0) || (q == p+1 && x == w-1) {
					continue
				}
				dark[q] = false
				stack = append(stack, q)
			}
		}
		if b.area >= 16 {
			out = append(out, b)
		}
	}
	return out
}

// sample is the picture's luminance at a picture point (bilinear; white off
// the picture).
func sample(g *image.Gray, p Point) float64 {
	x, y := p.X-0.5, p.Y-0.5
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	if x0 < 0 || y0 < 0 || x0+1 >= w || y0+1 >= h {
		return 255
	}
	fx, fy := x-float64(x0), y-float64(y0)
	i := y0*g.Stride + x0
	a, b, c, d := float64(g.Pix[i]), float64(g.Pix[i+1]), float64(g.Pix[i+g.Stride]), float64(g.Pix[i+g.Stride+1])
	return a*(1-fx)*(1-fy) + b*fx*(1-fy) + c*(1-fx)*fy + d*fx*fy
}

// ink straightens the cell r (ruling included) at CropPerMM samples a
// millimetre and measures the share of dark samples inside SignInset of its
// ruling, and the width its ink spans. Dark is against the cell's own paper: a sample more than 35% below
// the cell's bright level (its 85th percentile), so shading and grey scans
// are measured alike. Lines of samples dark nearly all along (a ruling
// slightly off its place) are not counted as ink.
func ink(g *image.Gray, h Homography, r Rect) (*image.Gray, float64, float64) {
	w, ht := int(r.W*CropPerMM), int(r.H*CropPerMM)
	crop := image.NewGray(image.Rect(0, 0, w, ht))
	vals := make([]float64, 0, w*ht)
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			v := sample(g, h.Apply(Point{r.X + (float64(x)+0.5)/CropPerMM, r.Y + (float64(y)+0.5)/CropPerMM}))
			crop.Pix[y*crop.Stride+x] = uint8(v + 0.5)
			vals = append(vals, v)
		}
	}
	sorted := append([]float64(nil), vals...)
	sort.Float64s(sorted)
	paper := sorted[len(sorted)*85/100]
	if paper < 40 { // a box in deep shadow or black: nothing can be told
		return crop, math.NaN(), 0
	}
	limit := paper * 0.65
	inset := SignInset * CropPerMM
	in := int(inset)
	if 2*in >= w || 2*in >= ht {
		return crop, math.NaN(), 0
	}
	iw, ih := w-2*in, ht-2*in
	darkAt := func(x, y int) bool { return vals[(y+in)*w+x+in] < limit }
	rowLine := make([]bool, ih)
	for y := 0; y < ih; y++ {
		n := 0
		for x := 0; x < iw; x++ {
			if darkAt(x, y) {
				n++
			}
		}
		rowLine[y] = n > iw*6/10
	}
	colLine := make([]bool, iw)
	for x := 0; x < iw; x++ {
		n := 0
		for y := 0; y < ih; y++ {
			if darkAt(x, y) {
				n++
			}
		}
		colLine[x] = n > ih*8/10
	}
	n, left, right := 0, iw, -1
	for y := 0; y < ih; y++ {
		if rowLine[y] {
			continue
		}
		for x := 0; x < iw; x++ {
			if !colLine[x] && darkAt(x, y) {
				n++
				left, right = min(left, x), max(right, x)
			}
		}
	}
	span := 0.0
	if right >= left {
		span = float64(right-left+1) / CropPerMM
	}
	return crop, float64(n) / float64(iw*ih), span
}

// String describes a reading for logs.
func (p *PageRead) String() string {
	return fmt.Sprintf("%s 第%d/%d页 %d 行", p.Payload.Session, p.Payload.Page, p.Payload.Pages, len(p.Boxes))
}
