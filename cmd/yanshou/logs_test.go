package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"yanshou"
)

// TestLogMessagesTranslated: every English message the driver logs has its
// Chinese line, so the text log a clerk reads is Chinese.
func TestLogMessagesTranslated(t *testing.T) {
	files, err := filepath.Glob("../../pipeline/*.go")
	desk, err2 := filepath.Glob("../../pipeline/desk/*.go") // the review desk logs through the same logger
	if err != nil || err2 != nil || len(files) == 0 || len(desk) == 0 {
		t.Fatalf("no driver sources: %v %v", err, err2)
	}
	files = append(files, desk...)
	call := regexp.MustCompile(`\.(?:Log|Logger)\.(?:Debug|Info|Warn|Error)\("([^"]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			n++
			if han.MatchString(m[1]) {
				continue
			}
			if zh, ok := logMessages[m[1]]; !ok || !han.MatchString(zh) {
				t.Errorf("%s logs %q: no Chinese line in logMessages", filepath.Base(f), m[1])
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d log calls: has the driver's logging changed?", n)
	}
}

// TestLogger: times in the county's zone; the text log in Chinese, the JSON log
// with Chinese messages and English keys.
func TestLogger(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	for _, l := range []struct {
		buf    *bytes.Buffer
		format string
	}{{&text, "text"}, {&js, "json"}} {
		log := newLogger(l.buf, l.format, false, loc)
		log.Info("checked", "path", "inbox/甲/第1期", "verdict", yanshou.Fail, "findings", 2)
		log.Warn("已停止", "taken", 3)
	}
	for _, w := range []string{"级别=信息 消息=已验收 路径=inbox/甲/第1期 结论=不合格 问题数=2", "级别=警告 消息=已停止 已接收=3", "+08:00"} {
		if !strings.Contains(text.String(), w) {
			t.Errorf("text log lacks %q:\n%s", w, text.String())
		}
	}
	var rec struct {
		Time    time.Time `json:"time"`
		Msg     string    `json:"msg"`
		Verdict string    `json:"verdict"`
	}
	line, _, _ := strings.Cut(js.String(), "\n")
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	if _, off := rec.Time.Zone(); off != 8*3600 || rec.Msg != "已验收" || rec.Verdict != "fail" {
		t.Errorf("JSON log: offset %d msg %q verdict %q: %s", off, rec.Msg, rec.Verdict, line)
	}
	var quiet bytes.Buffer
	newLogger(&quiet, "text", true, loc).Info("checked")
	if quiet.Len() != 0 {
		t.Errorf("--quiet logged an info line: %s", quiet.String())
	}
}
