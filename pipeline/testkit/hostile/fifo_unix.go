//go:build unix

package hostile

import "syscall"

// mkfifo makes a named pipe at p: opening it for reading blocks until a writer
// comes, so a reader that opens it without care hangs.
func mkfifo(p string) error { return syscall.Mkfifo(p, 0o644) }
