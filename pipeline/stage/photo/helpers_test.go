package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/platform/config"
)

// realworld is the folder of real photos and ExifTool's readings of them.
const realworld = "../../../../shared/realworld"

func realworldDir(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(realworld, "photos.exiftool.json")); err != nil {
		t.Skip("shared/realworld is absent")
	}
	return realworld
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// scene draws a photo-like picture: smooth gradients, a few soft blobs and a
// little noise, all from seed, so that different seeds are different pictures.
func scene(seed int64, w, h int) *image.RGBA {
	r := rand.New(rand.NewSource(seed))
	type blob struct{ x, y, rad, cr, cg, cb float64 }
	blobs := make([]blob, 6)
	for i := range blobs {
		blobs[i] = blob{r.Float64() * float64(w), r.Float64() * float64(h), (0.1 + 0.3*r.Float64()) * float64(w),
			r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	}
	gx, gy := r.Float64()*2-1, r.Float64()*2-1
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			base := 128 + 60*(gx*fx+gy*fy)
			rr, gg, bb := base, base, base
			for _, b := range blobs {
				d := math.Hypot(float64(x)-b.x, float64(y)-b.y) / b.rad
				if d < 1 {
					k := (1 - d*d)
					rr += (b.cr - rr) * k
					gg += (b.cg - gg) * k
					bb += (b.cb - bb) * k
				}
			}
			n := r.Float64()*6 - 3
			img.Pix[img.PixOffset(x, y)] = clamp(rr + n)
			img.Pix[img.PixOffset(x, y)+1] = clamp(gg + n)
			img.Pix[img.PixOffset(x, y)+2] = clamp(bb + n)
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	return img
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, v)))
}

// writeJPEG encodes img with tags into dir/name and returns the path.
func writeJPEG(t testing.TB, dir, name string, img image.Image, quality int, tags exifwrite.Tags) string {
	t.Helper()
	data, err := exifwrite.Encode(img, quality, tags)
	if err != nil {
		t.Fatalf("exifwrite.Encode: %v", err)
	}
	return writeFile(t, dir, name, data)
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// exifBlock returns the TIFF bytes exifwrite writes for tags.
func exifBlock(t testing.TB, tags exifwrite.Tags) []byte {
	t.Helper()
	data, err := exifwrite.Encode(image.NewGray(image.Rect(0, 0, 8, 8)), 75, tags)
	if err != nil {
		t.Fatal(err)
	}
	seg, _ := app1(data)
	return seg
}

// app1 returns the TIFF block of the first Exif APP1 segment and its offset in data.
func app1(data []byte) ([]byte, int) {
	i := bytes.Index(data, []byte("Exif\x00\x00"))
	if i < 4 {
		return nil, -1
	}
	n := int(binary.BigEndian.Uint16(data[i-2:])) - 2
	return data[i+6 : i+n], i + 6
}

// entryAt finds the 12-byte entry of tag in IFD0 or the Exif/GPS IFDs of a
// big-endian TIFF block (as exifwrite writes) and returns its offset.
func entryAt(t testing.TB, b []byte, tag uint16) int {
	t.Helper()
	be := binary.BigEndian
	var find func(off uint32) int
	find = func(off uint32) int {
		n := int(be.Uint16(b[off:]))
		for i := 0; i < n; i++ {
			e := int(off) + 2 + 12*i
			id := be.Uint16(b[e:])
			if id == tag {
				return e
			}
			if id == tagExifIFD || id == tagGPSIFD {
				if r := find(be.Uint32(b[e+8:])); r >= 0 {
					return r
				}
			}
		}
		return -1
	}
	e := find(be.Uint32(b[4:]))
	if e < 0 {
		t.Fatalf("tag 0x%04X not in block", tag)
	}
	return e
}

// testConfig is the built-in county config with a WGS-84 and a GCJ-02 venue.
func testConfig(t testing.TB) *yanshou.Config {
	t.Helper()
	cfg := config.Default()
	if cfg.Location == nil {
		t.Fatal("default config has no location")
	}
	return cfg
}

func date(y int, m time.Month, d int) yanshou.Date {
	return yanshou.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, shanghai)}
}

func gray(w, h int, f func(x, y int) uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.SetGray(x, y, color.Gray{Y: f(x, y)})
		}
	}
	return g
}
