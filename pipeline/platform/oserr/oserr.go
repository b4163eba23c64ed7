// Package oserr says in Chinese why a file could not be read, in the words an
// institution or the office can act on, without the absolute path (findings
// name the file as the institution sent it).
package oserr

import (
	"errors"
	"io/fs"
)

// Reason is err in Chinese: a missing file, a missing permission, or else the
// operating system's own words without the path.
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
