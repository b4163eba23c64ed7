// Package ledger is the office's record of every submission, version and verdict,
// kept in SQLite (modernc.org/sqlite, pure Go) in the outbox's state folder. A
// version is keyed by the content hash of its files, so the same content checked
// twice is the same version; photo hashes and trained trainees are kept to find
// photos reused and trainees counted in another class.
package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"yanshou"
	"yanshou/pipeline/format/hanzi"
)

const schema = `
CREATE TABLE IF NOT EXISTS submissions (
	id          TEXT PRIMARY KEY,
	institution TEXT NOT NULL,
	class       TEXT NOT NULL,
	start       TEXT NOT NULL,
	end_date    TEXT NOT NULL,
	first_seen  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
	submission_id TEXT NOT NULL REFERENCES submissions(id),
	version       INTEGER NOT NULL,
	content_hash  TEXT NOT NULL UNIQUE,
	origin        TEXT NOT NULL,
	claimed_at    TEXT NOT NULL,
	done_at       TEXT,
	verdict       TEXT,
	deadline      TEXT,
	out_dir       TEXT,
	report_json   TEXT,
	PRIMARY KEY (submission_id, version)
);
CREATE TABLE IF NOT EXISTS photos (
	content_hash TEXT NOT NULL REFERENCES versions(content_hash),
	file         TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	phash        INTEGER NOT NULL,
	PRIMARY KEY (content_hash, file)
);
CREATE TABLE IF NOT EXISTS trainees (
	content_hash TEXT NOT NULL REFERENCES versions(content_hash),
	id_number    TEXT NOT NULL,
	name         TEXT NOT NULL,
	PRIMARY KEY (content_hash, id_number)
);
CREATE INDEX IF NOT EXISTS trainees_id ON trainees(id_number);
`

// migrations bring an older ledger up to date; migrations[i] takes user_version
// i+1 to i+2, each in a transaction of its own. They only add or convert, never
// lose a row: a ledger is the office's record.
var migrations = []func(tx *sql.Tx) error{
	execSQL(`ALTER TABLE submissions ADD COLUMN title TEXT NOT NULL DEFAULT '';
	 ALTER TABLE submissions ADD COLUMN venue TEXT NOT NULL DEFAULT '';
	 ALTER TABLE trainees ADD COLUMN trained INTEGER NOT NULL DEFAULT 1;
	 ALTER TABLE trainees ADD COLUMN poor INTEGER NOT NULL DEFAULT 0;
	 ALTER TABLE trainees ADD COLUMN category TEXT NOT NULL DEFAULT '';
	 ALTER TABLE trainees ADD COLUMN local INTEGER NOT NULL DEFAULT 0;
	 CREATE TABLE IF NOT EXISTS files (
		content_hash TEXT NOT NULL REFERENCES versions(content_hash),
		rel          TEXT NOT NULL,
		sha256       TEXT NOT NULL,
		size         INTEGER NOT NULL,
		kind         INTEGER NOT NULL,
		PRIMARY KEY (content_hash, rel)
	 );`),
	execSQL(`ALTER TABLE versions ADD COLUMN facts_json TEXT NOT NULL DEFAULT '';`),
	kindCodes, // material kinds from iota ordinals to stable codes (kinds.go)
	traineeKeys,
	// The camera's serial number of each photo (photos.same_camera); photos
	// recorded before have none (''), as a photo whose camera writes none.
	execSQL(`ALTER TABLE photos ADD COLUMN serial TEXT NOT NULL DEFAULT '';
	 CREATE INDEX IF NOT EXISTS photos_serial ON photos(serial) WHERE serial <> '';`),
	execSQL(accountsSchema),  // the review desk's users, sessions and login audit (accounts.go)
	execSQL(decisionsSchema), // the office's decisions on findings (decisions.go)
	// The 文号 of the documents the office sends (notices, inspection forms),
	// numbered per year (numbers.go); a ledger written before has issued none.
	execSQL(`CREATE TABLE IF NOT EXISTS doc_numbers (
		year      INTEGER NOT NULL,
		n         INTEGER NOT NULL,
		doc_key   TEXT NOT NULL UNIQUE,
		issued_at TEXT NOT NULL,
		PRIMARY KEY (year, n)
	 );`),
	execSQL(uploadsSchema),     // the classes institutions uploaded through the desk (uploads.go)
	execSQL(headcountsSchema),  // the office's own headcounts of a class's sessions (headcounts.go)
	execSQL(inspectionsSchema), // the office's inspection records, 第十五条 (inspections.go)
	execSQL(finalsSchema),      // the office's final verdicts, stored when decided (finals.go)
}

// traineeKeys adds the phone and the name key (traditional characters made
// simplified) by which a trainee is found in other classes when the ID was
// altered; rows written before keep an empty phone and get their name key.
func traineeKeys(tx *sql.Tx) error {
	if _, err := tx.Exec(`ALTER TABLE trainees ADD COLUMN phone TEXT NOT NULL DEFAULT '';
		ALTER TABLE trainees ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
		CREATE INDEX IF NOT EXISTS trainees_name ON trainees(name_key);`); err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT rowid, name FROM trainees`)
	if err != nil {
		return err
	}
	type row struct {
		id   int64
		name string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.name); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		if _, err := tx.Exec(`UPDATE trainees SET name_key=? WHERE rowid=?`, hanzi.Simplified(r.name), r.id); err != nil {
			return err
		}
	}
	return nil
}

// execSQL is a migration that is a fixed SQL script.
func execSQL(script string) func(tx *sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec(script)
		return err
	}
}

// Ledger is an open ledger database.
type Ledger struct {
	db   *sql.DB
	path string
}

// Version is one recorded version of a submission.
type Version struct {
	SubmissionID string
	Version      int
	ContentHash  string
	Origin       string
	Done         bool
	Verdict      yanshou.Verdict
	Deadline     string
	OutDir       string // relative to the outbox
	ReportJSON   string
	// Facts are the facts the version was judged on (without their evidence);
	// nil until it is done, and for a version recorded before facts were kept.
	Facts *yanshou.Facts
}

// BusyTimeout is how long a statement waits for a lock another process (another
// yanshou, an sqlite3 shell, a backup tool) holds on the database before it
// fails with SQLITE_BUSY. yanshou's own transactions last milliseconds, so a
// wait this long means the database is held by something else.
const BusyTimeout = 10 * time.Second

// Open opens (creating if needed) the ledger in stateDir.
func Open(stateDir string) (*Ledger, error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建状态目录 %s：%w", stateDir, err)
	}
	p := filepath.Join(stateDir, "ledger.db")
	// Write transactions begin IMMEDIATE: a deferred one that read first and then
	// needs the write lock held by another process fails at once (SQLITE_BUSY
	// without waiting, to avoid a deadlock), so busy_timeout would never apply.
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_txlock=immediate",
		p, BusyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("台账数据库 %s 无法打开：%w", p, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("台账数据库 %s 无法打开：%w", p, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("台账数据库 %s 无法升级：%w", p, err)
	}
	return &Ledger{db: db, path: p}, nil
}

func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return err
	}
	if v == 0 {
		v = 1 // the base schema
	}
	for ; v-1 < len(migrations); v++ {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if err := migrations[v-1](tx); err != nil {
			tx.Rollback()
			return fmt.Errorf("第 %d 步升级（版本 %d → %d）：%w", v, v, v+1, err)
		}
		if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (l *Ledger) Close() error { return l.db.Close() }

// Path returns the database file.
func (l *Ledger) Path() string { return l.path }

// SubmissionID is the stable id of a class: the same institution, class and dates
// give the same id, so a resubmission becomes a new version of it. Without a
// manifest the id comes from where the submission was found. It is printed in
// Crockford's base 32 (digits and letters without I, L, O and U), so that no
// character of it is read for another on paper (O for 0, I for 1). Ledgers
// written before hold ids in base 36 (LegacySubmissionID); ID finds them.
func SubmissionID(c *yanshou.ClassInfo, origin string) string {
	return "S" + formatCrockford(fnv64(classKey(c, origin)))
}

// LegacySubmissionID is the id of a class as ledgers written before
// SubmissionID changed alphabet recorded it: the same hash in base 36.
func LegacySubmissionID(c *yanshou.ClassInfo, origin string) string {
	return "S" + strings.ToUpper(fmt.Sprintf("%013s", formatBase36(fnv64(classKey(c, origin)))))
}

// ID is the id of a class in this ledger: its legacy id when the ledger
// already holds the class under it (its versions and numbers stay one
// history), else SubmissionID.
func (l *Ledger) ID(c *yanshou.ClassInfo, origin string) (string, error) {
	legacy := LegacySubmissionID(c, origin)
	var n int
	if err := l.db.QueryRow(`SELECT COUNT(*) FROM submissions WHERE id=?`, legacy).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return legacy, nil
	}
	return SubmissionID(c, origin), nil
}

// classKey is what a class's id is the hash of.
func classKey(c *yanshou.ClassInfo, origin string) string {
	if c != nil && c.Institution != "" && !c.Start.IsZero() {
		return strings.Join([]string{c.Institution, c.Class, c.Start.String(), c.End.String()}, "|")
	}
	return "origin|" + origin
}

// fnv64 is FNV-1a 64: short, stable, no new dependency.
func fnv64(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// formatCrockford writes v in 13 digits of Crockford's base 32.
func formatCrockford(v uint64) string {
	const digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 13)
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = digits[v%32]
		v /= 32
	}
	return string(b)
}

func formatBase36(v uint64) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	if v == 0 {
		return "0"
	}
	var b []byte
	for v > 0 {
		b = append([]byte{digits[v%36]}, b...)
		v /= 36
	}
	return string(b)
}

// Claim records that the content is being judged and returns its version: the
// existing one when this content was seen before (Done tells whether its verdict
// is complete), else the next version number of the submission.
func (l *Ledger) Claim(id string, c *yanshou.ClassInfo, contentHash, origin string, now time.Time) (*Version, error) {
	tx, err := l.db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if v, err := lookup(tx, contentHash); err == nil {
		return v, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	inst, class, start, end, title, venue := "", "", "", "", "", ""
	if c != nil {
		inst, class, start, end, title, venue = c.Institution, c.Class, c.Start.String(), c.End.String(), c.Title, c.Venue
	}
	if _, err := tx.Exec(`INSERT INTO submissions(id, institution, class, start, end_date, first_seen, title, venue)
		VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title, venue=excluded.venue`,
		id, inst, class, start, end, now.Format(time.RFC3339), title, venue); err != nil {
		return nil, err
	}
	var n int
	if err := tx.QueryRow(`SELECT COALESCE(MAX(version),0)+1 FROM versions WHERE submission_id=?`, id).Scan(&n); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`INSERT INTO versions(submission_id, version, content_hash, origin, claimed_at) VALUES(?,?,?,?,?)`,
		id, n, contentHash, origin, now.Format(time.RFC3339)); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return &Version{SubmissionID: id, Version: n, ContentHash: contentHash, Origin: origin}, nil
}

type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

func lookup(q queryer, contentHash string) (*Version, error) {
	var v Version
	var done, verdict, deadline, outDir, report, facts sql.NullString
	err := q.QueryRow(`SELECT submission_id, version, content_hash, origin, done_at, verdict, deadline, out_dir, report_json, facts_json
		FROM versions WHERE content_hash=?`, contentHash).Scan(&v.SubmissionID, &v.Version, &v.ContentHash, &v.Origin,
		&done, &verdict, &deadline, &outDir, &report, &facts)
	if err != nil {
		return nil, err
	}
	v.Done = done.Valid
	v.Verdict = yanshou.Verdict(verdict.String)
	v.Deadline, v.OutDir, v.ReportJSON = deadline.String, outDir.String, report.String
	if facts.String != "" {
		v.Facts = &yanshou.Facts{}
		if err := json.Unmarshal([]byte(facts.String), v.Facts); err != nil {
			return nil, fmt.Errorf("ledger: facts of %s v%d: %w", v.SubmissionID, v.Version, err)
		}
	}
	return &v, nil
}

// Lookup returns the version recorded for a content hash, or nil.
func (l *Ledger) Lookup(contentHash string) (*Version, error) {
	v, err := lookup(l.db, contentHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// Complete records a version's verdict, outputs and evidence (photo hashes and
// trained trainees) in one transaction.
func (l *Ledger) Complete(v *Version, r *yanshou.Result, outDir, reportJSON string, now time.Time) error {
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`DELETE FROM photos WHERE content_hash=?`, v.ContentHash); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM trainees WHERE content_hash=?`, v.ContentHash); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM files WHERE content_hash=?`, v.ContentHash); err != nil {
		return err
	}
	for _, f := range r.Submission.Files {
		if _, err := tx.Exec(`INSERT INTO files(content_hash, rel, sha256, size, kind) VALUES(?,?,?,?,?)`,
			v.ContentHash, f.Rel, f.SHA256, f.Size, string(f.Kind)); err != nil {
			return err
		}
	}
	sums := map[string]string{}
	for _, f := range r.Submission.Files {
		sums[f.Rel] = f.SHA256
	}
	for _, p := range r.Photos { // also without a perceptual hash: the SHA-256 still finds an identical file
		if _, err := tx.Exec(`INSERT INTO photos(content_hash, file, sha256, phash, serial) VALUES(?,?,?,?,?)`,
			v.ContentHash, p.File, sums[p.File], int64(p.Hash), p.Serial); err != nil {
			return err
		}
	}
	if r.Attendance != nil {
		for _, t := range r.Attendance.Trainees {
			if t.ID == "" {
				continue
			}
			if _, err := tx.Exec(`INSERT OR IGNORE INTO trainees(content_hash, id_number, name, trained, poor, category, local, phone, name_key)
				VALUES(?,?,?,?,?,?,?,?,?)`, v.ContentHash, t.ID, t.Name, t.Trained, t.Poor, t.Category, t.Local, t.Phone, hanzi.Simplified(t.Name)); err != nil {
				return err
			}
		}
	}
	factsJSON := ""
	if r.Facts != nil {
		f := *r.Facts
		f.Evidence = nil // the evidence is in the report
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		factsJSON = string(b)
	}
	if _, err := tx.Exec(`UPDATE versions SET done_at=?, verdict=?, deadline=?, out_dir=?, report_json=?, facts_json=? WHERE content_hash=?`,
		now.Format(time.RFC3339), string(r.Verdict), r.Deadline.String(), outDir, reportJSON, factsJSON, v.ContentHash); err != nil {
		return err
	}
	return tx.Commit()
}

// PhotosOutside returns the photo hashes of the latest completed version of every
// submission first seen before id: a picture shared by two classes is reuse by the
// later one, so re-judging the earlier class never blames it.
func (l *Ledger) PhotosOutside(id string) ([]yanshou.PriorPhoto, error) {
	return l.photosOutside(id, nil) // the query is in photoindex.go, shared with PhotoIndex
}

// Versions lists every version, newest submission activity last.
func (l *Ledger) Versions() ([]Version, error) {
	rows, err := l.db.Query(`SELECT content_hash FROM versions ORDER BY claimed_at, submission_id, version`)
	if err != nil {
		return nil, err
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, err
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	var out []Version
	for _, h := range hashes {
		v, err := lookup(l.db, h)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}
