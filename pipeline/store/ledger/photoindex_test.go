package ledger

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"yanshou"
)

// TestPhotoIndexMatchesPhotosOutside checks that PhotosNear gives a part of
// PhotosOutside, in its order, holding every photo that is near or shares a
// SHA-256 with the photos asked about, while classes are
// judged, re-judged and resubmitted, some through another connection (as another
// program on the same outbox would), and crop hashes are cached late.
func TestPhotoIndexMatchesPhotosOutside(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	other, err := Open(dir) // another connection to the same ledger
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	const algo = "test-algo"
	rng := rand.New(rand.NewPCG(3, 4))
	base := make([]uint64, 8)
	for i := range base {
		base[i] = rng.Uint64()
	}
	flip := func(h uint64, n int) uint64 {
		for range n {
			h ^= 1 << rng.IntN(64)
		}
		return h
	}
	sumOf := func(k int) string { return fmt.Sprintf("%064x", k) }
	hashOf := map[string]uint64{} // a file's perceptual hash, fixed by its content
	nextFile := 0
	newPhoto := func() string {
		if nextFile > 0 && rng.IntN(4) == 0 { // the same file as an earlier one
			return sumOf(rng.IntN(nextFile))
		}
		s := sumOf(nextFile)
		nextFile++
		if rng.IntN(8) > 0 {
			hashOf[s] = flip(base[rng.IntN(len(base))], rng.IntN(24))
		}
		switch rng.IntN(4) {
		case 0: // not cached (yet)
		case 1: // cached without crops
			l.CacheHashes(algo, map[string][]uint64{s: {hashOf[s]}})
		default:
			hs := []uint64{hashOf[s]}
			for range 3 {
				hs = append(hs, flip(hashOf[s], rng.IntN(24)))
			}
			l.CacheHashes(algo, map[string][]uint64{s: hs})
		}
		return s
	}
	// withCrops attaches cached crops as the pipeline does.
	withCrops := func(prior []yanshou.PriorPhoto) {
		var sums []string
		for _, q := range prior {
			sums = append(sums, q.SHA256)
		}
		cached, err := l.CachedHashes(algo, sums)
		if err != nil {
			t.Fatal(err)
		}
		for i := range prior {
			if hs := cached[prior[i].SHA256]; len(hs) > 1 && hs[0] == prior[i].Hash {
				prior[i].Hashes = hs[1:]
			}
		}
	}

	var idx PhotoIndex
	var ids []string
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	checked, kept, given := 0, 0, 0
	for step := range 120 {
		// Judge a new class, resubmit or re-judge an earlier one.
		var id string
		var c *yanshou.ClassInfo
		if len(ids) == 0 || rng.IntN(3) > 0 {
			c = class(fmt.Sprint("机构", step), "第1期", "2026-03-10")
			id = SubmissionID(c, "")
			ids = append(ids, id)
		} else {
			n := rng.IntN(len(ids))
			id = ids[n]
			c = class(fmt.Sprint("机构", step), "第1期", "2026-03-10") // unused for an existing id
		}
		w := l
		if rng.IntN(3) == 0 {
			w = other
		}
		content := fmt.Sprint("c", step)
		if rng.IntN(5) == 0 && step > 0 { // re-judged: the same content again
			content = fmt.Sprint("c", rng.IntN(step))
		}
		v, err := w.Claim(id, c, content, "inbox/x", now)
		if err != nil {
			t.Fatal(err)
		}
		var files []yanshou.File
		var photos []yanshou.Photo
		for k := range 1 + rng.IntN(4) {
			s := newPhoto()
			rel := fmt.Sprintf("现场/%d.jpg", k)
			files = append(files, yanshou.File{Rel: rel, SHA256: s})
			photos = append(photos, yanshou.Photo{File: rel, Hash: hashOf[s]})
		}
		if rng.IntN(6) > 0 { // some are never completed
			if err := w.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{Files: files}, Verdict: yanshou.Pass, Photos: photos},
				"out/"+content, "{}", now); err != nil {
				t.Fatal(err)
			}
		}
		if rng.IntN(5) == 0 && nextFile > 0 { // crops cached late, by another class reading the file
			s := sumOf(rng.IntN(nextFile))
			other.CacheHashes(algo, map[string][]uint64{s: {hashOf[s], flip(hashOf[s], 2), flip(hashOf[s], 3)}})
		}

		// Ask for a few classes what an index finds, against the whole list.
		for range 3 {
			asked := ids[rng.IntN(len(ids))]
			var sums []string
			var mine []uint64
			for range 1 + rng.IntN(3) {
				s := sumOf(rng.IntN(nextFile + 3))
				sums = append(sums, s)
				mine = append(mine, hashOf[s])
			}
			limit := rng.IntN(12)
			near := func(h uint64, crops []uint64) bool {
				for _, m := range mine {
					if m == 0 || h == 0 {
						continue
					}
					if bits.OnesCount64(m^h) <= limit {
						return true
					}
					for _, c := range crops {
						if bits.OnesCount64(m^c)+1 <= limit {
							return true
						}
					}
				}
				return false
			}
			all, err := l.PhotosOutside(asked)
			if err != nil {
				t.Fatal(err)
			}
			withCrops(all)
			var want []yanshou.PriorPhoto
			for _, q := range all {
				if slices.Contains(sums, q.SHA256) || near(q.Hash, q.Hashes) {
					want = append(want, q)
				}
			}
			got, err := idx.PhotosNear(l, algo, asked, sums, near)
			if err != nil {
				t.Fatal(err)
			}
			withCrops(got)
			// got is a part of all, in its order, holding every photo of want.
			rest := all
			for _, g := range got {
				i := slices.IndexFunc(rest, func(q yanshou.PriorPhoto) bool { return fmt.Sprint(q) == fmt.Sprint(g) })
				if i < 0 {
					t.Fatalf("step %d, class %s: %v is not in the whole list (in order)\n got %v\n all %v", step, asked, g, got, all)
				}
				rest = rest[i+1:]
			}
			for _, w := range want {
				if !slices.ContainsFunc(got, func(q yanshou.PriorPhoto) bool { return fmt.Sprint(q) == fmt.Sprint(w) }) {
					t.Fatalf("step %d, class %s: %v missing\n got %v\nwant %v", step, asked, w, got, want)
				}
			}
			checked++
			kept += len(want)
			given += len(got)
		}
	}
	if kept == 0 {
		t.Fatal("no photo ever near: the test tests nothing")
	}
	t.Logf("%d questions, %d photos needed, %d handed over", checked, kept, given)
}
