package render

import (
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
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
		Check     struct {
			Title    string   `yaml:"title"`
			Header   []string `yaml:"header"`
			Read     string   `yaml:"read"`
			Unread   string   `yaml:"unread"`
			Agrees   string   `yaml:"agrees"`
			Differs  string   `yaml:"differs"`
			ReadOnly string   `yaml:"read_only"`
			Blank    string   `yaml:"blank"`
		} `yaml:"check"`
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
		templates.PhotoWords `yaml:",inline"`
		None                 string   `yaml:"none"`
		Summary              string   `yaml:"summary"`
		Header               []string `yaml:"header"`
		Reused               string   `yaml:"reused"`
		ThumbsMax            int      `yaml:"thumbs_max"`
		ThumbsOff            string   `yaml:"thumbs_off"`
		MapTitle             string   `yaml:"map_title"`
		TimelineTitle        string   `yaml:"timeline_title"`
		LegendGood           string   `yaml:"legend_good"`
		LegendDoubt          string   `yaml:"legend_doubt"`
		LegendBad            string   `yaml:"legend_bad"`
		MapVenue             string   `yaml:"map_venue"`
		NoVenue              string   `yaml:"no_venue"`
		MapNone              string   `yaml:"map_none"`
		NotOnMap             string   `yaml:"not_on_map"`
		TimelineNote         string   `yaml:"timeline_note"`
		TimelineNone         string   `yaml:"timeline_none"`
		TimelineNoTime       string   `yaml:"timeline_no_time"`
		NotOnTimeline        string   `yaml:"not_on_timeline"`
	} `yaml:"photos"`
	Files struct {
		Header      []string `yaml:"header"`
		ContentHash string   `yaml:"content_hash"`
		None        string   `yaml:"none"`
	} `yaml:"files"`
	Signoff struct {
		Opinion  string   `yaml:"opinion"`
		Lines    []string `yaml:"lines"`
		SealMark string   `yaml:"seal_mark"`
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
	r = inReadingOrder(r)
	var w reportWords
	if err := loadWording(cfg, "report.yaml", &w); err != nil {
		return err
	}
	font := configuredFonts(cfg)
	d, err := pdfdoc.New(font, filepath.Base(path))
	if err != nil {
		return err
	}
	f := &templates.Filler{}
	base := baseVars(r, cfg)

	// Title block and verdict.
	d.Para(w.Title, pdfdoc.TextStyle{Size: sizeTitle, Align: pdfdoc.AlignCenter, Bold: true, After: 4})
	d.Para(f.Do(w.Subtitle, base), pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray, Align: pdfdoc.AlignCenter, After: 6})
	d.Rule(pdfdoc.Black, 1.2)
	d.Space(10)
	verdictBox(d, f, &w, r, cfg)
	if err := reviewBlock(d, f, r, cfg); err != nil {
		return err
	}

	reportClass(d, f, &w, r)
	reportFindings(d, f, &w, r)
	reportMaterials(d, f, &w, r)
	reportAttendance(d, f, &w, r, cfg)
	if err := reportSignatures(d, f, r, cfg); err != nil {
		return err
	}
	reportPhotos(d, f, &w, r, cfg)
	if err := reportPairs(d, f, r, cfg); err != nil {
		return err
	}
	section(d, w.Sections.Files)
	fileTable(d, f, w.Files.Header, w.Files.ContentHash, w.Files.None, r, signoffHeight(&w))
	reportSignoff(d, f, &w, cfg)
	d.GlyphNote(func(m, c string) string { return f.Do(w.MissingGlyphNote, vars{"Marker": m, "Chars": c}) }, w.ListSep)

	d.PageTexts(w.RunningHead, func(p, n int) (string, string) {
		v := vars{"Page": p, "Pages": n}
		for k, x := range base {
			v[k] = x
		}
		return f.Do(w.FooterLeft, v), f.Do(w.Footer, v)
	})
	if f.Err != nil {
		return f.Err
	}
	return d.Save(path, pdfdoc.Info{Title: w.Title, Author: office(cfg), Subject: w.Subject,
		Keywords: keywords(r), Created: local(r.CheckedAt, cfg)})
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
func section(d *pdfdoc.Doc, title string) {
	d.Space(8)
	d.Ensure(sizeSection*1.6 + 60)
	d.Para(title, pdfdoc.TextStyle{Size: sizeSection, Bold: true, After: 4})
}

// verdictBox sets the verdict as a flat coloured band (no imitation of a seal:
// a real 公章 is put on paper by hand), the counts under it, the figures an
// office reads first and the gravest problems.
func verdictBox(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	veto, fail, warn := severityCounts(r.Findings)
	c := pdfdoc.RGBOf(r.Verdict.Colour())
	top := d.Y
	const band = 38.0
	d.Box(d.Left, top, d.CW, band, c)
	d.SetColor(pdfdoc.RGB{R: 255, G: 255, B: 255})
	d.SetSize(22)
	d.LineAt(d.Left, top+(band-22)/2, d.CW, d.Clean(f.Do(w.Verdict, vars{"Verdict": r.Verdict.Chinese()})), pdfdoc.AlignCenter, true)
	d.SetColor(pdfdoc.Black)
	d.Y = top + band + 6
	summary := w.VerdictSummaryNone
	if len(r.Findings) > 0 {
		summary = f.Do(w.VerdictSummary, vars{"Total": len(r.Findings), "Veto": veto, "Fail": fail, "Warn": warn})
	}
	d.Para(summary, pdfdoc.TextStyle{Size: 10, Align: pdfdoc.AlignCenter, Lead: 1.4, After: 4})
	note := w.VerdictNote.Pass
	switch r.Verdict {
	case yanshou.Fail:
		note = w.VerdictNote.Fail
	case yanshou.Veto:
		note = w.VerdictNote.Veto
	}
	d.Para(f.Do(note, vars{"Deadline": deadline(r, cfg).Chinese()}), pdfdoc.TextStyle{Size: 10.5, First: 2, After: 4})
	glance(d, f, w, r)
}

// glance sets three figures (materials, trainees, photos) and the gravest
// findings, veto first.
func glance(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result) {
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
		att = f.Do(g.AttendanceValue, vars{"Trained": s.trained, "Approved": s.approved, "Rate": percent(s.rate)})
	}
	pc := photoCounts(r)
	d.Table(pdfdoc.Table{Size: 10, Cols: []pdfdoc.Column{
		{Share: 0.15, Shade: true, Align: pdfdoc.AlignCenter}, {Share: 0.15, Align: pdfdoc.AlignCenter},
		{Share: 0.15, Shade: true, Align: pdfdoc.AlignCenter}, {Share: 0.22, Align: pdfdoc.AlignCenter},
		{Share: 0.15, Shade: true, Align: pdfdoc.AlignCenter}, {Share: 0.18, Align: pdfdoc.AlignCenter},
	}}, [][]string{{g.Materials, f.Do(g.MaterialsValue, vars{"Present": present, "Total": len(yanshou.Materials)}),
		g.Attendance, att, g.Photos, f.Do(g.PhotosValue, pc)}})
	grave := graveFindings(r.Findings)
	if len(grave) == 0 {
		return
	}
	d.Space(6)
	d.Para(g.TopTitle, pdfdoc.TextStyle{Size: 11, Bold: true, Lead: 1.5})
	for i, nf := range grave {
		if i == g.TopMax {
			d.Para(f.Do(g.TopMore, vars{"N": len(grave) - i}), pdfdoc.TextStyle{Size: 9.5, Color: pdfdoc.Gray, Indent: 12})
			break
		}
		fd := nf.Finding
		d.Para(f.Do(g.TopItem, vars{"N": nf.N, "Severity": fd.Severity.Chinese(), "Article": fd.Article, "Message": fd.Message}),
			pdfdoc.TextStyle{Size: 9.5, Color: severityColor(fd.Severity), Indent: 12, Lead: 1.45})
	}
}

// numbered is a finding with its number in section 二 of the report.
type numbered struct {
	N       int
	Finding yanshou.Finding
}

// graveFindings are the veto and fail findings in the order and with the
// numbers section 二 gives them (see byArticle), so that "主要问题" on page 1
// and section 二 never disagree.
func graveFindings(fs []yanshou.Finding) []numbered {
	var out []numbered
	n := 0
	for _, g := range byArticle(fs) {
		for _, fd := range g {
			n++
			if fd.Severity == yanshou.SevVeto || fd.Severity == yanshou.SevFail {
				out = append(out, numbered{n, fd})
			}
		}
	}
	return out
}

// reportClass sets the class facts of the manifest, or says there is none.
func reportClass(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result) {
	section(d, w.Sections.Class)
	c := classOf(r)
	if c == nil {
		d.Para(w.Class.NoManifest, pdfdoc.TextStyle{Size: sizeBody, Color: pdfdoc.Red, First: 2})
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
		dates = f.Do(l.DateRange, vars{"Start": or(c.Start.Chinese()), "End": or(c.End.Chinese()), "Days": c.Days()})
	}
	venue := c.Venue
	if c.VenueCoords != nil {
		venue = strings.TrimSpace(fmt.Sprintf("%s（%.5f, %.5f）", venue, c.VenueCoords.Lat, c.VenueCoords.Lon))
	}
	planned := l.Unknown
	if c.Planned > 0 {
		planned = f.Do(l.PlannedValue, vars{"N": c.Planned})
	}
	rows := [][]string{
		{l.Institution, or(c.Institution), l.Class, or(c.Class)},
		{l.Title, or(c.Title), l.Dates, dates},
		{l.Venue, or(venue), l.Planned, planned},
		{l.Approval, or(c.ApprovalNo), l.Approved, or(c.Approved.Chinese())},
		{l.Applied, or(c.Applied.Chinese()), l.Teachers, or(c.Teachers)},
		{l.Source, or(c.Source), "", ""},
	}
	d.Table(pdfdoc.Table{Size: 10, Cols: []pdfdoc.Column{
		{Share: 0.15, Shade: true}, {Share: 0.35}, {Share: 0.15, Shade: true}, {Share: 0.35},
	}}, rows)
}

// evidenceTable sets up to max pieces of evidence and a line saying how many more.
func evidenceTable(d *pdfdoc.Doc, f *templates.Filler, header []string, more string, limit int, ev []yanshou.Evidence) {
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
	cols, header, rows := dropEmptyColumns(evidenceColumns(), header, rows, 3)
	d.Table(pdfdoc.Table{Size: sizeTable, Header: header, Cols: cols}, rows)
	if n := len(ev) - len(shown); n > 0 {
		d.Space(2)
		d.Para(f.Do(more, vars{"N": n}), pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray})
	}
}

// evidenceColumns are the columns of an evidence table: 文件, 工作表, 行, 说明.
func evidenceColumns() []pdfdoc.Column {
	return []pdfdoc.Column{{Share: 0.36}, {Share: 0.12}, {Share: 0.07, Align: pdfdoc.AlignCenter}, {Share: 0.45}}
}

// dropEmptyColumns removes the columns before keep (文件, 工作表, 行) that every
// row leaves empty, giving their share to the last column; the columns from
// keep on always stay.
func dropEmptyColumns(cols []pdfdoc.Column, header []string, rows [][]string, keep int) ([]pdfdoc.Column, []string, [][]string) {
	used := make([]bool, len(cols))
	for i := keep; i < len(cols); i++ {
		used[i] = true
	}
	for _, row := range rows {
		for i, c := range row {
			if i < len(used) && strings.TrimSpace(c) != "" {
				used[i] = true
			}
		}
	}
	var oc []pdfdoc.Column
	var oh []string
	freed := 0.0
	for i, c := range cols {
		if !used[i] {
			freed += c.Share
			continue
		}
		oc = append(oc, c)
		if i < len(header) {
			oh = append(oh, header[i])
		}
	}
	if freed == 0 {
		return cols, header, rows
	}
	oc[len(oc)-1].Share += freed
	if header == nil {
		oh = nil
	}
	out := make([][]string, len(rows))
	for r, row := range rows {
		for i, c := range row {
			if i < len(used) && used[i] {
				out[r] = append(out[r], c)
			}
		}
	}
	return oc, oh, out
}

func severityColor(s yanshou.Severity) pdfdoc.RGB {
	if s == yanshou.Warning {
		return pdfdoc.Gray
	}
	return pdfdoc.Red
}

// reportFindings sets every finding with its rule, article, severity, message and
// evidence, grouped by article in the order of the measures (第三条 before
// 第七条), the gravest first within an article.
func reportFindings(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result) {
	section(d, w.Sections.Findings)
	if len(r.Findings) == 0 {
		d.Para(w.Findings.None, pdfdoc.TextStyle{Size: sizeBody, First: 2})
		return
	}
	n := 0
	for _, g := range byArticle(r.Findings) {
		d.Ensure(80)
		d.Para(f.Do(w.Findings.Group, vars{"Article": g[0].Article, "N": len(g)}),
			pdfdoc.TextStyle{Size: 12, Bold: true, Lead: 1.6, After: 2})
		for _, fd := range g {
			n++
			d.Ensure(60)
			d.Para(f.Do(w.Findings.Head, vars{"N": n, "Severity": fd.Severity.Chinese(),
				"Article": fd.Article, "Rule": fd.Name()}),
				pdfdoc.TextStyle{Size: sizeBody, Color: severityColor(fd.Severity), Bold: true, Lead: 1.5, Indent: 6})
			d.Para(fd.Message, pdfdoc.TextStyle{Size: 10.5, Indent: 18, Lead: 1.5, After: 3})
			evidenceTable(d, f, w.Findings.EvidenceHeader, w.Findings.EvidenceMore, w.Findings.EvidenceMax, fd.Evidence)
			d.Space(6)
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
func fileNames(f *templates.Filler, fs []yanshou.File, limit int, sep, more string) string {
	names := make([]string, 0, min(len(fs), limit))
	for i, x := range fs {
		if i == limit {
			break
		}
		names = append(names, x.Rel)
	}
	s := strings.Join(names, sep)
	if len(fs) > limit {
		s += f.Do(more, vars{"N": len(fs)})
	}
	return s
}

// reportMaterials sets the checklist of 第十一条 and the unrecognised files.
func reportMaterials(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result) {
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
	d.Table(pdfdoc.Table{Size: 9.5, Header: m.Header, Cols: []pdfdoc.Column{
		{Share: 0.07, Align: pdfdoc.AlignCenter}, {Share: 0.16}, {Share: 0.09, Align: pdfdoc.AlignCenter}, {Share: 0.68},
	}, Color: func(row, col int) pdfdoc.RGB {
		if missing[row] && col == 2 {
			return pdfdoc.Red
		}
		return pdfdoc.Black
	}}, rows)
	d.Space(6)
	others := sub.FilesOf(yanshou.Other)
	list := m.None
	if len(others) > 0 {
		names := make([]string, len(others))
		for i, x := range others {
			names[i] = x.Rel
		}
		list = strings.Join(names, w.ListSep)
	}
	d.Para(m.Others+"："+list, pdfdoc.TextStyle{Size: 10})
	reportPaperCheck(d, f, w, r)
}

// reportPaperCheck sets the 材料核对 table: for each of the documents read (批复,
// application, notice, summary), the 文号 and date read from its text beside
// the manifest's, with a tick or the difference.
func reportPaperCheck(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result) {
	if len(r.Papers) == 0 {
		return
	}
	c := w.Materials.Check
	var class yanshou.ClassInfo
	if r.Submission != nil && r.Submission.Class != nil {
		class = *r.Submission.Class
	}
	blank := func(s string) string {
		if s == "" {
			return c.Blank
		}
		return s
	}
	rows := make([][]string, 0, len(r.Papers))
	bad := map[int]bool{}
	for i, p := range r.Papers {
		read, manifest, verdict := c.Unread+"："+p.Problem, "", ""
		if p.Read {
			read = f.Do(c.Read, vars{"Number": blank(p.Number), "Date": blank(p.DateText)})
			verdict = c.Agrees
			if p.Kind == yanshou.Summary { // nothing of it is compared yet
				verdict = c.ReadOnly
			}
		}
		if p.Kind == yanshou.Approval {
			approved := ""
			if !class.Approved.IsZero() {
				approved = class.Approved.Format("2006年1月2日")
			}
			manifest = f.Do(c.Read, vars{"Number": blank(class.ApprovalNo), "Date": blank(approved)})
		}
		if r.Facts != nil && p.Read {
			pf := r.Facts.Papers
			if (p.Kind == yanshou.Approval && (pf.ApprovalNoDiffers || pf.ApprovalDateDiffers || pf.ApprovalDocLate)) ||
				(p.Kind == yanshou.Notice && pf.NoticeAfterStart) || (p.Kind == yanshou.Application && pf.ApplicationLate) {
				verdict, bad[i] = c.Differs, true
			}
		}
		if !p.Read {
			bad[i] = true
		}
		rows = append(rows, []string{p.Kind.String(), p.File, read, manifest, verdict})
	}
	d.Space(6)
	d.Para(c.Title, pdfdoc.TextStyle{Size: 10.5, Bold: true, After: 2})
	d.Table(pdfdoc.Table{Size: 9, Header: c.Header, Cols: []pdfdoc.Column{
		{Share: 0.12}, {Share: 0.24}, {Share: 0.25}, {Share: 0.25}, {Share: 0.14, Align: pdfdoc.AlignCenter},
	}, Color: func(row, col int) pdfdoc.RGB {
		if bad[row] && col == 4 {
			return pdfdoc.Red
		}
		return pdfdoc.Black
	}}, rows)
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
func reportAttendance(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	a := w.Attendance
	section(d, w.Sections.Attendance)
	s, ok := summarize(r)
	if !ok {
		d.Para(a.None, pdfdoc.TextStyle{Size: sizeBody, Color: pdfdoc.Red, First: 2})
		return
	}
	var t yanshou.Thresholds
	if cfg != nil {
		t = cfg.Thresholds
	}
	persons := func(n int) string { return f.Do(a.Persons, vars{"N": n}) }
	rows := func(n int) string { return f.Do(a.Rows, vars{"N": n}) }
	times := func(n int) string { return f.Do(a.Times, vars{"N": n}) }
	d.Table(pdfdoc.Table{Size: 10, Cols: []pdfdoc.Column{
		{Share: 0.22, Shade: true}, {Share: 0.28}, {Share: 0.22, Shade: true}, {Share: 0.28},
	}}, [][]string{
		{a.Approved, persons(s.approved), a.Trained, persons(s.trained)},
		{a.Rate, f.Do(a.RateValue, vars{"Rate": percent(s.rate), "Pass": percent(t.AttendancePass), "Veto": percent(t.AttendanceVeto)}),
			a.Sessions, times(s.sessions)},
		{a.SignIns, rows(s.signIns), a.WalkIns, persons(s.walkIns)},
		{a.Ambiguous, rows(s.ambiguous), a.Proxy, times(s.proxy)},
		{a.Calls, rows(s.calls), a.Called, persons(s.called)},
		{a.CallShare, f.Do(a.CallShareValue, vars{"Share": percent(s.share), "Min": percent(t.FollowupMinShare)}),
			a.Problems, rows(s.problems)},
	})
	d.Space(3)
	d.Para(a.Details, pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray})
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
func reportPhotos(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, r *yanshou.Result, cfg *yanshou.Config) {
	section(d, w.Sections.Photos)
	if len(r.Photos) == 0 {
		d.Para(w.Photos.None, pdfdoc.TextStyle{Size: sizeBody, Color: pdfdoc.Red, First: 2})
		return
	}
	d.Para(f.Do(w.Photos.Summary, photoCounts(r)), pdfdoc.TextStyle{Size: 10.5, After: 4})
	photoFigures(d, f, w, r, cfg)
	var thumbs []*pdfdoc.Image
	if len(r.Photos) <= w.Photos.ThumbsMax {
		thumbs = thumbnails(r, cfg)
	} else {
		d.Para(f.Do(w.Photos.ThumbsOff, vars{"Max": w.Photos.ThumbsMax}), pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray, After: 3})
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
			dist = f.Do(w.Photos.Distance, vars{"M": zh.Whole(*p.DistanceM)})
		}
		status, ok := w.Photos.Status(f, p.ReusedOf, p.InWindow, p.InVenue, p.InCounty, w.ListSep)
		bad[i] = !ok
		file := p.File
		if p.Video { // its facts under its name; the poster frame, if any, is the thumbnail
			file += "\n" + videoLine(f, &w.Photos.PhotoWords, p)
		}
		rows[i] = []string{fmt.Sprint(i + 1), w.Photos.Unknown, file, taken, dist, status}
	}
	t := pdfdoc.Table{Size: sizeTable, Header: w.Photos.Header, Cols: []pdfdoc.Column{
		{Share: 0.06, Align: pdfdoc.AlignCenter}, {Share: 0.13, Align: pdfdoc.AlignCenter}, {Share: 0.32}, {Share: 0.15, Align: pdfdoc.AlignCenter},
		{Share: 0.1, Align: pdfdoc.AlignRight}, {Share: 0.24},
	}, Color: func(row, col int) pdfdoc.RGB {
		if col == 5 {
			if bad[row] {
				return pdfdoc.Red
			}
			return pdfdoc.Green
		}
		return pdfdoc.Black
	}, Thumbs: thumbs, ThumbCol: 1}
	if thumbs != nil {
		t.RowMin = 50
	}
	d.Table(t, rows)
}

// videoLine is the facts line of a video: its length and frame size, and why it
// has no poster frame when it has none.
func videoLine(f *templates.Filler, w *templates.PhotoWords, p *yanshou.Photo) string {
	d := ""
	if p.DurationS > 0 {
		d = zh.Duration(time.Duration(p.DurationS * float64(time.Second)))
	}
	return w.VideoLine(f, d, p.Width, p.Height, p.PosterNote)
}

// thumbSide is the long side, in pixels, of a thumbnail in the report.
const thumbSide = 240

// thumbnails prepares a small upright picture of each photo (nil where the file
// cannot be read), two at a time: each full-size decode is freed before the next.
func thumbnails(r *yanshou.Result, cfg *yanshou.Config) []*pdfdoc.Image {
	abs := map[string]string{}
	for _, f := range files(r) {
		abs[f.Rel] = f.Abs
	}
	paths := make([]string, len(r.Photos))
	for i := range r.Photos {
		paths[i] = shownPicture(r.Photos[i], abs[r.Photos[i].File])
	}
	return prepareImages(paths, cfg, thumbSide)
}

// prepareImages prepares the picture at each path, its long side at most side
// pixels (nil where a path is "" or its file cannot be read), two at a time:
// each full-size decode is freed before the next.
func prepareImages(paths []string, cfg *yanshou.Config, side int) []*pdfdoc.Image {
	var maxPixels int64
	if cfg != nil {
		maxPixels = cfg.Intake.MaxImagePixels
	}
	out := make([]*pdfdoc.Image, len(paths))
	sem := make(chan struct{}, min(2, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i, path := range paths {
		if path == "" {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if img, err := pdfdoc.PrepareImage(path, maxPixels, side); err == nil {
				out[i] = img
			}
		}()
	}
	wg.Wait()
	return out
}

// fileTable lists every source file with its size and SHA-256, and the
// submission's content hash.
func fileTable(d *pdfdoc.Doc, f *templates.Filler, header []string, contentHash, none string, r *yanshou.Result, keepWith float64) {
	l := pdfdoc.FileList{Size: sizeHashes, Header: header, None: none, KeepWith: keepWith}
	for _, x := range files(r) {
		l.Files = append(l.Files, pdfdoc.FileRow{Name: x.Rel, Size: x.Size, SHA256: x.SHA256})
	}
	if r.Submission != nil && r.Submission.ContentHash != "" {
		l.Note = f.Do(contentHash, vars{"Hash": r.Submission.ContentHash})
	}
	d.FileTable(l)
}

// signoffHeight is the height of the signature section (reportSignoff), so
// that the file table before it keeps its last rows with it.
func signoffHeight(w *reportWords) float64 {
	return 8 + sizeSection*1.6 + 60 + float64(len(w.Signoff.Lines))*26 + 105
}

// reportSignoff sets the opinion space, the signature lines (验收人, 负责人)
// and the place of the office's seal, marked （印章） and left empty as on the
// notices, with the date.
func reportSignoff(d *pdfdoc.Doc, f *templates.Filler, w *reportWords, cfg *yanshou.Config) {
	s := w.Signoff
	d.Space(8)
	d.Ensure(signoffHeight(w) - 8)
	d.Para(w.Sections.Signoff, pdfdoc.TextStyle{Size: sizeSection, Bold: true, After: 4})
	d.Para(s.Opinion, pdfdoc.TextStyle{Size: sizeBody})
	for i := 0; i < 3; i++ { // ruled lines to write the opinion on
		d.Space(20)
		d.GP.SetStrokeColor(150, 150, 150)
		d.GP.Line(d.Left, d.Y, d.Left+d.CW, d.Y)
		d.GP.SetStrokeColor(0, 0, 0)
	}
	d.Space(16)
	for _, l := range s.Lines {
		d.Para(l, pdfdoc.TextStyle{Size: sizeBody, Lead: 2.3})
	}
	d.Space(18)
	d.Para(s.SealMark, pdfdoc.TextStyle{Size: sizeBody, Color: pdfdoc.Gray, Align: pdfdoc.AlignRight, Lead: 2})
	d.Para(f.Do(s.Seal, vars{"Office": office(cfg)}), pdfdoc.TextStyle{Size: 12, Align: pdfdoc.AlignRight, Lead: 2})
	d.Para(s.SealDate, pdfdoc.TextStyle{Size: sizeBody, Align: pdfdoc.AlignRight})
}

// shownPicture is the file a photo's picture is drawn from, path being the
// submitted file: a video's poster frame (none when it has no poster), a
// HEIC's proxy (the picture decoded once in the check), else the file itself.
func shownPicture(p yanshou.Photo, path string) string {
	switch {
	case p.Video:
		return p.Poster
	case p.Proxy != "":
		return p.Proxy
	}
	return path
}
