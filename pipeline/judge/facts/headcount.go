package facts

import (
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/templates"
)

// sessionSignIns counts the distinct people signed in at each session of the
// attendance, in the order of its sessions, with the first file the
// session's sign-ins were read from. A roster trainee counts once per session
// however many rows they signed; a person not on the roster by the ID, else
// by name and phone.
func sessionSignIns(a *yanshou.Attendance) []yanshou.SessionCount {
	if a == nil {
		return nil
	}
	people := map[string]map[string]bool{}
	files := map[string]string{}
	var order []string
	for _, s := range a.SignIns {
		if people[s.Session] == nil {
			people[s.Session] = map[string]bool{}
			files[s.Session] = s.File
			order = append(order, s.Session)
		}
		key := "n\x00" + s.Name + "\x00" + s.Phone
		switch {
		case s.Match == yanshou.Matched && s.Trainee >= 0:
			key = "t\x00" + strconv.Itoa(s.Trainee)
		case s.ID != "":
			key = "i\x00" + s.ID
		}
		people[s.Session][key] = true
	}
	// The sessions in the attendance's order, then any only the sign-ins name.
	var out []yanshou.SessionCount
	seen := map[string]bool{}
	for _, label := range append(append([]string{}, a.Sessions...), order...) {
		if seen[label] || people[label] == nil {
			continue
		}
		seen[label] = true
		out = append(out, yanshou.SessionCount{Session: label, SignedIn: len(people[label]), File: files[label]})
	}
	return out
}

// Headcounts compares the office's headcounts (hs, oldest first: the latest
// record of a session counts) with the sign-ins of each session
// (f.Headcount.SessionSignIns) under f.T, and sets f.Headcount's counts and
// the evidence of attendance.headcount, replacing what was there. A session
// the office counted but nobody signed in at, or one it did not count, is not
// compared. It is called when the facts are gathered and again by the review
// desk on a judged version's facts when a headcount is recorded after it was
// judged; loc is the county's time zone for the recording time.
func Headcounts(f *yanshou.Facts, hs []yanshou.Headcount, loc *time.Location) {
	h := &f.Headcount
	h.Recorded, h.Over, h.Sessions = 0, 0, ""
	if f.Evidence == nil {
		f.Evidence = map[string][]yanshou.Evidence{}
	}
	delete(f.Evidence, yanshou.EvAttendanceHeadcount)
	if loc == nil {
		loc = time.Local
	}
	latest := yanshou.LatestHeadcounts(hs)
	var over []string
	for _, s := range h.SessionSignIns {
		c, ok := latest[s.Session]
		if !ok {
			continue
		}
		h.Recorded++
		if !f.T.HeadcountExceeds(s.SignedIn, c.Present) {
			continue
		}
		allowed, excess := f.T.HeadcountAllowance(c.Present), s.SignedIn-c.Present
		h.Over++
		over = append(over, s.Session)
		note := ""
		if c.Note != "" {
			note = templates.Say("facts.headcount_note", c.Note)
		}
		f.Evidence[yanshou.EvAttendanceHeadcount] = append(f.Evidence[yanshou.EvAttendanceHeadcount], yanshou.Evidence{File: s.File,
			Detail: templates.Say("facts.headcount_over", s.Session, s.SignedIn, c.Present, excess, allowed, c.By, c.Role, c.At.In(loc).Format("2006-01-02 15:04"), note)})
	}
	h.Sessions = strings.Join(over, "、")
}
