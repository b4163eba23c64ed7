package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"yanshou"
)

// decisionsSchema is the migration that adds the office's decisions on the
// findings of a judged version. A decision is only ever added: a dismissal is
// undone by a later restoring decision, and what the program found stays in
// the version's report as it was.
const decisionsSchema = `
CREATE TABLE IF NOT EXISTS decisions (
	id           INTEGER PRIMARY KEY,
	content_hash TEXT NOT NULL REFERENCES versions(content_hash),
	finding      INTEGER NOT NULL,
	rule         TEXT NOT NULL,
	message      TEXT NOT NULL,
	action       TEXT NOT NULL,
	reason       TEXT NOT NULL,
	login        TEXT NOT NULL REFERENCES users(login),
	display_name TEXT NOT NULL,
	role         TEXT NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_version ON decisions(content_hash, finding);
`

// Action is what a decision does to a finding.
type Action string

// The actions on a finding.
const (
	Dismiss Action = "dismiss" // the finding does not hold (the office saw otherwise); it no longer counts
	Restore Action = "restore" // a dismissal or a downgrade is withdrawn; the finding counts again as found
	// Downgrade makes the finding count one severity lighter: a veto as a
	// fail, a fail as a warning (which does not change the verdict).
	Downgrade Action = "downgrade"
	// Confirm is the office's confirmation of the version's final verdict (the
	// program's after the decisions before it); it is on no finding
	// (Finding is ConfirmFinding) and its Message is the verdict confirmed.
	Confirm Action = "confirm"
)

// ConfirmFinding is the Finding of a confirmation: the version, not a finding.
const ConfirmFinding = -1

// Chinese names the action.
func (a Action) Chinese() string {
	switch a {
	case Dismiss:
		return "驳回"
	case Restore:
		return "恢复"
	case Downgrade:
		return "降级"
	case Confirm:
		return "确认结论"
	}
	return string(a)
}

// MinReason is the shortest reason accepted for a decision, in characters.
const MinReason = 4

// Decision is one recorded decision of the office on one finding of a version.
type Decision struct {
	Finding     int // index of the finding in the version's report
	Rule        string
	Message     string
	Action      Action
	Reason      string
	Login       string
	DisplayName string
	Role        Role
	At          time.Time
}

// ErrNotAllowed is wrapped by errors about a decision the user's role may not take.
var ErrNotAllowed = errors.New("无权作出此项决定")

// Decide records a decision of u on finding k of version n of class id, in
// u's scope. The finding must be the one the caller showed (same rule), the
// reason is required, only the office decides, and a veto finding is
// dismissed or downgraded by the 负责人 only. A finding stands as the latest
// decision on it says (Standing): a dismissed or downgraded finding is
// restored before it is decided otherwise, a warning is not downgraded.
func (l *Ledger) Decide(u *User, id string, n, k int, rule string, action Action, reason string, now time.Time) error {
	if u == nil || !u.Role.Office() || !u.Scope().All {
		return fmt.Errorf("%w：只有县电子商务办公室的审核人、负责人可以作出审核决定", ErrNotAllowed)
	}
	if action != Dismiss && action != Restore && action != Downgrade {
		return fmt.Errorf("未知的审核决定 %q", action)
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinReason {
		return fmt.Errorf("请写明理由（至少 %d 个字）", MinReason)
	}
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var hash string
	var report sql.NullString
	err = tx.QueryRow(`SELECT v.content_hash, v.report_json FROM versions v WHERE v.submission_id=? AND v.version=? AND v.done_at IS NOT NULL`, id, n).Scan(&hash, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("没有班次 %s 的第 %d 版", id, n)
	}
	if err != nil {
		return err
	}
	rep, err := parseReport(report.String)
	if err != nil {
		return err
	}
	if k < 0 || k >= len(rep.Findings) || rep.Findings[k].Rule != rule {
		return fmt.Errorf("第 %d 版没有这个问题（%s），请刷新页面", n, rule)
	}
	f := rep.Findings[k]
	if (action == Dismiss || action == Downgrade) && f.Severity == yanshou.SevVeto && u.Role != RoleHead {
		return fmt.Errorf("%w：一票否决的问题只能由负责人%s", ErrNotAllowed, action.Chinese())
	}
	if action == Downgrade && Lighter(f.Severity) == f.Severity {
		return fmt.Errorf("“%s”已是提示，不能再降级", f.Name())
	}
	ds, err := decisions(tx, hash)
	if err != nil {
		return err
	}
	switch now := Standing(ds)[k]; {
	case action == Restore && now == "":
		return errors.New("该问题有效，无需恢复")
	case action != Restore && now != "":
		return fmt.Errorf("该问题已%s，请先恢复再作其他决定", now.Chinese())
	}
	if _, err := tx.Exec(`INSERT INTO decisions(content_hash, finding, rule, message, action, reason, login, display_name, role, at)
		VALUES(?,?,?,?,?,?,?,?,?,?)`, hash, k, f.Rule, f.Message, string(action), reason, u.Login, u.DisplayName, string(u.Role), rfc(now)); err != nil {
		return err
	}
	return tx.Commit()
}

// ConfirmVerdict records u's confirmation of the final verdict of version n
// of class id (FinalVerdict after the decisions so far), with a required
// reason. Only the office confirms, and a dismissed veto only the 负责人.
// office are the findings of the office's own facts recorded after the
// version was judged (pipeline.OfficeFindings), taken into its report
// (yanshou.Report.WithOfficeFindings) before the final verdict is made. A
// verdict stands confirmed until a decision comes after the confirmation or
// the final verdict changes (an office finding); then it is confirmed again.
func (l *Ledger) ConfirmVerdict(u *User, id string, n int, reason string, now time.Time, office ...yanshou.Finding) (yanshou.Verdict, error) {
	if u == nil || !u.Role.Office() || !u.Scope().All {
		return "", fmt.Errorf("%w：只有县电子商务办公室的审核人、负责人可以确认结论", ErrNotAllowed)
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinReason {
		return "", fmt.Errorf("请写明理由（至少 %d 个字）", MinReason)
	}
	tx, err := l.db.Begin()
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var hash string
	var report sql.NullString
	err = tx.QueryRow(`SELECT v.content_hash, v.report_json FROM versions v WHERE v.submission_id=? AND v.version=? AND v.done_at IS NOT NULL`, id, n).Scan(&hash, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("没有班次 %s 的第 %d 版", id, n)
	}
	if err != nil {
		return "", err
	}
	rep, err := parseReport(report.String)
	if err != nil {
		return "", err
	}
	rep = rep.WithOfficeFindings(office)
	ds, err := decisions(tx, hash)
	if err != nil {
		return "", err
	}
	final := FinalVerdict(rep, ds)
	if rep.Verdict == yanshou.Veto && final != yanshou.Veto && u.Role != RoleHead {
		return "", fmt.Errorf("%w：驳回一票否决后的结论只能由负责人确认", ErrNotAllowed)
	}
	if c := Confirmed(ds); c != nil && c.Message == final.Chinese() {
		return "", fmt.Errorf("结论已由 %s 确认，审核决定有变化后才能再次确认", c.DisplayName)
	}
	if _, err := tx.Exec(`INSERT INTO decisions(content_hash, finding, rule, message, action, reason, login, display_name, role, at)
		VALUES(?,?,?,?,?,?,?,?,?,?)`, hash, ConfirmFinding, "", final.Chinese(), string(Confirm), reason, u.Login, u.DisplayName, string(u.Role), rfc(now)); err != nil {
		return "", err
	}
	return final, tx.Commit()
}

// Confirmed returns the confirmation the version's verdict stands confirmed
// by: the last one, unless a decision on a finding came after it (then the
// verdict awaits confirming again); nil when none stands.
func Confirmed(ds []Decision) *Decision {
	var c *Decision
	for i := range ds {
		if ds[i].Action == Confirm {
			c = &ds[i]
		} else {
			c = nil
		}
	}
	return c
}

// StandsConfirmed is the confirmation rep's final verdict stands by
// (Confirmed), unless the final verdict has changed since — the office's own
// findings (a headcount recorded after the confirmation) taken into rep —:
// then none, the verdict awaits confirming again.
func StandsConfirmed(rep yanshou.Report, ds []Decision) *Decision {
	c := Confirmed(ds)
	if c == nil || c.Message != FinalVerdict(rep, ds).Chinese() {
		return nil
	}
	return c
}

// Decisions returns the decisions on version n of class id, oldest first, or
// nil when scope does not see the class.
func (l *Ledger) Decisions(scope Scope, id string, n int) ([]Decision, error) {
	var inst, hash string
	err := l.db.QueryRow(`SELECT s.institution, v.content_hash FROM submissions s JOIN versions v ON v.submission_id = s.id
		WHERE s.id=? AND v.version=?`, id, n).Scan(&inst, &hash)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !scope.sees(inst) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decisions(l.db, hash)
}

type rowsQueryer interface {
	Query(query string, args ...any) (*sql.Rows, error)
}

func decisions(q rowsQueryer, hash string) ([]Decision, error) {
	rows, err := q.Query(`SELECT finding, rule, message, action, reason, login, display_name, role, at FROM decisions WHERE content_hash=? ORDER BY id`, hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		var d Decision
		var action, role, at string
		if err := rows.Scan(&d.Finding, &d.Rule, &d.Message, &action, &d.Reason, &d.Login, &d.DisplayName, &role, &at); err != nil {
			return nil, err
		}
		d.Action, d.Role = Action(action), Role(role)
		d.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Standing maps each finding index to the decision it stands by after the
// decisions, taken in order: Dismiss or Downgrade; a finding restored (or
// never decided) is not in the map. The latest decision on a finding counts.
func Standing(ds []Decision) map[int]Action {
	out := map[int]Action{}
	for _, d := range ds {
		switch d.Action {
		case Dismiss, Downgrade:
			out[d.Finding] = d.Action
		case Restore:
			delete(out, d.Finding)
		}
	}
	return out
}

// Dismissed maps each finding index to whether it stands dismissed after the
// decisions, taken in order.
func Dismissed(ds []Decision) map[int]bool {
	out := map[int]bool{}
	for k, a := range Standing(ds) {
		out[k] = a == Dismiss
	}
	return out
}

// Lighter is the severity a downgraded finding counts at: a veto as a fail, a
// fail as a warning; a warning stays one.
func Lighter(s yanshou.Severity) yanshou.Severity {
	switch s {
	case yanshou.SevVeto:
		return yanshou.SevFail
	case yanshou.SevFail:
		return yanshou.Warning
	}
	return s
}

// Reviewed is the report's findings as they count after the office's
// decisions: the dismissed ones left out, the downgraded ones one severity
// lighter (Lighter), the others as found; the report itself is not changed.
func Reviewed(rep yanshou.Report, ds []Decision) []yanshou.Finding {
	standing := Standing(ds)
	var kept []yanshou.Finding
	for i, f := range rep.Findings {
		switch standing[i] {
		case Dismiss:
			continue
		case Downgrade:
			f.Severity = Lighter(f.Severity)
		}
		kept = append(kept, f)
	}
	return kept
}

// FinalVerdict is the program's verdict after the office's decisions: the
// findings that stand dismissed no longer count, the downgraded ones count one
// severity lighter, and they decide as the program does (yanshou.Decide).
// While no finding stands dismissed or downgraded it is the report's verdict
// as recorded.
func FinalVerdict(rep yanshou.Report, ds []Decision) yanshou.Verdict {
	if len(Standing(ds)) == 0 {
		return rep.Verdict
	}
	return yanshou.Decide(Reviewed(rep, ds))
}

func parseReport(s string) (yanshou.Report, error) {
	var r yanshou.Report
	if s == "" {
		return r, nil
	}
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return r, fmt.Errorf("ledger: report: %w", err)
	}
	return r, nil
}
