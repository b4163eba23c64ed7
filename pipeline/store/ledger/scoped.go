package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"yanshou"
)

// Scope is the part of the ledger a reader may see. Every query of the review
// desk takes one, made from the logged-in user (User.Scope), never from the
// request: an institution's account sees its own classes and their files only.
type Scope struct {
	All         bool   // the county office: every class
	Institution string // an institution: its own classes
}

// sees reports whether the scope covers a class of institution inst.
func (s Scope) sees(inst string) bool {
	return s.All || s.Institution != "" && s.Institution == inst
}

// classInScope returns the institution of class id and whether scope sees
// it; false (no error) when there is no such class — the caller cannot tell
// which, so another institution's class ids reveal nothing.
func (l *Ledger) classInScope(scope Scope, id string) (string, bool, error) {
	var inst string
	err := l.db.QueryRow(`SELECT institution FROM submissions WHERE id=?`, id).Scan(&inst)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return inst, scope.sees(inst), nil
}

// ScopedClasses is Classes limited to what scope sees.
func (l *Ledger) ScopedClasses(scope Scope, today time.Time, loc *time.Location, retrainShare float64) ([]yanshou.ClassRecord, error) {
	return l.classes(scope, today, loc, retrainShare, true)
}

// ScopedClassList is ScopedClasses for a list of classes: the versions carry
// neither their reports nor their facts (VersionReport reads one when it is
// needed), which is what makes a list of a thousand classes quick.
func (l *Ledger) ScopedClassList(scope Scope, today time.Time, loc *time.Location, retrainShare float64) ([]yanshou.ClassRecord, error) {
	return l.classes(scope, today, loc, retrainShare, false)
}

// VersionReport returns the report and the facts of version n of class id,
// or false when there is no such judged version or scope does not see it (the
// caller cannot tell which). The facts are nil when the version kept none.
func (l *Ledger) VersionReport(scope Scope, id string, n int) (yanshou.Report, *yanshou.Facts, bool, error) {
	var inst string
	var report, facts sql.NullString
	err := l.db.QueryRow(`SELECT s.institution, v.report_json, v.facts_json FROM submissions s JOIN versions v ON v.submission_id = s.id
		WHERE s.id=? AND v.version=? AND v.done_at IS NOT NULL`, id, n).Scan(&inst, &report, &facts)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !scope.sees(inst) {
		return yanshou.Report{}, nil, false, nil
	}
	if err != nil {
		return yanshou.Report{}, nil, false, err
	}
	rep, err := parseReport(report.String)
	if err != nil {
		return rep, nil, false, err
	}
	var f *yanshou.Facts
	if facts.String != "" {
		f = &yanshou.Facts{}
		if err := json.Unmarshal([]byte(facts.String), f); err != nil {
			return rep, nil, false, fmt.Errorf("ledger: facts of %s v%d: %w", id, n, err)
		}
	}
	return rep, f, true, nil
}

// ScopedClass returns one class with its history, or nil when there is no such
// class or scope does not see it (the caller cannot tell which).
func (l *Ledger) ScopedClass(scope Scope, id string, today time.Time, loc *time.Location, retrainShare float64) (*yanshou.ClassRecord, error) {
	inst, ok, err := l.classInScope(scope, id)
	if !ok || err != nil {
		return nil, err
	}
	all, err := l.classes(Scope{Institution: inst}, today, loc, retrainShare, true) // retraining is judged within the institution
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, nil
}

// StoredFile is one file of a judged version as the ledger knows it: its path
// inside the submission and the SHA-256 under which the originals store keeps it.
type StoredFile struct {
	Rel    string
	SHA256 string
	Size   int64
	Kind   yanshou.MaterialKind
}

// ScopedFiles returns the files of one judged version of a class, by path, or
// nil when scope does not see the class. Photos are the files of the photo
// kinds (site and group photos).
func (l *Ledger) ScopedFiles(scope Scope, id string, version int) ([]StoredFile, error) {
	rows, err := l.db.Query(`SELECT s.institution, f.rel, f.sha256, f.size, f.kind
		FROM submissions s JOIN versions v ON v.submission_id = s.id JOIN files f ON f.content_hash = v.content_hash
		WHERE s.id=? AND v.version=? AND v.done_at IS NOT NULL ORDER BY f.rel`, id, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredFile
	for rows.Next() {
		var inst, kind string
		var f StoredFile
		if err := rows.Scan(&inst, &f.Rel, &f.SHA256, &f.Size, &kind); err != nil {
			return nil, err
		}
		if !scope.sees(inst) {
			return nil, nil
		}
		f.Kind = yanshou.MaterialKind(kind)
		out = append(out, f)
	}
	return out, rows.Err()
}

// IsPhoto reports whether a stored file is a site or group photo (by kind and
// extension: a video among the site photos is not).
func (f StoredFile) IsPhoto() bool {
	if f.Kind != yanshou.SitePhotos && f.Kind != yanshou.GroupPhoto {
		return false
	}
	switch ext := strings.ToLower(f.Rel[strings.LastIndex(f.Rel, ".")+1:]); ext {
	case "jpg", "jpeg", "png":
		return true
	}
	return false
}
