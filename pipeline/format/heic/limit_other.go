//go:build !linux

package heic

// limitProcess does nothing where prlimit(2) does not exist: the run is
// bounded by its deadline and its output checked against the header.
func limitProcess(pid int, mem, size uint64) {}
