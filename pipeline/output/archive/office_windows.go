//go:build windows

package archive

import "os/exec"

// ownGroup is a no-op on Windows: soffice.exe is killed on timeout by
// exec.CommandContext.
func ownGroup(cmd *exec.Cmd) {}
