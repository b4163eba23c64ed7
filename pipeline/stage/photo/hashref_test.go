package photo

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// The perceptual hashes' sampling and DCT as they were before they were made
// faster: kept only for tests, which hold the fast ones to the same bits (the
// hashes are cached in the ledger under HashAlgorithm, so they must not move).

// refCutSamples is cutSamples as it was before it was made faster, kept as
// the reference the fast one is held to, bit for bit: it box-filters each cut (fractions x0, y0, x1, y1) of the plane to
// n×n, as sample does, through running sums: the mean over [lo, hi) of a row
// is the difference of its running sum, linear within a sample, at hi and lo,
// over hi−lo. Cuts with the same x span share the horizontal pass.
func (p plane) refCutSamples(cuts [][4]float64, n int) []*image.Gray {
	cum := make([]float64, p.h*(p.w+1)) // per row, the sum of the samples before x
	for y := 0; y < p.h; y++ {
		row, c := p.px[y*p.w:(y+1)*p.w], cum[y*(p.w+1):(y+1)*(p.w+1)]
		for x, v := range row {
			c[x+1] = c[x] + float64(v)
		}
	}
	type pass struct {
		cols []float64 // the horizontal pass, then its running sums down each of the n columns: (p.h+1)×n
	}
	passes := map[[2]float64]*pass{}
	out := make([]*image.Gray, len(cuts))
	for ci, c := range cuts {
		key := [2]float64{c[0], c[2]}
		ps := passes[key]
		if ps == nil {
			at, frac := runningPoints(c[0]*float64(p.w), c[2]*float64(p.w), n, p.w)
			ps = &pass{cols: make([]float64, (p.h+1)*n)}
			for y := 0; y < p.h; y++ {
				row, rc := p.px[y*p.w:(y+1)*p.w], cum[y*(p.w+1):(y+1)*(p.w+1)]
				prev := rc[at[0]] + frac[0]*float64(row[min(at[0], p.w-1)])
				for i := 0; i < n; i++ {
					next := rc[at[i+1]] + frac[i+1]*float64(row[min(at[i+1], p.w-1)])
					ps.cols[(y+1)*n+i] = ps.cols[y*n+i] + (next-prev)/(c[2]-c[0])/float64(p.w)*float64(n)
					prev = next
				}
			}
			passes[key] = ps
		}
		at, frac := runningPoints(c[1]*float64(p.h), c[3]*float64(p.h), n, p.h)
		g := image.NewGray(image.Rect(0, 0, n, n))
		span := (c[3] - c[1]) * float64(p.h) / float64(n)
		for j := 0; j < n; j++ {
			lo, hi := at[j], at[j+1]
			for i := 0; i < n; i++ {
				a := ps.cols[lo*n+i] + frac[j]*(ps.cols[min(lo+1, p.h)*n+i]-ps.cols[lo*n+i])
				b := ps.cols[hi*n+i] + frac[j+1]*(ps.cols[min(hi+1, p.h)*n+i]-ps.cols[hi*n+i])
				g.Pix[j*n+i] = uint8(math.Max(0, math.Min(255, (b-a)/span+0.5)))
			}
		}
		out[ci] = g
	}
	return out
}

// refDctCoefs is dctCoefs as it was before (one sum at a time), kept as the
// reference: the unscaled DCT-II of a 64×64 grey picture at its 8×8 lowest
// frequencies: coefficient v*8+u has horizontal frequency u, vertical v.
func refDctCoefs(g *image.Gray) (coef [64]float64) {
	var rows [hashSide][8]float64 // per picture row, the 8 horizontal frequencies
	for y := 0; y < hashSide; y++ {
		px := g.Pix[y*g.Stride : y*g.Stride+hashSide]
		for u := 0; u < 8; u++ {
			s := 0.0
			for x, v := range px {
				s += float64(v) * dctCos[u][x]
			}
			rows[y][u] = s
		}
	}
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for y := 0; y < hashSide; y++ {
				s += rows[y][u] * dctCos[v][y]
			}
			coef[v*8+u] = s
		}
	}
	return coef
}

// hashTestPlanes are planes of every kind the hashes see: DC planes of
// generated and realworld JPEGs (sums of quarter levels), decoded small
// pictures, random planes, flat planes of half levels (where a rounding
// difference would move a sample across .5), odd and tiny sizes, and the
// same planes turned.
func hashTestPlanes(t *testing.T) map[string]plane {
	t.Helper()
	planes := map[string]plane{}
	r := rand.New(rand.NewSource(16))
	for _, size := range [][2]int{{500, 375}, {512, 384}, {97, 131}, {64, 64}, {40, 30}, {7, 5}, {1, 1}, {300, 1}} {
		w, h := size[0], size[1]
		noise := plane{w, h, make([]float32, w*h)}
		flat := plane{w, h, make([]float32, w*h)}
		steps := plane{w, h, make([]float32, w*h)}
		for i := range noise.px {
			noise.px[i] = float32(r.Intn(256*4)) / 4
			flat.px[i] = 127.5
			steps.px[i] = float32(((i%w)*3/w)*64) + 0.5
		}
		planes[fmt.Sprintf("noise %d×%d", w, h)] = noise
		planes[fmt.Sprintf("flat 127.5 %d×%d", w, h)] = flat
		planes[fmt.Sprintf("steps %d×%d", w, h)] = steps
		if w > 1 && h > 1 {
			planes[fmt.Sprintf("scene %d×%d", w, h)] = planeOf(scene(int64(w*h), w, h))
		}
	}
	for name, data := range dcTestFiles(t) {
		if pl, ok := dcPlane(bytes.NewReader(data), int64(len(data))); ok {
			planes["dc "+name] = pl
		}
	}
	if paths, _ := filepath.Glob(filepath.Join(realworld, "photos/metadata-extractor-images/jpg/*.jpg")); len(paths) > 0 {
		for _, p := range paths[:min(len(paths), 30)] {
			if pl, err := loadPlane(p, 100e6); err == nil {
				planes["plane "+filepath.Base(p)] = pl
			}
		}
	}
	names := make([]string, 0, len(planes))
	for name := range planes {
		names = append(names, name)
	}
	for _, name := range names {
		planes[name+" turned 6"] = planes[name].orient(6)
	}
	return planes
}

// TestCutSamplesEqualReference: the fast cutSamples and dctCoefs give, bit
// for bit, what the reference ones give — the 64×64 samples of every cut
// (and a few odd cuts), the 64 DCT coefficients of each, and so every hash —
// on every plane of hashTestPlanes.
func TestCutSamplesEqualReference(t *testing.T) {
	cuts := append(append([][4]float64{}, Crops...), WideCrops...)
	cuts = append(cuts, [4]float64{0.013, 0.31, 0.77, 0.99}, [4]float64{0, 0, 1, 1}, [4]float64{0.5, 0.5, 0.5001, 0.5001})
	planes := hashTestPlanes(t)
	compared := 0
	for name, pl := range planes {
		got, want := pl.cutSamples(cuts, hashSide), pl.refCutSamples(cuts, hashSide)
		for k := range cuts {
			if !bytes.Equal(got[k].Pix, want[k].Pix) {
				t.Errorf("%s, cut %v: samples differ from the reference's", name, cuts[k])
				continue
			}
			gc, wc := dctCoefs(got[k]), refDctCoefs(want[k])
			for i := range gc {
				if math.Float64bits(gc[i]) != math.Float64bits(wc[i]) {
					t.Errorf("%s, cut %v: coefficient %d is %v, the reference's %v", name, cuts[k], i, gc[i], wc[i])
					break
				}
			}
			compared++
		}
	}
	t.Logf("%d planes, %d cuts sampled and transformed, all equal to the reference", len(planes), compared)
	if compared < 100 {
		t.Errorf("only %d cuts compared", compared)
	}
}

// BenchmarkCutCoefs: the 30 cuts of a 12 MP photo's 500×375 plane sampled and
// transformed, fast and reference.
func BenchmarkCutCoefs(b *testing.B) {
	data, err := os.ReadFile(benchFiles(b)[0])
	if err != nil {
		b.Fatal(err)
	}
	pl, ok := dcPlane(bytes.NewReader(data), int64(len(data)))
	if !ok {
		b.Fatal("refused")
	}
	cuts := append(append([][4]float64{}, Crops...), WideCrops...)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			for _, g := range pl.cutSamples(cuts, hashSide) {
				dctCoefs(g)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			for _, g := range pl.refCutSamples(cuts, hashSide) {
				refDctCoefs(g)
			}
		}
	})
}
