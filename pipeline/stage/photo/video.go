package photo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/templates"
)

// Videos of the training (第七条: 培训现场照片及视频) are read for the same facts as
// photos: when and where they were recorded, from the MP4/QuickTime boxes —
// the movie header's creation time (mvhd), the QuickTime user data's ©xyz
// position (ISO 6709), and the Apple metadata keys (creation date with its
// offset, location, make, model). No frame is decoded.

var videoExts = map[string]bool{".mp4": true, ".mov": true, ".3gp": true, ".m4v": true}

// IsVideo reports whether a file name is a video the photo stage reads.
func IsVideo(name string) bool { return videoExts[strings.ToLower(filepath.Ext(name))] }

// maxMoov bounds the movie box read into memory (its sample tables grow with
// the length of the video; 64 MiB is hours of video).
const maxMoov = 64 << 20

// mp4Epoch is the origin of MP4 times: 1904-01-01 UTC.
var mp4Epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// ReadVideo reads a video's recording time and place. Errors go into
// Photo.Error (Chinese), never panics; a video without a time is not an error.
func ReadVideo(path, rel string, loc *time.Location) (p yanshou.Photo) {
	p.File = rel
	if loc == nil {
		loc = time.Local
	}
	defer func() {
		if r := recover(); r != nil {
			setError(&p, templates.Say("photo.video_damaged", r))
		}
	}()
	f, size, err := openRegular(path)
	if err != nil {
		setError(&p, err.Error())
		return p
	}
	defer f.Close()
	moov, err := findMoov(f, size)
	if err != nil {
		setError(&p, err.Error())
		return p
	}
	readMoov(moov, &p, loc)
	return p
}

// findMoov walks the top-level boxes by their headers and returns the movie
// box's body.
func findMoov(f io.ReaderAt, size int64) ([]byte, error) {
	var hdr [16]byte
	for off, n := int64(0), 0; off < size && n < 10000; n++ {
		if _, err := f.ReadAt(hdr[:8], off); err != nil {
			break
		}
		bsize := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		head := int64(8)
		switch bsize {
		case 0:
			bsize = size - off
		case 1:
			if _, err := f.ReadAt(hdr[8:16], off+8); err != nil {
				return nil, errors.New(templates.Say("photo.video_truncated"))
			}
			bsize, head = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		}
		if bsize < head || off+bsize > size {
			return nil, errors.New(templates.Say("photo.video_truncated"))
		}
		if typ == "moov" {
			if bsize-head > maxMoov {
				return nil, errors.New(templates.Say("photo.video_moov_large"))
			}
			body := make([]byte, bsize-head)
			if _, err := f.ReadAt(body, off+head); err != nil {
				return nil, errors.New(templates.Say("photo.video_truncated"))
			}
			return body, nil
		}
		off += bsize
	}
	return nil, errors.New(templates.Say("photo.video_no_moov"))
}

// readMoov fills time, place and camera from the movie box.
func readMoov(moov []byte, p *yanshou.Photo, loc *time.Location) {
	kids, _ := boxes(moov)
	var created time.Time
	for _, b := range kids {
		switch b.typ {
		case "mvhd":
			created = mvhdTime(b.body)
			p.DurationS = mvhdDuration(b.body)
		case "udta":
			sub, _ := boxes(b.body)
			for _, u := range sub {
				if u.typ == "\xa9xyz" && len(u.body) > 4 {
					n := int(binary.BigEndian.Uint16(u.body))
					if 4+n <= len(u.body) {
						setISO6709(p, string(u.body[4:4+n]))
					}
				}
			}
		case "meta":
			readAppleMeta(b.body, p)
		case "trak":
			if p.Width == 0 {
				p.Width, p.Height = tkhdSize(b.body)
			}
		}
	}
	if p.Taken == nil && !created.IsZero() {
		t := created.In(loc)
		p.Taken, p.TimeSource = &t, "mvhd"
	}
}

// mvhdTime is the movie header's creation time (zero when unset).
func mvhdTime(b []byte) time.Time {
	if len(b) < 8 {
		return time.Time{}
	}
	var secs uint64
	switch b[0] {
	case 0:
		secs = uint64(binary.BigEndian.Uint32(b[4:8]))
	case 1:
		if len(b) < 12 {
			return time.Time{}
		}
		secs = binary.BigEndian.Uint64(b[4:12])
	default:
		return time.Time{}
	}
	if secs == 0 || secs > 1<<40 {
		return time.Time{}
	}
	return mp4Epoch.Add(time.Duration(secs) * time.Second)
}

// mvhdDuration is the movie's length in seconds from its header (timescale and
// duration, version 0 or 1); 0 when unset or absurd (over 100 hours).
func mvhdDuration(b []byte) float64 {
	var scale, dur uint64
	switch {
	case len(b) >= 20 && b[0] == 0:
		scale, dur = uint64(binary.BigEndian.Uint32(b[12:16])), uint64(binary.BigEndian.Uint32(b[16:20]))
	case len(b) >= 32 && b[0] == 1:
		scale, dur = uint64(binary.BigEndian.Uint32(b[20:24])), binary.BigEndian.Uint64(b[24:32])
	}
	if scale == 0 || dur == 0 || dur == 0xFFFFFFFF || dur == 1<<64-1 {
		return 0
	}
	s := float64(dur) / float64(scale)
	if s > 100*3600 {
		return 0
	}
	return s
}

// tkhdSize is a video track's width and height (16.16 fixed point).
func tkhdSize(trak []byte) (int, int) {
	kids, _ := boxes(trak)
	for _, b := range kids {
		if b.typ != "tkhd" || len(b.body) < 84 {
			continue
		}
		off := 76 // version 0
		if b.body[0] == 1 {
			off = 88
		}
		if off+8 > len(b.body) {
			return 0, 0
		}
		return int(binary.BigEndian.Uint32(b.body[off:]) >> 16), int(binary.BigEndian.Uint32(b.body[off+4:]) >> 16)
	}
	return 0, 0
}

// readAppleMeta reads the QuickTime metadata keys an iPhone writes: the
// creation date with its offset, the location, the make and model.
func readAppleMeta(meta []byte, p *yanshou.Photo) {
	kids, _ := boxes(meta)
	var keys []string
	var ilst []box
	for _, b := range kids {
		switch b.typ {
		case "keys":
			if len(b.body) < 8 {
				continue
			}
			n := int(binary.BigEndian.Uint32(b.body[4:8]))
			rest := b.body[8:]
			for i := 0; i < n && len(rest) >= 8; i++ {
				size := int(binary.BigEndian.Uint32(rest))
				if size < 8 || size > len(rest) {
					break
				}
				keys = append(keys, string(rest[8:size]))
				rest = rest[size:]
			}
		case "ilst":
			ilst, _ = boxes(b.body)
		}
	}
	for _, it := range ilst {
		idx := int(binary.BigEndian.Uint32([]byte(it.typ))) - 1
		if idx < 0 || idx >= len(keys) {
			continue
		}
		data, _ := boxes(it.body)
		for _, d := range data {
			if d.typ != "data" || len(d.body) < 8 {
				continue
			}
			v := string(bytes.TrimRight(d.body[8:], "\x00"))
			switch keys[idx] {
			case "com.apple.quicktime.creationdate":
				if t, err := time.Parse("2006-01-02T15:04:05-0700", v); err == nil {
					p.Taken, p.TimeSource = &t, "QuickTime:CreationDate"
				}
			case "com.apple.quicktime.location.ISO6709":
				setISO6709(p, v)
			case "com.apple.quicktime.make":
				p.Make = v
			case "com.apple.quicktime.model":
				p.Model = v
			}
		}
	}
}

var iso6709 = regexp.MustCompile(`^([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)`)

// setISO6709 reads a position written as ISO 6709 (+33.5440+114.6100+050.000/).
func setISO6709(p *yanshou.Photo, s string) {
	m := iso6709.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return
	}
	lat, err1 := strconv.ParseFloat(m[1], 64)
	lon, err2 := strconv.ParseFloat(m[2], 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || (lat == 0 && lon == 0) {
		return
	}
	p.Lat, p.Lon = &lat, &lon
}
