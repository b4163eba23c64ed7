package yanshou

import "time"

// State is a class's standing in the rectification cycle of 第十条 and 第十二条.
type State string

// The standings a class can be in.
const (
	StateArchived  State = "合格归档"   // passed at the first check
	StateRectified State = "整改后合格"  // passed after a fail
	StateRectify   State = "待整改"    // failed; the deadline has not passed
	StateOverdue   State = "逾期未整改"  // failed; the deadline passed without a pass (第十条: breach)
	StateVetoed    State = "已否决待重训" // vetoed; the trainees must be retrained at the institution's cost
	StateRetrained State = "已重训合格"  // vetoed, and a later class of the institution retrained them and passed
	StatePending   State = "处理中"    // claimed, no verdict yet
)

// VersionRecord is one judged version of a class, as the ledger keeps it.
type VersionRecord struct {
	Version     int
	ContentHash string
	Origin      string
	CheckedAt   time.Time
	Verdict     Verdict
	Deadline    Date
	OutDir      string // relative to the outbox
	Report      Report // verdict.json as recorded
	Facts       *Facts // the facts judged (without evidence); nil for versions recorded before facts were kept
	// Program is the program's verdict where the office's confirmed final
	// verdict was put in Verdict (a batch's documents count the final
	// verdict); "" when no confirmation was applied: Verdict is the program's.
	Program Verdict
	// ConfirmedBy names who confirmed the final verdict (name and role); ""
	// when no confirmation was applied.
	ConfirmedBy string
}

// ProgramVerdict is the verdict the program gave the version.
func (v *VersionRecord) ProgramVerdict() Verdict {
	if v.Program != "" {
		return v.Program
	}
	return v.Verdict
}

// ClassRecord is one class with its whole history: one row of the 台账.
type ClassRecord struct {
	ID          string
	Institution string
	Class       string
	Title       string
	Venue       string
	Start, End  Date
	Versions    []VersionRecord // oldest first; only judged versions
	PoorTrained int             // poor-household trainees trained in the latest version
	State       State
	Deadline    Date // of the latest version, when it failed
	RetrainedBy string
}

// Latest returns the newest judged version, or nil.
func (c *ClassRecord) Latest() *VersionRecord {
	if len(c.Versions) == 0 {
		return nil
	}
	return &c.Versions[len(c.Versions)-1]
}

// Standing derives a class's state from its versions on a given day: a pass is
// 合格归档, or 整改后合格 after an earlier fail; a fail is 待整改 until its
// deadline and 逾期未整改 after it; a veto is 已否决待重训 until a retraining
// class passes (retrained).
func Standing(versions []VersionRecord, today time.Time, retrained bool) State {
	if len(versions) == 0 {
		return StatePending
	}
	last := versions[len(versions)-1]
	switch last.Verdict {
	case Pass:
		for _, v := range versions[:len(versions)-1] {
			if v.Verdict != Pass {
				return StateRectified
			}
		}
		return StateArchived
	case Fail:
		if !last.Deadline.IsZero() && today.After(last.Deadline.AddDate(0, 0, 1)) {
			return StateOverdue
		}
		return StateRectify
	case Veto:
		if retrained {
			return StateRetrained
		}
		return StateVetoed
	}
	return StatePending
}
