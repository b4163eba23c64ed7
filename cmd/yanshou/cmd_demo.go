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
	register("demo", "写出内置的示例提交，并对它们完整走一遍验收", runDemo)
}

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo [选项]",
		"写出一个仿真的示例收件目录（三家虚构机构的 12 个培训班次，有合格、不合格和一票否决），\n"+
			"按顺序逐个验收，并把结论与预期并列打印。用来试用 yanshou、看它生成的各种文件。",
		stderr,
		"yanshou demo",
		"yanshou demo --inbox 示例/inbox --outbox 示例/outbox")
	var c commonFlags
	c.register(fs)
	inbox := fs.String("inbox", "inbox", "`文件夹`示例提交写到这里")
	seed := fs.Int64("seed", 2026, "示例生成器的种子（种子相同，生成的文件也相同）")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		return usageError(fs, fmt.Sprintf("多余的参数 %q（示例目录用 --inbox 指定）", fs.Arg(0)))
	}
	p, cfg, err := c.open(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou demo：%v\n", err)
		return exitUnprocessed
	}
	defer p.Close()
	cases, err := sample.Write(*inbox, *seed, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou demo：示例提交未能写出：%v\n", err)
		return exitUnprocessed
	}
	fmt.Fprintf(stdout, "示例提交已写入 %s（%d 个培训班次），逐个验收：\n\n", *inbox, len(cases))
	var tb table
	tb.add("班次", "预期", "结论", "问题", "输出目录")
	code := exitOK
	for _, cs := range cases {
		rep, err := p.Check(context.Background(), filepath.Join(*inbox, cs.Dir), pipeline.CheckOptions{})
		if err != nil {
			tb.add(cs.Dir, cs.Verdict.Chinese(), "未处理", err.Error(), "")
			code = exitUnprocessed
			continue
		}
		var fired, titles []string // ids to compare with what is expected, titles to show
		for _, f := range rep.Findings {
			if f.Severity != yanshou.Warning {
				fired = append(fired, f.Rule)
				titles = append(titles, f.Name())
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
		tb.add(cs.Dir, cs.Verdict.Chinese(), rep.VerdictZh+mark, joinOrDash(titles), dir)
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
