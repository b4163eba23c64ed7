//go:build !windows

package durable

import (
	"errors"
	"syscall"
)

// isNoSpace reports whether err says the disk (or the user's quota, or the
// file-size limit) is full.
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG)
}
