//go:build linux

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"yanshou/pipeline"
	"yanshou/pipeline/testkit/hostile"
)

// TestWatchHostile drops the whole hostile corpus (pipeline/testkit/hostile: broken,
// odd and malicious files, one submission each) into the inbox of the real
// daemon and proves: it does not crash or hang (every case judged within a
// bound, the daemon still answers SIGTERM with exit 0, no internal error
// logged); every case's verdict names the bad file (or the refused zip);
// nothing is written outside the outbox (the inbox is byte-for-byte as it was,
// the zip slip's targets do not exist, no new file beside the inbox); and the
// daemon's peak memory stays bounded. As root the daemon runs as nobody, so
// that a file without read permission is really unreadable.
func TestWatchHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and judges the hostile corpus")
	}
	const (
		bound  = 4 * time.Minute // every case judged within this
		maxRSS = 256 << 10       // KiB: the daemon's peak resident memory (92 MiB measured)
	)
	// A folder every user can traverse (t.TempDir's parents are private).
	base, err := os.MkdirTemp("", "yanshou-hostile-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	inbox, outbox := filepath.Join(base, "inbox"), filepath.Join(base, "outbox")
	staging, outside := filepath.Join(base, "staging"), filepath.Join(base, "outside")
	for _, d := range []string{inbox, outbox, staging, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(base, "yanshou")
	if err := copyExecutable(buildBinary(t), bin); err != nil {
		t.Fatal(err)
	}

	cases, err := hostile.Write(staging, hostile.Options{Outside: outside})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d hostile cases", len(cases))

	cmd := exec.Command(bin, "watch", "--inbox", inbox, "--outbox", outbox, "--log", "json",
		"--settle", "2s", "--rescan", "2s", "--workers", "2")
	asNobody := os.Geteuid() == 0
	if asNobody {
		if err := os.Chown(outbox, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		cmd.Env = append(os.Environ(), "HOME="+outbox)
	}
	dump := startLogged(t, cmd, filepath.Join(base, "daemon.log"))

	// Drop every case at once (a rename each), as a sync tool would.
	begin := time.Now()
	for _, c := range cases {
		src, dst := filepath.Join(staging, filepath.FromSlash(c.Path)), filepath.Join(inbox, filepath.FromSlash(c.Path))
		if err := os.Rename(src, dst); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshotTree(t, inbox)
	besideBefore := dirNames(t, base)

	// Wait for a verdict per case, watching the daemon's memory meanwhile.
	byPath := map[string]string{} // submission path → verdict.json text
	var peak int64
	deadline := time.Now().Add(bound)
	for len(byPath) < len(cases) {
		if time.Now().After(deadline) {
			var missing []string
			for _, c := range cases {
				if _, ok := byPath[filepath.Join(inbox, c.Path)]; !ok {
					missing = append(missing, c.Name)
				}
			}
			t.Fatalf("after %v, no verdict for %v\n%s", bound, missing, tail(dump(), 4000))
		}
		if cmd.ProcessState != nil || syscall.Kill(cmd.Process.Pid, 0) != nil {
			t.Fatalf("the daemon died\n%s", tail(dump(), 4000))
		}
		peak = max(peak, vmHWM(cmd.Process.Pid))
		for _, v := range readVerdictFiles(outbox) {
			var head struct {
				Path string `json:"path"`
			}
			if json.Unmarshal([]byte(v), &head) == nil {
				byPath[head.Path] = v
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(begin)
	peak = max(peak, vmHWM(cmd.Process.Pid))

	// Every case's verdict names what is wrong with it.
	for _, c := range cases {
		v := byPath[filepath.Join(inbox, c.Path)]
		var rep struct {
			Findings []struct {
				Rule, Message string
				Evidence      []struct{ File, Sheet, Detail string }
			} `json:"findings"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(v), &rep); err != nil {
			t.Errorf("%s: verdict.json: %v", c.Name, err)
			continue
		}
		if c.Unreadable && !asNobody && os.Geteuid() == 0 {
			continue // root reads it anyway
		}
		var said strings.Builder
		for _, f := range rep.Findings {
			fmt.Fprintln(&said, f.Rule, f.Message)
			for _, e := range f.Evidence {
				fmt.Fprintln(&said, "  ", e.File, e.Sheet, e.Detail)
			}
		}
		said.WriteString(rep.Error)
		for _, w := range c.Want {
			if !strings.Contains(said.String(), w) {
				t.Errorf("%s (%s): no finding names %q; findings:\n%s", c.Name, c.What, w, said.String())
			}
		}
	}

	// Nothing outside the outbox: the inbox as it was, no zip slip, nothing new beside.
	if after := snapshotTree(t, inbox); !equalSnapshots(before, after) {
		t.Errorf("the inbox changed:\n%s", diffSnapshots(before, after))
	}
	for _, c := range cases {
		if c.Outside != "" {
			if _, err := os.Lstat(c.Outside); err == nil {
				t.Errorf("%s: %s was written", c.Name, c.Outside)
			}
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) > 0 {
		t.Errorf("files appeared in %s: %v", outside, entries)
	}
	if besideAfter := dirNames(t, base); strings.Join(besideAfter, ",") != strings.Join(besideBefore, ",") {
		t.Errorf("beside the inbox: before %v, after %v", besideBefore, besideAfter)
	}

	// No crash, no internal error, a clean stop.
	log := dump()
	for _, bad := range []string{"panic", "internal error", "goroutine "} {
		if strings.Contains(log, bad) {
			t.Errorf("the daemon's log mentions %q:\n%s", bad, tail(log, 4000))
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := waitExit(cmd, time.Minute); err != nil {
		t.Errorf("after SIGTERM: %v", err)
	}
	if peak > maxRSS {
		t.Errorf("peak RSS %d MiB, bound %d MiB", peak>>10, maxRSS>>10)
	}
	t.Logf("%d hostile submissions judged in %v; daemon peak RSS %d MiB (as nobody: %v)",
		len(cases), took.Round(time.Millisecond), peak>>10, asNobody)
}

// readVerdictFiles returns the text of every output folder's verdict.json.
func readVerdictFiles(outbox string) []string {
	var out []string
	entries, _ := os.ReadDir(outbox)
	for _, e := range entries {
		if !e.IsDir() || e.Name() == pipeline.StateDirName {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(outbox, e.Name(), "verdict.json")); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

// vmHWM is a process's peak resident memory in KiB (0 when unknown).
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb
		}
	}
	return 0
}

// entry is what a snapshot records of one path.
type entry struct {
	Mode   fs.FileMode
	Size   int64
	MTime  time.Time
	Sum    string // SHA-256 of a regular file's bytes
	Target string // a symlink's target
}

// snapshotTree records every path under root without following links or
// opening anything but regular files.
func snapshotTree(t *testing.T, root string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			out[p] = entry{Sum: "error: " + err.Error()}
			return nil
		}
		info, err := os.Lstat(p)
		if err != nil {
			out[p] = entry{Sum: "error: " + err.Error()}
			return nil
		}
		e := entry{Mode: info.Mode(), Size: info.Size(), MTime: info.ModTime()}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			e.Target, _ = os.Readlink(p)
		case info.Mode().IsRegular():
			if f, err := os.Open(p); err == nil {
				h := sha256.New()
				io.Copy(h, f)
				f.Close()
				e.Sum = hex.EncodeToString(h.Sum(nil))
			}
		}
		if info.IsDir() {
			e.Size, e.MTime = 0, time.Time{} // a directory's own size and time are the file system's
		}
		out[p] = e
		return nil
	})
	return out
}

func equalSnapshots(a, b map[string]entry) bool { return diffSnapshots(a, b) == "" }

func diffSnapshots(a, b map[string]entry) string {
	var diffs []string
	for p, ea := range a {
		eb, ok := b[p]
		switch {
		case !ok:
			diffs = append(diffs, "gone: "+p)
		case ea.Mode != eb.Mode || ea.Size != eb.Size || !ea.MTime.Equal(eb.MTime) || ea.Sum != eb.Sum || ea.Target != eb.Target:
			diffs = append(diffs, fmt.Sprintf("changed: %s (%+v → %+v)", p, ea, eb))
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, "new: "+p)
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "\n")
}

// dirNames lists a folder's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func copyExecutable(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
