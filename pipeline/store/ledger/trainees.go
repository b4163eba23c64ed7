package ledger

import (
	"database/sql"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/hanzi"
)

// TrainedIn returns, for each given person (by index), the other classes in
// which they were counted as trained, with their dates, so that the facts stage
// can tell a class held at the same time (the same person counted twice, 第三条)
// from a later course the person may rightly attend. A person is found there by
// the same ID number, or — when the ID was altered or masked — by the same name
// (traditional characters made simplified) with the same phone, or with a masked
// ID that fits. A class counts when its latest judged version was not vetoed (a
// vetoed class's trainees are to be retrained: 第十二条) — a failed class still
// claims its trainees while it is rectified — and it is not the same class sent
// again with its dates corrected: the same institution and label, and either sent
// from the same inbox folder or failed (to be rectified). (The versions of one
// class with the same dates are one submission already.) A second class under a
// label already used, from another folder, that was not failed, is compared like
// any other. Later marks a class registered after this one.
func (l *Ledger) TrainedIn(id string, people []yanshou.Person) (map[int][]yanshou.PriorTraining, error) {
	out := map[int][]yanshou.PriorTraining{}
	if len(people) == 0 {
		return out, nil
	}
	const base = `SELECT t.id_number, t.name_key, t.phone, s.id, s.institution, s.class, s.start, s.end_date, v.verdict,
			s.rowid > (SELECT rowid FROM submissions WHERE id = ?)
		FROM trainees t JOIN versions v ON v.content_hash = t.content_hash JOIN submissions s ON s.id = v.submission_id
		WHERE v.submission_id <> ? AND v.done_at IS NOT NULL AND v.verdict <> 'veto' AND t.trained = 1
		  AND NOT EXISTS (SELECT 1 FROM submissions me WHERE me.id = ? AND me.institution = s.institution
		                  AND me.institution <> '' AND me.class = s.class
		                  AND (v.verdict = 'fail' OR EXISTS (SELECT 1 FROM versions a JOIN versions b ON a.origin = b.origin
		                                                     WHERE a.submission_id = s.id AND b.submission_id = me.id)))
		  AND v.version = (SELECT MAX(version) FROM versions w WHERE w.submission_id = v.submission_id AND w.done_at IS NOT NULL)`
	byID := map[string][]int{}
	byName := map[string][]int{}
	for i, p := range people {
		if p.ID != "" && !strings.Contains(p.ID, "*") {
			byID[p.ID] = append(byID[p.ID], i)
		}
		if k := hanzi.Simplified(p.Name); k != "" {
			byName[k] = append(byName[k], i)
		}
	}
	type found struct {
		person int
		class  string
	}
	seen := map[found]bool{}
	add := func(i int, p yanshou.PriorTraining) {
		k := found{i, p.SubmissionID}
		if !seen[k] {
			seen[k] = true
			out[i] = append(out[i], p)
		}
	}
	scan := func(column string, keys []string, each func(rowID, nameKey, phone string, p yanshou.PriorTraining)) error {
		const batch = 500
		for first := 0; first < len(keys); first += batch {
			last := min(first+batch, len(keys))
			args := []any{id, id, id}
			for _, k := range keys[first:last] {
				args = append(args, k)
			}
			q := base + ` AND t.` + column + ` IN (?` + strings.Repeat(",?", last-first-1) + `) ORDER BY s.start, s.id`
			rows, err := l.db.Query(q, args...)
			if err != nil {
				return err
			}
			if err := scanPriors(rows, each); err != nil {
				return err
			}
		}
		return nil
	}
	ids := make([]string, 0, len(byID))
	for k := range byID {
		ids = append(ids, k)
	}
	if err := scan("id_number", ids, func(rowID, _, _ string, p yanshou.PriorTraining) {
		for _, i := range byID[rowID] {
			add(i, p)
		}
	}); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(byName))
	for k := range byName {
		names = append(names, k)
	}
	if err := scan("name_key", names, func(rowID, nameKey, phone string, p yanshou.PriorTraining) {
		for _, i := range byName[nameKey] {
			me := people[i]
			if rowID == me.ID {
				continue // found by the ID already
			}
			switch {
			case me.Phone != "" && phone == me.Phone:
				p.Via, p.OtherID = "name_phone", rowID
			case (strings.Contains(me.ID, "*") || strings.Contains(rowID, "*")) && fits(me.ID, rowID):
				p.Via, p.OtherID = "name_masked_id", rowID
			default:
				continue
			}
			add(i, p)
		}
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// scanPriors reads the rows of a TrainedIn query.
func scanPriors(rows *sql.Rows, each func(rowID, nameKey, phone string, p yanshou.PriorTraining)) error {
	defer rows.Close()
	for rows.Next() {
		var n, key, phone, verdict string
		var p yanshou.PriorTraining
		if err := rows.Scan(&n, &key, &phone, &p.SubmissionID, &p.Institution, &p.Class, &p.Start, &p.End, &verdict, &p.Later); err != nil {
			return err
		}
		p.Verdict = yanshou.Verdict(verdict)
		p.Label = strings.TrimSpace(p.Institution + " " + p.Class)
		switch {
		case p.Start != "" && p.End != "" && p.End != p.Start:
			p.Label += "（" + p.Start + "至" + p.End + "）"
		case p.Start != "":
			p.Label += "（" + p.Start + "）"
		}
		each(n, key, phone, p)
	}
	return rows.Err()
}

// fits reports whether two ID numbers, one or both masked with *, agree on
// every digit both show.
func fits(a, b string) bool {
	if len(a) != len(b) || a == "" {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != '*' && b[i] != '*' && a[i] != b[i] {
			return false
		}
	}
	return true
}
