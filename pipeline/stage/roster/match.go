package roster

import (
	"strings"

	"yanshou"
	"yanshou/templates"
)

// index finds roster trainees by ID, phone and name.
type index struct {
	t       []yanshou.Trainee
	lossy   map[int]bool // IDs whose digits were lost by number storage
	byID    map[string][]int
	byID15  map[string][]int // first 15 digits of 18-digit IDs
	byPhone map[string][]int
	byName  map[string][]int
}

func newIndex(ts []yanshou.Trainee, lossy map[int]bool) *index {
	x := &index{t: ts, lossy: lossy, byID: map[string][]int{}, byID15: map[string][]int{},
		byPhone: map[string][]int{}, byName: map[string][]int{}}
	for i, tr := range ts {
		if tr.ID != "" {
			x.byID[tr.ID] = append(x.byID[tr.ID], i)
			if len(tr.ID) == 18 {
				x.byID15[tr.ID[:15]] = append(x.byID15[tr.ID[:15]], i)
			}
		}
		if tr.Phone != "" {
			x.byPhone[tr.Phone] = append(x.byPhone[tr.Phone], i)
		}
		if tr.Name != "" {
			x.byName[tr.Name] = append(x.byName[tr.Name], i)
		}
	}
	return x
}

func (x *index) named(c []int, name string) []int {
	if name == "" {
		return nil
	}
	var out []int
	for _, i := range c {
		if x.t[i].Name == name {
			out = append(out, i)
		}
	}
	return out
}

// match finds the roster trainee a row names: by ID; else by phone and name; else by
// a name unique in the roster; else by a phone unique in the roster when the row has
// neither name nor ID. It returns the trainee index (-1), the outcome and the
// reason in Chinese.
func (x *index) match(p person) (int, yanshou.Match, string) {
	idValid := false
	if p.id != "" {
		if c := x.byID[p.id]; len(c) > 0 && p.loss == idIntact {
			if len(c) == 1 {
				i := c[0]
				reason := templates.Say("roster.match_id")
				if p.name != "" && x.t[i].Name != "" && p.name != x.t[i].Name {
					reason = templates.Say("roster.match_id_other_name", x.t[i].Name)
				}
				return i, yanshou.Matched, reason
			}
			if n := x.named(c, p.name); len(n) == 1 {
				return n[0], yanshou.Matched, templates.Say("roster.match_id_name_dup")
			}
			return -1, yanshou.Ambiguous, templates.Say("roster.ambiguous_id", len(c), p.id)
		}
		if strings.Contains(p.id, "*") { // masked: 411623********1234
			var fit []int
			for _, i := range x.byName[p.name] {
				if compatible(p.id, x.t[i].ID) {
					fit = append(fit, i)
				}
			}
			if len(fit) == 1 {
				return fit[0], yanshou.Matched, templates.Say("roster.match_masked_id")
			}
		}
		if len(p.id) == 18 {
			for _, i := range x.named(x.byID15[p.id[:15]], p.name) {
				if p.loss != idIntact || x.lossy[i] {
					return i, yanshou.Matched, templates.Say("roster.match_id15")
				}
			}
		}
		idValid = p.loss == idIntact && ValidID(p.id) == ""
	}
	if p.phone != "" && p.name != "" {
		switch c := x.named(x.byPhone[p.phone], p.name); len(c) {
		case 1:
			if p.id != "" {
				return c[0], yanshou.Matched, templates.Say("roster.match_phone_bad_id")
			}
			return c[0], yanshou.Matched, templates.Say("roster.match_phone_name")
		case 0:
		default:
			return -1, yanshou.Ambiguous, templates.Say("roster.ambiguous_phone_name", len(c))
		}
	}
	if p.name != "" {
		switch c := x.byName[p.name]; len(c) {
		case 1:
			i := c[0]
			if idValid && x.t[i].ID != "" && !x.lossy[i] && ValidID(x.t[i].ID) == "" {
				return -1, yanshou.WalkIn, templates.Say("roster.walkin_other_id", p.name)
			}
			reason := templates.Say("roster.match_name")
			if p.id != "" && !idValid {
				reason += templates.Say("roster.match_name_bad_id")
			}
			if p.phone != "" && x.t[i].Phone != "" && p.phone != x.t[i].Phone {
				reason += templates.Say("roster.match_name_other_phone")
			}
			return i, yanshou.Matched, reason
		case 0:
			if p.id != "" {
				return -1, yanshou.WalkIn, templates.Say("roster.walkin_name_id", p.name)
			}
			return -1, yanshou.WalkIn, templates.Say("roster.walkin_name", p.name)
		default:
			return -1, yanshou.Ambiguous, templates.Say("roster.ambiguous_name", len(c), p.name)
		}
	}
	if p.id == "" && p.phone != "" {
		switch c := x.byPhone[p.phone]; len(c) {
		case 1:
			return c[0], yanshou.Matched, templates.Say("roster.match_phone")
		case 0:
			return -1, yanshou.WalkIn, templates.Say("roster.walkin_phone")
		default:
			return -1, yanshou.Ambiguous, templates.Say("roster.ambiguous_phone", len(c))
		}
	}
	if p.id != "" {
		return -1, yanshou.WalkIn, templates.Say("roster.walkin_id")
	}
	return -1, yanshou.WalkIn, templates.Say("roster.walkin_nothing")
}
