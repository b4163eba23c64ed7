package roster

import (
	"fmt"
	"sort"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// IDPatterns reads the roster's valid ID numbers together, as a forger's list
// gives itself away though every number has a valid check digit: many trainees
// born on one day (more than id_same_birth_max_share of the roster, at least
// five), runs of id_serial_run_min or more rows whose sequence codes (digits
// 15–17) go up one by one (or two by two, for one sex), and a 性别 written
// against the sex the ID's 17th digit gives (a warning per row).
func IDPatterns(a *yanshou.Attendance, th yanshou.Thresholds) yanshou.IDPatterns {
	var out yanshou.IDPatterns
	if a == nil {
		return out
	}
	type row struct {
		i  int
		id string
	}
	var valid []row
	for i, t := range a.Trainees {
		if len(t.ID) == 18 && ValidID(t.ID) == "" {
			valid = append(valid, row{i, t.ID})
		}
	}
	names := func(rs []row) (string, string) {
		var n, r []string
		for _, x := range rs {
			n = append(n, orDash(a.Trainees[x.i].Name))
			r = append(r, fmt.Sprint(a.Trainees[x.i].Row))
		}
		return strings.Join(n, "、"), strings.Join(r, "、")
	}
	at := func(x row) yanshou.Evidence {
		t := a.Trainees[x.i]
		return yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row}
	}
	// One birth date for many.
	byBirth := map[string][]row{}
	var births []string
	for _, x := range valid {
		b := x.id[6:14]
		if byBirth[b] == nil {
			births = append(births, b)
		}
		byBirth[b] = append(byBirth[b], x)
	}
	sort.Strings(births)
	for _, b := range births {
		rs := byBirth[b]
		share := float64(len(rs)) / float64(max(1, len(a.Trainees)))
		if len(rs) >= 5 && share > th.IDSameBirthMaxShare {
			n, r := names(rs)
			e := at(rs[0])
			e.Detail = templates.Say("roster.same_birth", len(rs), zh.Percent(share), b[:4]+"-"+b[4:6]+"-"+b[6:], n, r)
			out.SameBirth = append(out.SameBirth, e)
		}
	}
	// Sequence codes counting up in roster order.
	if th.IDSerialRunMin > 1 {
		serial := func(id string) int {
			n := 0
			fmt.Sscanf(id[14:17], "%d", &n)
			return n
		}
		flush := func(run []row) {
			if len(run) < th.IDSerialRunMin {
				return
			}
			n, r := names(run)
			e := at(run[0])
			e.Detail = templates.Say("roster.serial_run", len(run), run[0].id[14:17], run[len(run)-1].id[14:17], n, r)
			out.SerialRuns = append(out.SerialRuns, e)
		}
		var run []row
		step := 0
		for _, x := range valid {
			if len(run) > 0 {
				d := serial(x.id) - serial(run[len(run)-1].id)
				if (d == 1 || d == 2) && (len(run) == 1 || d == step) {
					step = d
					run = append(run, x)
					continue
				}
				flush(run)
			}
			run, step = []row{x}, 0
		}
		flush(run)
	}
	// 性别 against the ID.
	for _, x := range valid {
		t := a.Trainees[x.i]
		g := genderWord(t.Gender)
		if g == "" {
			continue
		}
		byID := "男"
		if (x.id[16]-'0')%2 == 0 {
			byID = "女"
		}
		if g != byID {
			e := at(x)
			e.Detail = templates.Say("roster.gender_mismatch", orDash(t.Name), t.Gender, byID)
			out.GenderMismatch = append(out.GenderMismatch, e)
		}
	}
	return out
}

// genderWord reads a 性别 cell as 男 or 女, "" when it is neither.
func genderWord(s string) string {
	switch strings.TrimSpace(s) {
	case "男", "男性", "M", "m", "male", "Male":
		return "男"
	case "女", "女性", "F", "f", "female", "Female":
		return "女"
	}
	return ""
}
