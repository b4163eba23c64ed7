package ledger

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// photoCacheSchema is the perceptual-hash cache: one row per file content
// (SHA-256) and hash algorithm holding the photo's hashes (the whole picture
// and its standard crops, 8 bytes each, big-endian), so that checking the same
// photo again — in a re-check, a resubmission or another class — does not
// decode it again, and so that a photo of another class can be compared by its
// crops too.
const photoCacheSchema = `
CREATE TABLE IF NOT EXISTS photo_hash_cache (
	sha256 TEXT NOT NULL,
	algo   TEXT NOT NULL,
	hashes BLOB NOT NULL,
	PRIMARY KEY (sha256, algo)
);`

// CachedHashes returns the cached perceptual hashes (computed with algo) of the
// files with the given SHA-256 sums; sums not in the cache are absent.
func (l *Ledger) CachedHashes(algo string, sums []string) (map[string][]uint64, error) {
	out := map[string][]uint64{}
	if _, err := l.db.Exec(photoCacheSchema); err != nil {
		return nil, fmt.Errorf("photo hash cache: %w", err)
	}
	const batch = 500
	for start := 0; start < len(sums); start += batch {
		part := sums[start:min(start+batch, len(sums))]
		args := []any{algo}
		for _, s := range part {
			args = append(args, s)
		}
		rows, err := l.db.Query(`SELECT sha256, hashes FROM photo_hash_cache WHERE algo = ? AND sha256 IN (?`+
			strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("photo hash cache: %w", err)
		}
		for rows.Next() {
			var s string
			var b []byte
			if err := rows.Scan(&s, &b); err != nil {
				rows.Close()
				return nil, err
			}
			if len(b) >= 8 && len(b)%8 == 0 {
				hs := make([]uint64, len(b)/8)
				for i := range hs {
					hs[i] = binary.BigEndian.Uint64(b[8*i:])
				}
				out[s] = hs
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CacheHashes records perceptual hashes (computed with algo) by file SHA-256.
// Empty sets, sets whose first hash is zero (none computed) and empty sums are
// skipped.
func (l *Ledger) CacheHashes(algo string, hashes map[string][]uint64) error {
	if len(hashes) == 0 {
		return nil
	}
	tx, err := l.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(photoCacheSchema); err != nil {
		return fmt.Errorf("photo hash cache: %w", err)
	}
	for s, hs := range hashes {
		if s == "" || len(hs) == 0 || hs[0] == 0 {
			continue
		}
		b := make([]byte, 0, 8*len(hs))
		for _, h := range hs {
			b = binary.BigEndian.AppendUint64(b, h)
		}
		if _, err := tx.Exec(`INSERT OR REPLACE INTO photo_hash_cache(sha256, algo, hashes) VALUES(?,?,?)`, s, algo, b); err != nil {
			return fmt.Errorf("photo hash cache: %w", err)
		}
	}
	return tx.Commit()
}
