package archive

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// TestWriteVideoPoster: a video with a poster frame is bound as that picture,
// captioned with the photo facts and the video's length; one without is named
// with why (no ffmpeg), among the files that could not be bound.
func TestWriteVideoPoster(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	fx := newFixture(t)
	poster := filepath.Join(t.TempDir(), "poster.jpg")
	write(t, poster, photoJPEG(t, 1280, 720, exifwrite.Tags{}))
	for _, rel := range []string{"05现场照片/VID_0001.mp4", "05现场照片/VID_0002.mp4"} {
		abs := filepath.Join(fx.root, filepath.FromSlash(rel))
		write(t, abs, []byte("\x00\x00\x00\x08ftyp"))
		fx.r.Submission.Files = append(fx.r.Submission.Files, yanshou.File{Rel: rel, Abs: abs, Size: 8,
			SHA256: strings.Repeat(strconv.Itoa(len(rel)%10), 64), Kind: yanshou.SitePhotos})
	}
	fx.r.Photos = append(fx.r.Photos,
		yanshou.Photo{File: "05现场照片/VID_0001.mp4", Video: true, Poster: poster, DurationS: 42, Width: 1920, Height: 1080,
			InWindow: ptr(true), InVenue: ptr(true), InCounty: ptr(true)},
		yanshou.Photo{File: "05现场照片/VID_0002.mp4", Video: true, DurationS: 8, PosterNote: "未安装 ffmpeg，未提取视频画面"})
	dir := t.TempDir()
	out, err := Write(dir, fx.r, fx.cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, out.Copies[0].Name)
	text := squeeze(run(t, "pdftotext", "-layout", path, "-"))
	for _, want := range []string{"05现场照片/VID_0001.mp4", "时长 42秒", "1920×1080", "05现场照片/VID_0002.mp4", "未安装 ffmpeg，未提取视频画面"} {
		if !strings.Contains(text, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	bound := false
	for _, p := range out.Problems {
		if p.File == "05现场照片/VID_0001.mp4" {
			t.Errorf("the video with a poster is listed as not bound: %+v", p)
		}
		bound = bound || p.File == "05现场照片/VID_0002.mp4" && strings.Contains(p.Detail, "ffmpeg")
	}
	if !bound {
		t.Errorf("the video without a poster is not among the problems: %+v", out.Problems)
	}
}
