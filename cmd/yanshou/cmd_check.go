package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"yanshou"
	"yanshou/pipeline"
)

func init() {
	register("check", "check submission folders or zips once and print the verdicts", runCheck)
}

func runCheck(args []string, stdout, stderr io.Writer) int {
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
	p.Recheck = *recheck

	code := exitOK
	reports := make([]yanshou.Report, 0, fs.NArg())
	var fault *pipeline.FaultError
	for _, path := range fs.Args() {
		if fault != nil {
			// Later paths are judged against the ledger entries of earlier ones
			// (reused photos, trainees counted twice): checking them without the
			// one that failed would judge them differently than a run in order.
			reports = append(reports, yanshou.Report{Path: path, Findings: []yanshou.Finding{}, Outputs: []string{},
				Error: "未检查：前面的提交因输出目录或台账数据库的故障未能处理，为保持先后顺序，其后的提交都未检查；排除故障后请重新运行"})
			continue
		}
		rep, err := p.Check(path)
		if err != nil {
			code = exitUnprocessed
			if errors.As(err, &fault) {
				fmt.Fprintln(stderr, "yanshou check:", err)
			}
		}
		reports = append(reports, rep)
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
