package roster

import (
	"fmt"
	"sort"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/templates"
)

// Phones reads what the phone numbers of a class say about who signed in.
// Rural households share one phone, so a phone for up to household_phone_max
// people in a session is a household, shown for review (above proxy_phone_max);
// more people on one phone in one session, or across the sessions, is a ring of
// proxy sign-ins. Sign-in by proxy spread thin — a few people on each of several
// phones, every session — shows as a large share of the people signing in on
// phones not their own: trainees signing on another trainee's roster phone. The
// roster's own phones are read the same way.
func Phones(a *yanshou.Attendance, th yanshou.Thresholds) yanshou.PhoneUse {
	var u yanshou.PhoneUse
	if a == nil {
		return u
	}
	household := max(th.HouseholdPhoneMax, th.ProxyPhoneMax)
	type key struct{ session, phone string }
	var order []key
	groups := map[key][]int{}
	everyone := map[string]bool{}
	across := map[string]map[string]bool{} // phone → people over all sessions
	firstRow := map[string]int{}
	for i, s := range a.SignIns {
		who := signer(a, s)
		if who == "" {
			continue
		}
		everyone[who] = true
		if !plausiblePhone(s.Phone) {
			continue
		}
		k := key{s.Session, s.Phone}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
		if across[s.Phone] == nil {
			across[s.Phone] = map[string]bool{}
			firstRow[s.Phone] = i
		}
		across[s.Phone][who] = true
	}
	// Borrowed: the people on a phone that, in a session, signed for two or more,
	// one of them a roster trainee whose own roster phone is another. A household
	// written on the roster with its one phone signs on its own phone.
	borrowed := map[string]bool{}
	borrowedPhones := map[string]bool{}
	ringPhones := map[string]bool{}
	for _, k := range order {
		people := map[string]bool{}
		var names, rows []string
		for _, i := range groups[k] {
			s := a.SignIns[i]
			who := signer(a, s)
			if !people[who] {
				people[who] = true
				names = append(names, orDash(displayName(a, s)))
			}
			rows = append(rows, fmt.Sprint(s.Row))
		}
		if len(people) < 2 {
			continue
		}
		lent := false
		for _, i := range groups[k] {
			s := a.SignIns[i]
			if s.Match == yanshou.Matched && s.Trainee >= 0 && s.Trainee < len(a.Trainees) {
				if own := a.Trainees[s.Trainee].Phone; own != "" && own != s.Phone {
					lent = true
				}
			}
		}
		if lent { // everyone on a phone lent in this session
			borrowedPhones[k.phone] = true
			for w := range people {
				borrowed[w] = true
			}
		}
		first := a.SignIns[groups[k][0]]
		at := prefix((&sheet.Table{File: first.File, Sheet: first.Sheet}).Where(-1))
		e := yanshou.Evidence{File: first.File, Sheet: first.Sheet, Row: first.Row}
		switch {
		case len(people) > household:
			ringPhones[k.phone] = true
			e.Detail = templates.Say("roster.phone_shared", at, k.session, k.phone, len(people), household, strings.Join(names, "、"), strings.Join(rows, "、"))
			u.Rings = append(u.Rings, e)
		case len(people) > th.ProxyPhoneMax:
			e.Detail = templates.Say("roster.phone_household", at, k.session, k.phone, len(people), strings.Join(names, "、"), strings.Join(rows, "、"))
			u.Households = append(u.Households, e)
		default:
			e.Detail = templates.Say("roster.phone_pair", at, k.session, k.phone, len(people), strings.Join(names, "、"), strings.Join(rows, "、"))
			u.Pairs = append(u.Pairs, e)
		}
	}
	// One phone for more people than a household over the sessions, though never
	// too many at once: a phone passed round.
	phones := make([]string, 0, len(across))
	for ph := range across {
		phones = append(phones, ph)
	}
	sort.Strings(phones)
	for _, ph := range phones {
		if n := len(across[ph]); n > household && !ringPhones[ph] {
			s := a.SignIns[firstRow[ph]]
			u.Rings = append(u.Rings, yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row,
				Detail: templates.Say("roster.phone_passed_round", ph, n, household)})
		}
	}
	u.SharedPhones = len(borrowedPhones)
	if len(everyone) > 0 {
		u.SharedShare = float64(len(borrowed)) / float64(len(everyone))
	}
	// The roster: one phone written for several trainees.
	byPhone := map[string][]int{}
	var rphones []string
	for i, t := range a.Trainees {
		if !plausiblePhone(t.Phone) {
			continue
		}
		if byPhone[t.Phone] == nil {
			rphones = append(rphones, t.Phone)
		}
		byPhone[t.Phone] = append(byPhone[t.Phone], i)
	}
	for _, ph := range rphones {
		ts := byPhone[ph]
		if len(ts) <= th.ProxyPhoneMax {
			continue
		}
		var names, rows []string
		for _, i := range ts {
			names = append(names, orDash(a.Trainees[i].Name))
			rows = append(rows, fmt.Sprint(a.Trainees[i].Row))
		}
		t := a.Trainees[ts[0]]
		e := yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row}
		if len(ts) > household {
			e.Detail = templates.Say("roster.roster_phone_ring", ph, len(ts), household, strings.Join(names, "、"), strings.Join(rows, "、"))
			u.RosterRings = append(u.RosterRings, e)
		} else {
			e.Detail = templates.Say("roster.roster_phone_household", ph, len(ts), strings.Join(names, "、"), strings.Join(rows, "、"))
			u.RosterShared = append(u.RosterShared, e)
		}
	}
	return u
}

// signer names who signed a row: the roster trainee, else the ID, else the
// name; "" for a row that is nobody yet (ambiguous, or empty).
func signer(a *yanshou.Attendance, s yanshou.SignIn) string {
	switch {
	case s.Match == yanshou.Matched && s.Trainee >= 0:
		return fmt.Sprintf("t:%d", s.Trainee)
	case s.ID != "":
		return "i:" + s.ID
	case s.Name != "":
		return "n:" + nameKey(s.Name)
	}
	return ""
}

// displayName is the roster's name of a matched row, else the row's.
func displayName(a *yanshou.Attendance, s yanshou.SignIn) string {
	if s.Match == yanshou.Matched && s.Trainee >= 0 && s.Trainee < len(a.Trainees) && a.Trainees[s.Trainee].Name != "" {
		return a.Trainees[s.Trainee].Name
	}
	return s.Name
}
