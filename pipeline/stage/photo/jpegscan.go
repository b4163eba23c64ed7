package photo

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"sync"
)

// The entropy-coded data of the scan holding the luma DC coefficients, read as
// fast as the reduced decode allows: first freed of its byte stuffing (0xFF00
// → 0xFF, found with bytes.IndexByte) into a buffer, from which the next bits
// are taken seven bytes at a time without looking at them; then each block's
// DC coefficient is read with one look-up and its AC coefficients stepped over
// one to four at a time, each look-up over the next 12 bits giving the bits
// they take and how far they advance in the block (see buildAC). Only the luma
// DC values are computed.

// fastBits is the width of the lookahead that identifies a DC code in one
// table look-up (codes longer than that, rare, are found through maxcode).
const fastBits = 10

// buildFast fills t.fast (a DC table) from the decoding tables: for each code
// of up to fastBits bits, the size it gives (the number of magnitude bits
// after it) and the bits the whole coefficient takes, code and magnitude.
func (t *huffTable) buildFast() {
	t.fast = [1 << fastBits]uint16{}
	k := 0
	for l := 1; l <= 16; l++ {
		if t.maxcode[l] < 0 {
			continue
		}
		for c := t.mincode[l]; c <= t.maxcode[l]; c++ {
			size := int(t.vals[k]) // a DC symbol is the size alone (up to 16, checked when read)
			k++
			if l > fastBits || size > 16 {
				continue // left to the slow path (which refuses a size over 16)
			}
			e := uint16(size)<<8 | uint16(l+size)
			first := int(c) << (fastBits - l)
			for j := 0; j < 1<<(fastBits-l); j++ {
				t.fast[first+j] = e
			}
		}
	}
}

// acBits is the width of the lookahead that steps over AC coefficients.
const acBits = 12

// Fields of an acTab entry (0: the next code is longer than acBits, see
// slowCode): two steps of the same layout, all the entry's coefficients (bits
// 0–11) and the first alone (bits 12–23), each the bits it takes (code and
// magnitude bits, 5 bits) and how far it advances in the block (7 bits: run+1,
// 16 for ZRL, 64 when it ends with EOB); and a check (bits 25–31): the
// coefficients are taken whole when z+check ≤ 64 (z the position in the block
// before them), else only the first. The check is 0 for one coefficient, else
// their advance (+1 when they end with EOB: it must be within the block).
const (
	acBitsMask   = 0x1F
	acAdvShift   = 5
	acAdvMask    = 0x7F
	acFirstShift = 12
	acCheckShift = 25
)

// buildAC fills t.acTab (an AC table) from the decoding tables: for each value
// of the next acBits bits, the whole AC coefficients (code and magnitude bits)
// that lie within them, up to an EOB, as the acTab fields say. A noisy 12 MP
// photo's coefficients take five bits on average: one look-up steps over two
// or three. A coefficient whose magnitude bits reach beyond acBits is an entry
// of its own (up to 27 bits).
func (t *huffTable) buildAC() {
	var single [1 << acBits]uint16 // the first coefficient: advance<<8 | bits; 0: a longer code
	k := 0
	for l := 1; l <= 16; l++ {
		if t.maxcode[l] < 0 {
			continue
		}
		for c := t.mincode[l]; c <= t.maxcode[l]; c++ {
			rs := t.vals[k]
			k++
			if l > acBits {
				continue
			}
			size, adv := int(rs&15), 0
			switch r := int(rs >> 4); {
			case size == 0 && r == 15:
				adv = 16
			case size == 0: // EOB (a run without a size is taken as one too)
				adv = 64
			default:
				adv = r + 1
			}
			e := uint16(adv)<<8 | uint16(l+size)
			first := int(c) << (acBits - l)
			for j := 0; j < 1<<(acBits-l); j++ {
				single[first+j] = e
			}
		}
	}
	for v := range t.acTab {
		s := single[v]
		if s == 0 {
			t.acTab[v], t.acLen[v] = 0, 0
			continue
		}
		fb, fa := uint32(s&0xFF), uint32(s>>8)
		bits, adv, check := fb, fa, uint32(0)
		if fa < 64 {
			total, sum, count, eob := fb, fa, 1, false
			for total < acBits {
				s2 := single[(v<<total)&(1<<acBits-1)]
				b2, a2 := uint32(s2&0xFF), uint32(s2>>8)
				if s2 == 0 || b2 > acBits-total {
					break // the next coefficient is not whole within the bits
				}
				if a2 == 64 {
					total, eob = total+b2, true
					count++
					break
				}
				if sum+a2 > 64 {
					break
				}
				total, sum = total+b2, sum+a2
				count++
			}
			if count > 1 {
				bits, adv, check = total, sum, sum
				if eob {
					adv, check = 64, sum+1
				}
			}
		}
		t.acTab[v] = bits | adv<<acAdvShift | (fb|fa<<acAdvShift)<<acFirstShift | check<<acCheckShift
		t.acLen[v] = uint8(bits)
	}
}

// slowCode decodes a code longer than the look-up tables' (or none: ok false)
// from the bits of acc (at least 16 valid), trying lengths from from on (the
// table holds every shorter code).
func slowCode(t *huffTable, acc uint64, from uint) (sym byte, l uint, ok bool) {
	for l := from; l <= 16; l++ {
		code := int32(acc >> (64 - l))
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

// The buffer of destuffed data: filled up to scanFill bytes at a time, and
// after the end of the data followed by scanPad zero bytes, more than a block
// can take, so that a block is decoded without looking where the data ends
// (see scanBits.ready).
const (
	scanFill = 32 << 10
	scanPad  = unitMaxBytes
	scanBuf  = 1 << 16 // a power of two above scanFill+scanPad: indices masked by scanBuf−1 need no bounds check
)

// blockMaxBytes bounds the bytes one block takes: a DC code and its bits (32
// bits), 63 coefficients of at most 31 bits and an EOB, and the 8 bytes a
// refill loads ahead; unitMaxBytes those of a unit (at most 4 components of
// at most 4×4 blocks).
const (
	blockMaxBytes = (32+63*31+16)/8 + 1 + 8
	unitMaxBytes  = 64 * blockMaxBytes
)

// scanBufs keeps the buffers of destuffed data from one scan to the next. A
// buffer's old bytes are never read: a unit is decoded only from bytes
// destuffed for it, or the zeros cleared after the data's end.
var scanBufs = sync.Pool{New: func() any { return new([scanBuf + 8]byte) }}

// scanBits reads entropy-coded data, destuffed from a bufio.Reader into data
// (see more); the next bits are kept left-aligned in a 64-bit word refilled
// seven bytes at a time (see decodeBlock).
type scanBits struct {
	br     *bufio.Reader
	data   *[scanBuf + 8]byte // destuffed bytes: data[pos:filled] not yet loaded into acc
	pos    int
	filled int
	acc    uint64 // the next bit is bit 63; bits below the n valid ones are the next bytes'
	n      uint   // valid bits in acc (at most 63)
	marker byte   // the marker that ended the data (0xD9 for the end of the file), 0 until met
}

// more destuffs data from br after the bytes not yet loaded, until scanFill
// bytes are buffered or the marker that ends the data is met (and consumed):
// 0xFF00 is a data byte 0xFF, 0xFF bytes before a marker are fill. After the
// marker come scanPad zero bytes: what a decoder reads past the end.
func (b *scanBits) more() {
	if b.marker != 0 {
		return
	}
	if b.pos > 0 {
		b.filled = copy(b.data[:], b.data[b.pos:b.filled])
		b.pos = 0
	}
	for b.marker == 0 && b.filled < scanFill {
		if _, err := b.br.Peek(1); err != nil {
			b.marker = 0xD9
			break
		}
		win, _ := b.br.Peek(b.br.Buffered())
		win = win[:min(len(win), scanFill-b.filled)]
		i := bytes.IndexByte(win, 0xFF)
		if i < 0 {
			b.filled += copy(b.data[b.filled:], win)
			b.br.Discard(len(win))
			continue
		}
		b.filled += copy(b.data[b.filled:], win[:i])
		b.br.Discard(i + 1)
		for { // what follows the 0xFF: fill bytes, a stuffed zero, or a marker
			c, err := b.br.ReadByte()
			if err != nil {
				b.marker = 0xD9
			} else if c == 0xFF {
				continue
			} else if c != 0 {
				b.marker = c
			} else {
				b.data[b.filled] = 0xFF
				b.filled++
			}
			break
		}
	}
	if b.marker != 0 {
		clear(b.data[b.filled : b.filled+scanPad])
	}
}

// ready prepares the buffer for a unit: at least need bytes ahead (at most
// unitMaxBytes), data or the zeros after its end. It reports false when bits
// beyond the end of the data were used (the data ended early: damaged).
func (b *scanBits) ready(need int) bool {
	if b.filled-b.pos < need {
		b.more()
	}
	return b.marker == 0 || 8*b.pos-int(b.n) <= 8*b.filled
}

// restart discards the bits left before a restart marker and steps over it.
func (b *scanBits) restart() bool {
	b.acc, b.n = 0, 0
	for skipped := 0; b.marker == 0; {
		skipped += b.filled - b.pos
		b.pos = b.filled
		if skipped > 1<<16 {
			return false
		}
		b.more()
	}
	if b.marker < 0xD0 || b.marker > 0xD7 {
		return false
	}
	b.marker, b.pos, b.filled = 0, 0, 0
	return true
}

// acStep is what the acTab entry e steps over at position z of a block: its
// bits and its advance, of all its coefficients when they lie within the
// block (the bits then k, its acLen: read apart from e, the next look-up
// waits one operation less), else of the first.
func acStep(e, z uint32, k uint8) (bits uint, adv uint32) {
	if z+e>>acCheckShift > 64 {
		return uint(e >> acFirstShift & acBitsMask), e >> (acFirstShift + acAdvShift) & acAdvMask
	}
	return uint(k), e >> acAdvShift & acAdvMask
}

// decodeUnits decodes the units of a scan from b (see fastScan): each block's
// DC difference (table dc) added to its component's predictor, the luma ones
// stored in grid (dequantised: q0, the point transform shift), and, for a
// baseline scan, its AC coefficients stepped over. The bits, the position in
// the data and the predictors stay in locals from one block to the next; the
// buffer is made ready once per unit (unitMaxBytes ahead). uw is the units
// across, lh the luma blocks across a unit, rowStep the grid index from one
// row of units to the next. It returns false on damaged data (a code in
// neither table, the data ended early, a missing restart marker).
func decodeUnits(b *scanBits, blocks []scanBlock, units, uw, lh, rowStep, restartIvl int, grid []float32, q0 float32, shift uint) bool {
	data := b.data
	need := len(blocks) * blockMaxBytes
	var preds [4]int32
	acc, n, p := b.acc, b.n, uint(b.pos)
	base, ux, rowBase := 0, 0, 0 // the grid index of the unit's first luma block; the unit's column; its row's first
	left := restartIvl           // units before the next restart marker
	for u := 0; u < units; u++ {
		if restartIvl > 0 {
			if left == 0 {
				b.acc, b.n, b.pos = acc, n, int(p)
				if !b.ready(need) || !b.restart() {
					return false
				}
				acc, n, p = b.acc, b.n, uint(b.pos)
				preds = [4]int32{}
				left = restartIvl
			}
			left--
		}
		if b.filled-int(p) < need || b.marker != 0 {
			b.acc, b.n, b.pos = acc, n, int(p)
			if !b.ready(need) {
				return false // the data ended early: damaged
			}
			p = uint(b.pos)
		}
		for i := range blocks {
			blk := &blocks[i]
			dc := blk.dc
			acc |= binary.BigEndian.Uint64(data[p&(scanBuf-1):]) >> (n & 63)
			p += (63 - n) >> 3
			n |= 56
			var tot, size uint
			if e := dc.fast[acc>>(64-fastBits)]; e != 0 {
				tot, size = uint(e&0xFF), uint(e>>8)
			} else {
				sym, l, ok := slowCode(dc, acc, 1)
				if !ok || sym > 16 {
					return false
				}
				tot, size = l+uint(sym), uint(sym)
			}
			// The size bits after the code, as a signed value (JPEG F.2.2.1),
			// without a branch: its sign is as random as the picture. A size
			// of 0 gives 0.
			v := int32(acc>>((64-tot)&63)) & (1<<size - 1)
			diff := v + (v-1<<(size-1))>>31&(-1<<size+1)
			acc <<= tot & 63
			n -= tot
			pr := &preds[blk.comp&3]
			*pr += diff
			if blk.luma {
				grid[base+blk.off] = float32(*pr<<shift)*q0/8 + 128
			}
			ac := blk.ac
			if ac == nil {
				continue
			}
			tab, kt := &ac.acTab, &ac.acLen
			for z := uint32(1); z < 64; {
				acc |= binary.BigEndian.Uint64(data[p&(scanBuf-1):]) >> (n & 63)
				p += (63 - n) >> 3
				n |= 56
				// Up to two steps a refill: one takes at most 27 bits of the 56.
				i := acc >> (64 - acBits)
				e := tab[i]
				if e == 0 {
					rs, l, ok := slowCode(ac, acc, acBits+1)
					if !ok {
						return false
					}
					r, size := uint32(rs>>4), uint(rs&15)
					switch {
					case size == 0 && r == 15:
						z += 16
					case size == 0:
						z = 64
					default:
						z += r + 1
					}
					acc <<= (l + size) & 63
					n -= l + size
					continue
				}
				k, adv := acStep(e, z, kt[i])
				acc <<= k & 63
				n -= k
				if z += adv; z >= 64 {
					break
				}
				if i = acc >> (64 - acBits); tab[i] == 0 {
					continue // at the top, after a refill
				}
				k, adv = acStep(tab[i], z, kt[i])
				acc <<= k & 63
				n -= k
				if z += adv; z >= 64 || n < 27 {
					continue // a third step needs 27 bits
				}
				if i = acc >> (64 - acBits); tab[i] == 0 {
					continue
				}
				k, adv = acStep(tab[i], z, kt[i])
				acc <<= k & 63
				n -= k
				z += adv
			}
		}
		if ux++; ux == uw {
			ux, rowBase = 0, rowBase+rowStep
			base = rowBase
		} else {
			base += lh
		}
	}
	b.acc, b.n, b.pos = acc, n, int(p)
	return true
}

// scanComp is one component of a scan, as the fast decoder walks it.
type scanComp struct {
	dc, ac *huffTable
	ci     int
	h, v   int
}

// scanBlock is one block of a unit (an MCU, or a block when the scan has one
// component), in the order the data codes them.
type scanBlock struct {
	dc, ac *huffTable // ac nil: a progressive scan's DC alone
	comp   int        // the scan component (its DC predictor)
	luma   bool       // the frame's first component: its DC is kept
	off    int        // the block's place in the grid from the unit's first luma block
}

// fastScan decodes one scan. It returns done when the luma DC plane is
// complete (in pl), and good false when the file is beyond this reader. It
// gives the plane refScan (the decoder before it) gives, for every file
// refScan reads, and refuses what refScan refuses (TestFastScanEqualsReference).
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
	units, uw := mcux*mcuy, mcux
	lh, lv := y.h, y.v // luma blocks across and down a unit
	if ns == 1 {       // a single-component scan (here: luma) codes its blocks one by one
		gw, gh = bw, bh
		sc[0].h, sc[0].v = 1, 1
		units, uw = bw*bh, bw
		lh, lv = 1, 1
	}
	if int64(width)*int64(height) > 1<<28 { // callers check the pixel limit first; this bounds the fuzz test
		return false, false
	}
	var blocks []scanBlock
	for k, s := range sc {
		for v := 0; v < s.v; v++ {
			for h := 0; h < s.h; h++ {
				blk := scanBlock{dc: s.dc, ac: s.ac, comp: k & 3, luma: s.ci == 0, off: v*gw + h}
				if progressive {
					blk.ac = nil
				}
				blocks = append(blocks, blk)
			}
		}
	}
	grid := make([]float32, gw*gh)
	q0 := float32(quant[y.tq][0])
	if q0 == 0 {
		return false, false
	}
	shift := uint(al) & 31
	data := scanBufs.Get().(*[scanBuf + 8]byte)
	defer scanBufs.Put(data)
	b := &scanBits{br: br, data: data}
	if !decodeUnits(b, blocks, units, uw, lh, lv*gw, restartIvl, grid, q0, shift) {
		return false, false
	}
	if !b.ready(blockMaxBytes) {
		return false, false
	}
	out := plane{bw, bh, grid[:bw*bh]} // the grid's rows are the plane's when it has no padding blocks across
	if gw != bw {
		out.px = make([]float32, bw*bh)
		for yy := 0; yy < bh; yy++ {
			copy(out.px[yy*bw:(yy+1)*bw], grid[yy*gw:yy*gw+bw])
		}
	}
	*pl = out.shrink(planeMax)
	return true, true
}
