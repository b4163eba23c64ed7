// Command yanshou is the county e-commerce office's acceptance pipeline for
// training classes under the 电子商务进农村综合示范 programme: it checks each
// class an institution submits against the county's measures and renders the
// verdict report, notices and archive.
//
// Each subcommand lives in its own file, cmd_<verb>.go.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database (Windows)
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
	// stoppable: SIGINT and SIGTERM cancel the command's context, and it stops
	// cleanly (between submissions, between classes) instead of being killed.
	stoppable bool
}

var commands = map[string]command{}

// register adds a command that SIGINT ends like any program.
func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: func(_ context.Context, args []string, stdout, stderr io.Writer) int {
		return run(args, stdout, stderr)
	}}
}

// registerStoppable adds a command that SIGINT and SIGTERM stop through its
// context.
func registerStoppable(name, summary string, run func(ctx context.Context, args []string, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run, stoppable: true}
}

// Exit codes of DESIGN.md.
const (
	exitOK          = 0
	exitUnprocessed = 1 // something could not be processed at all
	exitUsage       = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "yanshou：没有 %s 这个命令\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	ctx := context.Background()
	if c.stoppable {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `yanshou — 电子商务进农村培训班验收

用法：yanshou <命令> [选项] [参数]

命令：`)
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w, `
每个命令的选项和示例：yanshou <命令> --help（如 yanshou check --help）。
退出码：0 每个路径都已处理（不论结论如何），1 有的未能处理，2 用法有误。`)
}
