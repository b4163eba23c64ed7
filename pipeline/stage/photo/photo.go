// Package photo is the photo stage: it reads each picture's metadata (time taken,
// GPS position and time, camera, software) without decoding its pixels, judges
// it against the training class (time window, distance from the venue, inside
// the county) and computes perceptual hashes — of the whole picture and of
// standard crops 5% smaller — so that a picture reused across classes is found
// even when resized, recompressed, converted, brightened or cropped.
//
// Hostile files are expected: every EXIF block is checked entry by entry before
// goexif sees it, only the headers of a file are read for metadata, and a picture
// is decoded for hashing only when its header size is within the configured
// limit — a large JPEG only as far as its DC coefficients (1/8 scale).
package photo

import (
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

var photoExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".heic": true, ".heif": true,
	".webp": true, ".tif": true, ".tiff": true,
}

// IsPhoto reports whether a file name looks like a photo by extension (.jpg .jpeg .png .heic .heif .webp .tif .tiff, case-insensitive).
func IsPhoto(name string) bool {
	return photoExts[strings.ToLower(filepath.Ext(name))]
}

// maxProblemsShown is how many EXIF problems one error message lists.
const maxProblemsShown = 3

// Read reads one photo's metadata without decoding its pixels. rel is the path shown to users; loc is the county zone for times without an offset. Errors go into Photo.Error (Chinese, naming rel), never panics.
//
// A photo without EXIF is not an error: Taken is nil and TimeSource empty. Error
// is set when the file is no picture, is truncated before its image data, or its
// EXIF is damaged; with damaged EXIF the fields read from its intact entries are
// still filled in. Read looks at headers only: damage inside the image data is
// found by Hash, which decodes it.
func Read(path, rel string, loc *time.Location) (p yanshou.Photo) {
	p.File = rel
	if loc == nil {
		loc = time.Local
	}
	f, size, err := openRegular(path)
	if err != nil {
		setError(&p, err.Error())
		return p
	}
	defer f.Close()
	return readFrom(f, size, rel, loc)
}

// openRegular opens a regular file for reading and gives its size; the error
// says in Chinese why not (a missing file, a permission, a named pipe — which
// is never opened, as opening one would block).
func openRegular(path string) (*os.File, int64, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, 0, errors.New(templates.Say("photo.open_failed", oserr.Reason(err)))
	} else if !st.Mode().IsRegular() {
		return nil, 0, errors.New(templates.Say("photo.not_regular"))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, errors.New(templates.Say("photo.open_failed", oserr.Reason(err)))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, errors.New(templates.Say("photo.stat_failed", oserr.Reason(err)))
	}
	return f, st.Size(), nil
}

// readFrom is Read over any random-access content of size bytes.
func readFrom(r io.ReaderAt, size int64, rel string, loc *time.Location) (p yanshou.Photo) {
	p.File = rel
	defer func() {
		if r := recover(); r != nil {
			setError(&p, templates.Say("photo.read_panic", r))
		}
	}()
	m, err := readMeta(r, size)
	p.Width, p.Height = m.width, m.height
	if errors.Is(err, errNotImage) {
		setError(&p, strings.TrimPrefix(err.Error(), errNotImage.Error()+": "))
		return p
	}
	var problems []string
	if err != nil {
		problems = append(problems, err.Error())
	}
	problems = append(problems, m.problems...)
	var fx exifFacts
	if m.tiff != nil {
		var exifProblems []string
		fx, exifProblems, err = decodeExif(m.tiff, loc)
		problems = append(problems, exifProblems...)
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			p.Taken, p.TimeSource = fx.taken, fx.source
			p.Lat, p.Lon = fx.lat, fx.lon
			p.Make, p.Model, p.Software = fx.make, fx.model, fx.software
			p.GPSTime = fx.gpsTime
			if p.Width == 0 && p.Height == 0 {
				p.Width, p.Height = fx.width, fx.height
			}
		}
	}
	fillForensics(&p, m, fx)
	if len(problems) > 0 {
		msg := strings.Join(problems[:min(len(problems), maxProblemsShown)], "；")
		if len(problems) > maxProblemsShown {
			msg += templates.Say("photo.more_problems", len(problems))
		}
		setError(&p, msg)
	}
	return p
}

// setError puts a Chinese message naming the photo's file into p.Error.
func setError(p *yanshou.Photo, msg string) {
	s := fmt.Sprintf("%s：%s", p.File, msg)
	p.Error = &s
}

// detail says in Chinese what a library's error means; the library's own words
// follow in brackets for whoever has to look deeper.
func detail(err error) string {
	var fe jpeg.FormatError
	var ue jpeg.UnsupportedError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.As(err, &fe) && fe == "short Huffman data": // Go's JPEG decoder on a cut scan
		return templates.Say("photo.data_short")
	case errors.As(err, &ue):
		return templates.Say("photo.unsupported_coding", string(ue))
	case errors.As(err, &fe):
		return templates.Say("photo.format_error", string(fe))
	}
	return templates.Say("photo.format_error_other", err)
}
