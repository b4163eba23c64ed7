package signform

import (
	"image"
	"testing"
)

// box is a blank signature crop (60 × 8.6 mm at CropPerMM) with dark pixels
// where ink(x, y) says, in millimetres from the box's corner.
func box(ink func(x, y float64) bool) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 60*CropPerMM, 34))
	for y := 0; y < g.Bounds().Dy(); y++ {
		for x := 0; x < g.Bounds().Dx(); x++ {
			g.Pix[y*g.Stride+x] = 245
			if ink(float64(x)/CropPerMM, float64(y)/CropPerMM) {
				g.Pix[y*g.Stride+x] = 30
			}
		}
	}
	return g
}

func TestAlike(t *testing.T) {
	zig := func(dx float64) func(x, y float64) bool { // a zigzag from dx to dx+20 mm
		return func(x, y float64) bool {
			x -= dx
			if x < 0 || x > 20 {
				return false
			}
			m := x - 4*float64(int(x/4))
			return (m < 2 && y > 2+m*2 && y < 2.6+m*2) || (m >= 2 && y > 6-(m-2)*2 && y < 6.6-(m-2)*2)
		}
	}
	bars := func(x, y float64) bool { return x > 10 && x < 40 && int(x)%6 < 2 && y > 2 && y < 6.5 }
	for _, c := range []struct {
		name     string
		a, b     *image.Gray
		min, max float64
	}{
		{"the same mark", box(zig(5)), box(zig(5)), 0.99, 1},
		{"the same mark further right", box(zig(5)), box(zig(25)), 0.9, 1},
		{"another mark", box(zig(5)), box(bars), 0, 0.5},
	} {
		sa, oka := ShapeOf(c.a)
		sb, okb := ShapeOf(c.b)
		if !oka || !okb {
			t.Fatalf("%s: not shaped", c.name)
		}
		if v := Alike(sa, sb); v < c.min || v > c.max {
			t.Errorf("%s: alike %.3f, want %.2f–%.2f", c.name, v, c.min, c.max)
		}
	}
	if _, ok := ShapeOf(box(func(x, y float64) bool { return false })); ok {
		t.Error("an empty box shaped")
	}
	if Alike(Shape{}, Shape{}) != 0 {
		t.Error("no shapes alike")
	}
}
