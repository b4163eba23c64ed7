package photo

import (
	"bytes"
	"errors"
	"image/jpeg"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needFFmpeg skips a test that makes its videos with ffmpeg when it is absent.
func needFFmpeg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed")
	}
}

// makeVideo encodes a video with ffmpeg from one of its test sources (lavfi
// testsrc2 or mandelbrot: moving pictures), size w×h, seconds long.
func makeVideo(t testing.TB, path, source string, w, h int, seconds float64, extra ...string) {
	t.Helper()
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi",
		"-i", source + "=size=" + itoa(w) + "x" + itoa(h) + ":rate=10", "-t", ftoa(seconds),
		"-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"}
	args = append(append(args, extra...), "-y", path)
	if out, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
}

func itoa(n int) string     { return strconv.Itoa(n) }
func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// TestPoster: a frame of a generated video becomes a JPEG within PosterSide,
// the video's length is read from its header, a poster once written is kept
// (no ffmpeg needed again), and a file that is no video is a Chinese error.
func TestPoster(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"small.mp4", 640, 360, 640, 360},
		{"full-hd.mov", 1920, 1080, 1280, 720},
		{"upright.mp4", 720, 1280, 720, 1280},
	} {
		t.Run(c.name, func(t *testing.T) {
			video := filepath.Join(dir, c.name)
			makeVideo(t, video, "testsrc2", c.w, c.h, 2)
			p := ReadVideo(video, c.name, time.UTC)
			if p.Error != nil || math.Abs(p.DurationS-2) > 0.2 {
				t.Fatalf("ReadVideo: duration %.2f, error %v", p.DurationS, p.Error)
			}
			dst := filepath.Join(dir, "posters", c.name+".jpg")
			if err := Poster(video, p.DurationS, dst); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != c.wantW || cfg.Height != c.wantH {
				t.Errorf("poster %d×%d (%v), want %d×%d", cfg.Width, cfg.Height, err, c.wantW, c.wantH)
			}
		})
	}
	t.Run("kept, no ffmpeg needed", func(t *testing.T) {
		dst := filepath.Join(dir, "posters", "small.mp4.jpg")
		before, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", t.TempDir())
		if err := Poster(filepath.Join(dir, "small.mp4"), 3, dst); err != nil {
			t.Fatal(err)
		}
		if after, _ := os.ReadFile(dst); !bytes.Equal(before, after) {
			t.Error("an existing poster was rewritten")
		}
	})
	t.Run("not a video", func(t *testing.T) {
		junk := filepath.Join(dir, "junk.mp4")
		os.WriteFile(junk, []byte("this is no video at all"), 0o644)
		dst := filepath.Join(dir, "posters", "junk.jpg")
		err := Poster(junk, 0, dst)
		if err == nil || !strings.Contains(err.Error(), "未能提取视频画面") {
			t.Errorf("err = %v, want a Chinese reason", err)
		}
		if _, serr := os.Stat(dst); serr == nil {
			t.Error("a poster was left for junk")
		}
	})
	t.Run("length that lies", func(t *testing.T) {
		// a header saying 100 s for a 2 s video: the seek finds no frame, the first one is taken
		video := filepath.Join(dir, "short.mp4")
		makeVideo(t, video, "testsrc2", 320, 240, 2)
		if err := Poster(video, 100, filepath.Join(dir, "posters", "short.jpg")); err != nil {
			t.Error(err)
		}
	})
}

// TestPosterWithoutFFmpeg: with ffmpeg hidden from PATH, no poster and the
// Chinese line the report shows.
func TestPosterWithoutFFmpeg(t *testing.T) {
	dir := t.TempDir()
	video := filepath.Join(dir, "v.mp4")
	os.WriteFile(video, []byte("\x00\x00\x00\x08ftyp"), 0o644)
	t.Setenv("PATH", t.TempDir())
	err := Poster(video, 3, filepath.Join(dir, "p.jpg"))
	if !errors.Is(err, ErrNoFFmpeg) || err.Error() != "未安装 ffmpeg，未提取视频画面" {
		t.Errorf("err = %v, want ErrNoFFmpeg", err)
	}
}

// TestPosterReuse: the same footage sent by another class — re-encoded at a
// lower size and bitrate — gives a poster whose hashes are within the reuse
// distance and which is the same capture cell by cell; another video is not.
func TestPosterReuse(t *testing.T) {
	needFFmpeg(t)
	th := testConfig(t).Thresholds
	cropPenalty = th.PhashCropPenalty
	dir := t.TempDir()
	orig := filepath.Join(dir, "orig.mp4")
	makeVideo(t, orig, "mandelbrot", 960, 540, 2)
	again := filepath.Join(dir, "again.mp4")
	if out, err := exec.Command("ffmpeg", "-nostdin", "-loglevel", "error", "-i", orig, "-vf", "scale=640:360",
		"-b:v", "300k", "-preset", "ultrafast", "-y", again).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	other := filepath.Join(dir, "other.mp4")
	makeVideo(t, other, "testsrc2", 960, 540, 2)
	poster := func(video string) string {
		p := ReadVideo(video, filepath.Base(video), time.UTC)
		dst := video + ".jpg"
		if err := Poster(video, p.DurationS, dst); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	po := poster(orig)
	ho, err := Hashes(po, 100e6)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		video string
		same  bool
	}{{again, true}, {other, false}} {
		pp := poster(c.video)
		hs, err := Hashes(pp, 100e6)
		if err != nil {
			t.Fatal(err)
		}
		capt, err := CompareCaptures(po, pp, 100e6, th.PhotoCaptureTolerance)
		if err != nil {
			t.Fatal(err)
		}
		d := setDistance(ho, hs)
		t.Logf("%s: hash distance %d, cells agreeing %.0f%%", filepath.Base(c.video), d, 100*capt.Share)
		if got := d <= th.PhashMaxDistance && capt.Share >= th.PhotoSameCaptureMinShare; got != c.same {
			t.Errorf("%s: same capture %v, want %v", filepath.Base(c.video), got, c.same)
		}
	}
}
