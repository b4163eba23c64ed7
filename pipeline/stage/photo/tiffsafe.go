package photo

import (
	"encoding/binary"
	"errors"
	"fmt"

	"yanshou/templates"
)

// Limits of the EXIF pre-check.
const (
	maxIFDChain = 4      // IFD0, IFD1 (thumbnail) and a little slack; goexif follows the whole chain
	tagNeutral  = 0xFFFF // tag id given to entries that must not reach goexif
	typeDTIFD   = 13     // TIFF "IFD" type: a LONG that points at an IFD
)

// TIFF tag ids whose values point at sub-IFDs that goexif follows.
const (
	tagExifIFD    = 0x8769
	tagGPSIFD     = 0x8825
	tagInteropIFD = 0xA005
)

// tiffTypeSize is the size in bytes of one value of each TIFF type (0: unknown).
func tiffTypeSize(t uint16) uint64 {
	switch t {
	case 1, 2, 6, 7:
		return 1
	case 3, 8:
		return 2
	case 4, 9, 11, typeDTIFD:
		return 4
	case 5, 10, 12:
		return 8
	}
	return 0
}

// sanitizer walks the IFDs goexif would read and rewrites, in its own copy of the
// bytes, every entry whose declared size does not fit the block. goexif trusts an
// entry's count: a crafted count makes it allocate gigabytes (a fatal error that
// recover cannot catch), and a loop in the IFD chain makes it run forever. After
// sanitize, every entry goexif decodes has count × size within the block, every
// sub-IFD pointer it follows points inside the block, and the chain has no loop.
type sanitizer struct {
	b        []byte
	order    binary.ByteOrder
	seen     map[uint32]bool
	problems []string
	changed  bool        // a byte was rewritten in this pass
	tables   [][2]uint64 // byte ranges of the IFD tables accepted so far
}

// maxPasses bounds the repair passes. Repairs stay inside non-overlapping IFD
// tables, so a second pass should find nothing to change; it is run to prove
// that, and a block that does not settle is refused.
const maxPasses = 8

// sanitizeTIFF returns a copy of the TIFF block src that goexif can decode safely,
// and the problems found (Chinese), or an error when the block is not TIFF at all.
func sanitizeTIFF(src []byte) ([]byte, []string, error) {
	if len(src) < 8 {
		return nil, nil, errors.New(templates.Say("photo.exif_short", len(src)))
	}
	var order binary.ByteOrder
	switch string(src[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return nil, nil, errors.New(templates.Say("photo.exif_not_tiff", src[:4]))
	}
	b := append([]byte(nil), src...)
	var problems []string
	for pass := 0; pass < maxPasses; pass++ {
		s := &sanitizer{b: b, order: order, seen: map[uint32]bool{}}
		first := order.Uint32(b[4:8])
		ok := s.walk(first, "IFD0", 0)
		if pass == 0 {
			problems = s.problems
		}
		if !ok {
			return nil, problems, errors.New(templates.Say("photo.exif_ifd0_bad", first))
		}
		if !s.changed {
			return b, problems, nil
		}
	}
	return nil, problems, errors.New(templates.Say("photo.exif_overlap"))
}

// problem records damage that matters: the photo's error says so. Quirks that
// cameras commonly write (an empty or unknown-typed entry, a broken pointer to the
// interoperability IFD or to a thumbnail IFD) are repaired without a word.
func (s *sanitizer) problem(serious bool, detail string) {
	if serious {
		s.problems = append(s.problems, templates.Say("photo.exif_damaged", detail))
	}
}

// The sub-IFDs by name ("IFD0", "IFD1", … name the main chain).
const (
	ifdExif    = "Exif"
	ifdGPS     = "GPS"
	ifdInterop = "Interop"
)

// ifdLabel is how messages name an IFD: the sub-IFDs in words, the main chain by name.
func ifdLabel(ifd string) string {
	switch ifd {
	case ifdExif:
		return templates.Say("photo.ifd_exif")
	case ifdGPS:
		return templates.Say("photo.ifd_gps")
	case ifdInterop:
		return templates.Say("photo.ifd_interop")
	}
	return ifd
}

// wanted reports whether the photo stage reads this tag of this IFD.
func wanted(ifd string, tag uint16) bool {
	switch ifd {
	case "IFD0":
		switch tag {
		case 0x010F, 0x0110, 0x0112, 0x0131, 0x0132, tagExifIFD, tagGPSIFD:
			return true
		}
	case ifdExif:
		return tag == 0x9003 || tag == 0x9004 || (tag >= 0x9010 && tag <= 0x9012)
	case ifdGPS:
		return (tag >= 1 && tag <= 4) || tag == 0x07 || tag == 0x1D // position, GPS time and date
	}
	return false
}

// walk checks the IFD at off (and, for the main chain, the IFDs after it). It
// returns false when the IFD itself is unusable; the caller then cuts the pointer.
// depth is the position in the main chain, or -1 for a sub-IFD.
func (s *sanitizer) walk(off uint32, name string, depth int) bool {
	n := uint64(len(s.b))
	serious := name == "IFD0" || name == ifdExif || name == ifdGPS
	if off < 8 || uint64(off)+2+4 > n {
		s.problem(serious, templates.Say("photo.ifd_outside", ifdLabel(name), off, n))
		return false
	}
	if s.seen[off] {
		s.problem(serious, templates.Say("photo.ifd_loop", ifdLabel(name), off))
		return false
	}
	s.seen[off] = true
	count := uint64(s.order.Uint16(s.b[off:]))
	// goexif reads the entry count as int16: 0x8000 and up would read as negative.
	fit := (n - uint64(off) - 2 - 4) / 12
	cut := count > fit || count > 0x7FFF
	if cut {
		count = min(fit, 0x7FFF)
	}
	// Repairs write only inside IFD tables; tables that do not overlap cannot
	// spoil one another, so one that overlaps an accepted table is refused.
	span := [2]uint64{uint64(off), uint64(off) + 2 + 12*count + 4}
	for _, t := range s.tables {
		if span[0] < t[1] && t[0] < span[1] {
			s.problem(serious, templates.Say("photo.ifd_overlap", ifdLabel(name), off))
			return false
		}
	}
	s.tables = append(s.tables, span)
	if cut {
		s.problem(serious, templates.Say("photo.ifd_cut", ifdLabel(name), s.order.Uint16(s.b[off:]), count))
		s.changed = true
		s.order.PutUint16(s.b[off:], uint16(count))
		s.order.PutUint32(s.b[uint64(off)+2+12*count:], 0) // no next IFD after a cut table
	}
	for i := uint64(0); i < count; i++ {
		s.entry(uint64(off)+2+12*i, name)
	}
	next := uint64(off) + 2 + 12*count
	if depth < 0 {
		return true // goexif does not follow a sub-IFD's chain
	}
	nxt := s.order.Uint32(s.b[next:])
	if nxt == 0 {
		return true
	}
	if depth+1 >= maxIFDChain || !s.walk(nxt, fmt.Sprintf("IFD%d", depth+1), depth+1) {
		s.order.PutUint32(s.b[next:], 0)
		s.changed = true
	}
	return true
}

// entry checks one 12-byte IFD entry at e.
func (s *sanitizer) entry(e uint64, ifd string) {
	tag := s.order.Uint16(s.b[e:])
	typ := s.order.Uint16(s.b[e+2:])
	count := uint64(s.order.Uint32(s.b[e+4:]))
	if typ == typeDTIFD { // same layout as LONG, which goexif understands
		typ = 4
		s.order.PutUint16(s.b[e+2:], typ)
		s.changed = true
	}
	size := tiffTypeSize(typ)
	total := count * size // both below 2^32 and 8: no overflow in 64 bits
	n := uint64(len(s.b))
	var bad string
	serious := wanted(ifd, tag)
	switch {
	case size == 0: // goexif rejects the whole IFD for one such entry
		bad = templates.Say("photo.entry_bad_type", typ)
	case count == 0:
		bad = templates.Say("photo.entry_no_value")
	case total > n: // the signature of a crafted count: always reported
		bad = templates.Say("photo.entry_too_big", count, total, n)
		serious = true
	case total > 4 && uint64(s.order.Uint32(s.b[e+8:]))+total > n:
		bad = templates.Say("photo.entry_outside", s.order.Uint32(s.b[e+8:]), n)
	}
	if bad == "" && isPointer(ifd, tag) {
		off, ok := s.intValue(e, typ)
		name := map[uint16]string{tagExifIFD: ifdExif, tagGPSIFD: ifdGPS, tagInteropIFD: ifdInterop}[tag]
		if !ok || !s.walk(off, name, -1) {
			bad = templates.Say("photo.entry_bad_pointer")
		}
	}
	if bad == "" {
		return
	}
	s.problem(serious, templates.Say("photo.entry_ignored", ifdLabel(ifd), tag, bad))
	s.neutralize(e)
}

// neutralize turns the entry at e into a one-byte entry no reader looks at.
func (s *sanitizer) neutralize(e uint64) {
	s.changed = true
	s.order.PutUint16(s.b[e:], tagNeutral)
	s.order.PutUint16(s.b[e+2:], 1) // BYTE
	s.order.PutUint32(s.b[e+4:], 1)
	s.order.PutUint32(s.b[e+8:], 0)
}

// isPointer reports whether goexif follows tag in this IFD as a sub-IFD pointer.
// goexif looks the pointers up among all tags it loaded from IFD0, IFD1 and the
// Exif IFD, so they are checked wherever they occur except in the GPS and interop IFDs.
func isPointer(ifd string, tag uint16) bool {
	switch tag {
	case tagExifIFD, tagGPSIFD, tagInteropIFD:
		return ifd != ifdGPS && ifd != ifdInterop
	}
	return false
}

// intValue reads the first value of an integer entry the way goexif's Int64 does.
func (s *sanitizer) intValue(e uint64, typ uint16) (uint32, bool) {
	v := s.b[e+8 : e+12]
	switch typ {
	case 1, 6:
		return uint32(v[0]), typ == 1 || int8(v[0]) >= 0
	case 3:
		return uint32(s.order.Uint16(v)), true
	case 8:
		x := int16(s.order.Uint16(v))
		return uint32(x), x >= 0
	case 4:
		return s.order.Uint32(v), true
	case 9:
		x := int32(s.order.Uint32(v))
		return uint32(x), x >= 0
	}
	return 0, false
}
