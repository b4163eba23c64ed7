package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"yanshou"
)

// Classes returns every class in the ledger with its judged versions, oldest
// first, and its standing on the given day. A version whose final verdict
// the office confirmed counts with it (ApplyFinal: the program's kept in
// Program), the standing too. A vetoed class counts as retrained
// when a later passed class of the same institution trained at least
// retrainShare of its roster (第十二条: the original trainees retrained).
func (l *Ledger) Classes(today time.Time, loc *time.Location, retrainShare float64) ([]yanshou.ClassRecord, error) {
	return l.classes(Scope{All: true}, today, loc, retrainShare, true)
}

// classes is Classes limited to what scope sees (see scoped.go); without
// full, the versions carry neither their reports nor their facts (a list of
// classes: the standings need neither).
func (l *Ledger) classes(scope Scope, today time.Time, loc *time.Location, retrainShare float64, full bool) ([]yanshou.ClassRecord, error) {
	if !scope.All && scope.Institution == "" {
		return nil, nil
	}
	rows, err := l.db.Query(`SELECT s.id, s.institution, s.class, s.title, s.venue, s.start, s.end_date,
			v.version, v.content_hash, v.origin, v.done_at, v.verdict, COALESCE(v.deadline,''), COALESCE(v.out_dir,''),
			CASE WHEN ? THEN COALESCE(v.report_json,'') ELSE '' END, CASE WHEN ? THEN v.facts_json ELSE '' END
		FROM submissions s JOIN versions v ON v.submission_id = s.id
		WHERE v.done_at IS NOT NULL AND (? OR s.institution = ?)
		ORDER BY s.institution, s.start, s.class, s.id, v.version`, full, full, scope.All, scope.Institution)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yanshou.ClassRecord
	index := map[string]int{}
	for rows.Next() {
		var c yanshou.ClassRecord
		var start, end, done, verdict, deadline, report, factsJSON string
		var v yanshou.VersionRecord
		if err := rows.Scan(&c.ID, &c.Institution, &c.Class, &c.Title, &c.Venue, &start, &end,
			&v.Version, &v.ContentHash, &v.Origin, &done, &verdict, &deadline, &v.OutDir, &report, &factsJSON); err != nil {
			return nil, err
		}
		v.Verdict = yanshou.Verdict(verdict)
		v.CheckedAt, _ = time.Parse(time.RFC3339, done)
		v.Deadline = parseDate(deadline, loc)
		if report != "" {
			if err := json.Unmarshal([]byte(report), &v.Report); err != nil {
				return nil, fmt.Errorf("ledger: version %s v%d: %w", c.ID, v.Version, err)
			}
		}
		if factsJSON != "" {
			v.Facts = &yanshou.Facts{}
			if err := json.Unmarshal([]byte(factsJSON), v.Facts); err != nil {
				return nil, fmt.Errorf("ledger: facts of %s v%d: %w", c.ID, v.Version, err)
			}
		}
		i, ok := index[c.ID]
		if !ok {
			c.Start, c.End = parseDate(start, loc), parseDate(end, loc)
			out = append(out, c)
			i = len(out) - 1
			index[c.ID] = i
		}
		out[i].Versions = append(out[i].Versions, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The office's confirmed final verdicts count, here as in every list
	// and the batch's documents (ApplyFinal), before the standings.
	finals, err := l.Finals(scope, loc)
	if err != nil {
		return nil, err
	}
	for i := range out {
		for j := range out[i].Versions {
			v := &out[i].Versions[j]
			ApplyFinal(v, finals[v.ContentHash])
		}
	}
	poor, err := l.poorTrained()
	if err != nil {
		return nil, err
	}
	for i := range out {
		c := &out[i]
		last := c.Latest()
		c.Deadline = last.Deadline
		c.PoorTrained = poor[last.ContentHash]
		retrained := false
		if last.Verdict == yanshou.Veto {
			if c.RetrainedBy, err = l.retrainedBy(c, out, retrainShare); err != nil {
				return nil, err
			}
			retrained = c.RetrainedBy != ""
		}
		c.State = yanshou.Standing(c.Versions, today, retrained)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Institution != out[b].Institution {
			return out[a].Institution < out[b].Institution
		}
		return out[a].Start.Before(out[b].Start.Time)
	})
	return out, nil
}

// poorTrained counts the trained poor-household members of every version, by
// content: one pass over the trainees for a whole list of classes.
func (l *Ledger) poorTrained() (map[string]int, error) {
	rows, err := l.db.Query(`SELECT content_hash, COUNT(*) FROM trainees WHERE trained=1 AND poor=1 GROUP BY content_hash`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var h string
		var n int
		if err := rows.Scan(&h, &n); err != nil {
			return nil, err
		}
		out[h] = n
	}
	return out, rows.Err()
}

func (l *Ledger) count(q string, args ...any) (int, error) {
	var n int
	err := l.db.QueryRow(q, args...).Scan(&n)
	return n, err
}

// retrainedBy names the later passed class of the same institution that trained
// at least share of the vetoed class's roster, or "".
func (l *Ledger) retrainedBy(vetoed *yanshou.ClassRecord, all []yanshou.ClassRecord, share float64) (string, error) {
	roster, err := l.count(`SELECT COUNT(*) FROM trainees WHERE content_hash=?`, vetoed.Latest().ContentHash)
	if err != nil || roster == 0 {
		return "", err
	}
	for i := range all {
		c := &all[i]
		last := c.Latest()
		if c.ID == vetoed.ID || c.Institution != vetoed.Institution || last.Verdict != yanshou.Pass || !c.Start.After(vetoed.Start.Time) {
			continue
		}
		n, err := l.count(`SELECT COUNT(*) FROM trainees a JOIN trainees b ON a.id_number = b.id_number
			WHERE a.content_hash=? AND b.content_hash=? AND b.trained=1`, vetoed.Latest().ContentHash, last.ContentHash)
		if err != nil {
			return "", err
		}
		if float64(n) >= share*float64(roster) {
			return fmt.Sprintf("%s %s（%s）", c.Institution, c.Class, c.Start), nil
		}
	}
	return "", nil
}

func parseDate(s string, loc *time.Location) yanshou.Date {
	if s == "" {
		return yanshou.Date{}
	}
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return yanshou.Date{}
	}
	return yanshou.Date{Time: t}
}

// TrainedByCategory counts the trained trainees of the given versions by
// category (学员类别; "" when not given), and how many of them are poor-household
// members and local residents.
func (l *Ledger) TrainedByCategory(contentHashes []string) (byCategory map[string]int, poor, local int, err error) {
	byCategory = map[string]int{}
	for _, h := range contentHashes {
		rows, err := l.db.Query(`SELECT category, poor, local FROM trainees WHERE content_hash=? AND trained=1`, h)
		if err != nil {
			return nil, 0, 0, err
		}
		for rows.Next() {
			var cat string
			var p, lo bool
			if err := rows.Scan(&cat, &p, &lo); err != nil {
				rows.Close()
				return nil, 0, 0, err
			}
			byCategory[cat]++
			if p {
				poor++
			}
			if lo {
				local++
			}
		}
		rows.Close()
	}
	return byCategory, poor, local, nil
}

// Files returns the files recorded for a version (path, hash, size, kind).
func (l *Ledger) Files(contentHash string) ([]yanshou.File, error) {
	rows, err := l.db.Query(`SELECT rel, sha256, size, kind FROM files WHERE content_hash=? ORDER BY rel`, contentHash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yanshou.File
	for rows.Next() {
		var f yanshou.File
		var kind any
		if err := rows.Scan(&f.Rel, &f.SHA256, &f.Size, &kind); err != nil {
			return nil, err
		}
		if f.Kind, err = storedKind(kind); err != nil {
			return nil, fmt.Errorf("台账 files 表中文件 %s 的材料类别：%w", f.Rel, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Previous returns the newest judged version of submission id older than
// version, with its files, or nil when there is none.
func (l *Ledger) Previous(id string, version int) (*Version, []yanshou.File, error) {
	var hash string
	err := l.db.QueryRow(`SELECT content_hash FROM versions WHERE submission_id=? AND version<? AND done_at IS NOT NULL
		ORDER BY version DESC LIMIT 1`, id, version).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	v, err := lookup(l.db, hash)
	if err != nil {
		return nil, nil, err
	}
	files, err := l.Files(hash)
	return v, files, err
}
