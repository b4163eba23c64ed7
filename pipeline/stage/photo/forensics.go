package photo

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
	"strings"
	"time"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"

	"yanshou"
	"yanshou/templates"
)

// Forensic signals read from a photo's own structure, beside its metadata:
// the EXIF thumbnail (IFD1), the JPEG quantisation tables, the camera's serial
// number and the times a file keeps of itself (DateTimeOriginal, CreateDate,
// ModifyDate). The judging — what disagrees and how much is too much — is done
// by the facts stage against the config; this only reads.

// Limits on the EXIF thumbnail, which is untrusted: a larger one is not
// decoded (cameras write 160×120, about 5–20 KB).
const (
	maxThumbBytes = 256 << 10
	maxThumbSide  = 1024
)

// Tag ids read for the forensic signals.
const (
	tagThumbOffset        = 0x0201 // IFD1 JPEGInterchangeFormat
	tagThumbLength        = 0x0202 // IFD1 JPEGInterchangeFormatLength
	tagBodySerialNumber   = 0xA431 // Exif IFD (EXIF 2.3)
	tagCameraSerialNumber = 0xC62F // IFD0 (DNG, some cameras' JPEGs)
)

// ijgQuant are the example tables of JPEG Annex K (luminance, chrominance) in
// zig-zag order, as libjpeg and every program built on it (and Go's encoder)
// scale them by a quality.
var ijgQuant = [2][64]uint16{
	{16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
		26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
		56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
		95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99},
	{17, 18, 18, 24, 21, 24, 47, 26, 26, 47, 99, 66, 56, 66, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
		99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99},
}

// ijgTable is the IJG table of kind k (0 luminance, 1 chrominance) at quality q
// (1..100), limited to baseline values as libjpeg does by default.
func ijgTable(k, q int) (t [64]uint16) {
	scale := 200 - 2*q
	if q < 50 {
		scale = 5000 / q
	}
	for i, v := range ijgQuant[k] {
		x := (int(v)*scale + 50) / 100
		t[i] = uint16(min(max(x, 1), 255))
	}
	return t
}

// parseDQT reads a DQT segment's tables into quant (zig-zag order, as stored)
// and marks the ids read in set (may be nil). It is false for a malformed segment.
func parseDQT(seg []byte, quant *[4][64]uint16, set *[4]bool) bool {
	for p := seg; len(p) > 0; {
		prec, id := p[0]>>4, int(p[0]&15)
		if id > 3 || prec > 1 || len(p) < 1+64*(1+int(prec)) {
			return false
		}
		for k := 0; k < 64; k++ {
			if prec == 0 {
				quant[id][k] = uint16(p[1+k])
			} else {
				quant[id][k] = binary.BigEndian.Uint16(p[1+2*k:])
			}
		}
		if set != nil {
			set[id] = true
		}
		p = p[1+64*(1+int(prec)):]
	}
	return true
}

// Quantisation is what a JPEG's quantisation tables say of the program that
// wrote it.
type Quantisation struct {
	Quality int  // the IJG quality the tables are, or are nearest to (1..100); 0: no tables read
	Exact   bool // the tables are exactly IJG-scaled at Quality: libjpeg (editors, WeChat) wrote them
}

// quantOf estimates the IJG quality of the tables used by the first (luma) and
// second (chroma) components of a JPEG. tq are the components' table ids.
func quantOf(quant *[4][64]uint16, set *[4]bool, tq []int) Quantisation {
	if len(tq) == 0 || tq[0] > 3 || !set[tq[0]] {
		return Quantisation{}
	}
	tables := [][64]uint16{quant[tq[0]]}
	if len(tq) > 1 && tq[1] <= 3 && set[tq[1]] {
		tables = append(tables, quant[tq[1]])
	}
	best, bestErr := 0, -1
	for q := 1; q <= 100; q++ {
		e := 0
		for k, t := range tables {
			ref := ijgTable(k, q)
			for i := range t {
				d := int(t[i]) - int(ref[i])
				e += d * d
			}
		}
		if bestErr < 0 || e < bestErr {
			best, bestErr = q, e
		}
	}
	return Quantisation{Quality: best, Exact: bestErr == 0}
}

// forensicTags are the tags read for the forensic signals from the decoded EXIF.
type forensicTags struct {
	original, digitized, modified *time.Time
	zoned                         bool   // the original and modify times both carry an offset
	serial                        string // BodySerialNumber or CameraSerialNumber, else the maker note's SerialNumber or InternalSerialNumber
	lens                          string // LensSerialNumber, else the maker note's
	maker                         makerNote
	thumb                         []byte // the IFD1 JPEG thumbnail, within the block; nil when none
	thumbProblem                  string // why a thumbnail declared could not be taken (Chinese)
}

// readForensicTags reads the three times separately, the serial number and the
// thumbnail's bytes from a sanitised EXIF block.
func readForensicTags(x *exif.Exif, clean []byte, offsets map[uint16]string, loc *time.Location) (ft forensicTags) {
	zoned := 0
	for _, c := range []struct {
		field  exif.FieldName
		offTag uint16
		dst    **time.Time
	}{
		{exif.DateTimeOriginal, tagOffsetTimeOriginal, &ft.original},
		{exif.DateTimeDigitized, tagOffsetTimeDigitized, &ft.digitized},
		{exif.DateTime, tagOffsetTime, &ft.modified},
	} {
		s := str(x, c.field)
		if t, ok := parseExifTime(s, offsets[c.offTag], loc); ok {
			*c.dst = &t
			if _, z := parseZone(offsets[c.offTag]); z || exifTimeRE.FindStringSubmatch(strings.TrimSpace(s))[7] != "" {
				if c.offTag != tagOffsetTimeDigitized {
					zoned++
				}
			}
		}
	}
	ft.zoned = zoned == 2
	ft.serial = offsets[tagBodySerialNumber]
	if ft.serial == "" && x.Tiff != nil && len(x.Tiff.Dirs) > 0 {
		// CameraSerialNumber, or BodySerialNumber written in IFD0 (Canon's EOS do).
		ft.serial = firstOf(dirString(x.Tiff.Dirs[0], tagCameraSerialNumber), dirString(x.Tiff.Dirs[0], tagBodySerialNumber))
	}
	ft.serial = cleanSerial(ft.serial)
	if mnTag, err := x.Get(exif.MakerNote); err == nil && mnTag.ValOffset > 0 {
		ft.maker = readMakerNote(clean, x.Tiff.Order, int(mnTag.ValOffset), len(mnTag.Val), str(x, exif.Make), loc)
	}
	ft.serial = firstOf(ft.serial, ft.maker.serial, ft.maker.internal)
	ft.lens = firstOf(cleanSerial(offsets[tagLensSerialNumber]), ft.maker.lens)
	if x.Tiff != nil && len(x.Tiff.Dirs) > 1 {
		ft.thumb, ft.thumbProblem = thumbBytes(x.Tiff.Dirs[1], clean)
	}
	return ft
}

// cleanSerial drops serial numbers that are no serial: blank, all zeros, or
// placeholders some firmwares write.
func cleanSerial(s string) string {
	s = strings.TrimSpace(s)
	if strings.Trim(s, "0 ") == "" || len(s) > 64 {
		return ""
	}
	switch strings.ToLower(s) {
	case "unknown", "none", "n/a", "serial number", "serialnumber":
		return ""
	}
	return s
}

// dirString reads an ASCII tag of one IFD, or "".
func dirString(d *tiff.Dir, id uint16) string {
	for _, tg := range d.Tags {
		if tg.Id == id && tg.Format() == tiff.StringVal {
			s, _ := tg.StringVal()
			return strings.TrimSpace(strings.ToValidUTF8(s, ""))
		}
	}
	return ""
}

// dirInt reads the first value of an integer tag of one IFD.
func dirInt(d *tiff.Dir, id uint16) (int64, bool) {
	for _, tg := range d.Tags {
		if tg.Id == id && tg.Format() == tiff.IntVal && tg.Count >= 1 {
			v, err := tg.Int64(0)
			return v, err == nil
		}
	}
	return 0, false
}

// thumbBytes finds the IFD1 JPEG thumbnail in the block: nil without one, with
// a reason (Chinese) when it is declared but lies outside the block or is too large.
func thumbBytes(ifd1 *tiff.Dir, block []byte) ([]byte, string) {
	off, ok1 := dirInt(ifd1, tagThumbOffset)
	n, ok2 := dirInt(ifd1, tagThumbLength)
	switch {
	case !ok1 || !ok2 || n == 0:
		return nil, ""
	case n > maxThumbBytes:
		return nil, templates.Say("photo.thumb_too_big", n, maxThumbBytes)
	case off <= 0 || n < 0 || off+n > int64(len(block)):
		return nil, templates.Say("photo.thumb_outside", off, n, len(block))
	}
	return block[off : off+n], ""
}

// sameShape reports whether a×b and c×d (either way round) have the same
// shape within 3%.
func sameShape(a, b, c, d int) bool {
	r1, r2 := float64(max(a, b))/float64(min(a, b)), float64(max(c, d))/float64(min(c, d))
	return r1 < r2*1.03 && r2 < r1*1.03
}

// standardShape reports whether w×h is a shape cameras shoot (1:1, 4:3, 3:2,
// 16:9, within 1%), rather than one a crop left.
func standardShape(w, h int) bool {
	r := float64(max(w, h)) / float64(min(w, h))
	for _, s := range []float64{1, 4.0 / 3, 3.0 / 2, 16.0 / 9} {
		if r > s*0.99 && r < s*1.01 {
			return true
		}
	}
	return false
}

// thumbHash decodes a JPEG thumbnail and hashes it as the picture is hashed —
// whole, then its Crops[1:] and WideCrops —, upright by the picture's orientation, and — when the thumbnail's shape is
// not the picture's (cameras pad a 16:9 picture into 160×120) and the padding
// is there — without its bars. w, h are the picture's stored size. When the
// thumbnail's shape still is not the picture's, a camera shape (the camera
// cut or stretched its thumbnail: which part it shows is not known), only the
// whole is hashed.
func thumbHash(b []byte, orientation, w, h int) (hashes []uint64, problem string) {
	defer func() {
		if r := recover(); r != nil {
			hashes, problem = nil, templates.Say("photo.thumb_undecodable", r)
		}
	}()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, templates.Say("photo.thumb_undecodable", detail(err))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxThumbSide || cfg.Height > maxThumbSide {
		return nil, templates.Say("photo.thumb_size", cfg.Width, cfg.Height, maxThumbSide)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, templates.Say("photo.thumb_undecodable", detail(err))
	}
	pl := planeOf(img)
	framed := true
	if w > 0 && h > 0 {
		pl = pl.unpad(w, h)
		framed = sameShape(pl.w, pl.h, w, h) || !standardShape(w, h)
	}
	pl = pl.orient(orientation)
	if !framed {
		return []uint64{pHash(pl.sample([4]float64{0, 0, 1, 1}, hashSide))}, ""
	}
	// The cuts the picture's hashes begin with (planeHashes): Crops, then
	// WideCrops, hashed the same way.
	coefs := cutCoefs(pl, append(append([][4]float64{}, Crops...), WideCrops...))
	hs := make([]uint64, len(coefs))
	for i := range coefs {
		hs[i] = coefHash(&coefs[i])
	}
	return hs, ""
}

// padLuma is the mean luma up to which a padding bar counts as black.
const padLuma = 24

// unpad cuts the bars off a thumbnail plane into which a w×h picture was fit
// (cameras pad a 3:2 or 16:9 picture into 160×120, centred or at one side):
// when the picture's shape leaves room for bars, the dark rows (or columns) at
// each edge are cut, at most as many as the room; else — or when there are
// none — the plane is returned as it is (a thumbnail cut or stretched to its shape).
func (p plane) unpad(w, h int) plane {
	// A picture turned by a program that left the thumbnail as it was has the
	// thumbnail's shape turned: take the picture's shape nearer the thumbnail's.
	if (w > h) != (p.w > p.h) && w != h && p.w != p.h {
		w, h = h, w
	}
	room := func(n, content int) int { return n - content }
	rows, cols := 0, 0
	if w*p.h > h*p.w { // wider than the thumbnail: bars above and below
		rows = room(p.h, (h*p.w+w/2)/w)
	} else {
		cols = room(p.w, (w*p.h+h/2)/h)
	}
	if rows < 2 && cols < 2 {
		return p
	}
	mean := func(x0, y0, x1, y1 int) float32 {
		var s float32
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				s += p.px[y*p.w+x]
			}
		}
		return s / float32((x1-x0)*(y1-y0))
	}
	x0, y0, x1, y1 := 0, 0, p.w, p.h
	for rows > 0 && y1-y0 > 2 {
		switch {
		case mean(0, y0, p.w, y0+1) <= padLuma:
			y0++
		case mean(0, y1-1, p.w, y1) <= padLuma:
			y1--
		default:
			rows = 0
			continue
		}
		rows--
	}
	for cols > 0 && x1-x0 > 2 {
		switch {
		case mean(x0, 0, x0+1, p.h) <= padLuma:
			x0++
		case mean(x1-1, 0, x1, p.h) <= padLuma:
			x1--
		default:
			cols = 0
			continue
		}
		cols--
	}
	if x0 == 0 && y0 == 0 && x1 == p.w && y1 == p.h {
		return p
	}
	cw, ch := x1-x0, y1-y0
	out := plane{cw, ch, make([]float32, cw*ch)}
	for y := 0; y < ch; y++ {
		copy(out.px[y*cw:(y+1)*cw], p.px[(y0+y)*p.w+x0:(y0+y)*p.w+x1])
	}
	return out
}

// fillForensics puts the forensic signals read from the file into p.
func fillForensics(p *yanshou.Photo, m meta, fx exifFacts) {
	if m.format == fmtJPEG {
		q := quantOf(&m.quant, &m.quantSet, m.quantTables)
		p.JPEGQuality, p.IJGTables = q.Quality, q.Exact
	}
	ft := fx.forensic
	p.Original, p.Digitized, p.Modified, p.TimesZoned = ft.original, ft.digitized, ft.modified, ft.zoned
	p.Serial = ft.serial
	p.LensSerial = ft.lens
	p.MakerTime, p.MakerTimeTag = ft.maker.taken, ft.maker.takenTag
	p.ThumbProblem = ft.thumbProblem
	if ft.thumb != nil {
		p.ThumbHashes, p.ThumbProblem = thumbHash(ft.thumb, fx.orientation, m.width, m.height)
	}
}

// CompareThumb compares the EXIF thumbnail's hashes with the picture's, once
// both are known, into p.ThumbDiffers: the mean of the bits between the
// thumbnail's and the picture's hashes of the whole and of each crop (Crops,
// WideCrops) — a part painted over or swapped moves the crops that hold it,
// a picture cut after shooting moves them all. A picture whose pixels were
// turned or mirrored by a program that left the thumbnail as it was (no edit
// of its content), or whose thumbnail a camera framed otherwise (thumbHash
// then gives the whole only), is compared whole, in the turn that fits best.
func CompareThumb(p *yanshou.Photo) {
	p.ThumbDiffers = nil
	n := len(Crops) + len(WideCrops)
	th := p.ThumbHashes
	if (len(th) != n && len(th) != 1) || p.Hash == 0 {
		return
	}
	whole := Distance(th[0], p.Hash)
	// p.Hashes is planeHashes without the whole picture: it begins with
	// Crops[1:], WideCrops, then the orientations 2 to 8 (turned cuts and the
	// trimmed picture follow, not used here).
	if len(p.Hashes) < n-1+7 {
		d := float64(whole)
		p.ThumbDiffers = &d
		return
	}
	turned := 65
	for _, h := range p.Hashes[n-1 : n-1+7] {
		turned = min(turned, Distance(th[0], h))
	}
	if len(th) == 1 || turned < whole {
		turned = min(turned, whole)
		d := float64(turned)
		p.ThumbDiffers = &d
		return
	}
	sum := whole
	for i, h := range p.Hashes[:n-1] {
		sum += Distance(th[1+i], h)
	}
	d := float64(sum) / float64(n)
	p.ThumbDiffers = &d
}
