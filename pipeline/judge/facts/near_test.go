package facts

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"yanshou"
)

// TestNearAnyKeepsFacts checks the contract a ledger relies on to hand over only
// some photos of other classes: leaving out (any of) those NearAny rejects and
// that have another SHA-256 never changes what reusedFrom finds.
func TestNearAnyKeepsFacts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	flip := func(h uint64, bits int) uint64 {
		for range bits {
			h ^= 1 << rng.IntN(64)
		}
		return h
	}
	var reused, similar int
	for round := range 300 {
		th := cfg.Thresholds
		th.PhashMaxDistance = rng.IntN(8)
		th.PhashSimilarDistance = th.PhashMaxDistance + rng.IntN(8)
		th.PhashCropPenalty = rng.IntN(4)
		base := make([]uint64, 6)
		for i := range base {
			base[i] = rng.Uint64()
		}
		hashOf := func() (uint64, []uint64) {
			if rng.IntN(10) == 0 {
				return 0, nil
			}
			h := flip(base[rng.IntN(len(base))], rng.IntN(20))
			var crops []uint64
			if rng.IntN(2) == 0 {
				for range 4 {
					crops = append(crops, flip(h, rng.IntN(20)))
				}
			}
			return h, crops
		}
		sum := func() string { return fmt.Sprintf("%064x", rng.IntN(30)) }
		var photos []yanshou.Photo
		var sums []string
		for i := range 1 + rng.IntN(4) {
			h, crops := hashOf()
			photos = append(photos, yanshou.Photo{File: fmt.Sprint("p", i), Hash: h, Hashes: crops})
			sums = append(sums, sum())
		}
		var prior []yanshou.PriorPhoto
		for i := range rng.IntN(40) {
			h, crops := hashOf()
			prior = append(prior, yanshou.PriorPhoto{Label: fmt.Sprint("班", i/3), Version: 1, File: fmt.Sprint("q", i), SHA256: sum(), Hash: h, Hashes: crops})
		}
		near := NearAny(photos, th)
		mine := map[string]bool{}
		for _, s := range sums {
			mine[s] = true
		}
		var kept []yanshou.PriorPhoto
		for _, q := range prior {
			if mine[q.SHA256] || near(q.Hash, q.Hashes) || rng.IntN(3) == 0 { // and some others
				kept = append(kept, q)
			}
		}
		captures := map[CaptureKey]Capture{}
		for _, k := range Candidates(photos, prior, th) {
			captures[k] = Capture{Share: float64(rng.IntN(2))} // same capture or same room
		}
		for i := range photos {
			of, detail, same, _ := reusedFrom(&photos[i], sums[i], prior, captures, th)
			of2, detail2, same2, _ := reusedFrom(&photos[i], sums[i], kept, captures, th)
			if of != of2 || detail != detail2 || same != same2 {
				t.Fatalf("round %d photo %d: all prior %q %q %v; kept %d of %d: %q %q %v",
					round, i, of, detail, same, len(kept), len(prior), of2, detail2, same2)
			}
			switch {
			case same:
				reused++
			case detail != "":
				similar++
			}
		}
	}
	if reused < 50 || similar < 20 {
		t.Errorf("too few cases exercised: %d reused, %d similar", reused, similar)
	}
	t.Logf("%d reused, %d similar", reused, similar)
}
