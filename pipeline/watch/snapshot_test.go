package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLook: what changes a submission's snapshot and what does not.
func TestLook(t *testing.T) {
	tests := []struct {
		name        string
		change      func(t *testing.T, dir string)
		wantChanged bool
		wantMarker  bool
	}{
		{"nothing", func(*testing.T, string) {}, false, false},
		{"office lock file", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "~$名单.xlsx"), "lock") }, false, false},
		{"partial download", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "照片.zip.part"), "..") }, false, false},
		{"temp file deep down", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "现场照片", "a.tmp"), "..") }, false, false},
		{"mac litter", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, "__MACOSX", "现场照片", "._1.jpg"), "..")
		}, false, false},
		{"thumbs", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "现场照片", "Thumbs.db"), "..") }, false, false},
		{"empty folder", func(t *testing.T, d string) { os.MkdirAll(filepath.Join(d, "空"), 0o755) }, false, false},
		{"marker at the top", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "提交完成.txt"), "") }, false, true},
		{"READY at the top", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "READY"), "") }, false, true},
		{"marker in a subfolder", func(t *testing.T, d string) { writeFile(t, filepath.Join(d, "现场照片", "READY"), "") }, false, false},
		{"file grows", func(t *testing.T, d string) {
			f, _ := os.OpenFile(filepath.Join(d, "现场照片", "1.jpg"), os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("more"))
			f.Close()
		}, true, false},
		{"same size, new time", func(t *testing.T, d string) {
			later := time.Now().Add(time.Minute)
			os.Chtimes(filepath.Join(d, "现场照片", "1.jpg"), later, later)
		}, true, false},
		{"new file deep down", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, "现场照片", "第二天", "2.jpg"), "jpeg")
		}, true, false},
		{"renamed", func(t *testing.T, d string) {
			os.Rename(filepath.Join(d, "现场照片", "1.jpg"), filepath.Join(d, "现场照片", "01.jpg"))
		}, true, false},
		{"removed", func(t *testing.T, d string) { os.Remove(filepath.Join(d, "现场照片", "1.jpg")) }, true, false},
		{"symlink added (recorded, not followed)", func(t *testing.T, d string) {
			os.Symlink(t.TempDir(), filepath.Join(d, "外部"))
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSubmission(t, dir, map[string]string{"现场照片/1.jpg": "jpeg"})
			before, err := look(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(t, dir)
			after, err := look(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			if changed := after.fp != before.fp; changed != tt.wantChanged {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if after.marker != tt.wantMarker {
				t.Errorf("marker = %v, want %v", after.marker, tt.wantMarker)
			}
		})
	}
}

func TestLookZipAndGone(t *testing.T) {
	dir := t.TempDir()
	z := filepath.Join(dir, "a.zip")
	writeFile(t, z, "PK")
	s1, err := look(z, true)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, z, "PK..")
	s2, _ := look(z, true)
	if s1.fp == s2.fp {
		t.Error("a growing zip looks unchanged")
	}
	if _, err := look(filepath.Join(dir, "gone"), false); err == nil {
		t.Error("a missing folder must be an error")
	}
	if _, err := look(dir, true); err == nil {
		t.Error("a folder where a zip was must be an error")
	}
	link := filepath.Join(dir, "link")
	if os.Symlink(t.TempDir(), link) == nil {
		if _, err := look(link, false); err == nil {
			t.Error("a symlink must not be looked through")
		}
	}
}

// TestReady: the rule for a finished submission, state by state.
func TestReady(t *testing.T) {
	now := time.Now()
	settle := 10 * time.Second
	mk := now.Add(-time.Hour)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.zip")
	writeFile(t, good, string(makeZip(t, map[string]string{"manifest.yaml": "x"})))
	bad := filepath.Join(dir, "bad.zip")
	writeFile(t, bad, "PK\x03\x04 half a zip")
	tests := []struct {
		name string
		it   item
		want bool
	}{
		{"first look", item{changed: now}, false},
		{"first look with marker", item{changed: now, snap: snapshot{marker: true}}, false},
		{"second look with marker", item{changed: now.Add(-2 * time.Second), stable: 1, snap: snapshot{marker: true}}, true},
		{"second look with marker too soon", item{changed: now.Add(-time.Second / 2), stable: 1, snap: snapshot{marker: true}}, false},
		{"still, not settled", item{changed: now.Add(-settle / 2), stable: 3}, false},
		{"settled", item{changed: now.Add(-settle), stable: 1}, true},
		{"settled but never looked twice", item{changed: now.Add(-settle)}, false},
		{"old marker after a verdict", item{changed: now.Add(-2 * time.Second), stable: 1, wasTaken: true, takenMk: mk, snap: snapshot{marker: true, markerTime: mk}}, false},
		{"marker put again after a verdict", item{changed: now.Add(-2 * time.Second), stable: 1, wasTaken: true, takenMk: mk, snap: snapshot{marker: true, markerTime: now}}, true},
		{"zip, first look", item{zip: true, path: good, changed: now}, false},
		{"zip readable, two looks", item{zip: true, path: good, changed: now.Add(-2 * time.Second), stable: 1}, true},
		{"zip readable, two looks too close", item{zip: true, path: good, changed: now, stable: 1}, false},
		{"zip unreadable, two looks", item{zip: true, path: bad, changed: now.Add(-2 * time.Second), stable: 1}, false},
		{"zip unreadable, settled: handed over to be reported", item{zip: true, path: bad, changed: now.Add(-settle), stable: 1}, true},
	}
	w := &watcher{opt: Options{Settle: settle, Debounce: time.Second}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, next := w.ready(&tt.it, now)
			if got != tt.want {
				t.Fatalf("ready = %v, want %v", got, tt.want)
			}
			if !got && !next.After(now) {
				t.Errorf("not ready but no later look scheduled (next %v)", next)
			}
		})
	}
}
