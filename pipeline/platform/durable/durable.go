// Package durable writes files so that a reader finds either the old content or
// the whole new content, never a part of it, also after a full disk, a power cut
// or kill -9: the bytes go to a temporary file beside the target, which is
// flushed, checked, synced and closed, then renamed into place, and the folder is
// synced so that the rename itself survives a crash (the pattern of restic's
// local backend). A temporary file left by a crash is named ".<name>-*.partial"
// and is never taken for an output.
package durable

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrNoSpace is wrapped by every error caused by a full disk, so that callers
// can say so in words an operator acts on (errors.Is(err, durable.ErrNoSpace)).
var ErrNoSpace = errors.New("磁盘空间不足")

// TempPattern is the os.CreateTemp pattern of the temporary file for a target
// named base; Partial reports whether a file name is such a temporary file.
func TempPattern(base string) string { return "." + base + "-*.partial" }

// Partial reports whether name is a temporary file of this package.
func Partial(name string) bool {
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".partial")
}

// WriteFile writes data to path durably, replacing what was there, with mode perm.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write streams what fill writes into path durably, replacing what was there.
// An error from fill, or from writing, flushing, syncing or closing, leaves path
// as it was and no temporary file behind.
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) error {
	return write(path, perm, fill, os.Rename)
}

// WriteNew is Write for a file that must never be replaced: when path exists it
// returns an error wrapping fs.ErrExist and leaves it untouched. Two writers
// racing for the same path leave one complete file.
func WriteNew(path string, perm fs.FileMode, fill func(w io.Writer) error) error {
	return write(path, perm, fill, placeNew)
}

func write(path string, perm fs.FileMode, fill func(w io.Writer) error, place func(tmp, path string) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	defer func() {
		if err != nil {
			err = wrap(base, err)
		}
	}()
	tmp, err := os.CreateTemp(dir, TempPattern(base))
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // on every path: a no-op once renamed
	// CreateTemp makes 0600: the office's other accounts must read the outputs.
	if err := tmp.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return err
	}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := place(tmpName, path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// placeNew puts tmp at path without ever replacing an existing path: a hard
// link fails when path exists. Where links are not supported (some shared
// folders), it falls back to a rename after checking that path is still absent.
func placeNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s 已存在，未覆盖：%w", filepath.Base(path), fs.ErrExist)
	}
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("%s 已存在，未覆盖：%w", filepath.Base(path), fs.ErrExist)
	}
	return os.Rename(tmp, path)
}

// SyncDir makes a rename or link in dir durable. Where folders cannot be synced
// (Windows, some shared folders) it does nothing: the rename is as durable as
// the file system makes it.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && isNoSpace(err) {
		return err
	}
	return nil
}

// wrap names the file in Chinese and marks a full disk with ErrNoSpace.
func wrap(base string, err error) error {
	if isNoSpace(err) {
		return fmt.Errorf("写入 %s 失败：%w（%w）", base, ErrNoSpace, err)
	}
	return fmt.Errorf("写入 %s 失败：%w", base, err)
}
