package exifwrite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"

	"yanshou"
)

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return img
}

var cst = time.FixedZone("CST", 8*3600)

func cases() []struct {
	name string
	tags Tags
} {
	return []struct {
		name string
		tags Tags
	}{
		{"full with offset", Tags{Make: "HUAWEI", Model: "ELS-AN00", Software: "ELS-AN00 4.0.0",
			DateTimeOriginal: time.Date(2026, 3, 10, 9, 15, 30, 0, cst), WithOffset: true, SubSec: "123",
			GPS: &yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}, GPSTime: time.Date(2026, 3, 10, 1, 15, 29, 0, time.UTC),
			Orientation: 6}},
		{"no offset, no GPS", Tags{Make: "Canon", Model: "Canon EOS 7D",
			DateTimeOriginal: time.Date(2026, 3, 11, 17, 59, 59, 0, cst)}},
		{"southern western hemisphere, negative offset", Tags{Make: "Apple", Model: "iPhone 15",
			DateTimeOriginal: time.Date(2025, 12, 31, 23, 0, 0, 0, time.FixedZone("", -(3*3600+30*60))), WithOffset: true,
			GPS: &yanshou.LatLon{Lat: -33.8688, Lon: -70.6693}}},
		{"minute rounding carry", Tags{GPS: &yanshou.LatLon{Lat: 33.99999999999, Lon: 114.0166666666666}}},
		{"fallback times only", Tags{DateTimeDigitized: time.Date(2026, 3, 10, 8, 0, 0, 0, cst),
			DateTime: time.Date(2026, 3, 12, 8, 0, 0, 0, cst)}},
		{"empty", Tags{}},
	}
}

// exifOffsetTime reads OffsetTimeOriginal (0x9011), which goexif does not map,
// from the Exif sub-IFD with goexif's tiff package.
func exifOffsetTime(t *testing.T, x *exif.Exif) string {
	t.Helper()
	ptr, err := x.Get(exif.ExifIFDPointer)
	if err != nil {
		t.Fatalf("no Exif IFD pointer: %v", err)
	}
	off, _ := ptr.Int64(0)
	r := bytes.NewReader(x.Raw)
	if _, err := r.Seek(off, 0); err != nil {
		t.Fatal(err)
	}
	d, _, err := tiff.DecodeDir(r, x.Tiff.Order)
	if err != nil {
		t.Fatalf("decode Exif IFD: %v", err)
	}
	for _, tg := range d.Tags {
		if tg.Id == 0x9011 {
			s, _ := tg.StringVal()
			return s
		}
	}
	return ""
}

func str(x *exif.Exif, name exif.FieldName) string {
	tg, err := x.Get(name)
	if err != nil {
		return ""
	}
	s, _ := tg.StringVal()
	return s
}

func TestEncodeReadBackWithGoexif(t *testing.T) {
	for _, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Encode(testImage(64, 48), 90, tc.tags)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if !bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF, 0xE1}) {
				t.Fatalf("APP1 is not right after SOI: % x", data[:4])
			}
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				t.Fatalf("result is not a decodable JPEG: %v", err)
			}
			x, err := exif.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("goexif: %v", err)
			}
			checkGoexif(t, x, tc.tags, 64, 48)
		})
	}
}

func checkGoexif(t *testing.T, x *exif.Exif, tags Tags, w, h int) {
	t.Helper()
	for name, want := range map[exif.FieldName]string{exif.Make: tags.Make, exif.Model: tags.Model,
		exif.Software: tags.Software, exif.SubSecTimeOriginal: tags.SubSec} {
		if got := str(x, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	wantTime := func(name exif.FieldName, tm time.Time) {
		want := ""
		if !tm.IsZero() {
			want = tm.Format("2006:01:02 15:04:05")
		}
		if got := str(x, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	wantTime(exif.DateTimeOriginal, tags.DateTimeOriginal)
	wantTime(exif.DateTimeDigitized, tags.DateTimeDigitized)
	wantTime(exif.DateTime, tags.DateTime)
	wantOff := ""
	if tags.WithOffset && !tags.DateTimeOriginal.IsZero() {
		wantOff = tags.DateTimeOriginal.Format("-07:00")
	}
	if got := exifOffsetTime(t, x); got != wantOff {
		t.Errorf("OffsetTimeOriginal = %q, want %q", got, wantOff)
	}
	lat, lon, err := x.LatLong()
	if tags.GPS == nil {
		if err == nil {
			t.Errorf("GPS %v,%v read from a photo written without GPS", lat, lon)
		}
	} else if err != nil {
		t.Errorf("LatLong: %v", err)
	} else if math.Abs(lat-tags.GPS.Lat) > 1e-7 || math.Abs(lon-tags.GPS.Lon) > 1e-7 {
		t.Errorf("LatLong = %.9f,%.9f, want %.9f,%.9f", lat, lon, tags.GPS.Lat, tags.GPS.Lon)
	}
	if tags.Orientation != 0 {
		tg, err := x.Get(exif.Orientation)
		if err != nil {
			t.Fatalf("Orientation: %v", err)
		}
		if v, _ := tg.Int(0); v != tags.Orientation {
			t.Errorf("Orientation = %d, want %d", v, tags.Orientation)
		}
	}
	for name, want := range map[exif.FieldName]int{exif.PixelXDimension: w, exif.PixelYDimension: h} {
		tg, err := x.Get(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if v, _ := tg.Int(0); v != want {
			t.Errorf("%s = %d, want %d", name, v, want)
		}
	}
	if !tags.GPSTime.IsZero() {
		if got, want := str(x, exif.GPSDateStamp), tags.GPSTime.UTC().Format("2006:01:02"); got != want {
			t.Errorf("GPSDateStamp = %q, want %q", got, want)
		}
	}
}

func TestInsertReplacesExistingExif(t *testing.T) {
	first, err := Encode(testImage(40, 30), 80, Tags{Make: "Old", Model: "First"})
	if err != nil {
		t.Fatal(err)
	}
	want := Tags{Make: "New", Model: "Second", DateTimeOriginal: time.Date(2026, 3, 10, 10, 0, 0, 0, cst), WithOffset: true}
	second, err := Insert(first, want)
	if err != nil {
		t.Fatalf("Insert: %v", err)
	}
	if n := bytes.Count(second, []byte("Exif\x00\x00")); n != 1 {
		t.Errorf("%d Exif segments after Insert, want 1", n)
	}
	if bytes.Contains(second, []byte("First")) {
		t.Error("old Exif segment still present")
	}
	x, err := exif.Decode(bytes.NewReader(second))
	if err != nil {
		t.Fatalf("goexif: %v", err)
	}
	checkGoexif(t, x, want, 40, 30)
	// The scan data is untouched: pixels decode identically.
	a, _ := jpeg.Decode(bytes.NewReader(first))
	b, err := jpeg.Decode(bytes.NewReader(second))
	if err != nil {
		t.Fatalf("decode after Insert: %v", err)
	}
	if !bytes.Equal(a.(*image.YCbCr).Y, b.(*image.YCbCr).Y) {
		t.Error("pixels changed by Insert")
	}

	// A plain JPEG without EXIF (as image/jpeg writes it) gets one.
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, testImage(16, 16), nil); err != nil {
		t.Fatal(err)
	}
	withExif, err := Insert(plain.Bytes(), want)
	if err != nil {
		t.Fatalf("Insert into plain JPEG: %v", err)
	}
	if x, err := exif.Decode(bytes.NewReader(withExif)); err != nil {
		t.Errorf("goexif on inserted: %v", err)
	} else {
		checkGoexif(t, x, want, 16, 16)
	}
}

func TestErrors(t *testing.T) {
	good, err := Encode(testImage(8, 8), 75, Tags{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() ([]byte, error)
	}{
		{"not a JPEG", func() ([]byte, error) { return Insert([]byte("\x89PNG\r\n\x1a\nxxxxxxxx"), Tags{Make: "x"}) }},
		{"empty", func() ([]byte, error) { return Insert(nil, Tags{}) }},
		{"truncated header", func() ([]byte, error) { return Insert(good[:3], Tags{}) }},
		{"truncated before SOS", func() ([]byte, error) { return Insert(good[:30], Tags{}) }},
		{"bad orientation", func() ([]byte, error) { return Insert(good, Tags{Orientation: 9}) }},
		{"bad GPS", func() ([]byte, error) { return Insert(good, Tags{GPS: &yanshou.LatLon{Lat: 91}}) }},
		{"huge make", func() ([]byte, error) { return Insert(good, Tags{Make: strings.Repeat("x", 70000)}) }},
		{"nil image", func() ([]byte, error) { return Encode(nil, 80, Tags{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if out, err := tt.run(); err == nil {
				t.Errorf("no error; got %d bytes", len(out))
			}
		})
	}
}

// TestExiftool reads the written files back with ExifTool when it is installed
// (Debian: apt-get install libimage-exiftool-perl).
func TestExiftool(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool not installed")
	}
	dir := t.TempDir()
	for i, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Encode(testImage(64, 48), 90, tc.tags)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, strings.Repeat("p", i+1)+".jpg")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("exiftool", "-json", "-n", "-m", "-Validate", "-Warning", "-Error",
				"-EXIF:Make", "-EXIF:Model", "-EXIF:Software", "-EXIF:DateTimeOriginal", "-EXIF:OffsetTimeOriginal",
				"-EXIF:SubSecTimeOriginal", "-EXIF:CreateDate", "-EXIF:ModifyDate", "-EXIF:Orientation",
				"-EXIF:ExifImageWidth", "-EXIF:ExifImageHeight", "-GPSLatitude", "-GPSLongitude",
				"-GPSDateStamp", "-GPSTimeStamp", path).Output()
			if err != nil {
				t.Fatalf("exiftool: %v", err)
			}
			var got []map[string]any
			if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 {
				t.Fatalf("exiftool output %s: %v", out, err)
			}
			m := got[0]
			if e, ok := m["Error"]; ok {
				t.Fatalf("exiftool error: %v", e)
			}
			// With -n, Validate is "errors warnings minor-warnings".
			if v := jsonString(m["Validate"]); v != "0 0 0" {
				t.Errorf("exiftool -validate: %s (%v)", v, m["Warning"])
			}
			tags := tc.tags
			wantS := func(key, want string) {
				t.Helper()
				got := ""
				if v, ok := m[key]; ok {
					got = strings.TrimSpace(strings.Trim(jsonString(v), "\x00"))
				}
				if got != want {
					t.Errorf("exiftool %s = %q, want %q", key, got, want)
				}
			}
			wantS("Make", tags.Make)
			wantS("Model", tags.Model)
			wantS("Software", tags.Software)
			wantS("SubSecTimeOriginal", tags.SubSec)
			tf := func(tm time.Time) string {
				if tm.IsZero() {
					return ""
				}
				return tm.Format("2006:01:02 15:04:05")
			}
			wantS("DateTimeOriginal", tf(tags.DateTimeOriginal))
			wantS("CreateDate", tf(tags.DateTimeDigitized))
			wantS("ModifyDate", tf(tags.DateTime))
			off := ""
			if tags.WithOffset {
				off = tags.DateTimeOriginal.Format("-07:00")
			}
			wantS("OffsetTimeOriginal", off)
			wantS("ExifImageWidth", "64")
			wantS("ExifImageHeight", "48")
			if tags.Orientation != 0 {
				wantS("Orientation", jsonString(float64(tags.Orientation)))
			}
			if tags.GPS != nil {
				lat, _ := m["GPSLatitude"].(float64)
				lon, _ := m["GPSLongitude"].(float64)
				if math.Abs(lat-tags.GPS.Lat) > 1e-7 || math.Abs(lon-tags.GPS.Lon) > 1e-7 {
					t.Errorf("exiftool GPS = %.9f,%.9f, want %.9f,%.9f", lat, lon, tags.GPS.Lat, tags.GPS.Lon)
				}
			} else if _, ok := m["GPSLatitude"]; ok {
				t.Errorf("exiftool found GPS %v in a photo written without it", m["GPSLatitude"])
			}
			if !tags.GPSTime.IsZero() {
				wantS("GPSDateStamp", tags.GPSTime.UTC().Format("2006:01:02"))
				wantS("GPSTimeStamp", tags.GPSTime.UTC().Format("15:04:05"))
			}
		})
	}
}

func jsonString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		b, _ := json.Marshal(x)
		return string(b)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestThumbnailAndSerial: the IFD1 thumbnail and the body serial number are
// read back by goexif and, when installed, by ExifTool, which finds the block valid.
func TestThumbnailAndSerial(t *testing.T) {
	img := testImage(640, 360) // 16:9: the thumbnail is padded
	th, err := Thumb(img)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(th))
	if err != nil || cfg.Width != 160 || cfg.Height != 120 {
		t.Fatalf("thumbnail %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	tags := Tags{Make: "Canon", Model: "Canon EOS 80D", BodySerial: "032011001234", Thumbnail: th,
		DateTimeOriginal: time.Date(2026, 5, 10, 9, 30, 0, 0, time.UTC), GPS: &yanshou.LatLon{Lat: 33.5, Lon: 114.6}}
	data, err := Encode(img, 90, tags)
	if err != nil {
		t.Fatal(err)
	}
	x, err := exif.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := x.JpegThumbnail(); err != nil || !bytes.Equal(got, th) {
		t.Errorf("goexif thumbnail: %d bytes, %v; want %d", len(got), err, len(th))
	}
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool not installed")
	}
	path := filepath.Join(t.TempDir(), "t.jpg")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("exiftool", "-json", "-n", "-m", "-Validate", "-SerialNumber", "-ThumbnailLength", "-IFD1:Compression", path).Output()
	if err != nil {
		t.Fatalf("exiftool: %v", err)
	}
	var got []map[string]any
	if err := json.Unmarshal(out, &got); err != nil || len(got) != 1 {
		t.Fatalf("exiftool output %s: %v", out, err)
	}
	m := got[0]
	if v := jsonString(m["Validate"]); v != "0 0 0" {
		t.Errorf("exiftool -validate: %s", v)
	}
	if s := jsonString(m["SerialNumber"]); s != "032011001234" {
		t.Errorf("exiftool SerialNumber = %q", s)
	}
	if n := jsonString(m["ThumbnailLength"]); n != fmt.Sprint(len(th)) {
		t.Errorf("exiftool ThumbnailLength = %s, want %d", n, len(th))
	}
}

// TestCameraTables: with CameraTables the JPEG's quantisation tables are no
// longer the IJG tables Go's encoder writes, and the picture decodes alike.
func TestCameraTables(t *testing.T) {
	img := testImage(64, 48)
	plain, err := Encode(img, 80, Tags{Make: "Apple"})
	if err != nil {
		t.Fatal(err)
	}
	own, err := Encode(img, 80, Tags{Make: "Apple", CameraTables: true})
	if err != nil {
		t.Fatal(err)
	}
	dqt := func(b []byte) []byte {
		i := bytes.Index(b, []byte{0xFF, 0xDB})
		return b[i : i+2+(int(b[i+2])<<8|int(b[i+3]))]
	}
	if bytes.Equal(dqt(plain), dqt(own)) || len(plain) != len(own) {
		t.Fatal("CameraTables left the tables as they were")
	}
	a, err1 := jpeg.Decode(bytes.NewReader(plain))
	b, err2 := jpeg.Decode(bytes.NewReader(own))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var diff, n float64
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			r1, _, _, _ := a.At(x, y).RGBA()
			r2, _, _, _ := b.At(x, y).RGBA()
			diff += math.Abs(float64(r1>>8) - float64(r2>>8))
			n++
		}
	}
	if diff/n > 2 {
		t.Errorf("the picture changed by %.1f levels on average", diff/n)
	}
}
