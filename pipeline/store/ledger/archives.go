package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"yanshou"
)

// archivesSchema is the table of bound archive copies, created on first use so
// that ledger.go's schema stays as it is.
const archivesSchema = `
CREATE TABLE IF NOT EXISTS archives (
	sha256       TEXT PRIMARY KEY,
	content_hash TEXT NOT NULL,
	holder       TEXT NOT NULL,
	copy_n       INTEGER NOT NULL,
	copies       INTEGER NOT NULL,
	path         TEXT NOT NULL,
	size         INTEGER NOT NULL,
	files_json   TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS archives_content ON archives(content_hash);
`

// Archive is one recorded copy of a bound archive: the hash of its bytes and of
// every original it was made from, so that `yanshou verify` can tell whether the
// copy and the stored originals are still intact.
type Archive struct {
	SHA256      string         // of the archive file
	ContentHash string         // the version it binds
	Holder      string         // who keeps this copy
	Copy, Of    int            // 第Copy份 共Of份
	Path        string         // where it was written, relative to the outbox
	Size        int64          // bytes
	Files       []yanshou.File // the originals (Rel, Size, SHA256, Kind; Abs is not kept)
	Created     time.Time

	// Filled by LookupArchive from the versions and submissions tables (empty
	// when the version is not recorded there).
	SubmissionID string
	Version      int
	Institution  string
	Class        string
	Verdict      yanshou.Verdict
}

// archiveFile is how a file is kept in files_json.
type archiveFile struct {
	Rel    string   `json:"path"`
	Size   int64    `json:"size"`
	SHA256 string   `json:"sha256"`
	Kind   jsonKind `json:"kind"` // a code; an ordinal in a ledger older than schema version 4
}

func (l *Ledger) ensureArchives() error {
	_, err := l.db.Exec(archivesSchema)
	return err
}

// RecordArchive records one written copy. Recording the same bytes again
// replaces the row (the same archive written twice).
func (l *Ledger) RecordArchive(a Archive) error {
	if err := l.ensureArchives(); err != nil {
		return fmt.Errorf("ledger archives: %w", err)
	}
	files := make([]archiveFile, len(a.Files))
	for i, f := range a.Files {
		files[i] = archiveFile{Rel: f.Rel, Size: f.Size, SHA256: f.SHA256, Kind: jsonKind(f.Kind)}
	}
	js, err := json.Marshal(files)
	if err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = time.Now()
	}
	_, err = l.db.Exec(`INSERT OR REPLACE INTO archives(sha256, content_hash, holder, copy_n, copies, path, size, files_json, created_at)
		VALUES(?,?,?,?,?,?,?,?,?)`, a.SHA256, a.ContentHash, a.Holder, a.Copy, a.Of, a.Path, a.Size, string(js),
		a.Created.Format(time.RFC3339))
	return err
}

// LookupArchive returns the copy whose bytes hash to sha256, or nil when the
// ledger has none.
func (l *Ledger) LookupArchive(sha256 string) (*Archive, error) {
	return l.archiveWhere(`a.sha256 = ?`, sha256)
}

// ArchivesOf returns the recorded copies of a version, by copy number.
func (l *Ledger) ArchivesOf(contentHash string) ([]Archive, error) {
	if err := l.ensureArchives(); err != nil {
		return nil, err
	}
	rows, err := l.db.Query(`SELECT sha256 FROM archives WHERE content_hash = ? ORDER BY copy_n`, contentHash)
	if err != nil {
		return nil, err
	}
	var shas []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		shas = append(shas, s)
	}
	rows.Close()
	var out []Archive
	for _, s := range shas {
		a, err := l.LookupArchive(s)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}

func (l *Ledger) archiveWhere(cond string, arg any) (*Archive, error) {
	if err := l.ensureArchives(); err != nil {
		return nil, fmt.Errorf("ledger archives: %w", err)
	}
	var a Archive
	var files, created string
	var sub, inst, class, verdict sql.NullString
	var version sql.NullInt64
	err := l.db.QueryRow(`SELECT a.sha256, a.content_hash, a.holder, a.copy_n, a.copies, a.path, a.size, a.files_json, a.created_at,
			v.submission_id, v.version, v.verdict, s.institution, s.class
		FROM archives a LEFT JOIN versions v ON v.content_hash = a.content_hash
		LEFT JOIN submissions s ON s.id = v.submission_id
		WHERE `+cond, arg).Scan(&a.SHA256, &a.ContentHash, &a.Holder, &a.Copy, &a.Of, &a.Path, &a.Size, &files, &created,
		&sub, &version, &verdict, &inst, &class)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var fs []archiveFile
	if err := json.Unmarshal([]byte(files), &fs); err != nil {
		return nil, fmt.Errorf("ledger archives: files of %s: %w", a.SHA256, err)
	}
	for _, f := range fs {
		a.Files = append(a.Files, yanshou.File{Rel: f.Rel, Size: f.Size, SHA256: f.SHA256, Kind: yanshou.MaterialKind(f.Kind)})
	}
	a.Created, _ = time.Parse(time.RFC3339, created)
	a.SubmissionID, a.Version, a.Verdict = sub.String, int(version.Int64), yanshou.Verdict(verdict.String)
	a.Institution, a.Class = inst.String, class.String
	return &a, nil
}

// Rectified reports whether an earlier completed version of submission id (before
// version) was judged fail or veto: a pass now is archived as 整改后合格.
func (l *Ledger) Rectified(id string, version int) (bool, error) {
	var n int
	err := l.db.QueryRow(`SELECT COUNT(*) FROM versions WHERE submission_id = ? AND version < ?
		AND done_at IS NOT NULL AND verdict IN ('fail', 'veto')`, id, version).Scan(&n)
	return n > 0, err
}
