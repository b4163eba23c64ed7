package heic

import "golang.org/x/sys/unix"

// limitProcess bounds the running process pid: its address space to mem
// bytes, each file it writes to size bytes (past them the kernel stops it).
// It is set just after the process starts, before it has read its input.
func limitProcess(pid int, mem, size uint64) {
	unix.Prlimit(pid, unix.RLIMIT_AS, &unix.Rlimit{Cur: mem, Max: mem}, nil)
	unix.Prlimit(pid, unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: size, Max: size}, nil)
}
