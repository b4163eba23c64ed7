package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
)

func init() {
	register("user", "管理审核台账号：add 开设、passwd 改密码、disable 停用、list 列出", runUser)
}

// stdin is where user reads passwords from: the terminal (without echo) or a
// pipe, one line. Tests replace it.
var stdin io.Reader = os.Stdin

// userKDF is the argon2id cost of new hashes; tests lower it.
var userKDF = ledger.DefaultKDF

const userUsage = `用法：
  yanshou user add --login 账号 --role 审核人|负责人|机构 [--name 姓名] [--institution 机构名称] [--outbox DIR]
  yanshou user passwd --login 账号 [--outbox DIR]
  yanshou user disable --login 账号 [--enable] [--outbox DIR]
  yanshou user list [--outbox DIR]

审核台的账号存放在台账（outbox/.yanshou/ledger.db）中。密码不从命令行参数读取：在终端中
运行时提示输入两次（不回显），否则从标准输入读取第一行，例如
  echo "$PASSWORD" | yanshou user add --login wang --name 王敏 --role 审核人
机构账号须写明所属培训机构（与培训信息表中的机构名称一致），只能看到本机构的班次。
停用账号会立即结束其所有登录；账号和登录记录保留在台账中。
`

func runUser(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	verb := args[0]
	fs := flag.NewFlagSet("user "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage+"\n参数：\n"); fs.PrintDefaults() }
	outbox := fs.String("outbox", "outbox", "输出目录（台账在其 .yanshou/ 子目录中）")
	login := fs.String("login", "", "账号（登录名）")
	var name, role, inst *string
	var enable *bool
	switch verb {
	case "add":
		name = fs.String("name", "", "显示的姓名；默认同账号")
		role = fs.String("role", "", "角色：审核人、负责人 或 机构")
		inst = fs.String("institution", "", "机构账号所属的培训机构")
	case "disable":
		enable = fs.Bool("enable", false, "重新启用已停用的账号")
	case "passwd", "list":
	default:
		fmt.Fprintf(stderr, "yanshou user：未知的子命令 %q\n\n%s", verb, userUsage)
		return exitUsage
	}
	if code, stop := parseFlags(fs, args[1:]); stop {
		return code
	}
	if fs.NArg() != 0 || verb != "list" && *login == "" {
		fs.Usage()
		return exitUsage
	}
	led, err := ledger.Open(filepath.Join(*outbox, pipeline.StateDirName))
	if err != nil {
		fmt.Fprintf(stderr, "yanshou user：%v\n", err)
		return exitUnprocessed
	}
	defer led.Close()
	now := time.Now()
	switch verb {
	case "add":
		r, err := ledger.ParseRole(*role)
		if err != nil {
			fmt.Fprintf(stderr, "yanshou user add：%v\n", err)
			return exitUsage
		}
		pw, err := readPassword(stderr)
		if err == nil {
			err = led.AddUser(ledger.User{Login: *login, DisplayName: *name, Role: r, Institution: *inst}, pw, userKDF, now)
		}
		if err != nil {
			fmt.Fprintf(stderr, "yanshou user add：%v\n", err)
			return exitUnprocessed
		}
		fmt.Fprintf(stdout, "已开设账号 %s（%s）\n", *login, r)
		if r == ledger.RoleInstitution {
			if cs, err := led.ScopedClasses(ledger.Scope{Institution: strings.TrimSpace(*inst)}, now, time.Local, 0.8); err == nil && len(cs) == 0 {
				fmt.Fprintf(stdout, "提示：台账中尚无“%s”的班次，请核对机构名称与培训信息表中的一致。\n", strings.TrimSpace(*inst))
			}
		}
	case "passwd":
		pw, err := readPassword(stderr)
		if err == nil {
			err = led.SetPassword(*login, pw, userKDF, now)
		}
		if err != nil {
			fmt.Fprintf(stderr, "yanshou user passwd：%v\n", err)
			return exitUnprocessed
		}
		fmt.Fprintf(stdout, "账号 %s 的密码已更改，其已有登录全部失效\n", *login)
	case "disable":
		if err := led.SetDisabled(*login, !*enable, now); err != nil {
			fmt.Fprintf(stderr, "yanshou user disable：%v\n", err)
			return exitUnprocessed
		}
		if *enable {
			fmt.Fprintf(stdout, "账号 %s 已重新启用\n", *login)
		} else {
			fmt.Fprintf(stdout, "账号 %s 已停用，其登录全部失效\n", *login)
		}
	case "list":
		users, err := led.Users()
		if err != nil {
			fmt.Fprintf(stderr, "yanshou user list：%v\n", err)
			return exitUnprocessed
		}
		var tb table
		tb.add("账号", "姓名", "角色", "所属机构", "状态")
		for _, u := range users {
			state := "启用"
			if u.Disabled {
				state = "停用"
			}
			tb.add(u.Login, u.DisplayName, string(u.Role), dash(u.Institution), state)
		}
		tb.write(stdout)
	}
	return exitOK
}

// readPassword reads a new password: twice without echo on a terminal, else
// the first line of stdin.
func readPassword(stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "新密码：")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "再输入一次：")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("两次输入的密码不一致")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("没有读到密码：请在终端中运行，或从标准输入给出一行密码")
	}
	return line, nil
}
