package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/watch"
)

func init() {
	registerStoppable("watch", "watch the inbox and check every finished submission (the daemon; --once for cron)", watchMain)
}

// watchMain runs the daemon until ctx is cancelled (SIGINT or SIGTERM).
func watchMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("watch [--config F] [--inbox DIR] [--outbox DIR] [--settle 30s] [--rescan 60s] [--workers N] [--once] [--poll-only] [--log json]",
		"Watches the inbox and checks every finished submission (a folder with a manifest, or a .zip)\n"+
			"into the outbox. A submission is finished when a marker file (提交完成.txt or READY) sits at\n"+
			"its top, or when nothing in it changed for the settle time; a zip when its size is stable and\n"+
			"it reads. Folders are watched for events and the whole inbox is rescanned periodically (shared\n"+
			"folders deliver no events). The same content is judged once; changed content becomes a new\n"+
			"version. A check that failed because of the outbox or the ledger (a full disk, a locked\n"+
			"database) is retried at the next rescan. SIGINT/SIGTERM: no new work, checks in flight finish\n"+
			"(up to --grace), exit 0.\n"+
			"--once: take what is finished now, check it, exit (1 if something could not be processed).\n"+
			"--settle, --rescan and --workers override the config's intake keys.", stderr)
	var c commonFlags
	c.register(fs)
	inbox := fs.String("inbox", "inbox", "the drop folder institutions put submissions in")
	settle := fs.Duration("settle", 0, "a submission without a marker is taken when nothing in it changed for this long (default: config intake.settle, 30s)")
	rescan := fs.Duration("rescan", 0, "full rescan period (default: config intake.rescan, 60s)")
	workers := fs.Int("workers", 0, "submissions checked at once (default: config intake.workers; 0 = number of CPUs)")
	once := fs.Bool("once", false, "take what is finished now, check it and exit (for cron)")
	pollOnly := fs.Bool("poll-only", false, "no file-system events: rescans only (for shares that deliver none)")
	grace := fs.Duration("grace", time.Minute, "on SIGINT/SIGTERM, how long checks in flight may take to finish")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yanshou watch: unexpected argument %q (the inbox is given with --inbox)\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, bad := range map[string]bool{
		"settle": *settle <= 0, "rescan": *rescan <= 0, "workers": *workers < 0, "grace": *grace <= 0,
	} {
		if set[name] && bad {
			fmt.Fprintf(stderr, "yanshou watch: --%s must be positive\n", name)
			return exitUsage
		}
	}
	if st, err := os.Stat(*inbox); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "yanshou watch: 收件目录 %s 不存在或不是文件夹\n", *inbox)
		return exitUnprocessed
	}

	release, err := watch.Lock(filepath.Join(c.outbox, pipeline.StateDirName))
	if err != nil {
		fmt.Fprintln(stderr, "yanshou watch:", err)
		return exitUnprocessed
	}
	defer release()
	p, cfg, err := c.open(stderr)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou watch:", err)
		return exitUnprocessed
	}
	if set["settle"] {
		cfg.Intake.Settle = *settle
	}
	if set["rescan"] {
		cfg.Intake.Rescan = *rescan
	}
	if set["workers"] {
		cfg.Intake.Workers = *workers
	}
	log := newLogger(stderr, c.logFormat, c.quiet)
	// The watcher writes the one line per submission; the pipeline keeps its
	// warnings and errors.
	p.Log = newLogger(stderr, c.logFormat, true)

	opt := watch.Options{
		Inbox: *inbox, Check: check(p), Settle: cfg.Intake.Settle, Rescan: cfg.Intake.Rescan,
		Workers: cfg.Intake.Workers, PollOnly: *pollOnly, Grace: *grace,
		Exclude: []string{c.outbox}, Log: log,
	}
	var st watch.Stats
	if *once {
		st, err = watch.Once(ctx, opt)
	} else {
		log.Info("开始监视收件目录", "inbox", *inbox, "outbox", c.outbox, "settle", cfg.Intake.Settle,
			"rescan", cfg.Intake.Rescan, "workers", cfg.Intake.Workers, "poll_only", *pollOnly)
		st, err = watch.Run(ctx, opt)
	}
	if err != nil {
		fmt.Fprintln(stderr, "yanshou watch:", err)
		p.Close()
		return exitUnprocessed
	}
	if st.Abandoned == 0 {
		// With a check abandoned past the grace period the ledger stays open:
		// the process is about to exit and the claim is redone at the next start.
		p.Close()
	}
	log.Info("已停止", "taken", st.Taken, "failed", st.Failed, "abandoned", st.Abandoned, "skipped", st.Skipped)
	if *once && st.Failed > 0 {
		return exitUnprocessed
	}
	return exitOK
}

// check is the pipeline's Check as the watcher calls it.
func check(p *pipeline.Pipeline) watch.CheckFunc {
	return func(ctx context.Context, path string) (yanshou.Report, error) {
		return p.Check(ctx, path, pipeline.CheckOptions{})
	}
}
