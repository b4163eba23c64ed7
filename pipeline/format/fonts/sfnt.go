package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// table is one entry of an sfnt table directory.
type table struct {
	tag            string
	sum, off, size uint32
}

// directory is the table directory of one face.
type directory struct {
	version uint32
	tables  []table
}

func (d directory) find(tag string) (table, bool) {
	for _, t := range d.tables {
		if t.tag == tag {
			return t, true
		}
	}
	return table{}, false
}

// trueType reports whether the face has TrueType outlines (glyf, loca) and the
// tables gopdf needs, and no CFF outlines.
func (d directory) trueType() bool {
	if d.version != 0x00010000 && d.version != 0x74727565 { // 1.0 or 'true'
		return false
	}
	for _, tag := range []string{"glyf", "loca", "cmap", "head", "hmtx", "maxp"} {
		if _, ok := d.find(tag); !ok {
			return false
		}
	}
	return true
}

var errFont = errors.New("不是可用的 TrueType 字体")

// readDirectory reads the table directory of the face at off.
func readDirectory(r io.ReaderAt, off int64) (directory, error) {
	var h [12]byte
	if _, err := r.ReadAt(h[:], off); err != nil {
		return directory{}, err
	}
	d := directory{version: binary.BigEndian.Uint32(h[:])}
	n := int(binary.BigEndian.Uint16(h[4:]))
	if n == 0 || n > 200 {
		return directory{}, errFont
	}
	buf := make([]byte, 16*n)
	if _, err := r.ReadAt(buf, off+12); err != nil {
		return directory{}, err
	}
	for i := 0; i < n; i++ {
		e := buf[16*i:]
		d.tables = append(d.tables, table{tag: string(e[:4]), sum: binary.BigEndian.Uint32(e[4:]),
			off: binary.BigEndian.Uint32(e[8:]), size: binary.BigEndian.Uint32(e[12:])})
	}
	return d, nil
}

// cmap answers whether a character has a glyph.
type cmap struct {
	format int
	data   []byte // the subtable
}

// readCmap reads the best Unicode subtable: (3,10) or (0,4+) format 12, else
// (3,1) or (0,*) format 4.
func readCmap(r io.ReaderAt, d directory) (cmap, error) {
	t, ok := d.find("cmap")
	if !ok || t.size < 4 || t.size > 16<<20 {
		return cmap{}, errFont
	}
	b := make([]byte, t.size)
	if _, err := r.ReadAt(b, int64(t.off)); err != nil {
		return cmap{}, err
	}
	n := int(binary.BigEndian.Uint16(b[2:]))
	best, bestRank := -1, 0
	for i := 0; i < n && 4+8*i+8 <= len(b); i++ {
		e := b[4+8*i:]
		pid, eid, off := binary.BigEndian.Uint16(e), binary.BigEndian.Uint16(e[2:]), int(binary.BigEndian.Uint32(e[4:]))
		if off+2 > len(b) {
			continue
		}
		format := int(binary.BigEndian.Uint16(b[off:]))
		rank := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			rank = 3
		case format == 4 && (pid == 3 && eid == 1 || pid == 0):
			rank = 2
		}
		if rank > bestRank {
			best, bestRank = off, rank
		}
	}
	if best < 0 {
		return cmap{}, errFont
	}
	return cmap{format: int(binary.BigEndian.Uint16(b[best:])), data: b[best:]}, nil
}

// has reports whether the subtable maps c to a glyph other than .notdef.
func (c cmap) has(ch rune) bool {
	b := c.data
	u16 := func(i int) int {
		if i < 0 || i+2 > len(b) {
			return 0
		}
		return int(binary.BigEndian.Uint16(b[i:]))
	}
	u32 := func(i int) uint32 {
		if i < 0 || i+4 > len(b) {
			return 0
		}
		return binary.BigEndian.Uint32(b[i:])
	}
	switch c.format {
	case 12:
		n := int(u32(12))
		i := sort.Search(n, func(i int) bool { return rune(u32(16+12*i+4)) >= ch })
		return i < n && rune(u32(16+12*i)) <= ch
	case 4:
		if ch > 0xFFFF {
			return false
		}
		segs := u16(6) / 2
		ends, starts := 14, 14+2*segs+2
		deltas, ranges := starts+2*segs, starts+4*segs
		for s := 0; s < segs; s++ {
			if ch > rune(u16(ends+2*s)) {
				continue
			}
			if ch < rune(u16(starts+2*s)) {
				return false
			}
			ro := u16(ranges + 2*s)
			if ro == 0 {
				return (int(ch)+u16(deltas+2*s))&0xFFFF != 0
			}
			g := u16(ranges + 2*s + ro + 2*(int(ch)-u16(starts+2*s)))
			return g != 0
		}
	}
	return false
}

// Load returns the bytes of a plain TrueType font for a spec: the file itself,
// or for "path#N" (or a .ttc without index: face 0) face N cut out of the
// collection with its own table directory.
func Load(spec string) ([]byte, error) {
	path, index, _ := SplitSpec(spec)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < 12 || string(data[:4]) != "ttcf" {
		return data, nil
	}
	return cutFace(data, index)
}

// cutFace writes face index of a TrueType collection as a standalone font:
// a new table directory followed by the face's tables, each 4-byte aligned.
// Tables shared with other faces are copied.
func cutFace(ttc []byte, index int) ([]byte, error) {
	n := int(binary.BigEndian.Uint32(ttc[8:]))
	if index < 0 || index >= n || 12+4*n > len(ttc) {
		return nil, fmt.Errorf("字体集合只有 %d 个字形，没有第 %d 个", n, index)
	}
	off := int64(binary.BigEndian.Uint32(ttc[12+4*index:]))
	r := byteReader(ttc)
	d, err := readDirectory(r, off)
	if err != nil {
		return nil, fmt.Errorf("字体集合第 %d 个字形：%w", index, err)
	}
	head := 12 + 16*len(d.tables)
	size := head
	for _, t := range d.tables {
		if int64(t.off)+int64(t.size) > int64(len(ttc)) {
			return nil, fmt.Errorf("字体集合第 %d 个字形的 %s 表越界", index, t.tag)
		}
		size += int(t.size+3) &^ 3
	}
	out := make([]byte, size)
	copy(out, ttc[off:off+12]) // version, numTables, searchRange, entrySelector, rangeShift
	pos := head
	for i, t := range d.tables {
		e := out[12+16*i:]
		copy(e, t.tag)
		binary.BigEndian.PutUint32(e[4:], t.sum)
		binary.BigEndian.PutUint32(e[8:], uint32(pos))
		binary.BigEndian.PutUint32(e[12:], t.size)
		copy(out[pos:], ttc[t.off:t.off+t.size])
		pos += int(t.size+3) &^ 3
	}
	return out, nil
}

// byteReader is an io.ReaderAt over a byte slice.
type byteReader []byte

// ReadAt reads len(p) bytes at off.
func (b byteReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
