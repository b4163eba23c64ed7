package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou/pipeline/format/exifwrite"
)

// Cases lists every hostile case (paths not yet assigned; Write assigns them).
func Cases(opt Options) []Case {
	folder := func(name, what string, want []string, build func(c *Case, dir string) error) Case {
		return Case{Name: name, What: what, Want: want, build: build}
	}
	zipped := func(name, what string, build func(c *Case, dir string) error) Case {
		return Case{Name: name, What: what, Path: ".zip", build: build}
	}
	put := func(rel string, body []byte) func(*Case, string) error {
		return func(_ *Case, dir string) error { return writeFile(filepath.Join(dir, filepath.FromSlash(rel)), body) }
	}
	// shot is a real photo with camera, time and GPS, different for each seed, so
	// that what is wrong with a case is only what the case breaks.
	shot := func(seed uint64) []byte {
		b, err := Photo(640, 480, 500+seed, exifwrite.Tags{Make: "OPPO", Model: "PCLM10",
			DateTimeOriginal: Start.Add(2 * time.Hour), WithOffset: true, GPS: &Venue})
		if err != nil {
			panic(err)
		}
		return b
	}
	valid := plainJPEG(640, 480)
	return []Case{
		// Photos.
		folder("jpeg-truncated", "照片只传了一半", []string{"截断.jpg"}, put("现场照片/截断.jpg", shot(1)[:len(shot(1))/2])),
		folder("jpeg-corrupt", "照片压缩数据被破坏", []string{"损坏.jpg"}, put("现场照片/损坏.jpg", corruptScan(shot(2)))),
		folder("jpeg-not-jpeg", "扩展名是 .jpg 的网页", []string{"下载.jpg"}, put("现场照片/下载.jpg", []byte("<html><body>403 Forbidden</body></html>"))),
		folder("exif-offset-loop", "EXIF 目录偏移指向自身（死循环）", []string{"循环.jpg"}, put("现场照片/循环.jpg", withAPP1(plainJPEG(600, 400), exifLoop()))),
		folder("exif-huge-count", "EXIF 条目声称 20 亿个值", []string{"超大计数.jpg"}, put("现场照片/超大计数.jpg", withAPP1(valid, exifHugeCount()))),
		folder("exif-zero-date", "拍摄时间为 0000:00:00", []string{"零时间.jpg"}, func(_ *Case, dir string) error {
			b, err := Photo(320, 240, 1000, exifwrite.Tags{Make: "Xiaomi", Model: "MI 8", DateTimeOriginal: Start})
			if err != nil {
				return err
			}
			b = bytes.ReplaceAll(b, []byte(Start.Format("2006:01:02 15:04:05")), []byte("0000:00:00 00:00:00"))
			return writeFile(filepath.Join(dir, "现场照片", "零时间.jpg"), b)
		}),
		folder("png-60000", "PNG 声称 60000×60000 像素", []string{"巨图.png"}, put("现场照片/巨图.png", pngHeader(60000, 60000))),
		folder("jpeg-bomb", "JPEG 声称 65500×65500 像素（解码炸弹）", []string{"炸弹.jpg"}, put("现场照片/炸弹.jpg", jpegBomb(shot(3)))),
		folder("heic-broken", "HEIC 盒子长度越界", []string{"损坏.heic"}, put("现场照片/损坏.heic", heicBroken())),
		folder("webp-lying", "WebP 声明的长度远大于文件", []string{"谎报.webp"}, put("现场照片/谎报.webp", webpLying())),

		// Workbooks and tables.
		folder("xlsx-not-zip", "扩展名是 .xlsx 的文本", []string{"培训学员名单.xlsx"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "培训学员名单.csv"))
			return put("培训学员名单.xlsx", []byte("姓名,身份证号\n张一,1\n"))(c, dir)
		}),
		folder("xlsx-million-rows", "签到表有 1,000,000 行", []string{"签到表.xlsx"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "签到表.csv"))
			return millionRows(filepath.Join(dir, "签到表.xlsx"), opt.Rows)
		}),
		folder("xlsm-macro-external", "带宏和外部链接的 .xlsm 签到表", []string{"签到表.xlsm"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "签到表.csv"))
			return macroBook(filepath.Join(dir, "签到表.xlsm"))
		}),
		folder("xlsx-encrypted", "加密的工作簿（OLE 容器）", []string{"培训学员名单.xlsx"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "培训学员名单.csv"))
			return put("培训学员名单.xlsx", oleHeader())(c, dir)
		}),
		folder("xls-legacy", "旧版 .xls 签到表", []string{"签到表.xls"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "签到表.csv"))
			return put("签到表.xls", oleHeader())(c, dir)
		}),
		folder("csv-one-line", "10 MB 没有换行的签到表", []string{"签到表.csv"}, put("签到表.csv", bytes.Repeat([]byte("张一,"), 2<<20))),

		// Zips.
		zipped("zip-bomb", "压缩炸弹：256 MB 的零压成一个文件", func(c *Case, dir string) error {
			c.Want = []string{c.Path}
			return zipBomb(filepath.Join(dir, c.Path), opt.BombBytes)
		}),
		folder("zip-nested", "文件夹里的压缩包里还有压缩包", []string{"资料.zip"}, func(_ *Case, dir string) error {
			var inner bytes.Buffer
			zw := zip.NewWriter(&inner)
			w, _ := zw.Create("内层/说明.txt")
			w.Write([]byte("内层"))
			zw.Close()
			return writeZip(filepath.Join(dir, "资料.zip"), []zipFile{{Name: "内层.zip", Body: inner.Bytes()}})
		}),
		zipped("zip-slip", "压缩包条目以 ../ 和绝对路径写到收件箱之外", func(c *Case, dir string) error {
			c.Outside = filepath.Join(opt.Outside, "yanshou-zipslip-"+strings.TrimSuffix(c.Path, ".zip")+".txt")
			entries, err := baseEntries("滑出", 130)
			if err != nil {
				return err
			}
			up := strings.Repeat("../", 24) + strings.TrimPrefix(filepath.ToSlash(c.Outside), "/")
			entries = append(entries, zipFile{Name: up, Body: []byte("escaped")}, zipFile{Name: filepath.ToSlash(c.Outside), Body: []byte("absolute")})
			c.Want = []string{c.Path}
			return writeZip(filepath.Join(dir, c.Path), entries)
		}),
		zipped("zip-symlink", "压缩包里有指向 /etc/passwd 的符号链接", func(c *Case, dir string) error {
			entries, err := baseEntries("链接", 131)
			if err != nil {
				return err
			}
			entries = append(entries, zipFile{Name: "链接/培训通知.pdf", Body: []byte("/etc/passwd"), Mode: os.ModeSymlink | 0o777})
			c.Want = []string{c.Path}
			return writeZip(filepath.Join(dir, c.Path), entries)
		}),
		zipped("zip-encrypted", "压缩包条目设了密码（ZipCrypto）", func(c *Case, dir string) error {
			entries, err := baseEntries("加密", 132)
			if err != nil {
				return err
			}
			c.Want = []string{c.Path}
			return encryptedZip(filepath.Join(dir, c.Path), entries, "情况总结.txt", "123456")
		}),
		zipped("zip-truncated", "压缩包只传了一半", func(c *Case, dir string) error {
			entries, err := baseEntries("半截", 133)
			if err != nil {
				return err
			}
			p := filepath.Join(dir, c.Path)
			if err := writeZip(p, entries); err != nil {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			c.Want = []string{c.Path}
			return os.WriteFile(p, b[:len(b)*6/10], 0o644)
		}),
		zipped("zip-duplicate-names", "压缩包里同名条目出现两次，内容不同", func(c *Case, dir string) error {
			entries, err := baseEntries("同名", 134)
			if err != nil {
				return err
			}
			entries = append(entries, zipFile{Name: "同名/情况总结.txt", Body: []byte("另一个版本的总结")})
			c.Want = []string{c.Path, "情况总结.txt"}
			return writeZip(filepath.Join(dir, c.Path), entries)
		}),

		// File system oddities.
		folder("symlink-loop", "符号链接指向自身所在目录，另有两个互指的链接", []string{"循环", "甲"}, func(_ *Case, dir string) error {
			if err := os.Symlink(".", filepath.Join(dir, "循环")); err != nil {
				return err
			}
			if err := os.Symlink("乙", filepath.Join(dir, "甲")); err != nil {
				return err
			}
			return os.Symlink("甲", filepath.Join(dir, "乙"))
		}),
		folder("name-invalid-utf8", "文件名不是合法的 UTF-8 也不是 GBK", []string{"坏名.jpg"}, put("现场照片/\xff\xfe坏名.jpg", []byte("not a photo"))),
		folder("name-gbk", "文件名是 GBK 编码（旧解压工具）", []string{"签到表（补）.csv"}, func(_ *Case, dir string) error {
			name, err := simplifiedchinese.GBK.NewEncoder().String("签到表（补）.csv")
			if err != nil {
				return err
			}
			return writeFile(filepath.Join(dir, name), []byte("姓名,手机号,日期\n赵六,13900000009,2026-03-11\n"))
		}),
		folder("name-rtl-override", "文件名含从右向左控制符，伪装扩展名", []string{"gpj.exe"}, put("照片\u202egpj.exe", []byte("MZ\x90\x00"))),
		folder("long-deep-name", "30 层目录下 250 字节的文件名", []string{strings.Repeat("长", 10)}, func(_ *Case, dir string) error {
			p := dir
			for range 30 {
				p = filepath.Join(p, "层")
			}
			return writeFile(filepath.Join(p, strings.Repeat("长", 81)+".pdf"), []byte("%PDF-1.4\n"))
		}),
		folder("zero-byte", "0 字节的申请报告和照片", []string{"申请报告.pdf", "空.jpg"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "申请报告.txt"))
			if err := put("申请报告.pdf", nil)(c, dir); err != nil {
				return err
			}
			return put("现场照片/空.jpg", nil)(c, dir)
		}),
		{Name: "unreadable", What: "批复文件没有读权限", Want: []string{"批复.pdf"}, Unreadable: true, build: func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "批复.txt"))
			p := filepath.Join(dir, "批复.pdf")
			if err := writeFile(p, minimalPDF("approval")); err != nil {
				return err
			}
			return os.Chmod(p, 0)
		}},
		folder("fifo", "培训通知是一个命名管道（读它会一直等）", []string{"培训通知.pdf"}, func(_ *Case, dir string) error {
			os.Remove(filepath.Join(dir, "培训通知.txt"))
			return mkfifo(filepath.Join(dir, "培训通知.pdf"))
		}),

		// Manifests.
		folder("manifest-end-before-start", "结束日期早于开始日期", []string{"manifest.yaml"}, func(_ *Case, dir string) error {
			return editFile(filepath.Join(dir, "manifest.yaml"), "end: 2026-03-11", "end: 2026-03-01")
		}),
		folder("manifest-feb30", "培训信息表写 2026年2月30日", []string{"培训信息表.xlsx"}, func(_ *Case, dir string) error {
			os.Remove(filepath.Join(dir, "manifest.yaml"))
			return manifestBook(filepath.Join(dir, "培训信息表.xlsx"), "2026年2月30日", "2026年3月1日")
		}),
		folder("manifest-yaml-bomb", "manifest.yaml 是 YAML 别名炸弹", []string{"manifest.yaml"}, put("manifest.yaml", yamlBomb())),
		folder("manifest-binary", "manifest.yaml 是随机二进制", []string{"manifest.yaml"}, put("manifest.yaml", randomBytes(4096, 8))),

		// Documents.
		folder("pdf-broken-xref", "PDF 的交叉引用表和 startxref 都不对", []string{"申请报告.pdf"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "申请报告.txt"))
			return put("申请报告.pdf", brokenXref(minimalPDF("application")))(c, dir)
		}),
		folder("pdf-encrypted", "PDF 设了打开密码", []string{"批复.pdf"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "批复.txt"))
			b, err := encryptPDF(minimalPDF("approval"), "1234")
			if err != nil {
				return err
			}
			return put("批复.pdf", b)(c, dir)
		}),
		folder("pdf-truncated", "PDF 只传了一半", []string{"培训通知.pdf"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "培训通知.txt"))
			b := minimalPDF("notice")
			return put("培训通知.pdf", b[:len(b)/2])(c, dir)
		}),
		folder("docx-not-zip", "扩展名是 .docx 的文本", []string{"情况总结.docx"}, func(c *Case, dir string) error {
			os.Remove(filepath.Join(dir, "情况总结.txt"))
			return put("情况总结.docx", []byte("总结：本期培训顺利完成。"))(c, dir)
		}),
	}
}

func editFile(p, old, new string) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(old)) {
		return fmt.Errorf("%s: %q not found", p, old)
	}
	return os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

// corruptScan keeps a JPEG's headers and overwrites the middle of its scan data.
func corruptScan(jpg []byte) []byte {
	b := bytes.Clone(jpg)
	sos := bytes.Index(b, []byte{0xFF, 0xDA})
	if sos < 0 {
		return b
	}
	mid := sos + (len(b)-sos)/3
	copy(b[mid:], randomBytes((len(b)-sos)/3, 3))
	return b
}

// jpegBomb patches a JPEG's frame header to 65500×65500 pixels.
func jpegBomb(jpg []byte) []byte {
	b := bytes.Clone(jpg)
	for i := 2; i+9 < len(b); {
		if b[i] != 0xFF {
			break
		}
		marker, size := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker >= 0xC0 && marker <= 0xC2 {
			binary.BigEndian.PutUint16(b[i+5:], 65500)
			binary.BigEndian.PutUint16(b[i+7:], 65500)
			break
		}
		i += 2 + size
	}
	return b
}

// withAPP1 inserts an Exif APP1 segment holding tiff after SOI.
func withAPP1(jpg, tiff []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), tiff...)
	var out bytes.Buffer
	out.Write(jpg[:2])
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(jpg[2:])
	return out.Bytes()
}

// ifdEntry is one little-endian IFD entry.
type ifdEntry struct {
	tag, typ     uint16
	count, value uint32
}

// tiffLE writes a little-endian TIFF header, one IFD at offset 8 with entries,
// the given next-IFD offset, and extra bytes after it.
func tiffLE(entries []ifdEntry, next uint32, extra []byte) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8))
	binary.Write(&b, binary.LittleEndian, uint16(len(entries)))
	for _, e := range entries {
		binary.Write(&b, binary.LittleEndian, e)
	}
	binary.Write(&b, binary.LittleEndian, next)
	b.Write(extra)
	return b.Bytes()
}

// exifLoop: IFD0's next-IFD offset and its Exif pointer both point at IFD0.
func exifLoop() []byte {
	return tiffLE([]ifdEntry{
		{0x010F, 2, 4, 0x00574148}, // Make "HAW"
		{0x8769, 4, 1, 8},          // ExifIFD → IFD0
		{0x8825, 4, 1, 8},          // GPS IFD → IFD0
	}, 8, nil)
}

// exifHugeCount: an ASCII Make with a count of two billion.
func exifHugeCount() []byte {
	return tiffLE([]ifdEntry{
		{0x010F, 2, 0x7FFFFFF0, 26},
		{0x9003, 2, 0xFFFFFFFF, 26},
	}, 0, []byte("HUAWEI\x00"))
}

func heicBroken() []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0, 0x18})
	b.WriteString("ftypheic\x00\x00\x00\x00mif1heic")
	b.Write([]byte{0xFF, 0xFF, 0xFF, 0xF0})
	b.WriteString("meta\x00\x00\x00\x00")
	b.Write([]byte{0, 0, 0, 1}) // a box with size 1: a 64-bit size follows
	b.WriteString("iloc")
	b.Write([]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	return b.Bytes()
}

func webpLying() []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(0xFFFFFFF0))
	b.WriteString("WEBPVP8X")
	binary.Write(&b, binary.LittleEndian, uint32(0x7FFFFFF0))
	b.Write([]byte{0x08, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	b.WriteString("EXIF")
	binary.Write(&b, binary.LittleEndian, uint32(0xFFFFFF00))
	b.WriteString("II*\x00")
	return b.Bytes()
}

// oleHeader is the start of an OLE compound file (what .xls and encrypted
// .xlsx files are).
func oleHeader() []byte {
	b := make([]byte, 1536)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	return b
}

// yamlBomb is the "billion laughs" of YAML aliases.
func yamlBomb() []byte {
	var b strings.Builder
	b.WriteString("a: &a [\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\",\"哈\"]\n")
	prev := "a"
	for _, k := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", k, k, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = k
	}
	b.WriteString("institution: *i\nclass: 第1期\nstart: 2026-03-10\nend: 2026-03-11\n")
	return []byte(b.String())
}

// zipBomb writes a zip holding one entry of n zero bytes (deflated to ~n/1000).
func zipBomb(p string, n int64) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "炸弹/现场照片/零.jpg", Method: zip.Deflate, Modified: Start})
	if err != nil {
		f.Close()
		return err
	}
	zeros := make([]byte, 1<<20)
	for written := int64(0); written < n; written += int64(len(zeros)) {
		if _, err := w.Write(zeros); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
