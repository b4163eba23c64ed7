package desk

import (
	"archive/zip"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/output/blank"
	"yanshou/pipeline/platform/config"
)

// blankFile is one blank template, as yanshou template writes it.
type blankFile struct {
	Name string
	Data []byte
}

// blanks makes the blank templates once (blank.Write into a temporary
// folder) and keeps their bytes: the same for every user.
type blanks struct {
	once  sync.Once
	files []blankFile
	err   error
}

func (s *Server) config() *yanshou.Config {
	if s.o.Config != nil {
		return s.o.Config
	}
	return config.Default()
}

func (s *Server) blankFiles() ([]blankFile, error) {
	b := s.kept.blanks
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "yanshou-blank-")
		if err != nil {
			b.err = err
			return
		}
		defer os.RemoveAll(dir)
		paths, err := blank.Write(dir, s.config())
		if err != nil {
			b.err = err
			return
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.err = err
				return
			}
			b.files = append(b.files, blankFile{Name: filepath.Base(p), Data: data})
		}
	})
	return b.files, b.err
}

type downloadsView struct {
	page
	Blanks  []string
	Classes []downloadClass
	Error   string
}

type downloadClass struct {
	ID, Institution, Class, Start, End string
}

// downloads is the page of what institutions print: the blank templates and
// the sign-in sheets of each of the user's judged classes.
func (s *Server) downloads(w http.ResponseWriter, r *http.Request) {
	v := downloadsView{page: s.base(r, "模板与签到表下载")}
	files, err := s.blankFiles()
	if err != nil {
		s.o.Logger.Error("blank templates", "err", err)
		v.Error = "空白模板无法生成：" + err.Error()
	}
	for _, f := range files {
		v.Blanks = append(v.Blanks, f.Name)
	}
	classes, err := s.o.Ledger.ScopedClasses(session(r).User.Scope(), s.o.Now(), s.loc(), s.retrainShare())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range classes {
		v.Classes = append(v.Classes, downloadClass{ID: c.ID, Institution: c.Institution, Class: c.Class, Start: c.Start.String(), End: c.End.String()})
	}
	sort.SliceStable(v.Classes, func(a, b int) bool { return v.Classes[a].Start > v.Classes[b].Start })
	s.render(w, r, http.StatusOK, "downloads.html", v)
}

// blankOne serves one blank template by its number.
func (s *Server) blankOne(w http.ResponseWriter, r *http.Request) {
	files, err := s.blankFiles()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, ok := index(r.PathValue("k"), len(files))
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", disposition("attachment", files[k].Name))
	w.Write(files[k].Data)
}

// blankZip serves every blank template in one zip.
func (s *Server) blankZip(w http.ResponseWriter, r *http.Request) {
	files, err := s.blankFiles()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", disposition("attachment", "培训材料空白模板.zip"))
	z := zip.NewWriter(w)
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: s.o.Now()})
		if err != nil {
			return
		}
		fw.Write(f.Data)
	}
	z.Close()
}

// Bounds of one sign-in sheets download: sessions a day, characters of a
// session's name, sheets in all (days × sessions).
const (
	maxSessions    = 4
	maxSessionName = 8
	maxSheets      = 120
)

// sessionNames reads ?sessions= (上午,下午 by default): names of letters and
// digits only, since they become file names.
func sessionNames(q string) ([]string, string) {
	if strings.TrimSpace(q) == "" {
		return []string{"上午", "下午"}, ""
	}
	var out []string
	for _, p := range strings.FieldsFunc(q, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if utf8.RuneCountInString(p) > maxSessionName || strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return nil, fmt.Sprintf("场次名称“%s”只能由汉字、字母和数字组成，至多 %d 个字", p, maxSessionName)
		}
		out = append(out, p)
	}
	if len(out) == 0 || len(out) > maxSessions {
		return nil, fmt.Sprintf("每天的场次应为 1 至 %d 个，用逗号分隔（例：上午,下午）", maxSessions)
	}
	return out, ""
}

// signinSheets serves the printable sign-in sheets of a judged class (its
// latest version's roster from the originals store), one PDF per day and
// session, in a zip: the same sheets as yanshou signin-sheets --class-id.
func (s *Server) signinSheets(w http.ResponseWriter, r *http.Request) {
	cfg := s.config()
	scope := session(r).User.Scope()
	if c, err := s.o.Ledger.ScopedClass(scope, r.PathValue("id"), s.o.Now(), s.loc(), s.retrainShare()); err != nil {
		s.fail(w, r, err)
		return
	} else if c == nil || c.Latest() == nil {
		s.notFound(w, r)
		return
	}
	rec, path, rel, problem := pipeline.JudgedRoster(s.o.Ledger, s.o.Outbox, scope, r.PathValue("id"), cfg)
	if rec == nil {
		s.status(w, r, http.StatusUnprocessableEntity, "无法生成签到表："+problem)
		return
	}
	sessions, bad := sessionNames(r.URL.Query().Get("sessions"))
	if bad != "" {
		s.status(w, r, http.StatusBadRequest, bad)
		return
	}
	class := strings.TrimSpace(rec.Title + " " + rec.Class)
	plan, _, err := pipeline.PlanSignSheets(pipeline.SignSheetRequest{Roster: path, Rel: rel, Class: class, Start: rec.Start, End: rec.End, Sessions: sessions}, cfg)
	if err != nil {
		s.status(w, r, http.StatusUnprocessableEntity, "无法生成签到表："+err.Error())
		return
	}
	if n := plan.Sheets(); n > maxSheets {
		s.status(w, r, http.StatusUnprocessableEntity, fmt.Sprintf("该班次共需 %d 份签到表（天数 × 场次），超过一次下载的上限 %d 份；请用 yanshou signin-sheets 生成", n, maxSheets))
		return
	}
	s.kept.sheets <- struct{}{}
	defer func() { <-s.kept.sheets }()
	dir, err := os.MkdirTemp("", "yanshou-signin-")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	var paths []string
	var failed error
	if err := plan.Write(dir, func(p string, err error) {
		if err != nil && failed == nil {
			failed = err
		}
		if p != "" {
			paths = append(paths, p)
		}
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(paths) == 0 {
		s.fail(w, r, failed)
		return
	}
	if failed != nil {
		s.o.Logger.Warn("signin sheets", "class", rec.ID, "err", failed)
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", disposition("attachment", "签到表-"+rec.Institution+"-"+rec.Class+".zip"))
	z := zip.NewWriter(w)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		fw, err := z.CreateHeader(&zip.FileHeader{Name: filepath.Base(p), Method: zip.Deflate, Modified: s.o.Now()})
		if err != nil {
			return
		}
		fw.Write(data)
	}
	z.Close()
}
