package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"

	"yanshou/templates"
)

// isHEIFBrand reports whether an ftyp major brand is a HEIF still-image brand.
func isHEIFBrand(b string) bool {
	switch b {
	case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2", "avif", "avis":
		return true
	}
	return false
}

// box is one ISOBMFF box inside a byte slice: its type and payload.
type box struct {
	typ  string
	body []byte
}

// boxes splits b into its child boxes. A malformed size ends the list with an error.
func boxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(out) >= maxChunks {
			return out, errors.New(templates.Say("photo.box_too_many"))
		}
		if len(b) < 8 {
			return out, errors.New(templates.Say("photo.box_short_header"))
		}
		size := uint64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return out, errors.New(templates.Say("photo.box_short_header"))
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return out, errors.New(templates.Say("photo.box_length", typ, size))
		}
		out = append(out, box{typ, b[hdr:size]})
		b = b[size:]
	}
	return out, nil
}

// cursor reads big-endian numbers from a slice; any read past its end sets bad.
type cursor struct {
	b   []byte
	bad bool
}

func (c *cursor) n(size int) uint64 {
	if size == 0 {
		return 0
	}
	if size > len(c.b) || size > 8 {
		c.bad, c.b = true, nil
		return 0
	}
	var v uint64
	for _, x := range c.b[:size] {
		v = v<<8 | uint64(x)
	}
	c.b = c.b[size:]
	return v
}

func (c *cursor) fourcc() string {
	if len(c.b) < 4 {
		c.bad, c.b = true, nil
		return ""
	}
	s := string(c.b[:4])
	c.b = c.b[4:]
	return s
}

type extent struct{ off, length uint64 }

// maxExtents bounds the extents of all items (real files use one or a few per
// item, and a few hundred items for a tiled image).
const maxExtents = 1 << 16

type location struct {
	method  uint64 // 0: file offset, 1: inside idat
	base    uint64
	extents []extent
}

// readHEIF finds the Exif item of a HEIF/HEIC file through meta → iinf/iloc and
// the primary image's size through iprp → ipco/ipma (ispe).
func readHEIF(f io.ReaderAt, size int64, m *meta) error {
	var metaBody []byte
	pos := int64(0)
	for i := 0; i < maxChunks && pos+8 <= size; i++ {
		var hdr [16]byte
		if _, err := f.ReadAt(hdr[:8], pos); err != nil {
			break
		}
		bsize := int64(binary.BigEndian.Uint32(hdr[:]))
		typ := string(hdr[4:8])
		hlen := int64(8)
		if bsize == 1 {
			if _, err := f.ReadAt(hdr[8:16], pos+8); err != nil {
				break
			}
			bsize, hlen = int64(binary.BigEndian.Uint64(hdr[8:])), 16
		} else if bsize == 0 {
			bsize = size - pos
		}
		if bsize < hlen || pos+bsize > size || bsize < 0 {
			return errors.New(templates.Say("photo.heif_box_length", typ, bsize))
		}
		if typ == "meta" {
			if bsize-hlen > maxMetaBytes {
				return errors.New(templates.Say("photo.heif_meta_big", bsize))
			}
			metaBody = make([]byte, bsize-hlen)
			if _, err := f.ReadAt(metaBody, pos+hlen); err != nil {
				return errors.New(templates.Say("photo.heif_meta_unreadable"))
			}
			break
		}
		pos += bsize
	}
	if len(metaBody) < 4 {
		return errors.New(templates.Say("photo.heif_no_meta"))
	}
	children, err := boxes(metaBody[4:]) // meta is a full box: skip version and flags
	if err != nil {
		m.problems = append(m.problems, templates.Say("photo.heif_meta_damaged", err.Error()))
	}
	var (
		exifID, primary uint64
		haveExif        bool
		locs            = map[uint64]location{}
		idat            []byte
		props           []box
		assoc           = map[uint64][]uint64{}
	)
	for _, bx := range children {
		c := &cursor{b: bx.body}
		switch bx.typ {
		case "pitm":
			if c.n(1) == 0 {
				c.n(3)
				primary = c.n(2)
			} else {
				c.n(3)
				primary = c.n(4)
			}
		case "iinf":
			v := c.n(1)
			c.n(3)
			if v == 0 {
				c.n(2)
			} else {
				c.n(4)
			}
			entries, _ := boxes(c.b)
			for _, e := range entries {
				if e.typ != "infe" {
					continue
				}
				ec := &cursor{b: e.body}
				ev := ec.n(1)
				ec.n(3)
				if ev < 2 {
					continue
				}
				var id uint64
				if ev == 2 {
					id = ec.n(2)
				} else {
					id = ec.n(4)
				}
				ec.n(2) // protection index
				if ec.fourcc() == "Exif" && !ec.bad && !haveExif {
					exifID, haveExif = id, true
				}
			}
		case "iloc":
			parseIloc(c, locs)
		case "idat":
			idat = bx.body
		case "iprp":
			sub, _ := boxes(bx.body)
			for _, s := range sub {
				switch s.typ {
				case "ipco":
					props, _ = boxes(s.body)
				case "ipma":
					parseIpma(&cursor{b: s.body}, assoc)
				}
			}
		}
		if c.bad {
			m.problems = append(m.problems, templates.Say("photo.heif_box_short", bx.typ))
		}
	}
	ispe := func(i int) (w, h int, ok bool) {
		if props[i].typ != "ispe" {
			return 0, 0, false
		}
		c := &cursor{b: props[i].body}
		c.n(4)
		w64, h64 := c.n(4), c.n(4)
		return int(w64), int(h64), !c.bad && w64 < 1<<31 && h64 < 1<<31
	}
	for _, idx := range assoc[primary] {
		if idx >= 1 && idx <= uint64(len(props)) {
			if w, h, ok := ispe(int(idx - 1)); ok {
				m.width, m.height = w, h
			}
		}
	}
	if m.width == 0 { // no usable association: the largest image spatial extent
		for i := range props {
			if w, h, ok := ispe(i); ok && w*h > m.width*m.height {
				m.width, m.height = w, h
			}
		}
	}
	if !haveExif {
		return nil
	}
	loc, ok := locs[exifID]
	if !ok || len(loc.extents) == 0 {
		m.problems = append(m.problems, templates.Say("photo.heif_exif_no_iloc"))
		return nil
	}
	var data []byte
	for _, e := range loc.extents {
		if uint64(len(data))+e.length > maxMetaBytes {
			m.problems = append(m.problems, templates.Say("photo.heif_exif_big"))
			return nil
		}
		start := loc.base + e.off
		switch loc.method {
		case 0:
			if start > uint64(size) || e.length > uint64(size)-start {
				m.problems = append(m.problems, templates.Say("photo.heif_exif_outside"))
				return nil
			}
			b := make([]byte, e.length)
			if _, err := f.ReadAt(b, int64(start)); err != nil {
				m.problems = append(m.problems, templates.Say("photo.heif_exif_unreadable"))
				return nil
			}
			data = append(data, b...)
		case 1:
			if start > uint64(len(idat)) || e.length > uint64(len(idat))-start {
				m.problems = append(m.problems, templates.Say("photo.heif_exif_outside_idat"))
				return nil
			}
			data = append(data, idat[start:start+e.length]...)
		default:
			m.problems = append(m.problems, templates.Say("photo.heif_exif_method"))
			return nil
		}
	}
	m.tiff = exifItemTIFF(data)
	if m.tiff == nil {
		m.problems = append(m.problems, templates.Say("photo.heif_exif_no_tiff"))
	}
	return nil
}

// exifItemTIFF returns the TIFF structure of a HEIF Exif item: a 4-byte offset to
// the TIFF header, then (usually) "Exif\0\0", then TIFF. Writers disagree on the
// offset, so the TIFF header is also searched for near the start.
func exifItemTIFF(d []byte) []byte {
	if len(d) < 4 {
		return nil
	}
	off := uint64(binary.BigEndian.Uint32(d))
	isTIFF := func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("MM\x00*")) || bytes.HasPrefix(b, []byte("II*\x00"))
	}
	if 4+off < uint64(len(d)) && isTIFF(d[4+off:]) {
		return d[4+off:]
	}
	for i := 4; i < min(len(d), 128); i++ {
		if isTIFF(d[i:]) {
			return d[i:]
		}
	}
	return nil
}

// parseIloc reads the item location box (ISO/IEC 14496-12 §8.11.3).
func parseIloc(c *cursor, locs map[uint64]location) {
	v := c.n(1)
	c.n(3)
	sizes := c.n(1)
	offSize, lenSize := int(sizes>>4), int(sizes&15)
	sizes = c.n(1)
	baseSize, idxSize := int(sizes>>4), int(sizes&15)
	if v != 1 && v != 2 {
		idxSize = 0
	}
	var count uint64
	if v < 2 {
		count = c.n(2)
	} else {
		count = c.n(4)
	}
	total := uint64(0)
	for i := uint64(0); i < count && !c.bad; i++ {
		var id uint64
		if v < 2 {
			id = c.n(2)
		} else {
			id = c.n(4)
		}
		var l location
		if v == 1 || v == 2 {
			l.method = c.n(2) & 15
		}
		c.n(2) // data reference index
		l.base = c.n(baseSize)
		ne := c.n(2)
		if total += ne; total > maxExtents {
			c.bad = true // also stops zero-width extents from spinning
		}
		for j := uint64(0); j < ne && !c.bad; j++ {
			c.n(idxSize)
			e := extent{off: c.n(offSize), length: c.n(lenSize)}
			l.extents = append(l.extents, e)
		}
		if !c.bad {
			locs[id] = l
		}
	}
}

// parseIpma reads the item property associations (ISO/IEC 23008-12 §9.3.3).
func parseIpma(c *cursor, assoc map[uint64][]uint64) {
	v := c.n(1)
	flags := c.n(3)
	count := c.n(4)
	for i := uint64(0); i < count && !c.bad; i++ {
		var id uint64
		if v < 1 {
			id = c.n(2)
		} else {
			id = c.n(4)
		}
		n := c.n(1)
		for j := uint64(0); j < n && !c.bad; j++ {
			var idx uint64
			if flags&1 != 0 {
				idx = c.n(2) & 0x7FFF
			} else {
				idx = c.n(1) & 0x7F
			}
			assoc[id] = append(assoc[id], idx)
		}
	}
}
