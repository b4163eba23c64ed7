package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockName is the lock file a daemon holds in the state folder.
const LockName = "watch.lock"

// Lock takes the daemon's lock in stateDir (created if missing): one watcher per
// outbox, so that two daemons started by mistake on the same outbox (a service
// and a console, two machines on a share) do not judge the same submissions
// twice. The lock is the operating system's (flock, LockFileEx) and goes with
// the process, also when it is killed; the file keeps the holder's process id
// for the message. release gives it back.
func Lock(stateDir string) (release func(), err error) {
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建状态目录 %s：%w", stateDir, err)
	}
	p := filepath.Join(stateDir, LockName)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("无法打开锁文件 %s：%w", p, err)
	}
	if err := lockFile(f); err != nil {
		b := make([]byte, 32)
		n, _ := f.ReadAt(b, 0)
		f.Close()
		holder := strings.TrimSpace(string(b[:n]))
		if holder == "" {
			holder = "未知"
		}
		return nil, fmt.Errorf("另一个 yanshou watch（进程 %s）正在处理同一输出目录 %s；一个输出目录只能运行一个守护进程（锁文件 %s）",
			holder, filepath.Dir(stateDir), p)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}
