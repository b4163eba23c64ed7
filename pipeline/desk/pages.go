package desk

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline"
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
	Verdict                       yanshou.Verdict // the program's
	VerdictZh                     string
	// Final is the verdict after the office's decisions and facts, where it
	// differs from the program's ("" otherwise); Confirmed whether it stands
	// confirmed (only then does the standing follow it).
	Final     yanshou.Verdict
	FinalZh   string
	Confirmed bool
	CheckedAt string
	Review    string
	State     yanshou.State
	Deadline  string
	Overdue   bool
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

// queue lists the classes the user sees with their final verdicts as stored
// when the office decided or counted (ledger.Finals: no report is read), the
// standing and the verdict filter following the confirmed final verdict
// (ledger.ApplyFinal, in the list).
func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	scope := sess.User.Scope()
	if err := s.refreshFinals(); err != nil {
		s.fail(w, r, err)
		return
	}
	classes, err := s.o.Ledger.ScopedClassList(scope, s.o.Now(), s.loc(), s.retrainShare())
	var finals map[string]*ledger.Final
	if err == nil {
		finals, err = s.o.Ledger.Finals(scope, s.loc())
	}
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
		// The filter takes the verdict that counts: the confirmed final
		// verdict, else the program's.
		if v.Inst != "" && c.Institution != v.Inst || v.Month != "" && month != v.Month || v.Verdict != "" && string(last.Verdict) != v.Verdict {
			continue
		}
		program := last.ProgramVerdict()
		row := queueRow{ID: c.ID, Institution: c.Institution, Class: c.Class, Title: c.Title, Start: c.Start.String(),
			Version: last.Version, Verdict: program, VerdictZh: program.Chinese(),
			CheckedAt: last.CheckedAt.In(s.loc()).Format("2006-01-02 15:04"), Review: reviewPending, State: c.State,
			Overdue: c.State == yanshou.StateOverdue}
		if f := finals[last.ContentHash]; f != nil {
			row.Review, row.Confirmed = review(f), f.Confirmed != nil
			if f.Final != program {
				row.Final, row.FinalZh = f.Final, f.Final.Chinese()
			}
		}
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

// review is a version's review standing from its final verdict (ledger.Final,
// stored or just computed): 待审核 until the office decides anything (with
// the verdict the office's own facts make, when they change the program's),
// then how many findings stand dismissed (and downgraded) and the final
// verdict, or the confirmation it stands by.
func review(f *ledger.Final) string {
	if c := f.Confirmed; c != nil {
		return fmt.Sprintf("已确认：%s（%s，%s）", c.Message, c.DisplayName, c.At.Format("2006-01-02"))
	}
	if f.Decisions == 0 {
		if f.Final != f.Program {
			return fmt.Sprintf("%s：按县电子商务办公室登记的实到人数，审核后结论 %s", reviewPending, f.Final.Chinese())
		}
		return reviewPending
	}
	lowered := ""
	if f.Downgraded > 0 {
		lowered = fmt.Sprintf("，降级 %d 项", f.Downgraded)
	}
	return fmt.Sprintf("已审核：驳回 %d 项%s，审核后结论 %s", f.Dismissed, lowered, f.Final.Chinese())
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
	K                         int // index in the version's report, the id of the decision forms
	Rule, Message, SeverityZh string
	Title                     string // the rule's Chinese title, what the page shows (the id stays in the forms)
	Severity                  yanshou.Severity
	Evidence                  []evidenceView
	Dismissed                 bool
	Downgraded                bool          // it counts one severity lighter (LighterZh)
	LighterZh                 string        // the severity a downgrade makes it count at; "" when it cannot be downgraded
	Last                      *decisionView // the decision it stands by, if any
	CanDecide                 bool          // the user may dismiss or downgrade it (or restore it)
	// Office: the finding comes from the office's own facts recorded after
	// the version was judged (a headcount); it is corrected by recording
	// again, not decided on.
	Office bool
}

// decisionView is one decision as the page shows it: the finding by its
// rule's Chinese title, the action in Chinese, who (display name and role),
// when (county time) and why.
type decisionView struct {
	Finding                       int
	Rule, Message                 string
	Title                         string // the rule's Chinese title (Finding.Name); "" for a confirmation
	Action, Reason, Who, Role, At string
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
	Final       yanshou.Verdict // the verdict after the office's decisions
	Decisions   []decisionView
	Confirmed   *decisionView // the confirmation the verdict stands by
	CanConfirm  bool          // the user may confirm the final verdict now
	Error       string        // why a decision was refused
	MinReason   int
	Articles    []articleView
	Warnings    int
	Docs        []docView
	Report      *docView // shown inline: the last reviewed report, else the program's
	ReviewNote  string   // the reviewed documents are being rendered, or why they could not be
	Photos      []photoView
	Attendance  yanshou.AttendanceSummary
	PhotoCounts yanshou.PhotoSummary
	Evidence    *classEvidence // photos, map, pairs, attendance matrix, signatures (views_evidence.go)
	History     *historyView   // the versions and what changed (views_history.go)
	// The office's headcounts (第七条): each session against its latest
	// count, every record as added, the sessions offered in the form.
	Headcounts   []headcountRow
	HeadcountLog []headcountRecord
	Sessions     []string
	CanCount     bool // the user may record a headcount
	MaxHeadcount int
	// The office's inspections of the class (第十五条) and the form's defaults.
	Inspections []inspectionView
	Inspect     *inspectionForm // nil: the user may not record one
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
	s.renderClass(w, r, c, ver, http.StatusOK, "")
}

func (s *Server) renderClass(w http.ResponseWriter, r *http.Request, c *yanshou.ClassRecord, ver *yanshou.VersionRecord, code int, msg string) {
	sess := session(r)
	files, err := s.o.Ledger.ScopedFiles(sess.User.Scope(), c.ID, ver.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ds, err := s.o.Ledger.Decisions(sess.User.Scope(), c.ID, ver.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, hs, err := s.reviewed(sess.User.Scope(), c, ver)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	latest := ver.Version == c.Latest().Version
	final := ledger.Summarise(ver.ProgramVerdict(), rep, ds)
	v := classView{page: s.base(r, c.Institution+" "+c.Class), C: c, V: ver, Versions: c.Versions,
		CheckedAt: ver.CheckedAt.In(s.loc()).Format("2006-01-02 15:04"), Review: review(&final),
		Final: final.Final, Error: msg, MinReason: ledger.MinReason,
		Attendance: ver.Report.Attendance, PhotoCounts: ver.Report.Photos,
		CanCount: latest && sess.User.Role.Office(), MaxHeadcount: ledger.MaxHeadcount}
	s.headcountView(&v, c, hs)
	ins, err := s.o.Ledger.Inspections(sess.User.Scope(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Inspections = s.inspectionViews(ins)
	if sess.User.Role.Office() {
		v.Inspect = &inspectionForm{Now: s.o.Now().In(s.loc()).Format(localInput)}
	}
	last := map[int]*decisionView{}
	confirmed := final.Confirmed
	for _, d := range ds {
		dv := decisionView{Finding: d.Finding, Rule: d.Rule, Message: d.Message, Action: d.Action.Chinese(), Reason: d.Reason,
			Who: d.DisplayName, Role: string(d.Role), At: d.At.In(s.loc()).Format("2006-01-02 15:04")}
		if d.Finding >= 0 && d.Finding < len(rep.Findings) && rep.Findings[d.Finding].Rule == d.Rule {
			dv.Title = rep.Findings[d.Finding].Name()
		} else if d.Rule != "" {
			dv.Title = d.Rule
		}
		v.Decisions = append(v.Decisions, dv)
		last[d.Finding] = &v.Decisions[len(v.Decisions)-1]
	}
	if confirmed != nil {
		v.Confirmed = last[ledger.ConfirmFinding]
	}
	standing := ledger.Standing(ds)
	v.CanConfirm = latest && confirmed == nil && sess.User.Role.Office() &&
		(ver.Report.Verdict != yanshou.Veto || v.Final == yanshou.Veto || sess.User.Role == ledger.RoleHead)
	photoIndex := map[string]int{}
	for k, f := range photos(files) {
		photoIndex[f.Rel] = k
		v.Photos = append(v.Photos, photoView{K: k, Name: f.Rel})
	}
	byArticle := map[string]int{}
	for k, f := range rep.Findings {
		if f.Severity == yanshou.Warning {
			v.Warnings++
		}
		office := k >= len(ver.Report.Findings)
		fv := findingView{K: k, Rule: f.Rule, Title: f.Name(), Message: f.Message, Severity: f.Severity, SeverityZh: f.Severity.Chinese(),
			Dismissed: standing[k] == ledger.Dismiss, Downgraded: standing[k] == ledger.Downgrade, Office: office,
			CanDecide: !office && latest && sess.User.Role.Office() && f.Severity != yanshou.Warning &&
				(f.Severity != yanshou.SevVeto || sess.User.Role == ledger.RoleHead || standing[k] != "")}
		if l := ledger.Lighter(f.Severity); l != f.Severity {
			fv.LighterZh = l.Chinese()
		}
		if d, ok := last[k]; ok {
			fv.Last = d
		}
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
	for k, d := range s.documents(ver) {
		dv := docView{K: k, Name: docTitle(d), PDF: strings.HasSuffix(d, ".pdf"), Attachment: !strings.HasSuffix(d, ".pdf")}
		v.Docs = append(v.Docs, dv)
		if path.Base(d) == "验收报告.pdf" { // the last reviewed one, else the program's
			v.Report = &v.Docs[len(v.Docs)-1]
		}
	}
	v.Evidence = s.evidence(r, ver, files)
	v.History = s.history(r, c, ver)
	v.ReviewNote = s.reviewNote(c.ID, ver.Version)
	s.render(w, r, code, "class.html", v)
}

// decide records a reviewer's decision on one finding of the latest version
// and shows the class again (with the reason a refused decision was refused).
func (s *Server) decide(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, ver, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	k, ok := index(r.PathValue("k"), len(ver.Report.Findings))
	if !ok {
		s.notFound(w, r)
		return
	}
	sess := session(r)
	if ver.Version != c.Latest().Version {
		s.renderClass(w, r, c, ver, http.StatusConflict, "只能对最新版本作出审核决定")
		return
	}
	err := s.o.Ledger.Decide(&sess.User, c.ID, ver.Version, k, r.PostFormValue("rule"), ledger.Action(r.PostFormValue("action")),
		r.PostFormValue("reason"), s.o.Now())
	if s.refused(w, r, c, ver, err) {
		return
	}
	s.recordFinals(c, ver.Version)
	s.o.Logger.Info("decision", "login", sess.User.Login, "class", c.ID, "version", ver.Version, "finding", k, "action", r.PostFormValue("action"))
	http.Redirect(w, r, fmt.Sprintf("/class/%s?v=%d#f%d", c.ID, ver.Version, k), http.StatusSeeOther)
}

// refused shows the class again with the reason a decision was not recorded
// (forbidden to this role, or not acceptable as given) and reports whether it was.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, c *yanshou.ClassRecord, ver *yanshou.VersionRecord, err error) bool {
	switch {
	case errors.Is(err, ledger.ErrNotAllowed):
		s.renderClass(w, r, c, ver, http.StatusForbidden, err.Error())
	case err != nil:
		s.renderClass(w, r, c, ver, http.StatusBadRequest, err.Error())
	default:
		return false
	}
	return true
}

// confirm records the office's confirmation of the latest version's final
// verdict, with a reason, and shows the class again.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, ver, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	sess := session(r)
	if ver.Version != c.Latest().Version {
		s.renderClass(w, r, c, ver, http.StatusConflict, "只能确认最新版本的结论")
		return
	}
	hs, err := s.o.Ledger.Headcounts(sess.User.Scope(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	office, err := pipeline.OfficeFindings(s.o.Rules, s.o.Config, ver.Facts, hs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	final, err := s.o.Ledger.ConfirmVerdict(&sess.User, c.ID, ver.Version, r.PostFormValue("reason"), s.o.Now(), office...)
	if s.refused(w, r, c, ver, err) {
		return
	}
	s.recordFinals(c, ver.Version)
	s.o.Logger.Info("verdict confirmed", "login", sess.User.Login, "class", c.ID, "version", ver.Version, "verdict", string(final))
	s.startReview(c.ID, ver.Version)
	http.Redirect(w, r, fmt.Sprintf("/class/%s?v=%d#review", c.ID, ver.Version), http.StatusSeeOther)
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
