package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline"
	"yanshou/pipeline/watch"
)

// TestWatchSecondDaemonRefused: while one daemon runs on an outbox, a second one
// on the same outbox exits at once with a Chinese message naming the outbox,
// and takes nothing.
func TestWatchSecondDaemonRefused(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	os.MkdirAll(inbox, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- watchMain(ctx, []string{"--inbox", inbox, "--outbox", outbox, "--quiet"}, &bytes.Buffer{}, &bytes.Buffer{})
	}()
	defer func() { cancel(); <-done }()
	lock := filepath.Join(outbox, pipeline.StateDirName, watch.LockName)
	waitUntil(t, 30*time.Second, "the first daemon's lock", func() bool {
		b, _ := os.ReadFile(lock)
		return len(b) > 0
	})
	var stderr bytes.Buffer
	// The first daemon holds the lock until the test ends: a second one that
	// waited for it would never return (the test binary's -timeout reports it),
	// so a refusal with its message proves it did not wait; no time is measured.
	code := watchMain(context.Background(), []string{"--inbox", inbox, "--outbox", outbox, "--once"}, &bytes.Buffer{}, &stderr)
	if code != exitUnprocessed || !strings.Contains(stderr.String(), "另一个 yanshou watch") || !strings.Contains(stderr.String(), outbox) {
		t.Errorf("second daemon: exit %d, %s", code, stderr.String())
	}
}
