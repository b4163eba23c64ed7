package photo

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// The DC reader's entropy decoding as it was before fastScan: one Huffman
// symbol at a time through a 9-bit table, every AC coefficient's magnitude
// read, bytes taken one by one from a bufio.Reader. Kept only for tests.

// refBitReader reads entropy-coded data: 0xFF00 is a data byte 0xFF; any other
// marker stops the data, after which zeros are read.
type refBitReader struct {
	r      *bufio.Reader
	acc    uint64
	n      uint
	marker byte // the marker that ended the data, 0 while in data
	pad    uint // zero bits added after the marker (the last pad bits of acc)
}

// overrun reports whether bits beyond the end of the data were used.
func (b *refBitReader) overrun() bool { return b.pad > b.n }

func (b *refBitReader) fill() {
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

func (b *refBitReader) bits(s uint) int32 {
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
func (b *refBitReader) receiveExtend(s uint) int32 {
	v := b.bits(s)
	if s > 0 && v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

func (b *refBitReader) decode(t *huffTable) (byte, bool) {
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
func (b *refBitReader) restart() bool {
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

// refScan is the scan decoder before fastScan, kept as the reference the fast
// one is held to (TestFastScanEqualsReference): it decodes one scan. It returns done when the luma DC plane is complete
// (in pl), and good false when the file is beyond this reader.
func refScan(br *bufio.Reader, seg []byte, comps []dcComponent, hmax, vmax, width, height int, progressive bool,
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
	bits := &refBitReader{r: br}
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

// TestFastScanEqualsReference: the fast scan decoder gives, sample for sample,
// the plane the reference decoder (refScan, the one before it) gives, and
// accepts exactly the files it accepts: every realworld JPEG (baseline and
// progressive, each subsampling, with and without restart intervals) and
// generated ones — 12 MP-like noisy photos, small and odd sizes, grey,
// heavy and light quantisation — each also cut short at a few places.
func TestFastScanEqualsReference(t *testing.T) {
	files := dcTestFiles(t)
	for i, q := range []int{20, 50, 75, 92, 100} {
		img := scene(int64(60+i), 1024+8*i+i, 768+5*i)
		r := rand.New(rand.NewSource(int64(i)))
		for k := 0; k < len(img.Pix); k += 4 { // sensor-like noise: long codes and large magnitudes
			n := (r.Float64() + r.Float64() - 1) * float64(4*i)
			for c := 0; c < 3; c++ {
				img.Pix[k+c] = clamp(float64(img.Pix[k+c]) + n)
			}
		}
		files[fmt.Sprintf("generated q%d", q)] = encodeJPEG(t, img, q)
		g := image.NewGray(image.Rect(0, 0, 777+i, 1001))
		for p := range g.Pix {
			g.Pix[p] = uint8(r.Intn(256))
		}
		files[fmt.Sprintf("generated grey noise q%d", q)] = encodeJPEG(t, g, q)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	same, refused := 0, 0
	for _, name := range names {
		data := files[name]
		for _, cut := range []int{len(data), len(data) * 3 / 4, len(data) / 2} {
			d := data[:cut]
			want, wok := dcDecodeWith(bytes.NewReader(d), refScan)
			got, gok := dcDecodeWith(bytes.NewReader(d), fastScan)
			if wok != gok {
				t.Errorf("%s (%d of %d bytes): reference accepts %v, fast %v", name, cut, len(data), wok, gok)
				continue
			}
			if !wok {
				refused++
				continue
			}
			if got.w != want.w || got.h != want.h || !slices.Equal(got.px, want.px) {
				t.Errorf("%s (%d of %d bytes): fast plane %d×%d differs from the reference's %d×%d", name, cut, len(data), got.w, got.h, want.w, want.h)
				continue
			}
			same++
		}
	}
	t.Logf("%d planes equal, %d files refused by both", same, refused)
	// With ../shared/realworld (112 JPEGs) well over a hundred planes are
	// compared; a clone without it still compares the generated ones.
	least := 10
	if dirExists(filepath.Join(realworld, "photos/metadata-extractor-images/jpg")) {
		least = 100
	}
	if same < least {
		t.Errorf("only %d planes compared, want at least %d", same, least)
	}
}

// BenchmarkScan12MP: the fast scan decoder against the reference on a noisy
// 4000×3000 JPEG of quality 92.
func BenchmarkScan12MP(b *testing.B) {
	paths := benchFiles(b)
	data, err := os.ReadFile(paths[0])
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct {
		name string
		scan scanFunc
	}{{"fast", fastScan}, {"reference", refScan}} {
		b.Run(s.name, func(b *testing.B) {
			cpu0 := cpuSeconds()
			for b.Loop() {
				if _, ok := dcDecodeWith(bytes.NewReader(data), s.scan); !ok {
					b.Fatal("refused")
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "photos/s")
			b.ReportMetric(float64(b.N)/(cpuSeconds()-cpu0), "photos/cpu-s")
		})
	}
}
