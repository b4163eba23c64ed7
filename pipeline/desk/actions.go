package desk

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
)

// reviewed is a judged version's report as the office's own facts make it:
// the findings of the headcounts recorded for the class since it was judged
// (pipeline.OfficeReport, the same rule through the same engine) taken in,
// the report's own findings at their indexes. It returns the headcounts too.
func (s *Server) reviewed(scope ledger.Scope, c *yanshou.ClassRecord, ver *yanshou.VersionRecord) (yanshou.Report, []yanshou.Headcount, error) {
	return pipeline.OfficeReport(s.o.Ledger, s.o.Rules, s.o.Config, scope, c.ID, ver)
}

// recordFinals stores the final verdict of the given versions of class id
// (all of them when none is given: a headcount counts in every version) after
// a decision or a headcount was recorded. A failure is logged, not shown: the
// decision stands recorded, and the queue computes the missing final verdict
// again (refreshFinals).
func (s *Server) recordFinals(c *yanshou.ClassRecord, versions ...int) {
	if len(versions) == 0 {
		for _, v := range c.Versions {
			versions = append(versions, v.Version)
		}
	}
	for _, n := range versions {
		if err := s.finals.Record(c.ID, n, s.o.Now()); err != nil {
			s.o.Logger.Error("final verdict not stored", "class", c.ID, "version", n, "error", err)
		}
	}
}

// refreshFinals computes and stores the final verdicts missing or stale
// (pipeline.Finals.Refresh): none, unless a decision's own storing failed,
// the version was judged again, or the rules or thresholds changed.
func (s *Server) refreshFinals() error {
	n, err := s.finals.Refresh(s.o.Now())
	if n > 0 {
		s.o.Logger.Info("final verdicts computed again", "count", n)
	}
	return err
}

// headcountRow is one session of the class in the headcount table: the people
// signed in (as the version read them) against the office's latest count.
type headcountRow struct {
	Session     string
	SignedIn    int
	SignedKnown bool // the version's sign-ins of the session are known
	Recorded    bool // the office counted it
	Present     int
	By, Role    string
	At, Note    string
	Over        bool // more sign-ins than the count allows (attendance.headcount)
	Excess      int
	Allowed     int
}

// headcountRecord is one record of the office's headcounts, as added.
type headcountRecord struct {
	Session, By, Role, At, Note string
	Present                     int
}

// sessionsOf are the sessions a headcount is recorded for: those the version
// read from its sign-in sheets, with their sign-ins, else the class's days ×
// 上午/下午 (labels as the sign-in sheets write them).
func sessionsOf(c *yanshou.ClassRecord, ver *yanshou.VersionRecord) []yanshou.SessionCount {
	if ver.Facts != nil && len(ver.Facts.Headcount.SessionSignIns) > 0 {
		return ver.Facts.Headcount.SessionSignIns
	}
	var out []yanshou.SessionCount
	if c.Start.IsZero() || c.End.Before(c.Start.Time) {
		return nil
	}
	for d := c.Start.Time; !d.After(c.End.Time) && len(out) < 62; d = d.AddDate(0, 0, 1) {
		for _, half := range []string{"上午", "下午"} {
			out = append(out, yanshou.SessionCount{Session: d.Format("2006-01-02") + " " + half, SignedIn: -1})
		}
	}
	return out
}

// headcountView fills the class page's headcount table and record.
func (s *Server) headcountView(v *classView, c *yanshou.ClassRecord, hs []yanshou.Headcount) {
	th := yanshou.Thresholds{}
	if s.o.Config != nil {
		th = s.o.Config.Thresholds
	}
	latest := yanshou.LatestHeadcounts(hs)
	seen := map[string]bool{}
	for _, sc := range sessionsOf(c, v.V) {
		seen[sc.Session] = true
		row := headcountRow{Session: sc.Session, SignedIn: sc.SignedIn, SignedKnown: sc.SignedIn >= 0}
		if h, ok := latest[sc.Session]; ok {
			row.Recorded, row.Present, row.By, row.Role, row.Note = true, h.Present, h.By, h.Role, h.Note
			row.At = h.At.In(s.loc()).Format("2006-01-02 15:04")
			if row.SignedKnown {
				row.Over, row.Excess, row.Allowed = th.HeadcountExceeds(sc.SignedIn, h.Present), sc.SignedIn-h.Present, th.HeadcountAllowance(h.Present)
			}
		}
		v.Headcounts = append(v.Headcounts, row)
		v.Sessions = append(v.Sessions, sc.Session)
	}
	for _, h := range hs {
		v.HeadcountLog = append(v.HeadcountLog, headcountRecord{Session: h.Session, Present: h.Present, By: h.By, Role: h.Role,
			At: h.At.In(s.loc()).Format("2006-01-02 15:04"), Note: h.Note})
		if !seen[h.Session] { // counted for a session this version has no sign-ins of
			seen[h.Session] = true
			l := latest[h.Session]
			v.Headcounts = append(v.Headcounts, headcountRow{Session: h.Session, SignedIn: 0, SignedKnown: v.V.Facts != nil && len(v.V.Facts.Headcount.SessionSignIns) > 0,
				Recorded: true, Present: l.Present, By: l.By, Role: l.Role, Note: l.Note, At: l.At.In(s.loc()).Format("2006-01-02 15:04")})
		}
	}
}

// headcount records the office's count of the people present at one session
// of the class (第七条) and shows the class again, its final verdict compared
// with the count.
func (s *Server) headcount(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, ver, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	sess := session(r)
	session := strings.TrimSpace(r.PostFormValue("session"))
	offered := sessionsOf(c, c.Latest())
	if !slices.ContainsFunc(offered, func(sc yanshou.SessionCount) bool { return sc.Session == session }) {
		s.renderClass(w, r, c, ver, http.StatusBadRequest, "请从列表中选择场次")
		return
	}
	present, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("present")))
	if err != nil {
		s.renderClass(w, r, c, ver, http.StatusBadRequest, fmt.Sprintf("实到人数须为 0 至 %d 之间的整数", ledger.MaxHeadcount))
		return
	}
	err = s.o.Ledger.RecordHeadcount(&sess.User, c.ID, session, present, r.PostFormValue("note"), s.o.Now())
	if s.refused(w, r, c, ver, err) {
		return
	}
	s.recordFinals(c)
	s.o.Logger.Info("headcount", "login", sess.User.Login, "class", c.ID, "session", session, "present", present)
	http.Redirect(w, r, fmt.Sprintf("/class/%s?v=%d#headcounts", c.ID, c.Latest().Version), http.StatusSeeOther)
}

// inspectionView is one inspection record as a page shows it (county time).
type inspectionView struct {
	ClassID, Class, Institution string
	At, Place, Inspectors       string
	Content, Opinion            string
	InspectorSign, InspectorAt  string
	InspectedSign, InspectedAt  string
	By, Role, RecordedAt        string
}

// inspectionForm is the inspection form's defaults: now, in county time.
type inspectionForm struct {
	Now string // datetime-local value
}

// localInput is the value layout of an <input type="datetime-local">.
const localInput = "2006-01-02T15:04"

func (s *Server) inspectionViews(rs []yanshou.InspectionRecord) []inspectionView {
	f := func(t time.Time) string { return t.In(s.loc()).Format("2006-01-02 15:04") }
	var out []inspectionView
	for _, r := range rs {
		out = append(out, inspectionView{ClassID: r.ClassID, Class: r.Class, Institution: r.Institution, At: f(r.At), Place: r.Place,
			Inspectors: r.Inspectors, Content: r.Content, Opinion: r.Opinion, InspectorSign: r.InspectorSign, InspectorAt: f(r.InspectorAt),
			InspectedSign: r.InspectedSign, InspectedAt: f(r.InspectedAt), By: r.By, Role: r.Role, RecordedAt: f(r.RecordedAt)})
	}
	return out
}

// inspection records an inspection of the class (第十五条) from the class
// page's form and shows the class again.
func (s *Server) inspection(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	c, ver, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	sess := session(r)
	when := func(field, name string) (time.Time, bool) {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return time.Time{}, true // the ledger says it is required
		}
		t, err := time.ParseInLocation(localInput, v, s.loc())
		if err != nil {
			s.renderClass(w, r, c, ver, http.StatusBadRequest, fmt.Sprintf("%s无法识别：%s", name, v))
			return t, false
		}
		return t, true
	}
	rec := yanshou.InspectionRecord{Place: r.PostFormValue("place"), Inspectors: r.PostFormValue("inspectors"),
		Content: r.PostFormValue("content"), Opinion: r.PostFormValue("opinion"),
		InspectorSign: r.PostFormValue("inspector_sign"), InspectedSign: r.PostFormValue("inspected_sign")}
	for _, f := range []struct {
		field, name string
		to          *time.Time
	}{{"at", "检查时间", &rec.At}, {"inspector_at", "检查人签字时间", &rec.InspectorAt}, {"inspected_at", "被检查单位签字时间", &rec.InspectedAt}} {
		t, ok := when(f.field, f.name)
		if !ok {
			return
		}
		*f.to = t
	}
	err := s.o.Ledger.RecordInspection(&sess.User, c.ID, rec, s.o.Now())
	if s.refused(w, r, c, ver, err) {
		return
	}
	s.o.Logger.Info("inspection", "login", sess.User.Login, "class", c.ID)
	http.Redirect(w, r, fmt.Sprintf("/class/%s?v=%d#inspections", c.ID, ver.Version), http.StatusSeeOther)
}

type inspectionsView struct {
	page
	Institutions []string // the office's choice of institution
	Inst         string
	Records      []inspectionView
}

// inspections lists the inspections of one institution's classes: the
// office's choice (?inst=), an institution's own.
func (s *Server) inspections(w http.ResponseWriter, r *http.Request) {
	sess := session(r)
	scope := sess.User.Scope()
	v := inspectionsView{page: s.base(r, "检查记录"), Inst: r.URL.Query().Get("inst")}
	if !sess.User.Role.Office() {
		v.Inst = sess.User.Institution
	} else {
		classes, err := s.o.Ledger.ScopedClasses(scope, s.o.Now(), s.loc(), s.retrainShare())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		seen := map[string]bool{}
		for _, c := range classes {
			seen[c.Institution] = true
		}
		v.Institutions = sortedKeys(seen)
	}
	if v.Inst != "" {
		rs, err := s.o.Ledger.InstitutionInspections(scope, v.Inst)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Records = s.inspectionViews(rs)
	}
	s.render(w, r, http.StatusOK, "inspections.html", v)
}
