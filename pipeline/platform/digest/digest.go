// Package digest computes the SHA-256 that identifies a file's exact bytes
// everywhere in yanshou: in the inventory, the originals store, the ledger and
// the hash lists printed in every generated document.
package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// File returns the lower-case hex SHA-256 of the file at path and its size.
func File(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
