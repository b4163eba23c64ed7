package render

import (
	"fmt"
	"path/filepath"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// noticeWords is templates/report/notice.yaml.
type noticeWords struct {
	Measures         string   `yaml:"measures"`
	Header           string   `yaml:"header"`
	Number           string   `yaml:"number"`
	Greeting         string   `yaml:"greeting"`
	UnknownInst      string   `yaml:"unknown_institution"`
	ClassRef         string   `yaml:"class_ref"`
	ClassRefUnknown  string   `yaml:"class_ref_unknown"`
	DateRange        string   `yaml:"date_range"`
	Footer           string   `yaml:"footer"`
	FooterLeft       string   `yaml:"footer_left"`
	MissingGlyphNote string   `yaml:"missing_glyph_note"`
	EvidenceHeader   []string `yaml:"evidence_header"`
	EvidenceMore     string   `yaml:"evidence_more"`
	EvidenceMax      int      `yaml:"evidence_max"`
	ItemHead         string   `yaml:"item_head"`
	FilesTitle       string   `yaml:"files_title"`
	FilesHeader      []string `yaml:"files_header"`
	ContentHash      string   `yaml:"content_hash"`
	Seal             string   `yaml:"seal"`
	SealMark         string   `yaml:"seal_mark"`
	Date             string   `yaml:"date"`
	Receipt          string   `yaml:"receipt"`
	ListSep          string   `yaml:"list_sep"`
	FilesNone        string   `yaml:"files_none"`
	Fail             struct {
		Title         string   `yaml:"title"`
		Subject       string   `yaml:"subject"`
		Body          []string `yaml:"body"`
		ItemsTitle    string   `yaml:"items_title"`
		WarningsTitle string   `yaml:"warnings_title"`
		Closing       string   `yaml:"closing"`
	} `yaml:"fail"`
	Veto struct {
		Title          string   `yaml:"title"`
		Subject        string   `yaml:"subject"`
		Body           []string `yaml:"body"`
		ReasonsTitle   string   `yaml:"reasons_title"`
		OthersTitle    string   `yaml:"others_title"`
		TraineesTitle  string   `yaml:"trainees_title"`
		TraineesHeader []string `yaml:"trainees_header"`
		TraineesNone   string   `yaml:"trainees_none"`
		TraineeRef     string   `yaml:"trainee_ref"`
		Closing        string   `yaml:"closing"`
	} `yaml:"veto"`
}

// Notice writes 整改通知书.pdf for a fail (items to fix with their articles and
// evidence, deadline r.Deadline computed by the pipeline from rectify_days) or
// 一票否决通知书.pdf for a veto (reasons, evidence, all trainees retrained at the
// institution's cost per 第十二条). It returns the file name it chose inside dir
// ("" and nil for a pass). When r.Deadline is unset on a fail, the deadline is the
// check day plus rectify_days. Missing glyphs are handled as in Report.
func Notice(dir string, r *yanshou.Result, cfg *yanshou.Config) (string, error) {
	if r == nil {
		return "", errNoResult
	}
	r = inReadingOrder(r)
	var name string
	switch r.Verdict {
	case yanshou.Fail:
		name = FailNoticeName
	case yanshou.Veto:
		name = VetoNoticeName
	default:
		return "", nil
	}
	var w noticeWords
	if err := loadWording(cfg, "notice.yaml", &w); err != nil {
		return "", err
	}
	font := configuredFonts(cfg)
	d, err := pdfdoc.New(font, name)
	if err != nil {
		return "", err
	}
	f := &templates.Filler{}
	v := noticeVars(f, &w, r, cfg)

	title, subject, body, closing := w.Fail.Title, w.Fail.Subject, w.Fail.Body, w.Fail.Closing
	if r.Verdict == yanshou.Veto {
		title, subject, body, closing = w.Veto.Title, w.Veto.Subject, w.Veto.Body, w.Veto.Closing
	}

	// 版头 of GB/T 9704: the 发文机关标志 in red, the 文号 under it, a red
	// separator line; then the title and the body in the official face and size.
	d.Space(20)
	d.Para(f.Do(w.Header, v), pdfdoc.TextStyle{Size: sizeMark, Color: pdfdoc.Red, Align: pdfdoc.AlignCenter, Bold: true, Lead: 1.3, After: 14, Face: pdfdoc.FaceHei})
	d.Para(f.Do(w.Number, v), pdfdoc.TextStyle{Size: sizeOfficial, Align: pdfdoc.AlignCenter, Lead: 1.4, After: 6, Face: pdfdoc.FaceFang})
	d.Rule(pdfdoc.Red, 1.5)
	d.Space(20)
	d.Para(title, pdfdoc.TextStyle{Size: sizeOfficialTitle, Align: pdfdoc.AlignCenter, Bold: true, Lead: 1.4, After: 12, Face: pdfdoc.FaceHei})
	d.Para(f.Do(w.Greeting, v), official(0))
	for _, p := range body {
		d.Para(f.Do(p, v), official(2))
	}
	if line, err := reviewNotice(f, r, cfg); err != nil {
		return "", err
	} else if line != "" {
		d.Para(line, official(2))
	}
	d.Space(6)

	var primary, secondary []yanshou.Finding
	for _, fd := range r.Findings {
		switch {
		case r.Verdict == yanshou.Veto && fd.Severity == yanshou.SevVeto,
			r.Verdict == yanshou.Fail && fd.Severity == yanshou.SevFail:
			primary = append(primary, fd)
		default:
			secondary = append(secondary, fd)
		}
	}
	firstTitle, secondTitle := w.Fail.ItemsTitle, w.Fail.WarningsTitle
	if r.Verdict == yanshou.Veto {
		firstTitle, secondTitle = w.Veto.ReasonsTitle, w.Veto.OthersTitle
	}
	noticeItems(d, f, &w, firstTitle, primary)
	if len(secondary) > 0 {
		noticeItems(d, f, &w, secondTitle, secondary)
	}

	// The closing line is kept with the signature block: the office's name,
	// the place of the seal (left empty, marked, for the 公章 put on by hand)
	// and the 成文日期 in Chinese numerals.
	lh := sizeOfficial * 1.75
	d.Space(4)
	d.Ensure(lh*5 + 40)
	d.Para(closing, official(2))
	d.Space(lh)
	d.Para(f.Do(w.SealMark, v), pdfdoc.TextStyle{Size: 12, Color: pdfdoc.Gray, Align: pdfdoc.AlignRight, Lead: 1.75, Indent: 0, Face: pdfdoc.FaceFang})
	d.Para(f.Do(w.Seal, v), pdfdoc.TextStyle{Size: sizeOfficial, Align: pdfdoc.AlignRight, Lead: 1.75, Face: pdfdoc.FaceFang})
	d.Para(f.Do(w.Date, v), pdfdoc.TextStyle{Size: sizeOfficial, Align: pdfdoc.AlignRight, Lead: 1.75, Face: pdfdoc.FaceFang})
	d.Space(20)
	d.Ensure(30)
	d.Para(w.Receipt, pdfdoc.TextStyle{Size: 12, Lead: 1.8, Face: pdfdoc.FaceFang})

	if r.Verdict == yanshou.Veto {
		if err := noticePairs(d, f, r, cfg, primary); err != nil {
			return "", err
		}
		vetoTrainees(d, f, &w, r)
	}
	if err := reviewBlock(d, f, r, cfg); err != nil {
		return "", err
	}
	d.NewPage()
	d.Para(w.FilesTitle, pdfdoc.TextStyle{Size: sizeSection, Bold: true, After: 6})
	fileTable(d, f, w.FilesHeader, w.ContentHash, w.FilesNone, r, 0)
	d.GlyphNote(func(m, c string) string { return f.Do(w.MissingGlyphNote, vars{"Marker": m, "Chars": c}) }, w.ListSep)

	d.PageTexts(title, func(p, n int) (string, string) {
		pv := vars{"Page": p, "Pages": n}
		for k, x := range v {
			pv[k] = x
		}
		return f.Do(w.FooterLeft, pv), f.Do(w.Footer, pv)
	})
	if f.Err != nil {
		return "", f.Err
	}
	err = d.Save(filepath.Join(dir, name), pdfdoc.Info{Title: title, Author: office(cfg), Subject: subject,
		Keywords: keywords(r), Created: local(r.CheckedAt, cfg)})
	return name, err
}

// Sizes of official paper (GB/T 9704): the 发文机关标志, the title (二号,
// 22 pt) and the body (三号, 16 pt).
const (
	sizeMark          = 30.0
	sizeOfficialTitle = 22.0
	sizeOfficial      = 16.0
)

// official is the style of the body of official paper: 三号 仿宋 (or the
// fallback face), first line indented by first characters.
func official(first float64) pdfdoc.TextStyle {
	return pdfdoc.TextStyle{Size: sizeOfficial, First: first, Lead: 1.75, After: 1, Face: pdfdoc.FaceFang}
}

// noticeVars are the placeholders of the notices.
func noticeVars(f *templates.Filler, w *noticeWords, r *yanshou.Result, cfg *yanshou.Config) vars {
	v := baseVars(r, cfg)
	v["Measures"] = w.Measures
	v["Deadline"] = deadline(r, cfg).Chinese()
	v["Date"] = ""
	if !r.CheckedAt.IsZero() {
		v["Date"] = yanshou.Date{Time: local(r.CheckedAt, cfg)}.Chinese()
	}
	v["Checked"] = v["Date"]
	v["Issued"] = ""
	issued := r.CheckedAt
	if r.Review != nil && !r.Review.Confirmed.At.IsZero() {
		issued = r.Review.Confirmed.At // a reviewed notice is issued on the confirmation
	}
	if !issued.IsZero() {
		t := local(issued, cfg)
		v["Issued"] = zh.Date(t.Year(), int(t.Month()), t.Day())
	}
	v["DocNumber"] = r.DocNumber
	v["Mark"] = office(cfg)
	if cfg != nil {
		v["Mark"] = cfg.Mark()
	}
	trainees := 0
	if r.Attendance != nil {
		trainees = len(r.Attendance.Trainees)
	}
	if trainees == 0 && r.Facts != nil {
		trainees = r.Facts.Attendance.Approved
	}
	if c := classOf(r); c != nil && trainees == 0 {
		trainees = c.Planned
	}
	v["Trainees"] = trainees
	c := classOf(r)
	if c == nil || c.Institution == "" {
		v["Institution"] = w.UnknownInst
	} else {
		v["Institution"] = c.Institution
	}
	if c == nil || c.Title == "" {
		v["ClassRef"] = f.Do(w.ClassRefUnknown, v)
	} else {
		v["Title"], v["Class"] = c.Title, c.Class
		v["Dates"] = f.Do(w.DateRange, vars{"Start": c.Start.Chinese(), "End": c.End.Chinese()})
		v["ClassRef"] = f.Do(w.ClassRef, v)
	}
	return v
}

// noticeItems sets numbered findings with their evidence under a heading.
func noticeItems(d *pdfdoc.Doc, f *templates.Filler, w *noticeWords, title string, fs []yanshou.Finding) {
	d.Space(4)
	d.Ensure(sizeOfficial*1.75*3 + 30) // the heading with its first item
	d.Para(title, pdfdoc.TextStyle{Size: sizeOfficial, Bold: true, Lead: 1.75, First: 2, Face: pdfdoc.FaceHei})
	for i, fd := range fs {
		d.Ensure(sizeOfficial*1.75*2 + 30)
		d.Para(f.Do(w.ItemHead, vars{"N": zh.Number(i + 1), "Severity": fd.Severity.Chinese(),
			"Article": fd.Article, "Rule": fd.Name(), "Message": fd.Message}), official(2))
		evidenceTable(d, f, w.EvidenceHeader, w.EvidenceMore, w.EvidenceMax, fd.Evidence)
		d.Space(6)
	}
}

// vetoTrainees lists, on a page of its own, the trainees to be retrained.
func vetoTrainees(d *pdfdoc.Doc, f *templates.Filler, w *noticeWords, r *yanshou.Result) {
	d.NewPage()
	d.Para(w.Veto.TraineesTitle, pdfdoc.TextStyle{Size: sizeSection, Bold: true, After: 6})
	if r.Attendance == nil || len(r.Attendance.Trainees) == 0 {
		d.Para(w.Veto.TraineesNone, pdfdoc.TextStyle{Size: sizeBody, First: 2})
		return
	}
	rows := make([][]string, len(r.Attendance.Trainees))
	for i, t := range r.Attendance.Trainees {
		rows[i] = []string{fmt.Sprint(i + 1), t.Name, maskID(t.ID), t.Town,
			f.Do(w.Veto.TraineeRef, vars{"File": t.File, "Sheet": t.Sheet, "Row": t.Row})}
	}
	d.Table(pdfdoc.Table{Size: 9, Header: w.Veto.TraineesHeader, Cols: []pdfdoc.Column{
		{Share: 0.08, Align: pdfdoc.AlignCenter}, {Share: 0.14}, {Share: 0.24}, {Share: 0.16}, {Share: 0.38},
	}}, rows)
}
