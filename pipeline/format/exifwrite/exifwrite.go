// Package exifwrite writes a small, standard EXIF APP1 block into JPEGs: camera,
// time (with or without an offset), GPS position, orientation, the camera's
// serial number and a thumbnail (IFD1). The demo sample
// and the tests use it to make real photos whose metadata real readers (goexif,
// ExifTool) understand.
package exifwrite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"sort"
	"time"

	"yanshou"
)

// Tags are the EXIF fields written. Zero values are omitted.
type Tags struct {
	Make, Model, Software string
	DateTimeOriginal      time.Time       // written as its wall clock in its own Location ("2006:01:02 15:04:05")
	WithOffset            bool            // also write OffsetTimeOriginal (e.g. "+08:00") from DateTimeOriginal's zone
	SubSec                string          // SubSecTimeOriginal, optional
	GPS                   *yanshou.LatLon // WGS-84; written as GPSLatitude/Ref, GPSLongitude/Ref rationals
	GPSTime               time.Time       // GPSDateStamp + GPSTimeStamp (UTC), optional
	Orientation           int             // 1..8, optional

	// Optional extras for testing readers' fallbacks; zero values are omitted.
	DateTimeDigitized time.Time // Exif CreateDate (0x9004), wall clock
	DateTime          time.Time // IFD0 ModifyDate (0x0132), wall clock

	BodySerial string // Exif BodySerialNumber (0xA431), optional
	// CameraTables makes Encode write quantisation tables of a camera's own
	// rather than the IJG tables scaled by the quality that every program
	// built on libjpeg writes (and Go's encoder): a few of the highest
	// frequencies' steps are raised by one, which the picture hardly shows.
	CameraTables bool
	// Thumbnail is a JPEG written as the IFD1 thumbnail (JPEGInterchangeFormat),
	// as cameras do (160×120); nil: none. See Thumb.
	Thumbnail []byte
}

// TIFF field types used here.
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeUndefined = 7
)

// Tag ids written.
const (
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagSoftware         = 0x0131
	tagDateTime         = 0x0132
	tagXResolution      = 0x011A
	tagYResolution      = 0x011B
	tagResolutionUnit   = 0x0128
	tagYCbCrPositioning = 0x0213
	tagComponentsConfig = 0x9101
	tagFlashpixVersion  = 0xA000
	tagColorSpace       = 0xA001
	tagExifIFD          = 0x8769
	tagGPSIFD           = 0x8825
	tagExifVersion      = 0x9000
	tagDateTimeOrig     = 0x9003
	tagDateTimeDigit    = 0x9004
	tagOffsetTimeOrig   = 0x9011
	tagSubSecTimeOrig   = 0x9291
	tagPixelX           = 0xA002
	tagPixelY           = 0xA003
	tagBodySerial       = 0xA431
	tagCompression      = 0x0103
	tagThumbOffset      = 0x0201
	tagThumbLength      = 0x0202
	tagGPSVersion       = 0x0000
	tagGPSLatRef        = 0x0001
	tagGPSLat           = 0x0002
	tagGPSLonRef        = 0x0003
	tagGPSLon           = 0x0004
	tagGPSTimeStamp     = 0x0007
	tagGPSDateStamp     = 0x001D
	exifLayout          = "2006:01:02 15:04:05"
	maxSegmentPayload   = 0xFFFF - 2
	exifHeader          = "Exif\x00\x00"
	jpegSOI, jpegSOS    = 0xD8, 0xDA
	jpegAPP1, jpegEOI   = 0xE1, 0xD9
	jpegTEM, jpegRST0   = 0x01, 0xD0
	jpegRST7            = 0xD7
	maxStringTagLength  = 4096
)

type entry struct {
	tag   uint16
	typ   uint16
	count uint32
	data  []byte // big-endian value bytes
}

type ifd []entry

func ascii(tag uint16, s string) entry {
	b := append([]byte(s), 0)
	return entry{tag, typeASCII, uint32(len(b)), b}
}

func short(tag uint16, v uint16) entry {
	return entry{tag, typeShort, 1, binary.BigEndian.AppendUint16(nil, v)}
}

func long(tag uint16, v uint32) entry {
	return entry{tag, typeLong, 1, binary.BigEndian.AppendUint32(nil, v)}
}

func rationals(tag uint16, vs ...[2]uint32) entry {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v[0])
		b = binary.BigEndian.AppendUint32(b, v[1])
	}
	return entry{tag, typeRational, uint32(len(vs)), b}
}

// dms splits degrees into degrees, minutes and seconds rationals (seconds to 1e-6).
func dms(deg float64) [][2]uint32 {
	deg = math.Abs(deg)
	d := math.Floor(deg)
	m := math.Floor((deg - d) * 60)
	s := math.Round(((deg-d)*60 - m) * 60 * 1e6)
	if s >= 60e6 { // rounding carried into the next minute
		s -= 60e6
		m++
	}
	if m >= 60 {
		m -= 60
		d++
	}
	return [][2]uint32{{uint32(d), 1}, {uint32(m), 1}, {uint32(s), 1e6}}
}

// offset formats a zone offset as "+08:00".
func offset(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
}

// build returns the TIFF bytes (big-endian) for t; width and height are written as
// PixelX/YDimension when positive.
func build(t Tags, width, height int) ([]byte, error) {
	for name, s := range map[string]string{"Make": t.Make, "Model": t.Model, "Software": t.Software, "SubSec": t.SubSec, "BodySerial": t.BodySerial} {
		if len(s) > maxStringTagLength {
			return nil, fmt.Errorf("exifwrite: %s is %d bytes long (at most %d)", name, len(s), maxStringTagLength)
		}
	}
	if t.Orientation < 0 || t.Orientation > 8 {
		return nil, fmt.Errorf("exifwrite: orientation %d is not 1..8", t.Orientation)
	}
	if g := t.GPS; g != nil && (math.IsNaN(g.Lat) || math.IsNaN(g.Lon) || math.Abs(g.Lat) > 90 || math.Abs(g.Lon) > 180) {
		return nil, fmt.Errorf("exifwrite: GPS %v,%v is not a valid position", g.Lat, g.Lon)
	}

	// The tags ExifTool's -validate requires of a JPEG are always written, with the
	// values cameras use, so that the result looks like what a camera makes.
	ifd0 := ifd{rationals(tagXResolution, [2]uint32{72, 1}), rationals(tagYResolution, [2]uint32{72, 1}),
		short(tagResolutionUnit, 2), short(tagYCbCrPositioning, 1)}
	exif := ifd{{tagComponentsConfig, typeUndefined, 4, []byte{1, 2, 3, 0}},
		{tagFlashpixVersion, typeUndefined, 4, []byte("0100")}, short(tagColorSpace, 1)}
	var gps ifd
	if t.Make != "" {
		ifd0 = append(ifd0, ascii(tagMake, t.Make))
	}
	if t.Model != "" {
		ifd0 = append(ifd0, ascii(tagModel, t.Model))
	}
	if t.Orientation != 0 {
		ifd0 = append(ifd0, short(tagOrientation, uint16(t.Orientation)))
	}
	if t.Software != "" {
		ifd0 = append(ifd0, ascii(tagSoftware, t.Software))
	}
	if !t.DateTime.IsZero() {
		ifd0 = append(ifd0, ascii(tagDateTime, t.DateTime.Format(exifLayout)))
	}

	exif = append(exif, entry{tagExifVersion, typeUndefined, 4, []byte("0232")})
	if !t.DateTimeOriginal.IsZero() {
		exif = append(exif, ascii(tagDateTimeOrig, t.DateTimeOriginal.Format(exifLayout)))
		if t.WithOffset {
			exif = append(exif, ascii(tagOffsetTimeOrig, offset(t.DateTimeOriginal)))
		}
	}
	if !t.DateTimeDigitized.IsZero() {
		exif = append(exif, ascii(tagDateTimeDigit, t.DateTimeDigitized.Format(exifLayout)))
	}
	if t.SubSec != "" {
		exif = append(exif, ascii(tagSubSecTimeOrig, t.SubSec))
	}
	if width > 0 && height > 0 {
		exif = append(exif, long(tagPixelX, uint32(width)), long(tagPixelY, uint32(height)))
	}
	if t.BodySerial != "" {
		exif = append(exif, ascii(tagBodySerial, t.BodySerial))
	}

	if g := t.GPS; g != nil {
		latRef, lonRef := "N", "E"
		if g.Lat < 0 {
			latRef = "S"
		}
		if g.Lon < 0 {
			lonRef = "W"
		}
		gps = append(gps,
			entry{tagGPSVersion, typeByte, 4, []byte{2, 3, 0, 0}},
			ascii(tagGPSLatRef, latRef), rationals(tagGPSLat, dms(g.Lat)...),
			ascii(tagGPSLonRef, lonRef), rationals(tagGPSLon, dms(g.Lon)...))
		if !t.GPSTime.IsZero() {
			u := t.GPSTime.UTC()
			gps = append(gps,
				rationals(tagGPSTimeStamp, [2]uint32{uint32(u.Hour()), 1}, [2]uint32{uint32(u.Minute()), 1},
					[2]uint32{uint32(u.Second())*1000 + uint32(u.Nanosecond()/1e6), 1000}),
				ascii(tagGPSDateStamp, u.Format("2006:01:02")))
		}
	}

	// Layout: header (8) | IFD0 | Exif IFD | GPS IFD, each IFD followed by its
	// out-of-line values. Pointers are fixed up once the offsets are known.
	const header = 8
	ifd0 = append(ifd0, long(tagExifIFD, 0))
	if gps != nil {
		ifd0 = append(ifd0, long(tagGPSIFD, 0))
	}
	exifOff := header + size(ifd0)
	gpsOff := exifOff + size(exif)
	var ifd1 ifd // the thumbnail's IFD, after the others; its JPEG follows it
	ifd1Off := gpsOff + size(gps)
	if gps == nil {
		ifd1Off = gpsOff
	}
	if t.Thumbnail != nil {
		ifd1 = ifd{short(tagCompression, 6), rationals(tagXResolution, [2]uint32{72, 1}),
			rationals(tagYResolution, [2]uint32{72, 1}), short(tagResolutionUnit, 2),
			long(tagThumbOffset, 0), long(tagThumbLength, uint32(len(t.Thumbnail)))}
		ifd1[4] = long(tagThumbOffset, uint32(ifd1Off+size(ifd1)))
	}
	for i := range ifd0 {
		switch ifd0[i].tag {
		case tagExifIFD:
			ifd0[i] = long(tagExifIFD, uint32(exifOff))
		case tagGPSIFD:
			ifd0[i] = long(tagGPSIFD, uint32(gpsOff))
		}
	}

	var b bytes.Buffer
	b.WriteString("MM\x00\x2A")
	b.Write(binary.BigEndian.AppendUint32(nil, header))
	next := uint32(0)
	if ifd1 != nil {
		next = uint32(ifd1Off)
	}
	write(&b, ifd0, next)
	write(&b, exif, 0)
	if gps != nil {
		write(&b, gps, 0)
	}
	if ifd1 != nil {
		write(&b, ifd1, 0)
		b.Write(t.Thumbnail)
	}
	if b.Len()+len(exifHeader) > maxSegmentPayload {
		return nil, fmt.Errorf("exifwrite: EXIF block of %d bytes does not fit one APP1 segment", b.Len())
	}
	return b.Bytes(), nil
}

// size is the number of bytes an IFD and its out-of-line values take.
func size(d ifd) int {
	n := 2 + 12*len(d) + 4
	for _, e := range d {
		if len(e.data) > 4 {
			n += len(e.data) + len(e.data)%2
		}
	}
	return n
}

// write appends the IFD (entries sorted by tag, then the next IFD's offset) and
// its values; the IFD starts at the buffer's current length, which is its TIFF offset.
func write(b *bytes.Buffer, d ifd, next uint32) {
	sort.Slice(d, func(i, j int) bool { return d[i].tag < d[j].tag })
	start := b.Len()
	valOff := start + 2 + 12*len(d) + 4
	var vals []byte
	be := binary.BigEndian
	b.Write(be.AppendUint16(nil, uint16(len(d))))
	for _, e := range d {
		b.Write(be.AppendUint16(nil, e.tag))
		b.Write(be.AppendUint16(nil, e.typ))
		b.Write(be.AppendUint32(nil, e.count))
		if len(e.data) <= 4 {
			var inline [4]byte
			copy(inline[:], e.data)
			b.Write(inline[:])
			continue
		}
		b.Write(be.AppendUint32(nil, uint32(valOff+len(vals))))
		vals = append(vals, e.data...)
		if len(e.data)%2 == 1 {
			vals = append(vals, 0)
		}
	}
	b.Write(be.AppendUint32(nil, next))
	b.Write(vals)
}

// segment wraps TIFF bytes into a complete APP1 marker segment.
func segment(tiff []byte) []byte {
	n := 2 + len(exifHeader) + len(tiff)
	seg := []byte{0xFF, jpegAPP1, byte(n >> 8), byte(n)}
	seg = append(seg, exifHeader...)
	return append(seg, tiff...)
}

// Encode encodes img as a baseline JPEG at quality with an APP1 Exif segment right after SOI.
func Encode(img image.Image, quality int, t Tags) ([]byte, error) {
	if img == nil {
		return nil, errors.New("exifwrite: nil image")
	}
	b := img.Bounds()
	tiff, err := build(t, b.Dx(), b.Dy())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("exifwrite: %w", err)
	}
	jpg := buf.Bytes()
	if t.CameraTables {
		ownTables(jpg)
	}
	return splice(jpg, segment(tiff))
}

// ownTables raises by one, in place, the steps of the four highest zig-zag
// frequencies of every 8-bit table in the DQT segments of a JPEG as Go's
// encoder writes it (segments up to SOS).
func ownTables(jpg []byte) {
	for i := 2; i+4 <= len(jpg) && jpg[i] == 0xFF; {
		mk, n := jpg[i+1], int(jpg[i+2])<<8|int(jpg[i+3])
		if mk == jpegSOS || i+2+n > len(jpg) {
			return
		}
		if mk == 0xDB {
			for p := i + 4; p+65 <= i+2+n && jpg[p]>>4 == 0; p += 65 {
				for _, k := range []int{60, 61, 62, 63} {
					if jpg[p+1+k] < 255 {
						jpg[p+1+k]++
					}
				}
			}
		}
		i += 2 + n
	}
}

// Insert puts (or replaces) the APP1 Exif segment of an existing JPEG.
func Insert(jpg []byte, t Tags) ([]byte, error) {
	w, h := 0, 0
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err == nil {
		w, h = cfg.Width, cfg.Height
	}
	tiff, err := build(t, w, h)
	if err != nil {
		return nil, err
	}
	return splice(jpg, segment(tiff))
}

// splice returns jpg with every existing Exif APP1 segment removed and seg placed
// right after SOI. Segments are walked up to SOS; the scan data is copied verbatim.
func splice(jpg, seg []byte) ([]byte, error) {
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != jpegSOI {
		return nil, errors.New("exifwrite: not a JPEG (no SOI marker)")
	}
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	i := 2
	for {
		if i+2 > len(jpg) {
			return nil, errors.New("exifwrite: truncated JPEG (no SOS marker)")
		}
		if jpg[i] != 0xFF {
			return nil, fmt.Errorf("exifwrite: bad JPEG marker at byte %d", i)
		}
		m := jpg[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == jpegTEM || (m >= jpegRST0 && m <= jpegRST7) || m == jpegSOI:
			out = append(out, jpg[i:i+2]...)
			i += 2
			continue
		case m == jpegEOI:
			return nil, errors.New("exifwrite: JPEG ends before any image data")
		}
		if i+4 > len(jpg) {
			return nil, errors.New("exifwrite: truncated JPEG segment header")
		}
		n := int(jpg[i+2])<<8 | int(jpg[i+3])
		if n < 2 || i+2+n > len(jpg) {
			return nil, fmt.Errorf("exifwrite: JPEG segment at byte %d has bad length %d", i, n)
		}
		if m == jpegSOS {
			return append(out, jpg[i:]...), nil
		}
		body := jpg[i+4 : i+2+n]
		if !(m == jpegAPP1 && bytes.HasPrefix(body, []byte(exifHeader))) {
			out = append(out, jpg[i:i+2+n]...)
		}
		i += 2 + n
	}
}

// Thumb makes a camera-like EXIF thumbnail of img: 160×120 (or 120×160 for an
// upright picture), the picture fit inside and padded with black bars when its
// shape is not 4:3, as cameras do, encoded at quality 90.
func Thumb(img image.Image) ([]byte, error) {
	if img == nil {
		return nil, errors.New("exifwrite: nil image")
	}
	b := img.Bounds()
	tw, th := 160, 120
	if b.Dy() > b.Dx() {
		tw, th = 120, 160
	}
	cw, ch := tw, th
	if b.Dx()*th > b.Dy()*tw {
		ch = max(1, (b.Dy()*tw+b.Dx()/2)/b.Dx())
	} else {
		cw = max(1, (b.Dx()*th+b.Dy()/2)/b.Dy())
	}
	x0, y0 := (tw-cw)/2, (th-ch)/2
	out := image.NewRGBA(image.Rect(0, 0, tw, th))
	for i := 3; i < len(out.Pix); i += 4 {
		out.Pix[i] = 0xFF // opaque black
	}
	// Area-average each thumbnail pixel over the picture pixels it covers.
	for y := 0; y < ch; y++ {
		sy0, sy1 := b.Min.Y+y*b.Dy()/ch, b.Min.Y+max((y+1)*b.Dy()/ch, y*b.Dy()/ch+1)
		for x := 0; x < cw; x++ {
			sx0, sx1 := b.Min.X+x*b.Dx()/cw, b.Min.X+max((x+1)*b.Dx()/cw, x*b.Dx()/cw+1)
			var r, g, bl, n uint32
			for sy := sy0; sy < sy1; sy++ {
				for sx := sx0; sx < sx1; sx++ {
					cr, cg, cb, _ := img.At(sx, sy).RGBA()
					r, g, bl, n = r+cr>>8, g+cg>>8, bl+cb>>8, n+1
				}
			}
			o := out.PixOffset(x0+x, y0+y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2] = uint8(r/n), uint8(g/n), uint8(bl/n)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 90}); err != nil {
		return nil, fmt.Errorf("exifwrite: %w", err)
	}
	return buf.Bytes(), nil
}
