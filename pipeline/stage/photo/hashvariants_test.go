package photo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"yanshou/pipeline/format/exifwrite"
)

// TestOrientCoefs: the hash of a 64×64 picture turned or mirrored (as
// plane.orient turns it) equals the hash computed from the picture's own DCT
// coefficients by orientCoefs, for each orientation, on random pictures and
// generated scenes. (Pictures made of a few exact gradients, whose
// coefficients are zero but for rounding, hash by their rounding either way.)
func TestOrientCoefs(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for k := 0; k < 40; k++ {
		pl := planeOf(scene(int64(k), hashSide, hashSide))
		if k%2 == 0 {
			for i := range pl.px {
				pl.px[i] = float32(r.Intn(256))
			}
		}
		g := pl.sample([4]float64{0, 0, 1, 1}, hashSide)
		c := dctCoefs(g)
		for o := 1; o <= 8; o++ {
			want := pHash(pl.orient(o).sample([4]float64{0, 0, 1, 1}, hashSide))
			oc := orientCoefs(&c, o)
			if got := coefHash(&oc); Distance(got, want) > 0 {
				t.Errorf("picture %d, orientation %d: %016x from the coefficients, %016x turned first", k, o, got, want)
			}
		}
	}
}

// TestPlaneHashesLayout: the hashes come in the documented layout — the
// whole picture turned equals the whole turned picture's hash, an oriented
// cut the cut of the turned picture — and the trimmed entries appear only for
// a picture with borders.
func TestPlaneHashesLayout(t *testing.T) {
	pl := planeOf(scene(9, 640, 480))
	hs, err := planeHashes(pl)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != hashesTrimmed {
		t.Fatalf("%d hashes, want %d (no borders)", len(hs), hashesTrimmed)
	}
	for o := 2; o <= 8; o++ {
		turned, _ := planeHashes(pl.orient(o))
		if d := Distance(hs[hashesCuts+o-2], turned[0]); d > 2 {
			t.Errorf("orientation %d: whole-picture entry %d bits from the turned picture's hash", o, d)
		}
	}
	// Mirrored (2): the mirror of the cut "a fifth off the left" is the
	// mirrored picture's cut "a fifth off the right".
	mirrored, _ := planeHashes(pl.orient(2))
	if len(turnedCuts) != 4+len(WideCrops) || turnedCutOrientations[0] != 2 || turnedCuts[4] != len(Crops) {
		t.Fatalf("turned cuts %v in %v", turnedCuts, turnedCutOrientations)
	}
	right := len(Crops) + 1 // WideCrops[1], a fifth off the right: the mirror of WideCrops[0] (turnedCuts[4])
	if d := Distance(hs[hashesTurnedCuts+4], mirrored[right]); d > 2 {
		t.Errorf("mirrored cut: %d bits from the mirrored picture's cut", d)
	}
	// Letterboxed: black bars above and below.
	lb := plane{pl.w, pl.h * 4 / 3, make([]float32, pl.w*pl.h*4/3)}
	off := (lb.h - pl.h) / 2
	copy(lb.px[off*pl.w:], pl.px)
	hl, _ := planeHashes(lb)
	if len(hl) != hashesTrimmed+5 {
		t.Fatalf("letterboxed: %d hashes, want %d", len(hl), hashesTrimmed+5)
	}
	if d := Distance(hl[hashesTrimmed], hs[0]); d > 4 {
		t.Errorf("letterboxed, trimmed: %d bits from the picture's hash", d)
	}
}

// TestHashesSum: HashesSum gives the hashes Hashes gives and the SHA-256 of
// the file's bytes, whichever way the picture is decoded: the DC reader over a
// baseline JPEG (which reads the whole scan) or a progressive one (which stops
// after its first scan: the rest is read after), a full decode (a small JPEG,
// a PNG); and no sum with an error.
func TestHashesSum(t *testing.T) {
	dir := t.TempDir()
	big := scene(70, 1024, 768)
	progressive := ""
	if paths, _ := filepath.Glob(filepath.Join(realworld, "photos/metadata-extractor-images/jpg/*.jpg")); len(paths) > 0 {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err == nil && bytes.Contains(data[:min(len(data), 1<<16)], []byte{0xFF, 0xC2}) {
				progressive = p
				break
			}
		}
	}
	cases := map[string]string{
		"baseline JPEG, DC reader": writeJPEG(t, dir, "big.jpg", big, 90, exifwrite.Tags{}),
		"small JPEG, full decode":  writeJPEG(t, dir, "small.jpg", scene(71, 320, 240), 80, exifwrite.Tags{}),
		"PNG":                      writeFile(t, dir, "big.png", encodePNG(t, big)),
	}
	if progressive != "" {
		cases["progressive JPEG (realworld)"] = progressive
	}
	for name, path := range cases {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(data)
		hs, sum, err := HashesSum(path, 100e6)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sum != hex.EncodeToString(want[:]) {
			t.Errorf("%s: sum %s, want %x", name, sum, want)
		}
		plain, err := Hashes(path, 100e6)
		if err != nil || !slices.Equal(plain, hs) {
			t.Errorf("%s: hashes differ from Hashes' (%v)", name, err)
		}
	}
	if _, sum, err := HashesSum(writeFile(t, dir, "junk.jpg", []byte("not a picture")), 100e6); err == nil || sum != "" {
		t.Errorf("junk: sum %q, error %v", sum, err)
	}
}

// TestCutSamples: the running-sum box filter gives, to within rounding (one
// level), the pictures sample gives through box weights, for every cut and
// for planes of odd sizes.
func TestCutSamples(t *testing.T) {
	cuts := append(append([][4]float64{}, Crops...), WideCrops...)
	cuts = append(cuts, [4]float64{0.013, 0.31, 0.77, 0.99})
	for _, size := range [][2]int{{500, 375}, {97, 131}, {64, 64}, {40, 30}} {
		pl := planeOf(scene(int64(size[0]), size[0], size[1]))
		got := pl.cutSamples(cuts, hashSide)
		for k, c := range cuts {
			want := pl.sample(c, hashSide)
			worst := 0
			for i := range want.Pix {
				worst = max(worst, abs(int(got[k].Pix[i])-int(want.Pix[i])))
			}
			if worst > 1 {
				t.Errorf("plane %d×%d, cut %v: %d levels from sample's", size[0], size[1], c, worst)
			}
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// BenchmarkCutSamples: the 30 cuts of a 12 MP photo's 500×375 plane sampled
// to 64×64 through running sums (cutSamples) and through box weights (hpass
// shared by cuts of one x span, then vpass).
func BenchmarkCutSamples(b *testing.B) {
	pl := planeOf(scene(40, 4000, 3000))
	cuts := append(append([][4]float64{}, Crops...), WideCrops...)
	b.Run("running-sums", func(b *testing.B) {
		for b.Loop() {
			pl.cutSamples(cuts, hashSide)
		}
	})
	b.Run("box-weights", func(b *testing.B) {
		for b.Loop() {
			rows := map[[2]float64][]float64{}
			for _, c := range cuts {
				key := [2]float64{c[0], c[2]}
				if rows[key] == nil {
					rows[key] = pl.hpass(c[0], c[2], hashSide)
				}
				pl.vpass(rows[key], c[1], c[3], hashSide)
			}
		}
	})
}
