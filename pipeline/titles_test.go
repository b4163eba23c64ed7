package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
)

// TestFiledByTitle: a class whose 批复 is named 扫描件001.pdf, but whose first
// page reads 关于同意……的批复, has every material (the title decides for a name
// that names none) and passes, the evidence saying the title decided; the same
// 批复 named as a notice is filed by its title too (a text layer: the title
// wins), with a warning naming both.
func TestFiledByTitle(t *testing.T) {
	inbox, cases := writeSample(t)
	var src string
	for _, c := range cases {
		if strings.HasSuffix(c.Dir, "巾帼电商第三期") {
			src = filepath.Join(inbox, c.Dir)
			if c.Verdict != yanshou.Pass {
				t.Fatalf("the sample's 巾帼 第3期 is %s, want a pass", c.Verdict)
			}
		}
	}
	if src == "" {
		t.Fatal("no 巾帼电商第三期 in the sample")
	}
	const approval = "02-关于同意培训申请的批复.pdf"
	p := open(t, filepath.Join(t.TempDir(), "outbox"))
	for _, tc := range []struct {
		name, as string
		want     string // the evidence line of materials.recognised
	}{
		{"unrecognised name", "扫描件001.pdf", "按首页标题《关于同意"},
		{"name of another material", "补充通知.pdf", "文件名像「培训通知」，首页标题《关于同意"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "巾帼电商第三期")
			copyDir(t, src, dir)
			if err := os.Rename(filepath.Join(dir, approval), filepath.Join(dir, tc.as)); err != nil {
				t.Fatal(err)
			}
			r, err := p.check(context.Background(), &checking{path: dir, origin: dir})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != yanshou.Pass {
				t.Errorf("verdict %s, want a pass; findings %+v", r.Verdict, r.Findings)
			}
			var f *yanshou.File
			for i := range r.Submission.Files {
				if r.Submission.Files[i].Rel == tc.as {
					f = &r.Submission.Files[i]
				}
			}
			if f == nil || f.Kind != yanshou.Approval || !strings.HasSuffix(f.Title, "的批复") {
				t.Fatalf("file %+v, want a 批复 by its title", f)
			}
			var recognised *yanshou.Finding
			for i, fd := range r.Findings {
				if fd.Rule == "materials.complete" {
					t.Errorf("materials.complete: %s", fd.Message)
				}
				if fd.Rule == "materials.recognised" {
					recognised = &r.Findings[i]
				}
			}
			if recognised == nil || len(recognised.Evidence) != 1 || recognised.Evidence[0].File != tc.as ||
				!strings.Contains(recognised.Evidence[0].Detail, tc.want) || !strings.Contains(recognised.Evidence[0].Detail, "批复》") {
				t.Errorf("materials.recognised: %+v, want evidence with %q", recognised, tc.want)
			}
			if len(r.Papers) == 0 || r.Papers[0].Kind != yanshou.Approval || r.Papers[0].File != tc.as || !r.Papers[0].Read {
				t.Errorf("papers %+v: the 批复 filed by its title is the one read", r.Papers)
			}
		})
	}
}
