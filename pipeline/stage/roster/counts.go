package roster

import (
	"yanshou"
)

// Counts are what Read produced, counted by kind, for the facts stage's rules.
// Every number is derived from the Attendance alone, so it can be recomputed from
// a stored result.
type Counts struct {
	Trainees      int // roster rows read
	MissingIDs    int // roster rows without an ID number
	InvalidIDs    int // roster IDs failing GB 11643 (length, birth date, check digit), including digits lost to number storage; missing ones are not counted here
	Duplicates    int // roster rows repeating the ID of an earlier row (each repetition counts once)
	SignInRows    int
	Matched       int // sign-in rows matched to a roster trainee
	WalkIns       int // distinct people signed in but not on the roster (Attendance.WalkIns)
	Ambiguous     int // sign-in rows fitting several roster rows
	Sessions      int
	Trained       int
	Calls         int // follow-up rows read
	CallsMatched  int // follow-up rows matched to a roster trainee
	CalledTrained int // distinct trained trainees called
}

// Count derives the Counts of an Attendance (RosterFacts.InvalidIDs = InvalidIDs,
// RosterFacts.Duplicates = Duplicates, and so on).
func Count(a *yanshou.Attendance) Counts {
	var n Counts
	if a == nil {
		return n
	}
	n.Trainees = len(a.Trainees)
	seen := map[string]bool{}
	for _, t := range a.Trainees {
		switch {
		case t.ID == "":
			n.MissingIDs++
		case ValidID(t.ID) != "":
			n.InvalidIDs++
		case seen[t.ID]:
			n.Duplicates++
		default:
			seen[t.ID] = true
		}
	}
	n.SignInRows = len(a.SignIns)
	for _, s := range a.SignIns {
		switch s.Match {
		case yanshou.Matched:
			n.Matched++
		case yanshou.Ambiguous:
			n.Ambiguous++
		}
	}
	n.WalkIns = a.WalkIns()
	n.Sessions = len(a.Sessions)
	n.Trained = a.Trained()
	n.Calls = len(a.FollowUps)
	called := map[int]bool{}
	for _, c := range a.FollowUps {
		if c.Trainee >= 0 && c.Trainee < len(a.Trainees) {
			n.CallsMatched++
			if a.Trainees[c.Trainee].Trained {
				called[c.Trainee] = true
			}
		}
	}
	n.CalledTrained = len(called)
	return n
}

func prefix(where string) string {
	if where == "" {
		return ""
	}
	return where + "："
}
