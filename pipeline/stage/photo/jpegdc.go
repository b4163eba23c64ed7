package photo

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"sync"
)

// A reduced JPEG decode for the perceptual hash. The DC coefficient of each 8×8
// block is eight times the block's mean, so the luma DC coefficients alone are
// the picture at 1/8 scale — more than the hash needs. For a baseline JPEG the
// AC coefficients still have to be stepped over to find the next block: a
// table look-up over the next 12 bits gives the bits of one to four whole
// coefficients at once, their values never computed (see fastScan, over data
// first freed of its 0xFF00 stuffing so that bits are taken 7 bytes at a
// time without looking at them), and
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
	fast    [1 << fastBits]uint16 // DC: next fastBits bits → size<<8 | bits taken (0: longer code); see buildFast
	acTab   [1 << acBits]uint32   // AC: next acBits bits → whole coefficients to step over; see buildAC
	acLen   [1 << acBits]uint8    // the bits of acTab's entry (its bits 0–4), looked up apart
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

// dcState is what a reduced decode reads with besides the picture: the reader
// and the Huffman tables (220 KB), kept from one decode to the next in
// dcStates rather than allocated and cleared for every photo.
type dcState struct {
	br     *bufio.Reader
	dc, ac [4]huffTable
}

var dcStates = sync.Pool{New: func() any { return &dcState{br: bufio.NewReaderSize(nil, 64<<10)} }}

// dcDecodeWith reads the markers of the JPEG in src and decodes the scan that
// holds the luma DC coefficients with scan.
func dcDecodeWith(src io.Reader, scan scanFunc) (pl plane, ok bool) {
	st := dcStates.Get().(*dcState)
	defer dcStates.Put(st)
	st.br.Reset(src)
	defer st.br.Reset(nil)
	for i := range st.dc { // a table is defined by this file's DHT before it is used (each is built afresh)
		st.dc[i].ok, st.ac[i].ok = false, false
	}
	br, dc, ac := st.br, &st.dc, &st.ac
	var (
		quant       [4][64]uint16
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
				if class == 1 {
					t.buildAC()
				} else {
					t.buildFast()
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
			done, good := scan(br, seg, comps, hmax, vmax, width, height, progressive, restartIvl, &quant, dc, ac, &pl)
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
