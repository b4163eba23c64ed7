package photo

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/nfnt/resize"

	"yanshou/pipeline/format/heic"
	"yanshou/templates"
)

// ProxySide bounds the long side, in pixels, of a HEIC photo's proxy: the
// JPEG the report's thumbnail and the archive's page are made from (the
// archive binds pictures at 1600 pixels), so that a HEIC is decoded once.
const ProxySide = 2048

// proxyQuality is the proxy's JPEG quality.
const proxyQuality = 90

// MaxProxies bounds the proxies kept in one folder (TrimProxies): about 0.5 MB
// each, some 2 GB. One removed is made again, by one decode, when needed.
const MaxProxies = 4000

// IsHEIC reports whether the file at path is a HEVC-coded HEIF picture, by
// its content (a HEIC renamed .jpg included).
func IsHEIC(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	return heic.Is(head[:n])
}

// HashesSumProxy is HashesSumDecoded that, for a HEIC picture, also writes the
// decoded picture's proxy at proxy (WriteProxy's JPEG), unless a file is
// there already: the one decode serves the hashes, the report and the
// archive. A proxy that cannot be written leaves none (the report and archive
// then decode the HEIC themselves); it is no fault of the photo.
func HashesSumProxy(path string, maxPixels int64, proxy string) (hs []uint64, sum string, d *Decoded, err error) {
	return hashesSum(path, maxPixels, proxy)
}

// WriteProxy decodes the HEIC picture at path (within maxPixels) and writes
// its proxy at dst, unless a file is there already: a JPEG of the upright
// picture, its long side at most ProxySide, quality 90, written under a
// temporary name, synced and renamed. For a photo whose hashes were cached
// but whose proxy is missing. Errors are Chinese.
func WriteProxy(path string, maxPixels int64, dst string) error {
	if proxyExists(dst) {
		return nil
	}
	f, _, err := openRegular(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := heicImage(f, maxPixels, nil)
	if err != nil {
		return err
	}
	return writeProxy(img, dst)
}

// proxyExists reports whether a proxy is already at dst.
func proxyExists(dst string) bool {
	st, err := os.Stat(dst)
	return err == nil && st.Mode().IsRegular() && st.Size() > 0
}

// writeProxy writes img's proxy at dst (see WriteProxy).
func writeProxy(img image.Image, dst string) error {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if max(w, h) > ProxySide {
		if w >= h {
			w, h = ProxySide, max(1, int(int64(h)*ProxySide/int64(w)))
		} else {
			w, h = max(1, int(int64(w)*ProxySide/int64(h))), ProxySide
		}
		img = resize.Resize(uint(w), uint(h), img, resize.Bilinear)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: proxyQuality}); err != nil {
		return errors.New(templates.Say("photo.proxy_failed", err))
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return errors.New(templates.Say("photo.proxy_failed", err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".proxy-*.jpg")
	if err != nil {
		return errors.New(templates.Say("photo.proxy_failed", err))
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = tmp.Sync() // on disk before it is named
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return errors.New(templates.Say("photo.proxy_failed", err))
	}
	return nil
}

// TrimProxies removes the oldest files of dir (by modification time) past the
// newest keep ones; a missing dir is nothing to trim.
func TrimProxies(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) <= keep {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	type file struct {
		name string
		mod  int64
	}
	files := make([]file, 0, len(entries))
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			files = append(files, file{e.Name(), info.ModTime().UnixNano()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod > files[j].mod })
	for _, f := range files[min(keep, len(files)):] {
		if err := os.Remove(filepath.Join(dir, f.name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
