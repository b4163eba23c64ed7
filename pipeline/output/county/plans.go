package county

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/sheet"
)

var monthRe = regexp.MustCompile(`^(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月(?:份)?)?(?:[-/.]\s*\d{1,2}\s*日?)?$`)

// parseMonth reads 2026-03, 2026年3月, 2026/3, 2026.03 or a date in the month.
func parseMonth(t *sheet.Table, r, c int, loc *time.Location) (int, time.Month, bool) {
	s := sheet.Compact(t.Cell(r, c))
	if m := monthRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			return y, time.Month(mo), true
		}
	}
	if w, err := t.When(r, c, loc, 0); err == nil {
		d := w.Date()
		if !d.IsZero() {
			return d.Year(), d.Month(), true
		}
	}
	return 0, 0, false
}

// ReadPlans reads the monthly plan workbooks at path (one workbook, or every
// .xlsx/.csv in a folder): sheets whose header names 月份 and 计划班次 or 计划人数.
// The institution is the 培训机构 column, else the 培训机构 item above the
// header (项目 | 内容 style, as the blank template writes it), else the file name.
func ReadPlans(path string, cfg *yanshou.Config) ([]yanshou.Plan, []yanshou.Evidence, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("月度培训计划 %s：%w", path, err)
	}
	files := []string{path}
	if st.IsDir() {
		files = nil
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && sheet.IsTable(e.Name()) && !strings.HasPrefix(e.Name(), "~$") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	var plans []yanshou.Plan
	var problems []yanshou.Evidence
	for _, file := range files {
		book, probs := sheet.Open(file, filepath.Base(file), cfg)
		problems = append(problems, probs...)
		if book == nil {
			continue
		}
		for _, t := range book.Tables {
			h, ok := t.FindHeader(sheet.Columns(), 2)
			if !ok || !h.Has("plan_month") || !(h.Has("plan_classes") || h.Has("plan_trainees")) {
				continue
			}
			inst := institutionAbove(t, h.Row)
			if inst == "" {
				inst = strings.TrimSuffix(sheet.Stem(filepath.Base(file)), "月度培训计划")
				inst = strings.Trim(inst, "-_ ")
			}
			for r := h.Data; r < len(t.Rows); r++ {
				if t.IsEmptyRow(r) || t.IsNoteRow(r) || h.Repeats(t, r) {
					continue
				}
				y, m, ok := parseMonth(t, r, h.Col("plan_month"), cfg.Location)
				if !ok {
					problems = append(problems, t.Problem(r, "月份「%s」无法识别（应写作 2026-03 或 2026年3月）", h.Get(t, r, "plan_month")))
					continue
				}
				p := yanshou.Plan{Institution: inst, Year: y, Month: m, Content: h.Get(t, r, "plan_content")}
				if h.Has("institution") {
					if s := h.Get(t, r, "institution"); s != "" {
						p.Institution = s
					}
				}
				bad := false
				for _, f := range []struct {
					key  string
					into *int
				}{{"plan_classes", &p.Classes}, {"plan_trainees", &p.Trainees}} {
					s := h.Get(t, r, f.key)
					if s == "" {
						continue
					}
					n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(s, ".0"), "人"))
					if err != nil || n < 0 {
						problems = append(problems, t.Problem(r, "「%s」不是人数或班次数", s))
						bad = true
						continue
					}
					*f.into = n
				}
				if !bad {
					plans = append(plans, p)
				}
			}
		}
	}
	return plans, problems, nil
}

// institutionAbove finds "培训机构 | name" (or "培训机构：name") in the rows above the header.
func institutionAbove(t *sheet.Table, header int) string {
	for r := 0; r < header; r++ {
		for c, cell := range t.Rows[r] {
			s := sheet.Compact(cell)
			for _, sep := range []string{"培训机构：", "培训机构:"} {
				if strings.HasPrefix(s, sep) && len(s) > len(sep) {
					return strings.TrimSpace(s[len(sep):])
				}
			}
			if s == "培训机构" {
				for _, next := range t.Rows[r][c+1:] {
					if v := sheet.Clean(next); v != "" {
						return v
					}
				}
			}
		}
	}
	return ""
}

// ComparePlans sums the plans and the delivered classes (by start month, any
// verdict; trainees trained in their latest versions) per institution per month.
// An institution matches its plan when either name contains the other (plans
// often use a short name).
func ComparePlans(plans []yanshou.Plan, classes []yanshou.ClassRecord, loc *time.Location) []yanshou.PlanRow {
	type key struct {
		inst string
		y    int
		m    time.Month
	}
	rows := map[key]*yanshou.PlanRow{}
	var planInsts []string
	seenInst := map[string]bool{}
	for _, p := range plans {
		k := key{p.Institution, p.Year, p.Month}
		r := rows[k]
		if r == nil {
			r = &yanshou.PlanRow{Institution: p.Institution, Year: p.Year, Month: p.Month, Planned: true}
			rows[k] = r
		}
		r.PlannedClasses += p.Classes
		r.PlannedTrainees += p.Trainees
		if p.Content != "" {
			if r.Content != "" {
				r.Content += "；"
			}
			r.Content += p.Content
		}
		if !seenInst[p.Institution] {
			seenInst[p.Institution] = true
			planInsts = append(planInsts, p.Institution)
		}
	}
	for i := range classes {
		c := &classes[i]
		last := c.Latest()
		if last == nil || c.Start.IsZero() {
			continue
		}
		inst := c.Institution
		for _, pi := range planInsts {
			if pi == inst || strings.Contains(inst, pi) || strings.Contains(pi, inst) {
				inst = pi
				break
			}
		}
		t := c.Start.In(loc)
		k := key{inst, t.Year(), t.Month()}
		r := rows[k]
		if r == nil {
			r = &yanshou.PlanRow{Institution: inst, Year: k.y, Month: k.m}
			rows[k] = r
		}
		r.DeliveredClasses++
		r.Trained += last.Report.Attendance.Trained
	}
	out := make([]yanshou.PlanRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Institution != b.Institution {
			return a.Institution < b.Institution
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.Month < b.Month
	})
	return out
}
