package exifwrite

import (
	"image"
	"image/color"
)

// Marked encodes a w×h JPEG (quality 90) of a soft gradient with a red block at
// its stored top-left corner, and the tags: a test picture whose orientation can
// be seen once it is turned upright.
func Marked(w, h int, t Tags) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(40 + 150*x/w), uint8(90 + 100*y/h), 160, 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{230, 20, 20, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return Encode(img, 90, t)
}
