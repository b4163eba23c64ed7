// Package hostile writes a corpus of broken, odd and hostile submissions — the
// files an inbox written by outsiders will see over a year — for the end-to-end
// hardening test and as seeds for the fuzz targets. Every case is generated
// (nothing binary is committed): one submission folder or zip per case, each a
// plausible class with one bad thing in it, and the name a finding about it must
// mention.
package hostile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// Case is one hostile input.
type Case struct {
	Name string // short English id, e.g. "jpeg-truncated"
	What string // what is wrong, in Chinese (for the test's messages)
	Path string // the submission (folder or .zip) relative to the inbox, slash-separated
	// Want are strings the submission's verdict must mention: the bad file's name
	// as shown to the institution (or the zip's name when the whole zip is refused).
	Want []string
	// Outside, when set, is an absolute path the case tries to write to (zip
	// slip); it must not exist afterwards.
	Outside string
	// Unreadable marks a case whose file is made unreadable by permissions; only
	// meaningful when the reader is not root.
	Unreadable bool
	// build writes the case into dir (the submission's own folder for folder
	// cases, the inbox for zip cases).
	build func(c *Case, dir string) error
}

// Options tune the corpus.
type Options struct {
	// Rows is the number of rows of the huge sign-in sheet (1,000,000 by default).
	Rows int
	// BombBytes is the uncompressed size of the zip bomb's entry (256 MiB by default).
	BombBytes int64
	// Outside is a folder outside the inbox where a zip slip would land; the zip
	// slip case names a file in it (os.TempDir by default).
	Outside string
}

// Write generates every case under inbox and returns them in order. Folder cases
// are written as inbox/<NN-name>/…, zip cases as inbox/<NN-name>.zip.
func Write(inbox string, opt Options) ([]Case, error) {
	if opt.Rows <= 0 {
		opt.Rows = 1_000_000
	}
	if opt.BombBytes <= 0 {
		opt.BombBytes = 256 << 20
	}
	if opt.Outside == "" {
		opt.Outside = os.TempDir()
	}
	cases := Cases(opt)
	for i := range cases {
		c := &cases[i]
		base := fmt.Sprintf("%02d-%s", i+1, c.Name)
		var dir string
		if strings.HasSuffix(c.Path, ".zip") {
			c.Path = base + ".zip"
			dir = inbox
		} else {
			c.Path = base
			dir = filepath.Join(inbox, base)
			if err := writeBase(dir, i, c.Name); err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
		}
		if err := c.build(c, dir); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	return cases, nil
}

// Class dates every base submission uses.
var (
	county = time.FixedZone("CST", 8*3600)
	Start  = time.Date(2026, 3, 10, 9, 0, 0, 0, county)
)

// Venue is where the base photos are taken (商水县城, WGS-84).
var Venue = yanshou.LatLon{Lat: 33.5426, Lon: 114.6118}

// writeBase writes a small, plausible class: manifest.yaml, the documents as
// text, a roster and a sign-in sheet, and one real photo taken on the first day.
func writeBase(dir string, n int, name string) error {
	id := func(k int) string {
		first := fmt.Sprintf("41162319%02d0101%03d", 80+k%20, k%1000)
		return first + string(checkDigit(first))
	}
	photo, err := Photo(640, 480, uint64(n)+1, exifwrite.Tags{Make: "HUAWEI", Model: "ALN-AL00",
		DateTimeOriginal: Start.Add(time.Hour), WithOffset: true, GPS: &Venue})
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"manifest.yaml": fmt.Appendf(nil, "institution: 商水县边界测试培训学校\ntitle: 农村电商实用技能培训班\nclass: 第%d期（%s）\n"+
			"start: 2026-03-10\nend: 2026-03-11\nvenue: 商水县电子商务公共服务中心\napplied: 2026-02-20\n"+
			"approval_no: 商电商办〔2026〕%d号\napproved: 2026-02-28\nplanned: 3\nteachers: 张某（讲师）\n", n+1, name, n+100),
		"申请报告.txt":    []byte("申请开展电商培训"),
		"批复.txt":      []byte("同意"),
		"培训通知.txt":    []byte("通知"),
		"培训课件/课件.txt": []byte(strings.Repeat("电商 ", 100)),
		"课程内容.txt":    []byte("网店开设与运营"),
		"电话回访记录.csv":  fmt.Appendf(nil, "姓名,手机号,回访日期,回访内容\n张一,13800000001,2026-03-20,已开网店\n"),
		"培训学员名单.csv":  fmt.Appendf(nil, "姓名,身份证号,手机号\n张一,%s,13800000001\n李二,%s,13800000002\n王三,%s,13800000003\n", id(3*n), id(3*n+1), id(3*n+2)),
		"签到表.csv":     fmt.Appendf(nil, "姓名,身份证号,手机号,日期\n张一,%s,13800000001,2026-03-10\n李二,%s,13800000002,2026-03-10\n", id(3*n), id(3*n+1)),
		"现场照片/课堂.jpg": photo,
		"情况总结.txt":    []byte("总结"),
	}
	for rel, body := range files {
		if err := writeFile(filepath.Join(dir, rel), body); err != nil {
			return err
		}
	}
	return nil
}

// Photo encodes a w×h JPEG of a scene of coloured blocks drawn from seed (so
// that photos of different seeds are not near-duplicates) with the EXIF tags.
func Photo(w, h int, seed uint64, t exifwrite.Tags) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	const blocks = 8
	colours := make([]color.RGBA, blocks*blocks)
	for i := range colours {
		colours[i] = color.RGBA{uint8(r.UintN(256)), uint8(r.UintN(256)), uint8(r.UintN(256)), 255}
	}
	for y := range h {
		for x := range w {
			img.Set(x, y, colours[(y*blocks/h)*blocks+x*blocks/w])
		}
	}
	return exifwrite.Encode(img, 80, t)
}

// plainJPEG encodes a w×h JPEG without metadata.
func plainJPEG(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 75})
	return b.Bytes()
}

func writeFile(p string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, body, 0o644)
}

// checkDigit is GB 11643's check character for the first 17 digits.
func checkDigit(first17 string) byte {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// zipFile is one entry of a generated zip.
type zipFile struct {
	Name   string
	Body   []byte
	Mode   os.FileMode // 0 = regular 0644
	Method uint16      // 0 = Deflate
	NonUTF bool        // the name is raw bytes (GBK), without the UTF-8 flag
}

// writeZip writes entries into a zip at p.
func writeZip(p string, entries []zipFile) error {
	b, err := zipBytes(entries)
	if err != nil {
		return err
	}
	return writeFile(p, b)
}

// zipBytes is a zip holding entries.
func zipBytes(entries []zipFile) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: Start}
		if e.Method != 0 {
			h.Method = e.Method
		}
		if e.Mode != 0 {
			h.SetMode(e.Mode)
		}
		h.NonUTF8 = e.NonUTF
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.Body); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// baseEntries is the base submission as zip entries (under a top folder).
func baseEntries(top string, n int) ([]zipFile, error) {
	tmp, err := os.MkdirTemp("", "hostile-base-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := writeBase(tmp, n, top); err != nil {
		return nil, err
	}
	var out []zipFile
	err = filepath.Walk(tmp, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(tmp, p)
		body, err := os.ReadFile(p)
		out = append(out, zipFile{Name: top + "/" + filepath.ToSlash(rel), Body: body})
		return err
	})
	return out, err
}

// pngHeader is a PNG signature, an IHDR chunk of w×h RGBA and a tiny IDAT.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}
