package photo

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"image"
	"image/color"
	_ "image/jpeg" // decoders for Hash
	_ "image/png"
	"io"
	"math"
	"math/bits"
	"slices"
	"sync"
	"time"

	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"yanshou"
	"yanshou/templates"
)

// HashAlgorithm names the perceptual hashes Hashes computes. Hashes are cached
// and compared only under the same name: change it whenever Hashes' output changes.
const HashAlgorithm = "phash64-plane512-cuts34-turns7-turnedcuts4x22-trim5-v4"

// hashSide is the side of the grey picture pHash works on (as goimagehash's).
const hashSide = 64

// planeMax bounds the side of the reduced grey picture the hashes are cut from:
// fine enough to cut 2.5% crops precisely, small enough to be cheap.
const planeMax = 512

// Crops are the parts of a picture hashed besides the whole (index 0): 5% off
// one side, 2.5% off both sides, in each direction and their combinations, as
// (x0, y0, x1, y1) fractions of the upright picture. A copy cropped by up to
// about 5% then matches one of them closely, where the whole-picture pHash
// moves by 10–16 bits.
var Crops = func() [][4]float64 {
	spans := [][2]float64{{0, 1}, {0.05, 1}, {0, 0.95}, {0.025, 0.975}}
	var out [][4]float64
	for _, y := range spans {
		for _, x := range spans {
			out = append(out, [4]float64{x[0], y[0], x[1], y[1]})
		}
	}
	return out
}()

// Hash returns the 64-bit perceptual hash of the whole picture: Hashes(path)[0].
func Hash(path string, maxPixels int64) (uint64, error) {
	hs, err := Hashes(path, maxPixels)
	if err != nil {
		return 0, err
	}
	return hs[0], nil
}

// ErrNotDecoded: the picture's format is one Hashes does not decode (a HEIF of
// another codec than HEVC, such as AVIF); the picture is not at fault.
var ErrNotDecoded error = notDecoded{}

// notDecoded is ErrNotDecoded: its message is read from the wording when shown.
type notDecoded struct{}

func (notDecoded) Error() string { return templates.Say("photo.not_decoded") }

// Hashes returns the 64-bit perceptual hashes (pHash) of the picture, of its
// standard cuts (Crops, WideCrops), of each of them mirrored and turned, and of
// the picture without uniform borders when it has them (index 0 is the whole
// picture; see planeHashes for the layout). It refuses pictures over maxPixels
// (read from the header) with an error instead of decoding them; maxPixels ≤ 0
// means no limit.
//
// The picture is reduced to a grey plane of at most 512×512 by area averaging
// (from the DC coefficients of a baseline or progressive JPEG whose shorter
// side is at least 768 pixels, without decoding the rest; else from a full
// decode; HEIC through pipeline/format/heic), turned upright by its EXIF
// orientation (HEIC: by its container), and each cut is box-sampled to 64×64
// and hashed with pHash (goimagehash's PerceptionHash, computed faster).
// Errors are Chinese and do not name the file: the caller adds the path shown
// to users (see HashPhoto).
func Hashes(path string, maxPixels int64) (hs []uint64, err error) {
	defer func() {
		if r := recover(); r != nil {
			hs, err = nil, errors.New(templates.Say("photo.decode_panic", r))
		}
	}()
	pl, err := loadPlane(path, maxPixels)
	if err != nil {
		return nil, err
	}
	return planeHashes(pl)
}

// HashesSum is Hashes that also returns the SHA-256 (64 hex digits) of the
// file's bytes, computed over the same single read of the file the decode
// makes (the part of the file a reduced decode does not need is read after it):
// hashes cached under that sum are the hashes of those very bytes, whatever
// happened to the file since it was listed.
func HashesSum(path string, maxPixels int64) (hs []uint64, sum string, err error) {
	hs, sum, _, err = hashesSum(path, maxPixels, "")
	return hs, sum, err
}

// Decoded is the upright grey plane of a picture as HashesSumDecoded decoded
// it for the hashes, so that ScanWatermarkDecoded looks for a watermark strip
// in it without decoding the file again.
type Decoded struct {
	pl plane
}

// HashesSumDecoded is HashesSum that also gives the plane it decoded (nil
// with an error).
func HashesSumDecoded(path string, maxPixels int64) (hs []uint64, sum string, d *Decoded, err error) {
	return hashesSum(path, maxPixels, "")
}

// hashesSum is HashesSumDecoded, writing a HEIC's proxy at proxy when not ""
// (see HashesSumProxy).
func hashesSum(path string, maxPixels int64, proxy string) (hs []uint64, sum string, d *Decoded, err error) {
	defer func() {
		if r := recover(); r != nil {
			hs, sum, d, err = nil, "", nil, errors.New(templates.Say("photo.decode_panic", r))
		}
	}()
	f, size, err := openRegular(path)
	if err != nil {
		return nil, "", nil, err
	}
	defer f.Close()
	h := sha256.New()
	pl, err := decodePlaneSum(f, size, maxPixels, h, proxy)
	if err != nil {
		return nil, "", nil, err
	}
	hs, err = planeHashes(pl)
	if err != nil {
		return nil, "", nil, err
	}
	return hs, hex.EncodeToString(h.Sum(nil)), &Decoded{pl}, nil
}

// decodePlane reads the picture in f (size bytes) into an upright grey plane.
func decodePlane(f io.ReadSeeker, size int64, maxPixels int64) (plane, error) {
	return decodePlaneSum(f, size, maxPixels, nil, "")
}

// decodePlaneSum is decodePlane that, when sum is not nil, writes every byte
// of the file to sum once, in order, as the decode reads them (and the rest
// after it): on success sum holds the digest of the file as decoded. A HEIC's
// proxy is written at proxy when not "".
func decodePlaneSum(f io.ReadSeeker, size int64, maxPixels int64, sum hash.Hash, proxy string) (plane, error) {
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return plane{}, errors.New(templates.Say("photo.internal_no_readerat"))
	}
	m, merr := readMeta(ra, size)
	if errors.Is(merr, errNotImage) {
		return plane{}, errors.New(merr.Error()[len(errNotImage.Error())+2:])
	}
	if m.format == fmtHEIF {
		return heicPlane(f, maxPixels, sum, proxy)
	}
	if merr != nil { // the headers are already broken: say how, rather than the decoder's EOF
		return plane{}, errors.New(templates.Say("photo.undecodable", merr))
	}
	orientation := 1
	if m.tiff != nil {
		if fx, _, err := decodeExif(m.tiff, time.UTC); err == nil && fx.orientation >= 1 && fx.orientation <= 8 {
			orientation = fx.orientation
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return plane{}, err
	}
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return plane{}, errors.New(templates.Say("photo.size_unreadable", detail(err)))
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px <= 0 {
		return plane{}, errors.New(templates.Say("photo.size_invalid", cfg.Width, cfg.Height))
	}
	if maxPixels > 0 && px > maxPixels {
		return plane{}, errors.New(templates.Say("photo.too_many_pixels",
			cfg.Width, cfg.Height, float64(px)/1e6, float64(maxPixels)/1e6))
	}
	if m.format == fmtJPEG && min(cfg.Width, cfg.Height) >= dcMinSide {
		src := teeTo(io.NewSectionReader(ra, 0, size), sum)
		if pl, ok := dcPlaneFrom(src); ok {
			if err := readRest(src, sum); err != nil {
				return plane{}, err
			}
			return pl.orient(orientation), nil
		}
		if sum != nil {
			sum.Reset()
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return plane{}, err
	}
	src := teeTo(f, sum)
	img, _, err := image.Decode(bufio.NewReaderSize(src, 64<<10))
	if err != nil {
		return plane{}, errors.New(templates.Say("photo.data_damaged", detail(err)))
	}
	if err := readRest(src, sum); err != nil {
		return plane{}, err
	}
	return planeOf(img).orient(orientation), nil
}

// teeTo is r, its bytes also written to sum when sum is not nil.
func teeTo(r io.Reader, sum hash.Hash) io.Reader {
	if sum == nil {
		return r
	}
	return io.TeeReader(r, sum)
}

// readRest reads what is left of r (a teeTo reader) into sum, when not nil.
func readRest(r io.Reader, sum hash.Hash) error {
	if sum == nil {
		return nil
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return errors.New(templates.Say("photo.data_damaged", detail(err)))
	}
	return nil
}

// WideCrops are larger cuts, hashed after Crops: a fifth off one side (each
// side), a tenth and a twentieth off all round, and a tenth, 15% and a
// quarter off one side (each side) — so that a copy cut by up to a quarter
// still comes near one of them (Crops cut 5% off a side: one side is cut in
// steps of 5%). A cut between two steps (12%) comes some bits further: within
// photo_compare_max_distance, the cell comparison finds it.
var WideCrops = [][4]float64{{0.2, 0, 1, 1}, {0, 0, 0.8, 1}, {0, 0.2, 1, 1}, {0, 0, 1, 0.8}, {0.1, 0.1, 0.9, 0.9}, {0.05, 0.05, 0.95, 0.95},
	{0.1, 0, 1, 1}, {0, 0, 0.9, 1}, {0, 0.1, 1, 1}, {0, 0, 1, 0.9},
	{0.15, 0, 1, 1}, {0, 0, 0.85, 1}, {0, 0.15, 1, 1}, {0, 0, 1, 0.85},
	{0.25, 0, 1, 1}, {0, 0, 0.75, 1}, {0, 0.25, 1, 1}, {0, 0, 1, 0.75}}

// planeHashes' layout of the hashes Hashes returns, by index: the whole
// picture (0), Crops (1–15), WideCrops (16–33), the whole picture in EXIF
// orientations 2 to 8 (34–40), then the turnedCuts (the four cuts of 5% off
// one side, then WideCrops) in each of turnedCutOrientations (41–128,
// orientation by orientation), and, for a picture with uniform borders
// (letterboxed, a screenshot), the picture without them in orientation 1 and
// each of turnedCutOrientations (129–133), and last, for a photo of a
// picture shown in a frame (a monitor's bezel, a print's border:
// rephotoPlane), that picture squared up.
//
// Each hash is compared with the other picture's whole-picture hash, so every
// one more costs a comparison for each photo of every earlier class a check
// looks at: the cuts are turned only in the orientations a forger uses
// (mirrored, upside down, a quarter either way; not the transposes nor the
// upside-down mirror), and only those that a crop of more than 2.5% needs.
var (
	turnedCutOrientations = []int{2, 3, 6, 8}
	turnedCuts            = func() (idx []int) {
		for i, c := range Crops {
			moved := 0
			for k, edge := range c {
				if edge != [4]float64{0, 0, 1, 1}[k] {
					moved++
				}
			}
			if moved == 1 && (c[0] == 0.05 || c[1] == 0.05 || c[2] == 0.95 || c[3] == 0.95) {
				idx = append(idx, i)
			}
		}
		for i := range WideCrops {
			idx = append(idx, len(Crops)+i)
		}
		return idx
	}()
	hashesCuts       = len(Crops) + len(WideCrops)
	hashesTurnedCuts = hashesCuts + 7
	hashesTrimmed    = hashesTurnedCuts + len(turnedCutOrientations)*len(turnedCuts)
)

// trimMinShare is how much of a side (each of top+bottom or left+right)
// uniform borders must take for the trimmed picture to be hashed too.
const trimMinShare = 0.04

// planeHashes hashes the plane's cuts (the whole, Crops, WideCrops), the whole
// mirrored and turned (EXIF orientations 2 to 8), the turnedCuts mirrored and
// turned, then, when the plane has uniform borders, the plane without them
// (see the layout above). A copy mirrored or turned, cropped or not, hashes as
// one of them, and one letterboxed too. The DCT is computed once per cut:
// mirroring or turning a 64×64 picture only changes the signs of its
// coefficients or transposes them.
func planeHashes(pl plane) ([]uint64, error) {
	cuts := make([][4]float64, 0, len(Crops)+len(WideCrops))
	cuts = append(append(cuts, Crops...), WideCrops...)
	coefs := cutCoefs(pl, cuts)
	out := make([]uint64, 0, hashesTrimmed+1+len(turnedCutOrientations))
	for i := range coefs {
		out = append(out, coefHash(&coefs[i]))
	}
	for o := 2; o <= 8; o++ {
		c := orientCoefs(&coefs[0], o)
		out = append(out, coefHash(&c))
	}
	for _, o := range turnedCutOrientations {
		for _, i := range turnedCuts {
			c := orientCoefs(&coefs[i], o)
			out = append(out, coefHash(&c))
		}
	}
	if t := pl.trim(); float64(pl.w-t.w) >= trimMinShare*float64(pl.w) || float64(pl.h-t.h) >= trimMinShare*float64(pl.h) {
		whole := cutCoefs(t, [][4]float64{{0, 0, 1, 1}})[0]
		out = append(out, coefHash(&whole))
		for _, o := range turnedCutOrientations {
			c := orientCoefs(&whole, o)
			out = append(out, coefHash(&c))
		}
	}
	if shown, ok := rephotoPlane(pl); ok {
		c := cutCoefs(shown, [][4]float64{{0, 0, 1, 1}})[0]
		out = append(out, coefHash(&c))
	}
	return out, nil
}

// cutCoefs returns the 8×8 lowest DCT coefficients (see dctCoefs) of each cut
// of the plane box-sampled to 64×64 (see cutSamples).
func cutCoefs(pl plane, cuts [][4]float64) [][64]float64 {
	out := make([][64]float64, len(cuts))
	for i, g := range pl.cutSamples(cuts, hashSide) {
		out[i] = dctCoefs(g)
	}
	return out
}

// cutSamples box-filters each cut (fractions x0, y0, x1, y1) of the plane to
// n×n, as sample does, through running sums: the mean over [lo, hi) of a row
// is the difference of its running sum, linear within a sample, at hi and lo,
// over hi−lo. Cuts with the same x span share the horizontal pass, made for
// all of them row by row (one row's running sums at a time); a cut's boundary
// between two output rows is computed once for both. It computes what
// refCutSamples (the version before it, in the tests) computes, operation for
// operation, so that the hashes stay the same bits (TestCutSamplesEqualReference).
func (p plane) cutSamples(cuts [][4]float64, n int) []*image.Gray {
	type pass struct {
		pts  []runPoint // the n+1 boundaries (see runningPoints)
		d    float64    // x1−x0
		cols []float64  // the horizontal pass, then its running sums down each of the n columns: (p.h+1)×n
	}
	var passes []*pass
	passOf := make([]int, len(cuts))
	index := map[[2]float64]int{}
	for ci, c := range cuts {
		key := [2]float64{c[0], c[2]}
		k, ok := index[key]
		if !ok {
			at, frac := runningPoints(c[0]*float64(p.w), c[2]*float64(p.w), n, p.w)
			ps := &pass{pts: make([]runPoint, n+1), d: c[2] - c[0]}
			for i, a := range at {
				ps.pts[i] = runPoint{at: a, clamp: min(a, p.w-1), frac: frac[i]}
			}
			k = len(passes)
			index[key] = k
			passes = append(passes, ps)
		}
		passOf[ci] = k
	}
	need := len(passes) * (p.h + 1) * n
	all, _ := colsPool.Get().(*[]float64)
	if all == nil || cap(*all) < need {
		all = new([]float64)
		*all = make([]float64, need)
	}
	defer colsPool.Put(all)
	for k, ps := range passes {
		ps.cols = (*all)[k*(p.h+1)*n : (k+1)*(p.h+1)*n]
		clear(ps.cols[:n]) // the running sums start at 0; every later row is written before it is read
	}
	// The rows' running sums (rc[x]: the sum of the samples before x), two
	// rows at a time: each sum waits for the one before it, two rows' sums
	// are made side by side.
	rc, rc2 := make([]float64, p.w+1), make([]float64, p.w+1)
	fw, fn := float64(p.w), float64(n)
	for y := 0; y < p.h; y += 2 {
		row := p.px[y*p.w : (y+1)*p.w]
		if y+1 < p.h {
			runningSums(rc, rc2, row, p.px[(y+1)*p.w:(y+2)*p.w])
		} else {
			runningSum(rc, row)
		}
		for _, ps := range passes {
			hsums(ps.cols[(y+1)*n:(y+2)*n], ps.cols[y*n:(y+1)*n], rc, row, ps.pts, ps.d, fw, fn)
		}
		if y+1 < p.h {
			row2 := p.px[(y+1)*p.w : (y+2)*p.w]
			for _, ps := range passes {
				hsums(ps.cols[(y+2)*n:(y+3)*n], ps.cols[(y+1)*n:(y+2)*n], rc2, row2, ps.pts, ps.d, fw, fn)
			}
		}
	}
	out := make([]*image.Gray, len(cuts))
	edge := make([]float64, 2*n) // the running sums at a row boundary: the last one and the next
	for ci, c := range cuts {
		cols := passes[passOf[ci]].cols
		at, frac := runningPoints(c[1]*float64(p.h), c[3]*float64(p.h), n, p.h)
		g := image.NewGray(image.Rect(0, 0, n, n))
		span := (c[3] - c[1]) * float64(p.h) / float64(n)
		lastE, nextE := edge[:n], edge[n:]
		for j := 0; j <= n; j++ {
			lo, f := at[j], frac[j]
			lerpRows(nextE, cols[lo*n:(lo+1)*n], cols[min(lo+1, p.h)*n:(min(lo+1, p.h)+1)*n], f)
			if j > 0 {
				rowSamples(g.Pix[(j-1)*n:j*n], nextE, lastE, span)
			}
			lastE, nextE = nextE, lastE
		}
		out[ci] = g
	}
	return out
}

// runPoint is a boundary of cutSamples' horizontal pass: the running sum
// before sample at, plus frac of sample clamp (min(at, w−1)).
type runPoint struct {
	at, clamp int
	frac      float64
}

// runningSum sets rc[x+1] to rc[x] + row[x] (rc[0] is 0).
func runningSum(rc []float64, row []float32) {
	rc = rc[:len(row)+1]
	for x, v := range row {
		rc[x+1] = rc[x] + float64(v)
	}
}

// runningSums is runningSum of two rows of the same length at once.
func runningSums(rc, rc2 []float64, row, row2 []float32) {
	rc, rc2, row2 = rc[:len(row)+1], rc2[:len(row)+1], row2[:len(row)]
	for x, v := range row {
		rc[x+1] = rc[x] + float64(v)
		rc2[x+1] = rc2[x] + float64(row2[x])
	}
}

// hsums is one row of cutSamples' horizontal pass for one x span: the mean
// of the row between each two boundaries pts (over the row's running sums
// rc), scaled to a 1/n of the width, added to the column sums src into dst.
// A function of its own so that the loop keeps its values in registers.
func hsums(dst, src, rc []float64, row []float32, pts []runPoint, d, fw, fn float64) {
	q := pts[0]
	prev := rc[q.at] + q.frac*float64(row[q.clamp])
	pts = pts[1:]
	dst, src = dst[:len(pts)], src[:len(pts)]
	for i, q := range pts {
		next := rc[q.at] + q.frac*float64(row[q.clamp])
		dst[i] = src[i] + (next-prev)/d/fw*fn
		prev = next
	}
}

// lerpRows sets dst to r0 + f·(r1 − r0), element by element.
func lerpRows(dst, r0, r1 []float64, f float64) {
	r0, r1 = r0[:len(dst)], r1[:len(dst)]
	for i := range dst {
		dst[i] = r0[i] + f*(r1[i]-r0[i])
	}
}

// rowSamples sets pix to the rounded means (next − last)/span, clamped to
// 0–255 as math.Max(0, math.Min(255, v)) would.
func rowSamples(pix []uint8, next, last []float64, span float64) {
	next, last = next[:len(pix)], last[:len(pix)]
	for i := range pix {
		v := (next[i]-last[i])/span + 0.5
		if v > 255 {
			v = 255
		}
		if v < 0 {
			v = 0
		}
		pix[i] = uint8(v)
	}
}

// colsPool keeps cutSamples' running sums (2.4 MB for a 12 MP photo's plane)
// from one picture to the next.
var colsPool sync.Pool

// runningPoints splits [a, b) into n equal cells and returns each of the n+1
// boundaries as a whole sample index and the fraction into that sample
// (clamped to 0..size).
func runningPoints(a, b float64, n, size int) (at []int, frac []float64) {
	at, frac = make([]int, n+1), make([]float64, n+1)
	step := (b - a) / float64(n)
	for i := 0; i <= n; i++ {
		t := math.Max(0, math.Min(float64(size), a+float64(i)*step))
		k := min(int(t), size)
		at[i], frac[i] = k, t-float64(k)
	}
	return at, frac
}

// dctCos[u][x] is cos(π·u·(2x+1)/128): the DCT-II basis of the 8 lowest
// frequencies over 64 samples.
var dctCos = func() (t [8][hashSide]float64) {
	for u := range t {
		for x := range t[u] {
			t[u][x] = math.Cos(math.Pi * float64(u) * float64(2*x+1) / (2 * hashSide))
		}
	}
	return t
}()

// pHash is goimagehash's PerceptionHash of a 64×64 grey picture, computed
// directly: the unscaled DCT-II of the picture, its 8×8 lowest-frequency
// coefficients in row-major order, and bit 63−i set where coefficient i is
// above their median (the mean of the 32nd and 33rd smallest). goimagehash transforms all 64×64
// frequencies to use 64 of them; this computes only those, about 20 times
// faster, with the same bits (TestPHashMatchesGoimagehash).
func pHash(g *image.Gray) uint64 {
	c := dctCoefs(g)
	return coefHash(&c)
}

// dctCoefs is the unscaled DCT-II of a 64×64 grey picture at its 8×8 lowest
// frequencies: coefficient v*8+u has horizontal frequency u, vertical v. The
// eight sums of a row (and of a column) are made side by side, each in the
// order refDctCoefs (in the tests) makes it, so the bits are the same.
func dctCoefs(g *image.Gray) (coef [64]float64) {
	var rows [hashSide][8]float64 // per picture row, the 8 horizontal frequencies
	for y := 0; y < hashSide; y++ {
		px := g.Pix[y*g.Stride : y*g.Stride+hashSide]
		var s0, s1, s2, s3, s4, s5, s6, s7 float64
		for x := range hashSide {
			v := float64(px[x])
			s0 += v * dctCos[0][x]
			s1 += v * dctCos[1][x]
			s2 += v * dctCos[2][x]
			s3 += v * dctCos[3][x]
			s4 += v * dctCos[4][x]
			s5 += v * dctCos[5][x]
			s6 += v * dctCos[6][x]
			s7 += v * dctCos[7][x]
		}
		rows[y] = [8]float64{s0, s1, s2, s3, s4, s5, s6, s7}
	}
	for v := 0; v < 8; v++ {
		var s [8]float64
		for y := range hashSide {
			c, r := dctCos[v][y], &rows[y]
			s[0] += r[0] * c
			s[1] += r[1] * c
			s[2] += r[2] * c
			s[3] += r[3] * c
			s[4] += r[4] * c
			s[5] += r[5] * c
			s[6] += r[6] * c
			s[7] += r[7] * c
		}
		copy(coef[v*8:v*8+8], s[:])
	}
	return coef
}

// coefHash sets bit 63−i where coefficient i is above the median of the 64.
func coefHash(coef *[64]float64) uint64 {
	sorted := *coef
	slices.Sort(sorted[:])
	median := sorted[31]/2 + sorted[32]/2
	var h uint64
	for i, c := range coef {
		if c > median {
			h |= 1 << (63 - i)
		}
	}
	return h
}

// orientCoefs gives the coefficients of the 64×64 picture turned upright by
// EXIF orientation o (as plane.orient does) from those of the picture: a
// mirror across the vertical axis negates the odd horizontal frequencies,
// across the horizontal axis the odd vertical ones, and a turn by a quarter
// transposes them as well.
func orientCoefs(c *[64]float64, o int) (out [64]float64) {
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			sign := 1.0
			src := v*8 + u
			switch o {
			case 2:
				sign = parity(u)
			case 3:
				sign = parity(u + v)
			case 4:
				sign = parity(v)
			case 5:
				src = u*8 + v
			case 6:
				src, sign = u*8+v, parity(u)
			case 7:
				src, sign = u*8+v, parity(u+v)
			case 8:
				src, sign = u*8+v, parity(v)
			}
			out[v*8+u] = sign * c[src]
		}
	}
	return out
}

// parity is (−1)^k.
func parity(k int) float64 {
	if k%2 == 1 {
		return -1
	}
	return 1
}

// HashPhoto computes the hashes of the photo read from path into p.Hash and
// p.Hashes (the crops), or sets p.Error (naming p.File) when it cannot. It
// returns whether the hashes were computed.
func HashPhoto(p *yanshou.Photo, path string, maxPixels int64) bool {
	hs, err := Hashes(path, maxPixels)
	if err != nil {
		msg := templates.Say("photo.no_hash", err.Error())
		if p.Error != nil {
			msg = *p.Error + "；" + msg
			p.Error = &msg
		} else {
			setError(p, msg)
		}
		return false
	}
	p.Hash, p.Hashes = hs[0], hs[1:]
	return true
}

// Distance is the Hamming distance between two hashes.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// plane is a grey picture (luma, 0–255) of w×h samples.
type plane struct {
	w, h int
	px   []float32
}

// planeOf area-averages a decoded picture's luma to at most planeMax×planeMax.
// A picture large enough for the reduced JPEG decode is first averaged over
// 8×8 blocks, as its DC coefficients are, so that both ways give the same plane.
func planeOf(img image.Image) plane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if min(w, h) >= dcMinSide {
		return blockMeans(img).shrink(planeMax)
	}
	pw, ph := min(w, planeMax), min(h, planeMax)
	luma := lumaFunc(img)
	xmap := make([]int, w)
	for x := range xmap {
		xmap[x] = x * pw / w
	}
	sum := make([]float32, pw*ph)
	cnt := make([]float32, pw*ph)
	for y := 0; y < h; y++ {
		row := (y * ph / h) * pw
		sy := b.Min.Y + y
		for x := 0; x < w; x++ {
			i := row + xmap[x]
			sum[i] += float32(luma(b.Min.X+x, sy))
			cnt[i]++
		}
	}
	for i := range sum {
		sum[i] /= cnt[i]
	}
	return plane{pw, ph, sum}
}

// blockMeans averages a decoded picture's luma over 8×8 blocks (edge blocks
// over their visible part).
func blockMeans(img image.Image) plane {
	b := img.Bounds()
	bw, bh := (b.Dx()+7)/8, (b.Dy()+7)/8
	luma := lumaFunc(img)
	p := plane{bw, bh, make([]float32, bw*bh)}
	cnt := make([]float32, bw*bh)
	for y := 0; y < b.Dy(); y++ {
		row := (y / 8) * bw
		for x := 0; x < b.Dx(); x++ {
			p.px[row+x/8] += float32(luma(b.Min.X+x, b.Min.Y+y))
			cnt[row+x/8]++
		}
	}
	for i := range p.px {
		p.px[i] /= cnt[i]
	}
	return p
}

// orient turns the plane upright according to the EXIF orientation (1..8).
func (p plane) orient(o int) plane {
	if o <= 1 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := plane{ow, oh, make([]float32, len(p.px))}
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			sx, sy := orientSource(o, x, y, w, h)
			out.px[y*ow+x] = p.px[sy*w+sx]
		}
	}
	return out
}

// orientSource is the stored pixel shown at (x, y) of the upright picture for
// EXIF orientation o, the stored picture being w×h.
func orientSource(o, x, y, w, h int) (sx, sy int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, h - 1 - x
	case 7:
		return w - 1 - y, h - 1 - x
	case 8:
		return w - 1 - y, x
	}
	return x, y
}

// sample box-filters the crop c (fractions x0, y0, x1, y1) of the plane to an
// n×n grey picture: each output pixel is the mean of the plane area it covers,
// partial samples weighted by their overlap.
func (p plane) sample(c [4]float64, n int) *image.Gray {
	return p.vpass(p.hpass(c[0], c[2], n), c[1], c[3], n)
}

// hpass box-filters each row's span [x0, x1) (fractions of the width) to n
// values: p.h rows of n.
func (p plane) hpass(x0, x1 float64, n int) []float64 {
	wx := boxWeights(x0*float64(p.w), x1*float64(p.w), n, p.w)
	tmp := make([]float64, p.h*n)
	for y := 0; y < p.h; y++ {
		row := p.px[y*p.w : (y+1)*p.w]
		for i, ws := range wx {
			s := 0.0
			for _, w := range ws {
				s += float64(row[w.i]) * w.w
			}
			tmp[y*n+i] = s
		}
	}
	return tmp
}

// vpass box-filters the rows of an hpass result over [y0, y1) (fractions of
// the height) to n rows.
func (p plane) vpass(tmp []float64, y0, y1 float64, n int) *image.Gray {
	wy := boxWeights(y0*float64(p.h), y1*float64(p.h), n, p.h)
	g := image.NewGray(image.Rect(0, 0, n, n))
	for j, ws := range wy {
		for i := 0; i < n; i++ {
			s := 0.0
			for _, w := range ws {
				s += tmp[w.i*n+i] * w.w
			}
			g.Pix[j*n+i] = uint8(math.Max(0, math.Min(255, s+0.5)))
		}
	}
	return g
}

type weight struct {
	i int
	w float64
}

// boxWeights splits [a, b) into n equal cells and lists, for each, the samples
// (0..size-1) it overlaps with weights summing to 1.
func boxWeights(a, b float64, n, size int) [][]weight {
	out := make([][]weight, n)
	step := (b - a) / float64(n)
	for i := range out {
		lo, hi := a+float64(i)*step, a+float64(i+1)*step
		total := 0.0
		for k := max(0, int(math.Floor(lo))); k < min(size, int(math.Ceil(hi))); k++ {
			ov := math.Min(hi, float64(k+1)) - math.Max(lo, float64(k))
			if ov > 0 {
				out[i] = append(out[i], weight{k, ov})
				total += ov
			}
		}
		if total == 0 { // a cell inside one sample
			k := max(0, min(size-1, int(lo)))
			out[i], total = []weight{{k, 1}}, 1
		}
		for k := range out[i] {
			out[i][k].w /= total
		}
	}
	return out
}

// lumaFunc returns a fast 8-bit luma reader for the common decoded types.
func lumaFunc(img image.Image) func(x, y int) uint32 {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) uint32 { return uint32(m.Y[m.YOffset(x, y)]) }
	case *image.Gray:
		return func(x, y int) uint32 { return uint32(m.Pix[m.PixOffset(x, y)]) }
	case *image.RGBA:
		return func(x, y int) uint32 {
			p := m.Pix[m.PixOffset(x, y):]
			return (299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000
		}
	case *image.NRGBA:
		return func(x, y int) uint32 {
			p := m.Pix[m.PixOffset(x, y):]
			return (299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000
		}
	}
	return func(x, y int) uint32 { return uint32(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y) }
}
