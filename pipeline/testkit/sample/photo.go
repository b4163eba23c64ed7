package sample

import (
	"fmt"
	"image"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/corona10/goimagehash"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// minPHashGap and minDHashGap are the least Hamming distances (of 64 bits) kept
// between the pHash and the dHash of any two distinct sample photos, measured
// before JPEG encoding. The county treats 6 or less as the same picture (pHash);
// JPEG moves a bit or two.
const (
	minPHashGap = 16
	minDHashGap = 13
)

const jpegQuality = 80

// rendered is a photo's JPEG (with EXIF) and its perceptual hashes.
type rendered struct {
	jpg    []byte
	ph, dh uint64
}

// render draws photo p at the given attempt, hashes it and encodes it.
func render(seed int64, p *photo, attempt int) (rendered, error) {
	rng := rand.New(rand.NewPCG(uint64(seed)^0x5bd1e9955bd1e995, p.Seed<<8|uint64(attempt)))
	img := drawScene(rng, p.Group)
	g := reduce(img)
	ph, err := goimagehash.PerceptionHash(g)
	if err != nil {
		return rendered{}, err
	}
	dh, err := goimagehash.DifferenceHash(g)
	if err != nil {
		return rendered{}, err
	}
	jpg, err := exifwrite.Encode(img, jpegQuality, tagsOf(p))
	if err != nil {
		return rendered{}, err
	}
	return rendered{jpg: jpg, ph: ph.GetHash(), dh: dh.GetHash()}, nil
}

// reduce area-averages the picture to a 64×64 grey image, as the photo stage does
// (from every other pixel of every other row: enough for a guard against look-alikes).
func reduce(img *image.RGBA) *image.Gray {
	const side = 64
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var sum [side * side]uint32
	var cnt [side * side]uint32
	for y := 0; y < h; y += 2 {
		row := (y * side / h) * side
		for x := 0; x < w; x += 2 {
			o := img.PixOffset(x, y)
			// ITU-R 601 luma, as image/color's Gray conversion.
			l := (19595*uint32(img.Pix[o]) + 38470*uint32(img.Pix[o+1]) + 7471*uint32(img.Pix[o+2]) + 1<<15) >> 16
			k := row + x*side/w
			sum[k] += l
			cnt[k]++
		}
	}
	g := image.NewGray(image.Rect(0, 0, side, side))
	for i := range sum {
		g.Pix[i] = uint8(sum[i] / max(1, cnt[i]))
	}
	return g
}

func (r rendered) near(o rendered) bool {
	return bits.OnesCount64(r.ph^o.ph) < minPHashGap || bits.OnesCount64(r.dh^o.dh) < minDHashGap
}

// renderPhotos draws every distinct photo of the sample, in parallel, then makes
// sure (in a fixed order, so the result is deterministic) that no two are alike,
// redrawing a photo from the next attempt of its stream when it is. It returns the
// JPEG bytes (with EXIF) by photo; a reused photo gets its original's bytes.
func renderPhotos(seed int64, classes []*class) (map[*photo][]byte, error) {
	var all []*photo
	for _, c := range classes {
		for _, p := range c.Photos {
			if p.Reused == nil {
				all = append(all, p)
			}
		}
	}
	first := make([]rendered, len(all))
	errs := make([]error, len(all))
	parallel(len(all), func(i int) { first[i], errs[i] = render(seed, all[i], 0) })
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	var kept []rendered
	out := make(map[*photo][]byte, len(all))
	for i, p := range all {
		r := first[i]
		for attempt := 1; ; attempt++ {
			clash := false
			for _, k := range kept {
				if r.near(k) {
					clash = true
					break
				}
			}
			if !clash {
				break
			}
			if attempt > 50 {
				return nil, fmt.Errorf("sample: could not draw a distinct picture for %s", p.Rel)
			}
			var err error
			if r, err = render(seed, p, attempt); err != nil {
				return nil, err
			}
		}
		kept = append(kept, r)
		out[p] = r.jpg
	}
	for _, c := range classes {
		for _, p := range c.Photos {
			if p.Reused != nil {
				out[p] = out[p.Reused]
			}
		}
	}
	return out, nil
}

// tagsOf is the EXIF a phone writes for photo p.
func tagsOf(p *photo) exifwrite.Tags {
	t := exifwrite.Tags{Make: p.Cam.Make, Model: p.Cam.Model, Software: p.Cam.Software,
		DateTimeOriginal: p.Taken, DateTimeDigitized: p.Taken, DateTime: p.Taken,
		WithOffset: p.Cam.Offset, Orientation: 1, CameraTables: p.Cam.OwnTables}
	gps := yanshou.LatLon{Lat: p.GPS.Lat, Lon: p.GPS.Lon}
	t.GPS = &gps
	if p.Cam.GPSTime {
		t.GPSTime = p.Taken
	}
	if p.Cam.SubSec {
		t.SubSec = fmt.Sprintf("%03d", p.Seed*7919%1000)
	}
	return t
}

// parallel runs f(0..n-1) on all CPUs.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
