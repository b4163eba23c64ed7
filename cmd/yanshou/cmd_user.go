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

// userAbout is what yanshou user --help says before its options.
const userAbout = `审核台的账号存放在台账（outbox/.yanshou/ledger.db）中：子命令 add 开设，passwd 改密码，
disable 停用（--enable 重新启用），list 列出。密码不从命令行参数读取：在终端中运行时
提示输入两次（不回显），否则从标准输入读取第一行。机构账号须写明所属培训机构（与培训
信息表中的机构名称一致），只能看到本机构的班次。停用账号会立即结束其所有登录；账号和
登录记录保留在台账中。`

// userFlags is the flag set of a user subcommand (verb ""): every option, for
// the help) with its Chinese help.
func userFlags(verb string, stderr io.Writer) (fs *flag.FlagSet, outbox, login, name, role, inst *string, enable *bool) {
	fs = newFlagSet("user 子命令 [选项]（子命令：add、passwd、disable、list）", userAbout, stderr,
		"yanshou user add --login wang --name 王敏 --role 审核人",
		`echo "$PASSWORD" | yanshou user add --login hongda --role 机构 --institution 商水县宏达职业培训学校`,
		"yanshou user passwd --login wang",
		"yanshou user disable --login hongda",
		"yanshou user list --outbox D:/验收")
	outbox = fs.String("outbox", "outbox", "输出目录（台账在其 .yanshou/ 子目录中）")
	login = fs.String("login", "", "账号（登录名）")
	if verb == "add" || verb == "" {
		name = fs.String("name", "", "显示的姓名；默认同账号（add）")
		role = fs.String("role", "", "角色：审核人、负责人 或 机构（add）")
		inst = fs.String("institution", "", "机构账号所属的培训机构（add）")
	}
	if verb == "disable" || verb == "" {
		enable = fs.Bool("enable", false, "重新启用已停用的账号（disable）")
	}
	return
}

func runUser(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fs, _, _, _, _, _, _ := userFlags("", stderr)
		fs.Usage()
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	verb := args[0]
	switch verb {
	case "add", "disable", "passwd", "list":
	default:
		fmt.Fprintf(stderr, "yanshou user：未知的子命令 %q；用 yanshou user --help 查看用法\n", verb)
		return exitUsage
	}
	fs, outbox, login, name, role, inst, enable := userFlags(verb, stderr)
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
