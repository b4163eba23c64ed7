//go:build !linux

package pipeline

import "errors"

// exchange is not available here: the caller moves the old folder aside.
func exchange(a, b string) error { return errors.ErrUnsupported }
