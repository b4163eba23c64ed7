package pdfdoc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // decoders for pictures among the materials
	"image/jpeg"
	_ "image/png"
	"io"
	"os"

	"github.com/nfnt/resize"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"yanshou/pipeline/format/heic"
)

// JPEGQuality is the quality of re-encoded pictures.
const JPEGQuality = 85

// TooLargeError refuses a picture whose header announces more pixels than the
// limit; it is never decoded.
type TooLargeError struct{ W, H int }

// Error names the size.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("图像 %d×%d 超过像素上限", e.W, e.H)
}

// PrepareImage reads the picture at path and returns it ready to embed: turned
// upright by its EXIF orientation, scaled (Bilinear, nfnt/resize) so that its
// long side is at most maxSide, encoded as JPEG. A JPEG already small enough and
// upright is passed through byte for byte. HEIC is decoded by
// pipeline/format/heic (bounded in memory and time), upright by its container. A picture over maxPixels (from its
// header; ≤ 0: no limit) is refused before decoding.
func PrepareImage(path string, maxPixels int64, maxSide int) (img *Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("解码时出错（%v）", r)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 256<<10) // EXIF lives in the first 64 KB segment
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if heic.Is(head) {
		return prepareHEIC(f, maxPixels, maxSide)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(head))
	if err != nil {
		if _, serr := f.Seek(0, io.SeekStart); serr != nil {
			return nil, serr
		}
		if cfg, format, err = image.DecodeConfig(bufio.NewReader(f)); err != nil {
			return nil, err
		}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("图像尺寸 %d×%d 无效", cfg.Width, cfg.Height)
	}
	if maxPixels > 0 && int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, &TooLargeError{cfg.Width, cfg.Height}
	}
	orientation := 1
	if format == "jpeg" {
		orientation = jpegOrientation(head)
	}
	w, h := cfg.Width, cfg.Height
	if format == "jpeg" && orientation == 1 && max(w, h) <= maxSide {
		if cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel { // not CMYK: safe to embed as is
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			return &Image{JPEG: data, Width: w, Height: h}, nil
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	src, _, err := image.Decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, err
	}
	return scaleEncode(src, orientation, maxSide)
}

// prepareHEIC is PrepareImage for a HEIC picture (decoded by pipeline/format/heic,
// already upright).
func prepareHEIC(f io.ReadSeeker, maxPixels int64, maxSide int) (*Image, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data, err := heic.Read(f)
	if err != nil {
		return nil, err
	}
	src, err := heic.Decode(data, maxPixels)
	if big, ok := err.(*heic.TooLargeError); ok {
		return nil, &TooLargeError{big.W, big.H}
	}
	if err != nil {
		return nil, err
	}
	return scaleEncode(src, 1, maxSide)
}

// scaleEncode scales src so that its long side is at most maxSide, turns it
// upright by the EXIF orientation (1..8) and encodes it as JPEG.
func scaleEncode(src image.Image, orientation, maxSide int) (*Image, error) {
	b0 := src.Bounds()
	w, h := b0.Dx(), b0.Dy()
	if max(w, h) > maxSide {
		if w >= h {
			w, h = maxSide, max(1, int(int64(h)*int64(maxSide)/int64(w)))
		} else {
			w, h = max(1, int(int64(w)*int64(maxSide)/int64(h))), maxSide
		}
		src = resize.Resize(uint(w), uint(h), src, resize.Bilinear)
	}
	out := orient(src, orientation)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: JPEGQuality}); err != nil {
		return nil, err
	}
	b := out.Bounds()
	return &Image{JPEG: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

// orient turns a picture upright according to the EXIF orientation (1..8).
// Transparent pixels of PNG and GIF come out white.
func orient(src image.Image, o int) image.Image {
	b := src.Bounds()
	if o <= 1 || o > 8 {
		if _, ok := src.(*image.YCbCr); ok {
			return src
		}
		if _, ok := src.(*image.Gray); ok {
			return src
		}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Over)
	if o <= 1 || o > 8 {
		return rgba
	}
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			copy(out.Pix[y*out.Stride+4*x:y*out.Stride+4*x+4], rgba.Pix[sy*rgba.Stride+4*sx:])
		}
	}
	return out
}

// jpegOrientation reads the EXIF Orientation tag (IFD0, 0x0112) from the start
// of a JPEG; 1 when absent or unreadable. Every offset is checked.
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return 1
		}
		marker := b[i+1]
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 || marker == 0xFF {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 {
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
