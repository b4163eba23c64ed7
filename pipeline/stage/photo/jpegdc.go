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
// AC coefficients still have to be Huffman-decoded to find the next block, but
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

// bitReader reads entropy-coded data: 0xFF00 is a data byte 0xFF; any other
// marker stops the data, after which zeros are read.
type bitReader struct {
	r      *bufio.Reader
	acc    uint64
	n      uint
	marker byte // the marker that ended the data, 0 while in data
	pad    uint // zero bits added after the marker (the last pad bits of acc)
}

// overrun reports whether bits beyond the end of the data were used.
func (b *bitReader) overrun() bool { return b.pad > b.n }

func (b *bitReader) fill() {
	for b.n <= 56 {
		if b.marker != 0 {
			b.acc <<= 8
			b.n += 8
			b.pad += 8
			continue
		}
		c, err := b.r.ReadByte()
		if err != nil {
			b.marker = 0xD9
			continue
		}
		if c == 0xFF {
			c2, err := b.r.ReadByte()
			for err == nil && c2 == 0xFF {
				c2, err = b.r.ReadByte()
			}
			if err != nil {
				b.marker = 0xD9
				continue
			}
			if c2 != 0 {
				b.marker = c2
				continue
			}
		}
		b.acc = b.acc<<8 | uint64(c)
		b.n += 8
	}
}

func (b *bitReader) bits(s uint) int32 {
	if s == 0 {
		return 0
	}
	if b.n < s {
		b.fill()
	}
	v := int32(b.acc>>(b.n-s)) & (1<<s - 1)
	b.n -= s
	return v
}

// receiveExtend reads s bits as a signed coefficient (JPEG F.2.2.1).
func (b *bitReader) receiveExtend(s uint) int32 {
	v := b.bits(s)
	if s > 0 && v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

func (b *bitReader) decode(t *huffTable) (byte, bool) {
	if b.n < 16 {
		b.fill()
	}
	e := t.lut[(b.acc>>(b.n-9))&0x1FF]
	if l := uint(e & 0xFF); l > 0 {
		b.n -= l
		return byte(e >> 8), true
	}
	for l := uint(10); l <= 16; l++ {
		code := int32(b.acc>>(b.n-l)) & (1<<l - 1)
		if code <= t.maxcode[l] {
			b.n -= l
			i := t.valptr[l] + code - t.mincode[l]
			if i < 0 || int(i) >= len(t.vals) {
				return 0, false
			}
			return t.vals[i], true
		}
	}
	return 0, false
}

// restart discards the bits left before a restart marker and steps over it.
func (b *bitReader) restart() bool {
	b.acc, b.n, b.pad = 0, 0, 0
	if b.marker == 0 {
		for skipped := 0; skipped < 1<<16; skipped++ {
			c, err := b.r.ReadByte()
			if err != nil {
				return false
			}
			if c != 0xFF {
				continue
			}
			c2, err := b.r.ReadByte()
			for err == nil && c2 == 0xFF {
				c2, err = b.r.ReadByte()
			}
			if err != nil {
				return false
			}
			if c2 != 0 {
				b.marker = c2
				break
			}
		}
	}
	if b.marker < 0xD0 || b.marker > 0xD7 {
		return false
	}
	b.marker = 0
	return true
}

type dcComponent struct {
	id, h, v, tq int
}

// dcPlane decodes the luma DC coefficients of the JPEG in r into a grey plane
// at 1/8 scale (area-averaged further to at most planeMax). ok is false when
// the file is not a JPEG this reader handles; the caller then decodes it fully.
func dcPlane(r io.ReaderAt, size int64) (pl plane, ok bool) {
	defer func() {
		if recover() != nil {
			pl, ok = plane{}, false
		}
	}()
	return dcDecode(r, size)
}

// dcDecode is dcPlane without the guard against panics (which the fuzz test
// wants to see).
func dcDecode(r io.ReaderAt, size int64) (pl plane, ok bool) {
	br := bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10)
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
			done, good := dcScan(br, seg, comps, hmax, vmax, width, height, progressive, restartIvl, &quant, &dc, &ac, &pl)
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

// dcScan decodes one scan. It returns done when the luma DC plane is complete
// (in pl), and good false when the file is beyond this reader.
func dcScan(br *bufio.Reader, seg []byte, comps []dcComponent, hmax, vmax, width, height int, progressive bool,
	restartIvl int, quant *[4][64]uint16, dcT, acT *[4]huffTable, pl *plane) (done, good bool) {
	if len(seg) < 1 {
		return false, false
	}
	ns := int(seg[0])
	if ns < 1 || ns > len(comps) || len(seg) < 1+2*ns+3 {
		return false, false
	}
	type scomp struct {
		ci     int
		td, ta int
	}
	var sc []scomp
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
		sc = append(sc, scomp{ci, int(seg[2+2*i] >> 4), int(seg[2+2*i] & 15)})
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
		if s.td > 3 || s.ta > 3 || !dcT[s.td].ok || (!progressive && !acT[s.ta].ok) {
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
	}
	if int64(width)*int64(height) > 1<<28 { // callers check the pixel limit first; this bounds the fuzz test
		return false, false
	}
	grid := make([]float32, gw*gh)
	q0 := float32(quant[y.tq][0])
	if q0 == 0 {
		return false, false
	}
	bits := &bitReader{r: br}
	preds := make([]int32, ns)

	// readBlock decodes one block of scan component k; for luma it stores the
	// block's mean at (bx, by).
	readBlock := func(k, bx, by int) bool {
		s := &sc[k]
		t, ok := bits.decode(&dcT[s.td])
		if !ok || t > 16 {
			return false
		}
		preds[k] += bits.receiveExtend(uint(t))
		if !progressive {
			for z := 1; z < 64; z++ {
				rs, ok := bits.decode(&acT[s.ta])
				if !ok {
					return false
				}
				r, size := int(rs>>4), uint(rs&15)
				if size == 0 {
					if r != 15 {
						break
					}
					z += 15
					continue
				}
				z += r
				bits.bits(size)
			}
		}
		if s.ci == 0 && bx < gw && by < gh {
			grid[by*gw+bx] = float32(preds[k]<<uint(al))*q0/8 + 128
		}
		return true
	}

	units := mcux * mcuy
	if ns == 1 { // a single-component scan (here: luma) codes its blocks one by one
		units = bw * bh
	}
	for u := 0; u < units; u++ {
		if bits.overrun() {
			return false, false // the data ended early: damaged
		}
		if restartIvl > 0 && u > 0 && u%restartIvl == 0 {
			if !bits.restart() {
				return false, false
			}
			clear(preds)
		}
		if ns == 1 {
			if !readBlock(0, u%bw, u/bw) {
				return false, false
			}
			continue
		}
		mx, my := u%mcux, u/mcux
		for k := range sc {
			c := comps[sc[k].ci]
			for v := 0; v < c.v; v++ {
				for h := 0; h < c.h; h++ {
					if !readBlock(k, mx*c.h+h, my*c.v+v) {
						return false, false
					}
				}
			}
		}
	}
	if bits.overrun() {
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
