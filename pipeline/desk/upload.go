package desk

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"yanshou/pipeline/platform/filename"
	"yanshou/pipeline/store/ledger"
)

// DefaultUploadMaxBytes is the upload limit when neither Options nor the
// config gives one (intake.desk_upload_max_bytes).
const DefaultUploadMaxBytes = 500 << 20

// UploadTimeout is how long one upload may take to arrive (500 MB at about
// 150 KB/s), beyond the server's own read timeout.
const UploadTimeout = time.Hour

// StagingDirName is the hidden folder inside the inbox where an upload is
// written before it is renamed into place: the intake skips folders whose name
// starts with a dot, and the rename stays on the inbox's own file system.
const StagingDirName = ".上传中"

// Limits of one upload's names.
const (
	maxNameRunes  = 80   // one folder or file name, after filename.Safe
	maxPathDepth  = 8    // folders inside the uploaded class folder
	maxFieldBytes = 256  // a form field (csrf, token)
	defaultFiles  = 5000 // files of one upload when the config gives no max_zip_entries
)

// completionMarker is written at the top of an uploaded folder: the folder is
// whole when it lands, so the intake need not wait for it to settle.
const completionMarker = "提交完成.txt"

func (s *Server) maxUpload() int64 {
	if s.o.MaxUploadBytes > 0 {
		return s.o.MaxUploadBytes
	}
	if s.o.Config != nil && s.o.Config.Intake.DeskUploadMaxBytes > 0 {
		return s.o.Config.Intake.DeskUploadMaxBytes
	}
	return DefaultUploadMaxBytes
}

func (s *Server) maxFiles() int {
	if s.o.Config != nil && s.o.Config.Intake.MaxZipEntries > 0 {
		return s.o.Config.Intake.MaxZipEntries
	}
	return defaultFiles
}

// uploadError is a refusal of an upload, shown to the institution.
type uploadError struct {
	code int
	msg  string
}

func (e *uploadError) Error() string { return e.msg }

func refuse(code int, format string, a ...any) error {
	return &uploadError{code: code, msg: fmt.Sprintf(format, a...)}
}

// errAgain is an upload whose token was already taken: it landed before.
var errAgain = errors.New("the same upload again")

// cleanRel makes the relative path a browser sent for one file of a folder
// into safe parts: separators / and \, no absolute path or drive, no .., no
// NUL, each part a safe name (filename.Safe) of at most maxNameRunes.
func cleanRel(raw string) ([]string, error) {
	if raw == "" {
		return nil, refuse(http.StatusBadRequest, "上传的文件没有文件名")
	}
	if !utf8.ValidString(raw) || strings.ContainsRune(raw, 0) {
		return nil, refuse(http.StatusBadRequest, "文件名“%s”含有无效字符，不能上传", printable(raw))
	}
	p := strings.ReplaceAll(raw, `\`, "/")
	if strings.HasPrefix(p, "/") || len(p) >= 2 && p[1] == ':' {
		return nil, refuse(http.StatusBadRequest, "文件名“%s”是绝对路径，不能上传：请选择班次文件夹上传", printable(raw))
	}
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
			continue
		case "..":
			return nil, refuse(http.StatusBadRequest, "文件名“%s”含有“..”（上级文件夹），不能上传", printable(raw))
		}
		if utf8.RuneCountInString(seg) > 4*maxNameRunes {
			return nil, refuse(http.StatusBadRequest, "文件名“%s…”过长（超过 %d 个字），请改短后上传", printable(firstRunes(seg, 20)), 4*maxNameRunes)
		}
		safe := filename.Safe(seg, maxNameRunes)
		if safe == "" {
			return nil, refuse(http.StatusBadRequest, "文件名“%s”不能用作文件名，请改名后上传", printable(raw))
		}
		out = append(out, safe)
	}
	if len(out) == 0 {
		return nil, refuse(http.StatusBadRequest, "文件名“%s”不能用作文件名，请改名后上传", printable(raw))
	}
	if len(out) > maxPathDepth+1 {
		return nil, refuse(http.StatusBadRequest, "文件“%s”所在的文件夹层次过深（超过 %d 层）", printable(raw), maxPathDepth)
	}
	return out, nil
}

// printable is s for a message: control characters shown as �, at most 60 characters.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '�'
		}
		return r
	}, strings.ToValidUTF8(s, "�"))
	if utf8.RuneCountInString(s) > 60 {
		s = firstRunes(s, 60) + "…"
	}
	return s
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// rawFilename is a part's file name as the browser sent it, with the folders
// of a folder upload (multipart.Part.FileName keeps only the last element).
// ok is false when the header cannot be read (a control character in it).
func rawFilename(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	return params["filename"], true
}

// received is an upload written into its staging folder.
type received struct {
	token string
	dir   string // the staging folder (removed at the end)
	zip   string // the zip's name, for a zip upload
	files []string
	bytes int64
	name  string // the class folder's name: the chosen folder's, or the zip's without .zip
}

// receive reads an upload's parts in order: the csrf and token fields first,
// then either one zip or the files of one folder, each streamed to disk.
func (s *Server) receive(mr *multipart.Reader, sess *ledger.Session, staging string) (*received, error) {
	var csrf string
	rc := &received{}
	started := false
	start := func() error {
		if started {
			return nil
		}
		if !s.tokenOK(csrf, sess.CSRF) {
			return refuse(http.StatusForbidden, "表单已失效（缺少或不符的校验码），请刷新页面后重试")
		}
		if !validToken(rc.token) {
			return refuse(http.StatusBadRequest, "上传表单缺少编号，请刷新页面后重试")
		}
		seen, err := s.o.Ledger.UploadSeen(rc.token)
		if err != nil {
			return err
		}
		if seen {
			return errAgain
		}
		if err := os.MkdirAll(staging, 0o755); err != nil {
			return err
		}
		dir, err := os.MkdirTemp(staging, "u-")
		if err != nil {
			return err
		}
		rc.dir, started = dir, true
		return nil
	}
	var top string // the first folder of a folder upload's paths
	sameTop := true
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rc, tooLarge(err, s.maxUpload())
		}
		field := p.FormName()
		switch field {
		case "csrf", "token":
			b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
			if err != nil {
				return rc, tooLarge(err, s.maxUpload())
			}
			if len(b) > maxFieldBytes {
				return rc, refuse(http.StatusBadRequest, "上传表单的字段过长")
			}
			if field == "csrf" {
				csrf = string(b)
			} else {
				rc.token = string(b)
			}
			continue
		case "zip", "files":
		case "":
			if strings.Contains(p.Header.Get("Content-Disposition"), "filename") {
				return rc, refuse(http.StatusBadRequest, "有一个文件的文件名无法读取（含有控制字符），不能上传")
			}
			continue
		default:
			continue // nothing else is read
		}
		raw, ok := rawFilename(p)
		if !ok {
			return rc, refuse(http.StatusBadRequest, "有一个文件的文件名无法读取（含有控制字符），不能上传")
		}
		if raw == "" {
			continue // an empty file input
		}
		if err := start(); err != nil {
			return rc, err
		}
		parts, err := cleanRel(raw)
		if err != nil {
			return rc, err
		}
		if field == "zip" {
			if rc.zip != "" || len(rc.files) > 0 {
				return rc, refuse(http.StatusBadRequest, "一次只能上传一个 zip 压缩包或一个文件夹")
			}
			name := parts[len(parts)-1]
			if !strings.EqualFold(filepath.Ext(name), ".zip") {
				return rc, refuse(http.StatusBadRequest, "文件“%s”不是 zip 压缩包（应以 .zip 结尾）", printable(raw))
			}
			rc.zip = name
			n, err := writeFile(filepath.Join(rc.dir, "upload.zip"), p)
			rc.bytes += n
			if err != nil {
				return rc, tooLarge(err, s.maxUpload())
			}
			continue
		}
		if rc.zip != "" {
			return rc, refuse(http.StatusBadRequest, "一次只能上传一个 zip 压缩包或一个文件夹")
		}
		if len(rc.files) >= s.maxFiles() {
			return rc, refuse(http.StatusRequestEntityTooLarge, "文件夹中的文件超过 %d 个，请分班次上传", s.maxFiles())
		}
		rel := filepath.Join(parts...)
		if len(rc.files) == 0 {
			top = parts[0]
		}
		if len(parts) < 2 || parts[0] != top {
			sameTop = false
		}
		target := filepath.Join(rc.dir, "folder", rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return rc, refuse(http.StatusBadRequest, "文件“%s”与同名文件夹冲突，不能上传", printable(raw))
		}
		n, err := writeFile(target, p)
		rc.bytes += n
		if errors.Is(err, os.ErrExist) {
			return rc, refuse(http.StatusBadRequest, "文件“%s”与另一个文件同名（文件名整理后），请改名后上传", printable(raw))
		}
		if err != nil {
			return rc, tooLarge(err, s.maxUpload())
		}
		rc.files = append(rc.files, rel)
	}
	if !started {
		if csrf != "" && !s.tokenOK(csrf, sess.CSRF) {
			return rc, refuse(http.StatusForbidden, "表单已失效（缺少或不符的校验码），请刷新页面后重试")
		}
		return rc, refuse(http.StatusBadRequest, "没有选择要上传的文件夹或 zip 压缩包")
	}
	switch {
	case rc.zip != "":
		rc.name = strings.TrimSuffix(rc.zip, filepath.Ext(rc.zip))
	case sameTop:
		rc.name = top
		// the folder's own name is the class folder: its files go one level up
		if err := os.Rename(filepath.Join(rc.dir, "folder", top), filepath.Join(rc.dir, "class")); err != nil {
			return rc, err
		}
	default:
		rc.name = ""
		if err := os.Rename(filepath.Join(rc.dir, "folder"), filepath.Join(rc.dir, "class")); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

// tooLarge turns the error of reading past the limit into a refusal naming
// the limit; any other error is the connection's.
func tooLarge(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return refuse(http.StatusRequestEntityTooLarge, "上传内容超过上限 %s，请压缩照片或分班次上传", humanBytes(limit))
	}
	var ue *uploadError
	if errors.As(err, &ue) {
		return err
	}
	return refuse(http.StatusBadRequest, "上传中断或表单无法读取（%v），请重试", err)
}

// writeFile streams r into a new file at path (refused if it exists).
func writeFile(path string, r io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

func validToken(t string) bool {
	if len(t) < 16 || len(t) > 128 {
		return false
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// land renames the staged upload into <inbox>/<institution>/<name>, or the
// next free name (name（2）…): a new upload never replaces what the intake
// may be reading. It returns the place relative to the inbox (with /).
func land(inbox, institution string, rc *received, now time.Time) (string, error) {
	inst := filename.Safe(institution, maxNameRunes)
	if inst == "" {
		inst = "机构"
	}
	name := filename.Safe(rc.name, maxNameRunes)
	if name == "" {
		name = "上传" + now.Format("20060102-150405")
	}
	dir := filepath.Join(inbox, inst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	src := filepath.Join(rc.dir, "class")
	ext := ""
	if rc.zip != "" {
		src, ext = filepath.Join(rc.dir, "upload.zip"), ".zip"
	} else if err := writeMarker(src); err != nil {
		return "", err
	}
	for i := 1; i <= 100; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s（%d）", name, i)
		}
		dst := filepath.Join(dir, n+ext)
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		var err error
		if ext != "" {
			// a hard link never replaces a file that appeared meanwhile
			if err = os.Link(src, dst); err == nil {
				os.Remove(src)
			} else if !errors.Is(err, os.ErrExist) {
				err = os.Rename(src, dst)
			}
		} else {
			err = os.Rename(src, dst) // fails on a non-empty folder that appeared meanwhile
		}
		if err == nil {
			return inst + "/" + n + ext, nil
		}
		if _, serr := os.Lstat(dst); serr != nil {
			return "", err // not a name taken meanwhile: the inbox refuses
		}
	}
	return "", fmt.Errorf("收件目录 %s 中已有太多名为 %s 的提交", dir, name)
}

func writeMarker(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), completionMarker) || strings.EqualFold(e.Name(), "READY") {
			return nil
		}
	}
	return os.WriteFile(filepath.Join(dir, completionMarker), []byte("审核台上传\n"), 0o644)
}

// upload takes an institution's class, streamed to disk part by part, and
// puts it into the inbox once whole; the same form token twice lands once.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	if sess.User.Role != ledger.RoleInstitution || sess.User.Institution == "" {
		s.status(w, r, http.StatusForbidden, "只有培训机构账号可以上传班次材料")
		return
	}
	if s.o.Inbox == "" {
		s.status(w, r, http.StatusServiceUnavailable, "审核台没有设置收件目录（serve --inbox），暂不能上传")
		return
	}
	if !originOK(r) {
		s.status(w, r, http.StatusForbidden, "表单已失效（缺少或不符的校验码），请刷新页面后重试")
		return
	}
	limit := s.maxUpload()
	if r.ContentLength > limit {
		s.uploadRefused(w, r, refuse(http.StatusRequestEntityTooLarge, "上传内容超过上限 %s，请压缩照片或分班次上传", humanBytes(limit)).(*uploadError))
		return
	}
	// A class of 500 MB over a town's slow line takes longer than the
	// server's read and write timeouts: this request gets its own.
	rctl := http.NewResponseController(w)
	rctl.SetReadDeadline(time.Now().Add(UploadTimeout))
	rctl.SetWriteDeadline(time.Now().Add(UploadTimeout + time.Minute))
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		s.uploadRefused(w, r, &uploadError{code: http.StatusBadRequest, msg: "上传的表单无法读取，请用本页的表单上传"})
		return
	}
	staging := filepath.Join(s.o.Inbox, StagingDirName)
	rc, err := s.receive(mr, sess, staging)
	if rc != nil && rc.dir != "" {
		defer os.RemoveAll(rc.dir)
	}
	if err == nil {
		err = s.place(sess, rc)
	}
	var ue *uploadError
	switch {
	case errors.Is(err, errAgain):
		s.o.Logger.Info("upload repeated", "login", sess.User.Login, "token", rc.token)
		http.Redirect(w, r, "/upload", http.StatusSeeOther)
	case errors.As(err, &ue):
		s.o.Logger.Warn("upload refused", "login", sess.User.Login, "reason", ue.msg)
		s.uploadRefused(w, r, ue)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, "/upload", http.StatusSeeOther)
	}
}

// place records the upload under its token, then renames it into the inbox;
// the record is dropped again when the inbox refuses it, so a retry is taken.
func (s *Server) place(sess *ledger.Session, rc *received) error {
	now := s.o.Now()
	shown := rc.name
	if rc.zip != "" {
		shown = rc.zip
	}
	fresh, err := s.o.Ledger.RecordUpload(&sess.User, rc.token, shown, rc.bytes, max(len(rc.files), 1), now)
	if err != nil {
		return err
	}
	if !fresh {
		return errAgain
	}
	rel, err := land(s.o.Inbox, sess.User.Institution, rc, now)
	if err == nil {
		err = s.o.Ledger.UploadLanded(rc.token, rel)
	}
	if err != nil {
		s.o.Ledger.ForgetUpload(rc.token)
		return err
	}
	s.o.Logger.Info("upload", "login", sess.User.Login, "institution", sess.User.Institution, "place", rel,
		"files", len(rc.files), "bytes", rc.bytes)
	return nil
}

// uploadRow is one upload on the upload page.
type uploadRow struct {
	At, Name, Size, Place string
	Files                 int
	Institution           string
	State                 string // 已上传，排队中 / 验收中 / the verdict
	ClassID               string
	Version               int
	Verdict               string
}

type uploadView struct {
	page
	Token     string // this form's upload token: a retry of it lands once
	Chunk     int64  // the bytes of one chunk of a resumable zip upload
	Error     string
	Max       string
	CanUpload bool // an institution's account, and the desk has an inbox
	NoInbox   bool
	Rows      []uploadRow
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.renderUpload(w, r, http.StatusOK, "")
}

func (s *Server) uploadRefused(w http.ResponseWriter, r *http.Request, e *uploadError) {
	s.renderUpload(w, r, e.code, e.msg)
}

func (s *Server) renderUpload(w http.ResponseWriter, r *http.Request, code int, msg string) {
	sess := session(r)
	ups, err := s.o.Ledger.Uploads(sess.User.Scope())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inst := sess.User.Role == ledger.RoleInstitution && sess.User.Institution != ""
	v := uploadView{page: s.base(r, "上传班次材料"), Token: randomToken(), Chunk: s.uploadChunk(), Error: msg, Max: humanBytes(s.maxUpload()),
		CanUpload: inst && s.o.Inbox != "", NoInbox: inst && s.o.Inbox == ""}
	for _, u := range ups {
		row := uploadRow{At: u.At.In(s.loc()).Format("2006-01-02 15:04"), Name: u.Name, Size: humanBytes(u.Bytes), Files: u.Files,
			Institution: u.Institution, Place: u.Rel, ClassID: u.ClassID, Version: u.Version}
		switch {
		case u.ClassID == "":
			row.State = "已上传，排队中"
		case !u.Done:
			row.State = "验收中"
		default:
			row.State, row.Verdict = "已验收", u.Verdict.Chinese()
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, code, "upload.html", v)
}
