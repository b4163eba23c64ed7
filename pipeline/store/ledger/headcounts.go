package ledger

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"yanshou"
)

// headcountsSchema is the migration that adds the office's own headcounts of
// a class's sessions (第七条). A headcount belongs to the class (its
// submission id) and a session label, not to a version's content: it holds
// for every version and every re-run. Records are only added; the latest of
// a session counts.
const headcountsSchema = `
CREATE TABLE IF NOT EXISTS headcounts (
	id            INTEGER PRIMARY KEY,
	submission_id TEXT NOT NULL REFERENCES submissions(id),
	session       TEXT NOT NULL,
	present       INTEGER NOT NULL,
	note          TEXT NOT NULL,
	login         TEXT NOT NULL REFERENCES users(login),
	display_name  TEXT NOT NULL,
	role          TEXT NOT NULL,
	at            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS headcounts_class ON headcounts(submission_id, session);
`

// Limits of a headcount record.
const (
	MaxHeadcount     = 10000 // people present at one session
	maxSessionLabel  = 100   // characters of a session's label
	maxHeadcountNote = 500   // characters of the note
)

// RecordHeadcount records u's count of the people present at one session of
// class id (实到人数, with an optional note). Only the office records; the
// class must be in the ledger and the count a plausible number.
func (l *Ledger) RecordHeadcount(u *User, id, session string, present int, note string, now time.Time) error {
	if u == nil || !u.Role.Office() || !u.Scope().All {
		return fmt.Errorf("%w：只有县电子商务办公室的审核人、负责人可以登记实到人数", ErrNotAllowed)
	}
	session, note = strings.TrimSpace(session), strings.TrimSpace(note)
	switch {
	case session == "" || utf8.RuneCountInString(session) > maxSessionLabel:
		return errors.New("请选择场次")
	case present < 0 || present > MaxHeadcount:
		return fmt.Errorf("实到人数须在 0 至 %d 之间", MaxHeadcount)
	case utf8.RuneCountInString(note) > maxHeadcountNote:
		return fmt.Errorf("备注不超过 %d 个字", maxHeadcountNote)
	}
	var n int
	if err := l.db.QueryRow(`SELECT COUNT(*) FROM submissions WHERE id=?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("没有班次 %s", id)
	}
	_, err := l.db.Exec(`INSERT INTO headcounts(submission_id, session, present, note, login, display_name, role, at) VALUES(?,?,?,?,?,?,?,?)`,
		id, session, present, note, u.Login, u.DisplayName, string(u.Role), rfc(now))
	return err
}

// Headcounts returns every headcount recorded for class id, oldest first (the
// latest of a session counts: yanshou.LatestHeadcounts), or nil when scope
// does not see the class.
func (l *Ledger) Headcounts(scope Scope, id string) ([]yanshou.Headcount, error) {
	_, ok, err := l.classInScope(scope, id)
	if !ok || err != nil {
		return nil, err
	}
	rows, err := l.db.Query(`SELECT session, present, note, display_name, role, at FROM headcounts WHERE submission_id=? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yanshou.Headcount
	for rows.Next() {
		var h yanshou.Headcount
		var at string
		if err := rows.Scan(&h.Session, &h.Present, &h.Note, &h.By, &h.Role, &at); err != nil {
			return nil, err
		}
		h.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, h)
	}
	return out, rows.Err()
}
