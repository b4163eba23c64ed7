package ledger

import (
	"errors"
	"strings"
	"time"

	"yanshou"
)

// uploadsSchema is the migration that adds the classes institutions uploaded
// through the review desk. The token is the client's (the upload form's):
// the same token twice is one upload, so a browser's retry lands once.
const uploadsSchema = `
CREATE TABLE IF NOT EXISTS uploads (
	token       TEXT PRIMARY KEY,
	login       TEXT NOT NULL REFERENCES users(login),
	institution TEXT NOT NULL,
	rel         TEXT NOT NULL,
	name        TEXT NOT NULL,
	bytes       INTEGER NOT NULL,
	files       INTEGER NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_institution ON uploads(institution, at);
`

// Upload is one class an institution uploaded through the desk, with what
// became of it: queued until the intake judged it, then its class and verdict.
type Upload struct {
	Token       string
	Login       string
	Institution string
	Rel         string // where it landed, relative to the inbox: <institution>/<folder> (or .zip); empty while it is being put there
	Name        string // the folder or zip name the institution chose
	Bytes       int64
	Files       int
	At          time.Time
	// The version the intake made of it, once claimed: ClassID and Version
	// set; Done with its Verdict once judged.
	ClassID string
	Version int
	Done    bool
	Verdict yanshou.Verdict
}

// ErrNoInstitution is returned when an upload is recorded for an account that
// is not an institution's.
var ErrNoInstitution = errors.New("只有培训机构账号可以上传班次材料")

// RecordUpload records an upload by u under its client token before it lands
// in the inbox (UploadLanded then says where). It reports false when the token
// was already recorded (the same upload again, which must not land twice).
func (l *Ledger) RecordUpload(u *User, token, name string, bytes int64, files int, now time.Time) (bool, error) {
	if u == nil || u.Role != RoleInstitution || u.Institution == "" || u.Disabled {
		return false, ErrNoInstitution
	}
	res, err := l.db.Exec(`INSERT OR IGNORE INTO uploads(token, login, institution, rel, name, bytes, files, at) VALUES(?,?,?,?,?,?,?,?)`,
		token, u.Login, u.Institution, "", name, bytes, files, rfc(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UploadLanded records where in the inbox the upload with this token landed.
func (l *Ledger) UploadLanded(token, rel string) error {
	_, err := l.db.Exec(`UPDATE uploads SET rel=? WHERE token=?`, rel, token)
	return err
}

// UploadSeen reports whether an upload with this token was recorded.
func (l *Ledger) UploadSeen(token string) (bool, error) {
	var n int
	err := l.db.QueryRow(`SELECT COUNT(*) FROM uploads WHERE token=?`, token).Scan(&n)
	return n > 0, err
}

// ForgetUpload removes the record of an upload that could not be put into the
// inbox, so that the institution's retry is taken.
func (l *Ledger) ForgetUpload(token string) error {
	_, err := l.db.Exec(`DELETE FROM uploads WHERE token=?`, token)
	return err
}

// Uploads returns the uploads scope sees, newest first, each with the version
// the intake made of it when there is one the scope also sees. A version is
// matched by its origin: the inbox path ending in the upload's place.
func (l *Ledger) Uploads(scope Scope) ([]Upload, error) {
	if !scope.All && scope.Institution == "" {
		return nil, nil
	}
	rows, err := l.db.Query(`SELECT token, login, institution, rel, name, bytes, files, at FROM uploads
		WHERE ? OR institution=? ORDER BY at DESC, rowid DESC`, scope.All, scope.Institution)
	if err != nil {
		return nil, err
	}
	var out []Upload
	for rows.Next() {
		var u Upload
		var at string
		if err := rows.Scan(&u.Token, &u.Login, &u.Institution, &u.Rel, &u.Name, &u.Bytes, &u.Files, &at); err != nil {
			rows.Close()
			return nil, err
		}
		u.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	landed, err := l.landed()
	if err != nil {
		return nil, err
	}
	for i := range out {
		landed.match(scope, &out[i])
	}
	return out, nil
}

// landedVersion is one version as uploads are matched to it: by the end of
// its origin, the path the intake took it from.
type landedVersion struct {
	id, inst, verdict string
	version           int
	claimed           time.Time
	done              bool
}

// landedIndex is every version of the ledger by the last components of its
// origin (separators made '/'), for as many components as an upload's place
// has: one pass over the versions for a whole list of uploads.
type landedIndex struct {
	origins []string // with '/' separators
	all     []landedVersion
	tails   map[int]map[string][]int // components → tail → indexes into all
}

// landed reads the versions' origins once (not their reports).
func (l *Ledger) landed() (*landedIndex, error) {
	rows, err := l.db.Query(`SELECT v.submission_id, v.version, s.institution, v.origin, v.claimed_at, COALESCE(v.done_at,''), COALESCE(v.verdict,'')
		FROM versions v JOIN submissions s ON s.id = v.submission_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	x := &landedIndex{tails: map[int]map[string][]int{}}
	for rows.Next() {
		var v landedVersion
		var origin, claimed, done string
		if err := rows.Scan(&v.id, &v.version, &v.inst, &origin, &claimed, &done, &v.verdict); err != nil {
			return nil, err
		}
		if v.claimed, err = time.Parse(time.RFC3339, claimed); err != nil {
			continue // never matched, as before: a version without a readable claim time
		}
		v.done = done != ""
		x.all = append(x.all, v)
		x.origins = append(x.origins, strings.ReplaceAll(origin, `\`, "/"))
	}
	return x, rows.Err()
}

// tail is the last n '/'-separated components of p, or "" when p has fewer.
func tail(p string, n int) string {
	i := len(p)
	for ; n > 0; n-- {
		j := strings.LastIndexByte(p[:i], '/')
		if n == 1 {
			return p[j+1:]
		}
		if j < 0 {
			return ""
		}
		i = j
	}
	return ""
}

// match sets u's class and version: the latest version whose origin ends in
// u's place (the path ends in /<rel> with either separator, or is <rel>) and
// that was claimed after the upload (an older folder of the same name
// elsewhere is not it), when scope sees its institution.
func (x *landedIndex) match(scope Scope, u *Upload) {
	if u.Rel == "" {
		return
	}
	rel := strings.ReplaceAll(u.Rel, `\`, "/")
	n := strings.Count(rel, "/") + 1
	byTail, ok := x.tails[n]
	if !ok {
		byTail = map[string][]int{}
		for i, o := range x.origins {
			if t := tail(o, n); t != "" {
				byTail[t] = append(byTail[t], i)
			}
		}
		x.tails[n] = byTail
	}
	var best *landedVersion
	for _, i := range byTail[rel] {
		v := &x.all[i]
		if v.claimed.Before(u.At) || best != nil && !v.claimed.After(best.claimed) {
			continue
		}
		best = v
	}
	if best == nil || !scope.sees(best.inst) {
		// none yet, or the sheet names another institution: not this account's to open
		return
	}
	u.ClassID, u.Version, u.Done, u.Verdict = best.id, best.version, best.done, yanshou.Verdict(best.verdict)
}
