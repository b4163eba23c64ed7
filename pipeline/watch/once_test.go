package watch

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
)

// TestOnceQuietAboutRepeats: a cron run of --once finds every old submission
// again; those whose content was judged before are counted, not announced.
func TestOnceQuietAboutRepeats(t *testing.T) {
	inbox := t.TempDir()
	old, fresh := filepath.Join(inbox, "甲", "第1期"), filepath.Join(inbox, "乙", "第1期")
	writeSubmission(t, old, nil)
	writeSubmission(t, fresh, nil)
	check := func(_ context.Context, path string) (yanshou.Report, error) {
		return yanshou.Report{Path: path, Verdict: yanshou.Pass, Version: 1, Repeat: path == old}, nil
	}
	var logs bytes.Buffer
	st, err := Once(context.Background(), Options{Inbox: inbox, Check: check, Settle: time.Hour,
		Debounce: 50 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if st.Taken != 2 || st.Repeated != 1 || st.Failed != 0 {
		t.Errorf("stats %+v, want 2 taken, 1 repeated", st)
	}
	if n := strings.Count(logs.String(), "已验收"); n != 1 || !strings.Contains(logs.String(), "乙/第1期") {
		t.Errorf("want one 已验收 line, for 乙/第1期 only:\n%s", logs.String())
	}
}
