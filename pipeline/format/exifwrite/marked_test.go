package exifwrite

import (
	"bytes"
	"image/jpeg"
	"testing"
)

func TestMarked(t *testing.T) {
	for _, size := range [][2]int{{64, 48}, {48, 64}} {
		b, err := Marked(size[0], size[1], Tags{Make: "X", Orientation: 6})
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := img.Bounds().Size(); got.X != size[0] || got.Y != size[1] {
			t.Errorf("size %v, want %v", got, size)
		}
		r, g, _, _ := img.At(2, 2).RGBA()
		if r>>8 < 180 || g>>8 > 80 {
			t.Errorf("%v: top-left corner not red: r=%d g=%d", size, r>>8, g>>8)
		}
		if !bytes.Contains(b, []byte("Exif\x00\x00")) {
			t.Errorf("%v: no EXIF segment", size)
		}
	}
}
