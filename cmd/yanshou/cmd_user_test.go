package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline/store/ledger"
)

func TestUserCommands(t *testing.T) {
	userKDF = ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}
	defer func() { userKDF = ledger.DefaultKDF }()
	outbox := t.TempDir()
	steps := []struct {
		args      []string
		input     string
		code      int
		out, errs string
	}{
		{[]string{"add", "--login", "wang", "--name", "王敏", "--role", "审核人"}, "correct horse battery\n", exitOK, "已开设账号 wang（审核人）", ""},
		{[]string{"add", "--login", "wang", "--role", "负责人"}, "correct horse battery\n", exitUnprocessed, "", "已存在"},
		{[]string{"add", "--login", "hongda", "--role", "机构", "--institution", "商水县宏达职业培训学校"}, "another horse battery\n", exitOK, "尚无“商水县宏达职业培训学校”的班次", ""},
		{[]string{"add", "--login", "x", "--role", "机构"}, "another horse battery\n", exitUnprocessed, "", "须写明所属培训机构"},
		{[]string{"add", "--login", "y", "--role", "管理员"}, "another horse battery\n", exitUsage, "", "角色"},
		{[]string{"add", "--login", "z", "--role", "审核人"}, "short\n", exitUnprocessed, "", "密码至少"},
		{[]string{"add", "--login", "z", "--role", "审核人"}, "", exitUnprocessed, "", "没有读到密码"},
		{[]string{"add", "--role", "审核人"}, "", exitUsage, "", "用法"},
		{[]string{"add", "--login", "z", "--role", "审核人", "--password", "x"}, "", exitUsage, "", "password"}, // never a flag
		{[]string{"passwd", "--login", "wang"}, "brand new horse\r\n", exitOK, "密码已更改", ""},
		{[]string{"passwd", "--login", "nobody"}, "brand new horse\n", exitUnprocessed, "", "账号不存在"},
		{[]string{"disable", "--login", "hongda"}, "", exitOK, "已停用", ""},
		{[]string{"list"}, "", exitOK, "hongda", ""},
		{[]string{"frobnicate"}, "", exitUsage, "", "未知的子命令"},
	}
	for _, s := range steps {
		stdin = strings.NewReader(s.input)
		var out, errb bytes.Buffer
		code := run(append(append([]string{"user"}, s.args...), "--outbox", outbox), &out, &errb)
		if code != s.code || !strings.Contains(out.String(), s.out) || !strings.Contains(errb.String(), s.errs) {
			t.Errorf("user %v: exit %d, stdout %q, stderr %q; want %d, %q, %q", s.args, code, out.String(), errb.String(), s.code, s.out, s.errs)
		}
	}
	l, err := ledger.Open(filepath.Join(outbox, ".yanshou"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := l.Authenticate("wang", "brand new horse", "127.0.0.1", ledger.DefaultLoginLimit, time.Now()); err != nil {
		t.Fatalf("the changed password (trailing CR LF dropped) does not log in: %v", err)
	}
	if u, _ := l.User("hongda"); u == nil || !u.Disabled || u.Institution != "商水县宏达职业培训学校" {
		t.Fatalf("hongda = %+v", u)
	}
	var out bytes.Buffer
	run([]string{"user", "list", "--outbox", outbox}, &out, &bytes.Buffer{})
	if !strings.Contains(out.String(), "停用") || !strings.Contains(out.String(), "王敏") {
		t.Fatalf("list:\n%s", out.String())
	}
}
