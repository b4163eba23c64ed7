package photo

import (
	"encoding/binary"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// TestReadGPSTime: GPSDateStamp + GPSTimeStamp are read as one UTC instant, in
// big- and little-endian blocks; a time of day without a date, or nonsense, is
// no GPS time.
func TestReadGPSTime(t *testing.T) {
	pos := &yanshou.LatLon{Lat: 33.54, Lon: 114.61}
	taken := time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai)
	gpsAt := time.Date(2026, 3, 10, 1, 2, 3, 500e6, time.UTC)
	tags := exifwrite.Tags{Make: "Apple", DateTimeOriginal: taken, WithOffset: true, GPS: pos, GPSTime: gpsAt}
	tests := []struct {
		name   string
		mutate func(b []byte) []byte
		want   time.Time // zero: none
	}{
		{"date and time", func(b []byte) []byte { return b }, gpsAt.Truncate(time.Millisecond)},
		{"little-endian block", toLittleEndian, gpsAt},
		{"no date stamp", func(b []byte) []byte {
			binary.BigEndian.PutUint16(b[entryAt(t, b, 0x001D):], 0x001E)
			return b
		}, time.Time{}},
		{"hour 25", func(b []byte) []byte {
			e := entryAt(t, b, 0x0007)
			binary.BigEndian.PutUint32(b[binary.BigEndian.Uint32(b[e+8:]):], 25)
			return b
		}, time.Time{}},
		{"zero denominator", func(b []byte) []byte {
			e := entryAt(t, b, 0x0007)
			binary.BigEndian.PutUint32(b[binary.BigEndian.Uint32(b[e+8:])+12:], 0)
			return b
		}, time.Time{}},
		{"date 2026:02:30", func(b []byte) []byte {
			e := entryAt(t, b, 0x001D)
			copy(b[binary.BigEndian.Uint32(b[e+8:]):], "2026:02:30")
			return b
		}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			block := tt.mutate(exifBlock(t, tags))
			fx, problems, err := decodeExif(block, shanghai)
			if err != nil || len(problems) > 0 {
				t.Fatalf("decodeExif: %v %v", err, problems)
			}
			switch {
			case tt.want.IsZero() && fx.gpsTime != nil:
				t.Errorf("GPS time %v, want none", fx.gpsTime)
			case !tt.want.IsZero() && (fx.gpsTime == nil || !fx.gpsTime.Equal(tt.want) || fx.gpsTime.Location() != time.UTC):
				t.Errorf("GPS time %v, want %v UTC", fx.gpsTime, tt.want)
			}
			if fx.taken == nil || !fx.taken.Equal(taken) {
				t.Errorf("camera time %v, want %v", fx.taken, taken)
			}
		})
	}

	// Through Read, into the Photo.
	path := writeJPEG(t, t.TempDir(), "g.jpg", scene(5, 32, 24), 80, tags)
	p := Read(path, "现场照片/g.jpg", shanghai)
	if p.GPSTime == nil || !p.GPSTime.Equal(gpsAt) {
		t.Errorf("Photo.GPSTime = %v, want %v", p.GPSTime, gpsAt)
	}
}

// toLittleEndian rewrites a big-endian TIFF block as exifwrite makes it (IFD0,
// Exif and GPS IFDs, values of types 1, 2, 3, 4, 5, 7) into little-endian.
func toLittleEndian(b []byte) []byte {
	be, le := binary.BigEndian, binary.LittleEndian
	out := append([]byte(nil), b...)
	copy(out, "II*\x00")
	le.PutUint32(out[4:], be.Uint32(b[4:]))
	var walk func(off uint32)
	walk = func(off uint32) {
		n := be.Uint16(b[off:])
		le.PutUint16(out[off:], n)
		for i := uint32(0); i < uint32(n); i++ {
			e := off + 2 + 12*i
			tag, typ, count := be.Uint16(b[e:]), be.Uint16(b[e+2:]), be.Uint32(b[e+4:])
			le.PutUint16(out[e:], tag)
			le.PutUint16(out[e+2:], typ)
			le.PutUint32(out[e+4:], count)
			size := uint32(tiffTypeSize(typ)) * count
			val := e + 8
			if size > 4 {
				val = be.Uint32(b[e+8:])
				le.PutUint32(out[e+8:], val)
			}
			switch typ {
			case 3:
				for k := uint32(0); k < count; k++ {
					le.PutUint16(out[val+2*k:], be.Uint16(b[val+2*k:]))
				}
			case 4:
				for k := uint32(0); k < count; k++ {
					le.PutUint32(out[val+4*k:], be.Uint32(b[val+4*k:]))
				}
			case 5:
				for k := uint32(0); k < 2*count; k++ {
					le.PutUint32(out[val+4*k:], be.Uint32(b[val+4*k:]))
				}
			}
			if tag == tagExifIFD || tag == tagGPSIFD {
				walk(be.Uint32(b[e+8:]))
			}
		}
		next := off + 2 + 12*uint32(n)
		le.PutUint32(out[next:], be.Uint32(b[next:]))
	}
	walk(be.Uint32(b[4:]))
	return out
}
