package photo

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The maker note (EXIF tag 0x927C) is the camera maker's own block inside the
// EXIF: undocumented, different for every maker, and left alone by most tools
// that rewrite DateTimeOriginal. What it keeps of the capture is a second
// witness: Sony's cameras write the capture time again (ShotInfo's
// SonyDateTime); Canon, Nikon, Olympus, FujiFilm and Panasonic write the body's
// serial number (and Canon and Olympus the lens's), which many cameras do not
// put in BodySerialNumber. Apple's maker note has no capture time (its RunTime
// is the phone's uptime), nor do Huawei's, Xiaomi's or OPPO's a serial.
//
// The block is untrusted: readMakerNote reads it with its own bounds-checked
// IFD reader (at most makerMaxEntries entries, values inside the EXIF block),
// never follows more than one sub-IFD, and never panics.

// tagLensSerialNumber is the Exif IFD's LensSerialNumber (EXIF 2.3).
const tagLensSerialNumber = 0xA435

// makerMaxEntries bounds the entries read from one maker-note IFD.
const makerMaxEntries = 512

// makerNote is what a maker note says of the capture.
type makerNote struct {
	taken    *time.Time // the capture time the maker note keeps (wall clock, read in the county zone)
	takenTag string     // where: "Sony ShotInfo SonyDateTime"
	serial   string     // the body's serial number (maker's SerialNumber)
	internal string     // the body's internal serial number
	lens     string     // the lens's serial number
}

// mnEntry is one IFD entry of a maker note: its tag, type, count and value bytes.
type mnEntry struct {
	tag, typ uint16
	count    uint32
	val      []byte
	at       int // where val lies, from base (-1: inside the entry)
}

// mnIFD reads the IFD at off of b; value offsets are relative to base (both
// within b). Entries whose value lies outside b are left out; nil when the
// table itself does not fit.
func mnIFD(b []byte, off, base int, order binary.ByteOrder) []mnEntry {
	if off < 0 || off+2 > len(b) {
		return nil
	}
	n := int(order.Uint16(b[off:]))
	if n == 0 || n > makerMaxEntries || off+2+12*n > len(b) {
		return nil
	}
	out := make([]mnEntry, 0, n)
	for i := 0; i < n; i++ {
		e := b[off+2+12*i:]
		tag, typ, count := order.Uint16(e), order.Uint16(e[2:]), order.Uint32(e[4:])
		size := tiffTypeSize(typ)
		if size == 0 || uint64(count)*size > uint64(len(b)) {
			continue
		}
		total := int(uint64(count) * size)
		var val []byte
		at := -1
		if total <= 4 {
			val = e[8 : 8+total]
		} else {
			at = int(order.Uint32(e[8:]))
			p := base + at
			if p < 0 || p > len(b)-total {
				continue
			}
			val = b[p : p+total]
		}
		out = append(out, mnEntry{tag, typ, count, val, at})
	}
	return out
}

// find returns the entry of a tag, or nil.
func mnFind(es []mnEntry, tag uint16) *mnEntry {
	for i := range es {
		if es[i].tag == tag {
			return &es[i]
		}
	}
	return nil
}

// text is an entry's value as text: up to its first NUL, spaces trimmed, only
// printable ASCII kept ("" when it has other bytes).
func (e *mnEntry) text() string {
	if e == nil {
		return ""
	}
	v := e.val
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7e {
			return ""
		}
	}
	return strings.TrimSpace(string(v))
}

// uint is an entry's first value as an unsigned integer.
func (e *mnEntry) uint(order binary.ByteOrder) (uint64, bool) {
	if e == nil || e.count < 1 {
		return 0, false
	}
	switch e.typ {
	case 1, 7:
		return uint64(e.val[0]), true
	case 3:
		return uint64(order.Uint16(e.val)), true
	case 4, typeDTIFD:
		return uint64(order.Uint32(e.val)), true
	}
	return 0, false
}

// readMakerNote reads the maker note lying at mnOff (mnLen bytes) of the EXIF
// block by its header or, for Canon's, which has none, by the camera's make.
// loc is the zone a time without one is read in.
func readMakerNote(block []byte, order binary.ByteOrder, mnOff, mnLen int, mk string, loc *time.Location) (mn makerNote) {
	defer func() {
		if recover() != nil { // a bug here must not cost the photo its EXIF
			mn = makerNote{}
		}
	}()
	return readMakerNoteUnguarded(block, order, mnOff, mnLen, mk, loc)
}

// readMakerNoteUnguarded is readMakerNote without its recover (FuzzMakerNote
// runs it so that a panic is seen).
func readMakerNoteUnguarded(block []byte, order binary.ByteOrder, mnOff, mnLen int, mk string, loc *time.Location) (mn makerNote) {
	if mnOff <= 0 || mnLen < 8 || mnOff+mnLen > len(block) {
		return mn
	}
	note := block[mnOff : mnOff+mnLen]
	lower := strings.ToLower(mk)
	switch {
	case bytes.HasPrefix(note, []byte("SONY DSC \x00\x00\x00")), bytes.HasPrefix(note, []byte("SONY CAM \x00\x00\x00")):
		es := mnIFD(block, mnOff+12, 0, order)
		if si := mnFind(es, 0x3000); si != nil && len(si.val) >= 26 && string(si.val[:2]) == "II" {
			if t, ok := parseExifTime(string(bytes.TrimRight(si.val[6:26], "\x00 ")), "", loc); ok {
				mn.taken, mn.takenTag = &t, "Sony ShotInfo SonyDateTime"
			}
		}
	case bytes.HasPrefix(note, []byte("OLYMPUS\x00")) && len(note) >= 12:
		// New style: "OLYMPUS\0", a byte order, the version; offsets from the note's start.
		o := orderOf(note[8:10], order)
		es := mnIFD(note, 12, 0, o)
		mn.serial = mnFind(es, 0x0404).text()
		if eq := mnFind(es, 0x2010); eq != nil {
			off, ok := eq.uint(o)
			if eq.typ == 7 { // the sub-IFD stored as the value itself
				off, ok = uint64(eq.at), eq.at > 0
			}
			if ok && off < uint64(len(note)) {
				sub := mnIFD(note, int(off), 0, o)
				mn.serial = firstOf(mnFind(sub, 0x0101).text(), mn.serial)
				mn.internal = mnFind(sub, 0x0102).text()
				mn.lens = mnFind(sub, 0x0202).text()
			}
		}
	case bytes.HasPrefix(note, []byte("OLYMP\x00")), bytes.HasPrefix(note, []byte("OM SYSTEM\x00")):
		// Old style: an IFD at 8, offsets from the TIFF header.
		es := mnIFD(block, mnOff+8, 0, order)
		mn.serial = firstOf(mnFind(es, 0x0404).text(), mnFind(es, 0x101a).text())
	case bytes.HasPrefix(note, []byte("Nikon\x00\x02")) && len(note) >= 18:
		// Type 3: a TIFF header of its own at 10; offsets from it.
		tiffAt := note[10:]
		o := orderOf(tiffAt[:2], order)
		es := mnIFD(tiffAt, int(o.Uint32(tiffAt[4:8])), 0, o)
		mn.serial = mnFind(es, 0x001d).text()
	case bytes.HasPrefix(note, []byte("FUJIFILM")) && len(note) >= 12:
		o := binary.ByteOrder(binary.LittleEndian)
		es := mnIFD(note, int(o.Uint32(note[8:12])), 0, o)
		mn.internal = mnFind(es, 0x0010).text()
	case bytes.HasPrefix(note, []byte("Panasonic\x00\x00\x00")):
		es := mnIFD(block, mnOff+12, 0, order)
		mn.internal = mnFind(es, 0x0025).text()
	case strings.HasPrefix(lower, "canon"):
		// No header: an IFD at the note's start, offsets from the TIFF header
		// (or moved with the note by a program that rewrote the file).
		o := ifdOrder(block, mnOff, order)
		es := mnIFD(block, mnOff, movedBase(block, mnOff, mnLen, o), o)
		order = o
		if v, ok := mnFind(es, 0x000c).uint(order); ok && v != 0 {
			mn.serial = strconv.FormatUint(v, 10)
		}
		mn.internal = mnFind(es, 0x0096).text()
		if li := mnFind(es, 0x4019); li != nil && li.typ == 7 && len(li.val) >= 5 {
			if s := fmt.Sprintf("%x", li.val[:5]); strings.Trim(s, "0") != "" {
				mn.lens = s
			}
		}
	}
	mn.serial, mn.internal, mn.lens = cleanSerial(mn.serial), cleanSerial(mn.internal), cleanSerial(mn.lens)
	return mn
}

// ifdOrder is the byte order in which the IFD at off has a plausible entry
// count: def, else the other (Canon's note may differ from its EXIF's order).
func ifdOrder(b []byte, off int, def binary.ByteOrder) binary.ByteOrder {
	ok := func(o binary.ByteOrder) bool {
		if off < 0 || off+2 > len(b) {
			return false
		}
		n := int(o.Uint16(b[off:]))
		return n > 0 && n <= makerMaxEntries && off+2+12*n <= len(b)
	}
	if ok(def) {
		return def
	}
	if def == binary.ByteOrder(binary.BigEndian) {
		return orderIf(ok(binary.LittleEndian), binary.LittleEndian, def)
	}
	return orderIf(ok(binary.BigEndian), binary.BigEndian, def)
}

func orderIf(c bool, a, b binary.ByteOrder) binary.ByteOrder {
	if c {
		return a
	}
	return b
}

// movedBase is the shift to add to the value offsets of the headerless IFD
// at off when a program moved the maker note without fixing its offsets (as
// ExifTool finds): 0 when every value lies within the note; else the shift
// that puts the first value right after the table, where cameras write it.
func movedBase(b []byte, off, n int, o binary.ByteOrder) int {
	if off < 0 || off+2 > len(b) {
		return 0
	}
	count := int(o.Uint16(b[off:]))
	if count == 0 || count > makerMaxEntries || off+2+12*count > len(b) {
		return 0
	}
	first, outside := -1, false
	for i := 0; i < count; i++ {
		e := b[off+2+12*i:]
		size := tiffTypeSize(o.Uint16(e[2:]))
		total := uint64(o.Uint32(e[4:])) * size
		if size == 0 || total <= 4 || total > uint64(n) {
			continue
		}
		at := int(o.Uint32(e[8:]))
		if first < 0 || at < first {
			first = at
		}
		if at < off || uint64(at)+total > uint64(off+n) {
			outside = true
		}
	}
	if !outside || first < 0 {
		return 0
	}
	return off + 2 + 12*count + 4 - first
}

// orderOf reads a TIFF byte-order mark, or gives def.
func orderOf(mark []byte, def binary.ByteOrder) binary.ByteOrder {
	switch string(mark) {
	case "II":
		return binary.LittleEndian
	case "MM":
		return binary.BigEndian
	}
	return def
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
