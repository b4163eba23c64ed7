package photo

import (
	"errors"
	"hash"
	"image"
	"io"

	"yanshou/pipeline/format/heic"
	"yanshou/templates"
)

// notInTime is a HEIC decode stopped at its deadline; it is ErrNotDecoded.
type notInTime struct{ msg string }

func (e notInTime) Error() string        { return e.msg }
func (e notInTime) Is(target error) bool { return target == ErrNotDecoded }

// heicPlane decodes the HEIC picture in f into an upright grey plane (libheif
// applies the container's rotation and mirroring; the EXIF Orientation of a
// HEIC describes the same turn and is not applied again). Pictures over
// maxPixels are refused before their pixels are decoded, as JPEGs are; a HEIF
// of another codec (AVIF), or a decode stopped at heic.Timeout, is
// ErrNotDecoded (the picture is not at fault). The bytes decoded are written
// to sum when not nil; the picture's proxy (writeProxy) is written at proxy
// when not "" and not there already.
func heicPlane(f io.ReadSeeker, maxPixels int64, sum hash.Hash, proxy string) (plane, error) {
	img, err := heicImage(f, maxPixels, sum)
	if err != nil {
		return plane{}, err
	}
	if proxy != "" && !proxyExists(proxy) {
		writeProxy(img, proxy) // none on failure: the report and archive decode the HEIC
	}
	return planeOf(img), nil
}

// heicImage is heicPlane's decode: the upright picture.
func heicImage(f io.ReadSeeker, maxPixels int64, sum hash.Hash) (image.Image, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data, err := heic.Read(f)
	if err != nil {
		return nil, errors.New(templates.Say("photo.heic_failed", err))
	}
	if sum != nil {
		sum.Write(data) // the whole file: what was decoded is what is named
	}
	img, err := heic.Decode(data, maxPixels)
	var big *heic.TooLargeError
	switch {
	case errors.Is(err, heic.ErrNotHEIC):
		return nil, ErrNotDecoded
	case errors.Is(err, heic.ErrTimeout): // not the picture's fault: not decoded, not damaged
		return nil, notInTime{templates.Say("photo.heic_failed", err)}
	case errors.As(err, &big):
		px := int64(big.W) * int64(big.H)
		return nil, errors.New(templates.Say("photo.too_many_pixels",
			big.W, big.H, float64(px)/1e6, float64(maxPixels)/1e6))
	case err != nil:
		return nil, errors.New(templates.Say("photo.heic_failed", err))
	}
	return img, nil
}
