package photo

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"yanshou/pipeline/testkit/rephoto"
)

// TestRephotographed measures what becomes of an old photo shown on a monitor
// or printed, and photographed again with a phone (testkit/rephoto): its
// perceptual-hash distance to the original (a candidate at or below
// phash_max_distance, similar — a warning for review — at or below
// phash_similar_distance) and, for candidates, the share of aligned cells
// that agree (the same capture, a veto, at or above
// photo_same_capture_min_share).
func TestRephotographed(t *testing.T) {
	th := testConfig(t).Thresholds
	cropPenalty = th.PhashCropPenalty
	rooms, shots := 4, 2
	if testing.Short() {
		rooms, shots = 2, 1
	}
	dir := t.TempDir()
	type row struct {
		candidate, similar, veto, tried int
		ds                              []int
		shares                          []float64
	}
	rows := map[string]*row{}
	for ri := 0; ri < rooms; ri++ {
		rm := newRoom(int64(500 + ri))
		r := rand.New(rand.NewSource(int64(5000 + ri)))
		for si := 0; si < shots; si++ {
			img := randomView(r).photo(rm.shot(r, 0.5, 0.1, int64(si), 1), 1280, 960)
			orig := encodeJPEG(t, img, 90)
			ho := corpusHashes(t, dir, "orig.jpg", orig)
			for _, k := range []rephoto.Kind{rephoto.Screen, rephoto.Print} {
				for _, tilt := range []float64{2, 5} {
					name := fmt.Sprintf("%s, %g°", k, tilt)
					re := encodeJPEG(t, rephoto.Take(img, k, rephoto.Options{TiltDeg: tilt, Seed: uint64(ri*10 + si)}), 82)
					d := setDistance(ho, corpusHashes(t, dir, "re.jpg", re))
					rw := rows[name]
					if rw == nil {
						rw = &row{}
						rows[name] = rw
					}
					rw.tried++
					rw.ds = append(rw.ds, d)
					c := captureOf(t, dir, orig, re)
					rw.shares = append(rw.shares, c.Share)
					switch {
					case d <= th.PhashMaxDistance:
						rw.candidate++
						if c.Share >= th.PhotoSameCaptureMinShare {
							rw.veto++
						} else {
							rw.similar++
						}
					case d <= th.PhashSimilarDistance:
						rw.similar++
					}
				}
			}
		}
	}
	var names []string
	for n := range rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rw := rows[n]
		sort.Ints(rw.ds)
		t.Logf("%-30s candidates %d of %d, warned as similar %d, same capture (veto) %d; distances %v, shares %.2v",
			n, rw.candidate, rw.tried, rw.similar, rw.veto, rw.ds, rw.shares)
		// The pixels of a photo taken again do not match the original's cell
		// by cell: it must never be the same capture (a veto).
		if rw.veto > 0 {
			t.Errorf("%s: %d taken for the same capture (veto)", n, rw.veto)
		}
	}
}
