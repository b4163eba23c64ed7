package roster

import (
	"sort"

	"yanshou"
)

// UsePaper puts sign-in rows read from paper sheets (pipeline/stage/paper) into a,
// the paper deciding over the typed sheets where it was read: covered gives, by
// session, the roster trainees whose box was read. A typed row of such a
// trainee in such a session, and a typed row of no roster trainee (walk-in,
// ambiguous) in a session the paper covers, is taken out (and returned, to be
// compared with the paper); the typed rows of trainees on a page not read stay.
// The paper rows are put in, the sessions listed again (dated ones by date) and
// every trainee's sessions and Trained counted again, as Read counts them.
func UsePaper(a *yanshou.Attendance, rows []yanshou.SignIn, covered map[string]map[int]bool, cfg *yanshou.Config) (typed []yanshou.SignIn) {
	if a == nil || len(covered) == 0 {
		return nil
	}
	var sessions []string
	for s := range covered {
		sessions = append(sessions, s)
	}
	sort.Strings(sessions)
	kept := a.SignIns[:0:0]
	for _, s := range a.SignIns {
		if c := covered[s.Session]; c != nil && (s.Match != yanshou.Matched || c[s.Trainee]) {
			typed = append(typed, s)
			continue
		}
		kept = append(kept, s)
	}
	a.SignIns = append(kept, rows...)
	have := map[string]bool{}
	for _, s := range a.Sessions {
		have[s] = true
	}
	for _, s := range sessions {
		if !have[s] {
			a.Sessions = append(a.Sessions, s)
			have[s] = true
		}
	}
	// dated labels (2026-03-10 …) in date order, the others after them as they were
	sort.SliceStable(a.Sessions, func(i, j int) bool {
		di, dj := datedLabel(a.Sessions[i]), datedLabel(a.Sessions[j])
		if di != dj {
			return di
		}
		return di && a.Sessions[i] < a.Sessions[j]
	})
	attended := make([]map[string]bool, len(a.Trainees))
	for _, si := range a.SignIns {
		if si.Match != yanshou.Matched || si.Trainee < 0 || si.Trainee >= len(attended) {
			continue
		}
		if attended[si.Trainee] == nil {
			attended[si.Trainee] = map[string]bool{}
		}
		attended[si.Trainee][si.Session] = true
	}
	need := cfg.Thresholds.TraineeMinSessionShare * float64(len(a.Sessions))
	for i := range a.Trainees {
		k := len(attended[i])
		a.Trainees[i].Sessions = k
		a.Trainees[i].Trained = k >= 1 && float64(k) >= need-1e-9
	}
	return typed
}

// datedLabel reports whether a session label starts with a date as Read writes it.
func datedLabel(s string) bool {
	if len(s) < 10 {
		return false
	}
	for i, r := range s[:10] {
		if (i == 4 || i == 7) != (r == '-') || (i != 4 && i != 7 && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}
