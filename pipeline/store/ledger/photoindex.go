package ledger

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"yanshou"
)

// photoChangesSchema is the change log of the photos table, kept by the
// database itself (triggers), whoever writes: this process, another worker or
// another program on the same outbox. A PhotoIndex reads only the entries after
// the last it has seen. Each content hash keeps one entry, the latest
// (AUTOINCREMENT: a sequence number is never reused), so the log holds at most
// one row per judged version. Deleted photos need no entry: an index that still
// holds them only looks at a few more candidates, which the ledger then drops.
const photoChangesSchema = `
CREATE TABLE IF NOT EXISTS photo_changes (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS photo_changes_content ON photo_changes(content_hash);
CREATE TRIGGER IF NOT EXISTS photo_changes_insert AFTER INSERT ON photos BEGIN
	DELETE FROM photo_changes WHERE content_hash = new.content_hash;
	INSERT INTO photo_changes(content_hash) VALUES (new.content_hash);
END;
CREATE TRIGGER IF NOT EXISTS photo_changes_update AFTER UPDATE ON photos BEGIN
	DELETE FROM photo_changes WHERE content_hash = new.content_hash;
	INSERT INTO photo_changes(content_hash) VALUES (new.content_hash);
END;`

// PhotoIndex is an in-memory copy of the photos recorded in one ledger — their
// SHA-256 and perceptual hashes, with the crop hashes from the hash cache — kept
// current through the ledger's change log, so that PhotosNear finds the few
// photos of other classes that can matter to a class without reading every
// photo of every earlier class (which made a batch quadratic in the number of
// classes). The zero value is ready to use; it is safe for concurrent use.
type PhotoIndex struct {
	mu     sync.Mutex
	ledger *Ledger
	algo   string
	ready  bool
	seq    int64                    // last change-log entry read
	ids    map[string]int32         // content hash → number
	names  []string                 // number → content hash
	photos map[int32][]indexedPhoto // by content hash number
}

// indexedPhoto is one row of the photos table, as compared.
type indexedPhoto struct {
	sum    [32]byte
	sumHex bool // sum holds the recorded SHA-256 (64 hex digits); else see always
	hash   uint64
	crops  []uint64
	// always: the row cannot be ruled out from memory (a sum that is not plain
	// hex, or a perceptual hash whose crops the cache does not confirm, as they
	// may be cached later): it is always handed to the ledger.
	always bool
}

// PhotosNear returns part of what l.PhotosOutside(id) returns, in the same
// order: every photo recorded with one of the SHA-256 sums in sums or for whose
// perceptual hash and crop hashes (from the hash cache of algo, as the pipeline
// attaches them) near returns true, and the other photos of the same versions.
// near must return true for every photo that facts could find reused or
// similar. Only those versions' photos are read from the ledger, which decides,
// as PhotosOutside does, which of them belong to the latest judged version of a
// class registered earlier.
func (x *PhotoIndex) PhotosNear(l *Ledger, algo, id string, sums []string, near func(hash uint64, crops []uint64) bool) ([]yanshou.PriorPhoto, error) {
	want := make(map[[32]byte]bool, len(sums))
	var odd []string // sums that are not 64 hex digits: compared as text by the ledger
	for _, s := range sums {
		if b, ok := decodeSum(s); ok {
			want[b] = true
		} else if s != "" {
			odd = append(odd, s)
		}
	}
	x.mu.Lock()
	if err := x.update(l, algo); err != nil {
		x.mu.Unlock()
		var setup setupError
		if errors.As(err, &setup) {
			// The change log cannot be kept (a read-only ledger, say): every
			// earlier photo is read, as before the index.
			return l.PhotosOutside(id)
		}
		return nil, err
	}
	var among []string
	for n, rows := range x.photos {
		for i := range rows {
			q := &rows[i]
			if q.always || len(odd) > 0 || q.sumHex && want[q.sum] || q.hash != 0 && near(q.hash, q.crops) {
				among = append(among, x.names[n])
				break
			}
		}
	}
	x.mu.Unlock()
	if len(among) == 0 {
		return nil, nil
	}
	return l.photosOutside(id, among)
}

// setupError is a failure to create the change log.
type setupError struct{ error }

// update loads the index on first use (or for another ledger or algorithm) and
// otherwise applies the changes logged since the last call. x.mu is held.
func (x *PhotoIndex) update(l *Ledger, algo string) error {
	if !x.ready || x.ledger != l || x.algo != algo {
		x.ready, x.ledger, x.algo = false, l, algo
		x.ids, x.names, x.photos = map[string]int32{}, nil, map[int32][]indexedPhoto{}
		if _, err := l.db.Exec(photoCacheSchema + photoChangesSchema); err != nil {
			return setupError{fmt.Errorf("photo index: %w", err)}
		}
		// The log position first: a change committed while the photos are read
		// is read again next time.
		if err := l.db.QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM photo_changes`).Scan(&x.seq); err != nil {
			return err
		}
		if err := x.load(nil); err != nil {
			return err
		}
		x.ready = true
		return nil
	}
	rows, err := l.db.Query(`SELECT seq, content_hash FROM photo_changes WHERE seq > ? ORDER BY seq`, x.seq)
	if err != nil {
		return err
	}
	seq := x.seq
	seen := map[string]bool{}
	var changed []string
	for rows.Next() {
		var ch string
		if err := rows.Scan(&seq, &ch); err != nil {
			rows.Close()
			return err
		}
		if !seen[ch] {
			seen[ch] = true
			changed = append(changed, ch)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	const batch = 400
	for start := 0; start < len(changed); start += batch {
		if err := x.load(changed[start:min(start+batch, len(changed))]); err != nil {
			return err
		}
	}
	x.seq = seq
	return nil
}

// load reads the photos of the given content hashes (nil: all) into the index,
// replacing what it held for them.
func (x *PhotoIndex) load(contents []string) error {
	q := `SELECT content_hash, sha256, phash FROM photos`
	var args []any
	if contents != nil {
		q += ` WHERE content_hash IN (?` + strings.Repeat(",?", len(contents)-1) + `)`
		for _, c := range contents {
			args = append(args, c)
			if n, ok := x.ids[c]; ok {
				delete(x.photos, n)
			}
		}
	}
	rows, err := x.ledger.db.Query(q, args...)
	if err != nil {
		return err
	}
	type row struct {
		n    int32
		sum  string
		hash uint64
	}
	var got []row
	for rows.Next() {
		var ch, sum string
		var h int64
		if err := rows.Scan(&ch, &sum, &h); err != nil {
			rows.Close()
			return err
		}
		n, ok := x.ids[ch]
		if !ok {
			n = int32(len(x.names))
			x.ids[ch] = n
			x.names = append(x.names, ch)
		}
		got = append(got, row{n, sum, uint64(h)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var sums []string
	for _, r := range got {
		if r.hash != 0 && r.sum != "" {
			sums = append(sums, r.sum)
		}
	}
	cached, err := x.ledger.CachedHashes(x.algo, sums)
	if err != nil {
		cached = nil // every photo with a hash is then always a candidate
	}
	for _, r := range got {
		p := indexedPhoto{hash: r.hash}
		p.sum, p.sumHex = decodeSum(r.sum)
		p.always = !p.sumHex && r.sum != ""
		if r.hash != 0 {
			// As the pipeline attaches crops: only when the cache holds them for
			// this very hash; a hash without a cache entry may get one later.
			switch hs, ok := cached[r.sum]; {
			case !ok || len(hs) == 0:
				p.always = true
			case hs[0] != r.hash:
				p.always = true
			case len(hs) > 1:
				p.crops = hs[1:]
			}
		}
		x.photos[r.n] = append(x.photos[r.n], p)
	}
	return nil
}

// decodeSum reads a SHA-256 written as 64 hex digits.
func decodeSum(s string) (b [32]byte, ok bool) {
	if len(s) != 64 {
		return b, false
	}
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return b, false
	}
	// Upper-case digits decode too, but compare as text: keep them apart.
	if strings.ToLower(s) != s {
		return b, false
	}
	return b, true
}

// photosOutside is PhotosOutside, limited to the given content hashes when
// among is not nil.
func (l *Ledger) photosOutside(id string, among []string) ([]yanshou.PriorPhoto, error) {
	const q = `SELECT v.submission_id, s.institution || ' ' || s.class, v.version, p.file, p.sha256, p.phash
		FROM photos p JOIN versions v ON v.content_hash = p.content_hash JOIN submissions s ON s.id = v.submission_id
		WHERE v.submission_id <> ? AND v.done_at IS NOT NULL
		  AND s.rowid < (SELECT rowid FROM submissions WHERE id = ?)
		  AND v.version = (SELECT MAX(version) FROM versions w WHERE w.submission_id = v.submission_id AND w.done_at IS NOT NULL)`
	if among == nil {
		return l.queryPrior(q+` ORDER BY v.submission_id, p.file`, id, id)
	}
	var out []yanshou.PriorPhoto
	const batch = 400
	for start := 0; start < len(among); start += batch {
		part := among[start:min(start+batch, len(among))]
		args := []any{id, id}
		for _, c := range part {
			args = append(args, c)
		}
		got, err := l.queryPrior(q+` AND v.content_hash IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	// The order of the whole query (SQLite compares text bytewise, as Go does).
	sort.Slice(out, func(i, j int) bool {
		if out[i].SubmissionID != out[j].SubmissionID {
			return out[i].SubmissionID < out[j].SubmissionID
		}
		return out[i].File < out[j].File
	})
	return out, nil
}

func (l *Ledger) queryPrior(q string, args ...any) ([]yanshou.PriorPhoto, error) {
	rows, err := l.db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []yanshou.PriorPhoto
	for rows.Next() {
		var r yanshou.PriorPhoto
		var h int64
		if err := rows.Scan(&r.SubmissionID, &r.Label, &r.Version, &r.File, &r.SHA256, &h); err != nil {
			return nil, err
		}
		r.Hash = uint64(h)
		out = append(out, r)
	}
	return out, rows.Err()
}
