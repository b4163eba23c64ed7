package desk

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // photos may be PNG
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/draw"

	"yanshou"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
)

// index parses a route's number: decimal digits only, below limit.
func index(s string, limit int) (int, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n < limit
}

// scopedVersion resolves the {id} and {n} of a file route through the ledger,
// in the session's scope; nil when the class is not there or not visible.
func (s *Server) scopedVersion(w http.ResponseWriter, r *http.Request) (*yanshou.ClassRecord, *yanshou.VersionRecord, bool) {
	c, err := s.o.Ledger.ScopedClass(session(r).User.Scope(), r.PathValue("id"), s.o.Now(), s.loc(), s.retrainShare())
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	if c == nil {
		s.notFound(w, r)
		return nil, nil, false
	}
	n, ok := index(r.PathValue("n"), 1<<20)
	if !ok {
		s.notFound(w, r)
		return nil, nil, false
	}
	v := version(c, strconv.Itoa(n))
	if v == nil {
		s.notFound(w, r)
		return nil, nil, false
	}
	return c, v, true
}

// openRegular opens a file that is a regular file itself (not a link, a
// folder or a device).
func openRegular(p string) (*os.File, os.FileInfo, error) {
	st, err := os.Lstat(p)
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s 不是普通文件", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	return f, st, nil
}

func disposition(kind, name string) string {
	return fmt.Sprintf("%s; filename*=UTF-8''%s", kind, url.PathEscape(name))
}

// document serves one of a version's documents, by its number among them.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	_, v, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	docs := s.documents(v)
	k, ok := index(r.PathValue("k"), len(docs))
	if !ok || !filepath.IsLocal(filepath.FromSlash(v.OutDir)) || v.OutDir == "" {
		s.notFound(w, r)
		return
	}
	name := docs[k]
	f, st, err := openRegular(filepath.Join(s.o.Outbox, filepath.FromSlash(v.OutDir), filepath.FromSlash(name)))
	if err != nil {
		s.notFound(w, r)
		return
	}
	defer f.Close()
	if path.Ext(name) == ".pdf" {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", disposition("inline", docTitle(name)))
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", disposition("attachment", docTitle(name)))
	}
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// scopedPhoto resolves {k} to one of the version's photos and its stored original.
func (s *Server) scopedPhoto(w http.ResponseWriter, r *http.Request) (ledger.StoredFile, string, bool) {
	c, v, ok := s.scopedVersion(w, r)
	if !ok {
		return ledger.StoredFile{}, "", false
	}
	files, err := s.o.Ledger.ScopedFiles(session(r).User.Scope(), c.ID, v.Version)
	if err != nil {
		s.fail(w, r, err)
		return ledger.StoredFile{}, "", false
	}
	ps := photos(files)
	k, ok := index(r.PathValue("k"), len(ps))
	if !ok || !isSHA256(ps[k].SHA256) {
		s.notFound(w, r)
		return ledger.StoredFile{}, "", false
	}
	return ps[k], originals.Path(filepath.Join(s.o.Outbox, ".yanshou", "originals"), ps[k].SHA256), true
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func imageType(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".png") {
		return "image/png"
	}
	return "image/jpeg"
}

// photo serves the original bytes of a photo as the program judged them.
func (s *Server) photo(w http.ResponseWriter, r *http.Request) {
	pf, p, ok := s.scopedPhoto(w, r)
	if !ok {
		return
	}
	f, st, err := openRegular(p)
	if err != nil {
		s.notFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", imageType(pf.Rel))
	w.Header().Set("Content-Disposition", disposition("inline", path.Base(pf.Rel)))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// Thumbnail bounds: the longest side of a thumbnail, the largest picture
// decoded for one, how many are made at once and kept.
const (
	thumbSide      = 320
	thumbMaxPixels = 80_000_000
	thumbWorkers   = 2
	thumbKept      = 2000
)

// thumbnails makes and keeps small JPEGs of photos by SHA-256.
type thumbnails struct {
	mu    sync.Mutex
	kept  map[string][]byte
	slots chan struct{}
}

func newThumbnails() *thumbnails {
	return &thumbnails{kept: map[string][]byte{}, slots: make(chan struct{}, thumbWorkers)}
}

func (t *thumbnails) get(sha, p string) ([]byte, error) {
	t.mu.Lock()
	b, ok := t.kept[sha]
	t.mu.Unlock()
	if ok {
		return b, nil
	}
	t.slots <- struct{}{}
	defer func() { <-t.slots }()
	b, err := makeThumbnail(p)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	if len(t.kept) < thumbKept {
		t.kept[sha] = b
	}
	t.mu.Unlock()
	return b, nil
}

func makeThumbnail(p string) ([]byte, error) {
	f, _, err := openRegular(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > thumbMaxPixels {
		return nil, fmt.Errorf("图片 %d×%d 过大", cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return nil, err
	}
	w, h := cfg.Width, cfg.Height
	if w >= h && w > thumbSide {
		w, h = thumbSide, max(1, h*thumbSide/w)
	} else if h > w && h > thumbSide {
		w, h = max(1, w*thumbSide/h), thumbSide
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// thumbnail serves a small JPEG of a photo; a photo that cannot be decoded
// gets a 404 and the page shows its name instead.
func (s *Server) thumbnail(w http.ResponseWriter, r *http.Request) {
	pf, p, ok := s.scopedPhoto(w, r)
	if !ok {
		return
	}
	b, err := s.thumb.get(pf.SHA256, p)
	if err != nil {
		s.o.Logger.Warn("thumbnail", "file", pf.Rel, "err", err)
		s.status(w, r, http.StatusNotFound, "无法生成缩略图："+path.Base(pf.Rel))
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(b)
}
