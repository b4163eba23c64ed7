package pipeline

import (
	"context"
	"errors"
	"fmt"
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
	res, err := p.Batch(context.Background(), BatchOptions{})
	reps := res.Reports
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
	res, err = p2.Batch(context.Background(), BatchOptions{Institution: "宏达"})
	reps = res.Reports
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

// TestBatchCancelled: a batch whose context is cancelled after k classes stops
// between classes with context.Canceled, writes no batch document, and leaves a
// ledger that opens and lists exactly the k classes done; a second batch
// completes the rest.
func TestBatchCancelled(t *testing.T) {
	inbox, cases := writeSample(t)
	for _, k := range []int{1, 3} {
		t.Run(fmt.Sprintf("after %d", k), func(t *testing.T) {
			outbox := filepath.Join(t.TempDir(), "outbox")
			p := open(t, outbox)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := BatchOptions{Paths: []string{inbox}, Documents: true, Progress: func(done, _ int, _ yanshou.Report) {
				if done == k {
					cancel()
				}
			}}
			res, err := p.Batch(ctx, opts)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled batch: error %v, want context.Canceled", err)
			}
			if len(res.Reports) != k || res.Total != len(cases) {
				t.Fatalf("cancelled batch: %d reports of %d, want %d of %d", len(res.Reports), res.Total, k, len(cases))
			}
			if _, err := os.Stat(filepath.Join(outbox, LedgerBookFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a cancelled batch wrote %s (%v)", LedgerBookFile, err)
			}
			p.Close()

			p = open(t, outbox) // the ledger opens …
			classes, err := p.Ledger.Classes(p.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
			if err != nil {
				t.Fatal(err)
			}
			done := map[string]bool{}
			for _, r := range res.Reports {
				done[r.ID] = true
			}
			if len(classes) != k {
				t.Errorf("ledger lists %d classes after %d were done", len(classes), k)
			}
			for _, c := range classes { // … and lists exactly the classes done
				if !done[c.ID] {
					t.Errorf("ledger lists %s, not re-evaluated before the cancel", c.ID)
				}
			}

			opts.Progress = nil
			res, err = p.Batch(context.Background(), opts)
			if err != nil || len(res.Reports) != len(cases) || res.Book == "" {
				t.Fatalf("second batch: %d reports, 台账 %q, %v", len(res.Reports), res.Book, err)
			}
			classes, err = p.Ledger.Classes(p.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
			if err != nil || len(classes) != len(cases) {
				t.Errorf("after the second batch the ledger lists %d classes, want %d (%v)", len(classes), len(cases), err)
			}
		})
	}
}
