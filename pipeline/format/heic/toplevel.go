package heic

import "sort"

// maxTopLevel is the most top-level pictures a file may hold for heif-convert
// to decode it: it decodes every one (a burst, an edit beside its original),
// of which only the primary is wanted; past this the WebAssembly libheif,
// which decodes the primary alone, is cheaper.
const maxTopLevel = 8

// imageTypes are the item types libheif counts as pictures (its
// item_type_is_image).
var imageTypes = map[string]bool{"hvc1": true, "grid": true, "iden": true, "iovl": true, "av01": true, "vvc1": true}

// primaryOutput finds which of heif-convert's outputs is the primary picture.
// heif-convert writes one file per top-level picture — out.y4m for one,
// out-1.y4m, out-2.y4m, … for several, in the order of their item IDs — and
// does not say which is primary. A top-level picture, as libheif counts
// them, is an item of a picture type that is not hidden and is not a
// thumbnail (thmb) nor an auxiliary picture (auxl: depth, alpha, gain map) of
// another. index is the primary's 1-based place among count; ok is false when
// the header does not say (then heif-convert's single output is expected).
func primaryOutput(data []byte) (index, count int, ok bool) {
	meta := topBox(data, "meta")
	if len(meta) < 4 {
		return 0, 0, false
	}
	kids := children(meta[4:])
	pitm := kids["pitm"]
	var primary uint32
	switch {
	case len(pitm) >= 6 && pitm[0] == 0:
		primary = uint32(be(pitm[4:6]))
	case len(pitm) >= 8:
		primary = uint32(be(pitm[4:8]))
	default:
		return 0, 0, false
	}
	pictures, ok := visiblePictures(kids["iinf"])
	if !ok {
		return 0, 0, false
	}
	for id := range referencedFrom(kids["iref"], "thmb", "auxl") {
		delete(pictures, id)
	}
	if !pictures[primary] {
		return 0, 0, false
	}
	ids := make([]uint32, 0, len(pictures))
	for id := range pictures {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for i, id := range ids {
		if id == primary {
			return i + 1, len(ids), true
		}
	}
	return 0, 0, false
}

// visiblePictures reads the item information box (iinf): the IDs of the
// items of a picture type not marked hidden. An ID given twice makes the
// list untrustworthy: none.
func visiblePictures(iinf []byte) (map[uint32]bool, bool) {
	if len(iinf) < 6 {
		return nil, false
	}
	entries := iinf[6:] // version 0: a 16-bit count
	if iinf[0] != 0 {
		if len(iinf) < 8 {
			return nil, false
		}
		entries = iinf[8:]
	}
	seen, out := map[uint32]bool{}, map[uint32]bool{}
	for _, infe := range list(entries) {
		b := infe.body
		if infe.typ != "infe" || len(b) < 4 || b[0] < 2 { // versions 0 and 1 carry no item type
			continue
		}
		var id uint32
		var rest []byte
		if b[0] == 2 {
			if len(b) < 4+2+2+4 {
				continue
			}
			id, rest = uint32(be(b[4:6])), b[6:]
		} else {
			if len(b) < 4+4+2+4 {
				continue
			}
			id, rest = uint32(be(b[4:8])), b[8:]
		}
		if seen[id] {
			return nil, false
		}
		seen[id] = true
		hidden := b[3]&1 != 0
		if imageTypes[string(rest[2:6])] && !hidden {
			out[id] = true
		}
	}
	return out, true
}

// referencedFrom reads the item reference box (iref): the items that are the
// source (from_item_ID) of a reference of one of types.
func referencedFrom(iref []byte, types ...string) map[uint32]bool {
	out := map[uint32]bool{}
	if len(iref) < 4 {
		return out
	}
	wide := iref[0] != 0 // version 1: 32-bit item IDs
	for _, ref := range list(iref[4:]) {
		want := false
		for _, t := range types {
			want = want || ref.typ == t
		}
		if !want {
			continue
		}
		if wide && len(ref.body) >= 4 {
			out[uint32(be(ref.body[:4]))] = true
		} else if !wide && len(ref.body) >= 2 {
			out[uint32(be(ref.body[:2]))] = true
		}
	}
	return out
}
