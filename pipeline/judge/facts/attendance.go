package facts

import (
	"sort"
	"strings"
	"time"

	"yanshou"
	"yanshou/templates"
)

// gatherAttendance counts the roster, attendance, follow-up and trainee facts:
// who was approved and who trained, people signed in twice in one session, minors
// on the roster, poor-household and local trainees and the categories of those
// trained (for the county's totals), follow-up calls made after the training (calls
// before its last day, or without a date, do not count), their outcomes, and
// trainees counted as trained in another class held at the same time.
//
// Other classes come from in.TrainedIn, with their dates, so that only a class
// whose dates overlap this one's counts (a person cannot attend two classes at
// once; attending two at different times is allowed). A class without known dates
// on either side is not counted.
func gatherAttendance(f *yanshou.Facts, in Input, ev func(string, ...yanshou.Evidence)) {
	a := in.Attendance
	class := in.Submission.Class
	if a == nil {
		a = &yanshou.Attendance{}
	}
	th := in.Config.Thresholds
	f.Roster.Present = len(a.Trainees) > 0
	f.Roster.Rows = len(a.Trainees)
	f.Roster.InvalidIDs = in.RosterProblems.InvalidIDs
	f.Roster.Duplicates = in.RosterProblems.Duplicates
	ev(yanshou.EvRosterProblems, a.Problems...)
	// Problems reading the sign-in and follow-up sheets, and a roster that could
	// not be read at all (no row to point at), are file problems too, so that the
	// file's name reaches the institution whatever else fires (the roster's row
	// problems are its IDs, shown by roster.ids_valid).
	rosterFiles := map[string]bool{}
	for _, r := range in.Submission.FilesOf(yanshou.Roster) {
		rosterFiles[r.Rel] = true
	}
	counted := map[string]bool{}
	for _, p := range a.Problems {
		if p.File == "" || rosterFiles[p.File] && p.Row != 0 {
			continue
		}
		if !counted[p.File] {
			counted[p.File] = true
			f.Materials.Unreadable++
		}
		ev(yanshou.EvMaterialsUnreadable, p)
	}

	// Children on the roster: the age at the first day, from the ID's birth date.
	if class != nil && !class.Start.IsZero() && th.TraineeMinAge > 0 {
		for _, t := range a.Trainees {
			birth, err := time.Parse("2006-01-02", t.Birth)
			if err != nil {
				continue
			}
			if age := ageAt(birth, class.Start.Time); age < th.TraineeMinAge {
				f.Roster.Minors++
				trained := ""
				if t.Sessions > 0 {
					trained = templates.Say("facts.minor_signed", t.Sessions)
				}
				ev(yanshou.EvRosterMinors, yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
					Detail: templates.Say("facts.minor", orDash(t.Name), maskID(t.ID), t.Birth, age, th.TraineeMinAge, trained)})
			}
		}
	}

	f.Attendance.Approved = len(a.Trainees)
	if f.Attendance.Approved == 0 && class != nil {
		f.Attendance.Approved = class.Planned
	}
	f.Attendance.Trained = a.Trained()
	f.Attendance.WalkIns = a.WalkIns()
	f.Attendance.Sessions = len(a.Sessions)
	f.Attendance.SignInRows = len(a.SignIns)
	if f.Attendance.Approved > 0 {
		f.Attendance.Rate = float64(f.Attendance.Trained) / float64(f.Attendance.Approved)
	}
	for _, t := range a.Trainees {
		if !t.Trained {
			ev(yanshou.EvAttendanceAbsent, yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: templates.Say("facts.absent", t.Name, t.Sessions, len(a.Sessions))})
		}
	}
	for _, s := range a.SignIns {
		if s.Match == yanshou.Matched && s.NameDiffers != "" {
			f.Attendance.NameDiffers++
			ev(yanshou.EvAttendanceNameDiffers, yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row,
				Detail: templates.Say("facts.name_differs", s.Name, s.Session, s.NameDiffers, s.Reason)})
		}
		switch s.Match {
		case yanshou.WalkIn:
			ev(yanshou.EvAttendanceWalkIns, yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: templates.Say("facts.walk_in", s.Name, s.Session, s.Reason)})
		case yanshou.Ambiguous:
			f.Attendance.Ambiguous++
			ev(yanshou.EvAttendanceWalkIns, yanshou.Evidence{File: s.File, Sheet: s.Sheet, Row: s.Row, Detail: templates.Say("facts.walk_in_ambiguous", s.Name, s.Session, s.Reason)})
		}
	}
	ph := in.Phones
	f.Attendance.ProxySuspect = len(ph.Rings)
	ev(yanshou.EvAttendanceProxy, ph.Rings...)
	f.Attendance.Households = len(ph.Households)
	ev(yanshou.EvAttendanceHouseholds, ph.Households...)
	f.Attendance.SharedPhones, f.Attendance.SharedShare = ph.SharedPhones, ph.SharedShare
	ev(yanshou.EvAttendanceShared, ph.Pairs...)
	ev(yanshou.EvAttendanceShared, ph.Households...)
	f.Roster.PhoneShared, f.Roster.PhoneRings = len(ph.RosterShared), len(ph.RosterRings)
	ev(yanshou.EvRosterPhones, ph.RosterRings...)
	ev(yanshou.EvRosterPhones, ph.RosterShared...)
	ip := in.IDPatterns
	f.Roster.SameBirth, f.Roster.SerialRuns, f.Roster.GenderOff = len(ip.SameBirth), len(ip.SerialRuns), len(ip.GenderMismatch)
	ev(yanshou.EvRosterPatterns, ip.SameBirth...)
	ev(yanshou.EvRosterPatterns, ip.SerialRuns...)
	ev(yanshou.EvRosterGender, ip.GenderMismatch...)
	f.Attendance.PaperEmpty = len(in.PaperEmpty)
	ev(yanshou.EvAttendancePaperEmpty, in.PaperEmpty...)
	f.Attendance.PaperAlike = len(in.PaperAlike)
	ev(yanshou.EvAttendancePaperAlike, in.PaperAlike...)
	f.Attendance.Repeated = len(in.Repeats)
	for _, g := range in.Repeats {
		ev(yanshou.EvAttendanceRepeated, g...)
	}
	gatherCategories(f, a, ev)
	gatherFollowUps(f, a, class, ev)
	gatherElsewhere(f, in, a, class, ev)
}

// gatherCategories counts poor-household and local trainees and the categories of
// those trained; a poor-household trainee not trained is evidence (第二条).
func gatherCategories(f *yanshou.Facts, a *yanshou.Attendance, ev func(string, ...yanshou.Evidence)) {
	byCat := map[string]int{}
	for _, t := range a.Trainees {
		if t.Poor {
			f.Attendance.Poor++
			if t.Trained {
				f.Attendance.PoorTrained++
			} else {
				ev(yanshou.EvAttendancePoor, yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
					Detail: templates.Say("facts.poor_absent", orDash(t.Name), t.Sessions, len(a.Sessions))})
			}
		}
		if !t.Trained {
			continue
		}
		if t.Local {
			f.Attendance.LocalTrained++
		}
		cat := strings.TrimSpace(t.Category)
		if cat == "" {
			cat = templates.Say("facts.category_blank")
		}
		byCat[cat]++
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool {
		if byCat[cats[i]] != byCat[cats[j]] {
			return byCat[cats[i]] > byCat[cats[j]]
		}
		return cats[i] < cats[j]
	})
	parts := make([]string, len(cats))
	for i, c := range cats {
		parts[i] = templates.Say("facts.category_count", c, byCat[c])
	}
	f.Attendance.Categories = strings.Join(parts, "、")
}

// gatherFollowUps counts the distinct trained trainees called after the training
// (on or after its last day) and the outcomes of the calls. A call dated before the
// last day does not count; a call without a readable date still counts (the
// roster stage reports it), and is evidence.
func gatherFollowUps(f *yanshou.Facts, a *yanshou.Attendance, class *yanshou.ClassInfo, ev func(string, ...yanshou.Evidence)) {
	endKnown := class != nil && !class.End.IsZero()
	f.FollowUp.Calls = len(a.FollowUps)
	called := map[int]bool{}
	shop, sells, applied := map[int]bool{}, map[int]bool{}, map[int]bool{}
	for _, c := range a.FollowUps {
		known := c.Trainee >= 0 && c.Trainee < len(a.Trainees)
		switch {
		case c.BeforeEnd:
			f.FollowUp.Early++
			ev(yanshou.EvFollowUp, yanshou.Evidence{File: c.File, Sheet: c.Sheet, Row: c.Row,
				Detail: templates.Say("facts.followup_early", orDash(c.Name), c.Date, class.End)})
			continue
		case endKnown && c.Date == "":
			f.FollowUp.Undated++
			ev(yanshou.EvFollowUp, yanshou.Evidence{File: c.File, Sheet: c.Sheet, Row: c.Row,
				Detail: templates.Say("facts.followup_undated", orDash(c.Name))})
		}
		if !known {
			continue
		}
		if a.Trainees[c.Trainee].Trained {
			called[c.Trainee] = true
		}
		for _, o := range []struct {
			v   *bool
			set map[int]bool
		}{{c.OpenedShop, shop}, {c.SellsOnline, sells}, {c.Applied, applied}} {
			if o.v != nil && *o.v {
				o.set[c.Trainee] = true
			}
		}
	}
	f.FollowUp.Matched = len(called)
	f.FollowUp.OpenedShop, f.FollowUp.SellsOnline, f.FollowUp.Applied = len(shop), len(sells), len(applied)
	if f.Attendance.Trained > 0 {
		f.FollowUp.Share = float64(f.FollowUp.Matched) / float64(f.Attendance.Trained)
		ev(yanshou.EvFollowUp, yanshou.Evidence{Detail: templates.Say("facts.followup_summary", f.FollowUp.Calls, f.FollowUp.Matched)})
	}
}

// gatherElsewhere counts trained trainees already counted as trained in another
// class held at the same time (第三条), naming it.
func gatherElsewhere(f *yanshou.Facts, in Input, a *yanshou.Attendance, class *yanshou.ClassInfo, ev func(string, ...yanshou.Evidence)) {
	var labels, laterLabels []string
	seen := map[string]bool{}
	for i, t := range a.Trainees {
		if !t.Trained {
			continue
		}
		var earlier, later []string
		for _, o := range in.TrainedIn[i] {
			if !overlaps(class, o) {
				continue
			}
			text := o.Label
			switch o.Via {
			case "name_phone":
				text = templates.Say("facts.other_by_phone", o.Label, maskID(o.OtherID))
			case "name_masked_id":
				text = templates.Say("facts.other_by_masked_id", o.Label, maskID(o.OtherID))
			}
			if o.Later {
				later = append(later, text)
				if !seen["l"+o.Label] {
					seen["l"+o.Label] = true
					laterLabels = append(laterLabels, o.Label)
				}
				continue
			}
			earlier = append(earlier, text)
			if !seen[o.Label] {
				seen[o.Label] = true
				labels = append(labels, o.Label)
			}
		}
		who := maskID(t.ID)
		if who == "" {
			who = templates.Say("facts.no_id")
		}
		if len(earlier) > 0 {
			f.Trainees.DoubleCounted++
			ev(yanshou.EvTraineesDoubleCounted, yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: templates.Say("facts.double_counted", orDash(t.Name), who, strings.Join(earlier, "、"))})
		}
		if len(later) > 0 {
			f.Trainees.CountedLater++
			ev(yanshou.EvTraineesCountedLater, yanshou.Evidence{File: t.File, Sheet: t.Sheet, Row: t.Row,
				Detail: templates.Say("facts.counted_later", orDash(t.Name), who, strings.Join(later, "、"))})
		}
	}
	f.Trainees.OtherClasses = strings.Join(labels, "、")
	f.Trainees.LaterClasses = strings.Join(laterLabels, "、")
}

// overlaps reports whether another class's dates share a day with this class's.
func overlaps(class *yanshou.ClassInfo, o yanshou.PriorTraining) bool {
	if class == nil || class.Start.IsZero() || class.End.IsZero() || o.Start == "" || o.End == "" {
		return false
	}
	start, end := class.Start.Format("2006-01-02"), class.End.Format("2006-01-02")
	return o.Start <= end && o.End >= start // ISO dates compare as text
}

// ageAt is the age in whole years on a day.
func ageAt(birth, at time.Time) int {
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || (at.Month() == birth.Month() && at.Day() < birth.Day()) {
		age--
	}
	return age
}

// maskID hides the middle of a resident ID in messages (personal data).
func maskID(id string) string {
	if len(id) < 10 {
		return id
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}

func orDash(s string) string {
	if s == "" {
		return templates.Say("facts.no_name")
	}
	return s
}
