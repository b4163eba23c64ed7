//go:build !windows

package archive

import (
	"os/exec"
	"syscall"
)

// ownGroup runs the converter in its own process group and, on timeout, kills
// the whole group: soffice starts soffice.bin as a child.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
