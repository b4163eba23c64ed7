package photo

import (
	"errors"
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
// ErrNotDecoded (the picture is not at fault).
func heicPlane(f io.ReadSeeker, maxPixels int64) (plane, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return plane{}, err
	}
	data, err := heic.Read(f)
	if err != nil {
		return plane{}, errors.New(templates.Say("photo.heic_failed", err))
	}
	img, err := heic.Decode(data, maxPixels)
	var big *heic.TooLargeError
	switch {
	case errors.Is(err, heic.ErrNotHEIC):
		return plane{}, ErrNotDecoded
	case errors.Is(err, heic.ErrTimeout): // not the picture's fault: not decoded, not damaged
		return plane{}, notInTime{templates.Say("photo.heic_failed", err)}
	case errors.As(err, &big):
		px := int64(big.W) * int64(big.H)
		return plane{}, errors.New(templates.Say("photo.too_many_pixels",
			big.W, big.H, float64(px)/1e6, float64(maxPixels)/1e6))
	case err != nil:
		return plane{}, errors.New(templates.Say("photo.heic_failed", err))
	}
	return planeOf(img), nil
}
