package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/image/webp"
)

// Limits on how much of a file is looked at for metadata. They bound work on
// hostile files; they are not rule thresholds.
const (
	maxMetaBytes = 4 << 20 // largest EXIF block read (JPEG's is at most 64 KiB)
	maxMarkers   = 10000   // JPEG markers before the image data
	maxChunks    = 200000  // PNG / WebP chunks, ISOBMFF boxes
	maxJunk      = 1 << 20 // stray bytes skipped between JPEG segments
	exifPrefix   = "Exif\x00\x00"
)

// Container formats recognised by their first bytes.
const (
	fmtJPEG = "JPEG"
	fmtPNG  = "PNG"
	fmtWebP = "WebP"
	fmtTIFF = "TIFF"
	fmtHEIF = "HEIF"
)

// meta is what the container says, before the EXIF block is interpreted.
type meta struct {
	format        string
	tiff          []byte // the EXIF block (TIFF structure); nil when the file has none
	width, height int    // from the image header; 0 when unknown
	problems      []string
}

// errNotImage marks content that is no picture format we know.
var errNotImage = errors.New("not an image")

// sniff names the container format from the first bytes, or describes what the
// file looks like instead (Chinese).
func sniff(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return fmtJPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG, nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return fmtWebP, nil
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return fmtTIFF, nil
	case len(head) >= 12 && string(head[4:8]) == "ftyp" && isHEIFBrand(string(head[8:12])):
		return fmtHEIF, nil
	}
	what := ""
	switch {
	case len(head) == 0:
		return "", fmt.Errorf("%w: 文件是空的（0 字节）", errNotImage)
	case bytes.HasPrefix(head, []byte("GIF8")):
		what = "GIF 动图"
	case bytes.HasPrefix(head, []byte("BM")):
		what = "BMP 图片"
	case bytes.HasPrefix(head, []byte("%PDF")):
		what = "PDF 文档"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		what = "压缩包或 Office 文档"
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		what = "旧版 Office 文档"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		what = fmt.Sprintf("视频或其他 ISO 媒体文件（%q）", head[8:12])
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8}):
		what = "损坏的 JPEG（开头标记不完整）"
	}
	if what != "" {
		return "", fmt.Errorf("%w: 文件内容是%s，不是照片", errNotImage, what)
	}
	n := min(len(head), 8)
	return "", fmt.Errorf("%w: 文件内容不是可识别的照片格式（开头字节为 % X）", errNotImage, head[:n])
}

// readMeta reads the image header and the EXIF block of a file of size bytes
// without decoding pixels.
func readMeta(f io.ReaderAt, size int64) (meta, error) {
	head := make([]byte, 16)
	n, _ := f.ReadAt(head, 0)
	format, err := sniff(head[:n])
	if err != nil {
		return meta{}, err
	}
	m := meta{format: format}
	switch format {
	case fmtJPEG:
		err = readJPEG(bufio.NewReader(io.NewSectionReader(f, 0, size)), &m)
	case fmtPNG:
		err = readPNG(f, size, &m)
	case fmtWebP:
		err = readWebP(f, size, &m)
	case fmtTIFF:
		err = readTIFF(f, size, &m)
	case fmtHEIF:
		err = readHEIF(f, size, &m)
	}
	return m, err
}

// readJPEG walks the marker segments up to the image data (SOS): the first APP1
// "Exif" segment gives the EXIF block, the SOF segment the size.
func readJPEG(r *bufio.Reader, m *meta) error {
	pos := int64(0)
	var buf [4]byte
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return errors.New("JPEG 文件不完整")
	}
	pos += 2
	for markers := 0; ; markers++ {
		if markers > maxMarkers {
			return fmt.Errorf("JPEG 在图像数据前有超过 %d 个标记，结构异常", maxMarkers)
		}
		b, err := r.ReadByte()
		if err != nil {
			return truncated(m)
		}
		pos++
		// Junk before a marker is a format error that decoders (libjpeg, Go's)
		// skip; so does this, within reason.
		for skipped := 0; b != 0xFF; skipped++ {
			if skipped > maxJunk {
				return fmt.Errorf("JPEG 结构损坏：第 %d 字节后找不到标记", pos-int64(skipped)-1)
			}
			if b, err = r.ReadByte(); err != nil {
				return truncated(m)
			}
			pos++
		}
		mk, err := r.ReadByte()
		for err == nil && mk == 0xFF { // fill bytes
			pos++
			mk, err = r.ReadByte()
		}
		if err != nil {
			return truncated(m)
		}
		pos++
		switch {
		case mk == 0xD8 || mk == 0x01 || (mk >= 0xD0 && mk <= 0xD7):
			continue // markers without a length
		case mk == 0xD9:
			return errors.New("JPEG 在图像数据之前就结束了（没有图像）")
		}
		if _, err := io.ReadFull(r, buf[:2]); err != nil {
			return truncated(m)
		}
		pos += 2
		n := int(binary.BigEndian.Uint16(buf[:2])) - 2
		if n < 0 {
			return fmt.Errorf("JPEG 结构损坏：第 %d 字节处的段长度无效", pos-2)
		}
		switch {
		case mk == 0xDA: // SOS: image data follows; metadata is complete
			if m.width == 0 {
				return errors.New("JPEG 缺少尺寸信息（SOF 段）")
			}
			return nil
		case mk == 0xE1 && m.tiff == nil:
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return truncated(m)
			}
			if bytes.HasPrefix(seg, []byte(exifPrefix)) {
				m.tiff = seg[len(exifPrefix):]
			}
		case mk >= 0xC0 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC:
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return truncated(m)
			}
			if n < 5 {
				return errors.New("JPEG 尺寸信息（SOF 段）不完整")
			}
			m.height = int(binary.BigEndian.Uint16(seg[1:3]))
			m.width = int(binary.BigEndian.Uint16(seg[3:5]))
		default:
			if d, err := r.Discard(n); err != nil || d != n {
				return truncated(m)
			}
		}
		pos += int64(n)
	}
}

func truncated(m *meta) error {
	if m.tiff != nil {
		return errors.New("JPEG 文件被截断（EXIF 之后、图像数据之前就结束了）")
	}
	return errors.New("JPEG 文件被截断（图像数据之前就结束了）")
}

// readPNG walks the chunks: IHDR gives the size, eXIf the EXIF block.
func readPNG(f io.ReaderAt, size int64, m *meta) error {
	pos := int64(8)
	var hdr [8]byte
	for chunks := 0; chunks < maxChunks; chunks++ {
		if _, err := f.ReadAt(hdr[:], pos); err != nil {
			if m.width == 0 {
				return errors.New("PNG 文件不完整（缺少 IHDR）")
			}
			m.problems = append(m.problems, "PNG 文件缺少结束块（IEND），可能被截断")
			return nil
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		if n > 1<<31-1 || pos+8+n > size {
			if m.width == 0 {
				return fmt.Errorf("PNG 结构损坏：块 %q 的长度 %d 超出文件", typ, n)
			}
			m.problems = append(m.problems, fmt.Sprintf("PNG 文件被截断（块 %q 不完整）", typ))
			return nil
		}
		switch typ {
		case "IHDR":
			if n < 8 {
				return errors.New("PNG 尺寸信息（IHDR）不完整")
			}
			var d [8]byte
			if _, err := f.ReadAt(d[:], pos+8); err != nil {
				return errors.New("PNG 尺寸信息（IHDR）不完整")
			}
			m.width, m.height = int(binary.BigEndian.Uint32(d[:4])), int(binary.BigEndian.Uint32(d[4:]))
		case "eXIf":
			if m.tiff == nil && n <= maxMetaBytes {
				b := make([]byte, n)
				if _, err := f.ReadAt(b, pos+8); err != nil {
					return errors.New("PNG 的 EXIF 块不完整")
				}
				m.tiff = bytes.TrimPrefix(b, []byte(exifPrefix))
			}
		case "IEND":
			return nil
		}
		pos += 12 + n
	}
	return fmt.Errorf("PNG 有超过 %d 个块，结构异常", maxChunks)
}

// readWebP reads the size with x/image/webp and walks the RIFF chunks for EXIF.
func readWebP(f io.ReaderAt, size int64, m *meta) error {
	cfg, err := webp.DecodeConfig(bufio.NewReader(io.NewSectionReader(f, 0, size)))
	if err != nil {
		return fmt.Errorf("WebP 文件头无法读取：%s", detail(err))
	}
	m.width, m.height = cfg.Width, cfg.Height
	pos := int64(12)
	var hdr [8]byte
	for chunks := 0; chunks < maxChunks; chunks++ {
		if _, err := f.ReadAt(hdr[:], pos); err != nil {
			return nil
		}
		n := int64(binary.LittleEndian.Uint32(hdr[4:]))
		if pos+8+n > size {
			m.problems = append(m.problems, fmt.Sprintf("WebP 文件被截断（块 %q 不完整）", hdr[:4]))
			return nil
		}
		if string(hdr[:4]) == "EXIF" && n <= maxMetaBytes {
			b := make([]byte, n)
			if _, err := f.ReadAt(b, pos+8); err != nil {
				return nil
			}
			m.tiff = bytes.TrimPrefix(b, []byte(exifPrefix))
			return nil
		}
		pos += 8 + n + n%2
	}
	return nil
}

// readTIFF reads the start of a TIFF file: the file is itself the EXIF structure.
// Values stored beyond the first maxMetaBytes are not read.
func readTIFF(f io.ReaderAt, size int64, m *meta) error {
	n := min(size, maxMetaBytes)
	b := make([]byte, n)
	if _, err := f.ReadAt(b, 0); err != nil {
		return fmt.Errorf("TIFF 文件无法读取：%s", detail(err))
	}
	m.tiff = b
	return nil
}
