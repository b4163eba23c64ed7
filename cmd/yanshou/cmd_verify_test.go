package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/output/archive"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

// archivedOutbox judges nothing: it writes a small submission, binds it, stores
// its originals and records the copies in the ledger, as the pipeline does for
// a pass. It returns the outbox, the two copies and the originals' store.
func archivedOutbox(t *testing.T) (outbox string, copies []string, store string, files []yanshou.File) {
	t.Helper()
	root := t.TempDir()
	var jpg bytes.Buffer
	jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 64, 48)), nil)
	contents := map[string][]byte{
		"05现场照片/IMG_0001.jpg": jpg.Bytes(),
		"07学员名单/名单.csv":       []byte("序号,姓名\n1,张三\n"),
		"说明.txt":              []byte("其他说明"),
	}
	kinds := map[string]yanshou.MaterialKind{"05现场照片/IMG_0001.jpg": yanshou.SitePhotos,
		"07学员名单/名单.csv": yanshou.Roster, "说明.txt": yanshou.Other}
	for _, rel := range []string{"05现场照片/IMG_0001.jpg", "07学员名单/名单.csv", "说明.txt"} {
		abs := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(abs), 0o755)
		os.WriteFile(abs, contents[rel], 0o644)
		sum := sha256.Sum256(contents[rel])
		files = append(files, yanshou.File{Rel: rel, Abs: abs, Size: int64(len(contents[rel])),
			SHA256: hex.EncodeToString(sum[:]), Kind: kinds[rel]})
	}
	now := time.Date(2026, 3, 20, 10, 30, 0, 0, time.UTC)
	class := &yanshou.ClassInfo{Institution: "商水县某某职业培训学校", Class: "第3期", Title: "农村电商实用技能培训班",
		Start: yanshou.Date{Time: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}, End: yanshou.Date{Time: time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)}}
	sub := &yanshou.Submission{Origin: root, Root: root, Files: files, Class: class, ContentHash: strings.Repeat("ab", 32)}
	outbox = t.TempDir()
	state := filepath.Join(outbox, pipeline.StateDirName)
	l, err := ledger.Open(state)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	id := ledger.SubmissionID(class, root)
	v, err := l.Claim(id, class, sub.ContentHash, root, now)
	if err != nil {
		t.Fatal(err)
	}
	r := &yanshou.Result{Submission: sub, ID: id, Version: v.Version, CheckedAt: now, Verdict: yanshou.Pass}
	folder := pipeline.OutputFolder(class, id, v.Version)
	if err := os.MkdirAll(filepath.Join(outbox, folder), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	out, err := archive.Write(filepath.Join(outbox, folder), r, cfg, archive.Options{Converter: "-"})
	if err != nil {
		t.Skipf("cannot bind an archive here: %v", err)
	}
	store = filepath.Join(state, "originals")
	if err := originals.Store(store, files); err != nil {
		t.Fatal(err)
	}
	for _, c := range out.Copies {
		rel := filepath.Join(folder, c.Name)
		if err := l.RecordArchive(ledger.Archive{SHA256: c.SHA256, ContentHash: sub.ContentHash, Holder: c.Holder,
			Copy: c.N, Of: c.Of, Path: rel, Size: c.Size, Files: files, Created: now}); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, filepath.Join(outbox, rel))
	}
	if err := l.Complete(v, r, folder, "{}", now); err != nil {
		t.Fatal(err)
	}
	return outbox, copies, store, files
}

// flipByte changes one byte of a file (made writable first: stored originals
// are read-only).
func flipByte(t *testing.T, path string, at func(size int) int) {
	t.Helper()
	os.Chmod(path, 0o644)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[at(len(data))] ^= 0x01
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, copies []string, store string, files []yanshou.File) []string // returns extra args
		code   int
		want   []string
	}{
		{"fresh archive", nil, exitOK, []string{"台账记录：商水县某某职业培训学校 第3期", "第1份 共2份，持有单位 商水县电子商务办公室",
			"✓ 05现场照片/IMG_0001.jpg", "结论：归档册完整，与台账记录一致；所依据的 3 个原件均完好。"}},
		{"one byte of the archive", func(t *testing.T, copies []string, _ string, _ []yanshou.File) []string {
			flipByte(t, copies[0], func(n int) int { return n / 2 })
			return nil
		}, exitUnprocessed, []string{"台账中没有 SHA-256 与此文件相同的归档册", "自称是编号", "第1份", "文件已被改动",
			"结论：归档册已被改动或无法核实"}},
		{"one byte of a stored original", func(t *testing.T, _ []string, store string, files []yanshou.File) []string {
			flipByte(t, originals.Path(store, files[1].SHA256), func(int) int { return 0 })
			return nil
		}, exitUnprocessed, []string{"✗ 07学员名单/名单.csv：存档原件已被改动", "有 1 个原件缺失或已被改动"}},
		{"a stored original deleted", func(t *testing.T, _ []string, store string, files []yanshou.File) []string {
			os.Remove(originals.Path(store, files[0].SHA256))
			return nil
		}, exitUnprocessed, []string{"✗ 05现场照片/IMG_0001.jpg：存档中找不到此原件"}},
		{"an unknown PDF", func(t *testing.T, copies []string, _ string, _ []yanshou.File) []string {
			other := filepath.Join(filepath.Dir(copies[0]), "其他.pdf")
			os.WriteFile(other, []byte("%PDF-1.4\n%%EOF\n"), 0o644)
			return []string{other}
		}, exitUnprocessed, []string{"台账中没有", "结论：归档册已被改动或无法核实"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, copies, store, files := archivedOutbox(t)
			args := []string{"verify", copies[0]}
			if tt.change != nil {
				if extra := tt.change(t, copies, store, files); extra != nil {
					args = append([]string{"verify"}, extra...)
				}
			}
			code, stdout, stderr := runCmd(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q:\n%s", w, stdout)
				}
			}
			// The second copy is untouched in every case but the unknown file's.
			if tt.name == "one byte of the archive" {
				if code, out, _ := runCmd(t, "verify", copies[1]); code != exitOK {
					t.Errorf("the other copy: exit %d\n%s", code, out)
				}
			}
		})
	}
}

func TestVerifyUsage(t *testing.T) {
	outbox, copies, _, _ := archivedOutbox(t)
	over := t.TempDir()
	os.MkdirAll(filepath.Join(over, "report"), 0o755)
	os.WriteFile(filepath.Join(over, "report", "verify.yaml"), []byte("intact: \"核验通过（{{.N}} 个原件）\"\n"), 0o644)
	if code, out, _ := runCmd(t, "verify", "--templates", over, copies[0]); code != exitOK || !strings.Contains(out, "核验通过（3 个原件）") {
		t.Errorf("--templates not applied: exit %d\n%s", code, out)
	}
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"verify"}, exitUsage},
		{[]string{"verify", "--nope", "x.pdf"}, exitUsage},
		{[]string{"verify", "--help"}, exitOK},
		{[]string{"verify", filepath.Join(t.TempDir(), "none.pdf")}, exitUnprocessed},
		{[]string{"verify", "--outbox", t.TempDir(), copies[0]}, exitUnprocessed}, // no ledger there
		{[]string{"verify", "--outbox", outbox, copies[0], copies[1]}, exitOK},
	}
	for _, tt := range tests {
		if code, out, errOut := runCmd(t, tt.args...); code != tt.code {
			t.Errorf("yanshou %v exited %d, want %d\n%s%s", tt.args, code, tt.code, out, errOut)
		}
	}
}

// TestVerifyMissingFile: a file that is not there is said to be missing, not
// altered.
func TestVerifyMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "归档-商水县电子商务办公室.pdf")
	code, out, _ := runCmd(t, "verify", missing)
	if code != exitUnprocessed || !strings.Contains(out, "找不到文件 "+missing) || !strings.Contains(out, "结论：未核验") {
		t.Errorf("exit %d, want 1 and 找不到文件:\n%s", code, out)
	}
	if strings.Contains(out, "已被改动") || strings.Contains(out, "no such file") {
		t.Errorf("a missing file reported as altered or in English:\n%s", out)
	}
}

// TestVerifyReviewed: the copies of a reviewed archive (审核后/第N次确认/,
// bound after the office dismissed a class's failing findings and confirmed
// the verdict) are recorded like the program's: verify finds the ledger from
// there, says the copy is intact and a reviewed one with its final verdict,
// and says altered for one changed byte.
func TestVerifyReviewed(t *testing.T) {
	cfg := config.Default()
	samples := t.TempDir()
	cases, err := sample.Write(samples, 2026, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var dir string
	for _, c := range cases {
		if c.Verdict == yanshou.Fail && len(c.Rules) == 1 && c.Rules[0] == "photos.time_window" {
			dir = filepath.Join(samples, c.Dir)
		}
	}
	if dir == "" {
		t.Fatal("no sample class failing on photos.time_window")
	}
	outbox := t.TempDir()
	p, err := pipeline.Open(cfg, rules.Default(), outbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	rep, err := p.Check(ctx, dir, pipeline.CheckOptions{})
	if err != nil || rep.Verdict != yanshou.Fail {
		t.Fatalf("check: %s, %v", rep.Verdict, err)
	}
	now := time.Now()
	if err := p.Ledger.AddUser(ledger.User{Login: "wang", DisplayName: "王敏", Role: ledger.RoleReviewer}, "correct horse battery",
		ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, now); err != nil {
		t.Fatal(err)
	}
	wang, _ := p.Ledger.User("wang")
	for k, f := range rep.Findings {
		if f.Severity == yanshou.SevFail {
			if err := p.Ledger.Decide(wang, rep.ID, rep.Version, k, f.Rule, ledger.Dismiss, "审核人到场核实属实", now); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := p.Ledger.ConfirmVerdict(wang, rep.ID, rep.Version, "驳回后确认合格", now); err != nil {
		t.Fatal(err)
	}
	set, err := p.RenderReviewed(ctx, rep.ID, rep.Version)
	if err != nil {
		t.Fatal(err)
	}
	var copies []string
	for _, f := range set.Files {
		if strings.HasPrefix(filepath.Base(f), "归档-") {
			copies = append(copies, filepath.Join(outbox, set.Dir, filepath.Base(f)))
		}
	}
	if len(copies) < 2 {
		t.Fatalf("reviewed set %v: want the archive's copies", set.Files)
	}
	p.Close()
	code, out, errOut := runCmd(t, "verify", copies[0])
	if code != exitOK || !strings.Contains(out, "归档册完整") || !strings.Contains(out, "审核后归档册（第1次确认）") ||
		!strings.Contains(out, "最终结论 合格") {
		t.Errorf("reviewed copy: exit %d\n%s%s", code, out, errOut)
	}
	flipByte(t, copies[0], func(n int) int { return n / 2 })
	if code, out, _ := runCmd(t, "verify", copies[0]); code != exitUnprocessed || !strings.Contains(out, "已被改动") {
		t.Errorf("altered reviewed copy: exit %d\n%s", code, out)
	}
	if code, out, _ := runCmd(t, "verify", copies[1]); code != exitOK {
		t.Errorf("the other reviewed copy: exit %d\n%s", code, out)
	}
}
