// Package manifest reads a submission's manifest — 培训信息表.xlsx (first sheet, two
// columns 项目 | 内容) or manifest.yaml with the English keys of DESIGN.md — into a
// yanshou.ClassInfo. Item names and their variants come from the sheet package's
// vocabulary (vocab.yaml), not from code.
package manifest

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// Items every manifest must give (the class cannot be judged without them).
var required = []string{"institution", "class", "start", "end"}

// item is one 项目 | 内容 pair as found in the file.
type item struct {
	key   string
	value string
	row   int                                                    // 1-based row or YAML line; 0 when unknown
	at    func(detail string) yanshou.Evidence                   // a problem about this item
	when  func(loc *time.Location, year int) (sheet.When, error) // the value read as a date
}

// IsManifest reports whether a file name is a manifest: 培训信息表.xlsx/.xlsm/.csv
// (also with a suffix such as 培训信息表（第3期）.xlsx, and .xls so that the old format
// is reported rather than missed), or manifest.yaml/.yml. Office lock files (~$…)
// and macOS resource forks (._…) are not.
func IsManifest(name string) bool {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if strings.HasPrefix(base, "~$") || strings.HasPrefix(base, "._") || strings.HasPrefix(base, ".~") {
		return false
	}
	ext := path.Ext(base)
	stem := sheet.Compact(strings.TrimSuffix(base, ext))
	switch strings.ToLower(ext) {
	case ".yaml", ".yml":
		return strings.EqualFold(stem, "manifest")
	case ".xlsx", ".xlsm", ".csv", ".xls":
		return strings.Contains(stem, "培训信息表")
	}
	return false
}

// Read reads the submission's manifest file (abs path, rel for messages) into
// ClassInfo; problems are Chinese Evidence naming file/sheet/row. A missing required
// field (institution, class, start, end) is a problem; an unreadable file returns nil
// ClassInfo plus a problem.
func Read(abs, rel string, cfg *yanshou.Config) (ci *yanshou.ClassInfo, problems []yanshou.Evidence) {
	defer func() {
		if r := recover(); r != nil {
			ci = nil
			problems = append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("manifest.read_panic", r)})
		}
	}()
	var (
		items []item
		where yanshou.Evidence // file and sheet, for problems about missing items
	)
	switch strings.ToLower(path.Ext(rel)) {
	case ".yaml", ".yml":
		items, problems = readYAML(abs, rel, cfg)
		where = yanshou.Evidence{File: rel}
	default:
		var t *sheet.Table
		t, items, problems = readTable(abs, rel, cfg)
		if t == nil {
			return nil, problems
		}
		where = yanshou.Evidence{File: rel, Sheet: t.Sheet}
	}
	if len(items) == 0 {
		if len(problems) == 0 {
			e := where
			e.Detail = templates.Say("manifest.no_items")
			problems = append(problems, e)
		}
		return nil, problems
	}
	ci, more := build(items, rel, cfg, where)
	return ci, append(problems, more...)
}

// ---- xlsx / csv -----------------------------------------------------------------

// readTable finds the items in the first sheet that has any (normally the first).
func readTable(abs, rel string, cfg *yanshou.Config) (*sheet.Table, []item, []yanshou.Evidence) {
	book, problems := sheet.Open(abs, rel, cfg)
	if book == nil {
		return nil, nil, problems
	}
	if len(book.Tables) == 0 {
		return nil, nil, append(problems, yanshou.Evidence{File: rel, Detail: templates.Say("manifest.no_sheets")})
	}
	for _, t := range book.Tables {
		if items := tableItems(t); len(items) > 0 {
			return t, items, problems
		}
	}
	return book.Tables[0], nil, problems
}

// tableItems reads 项目 | 内容 pairs: under a recognised header by its columns;
// without one, each label followed by the next non-empty cell to its right, or a
// row of labels with the values in the row below.
func tableItems(t *sheet.Table) []item {
	voc := sheet.ManifestItems()
	if h, ok := t.FindHeader(sheet.ManifestHeader(), 2); ok && h.Has("item") && h.Has("value") {
		var items []item
		ic, vc := h.Col("item"), h.Col("value")
		for r := h.Data; r < len(t.Rows); r++ {
			if key := voc.Match(t.Cell(r, ic)); key != "" {
				items = append(items, cellItem(t, key, r, vc))
			}
		}
		if len(items) > 0 {
			return items
		}
	}
	var items []item
	for r := 0; r < len(t.Rows); r++ {
		row := t.Rows[r]
		labels, others := map[string]bool{}, map[string]bool{}
		for _, s := range row {
			if s = sheet.Clean(s); s == "" {
				continue
			}
			if key := voc.Match(s); key != "" {
				labels[key] = true
			} else {
				others[s] = true
			}
		}
		if len(labels) >= 3 && len(others) <= 1 { // a row of labels: values below
			next := r + 1
			for next < len(t.Rows) && t.IsEmptyRow(next) {
				next++
			}
			seen := map[string]bool{}
			for c, s := range row {
				if key := voc.Match(s); key != "" && !seen[key] {
					seen[key] = true
					items = append(items, cellItem(t, key, next, c))
				}
			}
			r = next
			continue
		}
		for c := 0; c < len(row); c++ {
			key := voc.Match(row[c])
			if key == "" {
				continue
			}
			label := sheet.Clean(row[c])
			vc := -1
			for k := c + 1; k < len(row); k++ {
				s := sheet.Clean(row[k])
				if s == "" || s == label {
					continue // empty, or the label's own merged cells
				}
				if voc.Match(s) == "" {
					vc = k
				}
				break
			}
			if vc < 0 {
				items = append(items, cellItem(t, key, r, len(row)))
				continue
			}
			items = append(items, cellItem(t, key, r, vc))
			c = vc
		}
	}
	return items
}

func cellItem(t *sheet.Table, key string, r, c int) item {
	return item{
		key:   key,
		value: sheet.Clean(t.Cell(r, c)),
		row:   r + 1,
		at: func(detail string) yanshou.Evidence {
			return t.Evidence(r, detail)
		},
		when: func(loc *time.Location, year int) (sheet.When, error) { return t.When(r, c, loc, year) },
	}
}

// ---- manifest.yaml --------------------------------------------------------------

func readYAML(abs, rel string, cfg *yanshou.Config) ([]item, []yanshou.Evidence) {
	fail := func(detail string) ([]item, []yanshou.Evidence) {
		return nil, []yanshou.Evidence{{File: rel, Detail: detail}}
	}
	st, err := os.Stat(abs)
	if err != nil {
		return fail(templates.Say("manifest.read_failed", err))
	}
	if max := cfg.Intake.MaxFileBytes; max > 0 && st.Size() > max {
		return fail(templates.Say("manifest.too_big", st.Size(), max))
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return fail(templates.Say("manifest.read_failed", err))
	}
	data = []byte(strings.TrimPrefix(string(data), "\ufeff"))
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fail(templates.Say("manifest.yaml_syntax", err))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return fail(templates.Say("manifest.yaml_not_map"))
	}
	m := doc.Content[0]
	voc := sheet.ManifestItems()
	var items []item
	var problems []yanshou.Evidence
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := voc.Match(k.Value)
		if key == "" && (k.Value == "datum" || k.Value == "coords_datum") {
			key = "venue_datum"
		}
		if key == "" {
			continue
		}
		line := v.Line
		var value string
		switch v.Kind {
		case yaml.ScalarNode:
			value = v.Value
		case yaml.SequenceNode:
			var parts []string
			for _, e := range v.Content {
				if e.Kind == yaml.ScalarNode && strings.TrimSpace(e.Value) != "" {
					parts = append(parts, strings.TrimSpace(e.Value))
				}
			}
			value = strings.Join(parts, "、")
		default:
			problems = append(problems, yanshou.Evidence{File: rel, Row: line,
				Detail: templates.Say("manifest.yaml_nested", line, k.Value)})
			continue
		}
		value = sheet.Clean(value)
		items = append(items, item{
			key: key, value: value, row: line,
			at: func(detail string) yanshou.Evidence {
				return yanshou.Evidence{File: rel, Row: line, Detail: templates.Say("manifest.yaml_line", line, detail)}
			},
			when: func(loc *time.Location, year int) (sheet.When, error) { return sheet.ParseWhen(value, loc, year) },
		})
	}
	return items, problems
}

// ---- building ClassInfo ---------------------------------------------------------

func build(items []item, rel string, cfg *yanshou.Config, where yanshou.Evidence) (*yanshou.ClassInfo, []yanshou.Evidence) {
	voc := sheet.ManifestItems()
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	ci := &yanshou.ClassInfo{Source: rel}
	var problems []yanshou.Evidence
	got := map[string]item{}
	for _, it := range items {
		if first, dup := got[it.key]; dup {
			if it.value != "" && first.value != "" && it.value != first.value {
				problems = append(problems, it.at(templates.Say("manifest.twice", voc.Label(it.key), first.row, first.row)))
			}
			if first.value != "" || it.value == "" {
				continue
			}
		}
		got[it.key] = it
	}
	date := func(key string) yanshou.Date {
		it, ok := got[key]
		if !ok || it.value == "" {
			return yanshou.Date{}
		}
		w, err := it.when(loc, 0)
		if err == nil && !w.HasDate {
			err = errors.New(templates.Say("manifest.time_only", it.value))
		}
		if err != nil {
			problems = append(problems, it.at(templates.Say("manifest.bad_date", voc.Label(key), err)))
			return yanshou.Date{}
		}
		d := w.Date()
		if y := d.Year(); y < 2000 || y > 2099 {
			problems = append(problems, it.at(templates.Say("manifest.odd_year", voc.Label(key), d.Format("2006-01-02"))))
			return yanshou.Date{}
		}
		return yanshou.Date{Time: d}
	}
	text := func(key string) string { return got[key].value }

	ci.Institution = text("institution")
	ci.Title = text("title")
	ci.Class = text("class")
	ci.Venue = text("venue")
	ci.ApprovalNo = text("approval_no")
	ci.Teachers = text("teachers")
	ci.Start, ci.End = date("start"), date("end")
	ci.Applied, ci.Approved = date("applied"), date("approved")
	if it, ok := got["period"]; ok && it.value != "" && (ci.Start.IsZero() || ci.End.IsZero()) {
		if _, hasStart := got["start"]; !hasStart || got["start"].value == "" {
			if _, hasEnd := got["end"]; !hasEnd || got["end"].value == "" {
				s, e, err := parsePeriod(it.value, loc)
				if err != nil {
					problems = append(problems, it.at(templates.Say("manifest.bad_period", err)))
				} else {
					ci.Start, ci.End = s, e
				}
			}
		}
	}
	if it, ok := got["planned"]; ok && it.value != "" {
		if n, err := parseCount(it.value); err != nil {
			problems = append(problems, it.at(templates.Say("manifest.bad_planned", it.value)))
		} else {
			ci.Planned = n
		}
	}
	if it, ok := got["venue_coords"]; ok && it.value != "" {
		datumText := got["venue_datum"].value
		p, inline, err := parseCoords(it.value)
		datum := sheet.Datum(datumText)
		if datum == "" {
			datum = inline
		}
		switch {
		case err != nil:
			problems = append(problems, it.at(templates.Say("manifest.bad_coords", err)))
		case datumText != "" && sheet.Datum(datumText) == "":
			problems = append(problems, got["venue_datum"].at(templates.Say("manifest.bad_datum", datumText)))
		default:
			if datum == "" {
				datum = geo.WGS84
			}
			w, err := geo.ToWGS84(p, datum)
			if err != nil {
				problems = append(problems, it.at(templates.Say("manifest.coords_unconvertible", err)))
			} else {
				ci.VenueCoords, ci.VenueDatum = &w, datum
			}
		}
	}
	for _, key := range required {
		missing := false
		switch key {
		case "start":
			missing = ci.Start.IsZero() && got["start"].value == "" && got["period"].value == ""
		case "end":
			missing = ci.End.IsZero() && got["end"].value == "" && got["period"].value == ""
		default:
			missing = got[key].value == ""
		}
		if missing {
			e := where
			if it, ok := got[key]; ok {
				e = it.at(templates.Say("manifest.required_blank", voc.Label(key)))
			} else {
				e.Detail = templates.Say("manifest.required_missing", voc.Label(key))
			}
			problems = append(problems, e)
		}
	}
	if !ci.Start.IsZero() && !ci.End.IsZero() && ci.End.Before(ci.Start.Time) {
		e := where
		if it, ok := got["end"]; ok {
			e = it.at(templates.Say("manifest.end_before_start", ci.End.String(), ci.Start.String()))
		} else {
			e.Detail = templates.Say("manifest.end_before_start", ci.End.String(), ci.Start.String())
		}
		problems = append(problems, e)
	}
	return ci, problems
}

var reNumber = regexp.MustCompile(`-?\d+(?:\.\d+)?`)

// parseCoords reads "lat,lon" (also "lon,lat" when the order is unmistakable, as map
// pickers give it) and a datum named in the same cell, e.g. "33.54,114.61（高德）".
func parseCoords(s string) (yanshou.LatLon, string, error) {
	nums := reNumber.FindAllString(s, -1)
	if len(nums) != 2 {
		return yanshou.LatLon{}, "", errors.New(templates.Say("manifest.coords_not_two", s))
	}
	a, _ := strconv.ParseFloat(nums[0], 64)
	b, _ := strconv.ParseFloat(nums[1], 64)
	if (a > 90 || a < -90) && b >= -90 && b <= 90 {
		a, b = b, a // longitude first
	}
	p, err := geo.ParsePoint(strconv.FormatFloat(a, 'f', -1, 64) + "," + strconv.FormatFloat(b, 'f', -1, 64))
	if err != nil {
		return p, "", err
	}
	return p, sheet.Datum(reNumber.ReplaceAllString(s, "")), nil
}

// parseCount reads a head count: "50", "50人", "５０ 名".
func parseCount(s string) (int, error) {
	s = strings.TrimRight(sheet.Compact(s), "人名位")
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f == float64(int(f)) {
		return int(f), nil
	}
	return 0, fmt.Errorf("not a count")
}

// parsePeriod reads a training period written in one cell: 2026-03-10至2026-03-12,
// 2026.3.10-3.12, 2026年3月10日—12日.
func parsePeriod(s string, loc *time.Location) (yanshou.Date, yanshou.Date, error) {
	s = sheet.Compact(s)
	try := func(a, b string) (yanshou.Date, yanshou.Date, bool) {
		ws, err := sheet.ParseWhen(a, loc, 0)
		if err != nil || !ws.HasDate {
			return yanshou.Date{}, yanshou.Date{}, false
		}
		start := ws.Date()
		b = strings.TrimSpace(b)
		we, err := sheet.ParseWhen(b, loc, start.Year())
		if err != nil || !we.HasDate {
			day := strings.TrimRight(b, "日号")
			n, err := strconv.Atoi(day)
			if err != nil || n < 1 || n > 31 {
				return yanshou.Date{}, yanshou.Date{}, false
			}
			end := time.Date(start.Year(), start.Month(), n, 0, 0, 0, 0, loc)
			if end.Day() != n {
				return yanshou.Date{}, yanshou.Date{}, false
			}
			return yanshou.Date{Time: start}, yanshou.Date{Time: end}, true
		}
		return yanshou.Date{Time: start}, yanshou.Date{Time: we.Date()}, true
	}
	if w, err := sheet.ParseWhen(s, loc, 0); err == nil && w.HasDate { // a one-day class
		d := yanshou.Date{Time: w.Date()}
		return d, d, nil
	}
	for _, sep := range []string{"至", "到", "~", "—", "–", "－", "——"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			if st, en, ok := try(a, b); ok {
				return st, en, nil
			}
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			if st, en, ok := try(s[:i], s[i+1:]); ok {
				return st, en, nil
			}
		}
	}
	return yanshou.Date{}, yanshou.Date{}, errors.New(templates.Say("manifest.bad_period_text", s))
}
