package photo

import (
	"bytes"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"

	"yanshou/templates"
)

// exifFacts are the EXIF fields the photo stage uses.
type exifFacts struct {
	taken         *time.Time
	source        string // DateTimeOriginal, CreateDate or DateTime
	lat, lon      *float64
	make, model   string
	software      string
	gpsTime       *time.Time // GPSDateStamp + GPSTimeStamp, UTC
	orientation   int
	width, height int // IFD0 ImageWidth/ImageLength (TIFF files)
	forensic      forensicTags
}

// OffsetTime* tags (EXIF 2.31), not in goexif's field map.
const (
	tagOffsetTime          = 0x9010
	tagOffsetTimeOriginal  = 0x9011
	tagOffsetTimeDigitized = 0x9012
)

// decodeExif interprets an EXIF block. Times without an offset are read in loc.
// problems lists damage that was worked around (Chinese); err means nothing could
// be read.
func decodeExif(block []byte, loc *time.Location) (fx exifFacts, problems []string, err error) {
	clean, problems, err := sanitizeTIFF(block)
	if err != nil {
		return fx, problems, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(templates.Say("photo.exif_panic", r))
		}
	}()
	x, err := exif.Decode(bytes.NewReader(clean))
	if x == nil {
		return fx, problems, errors.New(templates.Say("photo.exif_unparsable", detail(err)))
	}
	if err != nil {
		// A sub-IFD failed although it passed the pre-check; what was read stays usable.
		problems = append(problems, templates.Say("photo.exif_sub_unparsable", detail(err)))
	}
	fx.make, fx.model, fx.software = str(x, exif.Make), str(x, exif.Model), str(x, exif.Software)
	fx.orientation = intTag(x, exif.Orientation)
	fx.width, fx.height = intTag(x, exif.ImageWidth), intTag(x, exif.ImageLength)

	offsets := exifOffsets(x, clean)
	fx.forensic = readForensicTags(x, clean, offsets, loc)
	for _, c := range []struct {
		field  exif.FieldName
		offTag uint16
		source string
	}{
		{exif.DateTimeOriginal, tagOffsetTimeOriginal, "DateTimeOriginal"},
		{exif.DateTimeDigitized, tagOffsetTimeDigitized, "CreateDate"},
		{exif.DateTime, tagOffsetTime, "DateTime"},
	} {
		s := str(x, c.field)
		if s == "" {
			continue
		}
		t, ok := parseExifTime(s, offsets[c.offTag], loc)
		if !ok { // blank or zero: the camera's clock was never set; try the next tag
			continue
		}
		fx.taken, fx.source = &t, c.source
		break
	}
	if lat, lon, ok := gps(x); ok {
		fx.lat, fx.lon = &lat, &lon
	}
	if t, ok := gpsTime(x); ok {
		fx.gpsTime = &t
	}
	return fx, problems, nil
}

// str returns a string tag's value without trailing NULs and spaces.
func str(x *exif.Exif, name exif.FieldName) string {
	tg, err := x.Get(name)
	if err != nil {
		return ""
	}
	var s string
	switch tg.Format() {
	case tiff.StringVal:
		s, _ = tg.StringVal()
	case tiff.UndefVal: // some writers store ASCII as UNDEFINED
		s = string(tg.Val)
		if i := strings.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(strings.ToValidUTF8(s, ""))
}

func intTag(x *exif.Exif, name exif.FieldName) int {
	tg, err := x.Get(name)
	if err != nil || tg.Count < 1 {
		return 0
	}
	v, err := tg.Int(0)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// exifOffsets reads OffsetTime, OffsetTimeOriginal, OffsetTimeDigitized,
// BodySerialNumber and LensSerialNumber from the Exif sub-IFD with goexif's tiff package (its exif
// package does not know them).
func exifOffsets(x *exif.Exif, clean []byte) map[uint16]string {
	out := map[uint16]string{}
	ptr, err := x.Get(exif.ExifIFDPointer)
	if err != nil {
		return out
	}
	off, err := ptr.Int64(0)
	if err != nil || off <= 0 || off >= int64(len(clean)) {
		return out
	}
	r := bytes.NewReader(clean)
	if _, err := r.Seek(off, 0); err != nil {
		return out
	}
	d, _, err := tiff.DecodeDir(r, x.Tiff.Order)
	if err != nil {
		return out
	}
	for _, tg := range d.Tags {
		if (tg.Id >= tagOffsetTime && tg.Id <= tagOffsetTimeDigitized) || tg.Id == tagBodySerialNumber || tg.Id == tagLensSerialNumber {
			if s, err := tg.StringVal(); err == nil {
				out[tg.Id] = strings.TrimSpace(s)
			}
		}
	}
	return out
}

var (
	offsetRE   = regexp.MustCompile(`^([+-])(\d{2}):?(\d{2})$`)
	exifTimeRE = regexp.MustCompile(`^(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$`)
)

// parseZone parses an EXIF offset such as "+08:00"; ok is false for blanks.
func parseZone(s string) (*time.Location, bool) {
	s = strings.TrimSpace(s)
	if s == "Z" {
		return time.UTC, true
	}
	m := offsetRE.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	if h > 14 || mi > 59 {
		return nil, false
	}
	sec := h*3600 + mi*60
	if m[1] == "-" {
		sec = -sec
	}
	return time.FixedZone("", sec), true
}

// parseExifTime reads "2006:01:02 15:04:05" (and the separators some writers
// use). The zone is, in order: one written after the time, the OffsetTime* tag,
// else loc. Blank or zero dates ("0000:00:00 00:00:00") are not times.
func parseExifTime(s, offset string, loc *time.Location) (time.Time, bool) {
	m := exifTimeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	if n[0] < 1900 || n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 24 || n[4] > 59 || n[5] > 60 {
		return time.Time{}, false
	}
	zone := loc
	if z, ok := parseZone(m[7]); ok {
		zone = z
	} else if z, ok := parseZone(offset); ok {
		zone = z
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, zone)
	if t.Day() != n[2] && n[3] != 24 { // 2026:02:30 rolls over: not a date
		return time.Time{}, false
	}
	return t, true
}

// gps reads GPSLatitude/Longitude with their refs. A position with a zero
// denominator (other than 0/0) or out of range is not a position; 0,0 is what
// phones write without a fix and is treated as no position.
func gps(x *exif.Exif) (lat, lon float64, ok bool) {
	latT, err1 := x.Get(exif.GPSLatitude)
	lonT, err2 := x.Get(exif.GPSLongitude)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	var ok1, ok2 bool
	lat, ok1 = degrees(latT)
	lon, ok2 = degrees(lonT)
	if !ok1 || !ok2 {
		// goexif understands some string forms written by old phones.
		var err error
		if lat, lon, err = x.LatLong(); err != nil {
			return 0, 0, false
		}
	} else {
		if strings.EqualFold(str(x, exif.GPSLatitudeRef), "S") {
			lat = -lat
		}
		if strings.EqualFold(str(x, exif.GPSLongitudeRef), "W") {
			lon = -lon
		}
	}
	if math.IsNaN(lat) || math.IsNaN(lon) || math.Abs(lat) > 90 || math.Abs(lon) > 180 || (lat == 0 && lon == 0) {
		return 0, 0, false
	}
	return lat, lon, true
}

var gpsDateRE = regexp.MustCompile(`^(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})$`)

// gpsTime reads GPSDateStamp ("2006:01:02") and GPSTimeStamp (three rationals:
// hours, minutes, seconds) as one UTC instant. Both must be present and sane: a
// time of day alone cannot be compared with the camera's clock.
func gpsTime(x *exif.Exif) (time.Time, bool) {
	m := gpsDateRE.FindStringSubmatch(str(x, exif.GPSDateStamp))
	if m == nil {
		return time.Time{}, false
	}
	ts, err := x.Get(exif.GPSTimeStamp)
	if err != nil || ts.Format() != tiff.RatVal || ts.Count < 3 {
		return time.Time{}, false
	}
	var hms [3]float64
	for i := range hms {
		num, den, err := ts.Rat2(i)
		if err != nil || den == 0 {
			return time.Time{}, false
		}
		hms[i] = float64(num) / float64(den)
	}
	if hms[0] < 0 || hms[0] >= 24 || hms[1] < 0 || hms[1] >= 60 || hms[2] < 0 || hms[2] >= 61 {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	secs := hms[0]*3600 + hms[1]*60 + hms[2]
	return t.Add(time.Duration(secs * float64(time.Second))).Truncate(time.Millisecond), true
}

// degrees reads up to three rationals as degrees, minutes and seconds.
func degrees(t *tiff.Tag) (float64, bool) {
	if t.Format() != tiff.RatVal || t.Count < 1 {
		return 0, false
	}
	v, scale := 0.0, 1.0
	for i := 0; i < int(min(t.Count, 3)); i++ {
		num, den, err := t.Rat2(i)
		if err != nil {
			return 0, false
		}
		switch {
		case den != 0:
			v += float64(num) / float64(den) / scale
		case num != 0:
			return 0, false
		}
		scale *= 60
	}
	return v, true
}
