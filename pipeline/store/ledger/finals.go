package ledger

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"yanshou"
)

// finalsSchema is the migration that adds the office's final verdicts, stored
// when a decision or a headcount is recorded, so that a list of classes reads
// them without reading any report.
//
// It is a derived cache, upserted (one row per version, its latest
// computation), not a history: the history is the decisions and the
// headcounts, which are only added; the final verdict is a function of them,
// of the version's report and facts, and of the rules and thresholds the
// office's findings are made by. Keeping every computation would add nothing
// those do not hold, and any row can be computed again from them. Each row
// carries what it was computed from:
//   - decisions, headcounts: how many decisions on the version and headcounts
//     of its class were taken in — both tables are add-only, so their count
//     names their state, and a row whose counts no longer match is stale;
//   - judged_at: the version's done_at (a re-judging rewrites its report);
//   - engine: a digest of the rule and thresholds the office's findings ran
//     under (a changed config is computed again: StaleFinals).
//
// A stale row is never read (Finals): the version counts with the program's
// verdict until it is computed again.
const finalsSchema = `
CREATE TABLE IF NOT EXISTS finals (
	content_hash   TEXT PRIMARY KEY REFERENCES versions(content_hash),
	program        TEXT NOT NULL,
	final          TEXT NOT NULL,
	decisions      INTEGER NOT NULL,
	headcounts     INTEGER NOT NULL,
	judged_at      TEXT NOT NULL,
	engine         TEXT NOT NULL,
	dismissed      INTEGER NOT NULL,
	downgraded     INTEGER NOT NULL,
	confirmed      TEXT NOT NULL DEFAULT '',
	confirmed_by   TEXT NOT NULL DEFAULT '',
	confirmed_role TEXT NOT NULL DEFAULT '',
	confirmed_at   TEXT NOT NULL DEFAULT '',
	deadline       TEXT NOT NULL DEFAULT '',
	computed_at    TEXT NOT NULL
);
`

// Final is a version's final verdict as the office's decisions and facts make
// it (FinalVerdict over the report with the office's findings taken in), with
// the confirmation it stands by (StandsConfirmed) and what it was computed
// from.
type Final struct {
	ContentHash string
	// Program is the program's verdict as recorded, before the office's
	// findings and decisions; Final the verdict after both.
	Program, Final yanshou.Verdict
	// Decisions and Headcounts are how many decisions on the version and
	// headcounts of its class were taken in; JudgedAt the version's done_at.
	Decisions, Headcounts int
	JudgedAt              string
	// Engine is a digest of the rule and thresholds the office's findings
	// were made by.
	Engine string
	// Dismissed and Downgraded count the findings standing dismissed and
	// downgraded.
	Dismissed, Downgraded int
	// Confirmed is the confirmation the final verdict stands by (its Message
	// the verdict confirmed, DisplayName, Role, At), nil when none stands: the
	// decisions are then a recommendation, and the class's standing follows
	// the program's verdict.
	Confirmed *Decision
	// Deadline is a confirmed fail's rectification deadline counted from the
	// confirmation; a version the program failed keeps its own (ApplyFinal).
	Deadline yanshou.Date
}

// Summarise makes the final verdict of a version from its recorded verdict
// (program), its report with the office's findings taken in (rep) and the
// decisions on it, oldest first; the caller fills in the rest of what it was
// computed from (Headcounts, JudgedAt, Engine, Deadline).
func Summarise(program yanshou.Verdict, rep yanshou.Report, ds []Decision) Final {
	f := Final{Program: program, Final: FinalVerdict(rep, ds), Decisions: len(ds)}
	for _, a := range Standing(ds) {
		switch a {
		case Dismiss:
			f.Dismissed++
		case Downgrade:
			f.Downgraded++
		}
	}
	if c := StandsConfirmed(rep, ds); c != nil {
		d := *c
		f.Confirmed = &d
	}
	return f
}

// Counts reports whether the final verdict counts for the class's standing
// and the batch's documents: it stands confirmed.
func (f *Final) Counts() bool {
	return f != nil && f.Confirmed != nil
}

// ApplyFinal puts a version's confirmed final verdict into it, as every list
// of classes and the batch's documents count it: the final verdict in
// Verdict, the program's kept in Program, who confirmed it in ConfirmedBy; a
// final fail keeps the version's deadline or, when the program gave none, has
// the one from the confirmation; a final pass or veto has none. A final
// verdict not confirmed (nil, or no confirmation standing) changes nothing:
// the office's decisions are a recommendation until confirmed.
func ApplyFinal(v *yanshou.VersionRecord, f *Final) {
	if !f.Counts() {
		return
	}
	v.Program, v.ConfirmedBy = v.Verdict, string(f.Confirmed.Role)+" "+f.Confirmed.DisplayName
	if f.Final == v.Verdict {
		return
	}
	v.Verdict = f.Final
	switch {
	case f.Final != yanshou.Fail:
		v.Deadline = yanshou.Date{}
	case v.Deadline.IsZero():
		v.Deadline = f.Deadline
	}
}

// StoreFinal stores the final verdict f of version n of class id, replacing
// the one stored unless that was computed from more decisions or headcounts
// (a computation that raced a later decision never overwrites it).
func (l *Ledger) StoreFinal(id string, n int, f Final, now time.Time) error {
	var hash string
	err := l.db.QueryRow(`SELECT content_hash FROM versions WHERE submission_id=? AND version=? AND done_at IS NOT NULL`, id, n).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("没有班次 %s 的第 %d 版", id, n)
	}
	if err != nil {
		return err
	}
	var conf, by, role, at string
	if c := f.Confirmed; c != nil {
		conf, by, role, at = c.Message, c.DisplayName, string(c.Role), rfc(c.At)
	}
	deadline := ""
	if !f.Deadline.IsZero() {
		deadline = f.Deadline.String()
	}
	_, err = l.db.Exec(`INSERT INTO finals(content_hash, program, final, decisions, headcounts, judged_at, engine, dismissed, downgraded,
			confirmed, confirmed_by, confirmed_role, confirmed_at, deadline, computed_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(content_hash) DO UPDATE SET program=excluded.program, final=excluded.final, decisions=excluded.decisions,
			headcounts=excluded.headcounts, judged_at=excluded.judged_at, engine=excluded.engine, dismissed=excluded.dismissed,
			downgraded=excluded.downgraded, confirmed=excluded.confirmed, confirmed_by=excluded.confirmed_by,
			confirmed_role=excluded.confirmed_role, confirmed_at=excluded.confirmed_at, deadline=excluded.deadline,
			computed_at=excluded.computed_at
		WHERE excluded.decisions >= finals.decisions AND excluded.headcounts >= finals.headcounts`,
		hash, string(f.Program), string(f.Final), f.Decisions, f.Headcounts, f.JudgedAt, f.Engine, f.Dismissed, f.Downgraded,
		conf, by, role, at, deadline, rfc(now))
	return err
}

// currentFinal is the condition on a stored final verdict f of version v
// that it is still current: computed from the version as judged now and from
// the decisions and headcounts the ledger holds now (both add-only: their
// counts name their state). Finals reads only such rows; StaleFinals lists
// the others.
const currentFinal = `f.judged_at = v.done_at
	AND f.decisions = (SELECT COUNT(*) FROM decisions d WHERE d.content_hash = f.content_hash)
	AND f.headcounts = (SELECT COUNT(*) FROM headcounts h WHERE h.submission_id = v.submission_id)`

// Finals returns the stored final verdicts of the versions scope sees, by
// content hash, that are still current: computed from the decisions and
// headcounts the ledger holds now and from the version as judged now. A
// version without one counts with the program's verdict. Deadlines are
// dates in loc.
func (l *Ledger) Finals(scope Scope, loc *time.Location) (map[string]*Final, error) {
	if !scope.All && scope.Institution == "" {
		return nil, nil
	}
	rows, err := l.db.Query(`SELECT f.content_hash, f.program, f.final, f.decisions, f.headcounts, f.judged_at, f.engine,
			f.dismissed, f.downgraded, f.confirmed, f.confirmed_by, f.confirmed_role, f.confirmed_at, f.deadline
		FROM finals f JOIN versions v ON v.content_hash = f.content_hash JOIN submissions s ON s.id = v.submission_id
		WHERE (? OR s.institution = ?) AND `+currentFinal, scope.All, scope.Institution)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*Final{}
	for rows.Next() {
		var f Final
		var program, final, conf, by, role, at, deadline string
		if err := rows.Scan(&f.ContentHash, &program, &final, &f.Decisions, &f.Headcounts, &f.JudgedAt, &f.Engine,
			&f.Dismissed, &f.Downgraded, &conf, &by, &role, &at, &deadline); err != nil {
			return nil, err
		}
		f.Program, f.Final = yanshou.Verdict(program), yanshou.Verdict(final)
		if conf != "" {
			c := Decision{Finding: ConfirmFinding, Action: Confirm, Message: conf, DisplayName: by, Role: Role(role)}
			c.At, _ = time.Parse(time.RFC3339, at)
			f.Confirmed = &c
		}
		f.Deadline = parseDate(deadline, loc)
		out[f.ContentHash] = &f
	}
	return out, rows.Err()
}

// VersionKey names one version of a class.
type VersionKey struct {
	ID      string
	Version int
}

// StaleFinals lists the judged versions whose final verdict must be computed
// (again): those the office decided on or whose class it counted, with no
// stored final verdict, or one computed from other decisions, headcounts or
// judging than the ledger holds now, or by another engine than engine.
func (l *Ledger) StaleFinals(engine string) ([]VersionKey, error) {
	rows, err := l.db.Query(`SELECT v.submission_id, v.version FROM versions v LEFT JOIN finals f ON f.content_hash = v.content_hash
		WHERE v.done_at IS NOT NULL
			AND (EXISTS (SELECT 1 FROM decisions d WHERE d.content_hash = v.content_hash)
				OR EXISTS (SELECT 1 FROM headcounts h WHERE h.submission_id = v.submission_id))
			AND (f.content_hash IS NULL OR f.engine <> ? OR NOT (`+currentFinal+`))
		ORDER BY v.submission_id, v.version`, engine)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VersionKey
	for rows.Next() {
		var k VersionKey
		if err := rows.Scan(&k.ID, &k.Version); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// JudgedVersion returns judged version n of class id with its report and
// facts (the program's, no final verdict applied), or nil when there is none.
func (l *Ledger) JudgedVersion(id string, n int) (*yanshou.VersionRecord, error) {
	var hash, done string
	err := l.db.QueryRow(`SELECT content_hash, done_at FROM versions WHERE submission_id=? AND version=? AND done_at IS NOT NULL`, id, n).Scan(&hash, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v, err := lookup(l.db, hash)
	if err != nil {
		return nil, err
	}
	rep, err := parseReport(v.ReportJSON)
	if err != nil {
		return nil, err
	}
	out := &yanshou.VersionRecord{Version: v.Version, ContentHash: hash, Origin: v.Origin, Verdict: v.Verdict, OutDir: v.OutDir,
		Report: rep, Facts: v.Facts, Deadline: parseDate(v.Deadline, time.UTC)}
	out.CheckedAt, _ = time.Parse(time.RFC3339, done)
	return out, nil
}
