package watch

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"yanshou/pipeline/stage/inventory"
)

// Markers are the file names an institution puts at the top of a submission
// folder to say it is complete (compared without regard to case).
var Markers = []string{"提交完成.txt", "READY"}

// IsMarker reports whether a base name is a completion marker.
func IsMarker(base string) bool {
	for _, m := range Markers {
		if strings.EqualFold(base, m) {
			return true
		}
	}
	return false
}

// snapshot is what one look at a submission saw.
type snapshot struct {
	fp     string // digest of (path, size, mtime) of every file that counts; zips: of the zip itself
	files  int    // files that count
	marker bool   // a completion marker sits at the top of the folder
	// markerTime is the latest modification time of the markers: putting a
	// marker there again after a verdict marks the edited folder complete.
	markerTime time.Time
}

// errNotSubmission is returned when the path is gone or is no longer a folder or
// regular file (e.g. replaced by a symbolic link).
var errNotSubmission = errors.New("not a submission any more")

// look takes a snapshot of a submission folder or zip without reading any file's
// content. Ignored names (lock files, partial downloads, OS litter) and the
// markers do not count, so they never make a submission look changed. Symbolic
// links are recorded, never followed.
func look(path string, isZip bool) (snapshot, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return snapshot{}, fmt.Errorf("%w: %v", errNotSubmission, err)
	}
	if isZip {
		if !info.Mode().IsRegular() {
			return snapshot{}, errNotSubmission
		}
		return snapshot{fp: fmt.Sprintf("zip %d %d", info.Size(), info.ModTime().UnixNano()), files: 1}, nil
	}
	if !info.IsDir() {
		return snapshot{}, errNotSubmission
	}
	var lines []string
	var s snapshot
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if p == path {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			// An unreadable subfolder counts as part of the state: when it becomes
			// readable the snapshot changes.
			lines = append(lines, "E "+rel+" "+err.Error())
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		switch {
		case d.IsDir():
			if inventory.IgnoredDir(name) {
				return fs.SkipDir
			}
			return nil
		case IsMarker(name) && filepath.Dir(p) == path:
			s.marker = true
			if fi, err := d.Info(); err == nil && fi.ModTime().After(s.markerTime) {
				s.markerTime = fi.ModTime()
			}
			return nil
		case inventory.Ignored(name):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			lines = append(lines, "L "+rel+" "+target)
		case d.Type().IsRegular():
			fi, err := d.Info()
			if err != nil {
				lines = append(lines, "E "+rel+" "+err.Error())
				return nil
			}
			lines = append(lines, fmt.Sprintf("F %s %d %d", rel, fi.Size(), fi.ModTime().UnixNano()))
		}
		s.files++
		return nil
	})
	if err != nil {
		return snapshot{}, fmt.Errorf("%w: %v", errNotSubmission, err)
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		io.WriteString(h, l)
		h.Write([]byte{0})
	}
	s.fp = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// zipReadable reports whether the zip's central directory reads: a zip still
// being copied (or preallocated and filled) fails here.
func zipReadable(path string) bool {
	r, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	r.Close()
	return true
}
