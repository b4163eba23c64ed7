package rephoto

import (
	"image"
	"math"
	"testing"
)

func TestHomography(t *testing.T) {
	unit := [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}}
	for _, c := range []struct {
		name string
		quad [4][2]float64
	}{
		{"square", [4][2]float64{{0, 0}, {100, 0}, {100, 100}, {0, 100}}},
		{"keystone", [4][2]float64{{10, 20}, {500, 5}, {510, 400}, {0, 380}}},
		{"turned", [4][2]float64{{50, 0}, {100, 50}, {50, 100}, {0, 50}}},
	} {
		h := homography(c.quad, unit)
		for i, p := range c.quad {
			u, v := apply(h, p[0], p[1])
			if math.Abs(u-unit[i][0]) > 1e-9 || math.Abs(v-unit[i][1]) > 1e-9 {
				t.Errorf("%s: corner %d → (%.4f, %.4f), want %v", c.name, i, u, v, unit[i])
			}
		}
	}
}

// TestTake: the shown picture lies inside the frame, surrounded by the bezel
// or the paper border and the desk; a screen is bluer than the original, a
// print warmer; the same seed draws the same picture.
func TestTake(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := 0; i < len(src.Pix); i += 4 {
		src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = 128, 128, 128, 255
	}
	for _, c := range []struct {
		kind   Kind
		warmer bool
	}{
		{Screen, false},
		{Print, true},
	} {
		out := Take(src, c.kind, Options{Width: 320, Height: 240, Seed: 1})
		if out.Rect.Dx() != 320 || out.Rect.Dy() != 240 {
			t.Fatalf("%s: size %v", c.kind, out.Rect)
		}
		mid := out.RGBAAt(160, 120)
		if warm := mid.R > mid.B; warm != c.warmer {
			t.Errorf("%s: centre %v, warmer %v, want %v", c.kind, mid, warm, c.warmer)
		}
		corner := out.RGBAAt(2, 2)
		if corner == mid {
			t.Errorf("%s: the corner shows the picture", c.kind)
		}
		again := Take(src, c.kind, Options{Width: 320, Height: 240, Seed: 1})
		if string(again.Pix) != string(out.Pix) {
			t.Errorf("%s: not deterministic", c.kind)
		}
	}
}

// TestTakeOptions: a print without its cast keeps the grey picture grey,
// without its glare nothing on the paper is brighter than the paper, with it
// the glare washes part of it out; Table colours the table around it.
func TestTakeOptions(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := 0; i < len(src.Pix); i += 4 {
		src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = 128, 128, 128, 255
	}
	brightest := func(m *image.RGBA) uint8 {
		var b uint8
		for i := 0; i < len(m.Pix); i += 4 {
			b = max(b, m.Pix[i+1])
		}
		return b
	}
	o := Options{Width: 320, Height: 240, Seed: 2}
	glare := brightest(Take(src, Print, o))
	o.Without = NoGlare
	plain := brightest(Take(src, Print, o))
	if glare < 250 || plain > 240 {
		t.Errorf("brightest green: with glare %d (want ≥ 250), without %d (want ≤ 240, the paper)", glare, plain)
	}
	o.Without = NoGlare | NoCast
	if mid := Take(src, Print, o).RGBAAt(160, 120); max(mid.R, mid.G, mid.B)-min(mid.R, mid.G, mid.B) > 8 {
		t.Errorf("without the cast the grey picture is %v", mid)
	}
	o.Table = [3]float64{178, 176, 170}
	if c := Take(src, Print, o).RGBAAt(2, 2); c.R < 170 || c.R > 186 || c.B < 162 || c.B > 178 {
		t.Errorf("the pale table is %v", c)
	}
}
