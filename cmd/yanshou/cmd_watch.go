package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/watch"
)

func init() {
	registerStoppable("watch", "监视收件目录，逐个验收提交完成的材料（常驻服务；--once 供定时任务）", watchMain)
}

// watchMain runs the daemon until ctx is cancelled (SIGINT or SIGTERM).
func watchMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("watch [选项]",
		"监视收件目录，把每个提交完成的材料（带培训信息表的文件夹，或 .zip）验收到输出目录。\n"+
			"文件夹顶层出现标记文件（提交完成.txt 或 READY），或在静置时间内没有任何变化，即为提交\n"+
			"完成；zip 在大小不再变化且能读取时接收。既接收文件事件，也定期扫描整个收件目录（共享\n"+
			"文件夹没有事件）。相同内容只验收一次，内容有变化则为新版本。因输出目录或台账故障（磁盘\n"+
			"已满、台账被占用）未能验收的，下次扫描时重试。收到 SIGINT/SIGTERM（Ctrl+C、systemctl\n"+
			"stop）：不再接收新的提交，进行中的验收做完（最多等 --grace），退出码 0。\n"+
			"--once：接收此刻已完成的提交，验收后退出（有未能处理的则退出码 1）；已验收过的不再记录。\n"+
			"--settle、--rescan、--workers 覆盖配置文件 intake 中的同名设置。",
		stderr,
		"yanshou watch --inbox /srv/yanshou/inbox --outbox /srv/yanshou/outbox",
		"yanshou watch --once --inbox inbox --outbox outbox    # 供 cron 每 5 分钟运行",
		"yanshou watch --poll-only --rescan 2m --inbox //共享盘/收件    # 共享文件夹没有文件事件")
	var c commonFlags
	c.register(fs)
	inbox := fs.String("inbox", "inbox", "`文件夹`收件目录：各机构把提交放在这里")
	settle := fs.Duration("settle", 0, "没有标记文件的提交，在这段时间内没有变化即接收（默认取配置 intake.settle，30s）")
	rescan := fs.Duration("rescan", 0, "完整扫描收件目录的间隔（默认取配置 intake.rescan，60s）")
	workers := fs.Int("workers", 0, "同时验收的提交数（默认取配置 intake.workers；0 为处理器核数）")
	once := fs.Bool("once", false, "接收此刻已完成的提交，验收后退出（供定时任务）")
	pollOnly := fs.Bool("poll-only", false, "不用文件事件，只定期扫描（用于不发送事件的共享文件夹）")
	grace := fs.Duration("grace", time.Minute, "收到 SIGINT/SIGTERM 后，等待进行中的验收完成的最长时间")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, fmt.Sprintf("多余的参数 %q（收件目录用 --inbox 指定）", fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, bad := range map[string]bool{
		"settle": *settle <= 0, "rescan": *rescan <= 0, "workers": *workers < 0, "grace": *grace <= 0,
	} {
		if set[name] && bad {
			msg := "必须大于 0"
			if name == "workers" {
				msg = "不能为负数"
			}
			return usageError(fs, fmt.Sprintf("--%s %s", name, msg))
		}
	}
	if st, err := os.Stat(*inbox); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "yanshou watch：找不到收件目录 %s（不存在或不是文件夹）\n", *inbox)
		return exitUnprocessed
	}

	release, err := watch.Lock(filepath.Join(c.outbox, pipeline.StateDirName))
	if err != nil {
		fmt.Fprintf(stderr, "yanshou watch：%v\n", err)
		return exitUnprocessed
	}
	defer release()
	p, cfg, err := c.open(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou watch：%v\n", err)
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
	log := newLogger(stderr, c.logFormat, c.quiet, cfg.Location)
	opt := watchOptions(p, cfg, c, *inbox, *pollOnly, *grace, log, stderr)
	var st watch.Stats
	if *once {
		st, err = watch.Once(ctx, opt)
	} else {
		log.Info("开始监视收件目录", "inbox", *inbox, "outbox", c.outbox, "settle", cfg.Intake.Settle,
			"rescan", cfg.Intake.Rescan, "workers", cfg.Intake.Workers, "poll_only", *pollOnly)
		st, err = watch.Run(ctx, opt)
	}
	if err != nil {
		fmt.Fprintf(stderr, "yanshou watch：%v\n", err)
		p.Close()
		return exitUnprocessed
	}
	if st.Abandoned == 0 {
		// With a check abandoned past the grace period the ledger stays open:
		// the process is about to exit and the claim is redone at the next start.
		p.Close()
	}
	// One summary line: what was taken, of which judged before (not announced
	// one by one: a cron run of --once finds every old submission again).
	log.Info("已停止", "taken", st.Taken, "repeated", st.Repeated, "failed", st.Failed, "abandoned", st.Abandoned, "skipped", st.Skipped)
	if *once && st.Failed > 0 {
		return exitUnprocessed
	}
	return exitOK
}

// watchOptions are the intake watcher's options over inbox with the
// pipeline p, as yanshou watch and yanshou serve --watch run it. The watcher
// writes the one line per submission; the pipeline keeps its warnings and
// errors.
func watchOptions(p *pipeline.Pipeline, cfg *yanshou.Config, c commonFlags, inbox string, pollOnly bool, grace time.Duration,
	log *slog.Logger, stderr io.Writer) watch.Options {
	p.Log = newLogger(stderr, c.logFormat, true, cfg.Location)
	return watch.Options{
		Inbox: inbox, Check: check(p), Settle: cfg.Intake.Settle, Rescan: cfg.Intake.Rescan,
		Workers: cfg.Intake.Workers, PollOnly: pollOnly, Grace: grace,
		Exclude: []string{c.outbox}, Log: log,
	}
}

// check is the pipeline's Check as the watcher calls it.
func check(p *pipeline.Pipeline) watch.CheckFunc {
	return func(ctx context.Context, path string) (yanshou.Report, error) {
		return p.Check(ctx, path, pipeline.CheckOptions{})
	}
}
