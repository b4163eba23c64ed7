package photo

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/tiff"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/testkit/hostile"
)

func TestIsPhoto(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"IMG_0012.jpg", true}, {"IMG_0012.JPG", true}, {"a.jpeg", true}, {"现场照片/合影.Png", true},
		{"x.heic", true}, {"x.HEIF", true}, {"x.webp", true}, {"scan.tif", true}, {"scan.TIFF", true},
		{"签到表.xlsx", false}, {"课件.pdf", false}, {"jpg", false}, {"photo.jpg.zip", false}, {"a.gif", false}, {"", false},
	}
	for _, tt := range tests {
		if got := IsPhoto(tt.name); got != tt.want {
			t.Errorf("IsPhoto(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// exiftoolRecord is one entry of photos.exiftool.json (-n: numbers stay numbers).
type exiftoolRecord struct {
	SourceFile       string
	DateTimeOriginal any
	GPSLatitude      any // a number, or "" when ExifTool found the tag empty
	GPSLongitude     any
	Make, Model      any
	ImageWidth       *int
	ImageHeight      *int
}

func asString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// TestReadRealworld compares Read with ExifTool's readings of real camera and
// phone photos (some damaged on purpose) and reports how many agree.
func TestReadRealworld(t *testing.T) {
	dir := realworldDir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "photos.exiftool.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []exiftoolRecord
	if err := json.Unmarshal(raw, &recs); err != nil {
		t.Fatal(err)
	}
	// Where Read knowingly differs from ExifTool, and why.
	known := map[string]string{
		"jpg/Issue 154.jpg|DateTimeOriginal":                              "ExifTool's value is a Composite of IPTC/XMP: the EXIF block has none",
		"jpg/Issue 600 (1).jpg|DateTimeOriginal":                          "ExifTool's value is a Composite of IPTC/XMP: the EXIF block has none",
		"jpg/Nikon D5000.jpg|GPS":                                         "seconds written as 0/0: ExifTool gives up, Read counts 0 s (the XMP copy agrees with Read)",
		"heic/IllegalArgumentException.HeifReader.processBoxes.heif|size": "damaged pitm/iloc: ExifTool takes the first ispe (thumbnail), Read the largest",
	}
	type tally struct{ compared, agree, known int }
	var dto, gpsT, mk, model, size tally
	check := func(tl *tally, name, file string, ok bool, got, want any) {
		tl.compared++
		why, isKnown := known[file+"|"+name]
		switch {
		case ok && isKnown:
			t.Errorf("%s: %s now agrees with ExifTool (%v); drop it from the known differences", file, name, got)
		case ok:
			tl.agree++
		case isKnown:
			tl.known++
			t.Logf("%s: %s = %v, ExifTool %v: %s", file, name, got, want, why)
		default:
			t.Errorf("%s: %s = %v, ExifTool says %v", file, name, got, want)
		}
	}
	for _, r := range recs {
		path := filepath.Join(dir, r.SourceFile)
		rel := strings.TrimPrefix(r.SourceFile, "photos/metadata-extractor-images/")
		p := Read(path, rel, shanghai)
		checkReadWork(t, path, rel) // bytes and reads, not time
		if p.File != rel {
			t.Errorf("%s: File = %q", rel, p.File)
		}
		if p.Error != nil && !strings.HasPrefix(*p.Error, rel+"：") {
			t.Errorf("%s: error does not name the file: %s", rel, *p.Error)
		}
		if !IsPhoto(path) {
			if p.Error == nil {
				t.Errorf("%s: not a photo, yet no error", rel)
			}
			continue
		}
		if r.ImageWidth != nil && r.ImageHeight != nil {
			check(&size, "size", rel, p.Width == *r.ImageWidth && p.Height == *r.ImageHeight,
				fmt.Sprintf("%dx%d", p.Width, p.Height), fmt.Sprintf("%dx%d", *r.ImageWidth, *r.ImageHeight))
		}
		if strings.HasSuffix(strings.ToLower(rel), ".heic") || strings.HasSuffix(strings.ToLower(rel), ".heif") {
			continue
		}
		// A DateTimeOriginal with an offset suffix came from XMP, not from EXIF.
		if s := asString(r.DateTimeOriginal); len(s) == 19 {
			if s == "0000:00:00 00:00:00" {
				s = "" // a camera whose clock was never set: no time, by design
			}
			got := ""
			if p.Taken != nil && p.TimeSource == "DateTimeOriginal" {
				got = p.Taken.Format("2006:01:02 15:04:05")
				if _, off := p.Taken.Zone(); off != 8*3600 {
					t.Errorf("%s: time without offset read in zone %v, want the county's +08:00", rel, p.Taken.Location())
				}
			}
			check(&dto, "DateTimeOriginal", rel, got == s, got, s)
		}
		lat, ok1 := r.GPSLatitude.(float64)
		lon, ok2 := r.GPSLongitude.(float64)
		if ok1 && ok2 && lat == 0 && lon == 0 {
			// 0,0 is what a phone writes without a fix: no position, by design.
			check(&gpsT, "GPS", rel, p.Lat == nil, p.Lat, "0,0 (no fix)")
		} else if ok1 && ok2 {
			ok := p.Lat != nil && math.Abs(*p.Lat-lat) < 1e-6 && math.Abs(*p.Lon-lon) < 1e-6
			var got any = "nil"
			if p.Lat != nil {
				got = fmt.Sprintf("%.7f,%.7f", *p.Lat, *p.Lon)
			}
			check(&gpsT, "GPS", rel, ok, got, fmt.Sprintf("%.7f,%.7f", lat, lon))
		} else if r.GPSLatitude != nil {
			check(&gpsT, "GPS", rel, p.Lat == nil, fmt.Sprintf("%.7f,%.7f", deref(p.Lat), deref(p.Lon)), "empty")
		} else if p.Lat != nil {
			t.Errorf("%s: GPS %v,%v where ExifTool found none", rel, *p.Lat, *p.Lon)
		}
		if s := asString(r.Make); r.Make != nil {
			check(&mk, "Make", rel, p.Make == s, p.Make, s)
		}
		if s := asString(r.Model); r.Model != nil {
			check(&model, "Model", rel, p.Model == s, p.Model, s)
		}
	}
	t.Logf("agreement with ExifTool over %d files (agree/compared, known differences): DateTimeOriginal %d/%d (%d), GPS %d/%d (%d), Make %d/%d, Model %d/%d, size %d/%d (%d)",
		len(recs), dto.agree, dto.compared, dto.known, gpsT.agree, gpsT.compared, gpsT.known,
		mk.agree, mk.compared, model.agree, model.compared, size.agree, size.compared, size.known)
	if dto.compared < 80 || gpsT.compared < 10 || mk.compared < 80 {
		t.Errorf("too few comparisons: the realworld set or its JSON changed")
	}
}

// TestReadWritten reads JPEGs written with exifwrite: offsets, fallbacks, GPS.
func TestReadWritten(t *testing.T) {
	dir := t.TempDir()
	img := scene(1, 64, 48)
	utc := time.UTC
	plus8 := time.FixedZone("", 8*3600)
	minus5 := time.FixedZone("", -5*3600)
	tests := []struct {
		name       string
		tags       exifwrite.Tags
		wantTaken  time.Time // zero: nil
		wantSource string
		wantOffset int // seconds east of UTC of the returned time
		wantGPS    *yanshou.LatLon
	}{
		{"offset +08:00", exifwrite.Tags{Make: "HUAWEI", Model: "ELS-AN00",
			DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, plus8), WithOffset: true},
			time.Date(2026, 3, 10, 1, 0, 0, 0, utc), "DateTimeOriginal", 8 * 3600, nil},
		{"offset -05:00 kept as written", exifwrite.Tags{DateTimeOriginal: time.Date(2026, 3, 9, 20, 0, 0, 0, minus5), WithOffset: true},
			time.Date(2026, 3, 10, 1, 0, 0, 0, utc), "DateTimeOriginal", -5 * 3600, nil},
		{"no offset: county zone", exifwrite.Tags{DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, minus5)},
			time.Date(2026, 3, 10, 1, 0, 0, 0, utc), "DateTimeOriginal", 8 * 3600, nil},
		{"CreateDate fallback", exifwrite.Tags{DateTimeDigitized: time.Date(2026, 3, 11, 10, 30, 0, 0, plus8)},
			time.Date(2026, 3, 11, 2, 30, 0, 0, utc), "CreateDate", 8 * 3600, nil},
		{"DateTime fallback", exifwrite.Tags{DateTime: time.Date(2026, 3, 12, 8, 0, 0, 0, plus8)},
			time.Date(2026, 3, 12, 0, 0, 0, 0, utc), "DateTime", 8 * 3600, nil},
		{"DateTimeOriginal wins over others", exifwrite.Tags{DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, plus8),
			DateTimeDigitized: time.Date(2026, 3, 11, 9, 0, 0, 0, plus8), DateTime: time.Date(2026, 3, 12, 9, 0, 0, 0, plus8)},
			time.Date(2026, 3, 10, 1, 0, 0, 0, utc), "DateTimeOriginal", 8 * 3600, nil},
		{"GPS north east", exifwrite.Tags{GPS: &yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}},
			time.Time{}, "", 0, &yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}},
		{"GPS south west", exifwrite.Tags{GPS: &yanshou.LatLon{Lat: -12.5, Lon: -77.25}},
			time.Time{}, "", 0, &yanshou.LatLon{Lat: -12.5, Lon: -77.25}},
		{"no EXIF fields at all", exifwrite.Tags{}, time.Time{}, "", 0, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := fmt.Sprintf("现场照片/IMG_%04d.jpg", i)
			path := writeJPEG(t, dir, rel, img, 85, tt.tags)
			p := Read(path, rel, shanghai)
			if p.Error != nil {
				t.Fatalf("Error = %s", *p.Error)
			}
			if p.Width != 64 || p.Height != 48 {
				t.Errorf("size = %dx%d, want 64x48", p.Width, p.Height)
			}
			if p.Make != tt.tags.Make || p.Model != tt.tags.Model {
				t.Errorf("camera = %q %q, want %q %q", p.Make, p.Model, tt.tags.Make, tt.tags.Model)
			}
			switch {
			case tt.wantTaken.IsZero() && p.Taken != nil:
				t.Errorf("Taken = %v, want nil", p.Taken)
			case !tt.wantTaken.IsZero() && p.Taken == nil:
				t.Errorf("Taken = nil, want %v", tt.wantTaken)
			case p.Taken != nil:
				if !p.Taken.Equal(tt.wantTaken) {
					t.Errorf("Taken = %v, want %v", p.Taken, tt.wantTaken)
				}
				if _, off := p.Taken.Zone(); off != tt.wantOffset {
					t.Errorf("offset = %d, want %d", off, tt.wantOffset)
				}
			}
			if p.TimeSource != tt.wantSource {
				t.Errorf("TimeSource = %q, want %q", p.TimeSource, tt.wantSource)
			}
			if tt.wantGPS == nil {
				if p.Lat != nil {
					t.Errorf("GPS = %v,%v, want none", *p.Lat, *p.Lon)
				}
			} else if p.Lat == nil || math.Abs(*p.Lat-tt.wantGPS.Lat) > 1e-7 || math.Abs(*p.Lon-tt.wantGPS.Lon) > 1e-7 {
				t.Errorf("GPS = %v,%v, want %v", p.Lat, p.Lon, *tt.wantGPS)
			}
		})
	}
}

func TestParseExifTime(t *testing.T) {
	tests := []struct {
		in, offset string
		want       string // RFC 3339, "" for not a time
	}{
		{"2026:03:10 09:15:30", "", "2026-03-10T09:15:30+08:00"},
		{"2026:03:10 09:15:30", "+09:00", "2026-03-10T09:15:30+09:00"},
		{"2026:03:10 09:15:30", "-0330", "2026-03-10T09:15:30-03:30"},
		{"2026:03:10 09:15:30", "   :  ", "2026-03-10T09:15:30+08:00"},
		{"2026-03-10 09:15:30", "", "2026-03-10T09:15:30+08:00"},
		{"2026:03:10 09:15:30+01:00", "+08:00", "2026-03-10T09:15:30+01:00"},
		{"2026:03:10 09:15:30Z", "", "2026-03-10T09:15:30Z"},
		{"2026:03:10 09:15:30.25", "", "2026-03-10T09:15:30+08:00"},
		{"0000:00:00 00:00:00", "", ""},
		{"    :  :     :  :  ", "", ""},
		{"2026:02:30 10:00:00", "", ""},
		{"2026:13:01 10:00:00", "", ""},
		{"yesterday", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got, ok := parseExifTime(tt.in, tt.offset, shanghai)
		s := ""
		if ok {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("parseExifTime(%q, %q) = %q, want %q", tt.in, tt.offset, s, tt.want)
		}
	}
}

// crafted returns a JPEG whose EXIF block was changed by mutate.
func crafted(t testing.TB, tags exifwrite.Tags, mutate func(b []byte)) []byte {
	t.Helper()
	data, err := exifwrite.Encode(scene(2, 32, 32), 80, tags)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := app1(data)
	mutate(block)
	return data
}

// TestReadBroken feeds Read files that are not what their names say, truncated,
// or crafted to hurt; each must come back quickly as a Photo, with the error named.
func TestReadBroken(t *testing.T) {
	dir := t.TempDir()
	good, err := exifwrite.Encode(scene(3, 64, 48), 85, exifwrite.Tags{Make: "Canon",
		DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	_, exifAt := app1(good)
	tags := exifwrite.Tags{Make: "Canon", DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai),
		GPS: &yanshou.LatLon{Lat: 33.5, Lon: 114.6}}
	be := binary.BigEndian

	var pngPlain, pngExif bytes.Buffer
	if err := png.Encode(&pngPlain, scene(4, 40, 30)); err != nil {
		t.Fatal(err)
	}
	pngExif.Write(withPNGExif(t, pngPlain.Bytes(), exifBlock(t, tags)))
	var tiffFile bytes.Buffer
	if err := tiff.Encode(&tiffFile, scene(5, 30, 20), nil); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		rel       string
		data      []byte
		wantErr   string // substring of Error; "" means no error
		wantTaken bool
		wantW     int
	}{
		{"text named .jpg", "现场照片/假照片.jpg", []byte("这不是照片\n"), "不是可识别的照片格式", false, 0},
		{"PDF named .jpg", "现场照片/a.jpg", []byte("%PDF-1.7\n..."), "PDF 文档", false, 0},
		{"zip named .jpg", "现场照片/b.jpg", []byte("PK\x03\x04rest"), "压缩包", false, 0},
		{"empty file", "现场照片/empty.jpg", nil, "空的", false, 0},
		{"truncated inside EXIF", "现场照片/cut1.jpg", good[:exifAt+20], "截断", false, 0},
		{"truncated before the image data", "现场照片/cut2.jpg", good[:bytes.Index(good, []byte{0xFF, 0xDA})], "截断", true, 64},
		{"only SOI", "现场照片/cut3.jpg", good[:3], "", false, 0},
		{"PNG without EXIF", "现场照片/plain.png", pngPlain.Bytes(), "", false, 40},
		{"PNG with eXIf", "现场照片/exif.png", pngExif.Bytes(), "", true, 40},
		{"PNG named .jpg", "现场照片/png.jpg", pngPlain.Bytes(), "", false, 40},
		{"TIFF without EXIF", "现场照片/scan.tif", tiffFile.Bytes(), "", false, 30},
	}
	craftedCases := []struct {
		name, want string
		mutate     func(b []byte)
		taken      bool
	}{
		{"LONG count 0x40000001 (goexif: 8 GB slice)", "超出 EXIF 数据", func(b []byte) {
			e := entryAt(t, b, 0xA002) // PixelXDimension, LONG
			be.PutUint32(b[e+4:], 0x40000001)
		}, true},
		{"RATIONAL count 0x20000001 in GPS", "超出 EXIF 数据", func(b []byte) {
			e := entryAt(t, b, 0x0002) // GPSLatitude
			be.PutUint32(b[e+4:], 0x20000001)
		}, true},
		{"SHORT count 0x80000001 in IFD0", "超出 EXIF 数据", func(b []byte) {
			e := entryAt(t, b, 0x0128) // ResolutionUnit
			be.PutUint32(b[e+4:], 0x80000001)
		}, true},
		{"ASCII count 0xFFFFFFFE", "超出 EXIF 数据", func(b []byte) {
			e := entryAt(t, b, 0x010F) // Make
			be.PutUint32(b[e+4:], 0xFFFFFFFE)
		}, true},
		{"value offset past the block", "值的位置", func(b []byte) {
			e := entryAt(t, b, 0x9003)
			be.PutUint32(b[e+8:], 0xFFFFFF00)
		}, false},
		{"IFD0 entry count 0xFFFF (its table then covers the Exif IFD)", "个条目", func(b []byte) {
			be.PutUint16(b[be.Uint32(b[4:]):], 0xFFFF)
		}, false},
		{"IFD0 chain loops to itself via IFD1", "", func(b []byte) {
			off := be.Uint32(b[4:])
			n := uint32(be.Uint16(b[off:]))
			be.PutUint32(b[off+2+12*n:], off) // next IFD = IFD0
		}, true},
		{"Exif IFD pointer loops to IFD0", "循环引用", func(b []byte) {
			e := entryAt(t, b, tagExifIFD)
			be.PutUint32(b[e+8:], be.Uint32(b[4:]))
		}, false},
		{"Exif IFD pointer past the block", "超出 EXIF 数据", func(b []byte) {
			e := entryAt(t, b, tagExifIFD)
			be.PutUint32(b[e+8:], 0x7FFFFFF0)
		}, false},
		{"IFD0 offset past the block", "IFD0", func(b []byte) {
			be.PutUint32(b[4:], 0x00FFFFFF)
		}, false},
		{"not TIFF inside Exif", "不是 TIFF", func(b []byte) {
			copy(b, "XX\x00\x00")
		}, false},
		{"unknown type on DateTimeOriginal", "类型 99", func(b []byte) {
			e := entryAt(t, b, 0x9003)
			be.PutUint16(b[e+2:], 99)
		}, false},
	}
	for _, c := range craftedCases {
		tests = append(tests, struct {
			name      string
			rel       string
			data      []byte
			wantErr   string
			wantTaken bool
			wantW     int
		}{"crafted: " + c.name, "现场照片/crafted.jpg", crafted(t, tags, c.mutate), c.want, c.taken, 32})
	}

	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, fmt.Sprintf("%d/%s", i, tt.rel), tt.data)
			before := allocated()
			p := Read(path, tt.rel, shanghai)
			if grew := allocated() - before; grew > 32<<20 {
				t.Errorf("Read allocated %d MB", grew>>20)
			}
			checkReadWork(t, path, tt.rel) // bytes and reads, not time
			if tt.wantErr == "" && tt.name != "only SOI" {
				if p.Error != nil {
					t.Errorf("Error = %s, want none", *p.Error)
				}
			} else {
				if p.Error == nil {
					t.Fatalf("no error, want one")
				}
				if !strings.HasPrefix(*p.Error, tt.rel+"：") {
					t.Errorf("error does not start with the file name: %s", *p.Error)
				}
				if !strings.Contains(*p.Error, tt.wantErr) {
					t.Errorf("Error = %s, want it to mention %q", *p.Error, tt.wantErr)
				}
			}
			if (p.Taken != nil) != tt.wantTaken {
				t.Errorf("Taken = %v, want present=%v", p.Taken, tt.wantTaken)
			}
			if p.Width != tt.wantW {
				t.Errorf("Width = %d, want %d", p.Width, tt.wantW)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		p := Read(filepath.Join(dir, "nope.jpg"), "现场照片/nope.jpg", shanghai)
		if p.Error == nil || !strings.Contains(*p.Error, "不存在") || !strings.HasPrefix(*p.Error, "现场照片/nope.jpg：") {
			t.Errorf("Error = %v", p.Error)
		}
	})
	t.Run("directory", func(t *testing.T) {
		if p := Read(dir, "现场照片", shanghai); p.Error == nil {
			t.Error("no error for a directory")
		}
	})
}

// TestReadMutations reads thousands of randomly damaged EXIF blocks: no panic, no
// hang, no large allocation (goexif alone dies on some of these).
func TestReadMutations(t *testing.T) {
	dir := t.TempDir()
	tags := exifwrite.Tags{Make: "Xiaomi", Model: "M2102K1C", Software: "MIUI",
		DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai), WithOffset: true, SubSec: "42",
		GPS: &yanshou.LatLon{Lat: 33.5, Lon: 114.6}, GPSTime: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), Orientation: 6}
	base, err := exifwrite.Encode(scene(6, 16, 16), 70, tags)
	if err != nil {
		t.Fatal(err)
	}
	block, at := app1(base)
	r := rand.New(rand.NewSource(7))
	path := filepath.Join(dir, "m.jpg")
	// Most mutations go straight to the EXIF reader (writing files is slow on some
	// disks); every fiftieth goes through a file and Read.
	n := 3000
	if testing.Short() {
		n = 300
	}
	before := allocated()
	start := time.Now()
	errs := 0
	for i := 0; i < n; i++ {
		data := append([]byte(nil), base...)
		for k := 1 + r.Intn(4); k > 0; k-- {
			pos := at + r.Intn(len(block))
			switch r.Intn(3) {
			case 0:
				data[pos] = byte(r.Intn(256))
			case 1:
				data[pos] ^= 1 << r.Intn(8)
			case 2: // a big-endian 32-bit value, as in a count or offset field
				if pos+4 <= at+len(block) {
					binary.BigEndian.PutUint32(data[pos:], r.Uint32())
				}
			}
		}
		if i%50 != 0 {
			if _, _, err := decodeExif(data[at:at+len(block)], shanghai); err != nil {
				errs++
			}
			continue
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if p := Read(path, "m.jpg", shanghai); p.Error != nil {
			errs++
		}
	}
	if grew := allocated() - before; grew > uint64(n)*64<<10 {
		t.Errorf("%d reads allocated %d MB", n, grew>>20)
	}
	t.Logf("%d mutated EXIF blocks read in %v, %d with an error", n, time.Since(start), errs)
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// withPNGExif inserts an eXIf chunk after IHDR.
func withPNGExif(t testing.TB, p, block []byte) []byte {
	t.Helper()
	ihdrEnd := 8 + 8 + 13 + 4
	var chunk bytes.Buffer
	binary.Write(&chunk, binary.BigEndian, uint32(len(block)))
	chunk.WriteString("eXIf")
	chunk.Write(block)
	binary.Write(&chunk, binary.BigEndian, crc(append([]byte("eXIf"), block...)))
	out := append([]byte(nil), p[:ihdrEnd]...)
	out = append(out, chunk.Bytes()...)
	return append(out, p[ihdrEnd:]...)
}

func crc(b []byte) uint32 {
	var table [256]uint32
	for i := range table {
		c := uint32(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = 0xEDB88320 ^ (c >> 1)
			} else {
				c >>= 1
			}
		}
		table[i] = c
	}
	c := ^uint32(0)
	for _, x := range b {
		c = table[byte(c)^x] ^ (c >> 8)
	}
	return ^c
}

// FuzzDecodeExif checks that no EXIF block makes the reader panic, loop or
// allocate without bound. Seeds: a full block from exifwrite and a real camera's.
func FuzzDecodeExif(f *testing.F) {
	f.Add(exifBlock(f, exifwrite.Tags{Make: "A", Model: "B", DateTimeOriginal: time.Date(2026, 1, 2, 3, 4, 5, 0, shanghai),
		WithOffset: true, GPS: &yanshou.LatLon{Lat: 1, Lon: 2}, Orientation: 3}))
	if data, err := os.ReadFile(filepath.Join(realworld, "photos/metadata-extractor-images/jpg/Nikon D5000.jpg")); err == nil {
		if b, _ := app1(data); b != nil {
			f.Add(b)
		}
	}
	for _, seed := range hostile.Samples(hostile.SampleExif) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, _, err := decodeExif(b, shanghai); err != nil && strings.Contains(err.Error(), "EXIF 解析时出错") {
			t.Fatalf("goexif panicked on a sanitized block: %v", err)
		}
	})
}

// BenchmarkRead reads every realworld JPEG once per iteration.
func BenchmarkRead(b *testing.B) {
	dir := realworldDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "photos/metadata-extractor-images/jpg/*.jpg"))
	if len(files) == 0 {
		b.Skip("no realworld JPEGs")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			Read(f, filepath.Base(f), shanghai)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files)), "µs/photo")
}

// containerSeeds are well-formed files of every container Read understands.
func containerSeeds(t testing.TB) map[string][]byte {
	t.Helper()
	tags := exifwrite.Tags{Make: "vivo", Model: "V2309A", DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai),
		WithOffset: true, GPS: &yanshou.LatLon{Lat: 33.5, Lon: 114.6}}
	jpg, err := exifwrite.Encode(scene(8, 24, 16), 70, tags)
	if err != nil {
		t.Fatal(err)
	}
	var pngBuf, tiffBuf bytes.Buffer
	if err := png.Encode(&pngBuf, scene(9, 12, 8)); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&tiffBuf, scene(9, 12, 8), nil); err != nil {
		t.Fatal(err)
	}
	block := exifBlock(t, tags)
	return map[string][]byte{
		"jpeg": jpg, "png": withPNGExif(t, pngBuf.Bytes(), block), "tiff": tiffBuf.Bytes(),
		"heif-mdat": buildHEIF(t, block, false, 4000, 3000), "heif-idat": buildHEIF(t, block, true, 4000, 3000),
		"webp": webpWithExif(t, block),
	}
}

// mutate damages a copy of seed at up to six random places.
func mutate(r *rand.Rand, seed []byte) []byte {
	data := append([]byte(nil), seed...)
	for k := 1 + r.Intn(6); k > 0 && len(data) > 0; k-- {
		pos := r.Intn(len(data))
		switch r.Intn(4) {
		case 0:
			data[pos] = byte(r.Intn(256))
		case 1:
			data[pos] ^= 1 << r.Intn(8)
		case 2:
			if pos+4 <= len(data) {
				binary.BigEndian.PutUint32(data[pos:], r.Uint32())
			}
		case 3:
			data = data[:pos]
		}
	}
	return data
}

// countingReader counts the bytes a reader hands out: a loop over a damaged
// box or IFD shows as bytes read many times over.
type countingReader struct {
	r *bytes.Reader
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// TestContainerMutations damages every container format at random: Read must
// not panic, must name the file in its error, and its work stays bounded — it
// reads no more than a few times the file's bytes and allocates little. (The
// time it takes is a benchmark's business: BenchmarkContainerMutations.)
func TestContainerMutations(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for name, seed := range containerSeeds(t) {
		t.Run(name, func(t *testing.T) {
			before := allocated()
			var most int64
			for i := 0; i < n; i++ {
				data := mutate(r, seed)
				cr := &countingReader{r: bytes.NewReader(data)}
				p := readFrom(cr, int64(len(data)), "m."+name, shanghai)
				if p.Error != nil && !strings.HasPrefix(*p.Error, "m."+name+"：") {
					t.Fatalf("error does not name the file: %s", *p.Error)
				}
				if limit := 4*int64(len(data)) + 1<<20; cr.n > limit {
					t.Fatalf("mutation %d: read %d bytes of a %d-byte file", i, cr.n, len(data))
				}
				most = max(most, cr.n)
			}
			if grew := allocated() - before; grew > uint64(n)*256<<10 {
				t.Errorf("%d reads allocated %d MB", n, grew>>20)
			}
			t.Logf("%d mutations, at most %d bytes read for a %d-byte seed", n, most, len(seed))
		})
	}
}

// BenchmarkContainerMutations times Read over damaged containers and reports the
// slowest single read.
func BenchmarkContainerMutations(b *testing.B) {
	for name, seed := range containerSeeds(b) {
		b.Run(name, func(b *testing.B) {
			r := rand.New(rand.NewSource(11))
			var slowest time.Duration
			for b.Loop() {
				data := mutate(r, seed)
				s := time.Now()
				readFrom(bytes.NewReader(data), int64(len(data)), "m."+name, shanghai)
				slowest = max(slowest, time.Since(s))
			}
			b.ReportMetric(float64(slowest.Microseconds()), "slowest-µs")
		})
	}
}

// FuzzRead runs the whole metadata reader over arbitrary files.
func FuzzRead(f *testing.F) {
	for _, seed := range containerSeeds(f) {
		f.Add(seed)
	}
	for _, seed := range hostile.Samples(hostile.SamplePhoto) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := readFrom(bytes.NewReader(data), int64(len(data)), "f.jpg", shanghai)
		if p.Error != nil && !strings.HasPrefix(*p.Error, "f.jpg：") {
			t.Fatalf("error does not name the file: %s", *p.Error)
		}
		// A panic recovered by readFrom or decodeExif is a bug all the same.
		if p.Error != nil && (strings.Contains(*p.Error, "读取照片信息时出错") || strings.Contains(*p.Error, "EXIF 解析时出错")) {
			t.Fatalf("recovered panic: %s", *p.Error)
		}
	})
}

func TestReadNamedPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.jpg")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan yanshou.Photo, 1)
	go func() { done <- Read(path, "现场照片/pipe.jpg", shanghai) }()
	select {
	case p := <-done:
		if p.Error == nil || !strings.Contains(*p.Error, "不是普通文件") {
			t.Errorf("Error = %v", p.Error)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Read blocked on a named pipe")
	}
	if _, err := Hash(path, 100e6); err == nil || !strings.Contains(err.Error(), "不是普通文件") {
		t.Errorf("Hash error = %v", err)
	}
}

// tinyWebP is a 1×1 lossless WebP (VP8L).
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

// webpWithExif wraps the VP8L bitstream of tinyWebP in an extended (VP8X) WebP
// with an EXIF chunk, as phones and ExifTool write it.
func webpWithExif(t testing.TB, block []byte) []byte {
	t.Helper()
	small, err := base64.StdEncoding.DecodeString(tinyWebP)
	if err != nil {
		t.Fatal(err)
	}
	vp8l := small[12:] // the VP8L chunk, header included
	chunk := func(typ string, body []byte) []byte {
		out := append([]byte(typ), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
		out = append(out, body...)
		if len(body)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	vp8x := []byte{0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0} // EXIF flag; canvas 1×1 (stored minus one)
	body := append([]byte("WEBP"), chunk("VP8X", vp8x)...)
	body = append(body, vp8l...)
	body = append(body, chunk("EXIF", block)...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...), body...)
}

func TestReadWebP(t *testing.T) {
	dir := t.TempDir()
	tags := exifwrite.Tags{Make: "OPPO", DateTimeOriginal: time.Date(2026, 3, 12, 16, 0, 0, 0, shanghai),
		GPS: &yanshou.LatLon{Lat: 33.55, Lon: 114.62}}
	small, _ := base64.StdEncoding.DecodeString(tinyWebP)
	tests := []struct {
		name  string
		data  []byte
		taken bool
	}{
		{"simple lossless, no EXIF", small, false},
		{"extended with EXIF", webpWithExif(t, exifBlock(t, tags)), true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := fmt.Sprintf("现场照片/%d.webp", i)
			p := Read(writeFile(t, dir, rel, tt.data), rel, shanghai)
			if p.Error != nil {
				t.Fatalf("Error = %s", *p.Error)
			}
			if p.Width != 1 || p.Height != 1 {
				t.Errorf("size = %dx%d, want 1x1", p.Width, p.Height)
			}
			if (p.Taken != nil) != tt.taken {
				t.Fatalf("Taken = %v, want present=%v", p.Taken, tt.taken)
			}
			if tt.taken && (!p.Taken.Equal(tags.DateTimeOriginal) || p.Make != "OPPO" || p.Lat == nil) {
				t.Errorf("read %v %q %v, want %v OPPO with GPS", p.Taken, p.Make, p.Lat, tags.DateTimeOriginal)
			}
		})
	}
	if _, err := exec.LookPath("exiftool"); err == nil {
		t.Run("EXIF written by ExifTool", func(t *testing.T) {
			path := writeFile(t, dir, "et.webp", small)
			if out, err := exec.Command("exiftool", "-q", "-overwrite_original", "-Make=Xiaomi",
				"-DateTimeOriginal=2026:03:12 16:00:00", path).CombinedOutput(); err != nil {
				t.Fatalf("exiftool: %v %s", err, out)
			}
			p := Read(path, "et.webp", shanghai)
			if p.Error != nil || p.Taken == nil || !p.Taken.Equal(tags.DateTimeOriginal) || p.Make != "Xiaomi" || p.Width != 1 {
				t.Errorf("read %v %q %dx%d, error %v", p.Taken, p.Make, p.Width, p.Height, p.Error)
			}
		})
	}
}

// TestReadHeadersOnly: Read stops at the image data, whatever follows it.
func TestReadHeadersOnly(t *testing.T) {
	data, err := exifwrite.Encode(scene(12, 64, 48), 80, exifwrite.Tags{Make: "Canon",
		DateTimeOriginal: time.Date(2026, 3, 10, 9, 0, 0, 0, shanghai)})
	if err != nil {
		t.Fatal(err)
	}
	// 32 MB after the picture, as a motion photo's appended video would be.
	path := writeFile(t, t.TempDir(), "big.jpg", append(data, make([]byte, 32<<20)...))
	before := allocated()
	p := Read(path, "big.jpg", shanghai)
	if grew := allocated() - before; grew > 256<<10 {
		t.Errorf("Read allocated %d KB for a 32 MB file", grew>>10)
	}
	if p.Error != nil || p.Taken == nil || p.Width != 64 {
		t.Errorf("read %v %dx%d, error %v", p.Taken, p.Width, p.Height, p.Error)
	}
}
