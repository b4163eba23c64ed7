package desk

import (
	"fmt"
	"html/template"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/zh"
	"yanshou/pipeline/store/ledger"
)

// page is what every page's layout shows.
type page struct {
	Title  string
	Office string
	CSRF   string
	User   *ledger.User
}

var funcs = template.FuncMap{
	"verdictClass": func(v yanshou.Verdict) string { return "v-" + string(v) },
	"sevClass":     func(s yanshou.Severity) string { return "s-" + string(s) },
}

func (s *Server) office() string {
	if s.o.Config != nil && s.o.Config.Office != "" {
		return s.o.Config.Office
	}
	return "电子商务办公室"
}

func (s *Server) base(r *http.Request, title string) page {
	sess := session(r)
	return page{Title: title, Office: s.office(), CSRF: sess.CSRF, User: &sess.User}
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var b strings.Builder
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		s.o.Logger.Error("template", "page", name, "err", err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprint(w, b.String())
}

type statusView struct {
	page
	Code    int
	Message string
}

// status answers with a short Chinese page (and no detail of why, for a 404).
func (s *Server) status(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.render(w, r, code, "status.html", statusView{page: page{Title: msg, Office: s.office()}, Code: code, Message: msg})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.status(w, r, http.StatusNotFound, "没有这个页面或文件，或您无权查看")
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.o.Logger.Error("request", "path", r.URL.Path, "err", err)
	s.status(w, r, http.StatusInternalServerError, "服务器出错，请稍后重试或联系管理员")
}

func (s *Server) loc() *time.Location {
	if s.o.Config != nil && s.o.Config.Location != nil {
		return s.o.Config.Location
	}
	return time.Local
}

func (s *Server) retrainShare() float64 {
	if s.o.Config != nil {
		return s.o.Config.Thresholds.AttendancePass
	}
	return 0.8
}

// queueRow is one class in the queue.
type queueRow struct {
	ID, Institution, Class, Title string
	Start                         string
	Version                       int
	Verdict                       yanshou.Verdict
	VerdictZh                     string
	CheckedAt                     string
	Review                        string
	State                         yanshou.State
	Deadline                      string
	Overdue                       bool
}

type queueView struct {
	page
	Rows                  []queueRow
	Total                 int
	Institutions, Months  []string
	Inst, Month, Verdict  string
	Verdicts              [][2]string
	ShowInstitutionFilter bool
}

// reviewPending is the review standing of every class until the desk records
// decisions: the program's verdict awaits the office's.
const reviewPending = "待审核"

func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	classes, err := s.o.Ledger.ScopedClasses(sess.User.Scope(), s.o.Now(), s.loc(), s.retrainShare())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	v := queueView{page: s.base(r, "验收队列"), Inst: q.Get("inst"), Month: q.Get("month"), Verdict: q.Get("verdict"),
		Verdicts:              [][2]string{{"pass", "合格"}, {"fail", "不合格"}, {"veto", "一票否决"}},
		ShowInstitutionFilter: sess.User.Role.Office()}
	insts, months := map[string]bool{}, map[string]bool{}
	for _, c := range classes {
		last := c.Latest()
		month := c.Start.Format("2006-01")
		insts[c.Institution], months[month] = true, true
		if v.Inst != "" && c.Institution != v.Inst || v.Month != "" && month != v.Month || v.Verdict != "" && string(last.Verdict) != v.Verdict {
			continue
		}
		row := queueRow{ID: c.ID, Institution: c.Institution, Class: c.Class, Title: c.Title, Start: c.Start.String(),
			Version: last.Version, Verdict: last.Verdict, VerdictZh: last.Verdict.Chinese(),
			CheckedAt: last.CheckedAt.In(s.loc()).Format("2006-01-02 15:04"), Review: reviewPending, State: c.State,
			Overdue: c.State == yanshou.StateOverdue}
		if !c.Deadline.IsZero() && last.Verdict == yanshou.Fail {
			row.Deadline = c.Deadline.String()
		}
		v.Rows = append(v.Rows, row)
	}
	v.Total = len(classes)
	v.Institutions, v.Months = sortedKeys(insts), sortedKeys(months)
	sort.SliceStable(v.Rows, func(a, b int) bool { return v.Rows[a].CheckedAt > v.Rows[b].CheckedAt })
	s.render(w, r, http.StatusOK, "queue.html", v)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type evidenceView struct {
	File, Where, Detail string
	Photo               int // index of the file among the version's photos, or -1
}

type findingView struct {
	Rule, Message, SeverityZh string
	Severity                  yanshou.Severity
	Evidence                  []evidenceView
}

type articleView struct {
	Article  string
	Findings []findingView
}

type docView struct {
	K          int
	Name       string
	PDF        bool
	Attachment bool
}

type photoView struct {
	K    int
	Name string
}

type classView struct {
	page
	C           *yanshou.ClassRecord
	V           *yanshou.VersionRecord
	Versions    []yanshou.VersionRecord
	CheckedAt   string
	Review      string
	Articles    []articleView
	Warnings    int
	Docs        []docView
	Report      *docView
	Photos      []photoView
	Attendance  yanshou.AttendanceSummary
	PhotoCounts yanshou.PhotoSummary
}

// version picks the version of c the request names (?v=N), or the latest.
func version(c *yanshou.ClassRecord, n string) *yanshou.VersionRecord {
	if n == "" {
		return c.Latest()
	}
	for i := range c.Versions {
		if strconv.Itoa(c.Versions[i].Version) == n {
			return &c.Versions[i]
		}
	}
	return nil
}

func (s *Server) class(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	c, err := s.o.Ledger.ScopedClass(sess.User.Scope(), r.PathValue("id"), s.o.Now(), s.loc(), s.retrainShare())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if c == nil || len(c.Versions) == 0 {
		s.notFound(w, r)
		return
	}
	ver := version(c, r.URL.Query().Get("v"))
	if ver == nil {
		s.notFound(w, r)
		return
	}
	files, err := s.o.Ledger.ScopedFiles(sess.User.Scope(), c.ID, ver.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := classView{page: s.base(r, c.Institution+" "+c.Class), C: c, V: ver, Versions: c.Versions,
		CheckedAt: ver.CheckedAt.In(s.loc()).Format("2006-01-02 15:04"), Review: reviewPending,
		Attendance: ver.Report.Attendance, PhotoCounts: ver.Report.Photos}
	photoIndex := map[string]int{}
	for k, f := range photos(files) {
		photoIndex[f.Rel] = k
		v.Photos = append(v.Photos, photoView{K: k, Name: f.Rel})
	}
	byArticle := map[string]int{}
	for _, f := range ver.Report.Findings {
		if f.Severity == yanshou.Warning {
			v.Warnings++
		}
		fv := findingView{Rule: f.Rule, Message: f.Message, Severity: f.Severity, SeverityZh: f.Severity.Chinese()}
		for _, e := range f.Evidence {
			ev := evidenceView{File: e.File, Where: where(e), Detail: e.Detail, Photo: -1}
			if k, ok := photoIndex[e.File]; ok {
				ev.Photo = k
			}
			fv.Evidence = append(fv.Evidence, ev)
		}
		art := f.Article
		if art == "" {
			art = "其他"
		}
		i, ok := byArticle[art]
		if !ok {
			v.Articles = append(v.Articles, articleView{Article: art})
			i = len(v.Articles) - 1
			byArticle[art] = i
		}
		v.Articles[i].Findings = append(v.Articles[i].Findings, fv)
	}
	sort.SliceStable(v.Articles, func(a, b int) bool { return articleRank(v.Articles[a].Article) < articleRank(v.Articles[b].Article) })
	for k, d := range documents(ver) {
		dv := docView{K: k, Name: d, PDF: strings.HasSuffix(d, ".pdf"), Attachment: !strings.HasSuffix(d, ".pdf")}
		v.Docs = append(v.Docs, dv)
		if d == "验收报告.pdf" {
			v.Report = &v.Docs[len(v.Docs)-1]
		}
	}
	s.render(w, r, http.StatusOK, "class.html", v)
}

// articleRank orders articles of the measures by number (第七条 before
// 第十一条); anything else comes last.
func articleRank(a string) int {
	for n := 1; n < 100; n++ {
		if a == "第"+zh.Number(n)+"条" {
			return n
		}
	}
	return 1000
}

// where is an evidence line's place in its file: sheet and row.
func where(e yanshou.Evidence) string {
	var parts []string
	if e.Sheet != "" {
		parts = append(parts, "工作表“"+e.Sheet+"”")
	}
	if e.Row > 0 {
		parts = append(parts, fmt.Sprintf("第 %d 行", e.Row))
	}
	return strings.Join(parts, " ")
}

// documents are the file names of a version's documents the desk serves, in
// the order of its report's outputs: PDFs and workbooks written into its own
// output folder.
func documents(v *yanshou.VersionRecord) []string {
	var out []string
	for _, o := range v.Report.Outputs {
		name := path.Base(strings.ReplaceAll(o, `\`, "/"))
		switch strings.ToLower(path.Ext(name)) {
		case ".pdf", ".xlsx":
			out = append(out, name)
		}
	}
	return out
}

// photos are a version's site and group photos, by path.
func photos(files []ledger.StoredFile) []ledger.StoredFile {
	var out []ledger.StoredFile
	for _, f := range files {
		if f.IsPhoto() {
			out = append(out, f)
		}
	}
	return out
}
