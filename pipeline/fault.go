package pipeline

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"yanshou/pipeline/store/ledger"
	"yanshou/templates"
)

// FaultError is a check (or the opening of an outbox) that failed on the
// office's side rather than the submission's: the disk holding the outbox is
// full or read-only, the outbox may not be written, the ledger database is held
// by another process. Nothing was judged and nothing half-written is left in
// place; checked again once the fault is cleared, the submission is judged as
// if for the first time.
type FaultError struct {
	Hint string // what happened and what to do, in Chinese, naming the folder or file
	Err  error  // the error the fault was recognised in
}

// Error is the hint and the first line of the underlying error (a store of
// many files that all failed for the same reason gives one line and a count).
func (e *FaultError) Error() string {
	detail := e.Err.Error()
	if i := strings.IndexByte(detail, '\n'); i >= 0 {
		detail = templates.Say("pipeline.fault_more", detail[:i], strings.Count(detail[i:], "\n"))
	}
	return templates.Say("pipeline.fault", e.Hint, detail)
}

// Unwrap returns the underlying error.
func (e *FaultError) Unwrap() error { return e.Err }

// OperatorFault reports that the fault is the office's to clear, not the
// institution's: the watcher takes such a submission again at its next rescan.
func (e *FaultError) OperatorFault() bool { return true }

// SQLite result codes (the low byte of an extended code).
const (
	sqlitePerm     = 3
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadonly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// Classify turns an error caused by the outbox's disk, permissions or ledger
// database into a FaultError whose message says so in words an operator acts
// on; any other error is returned as it is.
func Classify(outbox string, err error) error {
	var fe *FaultError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	if hint := faultHint(outbox, err); hint != "" {
		return &FaultError{Hint: hint, Err: err}
	}
	return err
}

func faultHint(outbox string, err error) string {
	db := filepath.Join(outbox, StateDirName, "ledger.db")
	full := templates.Say("pipeline.fault_disk_full", outbox)
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return templates.Say("pipeline.fault_ledger_busy", db, int(ledger.BusyTimeout.Seconds()))
		case sqliteFull:
			return full
		case sqliteReadonly, sqliteCantOpen, sqlitePerm, sqliteIOErr:
			// SQLite does not say why; trying to write beside it does.
			if perr := probeWrite(db); perr != nil {
				if h := faultHint(outbox, perr); h != "" {
					return templates.Say("pipeline.fault_ledger_because", db, h)
				}
			}
			return templates.Say("pipeline.fault_ledger_unwritable", db, outbox)
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch {
		case diskFull(errno):
			return full
		case errno == syscall.EFBIG:
			return templates.Say("pipeline.fault_file_too_large", outbox)
		case errno == syscall.EROFS && inOutbox(outbox, err):
			return templates.Say("pipeline.fault_read_only", outbox)
		case errno == syscall.EIO && inOutbox(outbox, err):
			return templates.Say("pipeline.fault_io", outbox)
		}
	}
	if errors.Is(err, fs.ErrPermission) && inOutbox(outbox, err) {
		return templates.Say("pipeline.fault_permission",
			outbox, StateDirName)
	}
	return ""
}

// probeWrite tries to write where the database lives: a new file in its
// folder, then the database file itself; the error says why SQLite could not.
func probeWrite(db string) error {
	f, err := os.CreateTemp(filepath.Dir(db), ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, err = f.Write([]byte("probe"))
	f.Close()
	os.Remove(name)
	if err != nil {
		return err
	}
	f, err = os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return f.Close()
}

// diskFull reports a full disk or an exhausted quota.
func diskFull(errno syscall.Errno) bool {
	if errno == syscall.ENOSPC || errno == syscall.EDQUOT {
		return true
	}
	// ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
	return runtime.GOOS == "windows" && (errno == 39 || errno == 112)
}

// inOutbox reports whether the path an error names lies in the outbox.
func inOutbox(outbox string, err error) bool {
	var paths []string
	var pe *fs.PathError
	if errors.As(err, &pe) {
		paths = append(paths, pe.Path)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		paths = append(paths, le.Old, le.New)
	}
	root, rerr := filepath.Abs(outbox)
	if rerr != nil {
		return false
	}
	for _, p := range paths {
		if a, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, a); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return true
			}
		}
	}
	return false
}
