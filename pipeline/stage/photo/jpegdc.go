package photo

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// A reduced JPEG decode for the perceptual hash. The DC coefficient of each 8×8
// block is eight times the block's mean, so the luma DC coefficients alone are
// the picture at 1/8 scale — more than the hash needs. For a baseline JPEG the
// AC coefficients still have to be stepped over to find the next block: a
// table look-up over the next bits gives the bits of two to four whole
// coefficients at once, their values never computed (see fastScan), and
// nothing is inverse-transformed, upsampled or colour-converted; a progressive
// JPEG sends the DC coefficients first, so decoding stops after that scan.
// Anything unusual (arithmetic coding, 12-bit samples, damage, a marker where
// data should be) makes dcPlane give up, and the full decoder is used instead.

// dcMinSide is the shorter side from which the reduced decode is used: 1/8
// scale then gives at least 96 samples across, half again the 64 hashed.
const dcMinSide = 768

var errDCUnsupported = errors.New("not decodable by the DC reader")

type huffTable struct {
	lut     [1 << 9]uint16 // code of up to 9 bits → symbol<<8 | length (0: longer code)
	maxcode [18]int32      // largest code of each length, −1 when none
	valptr  [17]int32
	mincode [17]int32
	vals    []byte
	ok      bool
	fast    [1 << fastBits]uint16  // next fastBits bits → advance<<8 | bits taken (0: longer code); see buildFast
	multi   [1 << multiBits]uint16 // AC: next multiBits bits → up to 3 whole coefficients; see buildMulti
}

// build makes the decoding tables from the DHT counts and symbols (JPEG F.2.2.3).
func (t *huffTable) build(counts [16]byte, vals []byte) error {
	t.vals = vals
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if code+n > 1<<l { // more codes than the length allows
			return errDCUnsupported
		}
		t.valptr[l], t.mincode[l] = k, code
		if n == 0 {
			t.maxcode[l] = -1
		} else {
			t.maxcode[l] = code + n - 1
		}
		for i := int32(0); i < n; i++ {
			if l <= 9 {
				first := code << (9 - l)
				for j := int32(0); j < 1<<(9-l); j++ {
					t.lut[first+j] = uint16(vals[k+i])<<8 | uint16(l)
				}
			}
			code++
		}
		k += n
		code <<= 1
	}
	t.maxcode[17] = 1 << 30 // sentinel
	t.ok = true
	return nil
}

type dcComponent struct {
	id, h, v, tq int
}

// dcPlane decodes the luma DC coefficients of the JPEG in r into a grey plane
// at 1/8 scale (area-averaged further to at most planeMax). ok is false when
// the file is not a JPEG this reader handles; the caller then decodes it fully.
func dcPlane(r io.ReaderAt, size int64) (pl plane, ok bool) {
	return dcPlaneFrom(io.NewSectionReader(r, 0, size))
}

// dcPlaneFrom is dcPlane over the file read from its first byte on, in order:
// it reads no further than the end of the first scan holding the luma DC
// coefficients.
func dcPlaneFrom(src io.Reader) (pl plane, ok bool) {
	defer func() {
		if recover() != nil {
			pl, ok = plane{}, false
		}
	}()
	return dcDecodeWith(src, fastScan)
}

// dcDecode is dcPlane without the guard against panics (which the fuzz test
// wants to see).
func dcDecode(r io.ReaderAt, size int64) (pl plane, ok bool) {
	return dcDecodeWith(io.NewSectionReader(r, 0, size), fastScan)
}

// scanFunc decodes one scan (see fastScan).
type scanFunc func(br *bufio.Reader, seg []byte, comps []dcComponent, hmax, vmax, width, height int, progressive bool,
	restartIvl int, quant *[4][64]uint16, dcT, acT *[4]huffTable, pl *plane) (done, good bool)

// dcDecodeWith reads the markers of the JPEG in src and decodes the scan that
// holds the luma DC coefficients with scan.
func dcDecodeWith(src io.Reader, scan scanFunc) (pl plane, ok bool) {
	br := bufio.NewReaderSize(src, 64<<10)
	var (
		quant       [4][64]uint16
		dc, ac      [4]huffTable
		comps       []dcComponent
		width       int
		height      int
		progressive bool
		restartIvl  int
		hmax, vmax  = 1, 1
	)
	var hdr [4]byte
	if _, err := io.ReadFull(br, hdr[:2]); err != nil || hdr[0] != 0xFF || hdr[1] != 0xD8 {
		return plane{}, false
	}
	for markers := 0; markers < maxMarkers; markers++ {
		if _, err := io.ReadFull(br, hdr[:2]); err != nil || hdr[0] != 0xFF {
			return plane{}, false
		}
		mk := hdr[1]
		for mk == 0xFF {
			c, err := br.ReadByte()
			if err != nil {
				return plane{}, false
			}
			mk = c
		}
		if mk == 0xD8 || (mk >= 0xD0 && mk <= 0xD7) || mk == 0x01 {
			continue
		}
		if mk == 0xD9 {
			return plane{}, false
		}
		if _, err := io.ReadFull(br, hdr[:2]); err != nil {
			return plane{}, false
		}
		n := int(binary.BigEndian.Uint16(hdr[:2])) - 2
		if n < 0 {
			return plane{}, false
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(br, seg); err != nil {
			return plane{}, false
		}
		switch {
		case mk == 0xC0 || mk == 0xC1 || mk == 0xC2:
			if comps != nil || n < 6 || seg[0] != 8 {
				return plane{}, false
			}
			progressive = mk == 0xC2
			height, width = int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:]))
			nc := int(seg[5])
			if nc < 1 || nc > 4 || n < 6+3*nc || width == 0 || height == 0 {
				return plane{}, false
			}
			for i := 0; i < nc; i++ {
				c := dcComponent{id: int(seg[6+3*i]), h: int(seg[7+3*i] >> 4), v: int(seg[7+3*i] & 15), tq: int(seg[8+3*i])}
				if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
					return plane{}, false
				}
				hmax, vmax = max(hmax, c.h), max(vmax, c.v)
				comps = append(comps, c)
			}
		case mk >= 0xC3 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC:
			return plane{}, false // lossless, hierarchical or arithmetic coding
		case mk == 0xDB: // DQT
			if !parseDQT(seg, &quant, nil) {
				return plane{}, false
			}
		case mk == 0xC4: // DHT
			for p := seg; len(p) > 0; {
				if len(p) < 17 {
					return plane{}, false
				}
				class, id := p[0]>>4, int(p[0]&15)
				var counts [16]byte
				copy(counts[:], p[1:17])
				total := 0
				for _, c := range counts {
					total += int(c)
				}
				if class > 1 || id > 3 || total > 256 || len(p) < 17+total {
					return plane{}, false
				}
				t := &dc[id]
				if class == 1 {
					t = &ac[id]
				}
				*t = huffTable{}
				if t.build(counts, append([]byte(nil), p[17:17+total]...)) != nil {
					return plane{}, false
				}
				t.buildFast(class == 1)
				if class == 1 {
					t.buildMulti()
				}
				p = p[17+total:]
			}
		case mk == 0xDD: // DRI
			if n < 2 {
				return plane{}, false
			}
			restartIvl = int(binary.BigEndian.Uint16(seg))
		case mk == 0xDA: // SOS
			if comps == nil {
				return plane{}, false
			}
			done, good := scan(br, seg, comps, hmax, vmax, width, height, progressive, restartIvl, &quant, &dc, &ac, &pl)
			if !good {
				return plane{}, false
			}
			if done {
				return pl, true
			}
			if progressive && pl.px == nil { // a later scan has the luma DC; skip this one's data
				if !skipScan(br) {
					return plane{}, false
				}
			}
		}
	}
	return plane{}, false
}

// skipScan steps over entropy-coded data to the next marker (not RSTn), leaving
// the reader at its 0xFF.
func skipScan(br *bufio.Reader) bool {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return false
		}
		if c != 0xFF {
			continue
		}
		next, err := br.Peek(1)
		if err != nil {
			return false
		}
		if next[0] == 0 || (next[0] >= 0xD0 && next[0] <= 0xD7) || next[0] == 0xFF {
			continue
		}
		return br.UnreadByte() == nil
	}
}

// fastBits is the width of the lookahead that identifies a Huffman code in one
// table look-up (codes longer than that, rare, are found through maxcode).
const fastBits = 10

// buildFast fills t.fast from the decoding tables: for each code of up to
// fastBits bits, the bits a whole coefficient takes — code and magnitude
// bits — and, for an AC table, how far it advances in the block: run+1 for a
// coefficient, 16 for ZRL, 64 (the end) for EOB. The magnitude itself is
// never needed but for the luma DC, which is read through lut.
func (t *huffTable) buildFast(ac bool) {
	t.fast = [1 << fastBits]uint16{}
	code, k := 0, 0
	for l := 1; l <= 16; l++ {
		for n := int32(0); n < t.maxcode[l]-t.mincode[l]+1 && t.maxcode[l] >= 0; n++ {
			rs := t.vals[k]
			k++
			c := code
			code++
			if l > fastBits {
				continue
			}
			size, adv := int(rs&15), 0
			if ac {
				switch r := int(rs >> 4); {
				case size == 0 && r == 15:
					adv = 16
				case size == 0: // EOB (a run without a size is taken as one too)
					adv = 64
				default:
					adv = r + 1
				}
			} else {
				size = int(rs) // a DC symbol is the size alone (up to 16, checked when read)
				if size > 16 {
					continue // left to the slow path, which refuses it
				}
			}
			e := uint16(adv)<<8 | uint16(l+size)
			first := c << (fastBits - l)
			for j := 0; j < 1<<(fastBits-l); j++ {
				t.fast[first+j] = e
			}
		}
		code <<= 1
	}
}

// multiBits is the width of the lookahead that steps over up to three AC
// coefficients at once.
const multiBits = 12

// Fields of a multi entry: the bits taken (0: none fits), the advance in the
// block, and whether the last coefficient is EOB.
const (
	multiBitsMask = 0xF
	multiAdvShift = 4
	multiAdvMask  = 0x7F
	multiEOB      = 1 << 11
)

// buildMulti fills t.multi (an AC table, after buildFast): for each value of
// the next multiBits bits, the whole coefficients (code and magnitude bits)
// that lie within them, up to an EOB: their bits, the sum of their advances
// (EOB not counted) and whether they end with EOB. Decoding a noisy 12 MP
// photo is a chain of dependent look-ups; taking two to four small
// coefficients a look-up shortens it. The table for w bits is built from the
// one for fewer: the first coefficient, then what the bits left after it hold.
func (t *huffTable) buildMulti() {
	var tables [multiBits + 1][]uint16 // tables[w][v]: the entry for the w-bit value v
	for w := 1; w <= multiBits; w++ {
		tw := make([]uint16, 1<<w)
		for v := range tw {
			var e uint16
			if w >= fastBits {
				e = t.fast[v>>(w-fastBits)]
			} else {
				e = t.fast[v<<(fastBits-w)]
			}
			p, adv := int(e&0xFF), int(e>>8)
			if e == 0 || p > w {
				continue // no whole coefficient within the w bits
			}
			if adv == 64 { // EOB
				tw[v] = uint16(p) | multiEOB
				continue
			}
			entry := uint16(p) | uint16(adv)<<multiAdvShift
			if rest := w - p; rest > 0 && adv < 64 {
				if r := tables[rest][v&(1<<rest-1)]; r != 0 && adv+int(r>>multiAdvShift&multiAdvMask) < 100 {
					entry = uint16(p+int(r&multiBitsMask)) | uint16(adv+int(r>>multiAdvShift&multiAdvMask))<<multiAdvShift | r&multiEOB
				}
			}
			tw[v] = entry
		}
		tables[w] = tw
	}
	copy(t.multi[:], tables[multiBits])
}

// scanBits reads entropy-coded data straight out of a bufio.Reader's buffer:
// the next bits are kept left-aligned in a 64-bit word refilled 7–8 bytes at a
// time when none of them is 0xFF, byte by byte (0xFF00 unstuffed, a marker
// ending the data) otherwise. After a marker it reads zeros, counted in pad.
type scanBits struct {
	br     *bufio.Reader
	win    []byte // bytes peeked from br and not yet discarded
	pos    int    // the next byte of win to load into acc
	acc    uint64 // the next bit is bit 63; bits below the n valid ones are the next bytes' or zero
	n      uint   // valid bits in acc
	marker byte   // the marker that ended the data, 0 while in data
	pad    uint   // zero bits read after the marker
}

// overrun reports whether bits beyond the end of the data were used.
func (b *scanBits) overrun() bool { return b.pad > b.n }

// ensure makes at least k bytes from pos available in win, reporting whether
// the data has them.
func (b *scanBits) ensure(k int) bool {
	if b.pos+k <= len(b.win) {
		return true
	}
	if _, err := b.br.Discard(b.pos); err != nil {
		return false
	}
	b.pos = 0
	b.win, _ = b.br.Peek(b.br.Size())
	return k <= len(b.win)
}

// refill tops acc up to at least 56 valid bits.
func (b *scanBits) refill() {
	if b.pos+8 <= len(b.win) && b.marker == 0 {
		w := binary.BigEndian.Uint64(b.win[b.pos:])
		if v := ^w; (v-0x0101010101010101)&^v&0x8080808080808080 == 0 { // no 0xFF byte
			// The bytes after the ones counted land below the valid bits: they
			// are the bytes the next refill loads there again.
			b.acc |= w >> b.n
			b.pos += int((63 - b.n) >> 3)
			b.n |= 56
			return
		}
	}
	b.refillSlow()
}

// refillSlow is refill byte by byte, near a 0xFF or the end of the window.
func (b *scanBits) refillSlow() {
	if b.n == 0 {
		b.acc = 0
	} else {
		b.acc &^= ^uint64(0) >> b.n
	}
	for b.n <= 56 {
		if b.marker != 0 {
			b.n += 8
			b.pad += 8
			continue
		}
		if !b.ensure(1) {
			b.marker = 0xD9
			continue
		}
		c := b.win[b.pos]
		b.pos++
		if c == 0xFF {
			for {
				if !b.ensure(1) {
					b.marker = 0xD9
					break
				}
				c2 := b.win[b.pos]
				b.pos++
				if c2 == 0xFF { // fill bytes
					continue
				}
				if c2 != 0 {
					b.marker = c2
				}
				break
			}
			if b.marker != 0 {
				continue
			}
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// skip drops s ≤ n bits.
func (b *scanBits) skip(s uint) {
	b.acc <<= s
	b.n -= s
}

// slowSymbol decodes a code longer than fastBits (or none: ok false); at least
// 16 bits must be valid.
func (b *scanBits) slowSymbol(t *huffTable) (sym byte, l uint, ok bool) {
	for l := uint(1); l <= 16; l++ {
		code := int32(b.acc >> (64 - l))
		if code <= t.maxcode[l] {
			i := t.valptr[l] + code - t.mincode[l]
			if i < 0 || int(i) >= len(t.vals) {
				return 0, 0, false
			}
			return t.vals[i], l, true
		}
	}
	return 0, 0, false
}

// restart discards the bits left before a restart marker and steps over it.
func (b *scanBits) restart() bool {
	b.acc, b.n, b.pad = 0, 0, 0
	for skipped := 0; b.marker == 0 && skipped < 1<<16; skipped++ {
		if !b.ensure(1) {
			return false
		}
		c := b.win[b.pos]
		b.pos++
		if c != 0xFF {
			continue
		}
		for {
			if !b.ensure(1) {
				return false
			}
			c2 := b.win[b.pos]
			b.pos++
			if c2 == 0xFF {
				continue
			}
			b.marker = c2 // 0 (stuffing) goes on looking
			break
		}
	}
	if b.marker < 0xD0 || b.marker > 0xD7 {
		return false
	}
	b.marker = 0
	return true
}

// skipAC steps over the AC coefficients of one block (t: its table), with the
// bits held in registers rather than in b while in the loop.
func (b *scanBits) skipAC(t *huffTable) bool {
	acc, n := b.acc, b.n
	for z := 1; z < 64; {
		if n < 32 {
			b.acc, b.n = acc, n
			b.refill()
			acc, n = b.acc, b.n
		}
		if m := t.multi[acc>>(64-multiBits)]; m != 0 {
			nz := z + int(m>>multiAdvShift&multiAdvMask)
			if m&multiEOB != 0 {
				if nz < 64 { // the coefficients, then EOB, within the block
					k := uint(m & multiBitsMask)
					acc <<= k
					n -= k
					break
				}
			} else if nz <= 64 {
				k := uint(m & multiBitsMask)
				acc <<= k
				n -= k
				z = nz
				continue
			}
		}
		e := t.fast[acc>>(64-fastBits)]
		if e == 0 {
			b.acc, b.n = acc, n
			rs, l, ok := b.slowSymbol(t)
			if !ok {
				return false
			}
			r, size := int(rs>>4), uint(rs&15)
			switch {
			case size == 0 && r == 15:
				z += 16
			case size == 0:
				z = 64
			default:
				z += r + 1
			}
			acc <<= l + size
			n -= l + size
			continue
		}
		k := uint(e & 0xFF)
		acc <<= k
		n -= k
		z += int(e >> 8)
	}
	b.acc, b.n = acc, n
	return true
}

// scanComp is one component of a scan, as the fast decoder walks it.
type scanComp struct {
	dc, ac *huffTable
	ci     int
	h, v   int
	pred   int32
}

// fastScan decodes one scan. It returns done when the luma DC plane is
// complete (in pl), and good false when the file is beyond this reader. For a
// baseline scan each AC coefficient is stepped over with one table look-up
// giving its code and magnitude bits together (see buildFast); only the luma
// DC values are computed. It gives the plane refScan (the decoder before it)
// gives, for every file refScan reads (TestFastScanEqualsReference).
func fastScan(br *bufio.Reader, seg []byte, comps []dcComponent, hmax, vmax, width, height int, progressive bool,
	restartIvl int, quant *[4][64]uint16, dcT, acT *[4]huffTable, pl *plane) (done, good bool) {
	if len(seg) < 1 {
		return false, false
	}
	ns := int(seg[0])
	if ns < 1 || ns > len(comps) || len(seg) < 1+2*ns+3 {
		return false, false
	}
	var sc []scanComp
	hasY := false
	for i := 0; i < ns; i++ {
		id := int(seg[1+2*i])
		ci := -1
		for k, c := range comps {
			if c.id == id {
				ci = k
			}
		}
		if ci < 0 {
			return false, false
		}
		hasY = hasY || ci == 0
		td, ta := int(seg[2+2*i]>>4), int(seg[2+2*i]&15)
		if td > 3 || ta > 3 {
			sc = append(sc, scanComp{ci: ci})
			continue
		}
		sc = append(sc, scanComp{dc: &dcT[td], ac: &acT[ta], ci: ci, h: comps[ci].h, v: comps[ci].v})
	}
	ss, se := int(seg[1+2*ns]), int(seg[2+2*ns])
	ah, al := int(seg[3+2*ns]>>4), int(seg[3+2*ns]&15)
	if progressive && (ss != 0 || ah != 0 || !hasY) {
		return false, true // not the first luma DC scan: skip it
	}
	if progressive && se != 0 {
		return false, false
	}
	if !progressive && !hasY {
		// A baseline scan without luma: its data must still be stepped over.
		return false, skipScan(br)
	}
	for _, s := range sc {
		if s.dc == nil || !s.dc.ok || (!progressive && !s.ac.ok) {
			return false, false
		}
	}
	if !progressive && (ss != 0 || se != 63 || ah != 0 || al != 0) {
		return false, false
	}

	y := comps[0]
	compW := (width*y.h + hmax - 1) / hmax
	compH := (height*y.v + vmax - 1) / vmax
	bw, bh := (compW+7)/8, (compH+7)/8 // luma blocks that hold picture
	mcux := (width + 8*hmax - 1) / (8 * hmax)
	mcuy := (height + 8*vmax - 1) / (8 * vmax)
	gw, gh := mcux*y.h, mcuy*y.v // luma blocks coded in an interleaved scan
	if ns == 1 {
		gw, gh = bw, bh
		sc[0].h, sc[0].v = 1, 1
	}
	if int64(width)*int64(height) > 1<<28 { // callers check the pixel limit first; this bounds the fuzz test
		return false, false
	}
	grid := make([]float32, gw*gh)
	q0 := float32(quant[y.tq][0])
	if q0 == 0 {
		return false, false
	}
	b := &scanBits{br: br}
	shift := uint(al)

	units := mcux * mcuy
	if ns == 1 { // a single-component scan (here: luma) codes its blocks one by one
		units = bw * bh
	}
	ux, uy := 0, 0 // the unit's column and row: of MCUs, or of blocks when ns == 1
	uw := mcux
	if ns == 1 {
		uw = bw
	}
	for u := 0; u < units; u++ {
		if b.overrun() {
			return false, false // the data ended early: damaged
		}
		if restartIvl > 0 && u > 0 && u%restartIvl == 0 {
			if !b.restart() {
				return false, false
			}
			for k := range sc {
				sc[k].pred = 0
			}
		}
		for k := range sc {
			s := &sc[k]
			luma := s.ci == 0
			for v := 0; v < s.v; v++ {
				for h := 0; h < s.h; h++ {
					// DC: the size, then its bits.
					if b.n < 32 {
						b.refill()
					}
					if luma {
						var size uint
						if e := s.dc.lut[b.acc>>(64-9)]; e&0xFF != 0 {
							b.skip(uint(e & 0xFF))
							size = uint(e >> 8)
						} else {
							sym, l, ok := b.slowSymbol(s.dc)
							if !ok {
								return false, false
							}
							b.skip(l)
							size = uint(sym)
						}
						if size > 16 {
							return false, false
						}
						if size > 0 {
							v := int32(b.acc >> (64 - size))
							if v < 1<<(size-1) {
								v += -1<<size + 1
							}
							b.skip(size)
							s.pred += v
						}
						bx, by := ux*s.h+h, uy*s.v+v
						if bx < gw && by < gh {
							grid[by*gw+bx] = float32(s.pred<<shift)*q0/8 + 128
						}
					} else if e := s.dc.fast[b.acc>>(64-fastBits)]; e != 0 {
						b.skip(uint(e & 0xFF))
					} else {
						sym, l, ok := b.slowSymbol(s.dc)
						if !ok || sym > 16 {
							return false, false
						}
						b.skip(l + uint(sym))
					}
					if progressive {
						continue
					}
					// AC: stepped over, a few coefficients a look-up.
					if !b.skipAC(s.ac) {
						return false, false
					}
				}
			}
		}
		if ux++; ux == uw {
			ux, uy = 0, uy+1
		}
	}
	if b.overrun() {
		return false, false
	}
	out := plane{bw, bh, make([]float32, bw*bh)}
	for yy := 0; yy < bh; yy++ {
		copy(out.px[yy*bw:(yy+1)*bw], grid[yy*gw:yy*gw+bw])
	}
	*pl = out.shrink(planeMax)
	return true, true
}

// shrink area-averages the plane to at most m×m.
func (p plane) shrink(m int) plane {
	if p.w <= m && p.h <= m {
		return p
	}
	pw, ph := min(p.w, m), min(p.h, m)
	sum := make([]float32, pw*ph)
	cnt := make([]float32, pw*ph)
	for y := 0; y < p.h; y++ {
		row := (y * ph / p.h) * pw
		for x := 0; x < p.w; x++ {
			i := row + x*pw/p.w
			sum[i] += p.px[y*p.w+x]
			cnt[i]++
		}
	}
	for i := range sum {
		sum[i] /= cnt[i]
	}
	return plane{pw, ph, sum}
}
