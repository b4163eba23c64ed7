package photo

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// bx builds an ISOBMFF box; full boxes get version and flags first.
func bx(typ string, full bool, version byte, payload ...[]byte) []byte {
	var body bytes.Buffer
	if full {
		body.Write([]byte{version, 0, 0, 0})
	}
	for _, p := range payload {
		body.Write(p)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(8+body.Len()))
	out = append(out, typ...)
	return append(out, body.Bytes()...)
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// buildHEIF makes a minimal HEIF still image: item 1 the (fake) coded picture,
// item 2 the Exif item, stored in mdat (method 0) or in idat (method 1).
func buildHEIF(t testing.TB, tiff []byte, inIdat bool, w, h uint32) []byte {
	t.Helper()
	exifPayload := append(append(u32(6), "Exif\x00\x00"...), tiff...)
	picture := bytes.Repeat([]byte{0xAB}, 100)
	ftyp := bx("ftyp", false, 0, []byte("heic"), u32(0), []byte("mif1heic"))
	hdlr := bx("hdlr", true, 0, u32(0), []byte("pict"), make([]byte, 12), []byte{0})
	pitm := bx("pitm", true, 0, u16(1))
	infe := func(id uint16, typ string) []byte {
		return bx("infe", true, 2, u16(id), u16(0), []byte(typ), []byte{0})
	}
	iinf := bx("iinf", true, 0, u16(2), infe(1, "hvc1"), infe(2, "Exif"))
	ispe := bx("ispe", true, 0, u32(w), u32(h))
	iprp := bx("iprp", false, 0, bx("ipco", false, 0, ispe),
		bx("ipma", true, 0, u32(1), u16(1), []byte{1, 0x81}))
	var idat []byte
	if inIdat {
		idat = bx("idat", false, 0, exifPayload)
	}
	// iloc v1: offset_size 4, length_size 4, base_offset_size 0, index_size 0.
	iloc := func(picOff, exifOff uint32) []byte {
		method := uint16(0)
		if inIdat {
			method = 1
		}
		return bx("iloc", true, 1, []byte{0x44, 0x00}, u16(2),
			u16(1), u16(0), u16(0), u16(1), u32(picOff), u32(uint32(len(picture))),
			u16(2), u16(method), u16(0), u16(1), u32(exifOff), u32(uint32(len(exifPayload))))
	}
	metaLen := len(bx("meta", true, 0, hdlr, pitm, iloc(0, 0), iinf, iprp, idat))
	mdatStart := uint32(len(ftyp) + metaLen + 8)
	exifOff := mdatStart + uint32(len(picture))
	if inIdat {
		exifOff = 0
	}
	meta := bx("meta", true, 0, hdlr, pitm, iloc(mdatStart, exifOff), iinf, iprp, idat)
	mdat := bx("mdat", false, 0, picture)
	if !inIdat {
		mdat = bx("mdat", false, 0, picture, exifPayload)
	}
	return append(append(ftyp, meta...), mdat...)
}

func TestReadHEIF(t *testing.T) {
	dir := t.TempDir()
	tags := exifwrite.Tags{Make: "Apple", Model: "iPhone 15 Pro",
		DateTimeOriginal: time.Date(2026, 3, 11, 15, 30, 0, 0, time.FixedZone("", 8*3600)), WithOffset: true,
		GPS: &yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}}
	tiff := exifBlock(t, tags)
	tests := []struct {
		name    string
		data    []byte
		wantErr string
		exif    bool
	}{
		{"Exif item in mdat", buildHEIF(t, tiff, false, 4032, 3024), "", true},
		{"Exif item in idat", buildHEIF(t, tiff, true, 4032, 3024), "", true},
		{"no Exif item", func() []byte {
			b := buildHEIF(t, tiff, false, 4032, 3024)
			// infe of item 2: id, protection index, type.
			return bytes.Replace(b, []byte("\x00\x02\x00\x00Exif"), []byte("\x00\x02\x00\x00mime"), 1)
		}(), "", false},
		{"Exif item points past the file", func() []byte {
			b := buildHEIF(t, tiff, false, 4032, 3024)
			i := bytes.Index(b, []byte("iloc"))
			// type, version+flags, sizes, item count, item 1 (16 bytes), item 2's
			// id, method, reference and extent count, then its extent offset.
			binary.BigEndian.PutUint32(b[i+4+4+2+2+16+8:], 0x7FFFFFF0)
			return b
		}(), "位置超出文件", false},
		{"meta box longer than the file", func() []byte {
			b := buildHEIF(t, tiff, false, 4032, 3024)
			i := bytes.Index(b, []byte("meta"))
			binary.BigEndian.PutUint32(b[i-4:], 0x7FFFFFFF)
			return b
		}(), "超出文件", false},
		{"truncated after ftyp", buildHEIF(t, tiff, false, 4032, 3024)[:30], "meta", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := "现场照片/IMG_" + strings.Repeat("1", i+1) + ".HEIC"
			path := writeFile(t, dir, rel, tt.data)
			p := Read(path, rel, shanghai)
			if tt.wantErr == "" {
				if p.Error != nil {
					t.Fatalf("Error = %s", *p.Error)
				}
				if p.Width != 4032 || p.Height != 3024 {
					t.Errorf("size = %dx%d, want 4032x3024 (ispe)", p.Width, p.Height)
				}
			} else if p.Error == nil || !strings.Contains(*p.Error, tt.wantErr) || !strings.HasPrefix(*p.Error, rel+"：") {
				t.Errorf("Error = %v, want one naming the file and mentioning %q", p.Error, tt.wantErr)
			}
			if !tt.exif {
				if p.Taken != nil {
					t.Errorf("Taken = %v, want nil", p.Taken)
				}
				return
			}
			if p.Taken == nil || !p.Taken.Equal(tags.DateTimeOriginal) || p.TimeSource != "DateTimeOriginal" {
				t.Errorf("Taken = %v (%s), want %v", p.Taken, p.TimeSource, tags.DateTimeOriginal)
			}
			if p.Lat == nil || math.Abs(*p.Lat-33.5432) > 1e-7 || math.Abs(*p.Lon-114.6091) > 1e-7 {
				t.Errorf("GPS = %v,%v", p.Lat, p.Lon)
			}
			if p.Make != "Apple" || p.Model != "iPhone 15 Pro" {
				t.Errorf("camera = %q %q", p.Make, p.Model)
			}
		})
	}
}

// TestReadHEIFRealworld reads the real HEIC files, and a real one that ExifTool
// (when installed) has given an EXIF block.
func TestReadHEIFRealworld(t *testing.T) {
	dir := realworldDir(t)
	cheers := filepath.Join(dir, "photos/metadata-extractor-images/heic/cheers_1440x960.heic")
	p := Read(cheers, "cheers.heic", shanghai)
	if p.Error != nil || p.Width != 1440 || p.Height != 960 || p.Taken != nil {
		t.Errorf("cheers.heic: size %dx%d, taken %v, error %v", p.Width, p.Height, p.Taken, p.Error)
	}
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool not installed: HEIC written by ExifTool not tested")
	}
	data, err := os.ReadFile(cheers)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, t.TempDir(), "IMG_0001.HEIC", data)
	out, err := exec.Command("exiftool", "-q", "-overwrite_original", "-Make=Apple", "-Model=iPhone 15",
		"-DateTimeOriginal=2026:03:10 09:15:30", "-OffsetTimeOriginal=+08:00",
		"-GPSLatitude=33.5432", "-GPSLatitudeRef=N", "-GPSLongitude=114.6091", "-GPSLongitudeRef=E", path).CombinedOutput()
	if err != nil {
		t.Fatalf("exiftool: %v %s", err, out)
	}
	p = Read(path, "现场照片/IMG_0001.HEIC", shanghai)
	if p.Error != nil {
		t.Fatalf("Error = %s", *p.Error)
	}
	want := time.Date(2026, 3, 10, 9, 15, 30, 0, shanghai)
	if p.Taken == nil || !p.Taken.Equal(want) {
		t.Errorf("Taken = %v, want %v", p.Taken, want)
	}
	if p.Lat == nil || math.Abs(*p.Lat-33.5432) > 1e-6 || math.Abs(*p.Lon-114.6091) > 1e-6 {
		t.Errorf("GPS = %v,%v", p.Lat, p.Lon)
	}
	if p.Make != "Apple" || p.Model != "iPhone 15" || p.Width != 1440 || p.Height != 960 {
		t.Errorf("camera %q %q, size %dx%d", p.Make, p.Model, p.Width, p.Height)
	}
}
