// Package render writes the documents of one checked version: the verdict report
// (验收报告.pdf), the attendance workbook (考勤表.xlsx) and, by verdict, the
// rectification notice (整改通知书.pdf) or the veto notice (一票否决通知书.pdf).
//
// Every fixed word of these documents lives in templates/report/*.yaml (a county
// may override any key through the config's templates folder); this package only
// lays out data. PDFs are set with gopdf in a TrueType CJK font found by
// pipeline/fonts. A character the font lacks is never dropped silently: it is
// printed as a visible marker (□, or ? when the font has no □) and the renderer
// returns a *MissingGlyphsError listing it after writing the file.
package render

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/zh"
	"yanshou/pipeline/platform/durable"
	"yanshou/templates"
)

// File names of the generated documents (fixed by DESIGN.md).
const (
	ReportName     = "验收报告.pdf"
	AttendanceName = "考勤表.xlsx"
	FailNoticeName = "整改通知书.pdf"
	VetoNoticeName = "一票否决通知书.pdf"
)

var errNoResult = errors.New("render：没有验收结果可供生成文件")

// vars are the values a wording template may use.
type vars map[string]any

// writeAtomic writes data to path durably (see package durable).
func writeAtomic(path string, data []byte) error {
	return durable.WriteFile(path, data, 0o644)
}

// local returns t in the county's zone.
func local(t time.Time, cfg *yanshou.Config) time.Time {
	if cfg != nil && cfg.Location != nil {
		return t.In(cfg.Location)
	}
	return t
}

// checkedText formats the check time as 2006年1月2日 15:04.
func checkedText(r *yanshou.Result, cfg *yanshou.Config) string {
	if r.CheckedAt.IsZero() {
		return ""
	}
	return local(r.CheckedAt, cfg).Format("2006年1月2日 15:04")
}

// percent formats a share as a percentage with at most one decimal.
func percent(x float64) string { return zh.Percent(x) }

// rowText is the row of a piece of evidence, blank when it is not a table row.
func rowText(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// classOf returns the submission's class, or nil.
func classOf(r *yanshou.Result) *yanshou.ClassInfo {
	if r.Submission == nil {
		return nil
	}
	return r.Submission.Class
}

// files returns the submission's files, or nil.
func files(r *yanshou.Result) []yanshou.File {
	if r.Submission == nil {
		return nil
	}
	return r.Submission.Files
}

// severityCounts counts findings by severity.
func severityCounts(fs []yanshou.Finding) (veto, fail, warn int) {
	for _, f := range fs {
		switch f.Severity {
		case yanshou.SevVeto:
			veto++
		case yanshou.SevFail:
			fail++
		case yanshou.Warning:
			warn++
		}
	}
	return
}

// deadline returns the rectification deadline: r.Deadline, or (when the pipeline
// left it unset) the check day plus rectify_days.
func deadline(r *yanshou.Result, cfg *yanshou.Config) yanshou.Date {
	if !r.Deadline.IsZero() || r.CheckedAt.IsZero() || cfg == nil {
		return r.Deadline
	}
	t := local(r.CheckedAt, cfg)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	return yanshou.Date{Time: day.AddDate(0, 0, cfg.Thresholds.RectifyDays)}
}

// maskID hides the birth date and sequence of a resident ID: 411623********123X.
func maskID(id string) string {
	r := []rune(id)
	if len(r) < 10 {
		return id
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

// loadWording decodes templates/report/<name> into w (see templates.Load): the
// built-in file with the county's override on top, key by key.
func loadWording(cfg *yanshou.Config, name string, w any) error {
	return templates.Load(templatesDir(cfg), "report/"+name, w)
}

// templatesDir is the county's override folder ("" for none).
func templatesDir(cfg *yanshou.Config) string {
	if cfg == nil {
		return ""
	}
	return cfg.Templates
}

// configuredFonts are the config's fonts: the first found is the documents'
// font, the others its fallbacks (nil: the platform's defaults).
func configuredFonts(cfg *yanshou.Config) []string {
	if cfg == nil {
		return nil
	}
	return cfg.Fonts
}
