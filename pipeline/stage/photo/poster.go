package photo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"yanshou/templates"
)

// PosterTimeout bounds one ffmpeg run.
const PosterTimeout = 30 * time.Second

// PosterSide bounds the long side of a poster frame, in pixels.
const PosterSide = 1280

// maxPosterBytes bounds the poster JPEG ffmpeg may leave (a 1280-pixel frame
// at quality 3 is a few hundred KB).
const maxPosterBytes = 8 << 20

// ErrNoFFmpeg: ffmpeg is not installed, so no frame of a video is taken.
var ErrNoFFmpeg error = noFFmpeg{}

type noFFmpeg struct{}

func (noFFmpeg) Error() string { return templates.Say("photo.poster_no_ffmpeg") }

// PosterAt is when the poster frame is taken: a tenth into the video (past
// the first shaky second of a long one, inside a short one), or at 1 s when
// the length is unknown.
func PosterAt(durationS float64) float64 {
	if durationS > 0 {
		return durationS / 10
	}
	return 1
}

// Poster writes one frame of the video at path as a JPEG at dst (its long side
// at most PosterSide) with ffmpeg, taken at PosterAt(durationS). An existing
// dst is kept as it is (posters are keyed by the video's content: written
// once, never redone by a re-check). ffmpeg reads only the local file (no
// network protocols, no other inputs), runs at most PosterTimeout and writes
// at most maxPosterBytes; what it leaves must decode as a JPEG within
// PosterSide. Without ffmpeg: ErrNoFFmpeg. Errors are Chinese.
func Poster(path string, durationS float64, dst string) error {
	if st, err := os.Stat(dst); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		return nil
	}
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		return ErrNoFFmpeg
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return errors.New(templates.Say("photo.poster_failed", err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".poster-*.jpg")
	if err != nil {
		return errors.New(templates.Say("photo.poster_failed", err))
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	ctx, cancel := context.WithTimeout(context.Background(), PosterTimeout)
	defer cancel()
	side := fmt.Sprint(PosterSide)
	run := func(at float64) ([]byte, error) {
		cmd := exec.CommandContext(ctx, bin, "-nostdin", "-hide_banner", "-loglevel", "error",
			"-protocol_whitelist", "file", "-threads", "1",
			"-ss", fmt.Sprintf("%.3f", at), "-i", "file:"+abs,
			"-map", "0:v:0", "-frames:v", "1",
			"-vf", "scale='min("+side+",iw)':'min("+side+",ih)':force_original_aspect_ratio=decrease",
			"-fs", fmt.Sprint(maxPosterBytes), "-f", "image2", "-c:v", "mjpeg", "-q:v", "3", "-y", "file:"+tmpName)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no proxy or other settings from the environment
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		return stderr.Bytes(), err
	}
	stderr, err := run(PosterAt(durationS))
	if st, serr := os.Stat(tmpName); err == nil && (serr != nil || st.Size() == 0) {
		// seeking past the last frame (a length that lies) gives no frame: the first one
		stderr, err = run(0)
	}
	if ctx.Err() != nil {
		return errors.New(templates.Say("photo.poster_timeout", PosterTimeout.Seconds()))
	}
	if err != nil {
		return errors.New(templates.Say("photo.poster_failed", firstLine(stderr, err)))
	}
	data, err := os.ReadFile(tmpName)
	if err != nil || len(data) == 0 {
		return errors.New(templates.Say("photo.poster_none"))
	}
	if len(data) > maxPosterBytes {
		return errors.New(templates.Say("photo.poster_failed", "画面文件过大"))
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || max(cfg.Width, cfg.Height) > PosterSide {
		return errors.New(templates.Say("photo.poster_failed", "画面不是有效的 JPEG"))
	}
	if f, err := os.OpenFile(tmpName, os.O_RDWR, 0); err == nil { // on disk before it is named
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return errors.New(templates.Say("photo.poster_failed", err))
	}
	return nil
}

// firstLine is the first line of a tool's error output, or its exit error.
func firstLine(stderr []byte, err error) string {
	if s := strings.TrimSpace(string(stderr)); s != "" {
		s, _, _ = strings.Cut(s, "\n")
		if r := []rune(s); len(r) > 160 {
			s = string(r[:160]) + "…"
		}
		return s
	}
	return err.Error()
}
