package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"yanshou"
	"yanshou/pipeline"
)

func init() {
	registerStoppable("check", "check submission folders or zips once and print the verdicts", runCheck)
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check [--config F] [--outbox DIR] [--json] PATH...",
		"Checks each PATH (a submission folder or a .zip holding one), in order, against the county's\n"+
			"rules; writes verdict.json, 验收报告.pdf, 考勤表.xlsx and the notice into the outbox. A later path\n"+
			"is checked against the ledger entries of earlier ones (reused photos, trainees counted twice).\n"+
			"The same content checked again gives the same version and is not judged twice. When the outbox\n"+
			"or the ledger fails (a full disk, an outbox that may not be written, a database held by another\n"+
			"process) the error says so and the later paths are not checked (exit 1): run again once cleared.", stderr)
	var c commonFlags
	c.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON array (one object per path) on stdout")
	recheck := fs.Bool("recheck", false, "judge again content the ledger already holds a verdict for")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "yanshou check: no PATH given")
		fs.Usage()
		return exitUsage
	}
	p, _, err := c.open(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou check:", err)
		return exitUnprocessed
	}
	defer p.Close()

	reports, err := p.CheckAll(ctx, fs.Args(), pipeline.CheckOptions{Recheck: *recheck})
	var fault *pipeline.FaultError
	switch {
	case errors.As(err, &fault):
		fmt.Fprintln(stderr, "yanshou check:", err)
	case err != nil:
		fmt.Fprintln(stderr, "yanshou check:", stopped(reports))
	}
	code := exitOK
	for _, r := range reports {
		if r.Error != "" {
			code = exitUnprocessed
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(reports); err != nil {
			fmt.Fprintln(stderr, "yanshou check:", err)
			return exitUnprocessed
		}
		return code
	}
	printTable(stdout, reports)
	return code
}

// printTable prints one line per report for a person at a terminal.
func printTable(w io.Writer, reports []yanshou.Report) {
	var tb table
	tb.add("结论", "机构", "期次", "版本", "问题", "报告")
	for _, r := range reports {
		if r.Error != "" {
			tb.add("未处理", r.Path, "", "", r.Error, "")
			continue
		}
		var rules []string
		for _, f := range r.Findings {
			if f.Severity != yanshou.Warning {
				rules = append(rules, f.Rule)
			}
		}
		report := ""
		for _, o := range r.Outputs {
			if strings.HasSuffix(o, "验收报告.pdf") {
				report = o
			}
		}
		tb.add(r.VerdictZh, r.Institution, r.Class, fmt.Sprintf("v%d", r.Version), joinOrDash(rules), report)
	}
	tb.write(w)
}

func joinOrDash(ss []string) string {
	if len(ss) == 0 {
		return "—"
	}
	return strings.Join(ss, ",")
}

// stopped is the line printed when a run was stopped (SIGINT, SIGTERM) before
// every path was checked.
func stopped(reports []yanshou.Report) string {
	left := 0
	for _, r := range reports {
		if r.Error == pipeline.NotCheckedStopped {
			left++
		}
	}
	return fmt.Sprintf("已中断：完成 %d 个，剩余 %d 个未处理", len(reports)-left, left)
}
