package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/desk"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/watch"
)

func init() {
	registerStoppable("serve", "启动审核台（浏览器查看验收队列、班次结论、问题与证据）", runServe)
}

// serveFlags are the flags of yanshou serve.
type serveFlags struct {
	config, outbox, listen string
	inbox                  string
	watch                  bool
	tlsCert, tlsKey        string
	insecureLAN            bool
	logFormat              string
	quiet                  bool
}

func newServeFlags(stderr io.Writer) (*flag.FlagSet, *serveFlags) {
	fs := newFlagSet("serve [选项]",
		"启动审核台：办公室的审核人、负责人在浏览器中查看验收队列（按机构、月份、结论筛选）、\n"+
			"每个班次的结论、按条款列出的问题及证据、现场照片和验收报告；机构账号只能看到本机构的班次。\n"+
			"机构账号可在网页上上传班次文件夹或 zip（须给出 --inbox：上传的材料放入收件目录，由验收\n"+
			"服务接收；--watch 在同一进程中运行验收服务，与 yanshou watch 相同）。\n"+
			"账号用「yanshou user」命令开设。默认只在本机（127.0.0.1）监听；在局域网上提供服务须给出\n"+
			"HTTPS 证书（--tls-cert/--tls-key），或明确写 --insecure-lan。",
		stderr,
		"yanshou serve --outbox /srv/yanshou/outbox",
		"yanshou serve --outbox D:/验收 --listen 127.0.0.1:8080",
		"yanshou serve --watch --inbox /srv/yanshou/inbox --outbox /srv/yanshou/outbox    # 同时验收收件目录和网页上传",
		"yanshou serve --listen 192.168.1.10:8443 --tls-cert 证书.pem --tls-key 私钥.pem")
	var f serveFlags
	fs.StringVar(&f.config, "config", "", "县配置文件（yanshou.yaml）；默认为内置的商水县配置")
	fs.StringVar(&f.outbox, "outbox", "outbox", "输出目录（台账在其 .yanshou/ 子目录中）")
	fs.StringVar(&f.inbox, "inbox", "", "收件目录：机构在网页上上传的班次放在这里（<机构>/<班次文件夹>）；不给时不能上传（--watch 时默认 inbox）")
	fs.BoolVar(&f.watch, "watch", false, "同时监视收件目录并验收（与 yanshou watch 相同，同一时间只能有一个验收服务）")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "监听地址；非本机地址须同时给出 --tls-cert/--tls-key 或 --insecure-lan")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "HTTPS 证书文件（PEM）")
	fs.StringVar(&f.tlsKey, "tls-key", "", "HTTPS 私钥文件（PEM）")
	fs.BoolVar(&f.insecureLAN, "insecure-lan", false, "允许在局域网上用不加密的 HTTP 提供服务（密码明文传输，仅限可信内网）")
	fs.StringVar(&f.logFormat, "log", "text", "标准错误上的日志格式：text 或 json")
	fs.BoolVar(&f.quiet, "quiet", false, "只记录警告和错误")
	return fs, &f
}

// checkListen refuses an address other machines can reach unless the server
// speaks TLS or the operator said --insecure-lan.
func checkListen(addr string, tls, insecureLAN bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("监听地址 %q 无效（应为 主机:端口，如 127.0.0.1:8080）：%v", addr, err)
	}
	if tls || insecureLAN || loopback(host) {
		return nil
	}
	return fmt.Errorf("监听地址 %s 不是本机地址：其他电脑可以访问，密码会明文传输；请给出 --tls-cert 和 --tls-key，或在可信内网中明确加上 --insecure-lan", addr)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, f := newServeFlags(stderr)
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		fmt.Fprintln(stderr, "yanshou serve：--tls-cert 和 --tls-key 须同时给出")
		return exitUsage
	}
	tls := f.tlsCert != ""
	if err := checkListen(f.listen, tls, f.insecureLAN); err != nil {
		fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
		return exitUsage
	}
	if f.watch && f.inbox == "" {
		f.inbox = "inbox"
	}
	if f.inbox != "" {
		if st, err := os.Stat(f.inbox); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "yanshou serve：找不到收件目录 %s（不存在或不是文件夹）\n", f.inbox)
			return exitUnprocessed
		}
	}
	var (
		cfg     *yanshou.Config
		led     *ledger.Ledger
		watcher *watch.Options // the intake watcher run with --watch
		review  func(ctx context.Context, id string, version int) error
		err     error
	)
	if f.watch {
		release, err := watch.Lock(filepath.Join(f.outbox, pipeline.StateDirName))
		if err != nil {
			fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
			return exitUnprocessed
		}
		defer release()
		c := commonFlags{config: f.config, outbox: f.outbox, logFormat: f.logFormat, quiet: f.quiet}
		var p *pipeline.Pipeline
		p, cfg, err = c.open(stderr)
		if err != nil {
			fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
			return exitUnprocessed
		}
		defer p.Close()
		led = p.Ledger
		review = reviewRenderer(p)
		o := watchOptions(p, cfg, c, f.inbox, false, time.Minute, newLogger(stderr, f.logFormat, f.quiet, cfg.Location), stderr)
		watcher = &o
	} else {
		cfg, err = config.Load(f.config)
		if err != nil {
			fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
			return exitUnprocessed
		}
		// The pipeline renders the reviewed documents after a confirmation;
		// without it (no font, rules that do not load) the desk still serves.
		c := commonFlags{config: f.config, outbox: f.outbox, logFormat: f.logFormat, quiet: f.quiet}
		if p, _, perr := c.open(stderr); perr == nil {
			defer p.Close()
			led, review = p.Ledger, reviewRenderer(p)
		} else {
			fmt.Fprintf(stderr, "yanshou serve：确认结论后将不生成审核后的文件：%v\n", perr)
			led, err = ledger.Open(filepath.Join(f.outbox, pipeline.StateDirName))
			if err != nil {
				fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
				return exitUnprocessed
			}
			defer led.Close()
		}
	}
	log := newLogger(stderr, f.logFormat, f.quiet, cfg.Location)
	h, err := desk.New(desk.Options{Ledger: led, Outbox: f.outbox, Inbox: f.inbox, Config: cfg, Secure: tls, Logger: log,
		RenderReviewed: review})
	if err != nil {
		fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
		return exitUnprocessed
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou serve：无法在 %s 监听：%v\n", f.listen, err)
		return exitUnprocessed
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 10 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "审核台已启动：%s://%s/ （Ctrl+C 停止）\n", scheme, ln.Addr())
	if users, err := led.Users(); err == nil && len(users) == 0 {
		fmt.Fprintln(stdout, "尚无账号：请先用 yanshou user add --login 账号 --role 审核人 开设第一个账号。")
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watched := make(chan error, 1)
	if watcher != nil {
		log.Info("开始监视收件目录", "inbox", f.inbox, "outbox", f.outbox)
		go func() {
			st, err := watch.Run(wctx, *watcher)
			if err == nil {
				log.Info("验收服务已停止", "taken", st.Taken, "repeated", st.Repeated, "failed", st.Failed)
			}
			watched <- err
		}()
	}
	done := make(chan error, 1)
	go func() {
		if tls {
			done <- srv.ServeTLS(ln, f.tlsCert, f.tlsKey)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	code := exitOK
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}
	select {
	case err := <-done:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stderr, "yanshou serve：%v\n", err)
			code = exitUnprocessed
		}
	case err := <-watched:
		// the watcher stopped on its own: it could not watch the inbox
		fmt.Fprintf(stderr, "yanshou serve：验收服务：%v\n", err)
		watcher, code = nil, exitUnprocessed
		stop()
		<-done
	case <-ctx.Done():
		stop()
		<-done
		fmt.Fprintln(stdout, "审核台已停止。")
	}
	if watcher != nil {
		stopWatch()
		if err := <-watched; err != nil {
			fmt.Fprintf(stderr, "yanshou serve：验收服务：%v\n", err)
			code = exitUnprocessed
		}
	}
	return code
}

// reviewRenderer is the desk's RenderReviewed: p's.
func reviewRenderer(p *pipeline.Pipeline) func(ctx context.Context, id string, version int) error {
	return func(ctx context.Context, id string, version int) error {
		_, err := p.RenderReviewed(ctx, id, version)
		return err
	}
}
