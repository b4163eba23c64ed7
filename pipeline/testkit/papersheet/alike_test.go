package papersheet

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"sort"
	"testing"

	"yanshou/pipeline/format/signform"
)

// alikeCutoff is the built-in paper_signature_alike_min, repeated here since a
// testkit does not read the config.
const alikeCutoff = 0.8

// TestAlikeCalibration signs pages with every trainee's own hand and with one
// hand for every box, scans and photographs them, and compares the signatures
// of each page pairwise (signform.Alike): pairs of different writers must all
// stay below alikeCutoff, nearly all pairs of the one hand above it. It prints
// the distributions (go test -v) from which the cutoff was chosen.
func TestAlikeCalibration(t *testing.T) {
	n := corpusPages(t)
	rnd := rand.New(rand.NewPCG(2026, 77))
	var own, one []float64
	for i := 0; i < n; i++ {
		p := payload(i, n)
		for _, kind := range []Kind{Scanned, Photographed} {
			for _, oneHand := range []bool{false, true} {
				pg := Page{Payload: p, Fills: make([]Fill, p.Rows+p.Blank), WalkIn: make([]bool, p.Rows+p.Blank), Hands: make([]uint64, p.Rows+p.Blank)}
				for k := 0; k < p.Rows; k++ {
					pg.Fills[k] = Signature
					if oneHand {
						pg.Hands[k] = uint64(100 + i)
					}
				}
				src := Render(rnd, pg, 10)
				var img image.Image = Scan(rnd, src, 10)
				if kind == Photographed {
					var err error
					if img, err = jpeg.Decode(bytes.NewReader(Photo(rnd, src, 10))); err != nil {
						t.Fatal(err)
					}
				}
				r, err := signform.ReadPage(img, limits)
				if err != nil {
					t.Fatalf("%v page %d: %v", kind, i+1, err)
				}
				var shapes []signform.Shape
				for _, b := range r.Boxes[:p.Rows] {
					if s, ok := signform.ShapeOf(b.Crop); ok {
						shapes = append(shapes, s)
					}
				}
				if len(shapes) < p.Rows*9/10 {
					t.Errorf("%v page %d: %d of %d signatures shaped", kind, i+1, len(shapes), p.Rows)
				}
				for a := range shapes {
					for b := a + 1; b < len(shapes); b++ {
						v := signform.Alike(shapes[a], shapes[b])
						if oneHand {
							one = append(one, v)
						} else {
							own = append(own, v)
						}
					}
				}
			}
		}
	}
	sort.Float64s(own)
	sort.Float64s(one)
	q := func(xs []float64, f float64) float64 { return xs[min(len(xs)-1, int(f*float64(len(xs))))] }
	t.Logf("own hands: %d pairs, median %.3f, 99%% %.3f, 99.9%% %.3f, max %.3f", len(own), q(own, 0.5), q(own, 0.99), q(own, 0.999), own[len(own)-1])
	t.Logf("one hand:  %d pairs, min %.3f, 1%% %.3f, 10%% %.3f, median %.3f", len(one), one[0], q(one, 0.01), q(one, 0.1), q(one, 0.5))
	if own[len(own)-1] >= alikeCutoff {
		t.Errorf("signatures of different writers as alike as %.3f (cutoff %v)", own[len(own)-1], alikeCutoff)
	}
	if below := sort.SearchFloat64s(one, alikeCutoff); below > len(one)/10 {
		t.Errorf("%s of one hand's pairs below the cutoff %v", fmt.Sprint(below), alikeCutoff)
	}
}
