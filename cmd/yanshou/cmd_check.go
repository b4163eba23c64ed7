package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline"
)

func init() {
	registerStoppable("check", "验收一个或几个提交（文件夹或 zip），打印结论", runCheck)
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check [选项] 路径...",
		"按县里的规则逐个验收每个路径（一个提交的文件夹，或装着它的 .zip），按给出的先后顺序；\n"+
			"在输出目录写出 verdict.json、验收报告.pdf、考勤表.xlsx 和通知书。后面的路径会与前面的\n"+
			"台账记录比对（照片重复使用、学员重复计数）。内容相同的提交不重复验收，版本号不变。\n"+
			"输出目录或台账出错时（磁盘已满、目录不可写、台账被其他程序占用）会说明原因，其后的\n"+
			"路径不再验收（退出码 1）：排除后重新运行即可。空文件夹不验收（退出码 2）。",
		stderr,
		"yanshou check inbox/商水县宏达职业培训学校/第1期",
		"yanshou check --outbox D:/验收 第1期.zip 第2期.zip",
		"yanshou check --json inbox/某机构/第3期 > 结论.json")
	var c commonFlags
	c.register(fs)
	asJSON := fs.Bool("json", false, "在标准输出打印一个 JSON 数组（每个路径一个对象），不打印表格")
	recheck := fs.Bool("recheck", false, "台账中已有结论的相同内容也重新验收")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "没有给出要验收的文件夹或 zip")
	}
	if msg := emptyFolders(fs.Args()); msg != "" {
		return usageError(fs, msg)
	}
	p, _, err := c.open(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou check：%v\n", err)
		return exitUnprocessed
	}
	defer p.Close()

	reports, err := p.CheckAll(ctx, fs.Args(), pipeline.CheckOptions{Recheck: *recheck})
	var fault *pipeline.FaultError
	switch {
	case errors.As(err, &fault):
		fmt.Fprintf(stderr, "yanshou check：%v\n", err)
	case err != nil:
		fmt.Fprintf(stderr, "yanshou check：%s\n", stopped(reports))
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
			fmt.Fprintf(stderr, "yanshou check：%v\n", err)
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
				rules = append(rules, f.Name()) // the rule's Chinese title
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

// emptyFolders says which paths are folders holding no file at all (at any
// depth): there is nothing to judge, and judging would record an unidentified
// class in the ledger. "" when there is none.
func emptyFolders(paths []string) string {
	var empty []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() && !holdsFile(p) {
			empty = append(empty, p)
		}
	}
	if len(empty) == 0 {
		return ""
	}
	return fmt.Sprintf("%s 是空文件夹，没有可验收的材料；所有路径均未验收，台账未记录", strings.Join(empty, "、"))
}

// holdsFile reports whether a regular file lies anywhere under dir. An
// unreadable folder counts as holding one: the check then says what it could
// not read.
func holdsFile(dir string) bool {
	found := errors.New("found")
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.Type().IsRegular() {
			return found
		}
		return nil
	})
	return err != nil
}
