package photo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/format/ocr"
	"yanshou/templates"
)

// Watermark cameras burn the time and place into the picture, in a strip of
// white text near the bottom (sometimes the top). The strip is found without
// OCR, on the reduced grey plane the hashes use: rows where bright strokes
// meet dark, far denser than in the rest of the picture. Only then is that
// region cut from the full picture, scaled, turned into black text on white
// and read by tesseract (chi_sim, one uniform block), one process per photo
// with a bounded time.

// WatermarkAlgorithm names the version of the strip finder and reader, for
// caches of their results (a new version reads every photo again).
const WatermarkAlgorithm = "watermark-v1"

const (
	// wmEdgeStep is the luma step (0–255) between neighbouring plane samples
	// that counts as a stroke's edge, wmEdgeBright the brighter side's least
	// luma: the apps print white text with a shadow or on a dark panel.
	wmEdgeStep, wmEdgeBright = 40, 165
	// wmRowDensity: a row of the strip has at least this share of its samples
	// on a bright edge, and wmContrast times the median row of the picture.
	wmRowDensity, wmContrast = 0.035, 3.0
	// wmMinRows, wmMaxRows: a strip is at least, at most this share of the
	// picture's height; wmMargin: it reaches this near the bottom (or top) edge;
	// wmStandOut: its rows are this many times as dense as the rows beside it
	// (measured: 1.3 finds 30 of 30 generated strips, and 22 of the 117 real
	// camera photos, none with a watermark, look like one: an OCR run each).
	wmMinRows, wmMaxRows, wmMargin, wmStandOut = 0.02, 0.3, 0.12, 1.3
	// wmBottom, wmTop: the share of the height searched at the bottom and top.
	wmBottom, wmTop = 0.45, 0.25
	// wmOCRWidth is the width the whole picture is scaled to before its strip is
	// read: the apps size their text to the picture, so small lines come out
	// about 35 pixels high whatever the camera (measured: 1400 reads the big
	// clock of 今日水印 better than 2000, the small lines as well).
	wmOCRWidth = 1400
	// wmMaxOCRPixels bounds the strip image handed to tesseract.
	wmMaxOCRPixels = 4 << 20
	// wmTimeout bounds one photo's OCR.
	wmTimeout = 30 * time.Second
	// wmMinConf is the least tesseract confidence (0–100) of the lines the date
	// and time were read from; below it the reading is not used (measured: a big
	// clock's "17:26" read as "17:20" at 68, right readings mostly above 75).
	wmMinConf = 70
)

// WatermarkScan is what was found and read of a photo's watermark strip, before
// interpretation: the expensive part, cached by file content.
type WatermarkScan struct {
	Found  bool       `json:"found"`            // a strip of text was found
	Region [4]float64 `json:"region,omitempty"` // x0, y0, x1, y1 as fractions of the upright picture
	OCR    bool       `json:"ocr"`              // tesseract read it
	Lines  []ocr.Line `json:"lines,omitempty"`  // what it read
	Err    string     `json:"err,omitempty"`    // why it could not be read (Chinese)
}

// CanReadWatermarks reports whether tesseract with chi_sim is installed, so
// that watermark strips can be read.
func CanReadWatermarks() bool { return ocr.Available("chi_sim") }

// ScanWatermark finds a watermark strip in the picture at path and, when one is
// found and tesseract is here, reads it. A HEIC photo, a picture that cannot be
// decoded or one over maxPixels is no error: Found is false (the hashes say
// what is wrong with it).
func ScanWatermark(path string, maxPixels int64) WatermarkScan {
	return ScanWatermarkDecoded(path, nil, maxPixels)
}

// ScanWatermarkDecoded is ScanWatermark looking for the strip in d, the plane
// HashesSumDecoded decoded from the same file, instead of decoding it again
// (d nil: decoded here). Only a strip found is read from the file again, in
// full, for OCR.
func ScanWatermarkDecoded(path string, d *Decoded, maxPixels int64) (s WatermarkScan) {
	defer func() {
		if r := recover(); r != nil {
			s = WatermarkScan{Found: s.Found, Region: s.Region, Err: templates.Say("photo.wm_failed", r)}
		}
	}()
	pl, err := stripPlane(path, d, maxPixels)
	if err != nil {
		return s
	}
	region, ok := findStrip(pl)
	if !ok {
		return s
	}
	s.Found, s.Region = true, region
	if !CanReadWatermarks() {
		return s
	}
	pic, err := stripPicture(path, region, maxPixels)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	lines, err := ocr.Lines(pic, ocr.Options{Lang: "chi_sim", PSM: 11, Timeout: wmTimeout})
	if err != nil {
		s.Err = templates.Say("photo.wm_ocr_failed", err)
		return s
	}
	s.OCR, s.Lines = true, lines
	return s
}

// stripPlane is the reduced grey plane the strip is looked for in: the
// hashes' (the DC coefficients of a large JPEG: d's when not nil), or for a
// small picture, whose 8×8 means are too coarse for text, one from its full
// decode.
func stripPlane(path string, d *Decoded, maxPixels int64) (plane, error) {
	var pl plane
	var err error
	if d != nil {
		pl = d.pl
	} else if pl, err = loadPlane(path, maxPixels); err != nil {
		return pl, err
	}
	if max(pl.w, pl.h) < wmFinePlane {
		if fine, err := finePlane(path, maxPixels); err == nil {
			return fine, nil
		}
	}
	return pl, nil
}

// wmFinePlane: a plane with a longer side under this is remade from the
// full decode (pictures of at most wmFineMaxPixels: WeChat's 1080 pixels).
const wmFinePlane, wmFineMaxPixels, wmFineSide = 300, 4 << 20, 270

// finePlane is the upright luma plane of a small picture in k×k block means,
// k such that the longer side is about wmFineSide (the scale of a 2–3 MP
// picture's DC plane: the finder's thresholds hold for both).
func finePlane(path string, maxPixels int64) (plane, error) {
	if maxPixels <= 0 {
		maxPixels = wmFineMaxPixels
	}
	img, orientation, err := decodeFull(path, min(maxPixels, wmFineMaxPixels))
	if err != nil {
		return plane{}, err
	}
	b := img.Bounds()
	k := max(1, (max(b.Dx(), b.Dy())+wmFineSide-1)/wmFineSide)
	luma := lumaFunc(img)
	pl := plane{(b.Dx() + k - 1) / k, (b.Dy() + k - 1) / k, nil}
	pl.px = make([]float32, pl.w*pl.h)
	cnt := make([]float32, pl.w*pl.h)
	for y := 0; y < b.Dy(); y++ {
		row := (y / k) * pl.w
		for x := 0; x < b.Dx(); x++ {
			pl.px[row+x/k] += float32(luma(b.Min.X+x, b.Min.Y+y))
			cnt[row+x/k]++
		}
	}
	for i := range pl.px {
		pl.px[i] /= cnt[i]
	}
	return pl.orient(orientation), nil
}

// decodeFull decodes the whole picture at path (refused over maxPixels, > 0)
// and gives its EXIF orientation.
func decodeFull(path string, maxPixels int64) (image.Image, int, error) {
	f, size, err := openRegular(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	m, err := readMeta(f, size)
	if err != nil {
		return nil, 0, err
	}
	orientation := 1
	if m.tiff != nil {
		if fx, _, err := decodeExif(m.tiff, time.UTC); err == nil && fx.orientation >= 1 && fx.orientation <= 8 {
			orientation = fx.orientation
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil || maxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, 0, errors.New(templates.Say("photo.wm_undecodable"))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	img, _, err := image.Decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, 0, errors.New(templates.Say("photo.wm_undecodable"))
	}
	return img, orientation, nil
}

// findStrip looks for the band of text-like rows at the bottom (then the top)
// of the plane and returns its box, with a margin, as fractions.
func findStrip(pl plane) (region [4]float64, ok bool) {
	w, h := pl.w, pl.h
	if w < 32 || h < 32 {
		return region, false
	}
	density := make([]float64, h)
	for y := 0; y < h; y++ {
		row := pl.px[y*w : (y+1)*w]
		n := 0
		for x := 0; x+1 < w; x++ {
			a, b := row[x], row[x+1]
			if math.Abs(float64(a-b)) >= wmEdgeStep && max(a, b) >= wmEdgeBright {
				n++
			}
		}
		density[y] = float64(n) / float64(w)
	}
	sorted := append([]float64(nil), density...)
	sort.Float64s(sorted)
	floor := max(wmRowDensity, wmContrast*sorted[h/2])
	text := func(y int) bool { // the row or one of its neighbours: lines have gaps between them
		for d := -1; d <= 1; d++ {
			if y+d >= 0 && y+d < h && density[y+d] >= floor {
				return true
			}
		}
		return false
	}
	gap := max(2, h/50)
	best := func(from, to int) (y0, y1 int, score float64) {
		y0, y1 = -1, -1
		for y := from; y < to; {
			if !text(y) {
				y++
				continue
			}
			a, b, s, miss := y, y, 0.0, 0
			for ; y < to && miss <= gap; y++ {
				if text(y) {
					b, miss = y, 0
					s += density[y]
				} else {
					miss++
				}
			}
			if s > score {
				y0, y1, score = a, b, s
			}
		}
		return y0, y1, score
	}
	// Lines of thinner strokes (digits) next to a band: grow it over rows a
	// third as dense. A strip then must touch the picture's margin (the apps
	// print it there), be no taller than wmMaxRows and stand out from the rows
	// beside it (a textured scene is as dense around its densest rows).
	grow := func(y0, y1 int) (int, int) {
		for y0 > 0 && density[y0-1] >= floor/3 || y0 > 1 && density[y0-2] >= floor/3 {
			y0--
		}
		for y1 < h-1 && density[y1+1] >= floor/3 || y1 < h-2 && density[y1+2] >= floor/3 {
			y1++
		}
		return y0, y1
	}
	mean := func(a, b int) float64 {
		a, b = max(0, a), min(h-1, b)
		if b < a {
			return 0
		}
		s := 0.0
		for y := a; y <= b; y++ {
			s += density[y]
		}
		return s / float64(b-a+1)
	}
	strip := func(y0, y1 int, bottom bool) bool {
		rows := float64(y1 - y0 + 1)
		if y0 < 0 || rows < wmMinRows*float64(h) || rows > wmMaxRows*float64(h) {
			return false
		}
		if bottom && float64(y1) < (1-wmMargin)*float64(h) || !bottom && float64(y0) > wmMargin*float64(h) {
			return false
		}
		// Beside: from a third to a whole strip's height away (the nearest
		// rows may hold a faint line of the strip).
		near, far := max(1, int(rows/3)), max(2, int(rows))
		beside := mean(y0-far, y0-near)
		if !bottom {
			beside = mean(y1+near, y1+far)
		}
		return beside*wmStandOut <= mean(y0, y1)
	}
	y0, y1, _ := best(h-int(float64(h)*wmBottom), h)
	if y0 >= 0 {
		y0, y1 = grow(y0, y1)
	}
	if !strip(y0, y1, true) {
		if y0, y1, _ = best(0, int(float64(h)*wmTop)); y0 >= 0 {
			y0, y1 = grow(y0, y1)
		}
		if !strip(y0, y1, false) {
			return region, false
		}
	}
	// The columns: where the band's edges are.
	var xs []int
	for y := y0; y <= y1; y++ {
		row := pl.px[y*w : (y+1)*w]
		for x := 0; x+1 < w; x++ {
			if math.Abs(float64(row[x]-row[x+1])) >= wmEdgeStep && max(row[x], row[x+1]) >= wmEdgeBright {
				xs = append(xs, x)
			}
		}
	}
	if len(xs) < 8 {
		return region, false
	}
	sort.Ints(xs)
	x0, x1 := xs[0], xs[len(xs)-1]
	// A margin: a tenth of the width each side; above, most of the band's
	// height (a line of thin digits over it may have been too faint to count).
	mx, my := 0.1*float64(w), 0.35*float64(y1-y0+1)+1
	region = [4]float64{
		max(0, (float64(x0)-mx)/float64(w)), max(0, (float64(y0)-2*my)/float64(h)),
		min(1, (float64(x1+1)+mx)/float64(w)), min(1, (float64(y1+1)+my)/float64(h)),
	}
	return region, true
}

// stripPicture cuts region (fractions of the upright picture) out of the full
// picture at path, scaled so that the whole picture would be wmOCRWidth wide,
// as black text on white (a sample is text where its darkest channel is
// bright: the apps' text is white, their panels coloured or dark), PNG-encoded.
func stripPicture(path string, region [4]float64, maxPixels int64) ([]byte, error) {
	img, orientation, err := decodeFull(path, maxPixels)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy() // stored
	uw, uh := sw, sh         // upright
	if orientation >= 5 {
		uw, uh = sh, sw
	}
	scale := float64(wmOCRWidth) / float64(uw)
	cx0, cy0 := int(region[0]*float64(uw)), int(region[1]*float64(uh))
	cx1, cy1 := int(math.Ceil(region[2]*float64(uw))), int(math.Ceil(region[3]*float64(uh)))
	ow, oh := int(float64(cx1-cx0)*scale), int(float64(cy1-cy0)*scale)
	if ow < 1 || oh < 1 {
		return nil, errors.New(templates.Say("photo.wm_undecodable"))
	}
	if ow*oh > wmMaxOCRPixels {
		scale *= math.Sqrt(float64(wmMaxOCRPixels) / float64(ow*oh))
		ow, oh = int(float64(cx1-cx0)*scale), int(float64(cy1-cy0)*scale)
	}
	dark := darkestFunc(img)
	// Each output sample is the mean darkest channel over the stored pixels it
	// covers (up to 4×4 of them when shrinking), then thresholded.
	step := max(1, int(1/scale/4))
	const pad = 16
	out := image.NewGray(image.Rect(0, 0, ow+2*pad, oh+2*pad))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			ux0, uy0 := float64(cx0)+float64(ox)/scale, float64(cy0)+float64(oy)/scale
			var sum, n int
			for dy := 0.0; dy < 1/scale || dy == 0; dy += float64(step) {
				for dx := 0.0; dx < 1/scale || dx == 0; dx += float64(step) {
					ux, uy := min(uw-1, int(ux0+dx)), min(uh-1, int(uy0+dy))
					sx, sy := orientSource(orientation, ux, uy, sw, sh)
					sum += int(dark(b.Min.X+sx, b.Min.Y+sy))
					n++
				}
			}
			if sum/n >= wmTextLevel {
				out.Pix[(oy+pad)*out.Stride+ox+pad] = 0
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, relayout(out)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// relayout stacks apart the blocks of text side by side in a tall band: a big
// clock beside two small lines (今日水印's "09:31 | 2026-05-12 / 星期二") is
// read by tesseract as one line, and lost. The binarised strip is cut into
// bands of rows with ink; a band wmTallBand times as tall as the median one
// whose pieces are separated by a gap of at least wmRelayout of its height is
// put one piece under another. Ordinary lines are kept as they are.
func relayout(img *image.Gray) *image.Gray {
	b := img.Bounds()
	ink := func(x, y int) bool { return img.Pix[y*img.Stride+x] == 0 }
	type box struct{ x0, y0, x1, y1 int } // half-open
	var pieces []box
	split := false
	rowInk := func(y, x0, x1 int) bool {
		for x := x0; x < x1; x++ {
			if ink(x, y) {
				return true
			}
		}
		return false
	}
	var bands []box
	for y := 0; y < b.Dy(); {
		if !rowInk(y, 0, b.Dx()) {
			y++
			continue
		}
		y0 := y
		for y < b.Dy() && (rowInk(y, 0, b.Dx()) || y+1 < b.Dy() && rowInk(y+1, 0, b.Dx())) {
			y++
		}
		bands = append(bands, box{0, y0, b.Dx(), y})
	}
	heights := make([]int, len(bands))
	for i, band := range bands {
		heights[i] = band.y1 - band.y0
	}
	sort.Ints(heights)
	for _, band := range bands {
		bh := band.y1 - band.y0
		if len(bands) < 2 || float64(bh) < wmTallBand*float64(heights[(len(heights)-1)/2]) {
			pieces = append(pieces, band) // an ordinary line: kept whole, word gaps and all
			continue
		}
		gap := max(6, int(wmRelayout*float64(bh)))
		var segs []box
		for x, run := 0, 0; x <= b.Dx(); x++ {
			col := false
			if x < b.Dx() {
				for yy := band.y0; yy < band.y1 && !col; yy++ {
					col = ink(x, yy)
				}
			}
			if col {
				if run >= gap || len(segs) == 0 {
					segs = append(segs, box{x, band.y1, x + 1, band.y0})
				}
				s := &segs[len(segs)-1]
				s.x1 = x + 1
				for yy := band.y0; yy < band.y1; yy++ {
					if ink(x, yy) {
						s.y0, s.y1 = min(s.y0, yy), max(s.y1, yy+1)
					}
				}
				run = 0
			} else {
				run++
			}
		}
		if len(segs) > 1 {
			pieces = append(pieces, segs...)
			split = true
		} else {
			pieces = append(pieces, band)
		}
	}
	if !split {
		return img
	}
	const pad = 16
	w, h := 0, pad
	for _, p := range pieces {
		w, h = max(w, p.x1-p.x0+2*pad), h+p.y1-p.y0+pad
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	y := pad
	for _, p := range pieces {
		for yy := p.y0; yy < p.y1; yy++ {
			copy(out.Pix[(y+yy-p.y0)*out.Stride+pad:], img.Pix[yy*img.Stride+p.x0:yy*img.Stride+p.x1])
		}
		y += p.y1 - p.y0 + pad
	}
	return out
}

// wmTallBand: a band this many times the median band's height holds blocks
// side by side; wmRelayout: the gap, as a share of its height, between them.
const wmTallBand, wmRelayout = 1.8, 0.3

// wmTextLevel is the least darkest-channel value of a text sample.
const wmTextLevel = 185

// darkestFunc returns a reader of min(R, G, B) for the common decoded types.
func darkestFunc(img image.Image) func(x, y int) uint8 {
	switch m := img.(type) {
	case *image.Gray:
		return func(x, y int) uint8 { return m.Pix[m.PixOffset(x, y)] }
	case *image.YCbCr:
		return func(x, y int) uint8 {
			r, g, b := color.YCbCrToRGB(m.Y[m.YOffset(x, y)], m.Cb[m.COffset(x, y)], m.Cr[m.COffset(x, y)])
			return min(r, g, b)
		}
	case *image.NRGBA:
		return func(x, y int) uint8 {
			p := m.Pix[m.PixOffset(x, y):]
			return min(p[0], p[1], p[2])
		}
	case *image.RGBA:
		return func(x, y int) uint8 {
			p := m.Pix[m.PixOffset(x, y):]
			return min(p[0], p[1], p[2])
		}
	}
	return func(x, y int) uint8 {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(min(r, g, b) >> 8)
	}
}

// Interpret turns a scan into what the photo's watermark says: the date and
// time (wall clock in loc) when they were read surely, the position printed
// (converted from datum, the apps' coordinate system, to WGS-84) and address,
// or a note why no time is taken. Nil when no strip was found.
func Interpret(s WatermarkScan, loc *time.Location, datum string) *yanshou.Watermark {
	if !s.Found {
		return nil
	}
	if loc == nil {
		loc = time.Local
	}
	w := &yanshou.Watermark{}
	switch {
	case s.Err != "":
		w.Note = templates.Say("photo.wm_unread", s.Err)
		return w
	case !s.OCR:
		w.Note = templates.Say("photo.wm_no_ocr")
		return w
	}
	var texts []string
	for _, l := range s.Lines {
		texts = append(texts, l.Text)
	}
	w.Text = strings.Join(texts, " ｜ ")
	p := parseWatermark(texts, loc)
	if p.lat != nil && p.lon != nil {
		if pt, err := geo.ToWGS84(yanshou.LatLon{Lat: *p.lat, Lon: *p.lon}, datum); err == nil {
			w.Lat, w.Lon = &pt.Lat, &pt.Lon
		}
	}
	w.Address = p.address
	if !p.hasTime {
		w.Note = templates.Say("photo.wm_unsure", p.problem)
		return w
	}
	// The lines the date and time came from must have been read with confidence.
	conf := 100.0
	for _, l := range s.Lines {
		if n := normOCR(l.Text); reDate.MatchString(n) || reTime.MatchString(n) {
			conf = min(conf, l.Conf)
		}
	}
	if conf < wmMinConf {
		w.Note = templates.Say("photo.wm_unsure", templates.Say("photo.wm_low_conf", conf, p.when.Format("2006-01-02 15:04")))
		return w
	}
	t := p.when
	w.Taken = &t
	return w
}

// UseWatermark records the watermark on the photo and, when its EXIF gave no
// time, takes the watermark's time (TimeSource "watermark"); when it gave no
// position, the watermark's printed one. The rules then judge the photo as
// any other; facts cross-check a watermark time with an EXIF one.
func UseWatermark(p *yanshou.Photo, w *yanshou.Watermark) {
	p.Watermark = w
	if w == nil {
		return
	}
	if p.Taken == nil && w.Taken != nil {
		t := *w.Taken
		p.Taken, p.TimeSource = &t, yanshou.TimeSourceWatermark
	}
	if p.Lat == nil && p.Lon == nil && w.Lat != nil && w.Lon != nil {
		lat, lon := *w.Lat, *w.Lon
		p.Lat, p.Lon = &lat, &lon
	}
}

// String sums a scan up for logs.
func (s WatermarkScan) String() string {
	return fmt.Sprintf("found=%v ocr=%v lines=%d err=%q", s.Found, s.OCR, len(s.Lines), s.Err)
}
