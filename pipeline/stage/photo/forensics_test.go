package photo

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/platform/config"
)

// cameraTables rewrites a JPEG's quantisation tables so that they are no
// longer IJG-scaled, as a camera's own tables are not: a few high-frequency
// entries are raised by one (the picture hardly changes; its DC and low
// frequencies keep their steps).
func cameraTables(t testing.TB, jpg []byte) []byte {
	t.Helper()
	out := append([]byte(nil), jpg...)
	for i := 2; i+4 <= len(out); {
		if out[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		mk, n := out[i+1], int(binary.BigEndian.Uint16(out[i+2:]))
		if mk == 0xDA {
			return out
		}
		if mk == 0xDB {
			for p := i + 4; p < i+2+n; p += 65 {
				for _, k := range []int{40, 50, 60, 63} {
					if out[p+1+k] < 255 {
						out[p+1+k]++
					}
				}
			}
		}
		i += 2 + n
	}
	t.Fatal("no SOS")
	return nil
}

// rect is a rectangle of img given in fractions of its size.
func rect(img image.Image, x0, y0, x1, y1 float64) image.Rectangle {
	b := img.Bounds()
	return image.Rect(b.Min.X+int(x0*float64(b.Dx())), b.Min.Y+int(y0*float64(b.Dy())),
		b.Min.X+int(x1*float64(b.Dx())), b.Min.Y+int(y1*float64(b.Dy())))
}

// paint fills a rectangle (fractions of the picture) with a flat grey, as a
// banner or a blot painted over something.
func paint(x0, y0, x1, y1 float64, c uint8) func(*image.RGBA) image.Image {
	return func(img *image.RGBA) image.Image {
		draw.Draw(img, rect(img, x0, y0, x1, y1), image.NewUniform(color.RGBA{c, c, c, 255}), image.Point{}, draw.Src)
		return img
	}
}

// swap pastes the same rectangle of another picture (seed) over this one: a
// face or a person swapped for another photo's.
func swap(seed int64, x0, y0, x1, y1 float64) func(*image.RGBA) image.Image {
	return func(img *image.RGBA) image.Image {
		b := img.Bounds()
		other := scene(seed, b.Dx(), b.Dy())
		r := rect(img, x0, y0, x1, y1)
		draw.Draw(img, r, other, r.Min, draw.Src)
		return img
	}
}

// cropTo cuts the picture to a rectangle (fractions).
func cropTo(x0, y0, x1, y1 float64) func(*image.RGBA) image.Image {
	return func(img *image.RGBA) image.Image { return img.SubImage(rect(img, x0, y0, x1, y1)) }
}

// thumbCase is one photo of the thumbnail corpus: a camera-like JPEG whose
// thumbnail was made from the picture as shot, then the picture edited (or
// not) with its EXIF kept.
type thumbCase struct {
	name        string
	w, h        int
	orientation int
	edit        func(*image.RGBA) image.Image // nil: untouched
	missed      string                        // why an edit is not caught (a known miss), or ""
}

var thumbCorpus = []thumbCase{
	{"untouched 4:3", 1024, 768, 1, nil, ""},
	{"untouched 16:9 (letterboxed thumbnail)", 1366, 768, 1, nil, ""},
	{"untouched 3:2 (letterboxed thumbnail)", 1152, 768, 1, nil, ""},
	{"untouched upright (orientation 6)", 1024, 768, 6, nil, ""},
	{"untouched small (no DC decode)", 640, 480, 1, nil, ""},
	{"untouched 4:3 another scene", 1024, 768, 1, nil, ""},
	{"region painted over (a quarter)", 1024, 768, 1, paint(0.1, 0.1, 0.6, 0.6, 200), ""},
	{"banner painted over the bottom fifth", 1024, 768, 1, paint(0, 0.8, 1, 1, 230),
		"a flat strip along one edge moves the low frequencies of few crops (10 bits)"},
	{"small blot (3%)", 1024, 768, 1, paint(0.4, 0.4, 0.57, 0.57, 20), ""},
	{"face swapped (a tenth)", 1024, 768, 1, swap(99, 0.35, 0.2, 0.6, 0.6), ""},
	{"person swapped (a quarter)", 1024, 768, 1, swap(98, 0.2, 0.1, 0.7, 0.6), ""},
	{"cropped 20% from the left", 1024, 768, 1, cropTo(0.2, 0, 1, 1), ""},
	{"cropped 10% all round", 1024, 768, 1, cropTo(0.1, 0.1, 0.9, 0.9), ""},
	{"cropped to the centre half", 1024, 768, 1, cropTo(0.25, 0.25, 0.75, 0.75), ""},
	{"16:9 cropped 20% from the right", 1366, 768, 1, cropTo(0, 0, 0.8, 1), ""},
}

// thumbPhoto writes one case into dir and reads it as the pipeline does.
func thumbPhoto(t testing.TB, dir string, i int, c thumbCase) yanshou.Photo {
	t.Helper()
	img := scene(int64(10+i), c.w, c.h)
	th, err := exifwrite.Thumb(img)
	if err != nil {
		t.Fatal(err)
	}
	var pic image.Image = img
	if c.edit != nil {
		pic = c.edit(scene(int64(10+i), c.w, c.h))
	}
	tags := exifwrite.Tags{Make: "Canon", Model: "Canon EOS 80D", Orientation: c.orientation, Thumbnail: th,
		DateTimeOriginal: time.Date(2026, 5, 10, 9, 30, 0, 0, shanghai)}
	path := writeJPEG(t, dir, fmt.Sprintf("%02d.jpg", i), pic, 92, tags)
	p := Read(path, filepath.Base(path), shanghai)
	if p.Error != nil {
		t.Fatalf("%s: %s", c.name, *p.Error)
	}
	hs, err := Hashes(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	p.Hash, p.Hashes = hs[0], hs[1:]
	CompareThumb(&p)
	return p
}

// TestThumbnailCorpus: a thumbnail kept from before an edit no longer matches
// the picture (beyond photo_thumb_max_distance); an untouched photo's does.
func TestThumbnailCorpus(t *testing.T) {
	limit := config.Default().Thresholds.PhotoThumbMaxDistance
	dir := t.TempDir()
	for i, c := range thumbCorpus {
		p := thumbPhoto(t, dir, i, c)
		if p.ThumbDiffers == nil {
			t.Fatalf("%s: thumbnail not compared (%q)", c.name, p.ThumbProblem)
		}
		d := *p.ThumbDiffers
		t.Logf("%-40s %4.1f bits", c.name, d)
		if flagged := d > limit; flagged != (c.edit != nil && c.missed == "") {
			t.Errorf("%s: %.1f bits from its thumbnail, limit %v: flagged %v", c.name, d, limit, flagged)
		}
	}
}

// editedByEye are the realworld photos whose thumbnail shows another picture
// than the file, looked at side by side: edited after shooting, so a finding
// there is right.
var editedByEye = map[string]string{
	"Nikon E5000.jpg":        "cut to 126×115 out of the 4:3 shot the thumbnail shows",
	"Sony Cybershot (3).jpg": "turned and cut to 311×450; the thumbnail shows the whole 4:3 shot",
}

// TestRealworldForensics reads the real photos: no untouched camera photo's
// thumbnail is past photo_thumb_max_distance, and no photo claiming to be an
// original of a make in camera_quant_makes carries IJG tables unless an editor
// is named. It logs, per make, which photos' tables are IJG-exact.
func TestRealworldForensics(t *testing.T) {
	dir := realworldDir(t)
	cfg := config.Default()
	limit := cfg.Thresholds.PhotoThumbMaxDistance
	paths, _ := filepath.Glob(filepath.Join(dir, "photos/metadata-extractor-images/jpg/*"))
	compared, flagged, exact := 0, 0, map[string][]string{}
	for _, path := range paths {
		name := filepath.Base(path)
		p := Read(path, name, shanghai)
		if hs, err := Hashes(path, 0); err == nil {
			p.Hash, p.Hashes = hs[0], hs[1:]
		}
		CompareThumb(&p)
		if p.ThumbDiffers != nil {
			compared++
			d := *p.ThumbDiffers
			switch why, edited := editedByEye[name]; {
			case d > limit && edited:
				flagged++
				t.Logf("%s: %.1f bits from its thumbnail (%s)", name, d, why)
			case d > limit:
				t.Errorf("%s: %.1f bits from its thumbnail, past %v, but untouched", name, d, limit)
			case edited:
				t.Errorf("%s: %.1f bits from its thumbnail, within %v, but %s", name, d, limit, why)
			}
		}
		if p.JPEGQuality == 0 {
			continue
		}
		mk := strings.ToLower(p.Make)
		if p.IJGTables {
			exact[p.Make] = append(exact[p.Make], fmt.Sprintf("%s (q%d)", name, p.JPEGQuality))
		}
		editor := false
		for _, e := range cfg.PhotoEditors {
			editor = editor || strings.Contains(strings.ToLower(p.Software), strings.ToLower(e))
		}
		for _, m := range cfg.CameraQuantMakes {
			if mk != "" && strings.Contains(mk, strings.ToLower(m)) && p.Original != nil && p.IJGTables && !editor {
				t.Errorf("%s: a %s original with IJG tables (q%d)", name, p.Make, p.JPEGQuality)
			}
		}
	}
	t.Logf("thumbnails compared: %d, past the limit: %d (all edited by eye)", compared, flagged)
	if compared < 50 {
		t.Errorf("only %d realworld thumbnails compared", compared)
	}
	for mk, files := range exact {
		t.Logf("IJG-exact tables, make %q: %s", mk, strings.Join(files, ", "))
	}
}

// TestReadForensics: the fields read for the forensic signals, from files
// written with exifwrite, and a thumbnail declared where none can be.
func TestReadForensics(t *testing.T) {
	dir := t.TempDir()
	img := scene(3, 320, 240)
	th, err := exifwrite.Thumb(img)
	if err != nil {
		t.Fatal(err)
	}
	taken := time.Date(2026, 5, 10, 9, 30, 0, 0, shanghai)
	base := exifwrite.Tags{Make: "Canon", Model: "Canon EOS 80D", DateTimeOriginal: taken, Thumbnail: th}
	withTags := func(f func(*exifwrite.Tags)) []byte {
		tags := base
		f(&tags)
		data, err := exifwrite.Encode(img, 85, tags)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// thumbPointer rewrites IFD1's JPEGInterchangeFormat(Length) of a file written by exifwrite.
	thumbPointer := func(data []byte, off, n uint32) []byte {
		block, at := app1(data)
		be := binary.BigEndian
		ifd0 := be.Uint32(block[4:])
		ifd1 := be.Uint32(block[ifd0+2+12*uint32(be.Uint16(block[ifd0:])):])
		for i := 0; i < int(be.Uint16(block[ifd1:])); i++ {
			e := at + int(ifd1) + 2 + 12*i
			switch be.Uint16(data[e:]) {
			case 0x0201:
				be.PutUint32(data[e+8:], off)
			case 0x0202:
				be.PutUint32(data[e+8:], n)
			}
		}
		return data
	}
	tests := []struct {
		name  string
		data  []byte
		check func(p yanshou.Photo) string // "" when right
	}{
		{"camera-like file", withTags(func(tg *exifwrite.Tags) {
			tg.BodySerial, tg.DateTime, tg.DateTimeDigitized = "032011001234", taken.Add(time.Hour), taken
		}), func(p yanshou.Photo) string {
			switch {
			case p.Serial != "032011001234":
				return "serial " + p.Serial
			case p.Original == nil || !p.Original.Equal(taken), p.Digitized == nil || !p.Digitized.Equal(taken):
				return fmt.Sprint("original ", p.Original, " digitized ", p.Digitized)
			case p.Modified == nil || !p.Modified.Equal(taken.Add(time.Hour)) || p.TimesZoned:
				return fmt.Sprint("modified ", p.Modified, p.TimesZoned)
			case len(p.ThumbHashes) != len(Crops)+len(WideCrops) || p.ThumbProblem != "":
				return fmt.Sprint("thumb ", len(p.ThumbHashes), p.ThumbProblem)
			case p.JPEGQuality != 85 || !p.IJGTables:
				return fmt.Sprint("quality ", p.JPEGQuality, p.IJGTables)
			}
			return ""
		}},
		{"offsets on both times: compared as instants", withTags(func(tg *exifwrite.Tags) {
			tg.WithOffset, tg.DateTime = true, taken
		}), func(p yanshou.Photo) string {
			if p.TimesZoned { // exifwrite writes no OffsetTime for DateTime
				return "zoned with one offset"
			}
			return ""
		}},
		{"camera's own tables", cameraTables(t, withTags(func(*exifwrite.Tags) {})), func(p yanshou.Photo) string {
			if p.IJGTables || p.JPEGQuality < 80 || p.JPEGQuality > 90 {
				return fmt.Sprint("quality ", p.JPEGQuality, p.IJGTables)
			}
			return ""
		}},
		{"placeholder serial", withTags(func(tg *exifwrite.Tags) { tg.BodySerial = "0000000000" }), func(p yanshou.Photo) string {
			if p.Serial != "" {
				return "serial " + p.Serial
			}
			return ""
		}},
		{"thumbnail pointing outside the EXIF block", thumbPointer(withTags(func(*exifwrite.Tags) {}), 60000, 5000), func(p yanshou.Photo) string {
			if p.ThumbHashes != nil || !strings.Contains(p.ThumbProblem, "超出 EXIF 块") || p.Error != nil {
				return fmt.Sprint(p.ThumbProblem, p.Error)
			}
			return ""
		}},
		{"thumbnail too large", thumbPointer(withTags(func(*exifwrite.Tags) {}), 8, 1<<20), func(p yanshou.Photo) string {
			if p.ThumbHashes != nil || !strings.Contains(p.ThumbProblem, "超过 262144 字节") {
				return p.ThumbProblem
			}
			return ""
		}},
		{"thumbnail that is no JPEG", thumbPointer(withTags(func(*exifwrite.Tags) {}), 8, 64), func(p yanshou.Photo) string {
			if p.ThumbHashes != nil || !strings.Contains(p.ThumbProblem, "无法解码") {
				return p.ThumbProblem
			}
			return ""
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, fmt.Sprintf("%d.jpg", i), tt.data)
			if msg := tt.check(Read(path, "现场/"+filepath.Base(path), shanghai)); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// TestQuantOf: the IJG quality of Go's encoder (which scales the IJG tables)
// is found exactly at every quality; a table off by one is not IJG-exact.
func TestQuantOf(t *testing.T) {
	for _, q := range []int{10, 50, 75, 85, 92, 95, 100} {
		var quant [4][64]uint16
		quant[0], quant[1] = ijgTable(0, q), ijgTable(1, q)
		set := [4]bool{true, true}
		got := quantOf(&quant, &set, []int{0, 1, 1})
		if got.Quality != q || !got.Exact {
			t.Errorf("q%d: %+v", q, got)
		}
		quant[1][63]++
		if got := quantOf(&quant, &set, []int{0, 1, 1}); got.Exact {
			t.Errorf("q%d off by one: %+v", q, got)
		}
	}
	var quant [4][64]uint16
	if got := quantOf(&quant, &[4]bool{}, []int{0}); got.Quality != 0 {
		t.Errorf("no tables: %+v", got)
	}
}

// BenchmarkReadForensics measures Read on a camera-like JPEG with an EXIF
// thumbnail (decoded and hashed 22 times for the comparison) and on the same
// file without one: the cost of the thumbnail signal per photo.
func BenchmarkReadForensics(b *testing.B) {
	dir := b.TempDir()
	img := scene(5, 1024, 768)
	th, err := exifwrite.Thumb(img)
	if err != nil {
		b.Fatal(err)
	}
	tags := exifwrite.Tags{Make: "Canon", Model: "Canon EOS 80D", BodySerial: "032011001234",
		DateTimeOriginal: time.Date(2026, 5, 10, 9, 30, 0, 0, shanghai)}
	plain := writeJPEG(b, dir, "plain.jpg", img, 92, tags)
	tags.Thumbnail = th
	thumbed := writeJPEG(b, dir, "thumb.jpg", img, 92, tags)
	for _, c := range []struct{ name, path string }{{"without-thumbnail", plain}, {"with-thumbnail", thumbed}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if p := Read(c.path, "x.jpg", shanghai); p.Error != nil {
					b.Fatal(*p.Error)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "photos/s")
		})
	}
}
