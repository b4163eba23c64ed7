package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline"
)

func init() {
	registerStoppable("batch", "re-evaluate every class with the current rules and write the ledger (台账.xlsx)", runBatch)
}

func runBatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("batch [--config F] [--outbox DIR] [--since DATE] [--until DATE] [--institution TEXT] [--json] [PATH...]",
		"Before an inspection: re-judges every class in the ledger (its latest version, from the stored\n"+
			"originals) — or the submissions under PATH — with the current config and rules, then writes\n"+
			"台账.xlsx at the outbox root: one row per class with its standing, a sheet per institution and a\n"+
			"county summary. Classes whose judgement is unchanged keep their documents; photo hashes are\n"+
			"reused from the cache, so a re-run after a rule change takes a fraction of the first run.", stderr)
	var c commonFlags
	c.register(fs)
	since := fs.String("since", "", "only classes starting on or after this date (2026-01-01)")
	until := fs.String("until", "", "only classes starting on or before this date")
	inst := fs.String("institution", "", "only classes of institutions whose name contains this text")
	asJSON := fs.Bool("json", false, "print the re-evaluated verdicts as one JSON array on stdout")
	inspection := fs.String("inspection", "", "also write 电子商务培训检查记录表-<机构>.pdf for the institutions whose name contains this text (第十五条)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	p, cfg, err := c.open(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou batch:", err)
		return exitUnprocessed
	}
	defer p.Close()
	opts := pipeline.BatchOptions{Paths: fs.Args(), Institution: *inst, Documents: true, Inspection: *inspection}
	for _, d := range []struct {
		flag, val string
		into      *time.Time
	}{{"since", *since, &opts.Since}, {"until", *until, &opts.Until}} {
		if d.val == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.val, cfg.Location)
		if err != nil {
			fmt.Fprintf(stderr, "yanshou batch: --%s %q is not a date like 2026-03-10\n", d.flag, d.val)
			return exitUsage
		}
		*d.into = t
	}
	bar := newProgress(stderr)
	opts.Progress = func(done, total int, rep yanshou.Report) {
		bar.step(done, total, strings.TrimSpace(rep.Institution+" "+rep.Class+" "+rep.VerdictZh))
	}
	res, err := p.Batch(ctx, opts)
	bar.done()
	code := exitOK
	switch {
	case err == nil:
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// Stopped between classes: those re-evaluated are recorded, the others
		// keep their documents; a re-run completes.
		fmt.Fprintf(stderr, "yanshou batch: 已中断：完成 %d 个，剩余 %d 个未处理\n", len(res.Reports), res.Total-len(res.Reports))
		return exitUnprocessed
	case res.Book == "":
		// A full disk or a locked ledger: the classes re-evaluated so far are
		// recorded; 台账 and the county documents would fail the same way.
		fmt.Fprintln(stderr, "yanshou batch:", err)
		return exitUnprocessed
	default:
		// 台账 is written; a county document is not.
		fmt.Fprintln(stderr, "yanshou batch:", err)
		code = exitUnprocessed
		if errors.Is(err, pipeline.ErrNoInstitution) {
			code = exitUsage
		}
	}
	reps := res.Reports
	for _, r := range reps {
		if r.Error != "" {
			code = exitUnprocessed
		}
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(reps)
		return code
	}
	states := map[yanshou.State]int{}
	for _, cl := range res.Classes {
		states[cl.State]++
	}
	verdicts := map[yanshou.Verdict]int{}
	for _, r := range reps {
		verdicts[r.Verdict]++
	}
	fmt.Fprintf(stdout, "重新评定 %d 个班次，用时 %s：合格 %d，不合格 %d，一票否决 %d，未能处理 %d。\n",
		len(reps), res.Elapsed.Round(100*time.Millisecond), verdicts[yanshou.Pass], verdicts[yanshou.Fail], verdicts[yanshou.Veto], verdicts[""])
	var tb table
	tb.add("当前状态", "班次数")
	for _, s := range []yanshou.State{yanshou.StateArchived, yanshou.StateRectified, yanshou.StateRetrained,
		yanshou.StateRectify, yanshou.StateOverdue, yanshou.StateVetoed} {
		tb.add(string(s), fmt.Sprint(states[s]))
	}
	tb.write(stdout)
	fmt.Fprintf(stdout, "全县参训 %d 人，其中建档立卡贫困户 %d 人。台账：%s\n", res.Totals.Trained, res.Totals.Poor, res.Book)
	if cov := res.Coverage; cov != nil {
		fmt.Fprintf(stdout, "建档立卡贫困户培训覆盖率 %.1f%%（%d/%d 人，尚未培训 %d 人，名单见台账“贫困户覆盖”）。\n",
			100*cov.Rate(), len(cov.Trained), cov.Members, len(cov.Missing))
	}
	if res.Summary != "" {
		fmt.Fprintf(stdout, "全县汇总：%s\n", res.Summary)
	}
	for _, f := range res.Forms {
		fmt.Fprintf(stdout, "检查记录表：%s\n", f)
	}
	return code
}

// progress shows a bar on a terminal and plain lines otherwise.
type progress struct {
	w    io.Writer
	tty  bool
	last time.Time
}

func newProgress(w io.Writer) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, tty: tty}
}

func (p *progress) step(done, total int, label string) {
	if !p.tty {
		fmt.Fprintf(p.w, "[%d/%d] %s\n", done, total, label)
		return
	}
	if time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s\033[K", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total, label)
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
