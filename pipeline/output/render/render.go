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
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"sync"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"

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

// loadWording decodes templates/report/<name> into w: the built-in file first, then
// the county's override on top of it, so an override may change a few keys only.
// Every string, list and number of the result must be set.
func loadWording(cfg *yanshou.Config, name string, w any) error {
	rel := "report/" + name
	base, err := fs.ReadFile(templates.Builtin(), rel)
	if err != nil {
		return fmt.Errorf("读取内置模板 %s：%w", rel, err)
	}
	if err := decodeStrict(base, w); err != nil {
		return fmt.Errorf("内置模板 %s：%w", rel, err)
	}
	if cfg != nil && cfg.Templates != "" {
		over, err := templates.ReadFile(cfg.Templates, rel)
		if err != nil {
			return fmt.Errorf("读取模板 %s：%w", rel, err)
		}
		if !bytes.Equal(over, base) {
			if err := decodeStrict(over, w); err != nil {
				return fmt.Errorf("模板 %s（%s）：%w", rel, cfg.Templates, err)
			}
		}
	}
	if missing := emptyKeys(reflect.ValueOf(w).Elem(), ""); len(missing) > 0 {
		return fmt.Errorf("模板 %s 缺少以下键或为空：%s", rel, strings.Join(missing, "、"))
	}
	return nil
}

func decodeStrict(data []byte, w any) error {
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(true)
	if err := d.Decode(w); err != nil {
		return err
	}
	return nil
}

// emptyKeys names the yaml keys of v left empty (or zero, for numbers).
func emptyKeys(v reflect.Value, prefix string) []string {
	var out []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if prefix != "" {
			key = prefix + "." + key
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			out = append(out, emptyKeys(f, key)...)
		case reflect.String, reflect.Slice, reflect.Map:
			if f.Len() == 0 {
				out = append(out, key)
			}
		case reflect.Int:
			if f.Int() <= 0 {
				out = append(out, key)
			}
		}
	}
	return out
}

// vars are the values a wording template may use.
type vars map[string]any

// tmplCache keeps parsed wording templates by their text.
var tmplCache sync.Map // string → *template.Template

// fill executes one wording template. A template that fails (an unknown
// placeholder in a county override) is an error naming the text.
func fill(text string, v vars) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	var t *template.Template
	if c, ok := tmplCache.Load(text); ok {
		t = c.(*template.Template)
	} else {
		var err error
		t, err = template.New("").Option("missingkey=error").Parse(text)
		if err != nil {
			return "", fmt.Errorf("模板文字 %q 有误：%w", text, err)
		}
		tmplCache.Store(text, t)
	}
	var b strings.Builder
	if err := t.Execute(&b, map[string]any(v)); err != nil {
		return "", fmt.Errorf("模板文字 %q 无法填写：%w", text, err)
	}
	return b.String(), nil
}

// filler collects the first template error so that layout code stays linear.
type filler struct{ err error }

func (f *filler) do(text string, v vars) string {
	s, err := fill(text, v)
	if err != nil && f.err == nil {
		f.err = err
	}
	return s
}

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

// configuredFonts are the config's fonts: the first found is the documents'
// font, the others its fallbacks (nil: the platform's defaults).
func configuredFonts(cfg *yanshou.Config) []string {
	if cfg == nil {
		return nil
	}
	return cfg.Fonts
}
