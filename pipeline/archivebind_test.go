package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

// TestArchiveBindRule: a passed class with a PDF the archive cannot bind in
// full gets the archive.bind warning of the rule set, evidence naming the file;
// a county rule set without that rule gives none.
func TestArchiveBindRule(t *testing.T) {
	inbox, cases := writeSample(t)
	var pass string
	for _, c := range cases {
		if c.Verdict == yanshou.Pass {
			pass = filepath.Join(inbox, c.Dir)
			break
		}
	}
	if pass == "" {
		t.Fatal("the sample has no passing class")
	}
	// A courseware PDF that opens as a PDF header but whose pages cannot be imported.
	var target string
	filepath.WalkDir(pass, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".pdf") && strings.Contains(p, "课件") && target == "" {
			target = p
		}
		return nil
	})
	if target == "" {
		t.Fatal("no courseware PDF in the passing sample class")
	}
	if err := os.WriteFile(target, []byte("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	without := rules.Default()
	kept := without.Rules[:0:0]
	for _, r := range without.Rules {
		if r.ID != rules.ArchiveBind {
			kept = append(kept, r)
		}
	}
	without = &rules.Set{Source: "county", Rules: kept}
	for _, tt := range []struct {
		name  string
		rules *rules.Set
		want  bool
	}{{"the default rules", rules.Default(), true}, {"a county's rules without archive.bind", without, false}} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Open(config.Default(), tt.rules, t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			r, err := p.Check(context.Background(), pass, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var found *yanshou.Finding
			for i := range r.Findings {
				if r.Findings[i].Rule == rules.ArchiveBind {
					found = &r.Findings[i]
				}
			}
			if (found != nil) != tt.want {
				t.Fatalf("verdict %s, archive.bind finding %+v, want %v; findings %+v", r.Verdict, found, tt.want, r.Findings)
			}
			if found == nil {
				return
			}
			rel, _ := filepath.Rel(pass, target)
			if found.Severity != yanshou.Warning || found.Article != "第十二条" || !strings.Contains(found.Message, "1 个文件未能装订原文") ||
				len(found.Evidence) != 1 || found.Evidence[0].File != filepath.ToSlash(rel) {
				t.Errorf("finding %+v", found)
			}
			if r.Verdict != yanshou.Pass {
				t.Errorf("verdict %s: a warning must not change it", r.Verdict)
			}
		})
	}
}
