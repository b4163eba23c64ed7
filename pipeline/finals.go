package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

// Finals computes the office's final verdicts and stores them in the ledger
// (ledger.Final), with one engine for the review desk and the batch: the
// version's recorded report with the office's findings taken in
// (OfficeReport), then ledger.Summarise (FinalVerdict, StandsConfirmed), a
// confirmed fail's deadline from its confirmation. The desk stores one
// whenever a decision or a headcount is recorded; the desk's start and every
// batch compute again those missing or stale (Refresh).
type Finals struct {
	Ledger *ledger.Ledger
	Rules  *rules.Set
	Config *yanshou.Config
}

// Engine is the digest of what the office's findings are made by: the
// headcount rule and the thresholds (the deadline's days among them) and the
// county's time zone. A final verdict stored under another engine is
// computed again.
func (e Finals) Engine() string {
	var rule *rules.Rule
	if e.Rules != nil {
		rule = e.Rules.Find(rules.Headcount)
	}
	var th yanshou.Thresholds
	zone := ""
	if e.Config != nil {
		th = e.Config.Thresholds
		if e.Config.Location != nil {
			zone = e.Config.Location.String()
		}
	}
	data, _ := json.Marshal([]any{rule, th, zone})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// OfficeReport is a judged version's recorded report with the findings of the
// office's own facts taken in (the class's headcounts as the ledger holds them
// now, through the same rule: OfficeFindings), and those headcounts.
func OfficeReport(l *ledger.Ledger, set *rules.Set, cfg *yanshou.Config, scope ledger.Scope, id string, vr *yanshou.VersionRecord) (yanshou.Report, []yanshou.Headcount, error) {
	hs, err := l.Headcounts(scope, id)
	if err != nil {
		return vr.Report, nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	office, err := OfficeFindings(set, cfg, vr.Facts, hs)
	if err != nil {
		return vr.Report, nil, err
	}
	return vr.Report.WithOfficeFindings(office), hs, nil
}

// Compute is the final verdict of version vr of class id (as the ledger
// reads it, its report the program's), from the decisions and headcounts the
// ledger holds now; it also returns the report with the office's findings,
// the decisions and the headcounts it was computed from.
func (e Finals) Compute(id string, vr *yanshou.VersionRecord) (ledger.Final, yanshou.Report, []ledger.Decision, []yanshou.Headcount, error) {
	all := ledger.Scope{All: true}
	ds, err := e.Ledger.Decisions(all, id, vr.Version)
	if err != nil {
		return ledger.Final{}, vr.Report, nil, nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	rep, hs, err := OfficeReport(e.Ledger, e.Rules, e.Config, all, id, vr)
	if err != nil {
		return ledger.Final{}, rep, ds, hs, err
	}
	f := ledger.Summarise(vr.ProgramVerdict(), rep, ds)
	f.ContentHash, f.Headcounts, f.Engine = vr.ContentHash, len(hs), e.Engine()
	f.JudgedAt = vr.CheckedAt.Format(time.RFC3339)
	if f.Confirmed != nil && f.Final == yanshou.Fail && e.Config != nil {
		f.Deadline = facts.Deadline(f.Confirmed.At, e.Config)
	}
	return f, rep, ds, hs, nil
}

// Record computes and stores the final verdict of version n of class id.
func (e Finals) Record(id string, n int, now time.Time) error {
	vr, err := e.Ledger.JudgedVersion(id, n)
	if err != nil {
		return fmt.Errorf("台账数据库出错：%w", err)
	}
	if vr == nil {
		return fmt.Errorf("台账中没有班次 %s 的第 %d 版", id, n)
	}
	f, _, _, _, err := e.Compute(id, vr)
	if err != nil {
		return err
	}
	if err := e.Ledger.StoreFinal(id, n, f, now); err != nil {
		return fmt.Errorf("台账数据库出错：%w", err)
	}
	return nil
}

// Refresh computes and stores every final verdict missing or stale
// (ledger.StaleFinals under this engine) and returns how many.
func (e Finals) Refresh(now time.Time) (int, error) {
	stale, err := e.Ledger.StaleFinals(e.Engine())
	if err != nil {
		return 0, fmt.Errorf("台账数据库出错：%w", err)
	}
	for _, k := range stale {
		if err := e.Record(k.ID, k.Version, now); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
