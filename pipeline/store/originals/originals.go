// Package originals keeps the exact bytes a verdict was made from, stored by
// content in the state folder (outbox/.yanshou/originals/ab/cdef…): the same
// bytes are stored once, an object is never overwritten, and every object can be
// checked against the SHA-256 it is named after, so the office can always show
// what was judged even after an institution edits or deletes its folder.
package originals

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/durable"
)

// ErrCorrupt is wrapped by errors about an object whose bytes no longer match
// the SHA-256 it is stored under.
var ErrCorrupt = errors.New("原件存档已损坏")

// ErrChanged is wrapped by errors about a source file whose bytes changed
// between being hashed and being stored.
var ErrChanged = errors.New("文件在存档时已被修改")

const tmpPrefix = ".tmp-"

// Path returns where the object with hex SHA-256 sha lives under dir.
func Path(dir, sha string) string {
	if len(sha) < 3 {
		return filepath.Join(dir, sha)
	}
	return filepath.Join(dir, sha[:2], sha[2:])
}

// validSHA reports whether s is a lower-case hex SHA-256.
func validSHA(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Store copies each file's exact bytes (read from File.Abs) into dir under its
// SHA-256. An object that already exists is left untouched (same bytes, stored
// once); a new object is written to a temporary file, synced, checked against
// File.SHA256 and only then linked into place. A file whose bytes no longer
// match its recorded hash is not stored and its error wraps ErrChanged. Every
// file is tried; the errors of those that failed are joined.
func Store(dir string, files []yanshou.File) error {
	var errs []error
	done := map[string]bool{}
	for _, f := range files {
		if done[f.SHA256] {
			continue
		}
		if err := storeOne(dir, f); err != nil {
			errs = append(errs, err)
			continue
		}
		done[f.SHA256] = true
	}
	return errors.Join(errs...)
}

func storeOne(dir string, f yanshou.File) error {
	if !validSHA(f.SHA256) {
		return fmt.Errorf("文件 %s 的校验值 %q 不是 SHA-256，未存档", f.Rel, f.SHA256)
	}
	final := Path(dir, f.SHA256)
	if st, err := os.Lstat(final); err == nil {
		if st.Mode().IsRegular() && st.Size() == f.Size {
			return nil // stored before: never overwritten
		}
		// Wrong size or not a file: keep it aside as evidence, store afresh.
		aside := fmt.Sprintf("%s.corrupt-%d", final, time.Now().UnixNano())
		if err := os.Rename(final, aside); err != nil {
			return fmt.Errorf("%w：%s（%v）", ErrCorrupt, final, err)
		}
	}
	sub := filepath.Dir(final)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return fmt.Errorf("无法创建原件存档目录 %s：%w", sub, err)
	}
	src, err := os.Open(f.Abs)
	if err != nil {
		return fmt.Errorf("无法读取文件 %s：%w", f.Rel, err)
	}
	defer src.Close()
	// Read-only, so that an editor pointed at the store cannot change an
	// original; never replacing an object placed meanwhile by another writer
	// (with the same bytes: it has the same name).
	err = durable.WriteNew(final, 0o444, func(w io.Writer) error {
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), src)
		if err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
			return fmt.Errorf("%w：%s（登记时 SHA-256 %s，存档时读到 %s，%d 字节）", ErrChanged, f.Rel, f.SHA256[:12], got[:12], n)
		}
		return nil
	})
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil
	case errors.Is(err, ErrChanged):
		return errors.Unwrap(err) // the finding as it was, without "写入 … 失败"
	case err != nil:
		return fmt.Errorf("存档文件 %s 失败：%w", f.Rel, err)
	}
	return nil
}

// Verify re-reads the object stored under sha and checks its bytes. A missing
// object gives an error wrapping fs.ErrNotExist; a changed one wraps ErrCorrupt.
func Verify(dir, sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("%q 不是 SHA-256", sha)
	}
	p := Path(dir, sha)
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("原件 %s：%w", sha, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("原件 %s 无法读取：%w", p, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("%w：%s 的内容 SHA-256 为 %s", ErrCorrupt, p, got)
	}
	return nil
}

// List returns the SHA-256 of every object stored under dir, skipping
// temporary files and objects set aside as corrupt.
func List(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipAll
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		sha := strings.ReplaceAll(filepath.ToSlash(rel), "/", "")
		if validSHA(sha) {
			out = append(out, sha)
		}
		return nil
	})
	return out, err
}

// Sweep removes temporary files left under dir by a store that was interrupted
// (a crash or kill -9) and are older than age. Objects are never touched.
func Sweep(dir string, age time.Duration) error {
	cutoff := time.Now().Add(-age)
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() && (strings.HasPrefix(d.Name(), tmpPrefix) || durable.Partial(d.Name())) {
			if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) {
				return os.Remove(p)
			}
		}
		return nil
	})
}
