package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"yanshou"
	"yanshou/pipeline/output/archive"
	"yanshou/pipeline/platform/filename"
	"yanshou/pipeline/store/ledger"
)

// writeOutputs renders a version's documents into a temporary folder in the
// state folder and moves it into place only when complete (every file synced),
// then records the verdict in the ledger. The ledger is the commit point: a
// crash before it leaves at most a complete folder whose verdict.json differs
// from the ledger's record, which the next check of that content sees (stored,
// unchanged) and renders again. On an error nothing half-written is left behind.
func (p *Pipeline) writeOutputs(v *ledger.Version, r *yanshou.Result) (err error) {
	folder := OutputFolder(r.Submission.Class, r.ID, r.Version)
	// Named by content and process: two processes never write into one
	// folder, and what a killed process left is found by sweepTmp.
	tmp := p.stateDir("tmp", fmt.Sprintf("%s-%d", r.Submission.ContentHash[:16], os.Getpid()))
	clean := func() {
		os.RemoveAll(tmp)
		os.RemoveAll(archive.WorkDir(tmp))
		os.RemoveAll(tmp + asideSuffix)
	}
	clean() // a leftover under this name: a killed process whose id this one got
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("无法写入输出目录：%w", err)
	}
	defer func() {
		if err != nil {
			// A disk that filled up or went away mid-render: the partial documents
			// would only take more space; the version is rendered afresh next time.
			clean()
		}
	}()
	x := &VersionRendering{p: p, Dir: tmp, Result: r}
	docs, err := renderAll(VersionDocuments, x)
	if err != nil {
		return err
	}
	names := append([]string{"verdict.json"}, docs...)
	arch := x.Archive
	r.Outputs = nil
	for _, n := range names {
		r.Outputs = append(r.Outputs, filepath.Join(p.Outbox, folder, n))
	}
	rep := r.Report()
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(tmp, "verdict.json"), data); err != nil {
		return fmt.Errorf("写入 verdict.json 失败：%w", err)
	}
	// Every document reaches the disk before the folder is moved into place: a
	// power cut must not leave a complete-looking folder of empty files (and a
	// share that reports a full disk only when data is flushed reports it here).
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("无法写入输出目录：%w", err)
	}
	// The evidence the documents were drawn from, for the review desk: kept
	// before the folder is moved into place (a crash after leaves a detail
	// that the next rendering of this content writes again).
	if err := p.writeDetail(r); err != nil {
		return fmt.Errorf("无法写入状态目录中的核验明细：%w", err)
	}
	final := filepath.Join(p.Outbox, folder)
	if err := keepReviewed(final, tmp); err != nil {
		return fmt.Errorf("无法保留审核后的文件（%s）：%w", filepath.Join(final, ReviewedDirName), err)
	}
	replaced, err := replaceDir(tmp, final)
	if err != nil {
		return fmt.Errorf("无法写入输出目录 %s：%w", final, err)
	}
	syncDir(p.Outbox)
	if err := p.record(v, r, arch, folder, data); err != nil {
		if !replaced {
			// No record, no folder: the version is judged again next time.
			os.RemoveAll(final)
		} else {
			// tmp holds the folder this rendering replaced, which matches the
			// ledger's record: put it back (where that cannot be done, the next
			// check of this content finds the difference and renders again).
			exchange(tmp, final)
		}
		return err
	}
	if replaced {
		os.RemoveAll(tmp) // the replaced folder
	}
	return nil
}

// record writes a rendered version into the ledger: its archive copies, then
// its verdict.
func (p *Pipeline) record(v *ledger.Version, r *yanshou.Result, arch *archive.Output, folder string, data []byte) error {
	if arch != nil {
		for _, c := range arch.Copies {
			if err := p.Ledger.RecordArchive(ledger.Archive{SHA256: c.SHA256, ContentHash: r.Submission.ContentHash,
				Holder: c.Holder, Copy: c.N, Of: c.Of, Path: filepath.Join(folder, c.Name), Size: c.Size,
				Files: r.Submission.Files, Created: p.Now()}); err != nil {
				return fmt.Errorf("台账数据库出错：%w", err)
			}
		}
	}
	if err := p.Ledger.Complete(v, r, folder, string(data), p.Now()); err != nil {
		return fmt.Errorf("台账数据库出错：%w", err)
	}
	return nil
}

// sweepTmp removes from the state folder's tmp/ what processes that are gone
// were writing (folders named <hash>-<pid>…, see writeOutputs), and anything
// else there older than an hour.
func sweepTmp(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if _, rest, ok := strings.Cut(name, "-"); ok {
			digits := rest
			if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
				digits = rest[:i]
			}
			if pid, err := strconv.Atoi(digits); err == nil && pid > 0 {
				if pid == os.Getpid() || processAlive(pid) {
					continue
				}
				os.RemoveAll(filepath.Join(dir, name))
				continue
			}
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
}

// processAlive reports whether a process with this id exists (a process of
// another user counts).
func processAlive(pid int) bool {
	proc, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	defer proc.Release()
	if runtime.GOOS == "windows" {
		return true
	}
	err = proc.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// asideSuffix names, beside a version's temporary folder, where the folder it
// replaces is kept for a moment where folders cannot be exchanged atomically.
const asideSuffix = ".replaced"

// replaceDir moves the complete folder tmp to final; replaced reports that
// final existed (a re-check, or a rendering interrupted after its move). Then
// the two are exchanged atomically where the system can (Linux), so that final
// is never missing nor partly removed, and tmp holds the old folder; elsewhere
// the old folder is moved aside first and removed after.
func replaceDir(tmp, final string) (replaced bool, err error) {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		return false, os.Rename(tmp, final)
	}
	if err := exchange(tmp, final); err == nil {
		return true, nil
	}
	aside := tmp + asideSuffix
	if err := os.RemoveAll(aside); err != nil {
		return false, err
	}
	if err := os.Rename(final, aside); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Rename(aside, final) // put the old folder back
		return false, err
	}
	os.RemoveAll(aside)
	return true, nil
}

// syncTree flushes every file below dir, and the folders, to the disk.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			syncDir(path)
			return nil
		}
		// Opened for writing: Windows flushes only handles that may write.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// syncDir flushes a folder's entries (a rename into it) where the system allows.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// OutputFolder names a version's output folder: institution, class, start date
// and version, made safe for Windows and Linux file systems. Names from the
// submission are never trusted as paths.
func OutputFolder(c *yanshou.ClassInfo, id string, version int) string {
	if c == nil || filename.Safe(c.Institution, 40) == "" {
		return fmt.Sprintf("未识别_%s_v%d", id, version)
	}
	parts := []string{filename.Safe(c.Institution, 40), filename.Safe(c.Class, 20), c.Start.String()}
	return fmt.Sprintf("%s_v%d", strings.Join(nonEmpty(parts), "_"), version)
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
