package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// newFlagSet makes a subcommand's flag set. synopsis is the command's name and
// arguments ("check [选项] 路径..."), about says in Chinese what it does, and
// examples are whole command lines. Its usage (--help) lists every flag with its
// Chinese description and default, then the examples. A flag's description may
// start with its value's name in back quotes ("`文件`县配置文件"); without one
// the name comes from the flag's type.
func newFlagSet(synopsis, about string, stderr io.Writer, examples ...string) *flag.FlagSet {
	name, _, _ := strings.Cut(synopsis, " ")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { writeHelp(stderr, fs, synopsis, about, examples) }
	return fs
}

// writeHelp prints a command's help.
func writeHelp(w io.Writer, fs *flag.FlagSet, synopsis, about string, examples []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "用法：yanshou %s\n\n%s\n", synopsis, about)
	var tb table
	fs.VisitAll(func(f *flag.Flag) {
		value, text := flagValueName(f)
		left := "  --" + f.Name
		if value != "" {
			left += " " + value
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" {
			text += "（默认 " + d + "）"
		}
		tb.add(left, text)
	})
	if len(tb.rows) > 0 {
		b.WriteString("\n选项：\n")
		tb.write(&b)
	}
	if len(examples) > 0 {
		b.WriteString("\n示例：\n")
		for _, e := range examples {
			b.WriteString("  " + e + "\n")
		}
	}
	io.WriteString(w, b.String())
}

// flagValueName returns the name of a flag's value ("" for a switch) and its
// description without that name.
func flagValueName(f *flag.Flag) (value, text string) {
	text = f.Usage
	if strings.HasPrefix(text, "`") {
		if end := strings.Index(text[1:], "`"); end >= 0 {
			return text[1 : end+1], text[end+2:]
		}
	}
	return kindName(f), text
}

// kindName names the kind of value a flag takes: 时长, 整数, 文本; "" for a switch.
func kindName(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return "值"
	}
	switch g.Get().(type) {
	case bool:
		return ""
	case time.Duration:
		return "时长"
	case int, int64, uint, uint64:
		return "整数"
	case float64:
		return "数"
	}
	return "文本"
}

// kindHint says what a value of the flag's kind looks like.
func kindHint(f *flag.Flag) string {
	switch kindName(f) {
	case "时长":
		return "应为时长，如 30s、2m、1h"
	case "整数":
		return "应为整数，如 4"
	case "数":
		return "应为数，如 0.5"
	case "":
		return "开关选项只能写成 --" + f.Name + " 或 --" + f.Name + "=false"
	}
	return "值无效"
}

var badValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+): (.*)$`)

// flagError is a flag package error in Chinese, with what to do.
func flagError(fs *flag.FlagSet, err error) string {
	help := fmt.Sprintf("用 yanshou %s --help 查看用法", fs.Name())
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf("未知选项 --%s；%s", strings.TrimLeft(f, "-"), help)
	}
	if f, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf("选项 --%s 后面缺少它的值；%s", strings.TrimLeft(f, "-"), help)
	}
	if f, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Sprintf("选项写法有误：%s；%s", f, help)
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		hint := "值无效"
		if f := fs.Lookup(m[2]); f != nil {
			hint = kindHint(f)
		}
		return fmt.Sprintf("选项 --%s 的值 %q 无效（%s）；%s", m[2], m[1], hint, help)
	}
	return msg + "；" + help
}

// parseFlags parses args, returning an exit code when the command should stop:
// 0 after --help, 2 after a flag error (said in Chinese on the command's
// stderr). Flags may also follow the arguments (check 文件夹 --json); after
// "--" everything is an argument.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	// The flag package's own English lines are dropped: the error is said here.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return exitOK, true
			}
			fmt.Fprintf(out, "yanshou %s：%s\n", fs.Name(), flagError(fs, err))
			return exitUsage, true
		}
		left := fs.Args()
		used := len(args) - len(left)
		if len(left) == 0 || used > 0 && args[used-1] == "--" {
			rest = append(rest, left...)
			break
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
	fs.Parse(append([]string{"--"}, rest...)) // fs.Args() is now every argument
	return 0, false
}

// usageError prints what is wrong with the arguments and where the usage is,
// and returns exitUsage.
func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintf(fs.Output(), "yanshou %s：%s；用 yanshou %s --help 查看用法\n", fs.Name(), msg, fs.Name())
	return exitUsage
}
