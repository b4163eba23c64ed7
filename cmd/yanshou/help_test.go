package main

import (
	"flag"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var han = regexp.MustCompile(`\p{Han}`)

// TestEveryHelp: every subcommand's --help is Chinese, lists every flag with a
// Chinese description, and gives examples.
func TestEveryHelp(t *testing.T) {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) < 8 {
		t.Fatalf("only %d commands registered", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if !han.MatchString(commands[name].summary) {
				t.Errorf("summary not Chinese: %q", commands[name].summary)
			}
			code, stdout, help := runCmd(t, name, "--help")
			if code != exitOK || stdout != "" {
				t.Fatalf("exit %d, stdout %q", code, stdout)
			}
			if !strings.HasPrefix(help, "用法：yanshou "+name) || !strings.Contains(help, "\n选项：\n") {
				t.Errorf("help does not start with 用法 and list 选项:\n%s", help)
			}
			ex := strings.Index(help, "\n示例：\n")
			if ex < 0 || !strings.Contains(help[ex:], "  yanshou "+name) {
				t.Errorf("help has no example of yanshou %s:\n%s", name, help)
			}
			// Every flag, with a Chinese description on its line.
			flags := helpFlags(t, name)
			for _, f := range flags {
				line := regexp.MustCompile(`(?m)^  --` + regexp.QuoteMeta(f) + `\b.*$`).FindString(help)
				if line == "" || !han.MatchString(line) {
					t.Errorf("flag --%s not listed with a Chinese description: %q", f, line)
				}
			}
			if len(flags) == 0 {
				t.Error("no flags found")
			}
			// No English sentence (three English words in a row) outside the examples.
			if m := regexp.MustCompile(`[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}`).FindString(help[:ex]); m != "" {
				t.Errorf("English in the help: %q", m)
			}
		})
	}
}

// helpFlags lists the flags of a command, from an unknown-flag run that stops
// before any work: the flag set is built on every run.
func helpFlags(t *testing.T, name string) []string {
	t.Helper()
	var got []string
	seen := map[string]bool{}
	_, _, help := runCmd(t, name, "--help")
	for _, m := range regexp.MustCompile(`(?m)^  --([a-z-]+)`).FindAllStringSubmatch(help, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			got = append(got, m[1])
		}
	}
	return got
}

// TestFlagError: Go's flag errors in Chinese, naming what to do.
func TestFlagError(t *testing.T) {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.Duration("settle", 0, "")
	fs.Int("workers", 0, "")
	fs.Bool("once", false, "")
	fs.String("inbox", "", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--foo"}, "未知选项 --foo；用 yanshou watch --help 查看用法"},
		{[]string{"-foo"}, "未知选项 --foo；"},
		{[]string{"--inbox"}, "选项 --inbox 后面缺少它的值；"},
		{[]string{"--settle", "soon"}, `选项 --settle 的值 "soon" 无效（应为时长，如 30s、2m、1h）；`},
		{[]string{"--workers", "两个"}, `选项 --workers 的值 "两个" 无效（应为整数，如 4）；`},
		{[]string{"--once=yes"}, `选项 --once 的值 "yes" 无效（开关选项只能写成 --once 或 --once=false）；`},
		{[]string{"---x"}, "选项写法有误：---x；"},
	} {
		fs.SetOutput(new(strings.Builder))
		err := fs.Parse(tc.args)
		if err == nil {
			t.Fatalf("%q parsed", tc.args)
		}
		if got := flagError(fs, err); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q: %q, want %q…", tc.args, got, tc.want)
		}
	}
}

// TestParseFlagsInterspersed: flags after arguments are flags; after "--"
// everything is an argument.
func TestParseFlagsInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		json bool
		rest string
	}{
		{[]string{"a", "--json", "b"}, true, "a b"},
		{[]string{"--json", "a", "b"}, true, "a b"},
		{[]string{"a", "--", "--json"}, false, "a --json"},
		{[]string{"a", "b"}, false, "a b"},
	} {
		var out strings.Builder
		fs := newFlagSet("check [选项] 路径...", "说明", &out)
		asJSON := fs.Bool("json", false, "JSON")
		if code, stop := parseFlags(fs, tc.args); stop {
			t.Fatalf("%q: stopped with %d: %s", tc.args, code, out.String())
		}
		if *asJSON != tc.json || strings.Join(fs.Args(), " ") != tc.rest {
			t.Errorf("%q: json %v args %q, want %v %q", tc.args, *asJSON, fs.Args(), tc.json, tc.rest)
		}
	}
}

// TestDisplayHelpAligned: the option column is aligned for Chinese value names
// (two cells per character).
func TestDisplayHelpAligned(t *testing.T) {
	var out strings.Builder
	fs := newFlagSet("x [选项]", "说明", &out, "yanshou x")
	fs.String("outbox", "outbox", "`文件夹`输出目录")
	fs.Bool("json", false, "打印 JSON")
	fs.Usage()
	var cols []int
	for _, l := range strings.Split(out.String(), "\n") {
		for _, d := range []string{"打印 JSON", "输出目录"} {
			if i := strings.Index(l, d); i > 0 && strings.HasPrefix(l, "  --") {
				cols = append(cols, displayWidth(l[:i]))
			}
		}
	}
	if len(cols) != 2 || cols[0] != cols[1] {
		t.Errorf("description columns %v, want equal:\n%s", cols, out.String())
	}
}
