package ledger

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"yanshou"
)

// legacyKinds is how a ledger before schema version 4 numbered the material
// kinds: the iota order of the old MaterialKind int constants, frozen here
// because the constants no longer carry it. Never edit it.
var legacyKinds = []yanshou.MaterialKind{
	0:  yanshou.Other,
	1:  yanshou.Application,
	2:  yanshou.Approval,
	3:  yanshou.Notice,
	4:  yanshou.Courseware,
	5:  yanshou.SitePhotos,
	6:  yanshou.GroupPhoto,
	7:  yanshou.Roster,
	8:  yanshou.SignInSheets,
	9:  yanshou.Content,
	10: yanshou.FollowUp,
	11: yanshou.Summary,
	12: yanshou.Manifest,
}

// legacyKind returns the code of an old ordinal, and false for a number the old
// code never wrote.
func legacyKind(n int64) (yanshou.MaterialKind, bool) {
	if n < 0 || n >= int64(len(legacyKinds)) {
		return "", false
	}
	return legacyKinds[n], true
}

// storedKind reads a kind as the ledger holds it: a code, or (written by a
// yanshou older than schema version 4 into a newer ledger) an old ordinal.
func storedKind(v any) (yanshou.MaterialKind, error) {
	switch v := v.(type) {
	case int64:
		if k, ok := legacyKind(v); ok {
			return k, nil
		}
		return "", fmt.Errorf("无法识别的材料序号 %d", v)
	case string:
		return codeOrOrdinal(v)
	case []byte:
		return codeOrOrdinal(string(v))
	}
	return "", fmt.Errorf("无法识别的材料类别 %v", v)
}

func codeOrOrdinal(s string) (yanshou.MaterialKind, error) {
	if k, ok := yanshou.ParseMaterialKind(s); ok {
		return k, nil
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		return storedKind(n)
	}
	return "", fmt.Errorf("无法识别的材料代码 %q", s)
}

// jsonKind is a kind in archives.files_json: written as its code, read as a code
// or an old ordinal.
type jsonKind yanshou.MaterialKind

// UnmarshalJSON accepts "group_photo" and, from an older ledger, 6.
func (k *jsonKind) UnmarshalJSON(b []byte) error {
	var v any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return err
	}
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		if err != nil {
			return fmt.Errorf("无法识别的材料序号 %s", n)
		}
		v = i
	}
	kind, err := storedKind(v)
	*k = jsonKind(kind)
	return err
}

// kindCodes is the migration to schema version 4: files.kind and the kinds in
// archives.files_json from the old ordinals to the stable codes. The files
// table is copied into one whose kind column is TEXT; an ordinal the old code
// never wrote stops the migration (the transaction is rolled back and the
// ledger stays as it was). Rows already holding a code are kept, so running it
// over a converted ledger changes nothing.
func kindCodes(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT content_hash, rel, sha256, size, kind FROM files`)
	if err != nil {
		return err
	}
	type fileRow struct {
		hash, rel, sha string
		size           int64
		kind           yanshou.MaterialKind
	}
	var files []fileRow
	for rows.Next() {
		var f fileRow
		var kind any
		if err := rows.Scan(&f.hash, &f.rel, &f.sha, &f.size, &kind); err != nil {
			rows.Close()
			return err
		}
		if f.kind, err = storedKind(kind); err != nil {
			rows.Close()
			return fmt.Errorf("files 表中文件 %s（内容 %.12s…）的材料类别：%w，台账未改动", f.rel, f.hash, err)
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(`CREATE TABLE files_codes (
		content_hash TEXT NOT NULL REFERENCES versions(content_hash),
		rel          TEXT NOT NULL,
		sha256       TEXT NOT NULL,
		size         INTEGER NOT NULL,
		kind         TEXT NOT NULL,
		PRIMARY KEY (content_hash, rel)
	)`); err != nil {
		return err
	}
	for _, f := range files {
		if _, err := tx.Exec(`INSERT INTO files_codes(content_hash, rel, sha256, size, kind) VALUES(?,?,?,?,?)`,
			f.hash, f.rel, f.sha, f.size, string(f.kind)); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`DROP TABLE files; ALTER TABLE files_codes RENAME TO files`); err != nil {
		return err
	}
	return archiveKindCodes(tx)
}

// archiveKindCodes rewrites the kinds of archives.files_json as codes. The
// archives table is created on first use, so an older ledger may have none.
func archiveKindCodes(tx *sql.Tx) error {
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='archives'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	rows, err := tx.Query(`SELECT sha256, files_json FROM archives`)
	if err != nil {
		return err
	}
	updated := map[string]string{}
	for rows.Next() {
		var sha, js string
		if err := rows.Scan(&sha, &js); err != nil {
			rows.Close()
			return err
		}
		var fs []archiveFile
		if err := json.Unmarshal([]byte(js), &fs); err != nil {
			rows.Close()
			return fmt.Errorf("archives 表中归档册 %.16s 的文件清单：%w，台账未改动", sha, err)
		}
		b, err := json.Marshal(fs)
		if err != nil {
			rows.Close()
			return err
		}
		if string(b) != js {
			updated[sha] = string(b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for sha, js := range updated {
		if _, err := tx.Exec(`UPDATE archives SET files_json=? WHERE sha256=?`, js, sha); err != nil {
			return err
		}
	}
	return nil
}
