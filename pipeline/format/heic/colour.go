package heic

import (
	"bytes"
	"encoding/binary"
	"image"
)

// fullRange reports whether the picture's samples use the full 0–255 range: as
// the colour property (colr, nclx) in the meta box says; without one, HEVC's
// default (video_full_range_flag 0: "studio" range, luma 16–235), which is how
// libheif's own heif-convert shows such a file.
func fullRange(data []byte) bool {
	meta := topBox(data, "meta")
	i := bytes.Index(meta, []byte("colrnclx"))
	if i < 4 || i+8+7 > len(meta) {
		return false
	}
	return meta[i+8+6]&0x80 != 0
}

// topBox returns the body of the first top-level box of that type, or nil.
func topBox(data []byte, typ string) []byte {
	for off := 0; off+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[off:]))
		head := 8
		switch n {
		case 0:
			n = int64(len(data) - off)
		case 1:
			if off+16 > len(data) {
				return nil
			}
			n, head = int64(binary.BigEndian.Uint64(data[off+8:])), 16
		}
		if n < int64(head) || n > int64(len(data)-off) {
			return nil
		}
		if string(data[off+4:off+8]) == typ {
			return data[off+head : off+int(n)]
		}
		off += int(n)
	}
	return nil
}

// expandRange maps studio-range samples to the full range in place, which is
// what image.YCbCr (JFIF) assumes: luma 16–235 → 0–255, chroma 16–240 → 0–255
// around 128.
func expandRange(y *image.YCbCr) {
	var luma, chroma [256]byte
	for i := range 256 {
		luma[i] = clamp((float64(i) - 16) * 255 / 219)
		chroma[i] = clamp((float64(i)-128)*255/224 + 128)
	}
	for i, v := range y.Y {
		y.Y[i] = luma[v]
	}
	for i, v := range y.Cb {
		y.Cb[i] = chroma[v]
	}
	for i, v := range y.Cr {
		y.Cr[i] = chroma[v]
	}
}

func clamp(v float64) byte {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return byte(v + 0.5)
}
