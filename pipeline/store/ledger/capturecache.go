package ledger

import (
	"database/sql"
	"errors"
	"fmt"
)

// captureCacheSchema keeps what a cell-by-cell comparison of two photos found,
// by the SHA-256 of the two files (the class's photo, then the other class's)
// and the comparison's algorithm and tolerance: a class judged again (a batch
// under changed rules, a resubmission beside the same earlier classes)
// decodes none of its pairs again.
const captureCacheSchema = `
CREATE TABLE IF NOT EXISTS photo_capture_cache (
	a            TEXT NOT NULL,
	b            TEXT NOT NULL,
	algo         TEXT NOT NULL,
	share        REAL NOT NULL,
	framed       REAL NOT NULL,
	framed_print INTEGER NOT NULL,
	PRIMARY KEY (a, b, algo)
);`

// PhotoPairKey names a compared pair by the SHA-256 of its two files: A the
// class's photo, B the other class's.
type PhotoPairKey struct{ A, B string }

// CachedCapture is what one comparison found (photo.Capture's measures).
type CachedCapture struct {
	Share       float64 // share of the aligned cells agreeing
	Framed      float64 // share of the framed picture's cells agreeing (0: none)
	FramedPrint bool    // the framed picture is a print's
}

// CachedCaptures returns the comparisons recorded under algo for pairs.
func (l *Ledger) CachedCaptures(algo string, pairs []PhotoPairKey) (map[PhotoPairKey]CachedCapture, error) {
	out := map[PhotoPairKey]CachedCapture{}
	if len(pairs) == 0 {
		return out, nil
	}
	if _, err := l.db.Exec(captureCacheSchema); err != nil {
		return nil, fmt.Errorf("photo capture cache: %w", err)
	}
	stmt, err := l.db.Prepare(`SELECT share, framed, framed_print FROM photo_capture_cache WHERE a = ? AND b = ? AND algo = ?`)
	if err != nil {
		return nil, fmt.Errorf("photo capture cache: %w", err)
	}
	defer stmt.Close()
	for _, k := range pairs {
		var c CachedCapture
		var print int
		switch err := stmt.QueryRow(k.A, k.B, algo).Scan(&c.Share, &c.Framed, &print); {
		case err == nil:
			c.FramedPrint = print != 0
			out[k] = c
		case errors.Is(err, sql.ErrNoRows):
		default:
			return nil, fmt.Errorf("photo capture cache: %w", err)
		}
	}
	return out, nil
}

// CacheCaptures records comparisons made under algo. Pairs with an empty
// SHA-256 are skipped.
func (l *Ledger) CacheCaptures(algo string, found map[PhotoPairKey]CachedCapture) error {
	if len(found) == 0 {
		return nil
	}
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(captureCacheSchema); err != nil {
		return fmt.Errorf("photo capture cache: %w", err)
	}
	for k, c := range found {
		if k.A == "" || k.B == "" {
			continue
		}
		print := 0
		if c.FramedPrint {
			print = 1
		}
		if _, err := tx.Exec(`INSERT OR REPLACE INTO photo_capture_cache(a, b, algo, share, framed, framed_print) VALUES(?,?,?,?,?,?)`,
			k.A, k.B, algo, c.Share, c.Framed, print); err != nil {
			return fmt.Errorf("photo capture cache: %w", err)
		}
	}
	return tx.Commit()
}
