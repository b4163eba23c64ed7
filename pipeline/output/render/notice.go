package render

import (
	"fmt"
	"path/filepath"
	"strings"

	"yanshou"
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
	font, err := fontFor(cfg)
	if err != nil {
		return "", err
	}
	d, err := newDoc(font, name)
	if err != nil {
		return "", err
	}
	f := &filler{}
	v := noticeVars(f, &w, r, cfg)

	title, subject, body, closing := w.Fail.Title, w.Fail.Subject, w.Fail.Body, w.Fail.Closing
	if r.Verdict == yanshou.Veto {
		title, subject, body, closing = w.Veto.Title, w.Veto.Subject, w.Veto.Body, w.Veto.Closing
	}

	// Red letterhead (红头), number, title.
	d.para(f.do(w.Header, v), textStyle{size: 24, color: red, align: alignCenter, bold: true, lead: 1.5, after: 2})
	d.para(f.do(w.Number, v), textStyle{size: 10.5, align: alignRight, lead: 1.4, after: 2})
	d.rule(red, 2)
	d.space(3)
	d.rule(red, 0.6)
	d.space(16)
	d.para(title, textStyle{size: sizeTitle, align: alignCenter, bold: true, after: 12})
	d.para(f.do(w.Greeting, v), textStyle{size: 12, lead: 1.8})
	for _, p := range body {
		d.para(f.do(p, v), textStyle{size: 12, first: 2, lead: 1.8})
	}
	d.space(6)

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

	d.space(4)
	d.para(closing, textStyle{size: 12, first: 2, lead: 1.8})
	d.space(24)
	d.ensure(110)
	d.para(f.do(w.Seal, v), textStyle{size: 12, align: alignRight, lead: 1.8})
	d.para(f.do(w.Date, v), textStyle{size: 12, align: alignRight, lead: 1.8})
	d.space(24)
	d.para(w.Receipt, textStyle{size: 10.5, lead: 1.8})

	if r.Verdict == yanshou.Veto {
		vetoTrainees(d, f, &w, r)
	}
	d.newPage()
	d.para(w.FilesTitle, textStyle{size: sizeSection, bold: true, after: 6})
	fileTable(d, f, w.FilesHeader, w.ContentHash, w.FilesNone, r)
	glyphNote(d, f, w.MissingGlyphNote, w.ListSep)

	d.pageTexts(title, func(p, n int) (string, string) {
		pv := vars{"Page": p, "Pages": n}
		for k, x := range v {
			pv[k] = x
		}
		return f.do(w.FooterLeft, pv), f.do(w.Footer, pv)
	})
	if f.err != nil {
		return "", f.err
	}
	err = d.save(filepath.Join(dir, name), pdfInfo{title: title, author: office(cfg), subject: subject,
		keywords: keywords(r), created: local(r.CheckedAt, cfg)})
	return name, err
}

// noticeVars are the placeholders of the notices.
func noticeVars(f *filler, w *noticeWords, r *yanshou.Result, cfg *yanshou.Config) vars {
	v := baseVars(r, cfg)
	v["Measures"] = w.Measures
	v["Deadline"] = deadline(r, cfg).Chinese()
	v["Date"] = ""
	if !r.CheckedAt.IsZero() {
		v["Date"] = yanshou.Date{Time: local(r.CheckedAt, cfg)}.Chinese()
	}
	v["Checked"] = v["Date"]
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
		v["ClassRef"] = f.do(w.ClassRefUnknown, v)
	} else {
		v["Title"], v["Class"] = c.Title, c.Class
		v["Dates"] = f.do(w.DateRange, vars{"Start": c.Start.Chinese(), "End": c.End.Chinese()})
		v["ClassRef"] = f.do(w.ClassRef, v)
	}
	return v
}

// noticeItems sets numbered findings with their evidence under a heading.
func noticeItems(d *doc, f *filler, w *noticeWords, title string, fs []yanshou.Finding) {
	d.space(4)
	d.ensure(80)
	d.para(title, textStyle{size: 12.5, bold: true, lead: 1.8})
	for i, fd := range fs {
		d.ensure(50)
		d.para(f.do(w.ItemHead, vars{"N": chineseNumber(i + 1), "Severity": fd.Severity.Chinese(),
			"Article": fd.Article, "Rule": fd.Rule, "Message": fd.Message}),
			textStyle{size: 11.5, first: 2, lead: 1.7, after: 2})
		evidenceTable(d, f, w.EvidenceHeader, w.EvidenceMore, w.EvidenceMax, fd.Evidence)
		d.space(6)
	}
}

// vetoTrainees lists, on a page of its own, the trainees to be retrained.
func vetoTrainees(d *doc, f *filler, w *noticeWords, r *yanshou.Result) {
	d.newPage()
	d.para(w.Veto.TraineesTitle, textStyle{size: sizeSection, bold: true, after: 6})
	if r.Attendance == nil || len(r.Attendance.Trainees) == 0 {
		d.para(w.Veto.TraineesNone, textStyle{size: sizeBody, first: 2})
		return
	}
	rows := make([][]string, len(r.Attendance.Trainees))
	for i, t := range r.Attendance.Trainees {
		rows[i] = []string{fmt.Sprint(i + 1), t.Name, maskID(t.ID), t.Town,
			f.do(w.Veto.TraineeRef, vars{"File": t.File, "Sheet": t.Sheet, "Row": t.Row})}
	}
	d.table(table{size: 9, header: w.Veto.TraineesHeader, cols: []column{
		{share: 0.08, align: alignCenter}, {share: 0.14}, {share: 0.24}, {share: 0.16}, {share: 0.38},
	}}, rows)
}

// chineseNumber writes 1–99 in Chinese numerals (一, 十二, 二十三) for item numbers.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	}
	var b strings.Builder
	if n/10 > 1 {
		b.WriteString(digits[n/10])
	}
	b.WriteString("十")
	if n%10 > 0 {
		b.WriteString(digits[n%10])
	}
	return b.String()
}
