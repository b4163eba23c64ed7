package ledger

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// textCacheSchema is the document-text cache: the text of a document's first
// pages (one string per page; an empty page for a scan), by file content
// (SHA-256) and reader version, so that a re-check or a batch reads no
// document again.
const textCacheSchema = `
CREATE TABLE IF NOT EXISTS doc_text_cache (
	sha256 TEXT NOT NULL,
	algo   TEXT NOT NULL,
	pages  TEXT NOT NULL,
	ocr    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (sha256, algo)
);`

// CachedText returns the cached pages of the document with SHA-256 sha, read
// by the reader version algo, and whether OCR read them; ok is false when not
// cached.
func (l *Ledger) CachedText(algo, sha string) (pages []string, ocr, ok bool, err error) {
	if _, err := l.db.Exec(textCacheSchema); err != nil {
		return nil, false, false, fmt.Errorf("document text cache: %w", err)
	}
	var js string
	err = l.db.QueryRow(`SELECT pages, ocr FROM doc_text_cache WHERE sha256 = ? AND algo = ?`, sha, algo).Scan(&js, &ocr)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, fmt.Errorf("document text cache: %w", err)
	}
	if err := json.Unmarshal([]byte(js), &pages); err != nil {
		return nil, false, false, nil // a damaged row is read again
	}
	return pages, ocr, true, nil
}

// CacheText records the pages of the document with SHA-256 sha (ocr: read by OCR).
func (l *Ledger) CacheText(algo, sha string, pages []string, ocr bool) error {
	if _, err := l.db.Exec(textCacheSchema); err != nil {
		return fmt.Errorf("document text cache: %w", err)
	}
	js, err := json.Marshal(pages)
	if err != nil {
		return err
	}
	_, err = l.db.Exec(`INSERT OR REPLACE INTO doc_text_cache(sha256, algo, pages, ocr) VALUES(?,?,?,?)`, sha, algo, string(js), ocr)
	return err
}
