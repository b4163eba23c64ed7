package photo

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nfnt/resize"

	"yanshou/pipeline/testkit/rephoto"
)

// TestRephotographed measures what becomes of an old photo shown on a monitor
// or printed, and photographed again with a phone (testkit/rephoto): its
// perceptual-hash distance to the original (a candidate at or below
// phash_max_distance, similar — a warning for review — at or below
// phash_similar_distance), for candidates the share of aligned cells that
// agree (the same capture, a veto, at or above photo_same_capture_min_share),
// and — the frame found (shownPicture), the framed picture's hash within
// photo_framed_max_distance of the original's — the share of the framed
// picture's cells agreeing with the original (Capture.Framed: similar at or
// above photo_framed_min_share). Every one must be warned as similar and none
// vetoed; the framed measure against the other photos (same room, other
// rooms) is logged with its false rate, which must stay 0.
func TestRephotographed(t *testing.T) {
	th := testConfig(t).Thresholds
	cropPenalty = th.PhashCropPenalty
	rooms, shots := 4, 2
	if testing.Short() {
		rooms, shots = 2, 1
	}
	dir := t.TempDir()
	type row struct {
		candidate, similar, framed, veto, tried int
		ds                                      []int
		shares, framedShares                    []float64
	}
	rows := map[string]*row{}
	type retaken struct {
		name string
		of   int // index in origs
		hs   []uint64
		pic  *Picture
	}
	var origs []shotPic
	var taken []retaken
	for ri := 0; ri < rooms; ri++ {
		rm := newRoom(int64(500 + ri))
		r := rand.New(rand.NewSource(int64(5000 + ri)))
		var views []view
		for si := 0; si < shots+1; si++ {
			v := randomView(r)
			for tries := 0; si == shots && tries < 1000 && tooClose(v, views); tries++ {
				v = randomView(r) // the other photo aimed anew, as in TestReuseCorpus
			}
			views = append(views, v)
			img := v.photo(rm.shot(r, 0.5, 0.1, int64(si), 1), 1280, 960)
			orig := encodeJPEG(t, img, 90)
			origs = append(origs, loadShot(t, dir, ri, orig))
			if si == shots { // one more photo of the room, not taken again
				continue
			}
			for _, k := range []rephoto.Kind{rephoto.Screen, rephoto.Print} {
				for _, tilt := range []float64{2, 5} {
					name := fmt.Sprintf("%s, %g°", k, tilt)
					re := encodeJPEG(t, rephoto.Take(img, k, rephoto.Options{TiltDeg: tilt, Seed: uint64(ri*10 + si)}), 82)
					rt := loadShot(t, dir, ri, re)
					taken = append(taken, retaken{name, len(origs) - 1, rt.hs, rt.pic})
				}
			}
		}
	}
	falseFramed, falseTried, falseMax := 0, 0, 0.0
	for _, rt := range taken {
		o := origs[rt.of]
		d := setDistance(o.hs, rt.hs)
		rw := rows[rt.name]
		if rw == nil {
			rw = &row{}
			rows[rt.name] = rw
		}
		rw.tried++
		rw.ds = append(rw.ds, d)
		c := Compare(rt.pic, o.pic, th.PhotoCaptureTolerance)
		rw.shares = append(rw.shares, c.Share)
		fh := FramedHash(rt.hs[1:])
		framed := fh != 0 && Distance(fh, o.hs[0]) <= th.PhotoFramedMaxDistance && c.Framed >= th.PhotoFramedMinShare
		rw.framedShares = append(rw.framedShares, c.Framed)
		switch {
		case d <= th.PhashMaxDistance && c.Share >= th.PhotoSameCaptureMinShare:
			rw.candidate++
			rw.veto++
		case d <= th.PhashMaxDistance:
			rw.candidate++
			rw.similar++
		case d <= th.PhashSimilarDistance || framed:
			rw.similar++
		}
		if framed {
			rw.framed++
		}
		// The framed picture against every other original: a warning naming
		// the wrong photo is a false one.
		for j, other := range origs {
			if j == rt.of || fh == 0 || Distance(fh, other.hs[0]) > th.PhotoFramedMaxDistance {
				continue
			}
			falseTried++
			f := Compare(rt.pic, other.pic, th.PhotoCaptureTolerance).Framed
			falseMax = max(falseMax, f)
			if f >= th.PhotoFramedMinShare {
				falseFramed++
				t.Logf("%s of room %d: framed picture agrees with another photo (room %d) in %.0f%% of its cells", rt.name, o.room, other.room, 100*f)
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
		t.Logf("%-30s candidates %d of %d, warned as similar %d (by the framed picture %d), same capture (veto) %d; distances %v, shares %.2v, framed shares %.2v",
			n, rw.candidate, rw.tried, rw.similar, rw.framed, rw.veto, rw.ds, rw.shares, rw.framedShares)
		// The pixels of a photo taken again do not match the original's cell
		// by cell: it must never be the same capture (a veto).
		if rw.veto > 0 {
			t.Errorf("%s: %d taken for the same capture (veto)", n, rw.veto)
		}
		// A screen's picture is found inside its bezel, a print's inside its
		// paper border, and squared up: every one is at least shown for review.
		if rw.similar < rw.tried {
			t.Errorf("%s: only %d of %d warned as similar", n, rw.similar, rw.tried)
		}
	}
	t.Logf("framed pictures against the other photos within %d bits: %d pairs, %d at or above %.0f%% (highest %.0f%%)",
		th.PhotoFramedMaxDistance, falseTried, falseFramed, 100*th.PhotoFramedMinShare, 100*falseMax)
	if falseFramed > 0 {
		t.Errorf("%d framed pictures taken for another photo", falseFramed)
	}
}

// shotPic is a photo of a room hashed and decoded.
type shotPic struct {
	room int
	hs   []uint64
	pic  *Picture
}

// loadShot writes data to dir and returns its hashes and decoded picture.
func loadShot(t *testing.T, dir string, room int, data []byte) shotPic {
	t.Helper()
	hs := corpusHashes(t, dir, "pic.jpg", data)
	pic, err := LoadPicture(filepath.Join(dir, "pic.jpg"), 100e6)
	if err != nil {
		t.Fatal(err)
	}
	return shotPic{room, hs, pic}
}

// TestRephotoPlane: the picture shown on a monitor is found inside its bezel
// and squared up to hash as the picture does; ordinary photos — a room, a
// letterboxed copy, a flat grey, a thumbnail — hold no framed picture.
func TestRephotoPlane(t *testing.T) {
	rm := newRoom(77)
	r := rand.New(rand.NewSource(77))
	room := randomView(r).photo(rm.shot(r, 0.5, 0.1, 0, 1), 1024, 768)
	src := planeOf(room)
	whole := func(p plane) uint64 {
		c := cutCoefs(p, [][4]float64{{0, 0, 1, 1}})[0]
		return coefHash(&c)
	}
	flat := plane{400, 300, make([]float32, 400*300)}
	for i := range flat.px {
		flat.px[i] = 128
	}
	lb := plane{src.w, src.h * 4 / 3, make([]float32, src.w*src.h*4/3)}
	copy(lb.px[(lb.h-src.h)/2*src.w:], src.px)
	tests := []struct {
		name    string
		pl      plane
		found   bool
		maxBits int // of the squared-up picture from the room's hash
	}{
		{"screen, 2°", planeOf(rephoto.Take(room, rephoto.Screen, rephoto.Options{TiltDeg: 2, Seed: 1})), true, 6},
		{"screen, 6°", planeOf(rephoto.Take(room, rephoto.Screen, rephoto.Options{TiltDeg: 6, Seed: 2})), true, 6},
		{"screen filling 90% of the frame", planeOf(rephoto.Take(room, rephoto.Screen, rephoto.Options{Fill: 0.9, Seed: 3})), true, 6},
		// A print's glare changes its hash (TestRephotographed measures it);
		// without it the print's border is found and the picture squared up.
		{"print, 2°, no glare", planeOf(rephoto.Take(room, rephoto.Print, rephoto.Options{TiltDeg: 2, Seed: 4, Without: rephoto.NoGlare})), true, 6},
		{"print, 6°, no glare", planeOf(rephoto.Take(room, rephoto.Print, rephoto.Options{TiltDeg: 6, Seed: 5, Without: rephoto.NoGlare})), true, 6},
		{"print on a pale table, no glare", planeOf(rephoto.Take(room, rephoto.Print, rephoto.Options{Seed: 6, Table: [3]float64{178, 176, 170}, Without: rephoto.NoGlare})), true, 6},
		{"print with glare", planeOf(rephoto.Take(room, rephoto.Print, rephoto.Options{Seed: 7})), true, 64},
		{"the room itself", src, false, 0},
		{"letterboxed", lb, false, 0},
		{"flat grey", flat, false, 0},
		{"a thumbnail", planeOf(resize.Resize(48, 36, room, resize.Bilinear)), false, 0},
	}
	for _, tt := range tests {
		shown, ok := rephotoPlane(tt.pl)
		if ok != tt.found {
			t.Errorf("%s: found %v, want %v", tt.name, ok, tt.found)
			continue
		}
		if ok {
			if d := Distance(whole(shown), whole(src)); d > tt.maxBits {
				t.Errorf("%s: squared-up picture %d bits from the room's, want ≤ %d", tt.name, d, tt.maxBits)
			}
		}
	}
}

// BenchmarkRephotoPlane: the search for a framed picture in a 12-megapixel
// photo's DC plane (500×375) that holds none, as every photo pays it.
func BenchmarkRephotoPlane(b *testing.B) {
	rm := newRoom(7)
	r := rand.New(rand.NewSource(7))
	pl := planeOf(randomView(r).photo(rm.shot(r, 0.3, 0.05, 1, 1), 500, 375))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rephotoPlane(pl)
	}
}

// TestFramedHash: the framed picture's hash is read from planeHashes' layout —
// last, after the optional trimmed ones — and only when one was found.
func TestFramedHash(t *testing.T) {
	hs := func(n int) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = uint64(i + 1)
		}
		return out[1:] // as Photo.Hashes: without the whole picture
	}
	trimmed := 1 + len(turnedCutOrientations)
	tests := []struct {
		name string
		n    int // hashes planeHashes returned
		want bool
	}{
		{"plain", hashesTrimmed, false},
		{"framed", hashesTrimmed + 1, true},
		{"trimmed", hashesTrimmed + trimmed, false},
		{"trimmed and framed", hashesTrimmed + trimmed + 1, true},
		{"too few (an older layout)", hashesTrimmed - 1, false},
	}
	for _, tt := range tests {
		crops := hs(tt.n)
		got := FramedHash(crops)
		if (got != 0) != tt.want || (tt.want && got != crops[len(crops)-1]) {
			t.Errorf("%s: %d, want found %v (the last)", tt.name, got, tt.want)
		}
	}
	// And from a real photo of a print (the frame found) and of a room (none).
	rm := newRoom(78)
	r := rand.New(rand.NewSource(78))
	room := randomView(r).photo(rm.shot(r, 0.5, 0.1, 0, 1), 1024, 768)
	for _, c := range []struct {
		name string
		pl   plane
		want bool
	}{{"room", planeOf(room), false}, {"print", planeOf(rephoto.Take(room, rephoto.Print, rephoto.Options{Seed: 8})), true}} {
		h, err := planeHashes(c.pl)
		if err != nil {
			t.Fatal(err)
		}
		if got := FramedHash(h[1:]) != 0; got != c.want {
			t.Errorf("%s: framed %v, want %v", c.name, got, c.want)
		}
	}
}
