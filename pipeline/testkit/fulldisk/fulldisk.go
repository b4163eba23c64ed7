//go:build linux

// Package fulldisk gives tests a real file system that runs out of space: a
// small tmpfs mounted on a temporary folder (root only), filled to leave a
// chosen number of bytes free.
package fulldisk

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of size (as mount's size=, "4m") on dir, unmounted at
// the end of the test. It returns an error where mounting is not allowed.
func Mount(t testing.TB, dir, size string) error {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0755", "tmpfs", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("mount: %v: %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return nil
}

// Fill leaves about leave bytes free on the file system of dir, with a filler
// file that the next Fill replaces; leave < 0 removes it.
func Fill(t testing.TB, dir string, leave int64) {
	t.Helper()
	filler := filepath.Join(dir, "filler")
	os.Remove(filler)
	if leave < 0 {
		return
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	size := int64(st.Bavail)*int64(st.Bsize) - leave
	if size <= 0 {
		return
	}
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Fallocate(int(f.Fd()), 0, 0, size); err != nil {
		t.Fatalf("fallocate %d bytes: %v", size, err)
	}
}

// Full returns a folder on a tmpfs with about leave bytes free, or skips the
// test where no tmpfs can be mounted.
func Full(t testing.TB, leave int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "full")
	if err := Mount(t, dir, "2m"); err != nil {
		t.Skipf("no tmpfs to fill: %v", err)
	}
	Fill(t, dir, leave)
	return dir
}
