package roster

import (
	"strings"

	"yanshou"
	"yanshou/pipeline/format/hanzi"
	"yanshou/templates"
)

// nameKey is a name as matched: traditional and variant characters made
// simplified (杜偉 → 杜伟), compatibility forms folded. Names are shown as written.
func nameKey(name string) string { return hanzi.Simplified(name) }

// index finds roster trainees by ID, phone and name (by its key, nameKey).
type index struct {
	t       []yanshou.Trainee
	keys    []string     // nameKey of each trainee's name
	lossy   map[int]bool // IDs whose digits were lost by number storage
	byID    map[string][]int
	byID15  map[string][]int // first 15 digits of 18-digit IDs
	byPhone map[string][]int
	byName  map[string][]int
}

func newIndex(ts []yanshou.Trainee, lossy map[int]bool) *index {
	x := &index{t: ts, keys: make([]string, len(ts)), lossy: lossy, byID: map[string][]int{}, byID15: map[string][]int{},
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
			k := nameKey(tr.Name)
			x.keys[i] = k
			x.byName[k] = append(x.byName[k], i)
		}
	}
	return x
}

func (x *index) named(c []int, key string) []int {
	if key == "" {
		return nil
	}
	var out []int
	for _, i := range c {
		if x.keys[i] == key {
			out = append(out, i)
		}
	}
	return out
}

// matched is the outcome of matching one row.
type matched struct {
	trainee int           // index into the roster, -1 when none
	match   yanshou.Match // matched, walk-in or ambiguous
	reason  string        // how, or why not, in Chinese
	// nameDiffers is the roster's name when the row's name is another but its
	// phone or masked ID names exactly one trainee: that trainee, shown for review.
	nameDiffers string
}

// match finds the roster trainee a row names: by ID; else by phone and name; else by
// a name unique in the roster (names compared by nameKey, so 杜偉 is 杜伟); else,
// when the name is in no row, by a phone or a masked ID that exactly one trainee
// has (the name then differs: see matched.nameDiffers); else by a phone unique in
// the roster when the row has neither name nor ID.
func (x *index) match(p person) matched {
	if p.key == "" {
		p.key = nameKey(p.name)
	}
	i, m, reason := x.find(p)
	// A name that is another trainee's, written with the phone of a trainee
	// whose name is a character off: that trainee, their name miswritten into
	// somebody else's (袁娜 written 袁敏).
	if m == yanshou.Matched && i >= 0 && p.phone != "" && x.t[i].Phone != "" && x.t[i].Phone != p.phone && p.key == x.keys[i] {
		near := -1
		for _, j := range x.byPhone[p.phone] {
			if j != i && oneOff(p.key, x.keys[j]) {
				if near >= 0 {
					near = -2
					break
				}
				near = j
			}
		}
		if near >= 0 {
			return matched{near, yanshou.Matched, templates.Say("roster.match_phone_other_name", x.t[near].Name), x.t[near].Name}
		}
	}
	if m == yanshou.WalkIn && p.name != "" && len(x.byName[p.key]) == 0 {
		switch j, how := x.byOther(p); {
		case j >= 0:
			return matched{j, yanshou.Matched, templates.Say(how, x.t[j].Name), x.t[j].Name}
		case how != "":
			return matched{-1, yanshou.Ambiguous, templates.Say(how, len(x.byPhone[p.phone])), ""}
		}
	}
	return matched{trainee: i, match: m, reason: reason}
}

// byOther finds the one trainee whose phone, or whose ID fitting a masked one,
// the row gives, when its valid full ID does not say otherwise; -1 when none or
// several. how is the reason's catalogue key (with -1: the row could be several
// members of a household, "" nobody).
func (x *index) byOther(p person) (int, string) {
	if p.id != "" && !strings.Contains(p.id, "*") && p.loss == idIntact && ValidID(p.id) == "" {
		return -1, "" // a valid ID not on the roster is somebody else
	}
	if c := x.byPhone[p.phone]; p.phone != "" && len(c) == 1 {
		return c[0], "roster.match_phone_other_name"
	} else if len(c) > 1 {
		// A household's phone: the one member whose name is a character off.
		near := -1
		for _, i := range c {
			if oneOff(p.key, x.keys[i]) {
				if near >= 0 {
					return -1, "roster.ambiguous_household"
				}
				near = i
			}
		}
		if near >= 0 {
			return near, "roster.match_phone_other_name"
		}
	}
	if strings.Contains(p.id, "*") {
		fit := -1
		for i := range x.t {
			if compatible(p.id, x.t[i].ID) {
				if fit >= 0 {
					return -1, ""
				}
				fit = i
			}
		}
		if fit >= 0 {
			return fit, "roster.match_masked_other_name"
		}
	}
	return -1, ""
}

// find is match without the fallback on phone or masked ID for an unknown name.
func (x *index) find(p person) (int, yanshou.Match, string) {
	idValid := false
	if p.id != "" {
		if c := x.byID[p.id]; len(c) > 0 && p.loss == idIntact {
			if len(c) == 1 {
				i := c[0]
				reason := templates.Say("roster.match_id")
				if p.name != "" && x.t[i].Name != "" && p.key != x.keys[i] {
					reason = templates.Say("roster.match_id_other_name", x.t[i].Name)
				}
				return i, yanshou.Matched, reason
			}
			if n := x.named(c, p.key); len(n) == 1 {
				return n[0], yanshou.Matched, templates.Say("roster.match_id_name_dup")
			}
			return -1, yanshou.Ambiguous, templates.Say("roster.ambiguous_id", len(c), p.id)
		}
		if strings.Contains(p.id, "*") { // masked: 411623********1234
			var fit []int
			for _, i := range x.byName[p.key] {
				if compatible(p.id, x.t[i].ID) {
					fit = append(fit, i)
				}
			}
			if len(fit) == 1 {
				return fit[0], yanshou.Matched, templates.Say("roster.match_masked_id")
			}
		}
		if len(p.id) == 18 {
			for _, i := range x.named(x.byID15[p.id[:15]], p.key) {
				if p.loss != idIntact || x.lossy[i] {
					return i, yanshou.Matched, templates.Say("roster.match_id15")
				}
			}
		}
		idValid = p.loss == idIntact && ValidID(p.id) == ""
	}
	if p.phone != "" && p.name != "" {
		switch c := x.named(x.byPhone[p.phone], p.key); len(c) {
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
		switch c := x.byName[p.key]; len(c) {
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

// oneOff reports whether two names of the same length differ in exactly one
// character (a character miswritten).
func oneOff(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(ra) < 2 {
		return false
	}
	d := 0
	for i := range ra {
		if ra[i] != rb[i] {
			d++
		}
	}
	return d == 1
}
