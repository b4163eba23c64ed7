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
	"yanshou/pipeline/platform/config"
)

func init() {
	registerStoppable("batch", "迎检前按现行规则重新评定全部班次，写出台账.xlsx", runBatch)
}

func runBatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("batch [选项] [路径...]",
		"迎接检查前：用现行的配置和规则，从存档的原件重新评定台账中每个班次（取其最新版本），\n"+
			"或只评定路径下的提交；然后在输出目录写出台账.xlsx：每个班次一行及其当前状态，每个机构\n"+
			"一个工作表，另有全县汇总。结论未变的班次保留原有文件；照片指纹取自缓存，规则改动后\n"+
			"重新运行只需首次的一小部分时间。--since 不能晚于 --until。",
		stderr,
		"yanshou batch",
		"yanshou batch --since 2026-01-01 --until 2026-06-30",
		"yanshou batch --institution 宏达 --inspection 宏达",
		"yanshou batch --json > 重新评定.json")
	var c commonFlags
	c.register(fs)
	since := fs.String("since", "", "`日期`只评定在这一天或之后开班的班次（如 2026-01-01）")
	until := fs.String("until", "", "`日期`只评定在这一天或之前开班的班次（如 2026-06-30）")
	inst := fs.String("institution", "", "`文字`只评定名称含这段文字的机构的班次")
	asJSON := fs.Bool("json", false, "在标准输出把重新评定的结论打印为一个 JSON 数组")
	inspection := fs.String("inspection", "", "`文字`同时为名称含这段文字的机构写出 电子商务培训检查记录表-<机构>.pdf（第十五条）")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	cfg, err := config.Load(c.config)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou batch：%v\n", err)
		return exitUnprocessed
	}
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
			return usageError(fs, fmt.Sprintf("--%s 的值 %q 不是日期，请写成 2026-03-10 这样", d.flag, d.val))
		}
		*d.into = t
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && opts.Until.Before(opts.Since) {
		// Refused before the ledger is opened: an empty range would rewrite 台账 with nothing.
		return usageError(fs, fmt.Sprintf("--since %s 晚于 --until %s，这个日期范围内没有班次；台账未改动", *since, *until))
	}
	p, _, err := c.open(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou batch：%v\n", err)
		return exitUnprocessed
	}
	defer p.Close()
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
		fmt.Fprintf(stderr, "yanshou batch：已中断：完成 %d 个，剩余 %d 个未处理\n", len(res.Reports), res.Total-len(res.Reports))
		return exitUnprocessed
	case res.Book == "":
		// A full disk or a locked ledger: the classes re-evaluated so far are
		// recorded; 台账 and the county documents would fail the same way.
		fmt.Fprintf(stderr, "yanshou batch：%v\n", err)
		return exitUnprocessed
	default:
		// 台账 is written; a county document is not.
		fmt.Fprintf(stderr, "yanshou batch：%v\n", err)
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
	for _, d := range res.Reviewed {
		fmt.Fprintf(stdout, "已按审核意见重新生成审核后的文件：输出目录下 %s\n", d)
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
