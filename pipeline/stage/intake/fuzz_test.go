package intake

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/testkit/hostile"
)

// FuzzUnzip: no archive makes Unzip panic, write outside its destination, leave
// a link, or write more than the byte limit. Seeds: the hostile corpus's zips.
func FuzzUnzip(f *testing.F) {
	for _, seed := range hostile.Samples(hostile.SampleZip) {
		f.Add(seed)
	}
	lim := yanshou.Intake{MaxZipEntries: 200, MaxZipBytes: 8 << 20, MaxZipRatio: 200}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		zipPath := filepath.Join(dir, "in.zip")
		if err := os.WriteFile(zipPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(dir, "out", "dest")
		Unzip(zipPath, "in.zip", dest, lim)
		var total int64
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == dir || p == zipPath || p == filepath.Dir(dest) {
				return nil
			}
			if !strings.HasPrefix(p, dest) {
				t.Fatalf("written outside the destination: %s", p)
			}
			if d.Type()&fs.ModeSymlink != 0 {
				t.Fatalf("a link was written: %s", p)
			}
			if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
				total += info.Size()
			}
			return nil
		})
		if total > lim.MaxZipBytes {
			t.Fatalf("%d bytes written, limit %d", total, lim.MaxZipBytes)
		}
	})
}
