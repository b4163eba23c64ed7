package desk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"yanshou/pipeline/store/ledger"
)

// A resumable upload sends one zip in chunks: POST /upload/resume declares it
// (its form token, name, size and SHA-256) and answers how many bytes the
// desk already holds; each PUT /upload/resume/{token} appends one chunk at
// that offset (Content-Range: bytes a-b/size). An interrupted upload resumes
// from the bytes kept, after a reload too (the page keeps the token for the
// same file). The last chunk's bytes are verified whole by SHA-256, then the
// zip is placed as a zip sent in one form is (place: the same token lands
// once, the intake's zip rules unchanged).
const (
	// MaxChunkBytes is the largest chunk one PUT may carry.
	MaxChunkBytes = 16 << 20
	// DefaultUploadChunkBytes is the chunk the upload page sends: about 30 s
	// at a town's 150 KB/s, little to send again when a connection breaks.
	DefaultUploadChunkBytes = 4 << 20
	// resumeKeep is how long the bytes of an upload left unfinished are kept.
	resumeKeep = 7 * 24 * time.Hour
	// chunkTimeout is how long one chunk may take to arrive (16 MiB at about
	// 30 KB/s).
	chunkTimeout = 10 * time.Minute
	resumePrefix = "r-"
	resumeMeta   = "upload.json"
	resumeData   = "upload.zip"
)

func (s *Server) uploadChunk() int64 {
	if n := s.o.UploadChunkBytes; n > 0 {
		return min(n, MaxChunkBytes)
	}
	return DefaultUploadChunkBytes
}

// resumeRecord is what the desk keeps of an unfinished resumable upload,
// beside its bytes.
type resumeRecord struct {
	Login  string `json:"login"`
	Name   string `json:"name"` // the zip's safe name
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// resumeState answers a resumable upload's requests (JSON): the bytes held,
// done with where to go once the zip was placed, or why it was refused.
type resumeState struct {
	Offset   int64  `json:"offset"`
	Done     bool   `json:"done,omitempty"`
	Location string `json:"location,omitempty"`
	Error    string `json:"error,omitempty"`
}

// resumeLocks serialise the requests of one upload token.
type resumeLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

func (l *resumeLocks) lock(token string) func() {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*sync.Mutex{}
	}
	m := l.m[token]
	if m == nil {
		m = &sync.Mutex{}
		l.m[token] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

func (s *Server) resumeJSON(w http.ResponseWriter, code int, st resumeState) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(st)
}

// resumable checks what every request of a resumable upload needs: an
// institution's account, an inbox, this server's page (Origin and the
// X-CSRF-Token header) and a valid token; it answers the refusal itself.
func (s *Server) resumable(w http.ResponseWriter, r *http.Request, token string) (*ledger.Session, bool) {
	sess := session(r)
	switch {
	case sess.User.Role != ledger.RoleInstitution || sess.User.Institution == "":
		s.resumeJSON(w, http.StatusForbidden, resumeState{Error: "只有培训机构账号可以上传班次材料"})
	case s.o.Inbox == "":
		s.resumeJSON(w, http.StatusServiceUnavailable, resumeState{Error: "审核台没有设置收件目录（serve --inbox），暂不能上传"})
	case !originOK(r) || !s.tokenOK(r.Header.Get("X-CSRF-Token"), sess.CSRF):
		s.resumeJSON(w, http.StatusForbidden, resumeState{Error: "表单已失效（缺少或不符的校验码），请刷新页面后重试"})
	case !validToken(token):
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Error: "上传表单缺少编号，请刷新页面后重试"})
	default:
		return sess, true
	}
	return nil, false
}

func (s *Server) resumeDir(token string) string {
	return filepath.Join(s.o.Inbox, StagingDirName, resumePrefix+token)
}

// readResume reads the record of an unfinished upload of token; nil when
// there is none, or it is another account's (the caller cannot tell which).
func (s *Server) readResume(token, login string) (*resumeRecord, int64, error) {
	dir := s.resumeDir(token)
	data, err := os.ReadFile(filepath.Join(dir, resumeMeta))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var rec resumeRecord
	if json.Unmarshal(data, &rec) != nil || rec.Login != login {
		return nil, 0, nil
	}
	fi, err := os.Stat(filepath.Join(dir, resumeData))
	if err != nil {
		return nil, 0, err
	}
	return &rec, fi.Size(), nil
}

// resumeStart declares a resumable upload or asks how far it got (POST
// /upload/resume: token, name, size, sha256 as form fields).
func (s *Server) resumeStart(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	token := r.PostFormValue("token")
	sess, ok := s.resumable(w, r, token)
	if !ok {
		return
	}
	unlock := s.resumes.lock(token)
	defer unlock()
	if seen, err := s.o.Ledger.UploadSeen(token); err != nil {
		s.resumeJSON(w, http.StatusInternalServerError, resumeState{Error: "服务器出错，请稍后重试"})
		return
	} else if seen {
		s.resumeJSON(w, http.StatusOK, resumeState{Done: true, Location: "/upload"})
		return
	}
	parts, err := cleanRel(r.PostFormValue("name"))
	var ue *uploadError
	if errors.As(err, &ue) {
		s.resumeJSON(w, ue.code, resumeState{Error: ue.msg})
		return
	}
	name := parts[len(parts)-1]
	size, err := strconv.ParseInt(r.PostFormValue("size"), 10, 64)
	sum := strings.ToLower(r.PostFormValue("sha256"))
	switch {
	case !strings.EqualFold(filepath.Ext(name), ".zip"):
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Error: fmt.Sprintf("文件“%s”不是 zip 压缩包（应以 .zip 结尾）", printable(name))})
		return
	case err != nil || size <= 0:
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Error: fmt.Sprintf("文件“%s”的大小无法识别，请刷新页面后重试", printable(name))})
		return
	case size > s.maxUpload():
		s.resumeJSON(w, http.StatusRequestEntityTooLarge, resumeState{Error: fmt.Sprintf("文件“%s”超过上限 %s，请压缩照片或分班次上传", printable(name), humanBytes(s.maxUpload()))})
		return
	case len(sum) != sha256.Size*2 || strings.Trim(sum, "0123456789abcdef") != "":
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Error: fmt.Sprintf("文件“%s”缺少校验值（SHA-256），请刷新页面后重试", printable(name))})
		return
	}
	want := resumeRecord{Login: sess.User.Login, Name: name, Size: size, SHA256: sum}
	rec, held, err := s.readResume(token, sess.User.Login)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rec != nil {
		if *rec != want {
			s.resumeJSON(w, http.StatusConflict, resumeState{Error: fmt.Sprintf("这次上传的文件与先前中断的“%s”不同，请刷新页面后重新上传", printable(rec.Name))})
			return
		}
		if held == rec.Size { // all there, not placed yet (the inbox refused it): try again
			s.resumeFinish(w, r, sess, token, rec)
			return
		}
		s.resumeJSON(w, http.StatusOK, resumeState{Offset: held})
		return
	}
	if _, err := os.Lstat(s.resumeDir(token)); err == nil {
		s.resumeJSON(w, http.StatusConflict, resumeState{Error: "上传编号已被使用，请刷新页面后重新上传"})
		return
	}
	s.sweepResumes()
	dir := s.resumeDir(token)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.fail(w, r, err)
		return
	}
	data, _ := json.Marshal(want)
	err = os.WriteFile(filepath.Join(dir, resumeData), nil, 0o644)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, resumeMeta), data, 0o644) // last: a record always has its bytes
	}
	if err != nil {
		os.RemoveAll(dir)
		s.fail(w, r, err)
		return
	}
	s.resumeJSON(w, http.StatusOK, resumeState{})
}

// sweepResumes removes the bytes of resumable uploads left unfinished longer
// than resumeKeep.
func (s *Server) sweepResumes() {
	staging := filepath.Join(s.o.Inbox, StagingDirName)
	entries, err := os.ReadDir(staging)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), resumePrefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && s.o.Now().Sub(fi.ModTime()) > resumeKeep {
			os.RemoveAll(filepath.Join(staging, e.Name()))
		}
	}
}

// parseRange reads "bytes a-b/size".
func parseRange(h string) (a, b, size int64, ok bool) {
	rest, found := strings.CutPrefix(h, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	span, total, found := strings.Cut(rest, "/")
	from, to, found2 := strings.Cut(span, "-")
	if !found || !found2 {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	a, err1 = strconv.ParseInt(from, 10, 64)
	b, err2 = strconv.ParseInt(to, 10, 64)
	size, err3 = strconv.ParseInt(total, 10, 64)
	return a, b, size, err1 == nil && err2 == nil && err3 == nil && a >= 0 && b >= a && size > b
}

// resumeChunk appends one chunk of a resumable upload at the bytes held (PUT
// /upload/resume/{token}); the last one has the zip verified and placed.
func (s *Server) resumeChunk(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	sess, ok := s.resumable(w, r, token)
	if !ok {
		return
	}
	unlock := s.resumes.lock(token)
	defer unlock()
	rec, held, err := s.readResume(token, sess.User.Login)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rec == nil {
		if seen, _ := s.o.Ledger.UploadSeen(token); seen {
			s.resumeJSON(w, http.StatusOK, resumeState{Done: true, Location: "/upload"})
			return
		}
		s.resumeJSON(w, http.StatusNotFound, resumeState{Error: "没有这次上传（或已过期），请刷新页面后重新上传"})
		return
	}
	a, b, size, ok := parseRange(r.Header.Get("Content-Range"))
	switch {
	case !ok || size != rec.Size || b-a+1 > MaxChunkBytes:
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Offset: held, Error: fmt.Sprintf("“%s”的分段范围无法识别，请刷新页面后重试", printable(rec.Name))})
		return
	case a != held:
		s.resumeJSON(w, http.StatusConflict, resumeState{Offset: held})
		return
	}
	rctl := http.NewResponseController(w)
	rctl.SetReadDeadline(time.Now().Add(chunkTimeout))
	f, err := os.OpenFile(filepath.Join(s.resumeDir(token), resumeData), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, cerr := io.Copy(f, io.LimitReader(r.Body, b-a+1))
	if err := f.Sync(); cerr == nil {
		cerr = err
	}
	if err := f.Close(); cerr == nil {
		cerr = err
	}
	held += n
	if cerr != nil || held < b+1 {
		// What arrived is kept: the page asks how far it got and goes on.
		s.resumeJSON(w, http.StatusBadRequest, resumeState{Offset: held, Error: "上传中断，将从已收到的部分继续"})
		return
	}
	if held < rec.Size {
		s.resumeJSON(w, http.StatusOK, resumeState{Offset: held})
		return
	}
	s.resumeFinish(w, r, sess, token, rec)
}

// resumeFinish verifies the whole zip by its SHA-256 and places it as a zip
// upload; a zip whose bytes do not match is dropped (the page starts over).
func (s *Server) resumeFinish(w http.ResponseWriter, r *http.Request, sess *ledger.Session, token string, rec *resumeRecord) {
	dir := s.resumeDir(token)
	f, err := os.Open(filepath.Join(dir, resumeData))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := sha256.New()
	_, err = io.Copy(h, f)
	f.Close()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hex.EncodeToString(h.Sum(nil)) != rec.SHA256 {
		os.RemoveAll(dir)
		s.o.Logger.Warn("upload refused", "login", sess.User.Login, "reason", "sha256 mismatch")
		s.resumeJSON(w, http.StatusUnprocessableEntity, resumeState{Error: fmt.Sprintf("“%s”上传后的内容与原文件不符（SHA-256 校验失败），已作废，请重新上传", printable(rec.Name))})
		return
	}
	rc := &received{token: token, dir: dir, zip: rec.Name, bytes: rec.Size, name: strings.TrimSuffix(rec.Name, filepath.Ext(rec.Name))}
	err = s.place(sess, rc)
	var ue *uploadError
	switch {
	case errors.Is(err, errAgain), err == nil:
		os.RemoveAll(dir)
		s.o.Logger.Info("upload verified", "login", sess.User.Login, "token", token, "bytes", rec.Size)
		s.resumeJSON(w, http.StatusOK, resumeState{Offset: rec.Size, Done: true, Location: "/upload"})
	case errors.As(err, &ue):
		s.resumeJSON(w, ue.code, resumeState{Offset: rec.Size, Error: ue.msg})
	default:
		s.o.Logger.Error("request", "path", r.URL.Path, "err", err)
		s.resumeJSON(w, http.StatusInternalServerError, resumeState{Offset: rec.Size, Error: "服务器出错，请稍后重试或联系管理员"})
	}
}
