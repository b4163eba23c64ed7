package ledger

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"yanshou"
)

// inspectionsSchema is the migration that adds the office's inspection
// records (第十五条, 《电子商务培训检查记录表》), one per inspection of a class;
// they are only added.
const inspectionsSchema = `
CREATE TABLE IF NOT EXISTS inspections (
	id             INTEGER PRIMARY KEY,
	submission_id  TEXT NOT NULL REFERENCES submissions(id),
	inspected_at   TEXT NOT NULL,
	place          TEXT NOT NULL,
	inspectors     TEXT NOT NULL,
	content        TEXT NOT NULL,
	opinion        TEXT NOT NULL,
	inspector_sign TEXT NOT NULL,
	inspector_at   TEXT NOT NULL,
	inspected_sign TEXT NOT NULL,
	inspected_sign_at  TEXT NOT NULL,
	login          TEXT NOT NULL REFERENCES users(login),
	display_name   TEXT NOT NULL,
	role           TEXT NOT NULL,
	at             TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inspections_class ON inspections(submission_id);
`

// Limits of an inspection record's texts, in characters.
const (
	maxInspectionLine = 100  // place, inspectors, names
	maxInspectionText = 2000 // content, opinion
)

// RecordInspection records an inspection of class id by u (the office only).
// The record's ClassID, Class, Institution, By, Role and RecordedAt are set
// here from the ledger and u; 检查时间, 地点, 检查人员, 检查内容 and both
// signatures (names and times) are required, 问题及整改要求 may be empty
// (nothing found).
func (l *Ledger) RecordInspection(u *User, id string, rec yanshou.InspectionRecord, now time.Time) error {
	if u == nil || !u.Role.Office() || !u.Scope().All {
		return fmt.Errorf("%w：只有县电子商务办公室的审核人、负责人可以登记检查记录", ErrNotAllowed)
	}
	rec.Place, rec.Inspectors = strings.TrimSpace(rec.Place), strings.TrimSpace(rec.Inspectors)
	rec.Content, rec.Opinion = strings.TrimSpace(rec.Content), strings.TrimSpace(rec.Opinion)
	rec.InspectorSign, rec.InspectedSign = strings.TrimSpace(rec.InspectorSign), strings.TrimSpace(rec.InspectedSign)
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{
		{"检查地点", rec.Place, maxInspectionLine, true},
		{"检查人员", rec.Inspectors, maxInspectionLine, true},
		{"检查内容", rec.Content, maxInspectionText, true},
		{"问题及整改要求", rec.Opinion, maxInspectionText, false},
		{"检查人签字", rec.InspectorSign, maxInspectionLine, true},
		{"被检查单位负责人签字", rec.InspectedSign, maxInspectionLine, true},
	} {
		switch n := utf8.RuneCountInString(f.value); {
		case f.required && n == 0:
			return fmt.Errorf("请填写%s", f.name)
		case n > f.max:
			return fmt.Errorf("%s不超过 %d 个字", f.name, f.max)
		}
	}
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"检查时间", rec.At}, {"检查人签字时间", rec.InspectorAt}, {"被检查单位签字时间", rec.InspectedAt}} {
		if t.at.IsZero() {
			return fmt.Errorf("请填写%s", t.name)
		}
		if t.at.After(now.Add(24 * time.Hour)) {
			return fmt.Errorf("%s晚于今天", t.name)
		}
	}
	var n int
	if err := l.db.QueryRow(`SELECT COUNT(*) FROM submissions WHERE id=?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("没有班次 %s", id)
	}
	_, err := l.db.Exec(`INSERT INTO inspections(submission_id, inspected_at, place, inspectors, content, opinion, inspector_sign, inspector_at,
		inspected_sign, inspected_sign_at, login, display_name, role, at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		id, rfc(rec.At), rec.Place, rec.Inspectors, rec.Content, rec.Opinion, rec.InspectorSign, rfc(rec.InspectorAt),
		rec.InspectedSign, rfc(rec.InspectedAt), u.Login, u.DisplayName, string(u.Role), rfc(now))
	return err
}

// Inspections returns the inspections recorded for class id, in the order of
// their 检查时间, or nil when scope does not see the class.
func (l *Ledger) Inspections(scope Scope, id string) ([]yanshou.InspectionRecord, error) {
	_, ok, err := l.classInScope(scope, id)
	if !ok || err != nil {
		return nil, err
	}
	return l.inspections(`s.id=?`, id)
}

// InstitutionInspections returns the inspections of every class of
// institution inst, in the order of their 检查时间, or nil when scope does not
// see the institution's classes.
func (l *Ledger) InstitutionInspections(scope Scope, inst string) ([]yanshou.InspectionRecord, error) {
	if !scope.sees(inst) {
		return nil, nil
	}
	return l.inspections(`s.institution=?`, inst)
}

func (l *Ledger) inspections(where string, arg string) ([]yanshou.InspectionRecord, error) {
	rows, err := l.db.Query(`SELECT s.id, s.class, s.institution, i.inspected_at, i.place, i.inspectors, i.content, i.opinion, i.inspector_sign,
		i.inspector_at, i.inspected_sign, i.inspected_sign_at, i.display_name, i.role, i.at
		FROM inspections i JOIN submissions s ON s.id = i.submission_id WHERE `+where+` ORDER BY i.inspected_at, i.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yanshou.InspectionRecord
	for rows.Next() {
		var r yanshou.InspectionRecord
		var at, inspectorAt, inspectedAt, recorded string
		if err := rows.Scan(&r.ClassID, &r.Class, &r.Institution, &at, &r.Place, &r.Inspectors, &r.Content, &r.Opinion, &r.InspectorSign,
			&inspectorAt, &r.InspectedSign, &inspectedAt, &r.By, &r.Role, &recorded); err != nil {
			return nil, err
		}
		r.At, _ = time.Parse(time.RFC3339, at)
		r.InspectorAt, _ = time.Parse(time.RFC3339, inspectorAt)
		r.InspectedAt, _ = time.Parse(time.RFC3339, inspectedAt)
		r.RecordedAt, _ = time.Parse(time.RFC3339, recorded)
		out = append(out, r)
	}
	return out, rows.Err()
}
