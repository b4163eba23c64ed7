package render

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"yanshou"
)

// reportWords is templates/report/report.yaml.
type reportWords struct {
	Title              string `yaml:"title"`
	Subject            string `yaml:"subject"`
	RunningHead        string `yaml:"running_head"`
	Subtitle           string `yaml:"subtitle"`
	Footer             string `yaml:"footer"`
	FooterLeft         string `yaml:"footer_left"`
	Verdict            string `yaml:"verdict"`
	VerdictSummary     string `yaml:"verdict_summary"`
	VerdictSummaryNone string `yaml:"verdict_summary_none"`
	VerdictNote        struct {
		Pass string `yaml:"pass"`
		Fail string `yaml:"fail"`
		Veto string `yaml:"veto"`
	} `yaml:"verdict_note"`
	Sections struct {
		Class      string `yaml:"class"`
		Findings   string `yaml:"findings"`
		Materials  string `yaml:"materials"`
		Attendance string `yaml:"attendance"`
		Photos     string `yaml:"photos"`
		Files      string `yaml:"files"`
		Signoff    string `yaml:"signoff"`
	} `yaml:"sections"`
	Class struct {
		Institution  string `yaml:"institution"`
		Title        string `yaml:"title"`
		Class        string `yaml:"class"`
		Dates        string `yaml:"dates"`
		Venue        string `yaml:"venue"`
		Approval     string `yaml:"approval"`
		Approved     string `yaml:"approved"`
		Applied      string `yaml:"applied"`
		Planned      string `yaml:"planned"`
		Teachers     string `yaml:"teachers"`
		Source       string `yaml:"source"`
		DateRange    string `yaml:"date_range"`
		PlannedValue string `yaml:"planned_value"`
		Unknown      string `yaml:"unknown"`
		NoManifest   string `yaml:"no_manifest"`
	} `yaml:"class"`
	Findings struct {
		None           string   `yaml:"none"`
		Head           string   `yaml:"head"`
		EvidenceHeader []string `yaml:"evidence_header"`
		EvidenceMore   string   `yaml:"evidence_more"`
		EvidenceMax    int      `yaml:"evidence_max"`
		Group          string   `yaml:"group"`
	} `yaml:"findings"`
	Stamp  string `yaml:"stamp"`
	Glance struct {
		Materials       string `yaml:"materials"`
		MaterialsValue  string `yaml:"materials_value"`
		Attendance      string `yaml:"attendance"`
		AttendanceValue string `yaml:"attendance_value"`
		Photos          string `yaml:"photos"`
		PhotosValue     string `yaml:"photos_value"`
		TopTitle        string `yaml:"top_title"`
		TopItem         string `yaml:"top_item"`
		TopMax          int    `yaml:"top_max"`
		TopMore         string `yaml:"top_more"`
	} `yaml:"glance"`
	Materials struct {
		Header    []string `yaml:"header"`
		Present   string   `yaml:"present"`
		Missing   string   `yaml:"missing"`
		FilesMore string   `yaml:"files_more"`
		FilesMax  int      `yaml:"files_max"`
		Manifest  string   `yaml:"manifest"`
		Others    string   `yaml:"others"`
		None      string   `yaml:"none"`
	} `yaml:"materials"`
	Attendance struct {
		None           string   `yaml:"none"`
		Header         []string `yaml:"header"`
		Approved       string   `yaml:"approved"`
		Trained        string   `yaml:"trained"`
		Rate           string   `yaml:"rate"`
		RateValue      string   `yaml:"rate_value"`
		Sessions       string   `yaml:"sessions"`
		SignIns        string   `yaml:"signins"`
		WalkIns        string   `yaml:"walk_ins"`
		Ambiguous      string   `yaml:"ambiguous"`
		Proxy          string   `yaml:"proxy"`
		Problems       string   `yaml:"problems"`
		Calls          string   `yaml:"calls"`
		Called         string   `yaml:"called"`
		CallShare      string   `yaml:"call_share"`
		CallShareValue string   `yaml:"call_share_value"`
		Persons        string   `yaml:"persons"`
		Rows           string   `yaml:"rows"`
		Times          string   `yaml:"times"`
		Details        string   `yaml:"details"`
	} `yaml:"attendance"`
	Photos struct {
		None           string   `yaml:"none"`
		Summary        string   `yaml:"summary"`
		Header         []string `yaml:"header"`
		Distance       string   `yaml:"distance"`
		Unknown        string   `yaml:"unknown"`
		Verified       string   `yaml:"verified"`
		OutsideWindow  string   `yaml:"outside_window"`
		OutsideVenue   string   `yaml:"outside_venue"`
		OutsideCounty  string   `yaml:"outside_county"`
		NoExif         string   `yaml:"no_exif"`
		Reused         string   `yaml:"reused"`
		ReusedOf       string   `yaml:"reused_of"`
		ThumbsMax      int      `yaml:"thumbs_max"`
		ThumbsOff      string   `yaml:"thumbs_off"`
		MapTitle       string   `yaml:"map_title"`
		TimelineTitle  string   `yaml:"timeline_title"`
		LegendGood     string   `yaml:"legend_good"`
		LegendDoubt    string   `yaml:"legend_doubt"`
		LegendBad      string   `yaml:"legend_bad"`
		MapVenue       string   `yaml:"map_venue"`
		NoVenue        string   `yaml:"no_venue"`
		MapNone        string   `yaml:"map_none"`
		NotOnMap       string   `yaml:"not_on_map"`
		TimelineNote   string   `yaml:"timeline_note"`
		TimelineNone   string   `yaml:"timeline_none"`
		TimelineNoTime string   `yaml:"timeline_no_time"`
		NotOnTimeline  string   `yaml:"not_on_timeline"`
	} `yaml:"photos"`
	Files struct {
		Header      []string `yaml:"header"`
		ContentHash string   `yaml:"content_hash"`
		None        string   `yaml:"none"`
	} `yaml:"files"`
	Signoff struct {
		Opinion  string   `yaml:"opinion"`
		Lines    []string `yaml:"lines"`
		Seal     string   `yaml:"seal"`
		SealDate string   `yaml:"seal_date"`
	} `yaml:"signoff"`
	ListSep          string `yaml:"list_sep"`
	MissingGlyphNote string `yaml:"missing_glyph_note"`
}

// Text sizes of the documents.
const (
	sizeTitle   = 20.0
	sizeSection = 13.5
	sizeBody    = 11.0
	sizeSmall   = 9.0
	sizeTable   = 8.5
	sizeHashes  = 7.5
)

// Report writes the verdict report (验收报告.pdf) for r to path.
//
// A missing font is fonts.Find's error, unchanged. Characters the font lacks are
// drawn as □ and reported by a *MissingGlyphsError after the file is written.
func Report(path string, r *yanshou.Result, cfg *yanshou.Config) error {
	if r == nil {
		return errNoResult
	}
	var w reportWords
	if err := loadWording(cfg, "report.yaml", &w); err != nil {
		return err
	}
	font, err := fontFor(cfg)
	if err != nil {
		return err
	}
	d, err := newDoc(font, filepath.Base(path))
	if err != nil {
		return err
	}
	f := &filler{}
	base := baseVars(r, cfg)

	// Title block and verdict.
	d.para(w.Title, textStyle{size: sizeTitle, align: alignCenter, bold: true, after: 4})
	d.para(f.do(w.Subtitle, base), textStyle{size: sizeSmall, color: gray, align: alignCenter, after: 6})
	d.rule(black, 1.2)
	d.space(10)
	verdictBox(d, f, &w, r, cfg)

	reportClass(d, f, &w, r)
	reportFindings(d, f, &w, r)
	reportMaterials(d, f, &w, r)
	reportAttendance(d, f, &w, r, cfg)
	reportPhotos(d, f, &w, r, cfg)
	section(d, w.Sections.Files)
	fileTable(d, f, w.Files.Header, w.Files.ContentHash, w.Files.None, r)
	reportSignoff(d, f, &w, cfg)
	glyphNote(d, f, w.MissingGlyphNote, w.ListSep)

	d.pageTexts(w.RunningHead, func(p, n int) (string, string) {
		v := vars{"Page": p, "Pages": n}
		for k, x := range base {
			v[k] = x
		}
		return f.do(w.FooterLeft, v), f.do(w.Footer, v)
	})
	if f.err != nil {
		return f.err
	}
	return d.save(path, pdfInfo{title: w.Title, author: office(cfg), subject: w.Subject,
		keywords: keywords(r), created: local(r.CheckedAt, cfg)})
}

// baseVars are the placeholders every document offers.
func baseVars(r *yanshou.Result, cfg *yanshou.Config) vars {
	v := vars{"ID": r.ID, "Version": r.Version, "Checked": checkedText(r, cfg),
		"Office": office(cfg), "County": "", "Verdict": r.Verdict.Chinese()}
	if cfg != nil {
		v["County"] = cfg.County
	}
	return v
}

func office(cfg *yanshou.Config) string {
	if cfg == nil {
		return ""
	}
	return cfg.Office
}

// keywords are the submission id and version, for the PDF metadata.
func keywords(r *yanshou.Result) string {
	return fmt.Sprintf("%s v%d", r.ID, r.Version)
}

// section sets a section heading, keeping it with a few lines of what follows.
func section(d *doc, title string) {
	d.space(8)
	d.ensure(sizeSection*1.6 + 60)
	d.para(title, textStyle{size: sizeSection, bold: true, after: 4})
}

func verdictColor(v yanshou.Verdict) rgb {
	if v == yanshou.Pass {
		return green
	}
	return red
}

// verdictBox sets the verdict large in a frame with a stamp beside it, the
// counts under it, the figures an office reads first and the gravest problems.
func verdictBox(d *doc, f *filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	veto, fail, warn := severityCounts(r.Findings)
	c := verdictColor(r.Verdict)
	top := d.y
	h := 64.0
	d.gp.SetStrokeColor(c.r, c.g, c.b)
	d.gp.SetLineWidth(1.6)
	d.gp.RectFromUpperLeft(d.left+d.cw*0.12, top, d.cw*0.76, h)
	d.gp.SetLineWidth(0.5)
	d.gp.SetStrokeColor(0, 0, 0)
	d.y = top + 9
	d.para(f.do(w.Verdict, vars{"Verdict": r.Verdict.Chinese()}),
		textStyle{size: 22, color: c, align: alignCenter, bold: true, lead: 1.3, after: 3})
	summary := w.VerdictSummaryNone
	if len(r.Findings) > 0 {
		summary = f.do(w.VerdictSummary, vars{"Total": len(r.Findings), "Veto": veto, "Fail": fail, "Warn": warn})
	}
	d.para(summary, textStyle{size: 10, align: alignCenter, lead: 1.4})
	stamp(d, w.Stamp, r.Verdict.Chinese(), c, d.left+d.cw-58, top-22)
	d.y = top + h + 8
	note := w.VerdictNote.Pass
	switch r.Verdict {
	case yanshou.Fail:
		note = w.VerdictNote.Fail
	case yanshou.Veto:
		note = w.VerdictNote.Veto
	}
	d.para(f.do(note, vars{"Deadline": deadline(r, cfg).Chinese()}), textStyle{size: 10.5, first: 2, after: 4})
	glance(d, f, w, r)
}

// stamp draws a tilted double-framed box with a label and the verdict, the way
// an office's result stamp looks, at (x, y).
func stamp(d *doc, label, verdict string, c rgb, x, y float64) {
	const sw, sh = 96.0, 50.0
	cx, cy := x+sw/2, y+sh/2
	d.gp.Rotate(12, cx, cy)
	d.gp.SetStrokeColor(c.r, c.g, c.b)
	d.gp.SetLineWidth(2)
	d.gp.RectFromUpperLeft(x, y, sw, sh)
	d.gp.SetLineWidth(0.6)
	d.gp.RectFromUpperLeft(x+3, y+3, sw-6, sh-6)
	d.gp.SetLineWidth(0.5)
	d.gp.SetStrokeColor(0, 0, 0)
	d.setColor(c)
	d.setSize(8)
	d.lineAt(x, y+7, sw, d.clean(label), alignCenter, false)
	size := 17.0
	if n := len([]rune(verdict)); n > 3 {
		size = 14
	}
	d.setSize(size)
	d.lineAt(x, y+20, sw, d.clean(verdict), alignCenter, true)
	d.gp.RotateReset()
	d.setColor(black)
}

// glance sets three figures (materials, trainees, photos) and the gravest
// findings, veto first.
func glance(d *doc, f *filler, w *reportWords, r *yanshou.Result) {
	g := w.Glance
	present := 0
	if r.Submission != nil {
		for _, k := range yanshou.Materials {
			if len(r.Submission.FilesOf(k)) > 0 {
				present++
			}
		}
	}
	att := "—"
	if s, ok := summarize(r); ok {
		att = f.do(g.AttendanceValue, vars{"Trained": s.trained, "Approved": s.approved, "Rate": percent(s.rate)})
	}
	pc := photoCounts(r)
	d.table(table{size: 10, cols: []column{
		{share: 0.15, shade: true, align: alignCenter}, {share: 0.15, align: alignCenter},
		{share: 0.15, shade: true, align: alignCenter}, {share: 0.22, align: alignCenter},
		{share: 0.15, shade: true, align: alignCenter}, {share: 0.18, align: alignCenter},
	}}, [][]string{{g.Materials, f.do(g.MaterialsValue, vars{"Present": present, "Total": len(yanshou.Materials)}),
		g.Attendance, att, g.Photos, f.do(g.PhotosValue, pc)}})
	var grave []yanshou.Finding
	for _, sev := range []yanshou.Severity{yanshou.SevVeto, yanshou.SevFail} {
		for _, fd := range r.Findings {
			if fd.Severity == sev {
				grave = append(grave, fd)
			}
		}
	}
	if len(grave) == 0 {
		return
	}
	d.space(6)
	d.para(g.TopTitle, textStyle{size: 11, bold: true, lead: 1.5})
	for i, fd := range grave {
		if i == g.TopMax {
			d.para(f.do(g.TopMore, vars{"N": len(grave) - i}), textStyle{size: 9.5, color: gray, indent: 12})
			break
		}
		d.para(f.do(g.TopItem, vars{"N": i + 1, "Severity": fd.Severity.Chinese(), "Article": fd.Article, "Message": fd.Message}),
			textStyle{size: 9.5, color: severityColor(fd.Severity), indent: 12, lead: 1.45})
	}
}

// reportClass sets the class facts of the manifest, or says there is none.
func reportClass(d *doc, f *filler, w *reportWords, r *yanshou.Result) {
	section(d, w.Sections.Class)
	c := classOf(r)
	if c == nil {
		d.para(w.Class.NoManifest, textStyle{size: sizeBody, color: red, first: 2})
		return
	}
	l := w.Class
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return l.Unknown
		}
		return s
	}
	dates := l.Unknown
	if !c.Start.IsZero() || !c.End.IsZero() {
		dates = f.do(l.DateRange, vars{"Start": or(c.Start.Chinese()), "End": or(c.End.Chinese()), "Days": c.Days()})
	}
	venue := c.Venue
	if c.VenueCoords != nil {
		venue = strings.TrimSpace(fmt.Sprintf("%s（%.5f, %.5f）", venue, c.VenueCoords.Lat, c.VenueCoords.Lon))
	}
	planned := l.Unknown
	if c.Planned > 0 {
		planned = f.do(l.PlannedValue, vars{"N": c.Planned})
	}
	rows := [][]string{
		{l.Institution, or(c.Institution), l.Class, or(c.Class)},
		{l.Title, or(c.Title), l.Dates, dates},
		{l.Venue, or(venue), l.Planned, planned},
		{l.Approval, or(c.ApprovalNo), l.Approved, or(c.Approved.Chinese())},
		{l.Applied, or(c.Applied.Chinese()), l.Teachers, or(c.Teachers)},
		{l.Source, or(c.Source), "", ""},
	}
	d.table(table{size: 10, cols: []column{
		{share: 0.15, shade: true}, {share: 0.35}, {share: 0.15, shade: true}, {share: 0.35},
	}}, rows)
}

// evidenceTable sets up to max pieces of evidence and a line saying how many more.
func evidenceTable(d *doc, f *filler, header []string, more string, limit int, ev []yanshou.Evidence) {
	if len(ev) == 0 {
		return
	}
	shown := ev
	if len(shown) > limit {
		shown = shown[:limit]
	}
	rows := make([][]string, len(shown))
	for i, e := range shown {
		rows[i] = []string{e.File, e.Sheet, rowText(e.Row), e.Detail}
	}
	d.table(table{size: sizeTable, header: header, cols: []column{
		{share: 0.36}, {share: 0.12}, {share: 0.07, align: alignCenter}, {share: 0.45},
	}}, rows)
	if n := len(ev) - len(shown); n > 0 {
		d.space(2)
		d.para(f.do(more, vars{"N": n}), textStyle{size: sizeSmall, color: gray})
	}
}

func severityColor(s yanshou.Severity) rgb {
	if s == yanshou.Warning {
		return gray
	}
	return red
}

// reportFindings sets every finding with its rule, article, severity, message and
// evidence, grouped by article in the order of the measures (第三条 before
// 第七条), the gravest first within an article.
func reportFindings(d *doc, f *filler, w *reportWords, r *yanshou.Result) {
	section(d, w.Sections.Findings)
	if len(r.Findings) == 0 {
		d.para(w.Findings.None, textStyle{size: sizeBody, first: 2})
		return
	}
	n := 0
	for _, g := range byArticle(r.Findings) {
		d.ensure(80)
		d.para(f.do(w.Findings.Group, vars{"Article": g[0].Article, "N": len(g)}),
			textStyle{size: 12, bold: true, lead: 1.6, after: 2})
		for _, fd := range g {
			n++
			d.ensure(60)
			d.para(f.do(w.Findings.Head, vars{"N": n, "Severity": fd.Severity.Chinese(),
				"Article": fd.Article, "Rule": fd.Rule}),
				textStyle{size: sizeBody, color: severityColor(fd.Severity), bold: true, lead: 1.5, indent: 6})
			d.para(fd.Message, textStyle{size: 10.5, indent: 18, lead: 1.5, after: 3})
			evidenceTable(d, f, w.Findings.EvidenceHeader, w.Findings.EvidenceMore, w.Findings.EvidenceMax, fd.Evidence)
			d.space(6)
		}
	}
}

// byArticle groups findings by article, articles in numeric order (unknown
// ones last, in order of appearance), veto before fail before warning within one.
func byArticle(fs []yanshou.Finding) [][]yanshou.Finding {
	var order []string
	groups := map[string][]yanshou.Finding{}
	for _, fd := range fs {
		if _, ok := groups[fd.Article]; !ok {
			order = append(order, fd.Article)
		}
		groups[fd.Article] = append(groups[fd.Article], fd)
	}
	sort.SliceStable(order, func(i, j int) bool { return articleNumber(order[i]) < articleNumber(order[j]) })
	rank := map[yanshou.Severity]int{yanshou.SevVeto: 0, yanshou.SevFail: 1, yanshou.Warning: 2}
	out := make([][]yanshou.Finding, 0, len(order))
	for _, a := range order {
		g := groups[a]
		sort.SliceStable(g, func(i, j int) bool { return rank[g[i].Severity] < rank[g[j].Severity] })
		out = append(out, g)
	}
	return out
}

// articleNumber reads 第N条 with N in Chinese numerals (up to 99) or digits;
// anything else sorts last.
func articleNumber(a string) int {
	s := strings.TrimSuffix(strings.TrimPrefix(a, "第"), "条")
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && digits[rs[0]] > 0:
		return digits[rs[0]]
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 2 && rs[0] == '十' && digits[rs[1]] > 0:
		return 10 + digits[rs[1]]
	case len(rs) == 2 && rs[1] == '十' && digits[rs[0]] > 0:
		return 10 * digits[rs[0]]
	case len(rs) == 3 && rs[1] == '十' && digits[rs[0]] > 0 && digits[rs[2]] > 0:
		return 10*digits[rs[0]] + digits[rs[2]]
	}
	return 1000
}

// fileNames lists up to limit file names and says how many there are in all.
func fileNames(f *filler, fs []yanshou.File, limit int, sep, more string) string {
	names := make([]string, 0, min(len(fs), limit))
	for i, x := range fs {
		if i == limit {
			break
		}
		names = append(names, x.Rel)
	}
	s := strings.Join(names, sep)
	if len(fs) > limit {
		s += f.do(more, vars{"N": len(fs)})
	}
	return s
}

// reportMaterials sets the checklist of 第十一条 and the unrecognised files.
func reportMaterials(d *doc, f *filler, w *reportWords, r *yanshou.Result) {
	section(d, w.Sections.Materials)
	m := w.Materials
	var sub yanshou.Submission
	if r.Submission != nil {
		sub = *r.Submission
	}
	rows := make([][]string, 0, len(yanshou.Materials)+1)
	missing := map[int]bool{}
	for i, k := range yanshou.Materials {
		fs := sub.FilesOf(k)
		status := m.Present
		if len(fs) == 0 {
			status = m.Missing
			missing[i] = true
		}
		rows = append(rows, []string{fmt.Sprint(i + 1), k.String(), status,
			fileNames(f, fs, m.FilesMax, w.ListSep, m.FilesMore)})
	}
	man := sub.FilesOf(yanshou.Manifest)
	status := m.Present
	if len(man) == 0 {
		status = m.Missing
		missing[len(rows)] = true
	}
	rows = append(rows, []string{"", m.Manifest, status, fileNames(f, man, m.FilesMax, w.ListSep, m.FilesMore)})
	d.table(table{size: 9.5, header: m.Header, cols: []column{
		{share: 0.07, align: alignCenter}, {share: 0.16}, {share: 0.09, align: alignCenter}, {share: 0.68},
	}, color: func(row, col int) rgb {
		if missing[row] && col == 2 {
			return red
		}
		return black
	}}, rows)
	d.space(6)
	others := sub.FilesOf(yanshou.Other)
	list := m.None
	if len(others) > 0 {
		names := make([]string, len(others))
		for i, x := range others {
			names[i] = x.Rel
		}
		list = strings.Join(names, w.ListSep)
	}
	d.para(m.Others+"："+list, textStyle{size: 10})
}

// attSummary is the attendance in numbers, from the facts when present, else
// counted from the attendance itself.
type attSummary struct {
	approved, trained, walkIns, sessions, signIns, ambiguous, proxy, problems, calls, called int
	rate, share                                                                              float64
}

func summarize(r *yanshou.Result) (attSummary, bool) {
	var s attSummary
	a := r.Attendance
	if a != nil {
		s.problems = len(a.Problems)
	}
	if r.Facts != nil && (r.Facts.Attendance != (yanshou.AttendanceFacts{}) || a != nil) {
		fa, fu := r.Facts.Attendance, r.Facts.FollowUp
		s.approved, s.trained, s.walkIns, s.sessions = fa.Approved, fa.Trained, fa.WalkIns, fa.Sessions
		s.signIns, s.ambiguous, s.proxy, s.rate = fa.SignInRows, fa.Ambiguous, fa.ProxySuspect, fa.Rate
		s.calls, s.called, s.share = fu.Calls, fu.Matched, fu.Share
		return s, true
	}
	if a == nil {
		return s, false
	}
	s.approved, s.trained, s.walkIns, s.sessions = len(a.Trainees), a.Trained(), a.WalkIns(), len(a.Sessions)
	s.signIns, s.calls = len(a.SignIns), len(a.FollowUps)
	for _, x := range a.SignIns {
		if x.Match == yanshou.Ambiguous {
			s.ambiguous++
		}
	}
	if s.approved > 0 {
		s.rate = float64(s.trained) / float64(s.approved)
	}
	called := map[int]bool{}
	for _, c := range a.FollowUps {
		if c.Trainee >= 0 && c.Trainee < len(a.Trainees) && a.Trainees[c.Trainee].Trained {
			called[c.Trainee] = true
		}
	}
	s.called = len(called)
	if s.trained > 0 {
		s.share = float64(s.called) / float64(s.trained)
	}
	return s, true
}

// reportAttendance sets the attendance summary.
func reportAttendance(d *doc, f *filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	a := w.Attendance
	section(d, w.Sections.Attendance)
	s, ok := summarize(r)
	if !ok {
		d.para(a.None, textStyle{size: sizeBody, color: red, first: 2})
		return
	}
	var t yanshou.Thresholds
	if cfg != nil {
		t = cfg.Thresholds
	}
	persons := func(n int) string { return f.do(a.Persons, vars{"N": n}) }
	rows := func(n int) string { return f.do(a.Rows, vars{"N": n}) }
	times := func(n int) string { return f.do(a.Times, vars{"N": n}) }
	d.table(table{size: 10, cols: []column{
		{share: 0.22, shade: true}, {share: 0.28}, {share: 0.22, shade: true}, {share: 0.28},
	}}, [][]string{
		{a.Approved, persons(s.approved), a.Trained, persons(s.trained)},
		{a.Rate, f.do(a.RateValue, vars{"Rate": percent(s.rate), "Pass": percent(t.AttendancePass), "Veto": percent(t.AttendanceVeto)}),
			a.Sessions, times(s.sessions)},
		{a.SignIns, rows(s.signIns), a.WalkIns, persons(s.walkIns)},
		{a.Ambiguous, rows(s.ambiguous), a.Proxy, times(s.proxy)},
		{a.Calls, rows(s.calls), a.Called, persons(s.called)},
		{a.CallShare, f.do(a.CallShareValue, vars{"Share": percent(s.share), "Min": percent(t.FollowupMinShare)}),
			a.Problems, rows(s.problems)},
	})
	d.space(3)
	d.para(a.Details, textStyle{size: sizeSmall, color: gray})
}

// photoStatus names what is wrong with a photo, or says it was verified.
func photoStatus(f *filler, w *reportWords, p *yanshou.Photo, sep string) (string, bool) {
	var s []string
	if p.ReusedOf != "" {
		s = append(s, f.do(w.Photos.ReusedOf, vars{"Of": p.ReusedOf}))
	}
	switch {
	case p.InWindow == nil:
		s = append(s, w.Photos.NoExif)
	case !*p.InWindow:
		s = append(s, w.Photos.OutsideWindow)
	}
	if p.InVenue != nil && !*p.InVenue {
		s = append(s, w.Photos.OutsideVenue)
	}
	if p.InCounty != nil && !*p.InCounty {
		s = append(s, w.Photos.OutsideCounty)
	}
	if len(s) == 0 {
		return w.Photos.Verified, true
	}
	return strings.Join(s, sep), false
}

// photoCounts summarises the photos, from the facts when present.
func photoCounts(r *yanshou.Result) vars {
	if r.Facts != nil && r.Facts.Photos.Total > 0 {
		p := r.Facts.Photos
		return vars{"Total": p.Total, "Verified": p.Verified, "NoExif": p.NoExif,
			"OutsideWindow": p.OutsideWindow, "OutsideVenue": p.OutsideVenue, "Reused": p.Reused}
	}
	var verified, noExif, outW, outV, reused int
	for i := range r.Photos {
		p := &r.Photos[i]
		switch {
		case p.InWindow == nil:
			noExif++
		case *p.InWindow:
			verified++
		default:
			outW++
		}
		if p.InVenue != nil && !*p.InVenue {
			outV++
		}
		if p.ReusedOf != "" {
			reused++
		}
	}
	return vars{"Total": len(r.Photos), "Verified": verified, "NoExif": noExif,
		"OutsideWindow": outW, "OutsideVenue": outV, "Reused": reused}
}

// reportPhotos sets the photo summary and one row per photo, with a thumbnail
// of each (up to photos.thumbs_max photos).
func reportPhotos(d *doc, f *filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	section(d, w.Sections.Photos)
	if len(r.Photos) == 0 {
		d.para(w.Photos.None, textStyle{size: sizeBody, color: red, first: 2})
		return
	}
	d.para(f.do(w.Photos.Summary, photoCounts(r)), textStyle{size: 10.5, after: 4})
	photoFigures(d, f, w, r, cfg)
	var thumbs []*Image
	if len(r.Photos) <= w.Photos.ThumbsMax {
		thumbs = thumbnails(r, cfg)
	} else {
		d.para(f.do(w.Photos.ThumbsOff, vars{"Max": w.Photos.ThumbsMax}), textStyle{size: sizeSmall, color: gray, after: 3})
	}
	rows := make([][]string, len(r.Photos))
	bad := make([]bool, len(r.Photos))
	for i := range r.Photos {
		p := &r.Photos[i]
		taken := w.Photos.Unknown
		if p.Taken != nil {
			taken = local(*p.Taken, cfg).Format("2006-01-02 15:04")
		}
		dist := w.Photos.Unknown
		if p.DistanceM != nil {
			dist = f.do(w.Photos.Distance, vars{"M": round(*p.DistanceM)})
		}
		status, ok := photoStatus(f, w, p, w.ListSep)
		bad[i] = !ok
		rows[i] = []string{fmt.Sprint(i + 1), w.Photos.Unknown, p.File, taken, dist, status}
	}
	t := table{size: sizeTable, header: w.Photos.Header, cols: []column{
		{share: 0.06, align: alignCenter}, {share: 0.13, align: alignCenter}, {share: 0.32}, {share: 0.15, align: alignCenter},
		{share: 0.1, align: alignRight}, {share: 0.24},
	}, color: func(row, col int) rgb {
		if col == 5 {
			if bad[row] {
				return red
			}
			return green
		}
		return black
	}, thumbs: thumbs, thumbCol: 1}
	if thumbs != nil {
		t.rowMin = 50
	}
	d.table(t, rows)
}

// thumbSide is the long side, in pixels, of a thumbnail in the report.
const thumbSide = 240

// thumbnails prepares a small upright picture of each photo (nil where the file
// cannot be read), two at a time: each full-size decode is freed before the next.
func thumbnails(r *yanshou.Result, cfg *yanshou.Config) []*Image {
	abs := map[string]string{}
	for _, f := range files(r) {
		abs[f.Rel] = f.Abs
	}
	var maxPixels int64
	if cfg != nil {
		maxPixels = cfg.Intake.MaxImagePixels
	}
	out := make([]*Image, len(r.Photos))
	sem := make(chan struct{}, min(2, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i := range r.Photos {
		path := abs[r.Photos[i].File]
		if path == "" {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if img, err := PrepareImage(path, maxPixels, thumbSide); err == nil {
				out[i] = img
			}
		}()
	}
	wg.Wait()
	return out
}

// fileTable lists every source file with its size and SHA-256, and the
// submission's content hash.
func fileTable(d *doc, f *filler, header []string, contentHash, none string, r *yanshou.Result) {
	fs := files(r)
	if len(fs) == 0 {
		d.para(none, textStyle{size: sizeBody, color: red})
		return
	}
	rows := make([][]string, len(fs))
	for i, x := range fs {
		rows[i] = []string{fmt.Sprint(i + 1), x.Rel, sizeText(x.Size), x.SHA256}
	}
	// The digest column is as wide as a SHA-256 in hex, so that it never wraps.
	d.setSize(sizeHashes)
	hash := (d.width(strings.Repeat("0", 64)) + 2*cellPad + 2) / d.cw
	d.table(table{size: sizeHashes, header: header, cols: []column{
		{share: 0.06, align: alignCenter}, {share: 0.84 - hash}, {share: 0.1, align: alignRight}, {share: hash},
	}}, rows)
	if r.Submission != nil && r.Submission.ContentHash != "" {
		d.space(3)
		d.para(f.do(contentHash, vars{"Hash": r.Submission.ContentHash}), textStyle{size: sizeHashes, color: gray})
	}
}

// reportSignoff sets the opinion space, signature lines and the office's seal.
func reportSignoff(d *doc, f *filler, w *reportWords, cfg *yanshou.Config) {
	s := w.Signoff
	need := 60 + float64(len(s.Lines))*26 + 80
	d.space(8)
	d.ensure(sizeSection*1.6 + need)
	d.para(w.Sections.Signoff, textStyle{size: sizeSection, bold: true, after: 4})
	d.para(s.Opinion, textStyle{size: sizeBody})
	for i := 0; i < 3; i++ { // ruled lines to write the opinion on
		d.space(20)
		d.gp.SetStrokeColor(150, 150, 150)
		d.gp.Line(d.left, d.y, d.left+d.cw, d.y)
		d.gp.SetStrokeColor(0, 0, 0)
	}
	d.space(16)
	for _, l := range s.Lines {
		d.para(l, textStyle{size: sizeBody, lead: 2.3})
	}
	d.space(18)
	d.para(f.do(s.Seal, vars{"Office": office(cfg)}), textStyle{size: 12, align: alignRight, lead: 2})
	d.para(s.SealDate, textStyle{size: sizeBody, align: alignRight})
}

// glyphNote adds, when characters were missing, a line naming their code points
// (which the font can always draw).
func glyphNote(d *doc, f *filler, note, sep string) {
	if len(d.missing) == 0 {
		return
	}
	codes := make([]string, len(d.missing))
	for i, r := range d.missing {
		codes[i] = fmt.Sprintf("U+%04X", r)
	}
	d.space(8)
	d.para(f.do(note, vars{"Marker": string(d.marker), "Chars": strings.Join(codes, sep)}),
		textStyle{size: sizeSmall, color: red})
}
