package ledger

import (
	"strings"

	"yanshou"
)

// TrainedIn returns, for each given ID number, the other classes in which it was
// counted as trained, with their dates, so that the facts stage can tell a class
// held at the same time (the same person counted twice, 第三条) from a later
// course the person may rightly attend. A class counts when it is another
// submission registered before this one (so that re-judging the earlier class
// never blames it for the later one), its latest judged version was not vetoed
// (a vetoed class's trainees are to be retrained: 第十二条) — a failed class still
// claims its trainees while it is rectified — and it is not the same institution's
// same 期次 under other dates (a resubmission whose dates were corrected).
func (l *Ledger) TrainedIn(id string, idNumbers []string) (map[string][]yanshou.PriorTraining, error) {
	out := map[string][]yanshou.PriorTraining{}
	if len(idNumbers) == 0 {
		return out, nil
	}
	const batch = 500
	for first := 0; first < len(idNumbers); first += batch {
		last := min(first+batch, len(idNumbers))
		args := []any{id, id, id}
		for _, n := range idNumbers[first:last] {
			args = append(args, n)
		}
		q := `SELECT t.id_number, s.id, s.institution, s.class, s.start, s.end_date, v.verdict
			FROM trainees t JOIN versions v ON v.content_hash = t.content_hash JOIN submissions s ON s.id = v.submission_id
			WHERE v.submission_id <> ? AND v.done_at IS NOT NULL AND v.verdict <> 'veto' AND t.trained = 1
			  AND s.rowid < (SELECT rowid FROM submissions WHERE id = ?)
			  AND NOT EXISTS (SELECT 1 FROM submissions me WHERE me.id = ? AND me.institution = s.institution
			                  AND me.class = s.class AND me.institution <> '')
			  AND v.version = (SELECT MAX(version) FROM versions w WHERE w.submission_id = v.submission_id AND w.done_at IS NOT NULL)
			  AND t.id_number IN (?` + strings.Repeat(",?", last-first-1) + `)
			ORDER BY s.start, s.id`
		rows, err := l.db.Query(q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n, verdict string
			var p yanshou.PriorTraining
			if err := rows.Scan(&n, &p.SubmissionID, &p.Institution, &p.Class, &p.Start, &p.End, &verdict); err != nil {
				rows.Close()
				return nil, err
			}
			p.Verdict = yanshou.Verdict(verdict)
			p.Label = strings.TrimSpace(p.Institution + " " + p.Class)
			switch {
			case p.Start != "" && p.End != "" && p.End != p.Start:
				p.Label += "（" + p.Start + "至" + p.End + "）"
			case p.Start != "":
				p.Label += "（" + p.Start + "）"
			}
			out[n] = append(out[n], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
