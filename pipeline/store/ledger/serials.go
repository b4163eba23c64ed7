package ledger

import (
	"strings"
	"time"

	"yanshou"
)

// PhotosBySerial returns the photos of the latest completed version of every
// submission first seen before id, of another institution than institution,
// whose camera serial number is one of serials (photos.same_camera), with
// their classes' days. As for reuse, the later class is the one that answers
// for it: re-judging the earlier class never names the later.
func (l *Ledger) PhotosBySerial(id, institution string, serials []string) ([]yanshou.SerialPhoto, error) {
	seen := map[string]bool{}
	var want []string
	for _, s := range serials {
		if s != "" && !seen[s] {
			seen[s] = true
			want = append(want, s)
		}
	}
	var out []yanshou.SerialPhoto
	const batch = 400
	for start := 0; start < len(want); start += batch {
		part := want[start:min(start+batch, len(want))]
		args := []any{id, id, institution}
		for _, s := range part {
			args = append(args, s)
		}
		rows, err := l.db.Query(`SELECT v.submission_id, s.institution || ' ' || s.class, s.institution, s.start, s.end_date, v.version, p.file, p.serial
			FROM photos p JOIN versions v ON v.content_hash = p.content_hash JOIN submissions s ON s.id = v.submission_id
			WHERE v.submission_id <> ? AND v.done_at IS NOT NULL
			  AND s.rowid < (SELECT rowid FROM submissions WHERE id = ?)
			  AND s.institution <> ?
			  AND v.version = (SELECT MAX(version) FROM versions w WHERE w.submission_id = v.submission_id AND w.done_at IS NOT NULL)
			  AND p.serial IN (?`+strings.Repeat(",?", len(part)-1)+`)
			ORDER BY v.submission_id, p.file`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r yanshou.SerialPhoto
			var start, end string
			if err := rows.Scan(&r.SubmissionID, &r.Label, &r.Institution, &start, &end, &r.Version, &r.File, &r.Serial); err != nil {
				rows.Close()
				return nil, err
			}
			r.Start, r.End = parseDay(start), parseDay(end)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseDay reads a date as the ledger writes it (2006-01-02); unset when blank.
func parseDay(s string) yanshou.Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return yanshou.Date{}
	}
	return yanshou.Date{Time: t}
}
