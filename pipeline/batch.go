package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/output/ledgerbook"
	"yanshou/pipeline/stage/intake"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

// BatchOptions choose what a batch re-evaluates.
type BatchOptions struct {
	Paths       []string  // re-check the submissions found under these paths; none: every class in the ledger
	Since       time.Time // classes starting on or after (zero: no limit)
	Until       time.Time // classes starting on or before (zero: no limit)
	Institution string    // only classes whose institution contains this text
	// Progress, if set, is called after each class with the count done and the total.
	Progress func(done, total int, rep yanshou.Report)
	// Documents: after the re-evaluation, write the batch documents
	// (BatchDocuments: 台账.xlsx, 全县汇总.pdf, the inspection forms).
	Documents bool
	// Inspection: with Documents, also write the inspection form of every
	// institution whose name contains this text (classes limited to Since/Until).
	Inspection string
}

// BatchResult is what a batch did.
type BatchResult struct {
	Reports []yanshou.Report // one per class re-evaluated, in order (fewer than Total when stopped)
	Total   int              // the classes selected
	Elapsed time.Duration    // the time the re-evaluation took
	// Reviewed are the reviewed sets rendered again (folders relative to the
	// outbox): confirmed versions whose set was missing or whose judgement
	// changed (see RenderReviewed).
	Reviewed []string

	// With BatchOptions.Documents:
	Classes  []yanshou.ClassRecord // every class of the ledger after the re-evaluation
	Totals   ledgerbook.Totals     // trainees county-wide, latest versions
	Coverage *yanshou.Coverage     // poor-household coverage; nil without a registry in the config
	Book     string                // 台账.xlsx, once written
	Summary  string                // 全县汇总.pdf, once written
	Forms    []string              // the inspection forms written
}

// Batch re-evaluates classes with the current config and rules, as before an
// inspection: every class in the ledger (its latest version, from the stored
// originals, so what was judged is what is re-judged even if the institution has
// since changed its folder), or the submissions under opts.Paths. A class whose
// judgement does not change keeps its documents; cached photo facts are reused.
// A FaultError (a full disk, a locked ledger) stops the batch: the reports so far
// are returned with it. A cancelled ctx stops it between classes: the class in
// progress is finished (its version recorded or its documents left as they
// were), the reports so far are returned with ctx's error, and no batch
// document is written.
//
// The office's decisions are kept (they are keyed by content): the reviewed
// set of a confirmed version is rendered again when its judgement changed,
// the stored final verdicts are computed again where missing or stale
// (Finals.Refresh: a version judged again, a changed headcount rule or
// threshold), and the batch documents count the confirmed ones, as every list
// of the ledger does (ledger.ApplyFinal).
//
// With opts.Documents the batch documents follow (see BatchDocuments). An
// error there is returned with the result, whose Book, Summary and Forms name
// what was written before it; without Book (the ledger workbook failed, or the
// ledger could not be read) nothing was written.
func (p *Pipeline) Batch(ctx context.Context, opts BatchOptions) (*BatchResult, error) {
	start := time.Now()
	res := &BatchResult{}
	reps, total, err := p.reevaluate(ctx, opts)
	res.Reports, res.Total, res.Elapsed = reps, total, time.Since(start)
	if err != nil {
		return res, err
	}
	if _, err := p.finals().Refresh(p.Now()); err != nil {
		return res, Classify(p.Outbox, err)
	}
	// The office's decisions are kept by content: a confirmed version whose
	// judgement changed gets its reviewed set again.
	if res.Reviewed, err = p.refreshReviewed(ctx); err != nil || !opts.Documents {
		return res, err
	}
	return res, p.batchDocuments(opts, res)
}

// batchDocuments writes the batch documents after a re-evaluation.
func (p *Pipeline) batchDocuments(opts BatchOptions, res *BatchResult) error {
	now := p.Now()
	classes, err := p.Ledger.Classes(now, p.Config.Location, p.Config.Thresholds.AttendancePass)
	if err != nil {
		return err
	}
	res.Classes = classes
	x := &BatchRendering{p: p, Now: now, Classes: classes, Inspection: opts.Inspection,
		Since: opts.Since, Until: opts.Until, Result: res}
	if err := p.batchFacts(x); err != nil {
		return err
	}
	res.Coverage = x.Coverage
	sweepPartials(p.Outbox, time.Now())
	_, err = renderAll(BatchDocuments, x)
	return err
}

// reevaluate selects the classes (or the submissions under opts.Paths) and
// checks each again; it returns the reports and the count selected.
func (p *Pipeline) reevaluate(ctx context.Context, opts BatchOptions) ([]yanshou.Report, int, error) {
	type job struct{ path, origin string }
	var jobs []job
	if len(opts.Paths) > 0 {
		for _, root := range opts.Paths {
			found, err := discoverOrSelf(root)
			if err != nil {
				return nil, 0, err
			}
			for _, f := range found {
				jobs = append(jobs, job{f, f})
			}
		}
	} else {
		classes, err := p.Ledger.Classes(p.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
		if err != nil {
			return nil, 0, Classify(p.Outbox, err)
		}
		for _, c := range classes {
			if !opts.Since.IsZero() && c.Start.Before(opts.Since) || !opts.Until.IsZero() && c.Start.After(opts.Until) {
				continue
			}
			if opts.Institution != "" && !strings.Contains(c.Institution, opts.Institution) {
				continue
			}
			last := c.Latest()
			dir, err := p.restore(last.ContentHash)
			var fault *FaultError
			if err = Classify(p.Outbox, err); errors.As(err, &fault) {
				// Not the origin instead: it may hold other content by now.
				return nil, 0, err
			}
			if err != nil {
				p.Log.Warn("originals incomplete, using the origin", "id", c.ID, "origin", last.Origin, "error", err)
				dir = last.Origin
			}
			jobs = append(jobs, job{dir, last.Origin})
		}
	}
	reps := make([]yanshou.Report, 0, len(jobs))
	for i, j := range jobs {
		if err := ctx.Err(); err != nil {
			p.Log.Info("batch stopped", "done", i, "total", len(jobs))
			return reps, len(jobs), err
		}
		// The class in progress runs to its end whatever ctx does meanwhile.
		rep, err := p.Check(context.WithoutCancel(ctx), j.path, CheckOptions{Recheck: true, Origin: j.origin})
		var fault *FaultError
		if errors.As(err, &fault) {
			// The disk, the outbox or the ledger failed: every class after this one
			// would fail the same way, and later classes are judged against the
			// earlier ones. Stop; what was re-evaluated is recorded, the rest keep
			// their documents, and a re-run after the fault is cleared completes.
			p.Log.Error("batch stopped", "path", j.origin, "done", i, "total", len(jobs), "error", err)
			return reps, len(jobs), fmt.Errorf("已重新评定 %d/%d 个班次，其余未处理：%w", i, len(jobs), err)
		}
		if err != nil {
			p.Log.Error("not re-evaluated", "path", j.origin, "error", err)
		}
		reps = append(reps, rep)
		if opts.Progress != nil {
			opts.Progress(i+1, len(jobs), rep)
		}
	}
	return reps, len(jobs), nil
}

// discoverOrSelf returns the submissions under root, or root itself when it is
// one (a folder holding a manifest, or a zip).
func discoverOrSelf(root string) ([]string, error) {
	info, err := os.Stat(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New(templates.Say("pipeline.not_found", root))
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取 %s：%w", root, err)
	}
	if !info.IsDir() {
		return []string{root}, nil
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && intake.IsManifestName(e.Name()) {
			return []string{root}, nil
		}
	}
	cands, err := intake.Discover(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cands {
		out = append(out, c.Path)
	}
	return out, nil
}

// restore lays out a judged version's files, from the originals store, in a
// folder of the state folder (hard links where possible: the store is never
// written to in place, and the pipeline never writes into a submission).
func (p *Pipeline) restore(contentHash string) (string, error) {
	files, err := p.Ledger.Files(contentHash)
	if err != nil {
		return "", err
	}
	if len(files) == 0 {
		return "", errors.New("台账中没有该版本的文件清单")
	}
	dest := p.stateDir("restored", contentHash[:16])
	done := dest + ".complete" // beside, not inside: it must not become a file of the submission
	if _, err := os.Stat(done); err == nil {
		return dest, nil
	}
	if err := os.RemoveAll(dest); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", err
	}
	store := p.stateDir("originals")
	for _, f := range files {
		src := originals.Path(store, f.SHA256)
		target := filepath.Join(dest, filepath.FromSlash(f.Rel))
		if !strings.HasPrefix(target, dest+string(filepath.Separator)) {
			return "", fmt.Errorf("台账中的文件名 %q 不安全", f.Rel)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return "", err
		}
		if err := os.Link(src, target); err != nil {
			if err := copyFile(src, target); err != nil {
				return "", fmt.Errorf("原件 %s（%s）：%w", f.Rel, f.SHA256[:12], err)
			}
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		return "", err
	}
	return dest, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
