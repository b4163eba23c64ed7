package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/image/webp"

	"yanshou/templates"
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

	// JPEG quantisation tables (zig-zag order) and the table of each component.
	quant       [4][64]uint16
	quantSet    [4]bool
	quantTables []int
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
		return "", fmt.Errorf("%w: %s", errNotImage, templates.Say("photo.empty"))
	case bytes.HasPrefix(head, []byte("GIF8")):
		what = templates.Say("photo.kind_gif")
	case bytes.HasPrefix(head, []byte("BM")):
		what = templates.Say("photo.kind_bmp")
	case bytes.HasPrefix(head, []byte("%PDF")):
		what = templates.Say("photo.kind_pdf")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		what = templates.Say("photo.kind_zip")
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		what = templates.Say("photo.kind_ole")
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		what = templates.Say("photo.kind_iso", head[8:12])
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8}):
		what = templates.Say("photo.kind_bad_jpeg")
	}
	if what != "" {
		return "", fmt.Errorf("%w: %s", errNotImage, templates.Say("photo.not_photo", what))
	}
	n := min(len(head), 8)
	return "", fmt.Errorf("%w: %s", errNotImage, templates.Say("photo.unknown_format", head[:n]))
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
		return errors.New(templates.Say("photo.jpeg_incomplete"))
	}
	pos += 2
	for markers := 0; ; markers++ {
		if markers > maxMarkers {
			return errors.New(templates.Say("photo.jpeg_markers", maxMarkers))
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
				return errors.New(templates.Say("photo.jpeg_no_marker", pos-int64(skipped)-1))
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
			return errors.New(templates.Say("photo.jpeg_no_image"))
		}
		if _, err := io.ReadFull(r, buf[:2]); err != nil {
			return truncated(m)
		}
		pos += 2
		n := int(binary.BigEndian.Uint16(buf[:2])) - 2
		if n < 0 {
			return errors.New(templates.Say("photo.jpeg_bad_length", pos-2))
		}
		switch {
		case mk == 0xDA: // SOS: image data follows; metadata is complete
			if m.width == 0 {
				return errors.New(templates.Say("photo.jpeg_no_sof"))
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
				return errors.New(templates.Say("photo.jpeg_short_sof"))
			}
			m.height = int(binary.BigEndian.Uint16(seg[1:3]))
			m.width = int(binary.BigEndian.Uint16(seg[3:5]))
			if n >= 6 {
				m.quantTables = m.quantTables[:0]
				for i := 0; i < int(seg[5]) && 8+3*i < n; i++ {
					m.quantTables = append(m.quantTables, int(seg[8+3*i]))
				}
			}
		case mk == 0xDB: // DQT: read for the forensic signals (forensics.go)
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return truncated(m)
			}
			parseDQT(seg, &m.quant, &m.quantSet) // a malformed table is the decoder's to report
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
		return errors.New(templates.Say("photo.jpeg_cut_after_exif"))
	}
	return errors.New(templates.Say("photo.jpeg_cut"))
}

// readPNG walks the chunks: IHDR gives the size, eXIf the EXIF block.
func readPNG(f io.ReaderAt, size int64, m *meta) error {
	pos := int64(8)
	var hdr [8]byte
	for chunks := 0; chunks < maxChunks; chunks++ {
		if _, err := f.ReadAt(hdr[:], pos); err != nil {
			if m.width == 0 {
				return errors.New(templates.Say("photo.png_no_ihdr"))
			}
			m.problems = append(m.problems, templates.Say("photo.png_no_iend"))
			return nil
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		if n > 1<<31-1 || pos+8+n > size {
			if m.width == 0 {
				return errors.New(templates.Say("photo.png_chunk_length", typ, n))
			}
			m.problems = append(m.problems, templates.Say("photo.png_chunk_cut", typ))
			return nil
		}
		switch typ {
		case "IHDR":
			if n < 8 {
				return errors.New(templates.Say("photo.png_short_ihdr"))
			}
			var d [8]byte
			if _, err := f.ReadAt(d[:], pos+8); err != nil {
				return errors.New(templates.Say("photo.png_short_ihdr"))
			}
			m.width, m.height = int(binary.BigEndian.Uint32(d[:4])), int(binary.BigEndian.Uint32(d[4:]))
		case "eXIf":
			if m.tiff == nil && n <= maxMetaBytes {
				b := make([]byte, n)
				if _, err := f.ReadAt(b, pos+8); err != nil {
					return errors.New(templates.Say("photo.png_short_exif"))
				}
				m.tiff = bytes.TrimPrefix(b, []byte(exifPrefix))
			}
		case "IEND":
			return nil
		}
		pos += 12 + n
	}
	return errors.New(templates.Say("photo.png_chunks", maxChunks))
}

// readWebP reads the size with x/image/webp and walks the RIFF chunks for EXIF.
func readWebP(f io.ReaderAt, size int64, m *meta) error {
	cfg, err := webp.DecodeConfig(bufio.NewReader(io.NewSectionReader(f, 0, size)))
	if err != nil {
		return errors.New(templates.Say("photo.webp_header", detail(err)))
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
			m.problems = append(m.problems, templates.Say("photo.webp_chunk_cut", hdr[:4]))
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
		return errors.New(templates.Say("photo.tiff_unreadable", detail(err)))
	}
	m.tiff = b
	return nil
}
