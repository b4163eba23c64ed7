package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

// TestBatch: a batch re-judges every class from its stored originals — even after
// the institution deleted its folder — keeps versions, and reflects a changed
// threshold; a class whose judgement is unchanged keeps its documents.
func TestBatch(t *testing.T) {
	inbox, cases := writeSample(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	var paths []string
	for _, c := range cases {
		paths = append(paths, filepath.Join(inbox, c.Dir))
	}
	first := map[string]yanshou.Report{}
	for _, path := range paths {
		rep, err := p.Check(context.Background(), path, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		first[rep.ID] = rep
	}
	// The institution of the first class deletes its folder.
	if err := os.RemoveAll(paths[0]); err != nil {
		t.Fatal(err)
	}
	reps, err := p.Batch(context.Background(), BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != len(cases) {
		t.Fatalf("batch judged %d classes, want %d", len(reps), len(cases))
	}
	for _, r := range reps {
		was := first[r.ID]
		if r.Error != "" || r.Verdict != was.Verdict || r.Version != was.Version {
			t.Errorf("%s: batch gave %s v%d (%s), first check %s v%d", r.Path, r.Verdict, r.Version, r.Error, was.Verdict, was.Version)
		}
	}

	// A county that demands 100% attendance: the low-attendance class stays a
	// fail, and passed classes with any absentee would change. Re-open with it.
	p.Close()
	cfg := config.Default()
	cfg.Thresholds.FollowupMinShare = 0.9
	p2, err := Open(cfg, rules.Default(), outbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	reps, err = p2.Batch(context.Background(), BatchOptions{Institution: "宏达"})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) == 0 {
		t.Fatal("institution filter matched nothing")
	}
	for _, r := range reps {
		if r.Verdict == yanshou.Pass {
			t.Errorf("%s passed although follow-ups must now reach 90%%", r.Path)
		}
		if r.Institution != "商水县宏达职业培训学校" {
			t.Errorf("institution filter let %s through", r.Institution)
		}
	}
}
