package pipeline

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

func open(t *testing.T, outbox string) *Pipeline {
	t.Helper()
	p, err := Open(config.Default(), rules.Default(), outbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// writeSample writes the sample inbox once per test and returns it with its cases.
func writeSample(t *testing.T) (string, []sample.Case) {
	t.Helper()
	inbox := filepath.Join(t.TempDir(), "inbox")
	cases, err := sample.Write(inbox, 2026, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	return inbox, cases
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func zipDir(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(filepath.Dir(src), p)
		zw, _ := w.Create(filepath.ToSlash(rel))
		in, _ := os.Open(p)
		io.Copy(zw, in)
		in.Close()
		return nil
	})
	w.Close()
	f.Close()
}

// TestVersions: the same content is one version wherever it sits (a copy, a zip of
// it); changed content of the same class is version 2 in a folder of its own.
func TestVersions(t *testing.T) {
	inbox, cases := writeSample(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	first := filepath.Join(inbox, cases[0].Dir)

	rep1, err := p.Check(context.Background(), first, CheckOptions{})
	if err != nil || rep1.Verdict != cases[0].Verdict || rep1.Version != 1 {
		t.Fatalf("first check: %+v, %v", rep1, err)
	}
	copyPath := filepath.Join(t.TempDir(), "副本")
	copyDir(t, first, copyPath)
	zipPath := filepath.Join(t.TempDir(), "第1期.zip")
	zipDir(t, first, zipPath)

	steps := []struct {
		name        string
		path        string
		edit        func()
		wantVersion int
	}{
		{"same folder again", first, nil, 1},
		{"a copy elsewhere", copyPath, nil, 1},
		{"a zip of it", zipPath, nil, 1},
		{"edited resubmission", copyPath, func() {
			os.WriteFile(filepath.Join(copyPath, "12整改说明.txt"), []byte("已整改"), 0o644)
		}, 2},
	}
	for _, s := range steps {
		if s.edit != nil {
			s.edit()
		}
		rep, err := p.Check(context.Background(), s.path, CheckOptions{})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if rep.Version != s.wantVersion || rep.ID != rep1.ID {
			t.Errorf("%s: id %s version %d, want %s version %d", s.name, rep.ID, rep.Version, rep1.ID, s.wantVersion)
		}
		// The same content is not judged again: its counts come from the facts
		// the ledger recorded.
		if s.wantVersion == 1 && (rep.Attendance != rep1.Attendance || rep.Photos != rep1.Photos) {
			t.Errorf("%s: counts %+v %+v, want those recorded %+v %+v", s.name, rep.Attendance, rep.Photos, rep1.Attendance, rep1.Photos)
		}
	}
	// Version 2 says what changed since version 1.
	r2, err := p.check(context.Background(), &checking{path: copyPath, origin: copyPath, recheck: true})
	if err != nil || r2.Version != 2 || r2.Changes == nil || r2.Changes.PreviousVersion != 1 ||
		len(r2.Changes.Added) != 1 || r2.Changes.Added[0] != "12整改说明.txt" {
		t.Fatalf("version 2 changes: %+v, %v", r2.Changes, err)
	}
	dirs, _ := filepath.Glob(filepath.Join(outbox, "*_v*"))
	if len(dirs) != 2 {
		t.Errorf("output folders %v, want one per version (2)", dirs)
	}
	// Nothing half-written is left in the state folder.
	if left, _ := os.ReadDir(filepath.Join(outbox, StateDirName, "tmp")); len(left) != 0 {
		t.Errorf("leftovers in tmp: %v", left)
	}
}

// TestBadSubmissions: what cannot be judged is an error naming the path; what can
// be judged, however broken, is a verdict with findings.
func TestBadSubmissions(t *testing.T) {
	dir := t.TempDir()
	p := open(t, filepath.Join(dir, "outbox"))
	notZip := filepath.Join(dir, "坏.zip")
	os.WriteFile(notZip, []byte("garbage"), 0o644)
	plain := filepath.Join(dir, "说明.txt")
	os.WriteFile(plain, []byte("x"), 0o644)
	empty := filepath.Join(dir, "空")
	os.MkdirAll(empty, 0o755)
	link := filepath.Join(dir, "链接")
	os.Symlink(empty, link)

	tests := []struct {
		path    string
		wantErr string
		verdict yanshou.Verdict
		rule    string
	}{
		{notZip, "", yanshou.Fail, "materials.readable"}, // refused zips are judged empty, the finding names them
		{plain, "说明.txt", "", ""},
		{link, "符号链接", "", ""},
		{filepath.Join(dir, "无"), "无", "", ""},
		{empty, "", yanshou.Fail, "manifest.readable"},
	}
	for _, tt := range tests {
		rep, err := p.Check(context.Background(), tt.path, CheckOptions{})
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(rep.Error, tt.wantErr) {
				t.Errorf("%s: error %q, want it to name %q", tt.path, rep.Error, tt.wantErr)
			}
			continue
		}
		if err != nil || rep.Verdict != tt.verdict {
			t.Errorf("%s: %v %v", tt.path, rep.Verdict, err)
		}
		found := false
		for _, f := range rep.Findings {
			if f.Rule == tt.rule {
				found = true
				if tt.path == notZip && (len(f.Evidence) == 0 || f.Evidence[len(f.Evidence)-1].File != "坏.zip") {
					t.Errorf("the refused zip is not named: %+v", f.Evidence)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding in %+v", tt.path, tt.rule, rep.Findings)
		}
	}
}

func TestOutputFolder(t *testing.T) {
	d := yanshou.Date{Time: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		class *yanshou.ClassInfo
		want  string
	}{
		{&yanshou.ClassInfo{Institution: "商水县宏达职业培训学校", Class: "第1期", Start: d}, "商水县宏达职业培训学校_第1期_2026-03-10_v2"},
		{&yanshou.ClassInfo{Institution: "../../etc", Class: "a/b\\c:d", Start: d}, "etc_a_b_c_d_2026-03-10_v2"},
		{&yanshou.ClassInfo{Institution: "  ", Class: "x"}, "未识别_S1_v2"},
		{nil, "未识别_S1_v2"},
	}
	for _, tt := range tests {
		got := OutputFolder(tt.class, "S1", 2)
		if got != tt.want {
			t.Errorf("OutputFolder(%+v) = %q, want %q", tt.class, got, tt.want)
		}
		if strings.ContainsAny(got, `/\:`) {
			t.Errorf("OutputFolder %q contains a path separator", got)
		}
	}
}
