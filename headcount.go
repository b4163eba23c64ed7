package yanshou

import (
	"math"
	"slices"
	"time"
)

// Headcount is the number of trainees the county office counted present at
// one session of a class (第七条: the office takes part in the training and
// records the real number of trainees), as recorded on the review desk. It
// belongs to the class, not to a version: it holds for every version and
// every re-run.
type Headcount struct {
	Session string    // the session's label as the attendance stage names it (e.g. 2026-03-10 上午)
	Present int       // 实到人数 counted by the office
	Note    string    // the recorder's note
	By      string    // who recorded it (display name)
	Role    string    // … in which role (审核人 / 负责人)
	At      time.Time // when
}

// SessionCount is how many distinct people signed in at one session.
type SessionCount struct {
	Session  string `json:"Session"`
	SignedIn int    `json:"SignedIn"`
	File     string `json:"File"` // the first sign-in sheet the session's sign-ins were read from
}

// LatestHeadcounts keeps the latest record of each session (records are
// added, never changed: the latest counts), taken in the order given.
func LatestHeadcounts(hs []Headcount) map[string]Headcount {
	out := map[string]Headcount{}
	for _, h := range hs {
		out[h.Session] = h
	}
	return out
}

// HeadcountAllowance is how many sign-ins above the office's count of present
// people a session may have before it is a fail: headcount_max_excess people,
// or headcount_max_excess_share of the office's count when that is more
// (people arriving after the count, a count taken in a break).
func (t Thresholds) HeadcountAllowance(present int) int {
	// 10% of 70 is 7, not 6.999…
	share := int(math.Floor(t.HeadcountMaxExcessShare*float64(present) + 1e-9))
	return max(t.HeadcountMaxExcess, share)
}

// WithOfficeFindings is the report with the findings of the office's own facts
// (a headcount recorded after the version was judged) taken in: each replaces
// the report's finding of the same rule in place, or is added after the
// report's findings, so that the findings already there keep their indexes
// (the office's decisions name them by index). The verdict becomes the graver
// of the report's and the findings'; the report itself is not changed.
func (r Report) WithOfficeFindings(found []Finding) Report {
	if len(found) == 0 {
		return r
	}
	out := r
	out.Findings = append([]Finding(nil), r.Findings...)
	for _, f := range found {
		i := slices.IndexFunc(out.Findings, func(g Finding) bool { return g.Rule == f.Rule })
		if i >= 0 {
			out.Findings[i] = f
		} else {
			out.Findings = append(out.Findings, f)
		}
	}
	if v := Decide(out.Findings); verdictRank(v) > verdictRank(out.Verdict) {
		out.Verdict, out.VerdictZh = v, v.Chinese()
	}
	return out
}

func verdictRank(v Verdict) int {
	switch v {
	case Veto:
		return 2
	case Fail:
		return 1
	}
	return 0
}

// HeadcountExceeds reports whether signedIn people signed in at a session the
// office counted present at exceeds the count by more than HeadcountAllowance.
func (t Thresholds) HeadcountExceeds(signedIn, present int) bool {
	return signedIn-present > t.HeadcountAllowance(present)
}
