package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// TestReportVideoPoster: a video with a poster frame shows it as its thumbnail
// and its facts under its name; one without says why (no ffmpeg) in its place.
func TestReportVideoPoster(t *testing.T) {
	r := sampleResult(yanshou.Pass)
	if len(r.Photos) < 2 {
		t.Fatal("the sample result needs two photos")
	}
	poster := filepath.Join(t.TempDir(), "poster.jpg")
	os.WriteFile(poster, mustMarked(t, 1280, 720, exifwrite.Tags{}), 0o644)
	r.Photos[0].Video, r.Photos[0].Poster, r.Photos[0].DurationS = true, poster, 75
	r.Photos[0].Width, r.Photos[0].Height = 1920, 1080
	r.Photos[1].Video, r.Photos[1].DurationS = true, 12
	r.Photos[1].PosterNote = "未安装 ffmpeg，未提取视频画面"
	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, r, testConfig(t)); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, im := range images(t, path) {
		got[im] = true
	}
	if !got["240x135"] {
		t.Errorf("images %v: no 240×135 thumbnail of the poster", got)
	}
	text := squeeze(pdfText(t, path))
	for _, want := range []string{"时长 1分钟15秒", "1920×1080", "时长 12秒", "未安装 ffmpeg，未提取视频画面"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
