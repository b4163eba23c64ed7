package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/testkit/sample"
)

func init() {
	register("demo", "write the built-in sample inbox and run the whole pipeline over it", runDemo)
}

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo [--inbox DIR] [--outbox DIR]",
		"Writes a realistic sample inbox (classes from three fictional institutions that pass, fail and\n"+
			"are vetoed), checks every class in order and prints the verdicts next to what was expected.", stderr)
	var c commonFlags
	c.register(fs)
	inbox := fs.String("inbox", "inbox", "folder to write the sample submissions into")
	seed := fs.Int64("seed", 2026, "seed of the sample generator (the same seed gives the same files)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	p, cfg, err := c.open(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou demo:", err)
		return exitUnprocessed
	}
	defer p.Close()
	cases, err := sample.Write(*inbox, *seed, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou demo: writing the sample:", err)
		return exitUnprocessed
	}
	fmt.Fprintf(stdout, "示例提交已写入 %s（%d 个培训班次），逐个验收：\n\n", *inbox, len(cases))
	var tb table
	tb.add("班次", "预期", "结论", "触发规则", "输出目录")
	code := exitOK
	for _, cs := range cases {
		rep, err := p.Check(context.Background(), filepath.Join(*inbox, cs.Dir), pipeline.CheckOptions{})
		if err != nil {
			tb.add(cs.Dir, cs.Verdict.Chinese(), "未处理", err.Error(), "")
			code = exitUnprocessed
			continue
		}
		var fired []string
		for _, f := range rep.Findings {
			if f.Severity != yanshou.Warning {
				fired = append(fired, f.Rule)
			}
		}
		mark := ""
		if rep.Verdict != cs.Verdict || !containsAll(fired, cs.Rules) {
			mark = " ✗ 与预期不符"
			code = exitUnprocessed
		}
		dir := ""
		if len(rep.Outputs) > 0 {
			dir = filepath.Dir(rep.Outputs[0])
		}
		tb.add(cs.Dir, cs.Verdict.Chinese(), rep.VerdictZh+mark, joinOrDash(fired), dir)
	}
	tb.write(stdout)
	fmt.Fprintf(stdout, "\n验收报告、考勤表、通知书在 %s 下各班次的目录中；台账数据库在 %s。\n",
		c.outbox, filepath.Join(c.outbox, ".yanshou", "ledger.db"))
	return code
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
