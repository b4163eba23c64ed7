package photo

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // decoders for Hash
	_ "image/png"
	"io"
	"math/bits"
	"os"
	"time"

	"github.com/corona10/goimagehash"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"yanshou"
)

// hashSide is the side of the grey picture handed to goimagehash's pHash, which
// works on 64×64 (it would resize anything else itself, with a bilinear filter
// that aliases badly on a 12-megapixel photo).
const hashSide = 64

// Hash returns a 64-bit perceptual hash of the picture, decoding at reduced size where possible; refuses pictures over maxPixels (from the header) with an error instead of decoding them.
//
// Go's JPEG decoder cannot decode at a reduced scale, so the whole picture is
// decoded (about 0.3 s for 12 MP on one core), reduced to 64×64 grey by area
// averaging in one pass over the luma plane, turned upright by its EXIF
// orientation, and hashed with goimagehash's PerceptionHash (DCT). The same
// picture re-encoded, resized or rotated (with the orientation tag set) hashes
// within a few bits. maxPixels ≤ 0 means no limit. Errors are Chinese and do not
// name the file: the caller adds the path shown to users (see HashPhoto).
func Hash(path string, maxPixels int64) (h uint64, err error) {
	defer func() {
		if r := recover(); r != nil {
			h, err = 0, fmt.Errorf("图像解码时出错（%v）", r)
		}
	}()
	if st, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("无法打开文件（%s）", osError(err))
	} else if !st.Mode().IsRegular() { // opening a named pipe would block
		return 0, errors.New("不是普通文件，无法读取")
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("无法打开文件（%s）", osError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("无法读取文件信息（%s）", osError(err))
	}
	m, merr := readMeta(f, st.Size())
	if errors.Is(merr, errNotImage) {
		return 0, errors.New(merr.Error()[len(errNotImage.Error())+2:])
	}
	if m.format == fmtHEIF {
		return 0, errors.New("HEIC/HEIF 照片暂不能解码，未计算图像指纹")
	}
	if merr != nil { // the headers are already broken: say how, rather than the decoder's EOF
		return 0, fmt.Errorf("图像无法解码：%v", merr)
	}
	orientation := 1
	if m.tiff != nil {
		if fx, _, err := decodeExif(m.tiff, time.UTC); err == nil && fx.orientation >= 1 && fx.orientation <= 8 {
			orientation = fx.orientation
		}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	cfg, _, err := image.DecodeConfig(bufio.NewReader(f))
	if err != nil {
		return 0, fmt.Errorf("无法读取图像尺寸：%s", detail(err))
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	if px <= 0 {
		return 0, fmt.Errorf("图像尺寸 %d×%d 无效", cfg.Width, cfg.Height)
	}
	if maxPixels > 0 && px > maxPixels {
		return 0, fmt.Errorf("图像尺寸 %d×%d（%.1f 百万像素）超过上限 %.1f 百万像素，未解码",
			cfg.Width, cfg.Height, float64(px)/1e6, float64(maxPixels)/1e6)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	img, _, err := image.Decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return 0, fmt.Errorf("图像数据损坏或不完整：%s", detail(err))
	}
	g := orient(reduce(img), orientation)
	ph, err := goimagehash.PerceptionHash(g)
	if err != nil {
		return 0, fmt.Errorf("计算图像指纹失败（%v）", err)
	}
	return ph.GetHash(), nil
}

// HashPhoto computes the hash of the photo read from path into p.Hash, or sets
// p.Error (naming p.File) when it cannot. It returns whether a hash was computed.
func HashPhoto(p *yanshou.Photo, path string, maxPixels int64) bool {
	h, err := Hash(path, maxPixels)
	if err != nil {
		msg := "未能计算图像指纹：" + err.Error()
		if p.Error != nil {
			msg = *p.Error + "；" + msg
			p.Error = &msg
		} else {
			setError(p, msg)
		}
		return false
	}
	p.Hash = h
	return true
}

// Distance is the Hamming distance between two hashes.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// reduce returns the picture as grey, area-averaged to hashSide×hashSide when it is
// at least that large (else at its own size, for goimagehash to resize).
func reduce(img image.Image) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	luma := lumaFunc(img)
	if w < hashSide || h < hashSide {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.Pix[y*g.Stride+x] = uint8(luma(b.Min.X+x, b.Min.Y+y))
			}
		}
		return g
	}
	xmap := make([]int, w)
	for x := range xmap {
		xmap[x] = x * hashSide / w
	}
	var sum [hashSide * hashSide]uint64
	var cnt [hashSide * hashSide]uint32
	for y := 0; y < h; y++ {
		row := (y * hashSide / h) * hashSide
		sy := b.Min.Y + y
		for x := 0; x < w; x++ {
			i := row + xmap[x]
			sum[i] += uint64(luma(b.Min.X+x, sy))
			cnt[i]++
		}
	}
	g := image.NewGray(image.Rect(0, 0, hashSide, hashSide))
	for i := range sum {
		g.Pix[i] = uint8((sum[i] + uint64(cnt[i])/2) / uint64(cnt[i]))
	}
	return g
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

// orient turns a grey picture upright according to the EXIF orientation (1..8).
func orient(g *image.Gray, o int) *image.Gray {
	if o <= 1 || o > 8 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := image.NewGray(image.Rect(0, 0, ow, oh))
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
			out.Pix[y*out.Stride+x] = g.Pix[sy*g.Stride+sx]
		}
	}
	return out
}
