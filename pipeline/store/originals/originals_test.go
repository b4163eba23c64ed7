package originals

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// file writes content into dir/rel and returns it as a submission file.
func file(t *testing.T, dir, rel string, content []byte) yanshou.File {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return yanshou.File{Rel: rel, Abs: p, Size: int64(len(content)), SHA256: sum(content)}
}

func TestStore(t *testing.T) {
	tests := []struct {
		name    string
		files   func(t *testing.T, src string) []yanshou.File
		wantErr error // nil: no error expected
		objects int   // objects in the store afterwards
	}{
		{"one file", func(t *testing.T, src string) []yanshou.File {
			return []yanshou.File{file(t, src, "申请报告.pdf", []byte("%PDF-1.4 申请"))}
		}, nil, 1},
		{"same bytes under two names stored once", func(t *testing.T, src string) []yanshou.File {
			return []yanshou.File{
				file(t, src, "现场照片/a.jpg", []byte("same bytes")),
				file(t, src, "合影照片/b.jpg", []byte("same bytes")),
			}
		}, nil, 1},
		{"empty file", func(t *testing.T, src string) []yanshou.File {
			return []yanshou.File{file(t, src, "空.txt", nil)}
		}, nil, 1},
		{"file changed after hashing is refused", func(t *testing.T, src string) []yanshou.File {
			f := file(t, src, "签到表.xlsx", []byte("first"))
			os.WriteFile(f.Abs, []byte("edited"), 0o644)
			return []yanshou.File{f, file(t, src, "批复.pdf", []byte("approval"))}
		}, ErrChanged, 1},
		{"missing source", func(t *testing.T, src string) []yanshou.File {
			f := file(t, src, "gone.pdf", []byte("gone"))
			os.Remove(f.Abs)
			return []yanshou.File{f}
		}, fs.ErrNotExist, 0},
		{"bad hash refused", func(t *testing.T, src string) []yanshou.File {
			f := file(t, src, "x.pdf", []byte("x"))
			f.SHA256 = "../../etc/passwd"
			return []yanshou.File{f}
		}, errors.New("any"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, store := t.TempDir(), t.TempDir()
			files := tt.files(t, src)
			err := Store(store, files)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Store: %v", err)
			case tt.wantErr != nil && err == nil:
				t.Fatalf("Store succeeded, want error %v", tt.wantErr)
			case tt.wantErr != nil && tt.wantErr.Error() != "any" && !errors.Is(err, tt.wantErr):
				t.Fatalf("Store: %v, want %v", err, tt.wantErr)
			}
			objs, err := List(store)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != tt.objects {
				t.Fatalf("%d objects stored, want %d: %v", len(objs), tt.objects, objs)
			}
			for _, o := range objs {
				if err := Verify(store, o); err != nil {
					t.Errorf("Verify(%s): %v", o, err)
				}
			}
			// Each stored object holds exactly the source's bytes.
			for _, f := range files {
				got, err := os.ReadFile(Path(store, f.SHA256))
				if err != nil {
					continue
				}
				if sum(got) != f.SHA256 {
					t.Errorf("%s: stored bytes do not match", f.Rel)
				}
			}
			// No temporary files are left behind.
			filepath.WalkDir(store, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && len(d.Name()) > 5 && d.Name()[:5] == tmpPrefix {
					t.Errorf("temporary file left: %s", p)
				}
				return nil
			})
		})
	}
}

// TestStoreNeverOverwrites: storing the same hash again leaves the object (and its
// modification time) untouched.
func TestStoreNeverOverwrites(t *testing.T) {
	src, store := t.TempDir(), t.TempDir()
	f := file(t, src, "情况总结.docx", []byte("summary v1"))
	if err := Store(store, []yanshou.File{f}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(Path(store, f.SHA256))
	time.Sleep(20 * time.Millisecond)
	if err := Store(store, []yanshou.File{f}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(Path(store, f.SHA256))
	if !before.ModTime().Equal(after.ModTime()) {
		t.Error("an existing object was rewritten")
	}
	if after.Mode().Perm()&0o222 != 0 {
		t.Errorf("object is writable: %v", after.Mode())
	}
}

func TestVerify(t *testing.T) {
	content := []byte("培训通知 第3期")
	sha := sum(content)
	tests := []struct {
		name    string
		damage  func(p string)
		wantErr error
	}{
		{"intact", func(string) {}, nil},
		{"one byte flipped", func(p string) {
			b, _ := os.ReadFile(p)
			b[0] ^= 1
			os.Chmod(p, 0o644)
			os.WriteFile(p, b, 0o644)
		}, ErrCorrupt},
		{"truncated", func(p string) {
			os.Chmod(p, 0o644)
			os.Truncate(p, 3)
		}, ErrCorrupt},
		{"deleted", func(p string) { os.Remove(p) }, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, store := t.TempDir(), t.TempDir()
			if err := Store(store, []yanshou.File{file(t, src, "培训通知.pdf", content)}); err != nil {
				t.Fatal(err)
			}
			tt.damage(Path(store, sha))
			err := Verify(store, sha)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify: %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestStoreReplacesWrongSizeObject: an object of the wrong size (damaged) is set
// aside, not overwritten, and a good copy is stored in its place.
func TestStoreReplacesWrongSizeObject(t *testing.T) {
	src, store := t.TempDir(), t.TempDir()
	f := file(t, src, "批复.pdf", []byte("the approval"))
	p := Path(store, f.SHA256)
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("junk"), 0o644)
	if err := Store(store, []yanshou.File{f}); err != nil {
		t.Fatal(err)
	}
	if err := Verify(store, f.SHA256); err != nil {
		t.Fatal(err)
	}
	aside, _ := filepath.Glob(p + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("damaged object not kept aside: %v", aside)
	}
	if b, _ := os.ReadFile(aside[0]); !bytes.Equal(b, []byte("junk")) {
		t.Error("damaged object altered")
	}
}

func TestSweep(t *testing.T) {
	store := t.TempDir()
	os.MkdirAll(filepath.Join(store, "ab"), 0o755)
	old := filepath.Join(store, "ab", tmpPrefix+"cdef-1")
	fresh := filepath.Join(store, "ab", tmpPrefix+"cdef-2")
	obj := filepath.Join(store, "ab", "cdef")
	for _, p := range []string{old, fresh, obj} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old, past, past)
	os.Chtimes(obj, past, past)
	if err := Sweep(store, time.Hour); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{old: false, fresh: true, obj: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s exists=%v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	if err := Sweep(filepath.Join(store, "nope"), time.Hour); err != nil {
		t.Errorf("Sweep of a missing folder: %v", err)
	}
}
