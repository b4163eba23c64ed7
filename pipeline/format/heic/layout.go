package heic

import (
	"fmt"
	"image"
	"image/color"
)

// libheif's enums, as the module returns them.
const (
	colorspaceYCbCr      = 0
	colorspaceRGB        = 1
	colorspaceMonochrome = 2
	chroma420            = 1
	chroma422            = 2
	chroma444            = 3
)

// layout is how the module lays the decoded planes out in its output buffer
// (each row padded to 16 bytes).
type layout struct {
	model         color.Model
	w, h          int
	size          int // bytes
	yStride, cw   int // luma stride, chroma stride (YCbCr)
	ch            int // chroma rows
	stride        int // Gray, RGBA
	sub           image.YCbCrSubsampleRatio
	colorspace    uint32
	premultiplied bool
}

func align16(n int) int { return (n + 15) &^ 15 }

func layoutOf(w, h int, colorspace, chroma uint32, premultiplied bool) (layout, error) {
	l := layout{w: w, h: h, colorspace: colorspace, premultiplied: premultiplied}
	switch colorspace {
	case colorspaceYCbCr:
		l.model = color.YCbCrModel
		cw, ch := (w+1)/2, (h+1)/2
		switch chroma {
		case chroma420:
			l.sub = image.YCbCrSubsampleRatio420
		case chroma422:
			l.sub, ch = image.YCbCrSubsampleRatio422, h
		case chroma444:
			l.sub, cw, ch = image.YCbCrSubsampleRatio444, w, h
		default:
			return l, fmt.Errorf("HEIC 色度格式 %d 不受支持", chroma)
		}
		l.yStride, l.cw, l.ch = align16(w), align16(cw), ch
		l.size = l.yStride*h + 2*l.cw*ch
	case colorspaceMonochrome:
		l.model = color.GrayModel
		l.stride = align16(w)
		l.size = l.stride * h
	case colorspaceRGB:
		l.model = color.NRGBAModel
		if premultiplied {
			l.model = color.RGBAModel
		}
		l.stride = align16(4 * w)
		l.size = l.stride * h
	default:
		return l, fmt.Errorf("HEIC 色彩空间 %d 不受支持", colorspace)
	}
	return l, nil
}

// image wraps the module's output bytes (l.size of them) without copying.
func (l layout) image(pix []byte) image.Image {
	r := image.Rect(0, 0, l.w, l.h)
	switch l.colorspace {
	case colorspaceYCbCr:
		i0 := l.yStride * l.h
		i1 := i0 + l.cw*l.ch
		return &image.YCbCr{Y: pix[:i0:i0], Cb: pix[i0:i1:i1], Cr: pix[i1:l.size:l.size],
			SubsampleRatio: l.sub, YStride: l.yStride, CStride: l.cw, Rect: r}
	case colorspaceMonochrome:
		return &image.Gray{Pix: pix, Stride: l.stride, Rect: r}
	default:
		if l.premultiplied {
			return &image.RGBA{Pix: pix, Stride: l.stride, Rect: r}
		}
		return &image.NRGBA{Pix: pix, Stride: l.stride, Rect: r}
	}
}
