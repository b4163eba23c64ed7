package watch

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"yanshou"
)

// recorder is a check function that counts calls per path and fails the test
// when one path is checked by two workers at once.
type recorder struct {
	t     *testing.T
	delay time.Duration
	mu    sync.Mutex
	calls map[string][]time.Time
	busy  map[string]bool
	peak  int // most checks running at once
	now   int
}

func newRecorder(t *testing.T, delay time.Duration) *recorder {
	return &recorder{t: t, delay: delay, calls: map[string][]time.Time{}, busy: map[string]bool{}}
}

func (r *recorder) check(_ context.Context, path string) (yanshou.Report, error) {
	r.mu.Lock()
	if r.busy[path] {
		r.t.Errorf("%s checked by two workers at once", path)
	}
	r.busy[path] = true
	r.calls[path] = append(r.calls[path], time.Now())
	r.now++
	r.peak = max(r.peak, r.now)
	r.mu.Unlock()
	var err error
	if strings.HasSuffix(path, ".zip") {
		// What the pipeline does first: the zip must read.
		var zr *zip.ReadCloser
		if zr, err = zip.OpenReader(path); err == nil {
			zr.Close()
		}
	}
	time.Sleep(r.delay)
	r.mu.Lock()
	r.busy[path] = false
	r.now--
	r.mu.Unlock()
	return yanshou.Report{Path: path, Verdict: yanshou.Pass, Version: 1}, err
}

func (r *recorder) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls[path])
}

func (r *recorder) first(path string) time.Time { return r.nth(path, 0) }

// nth returns when path was checked the (i+1)th time, zero if it was not.
func (r *recorder) nth(path string, i int) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.calls[path]) <= i {
		return time.Time{}
	}
	return r.calls[path][i]
}

func (r *recorder) paths() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for p := range r.calls {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// daemon runs Run in the background; stop cancels it and returns its stats.
type daemon struct {
	cancel context.CancelFunc
	done   chan Stats
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T, opt Options) *daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemon{cancel: cancel, done: make(chan Stats, 1), logs: &syncBuffer{}}
	opt.Log = slog.New(slog.NewTextHandler(d.logs, nil))
	if err := opt.defaults(); err != nil { // report a bad option here, not in the goroutine
		t.Fatal(err)
	}
	go func() {
		st, err := Run(ctx, opt)
		if err != nil {
			t.Error(err)
		}
		d.done <- st
	}()
	t.Cleanup(func() { d.stop(t) })
	// Give the watcher time to add its watches and do the first scan.
	time.Sleep(100 * time.Millisecond)
	return d
}

func (d *daemon) stop(t *testing.T) Stats {
	t.Helper()
	d.cancel()
	select {
	case st := <-d.done:
		d.done <- st
		return st
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop within 10 s of cancellation")
		return Stats{}
	}
}

// writeSubmission writes a small submission: a manifest first, then the files.
func writeSubmission(t *testing.T, dir string, extra map[string]string) {
	t.Helper()
	files := map[string]string{"manifest.yaml": "institution: 商水县测试培训学校\nclass: 第1期\n"}
	for k, v := range extra {
		files[k] = v
	}
	for rel, body := range files {
		writeFile(t, filepath.Join(dir, rel), body)
	}
}

func writeFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSlowCopy: a folder copied file by file over about two seconds is taken
// once, and only after it has been still for the settle time.
func TestSlowCopy(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	settle := 700 * time.Millisecond
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: settle, Rescan: time.Second, Workers: 2})

	sub := filepath.Join(inbox, "商水县测试培训学校", "第1期")
	writeFile(t, filepath.Join(sub, "manifest.yaml"), "institution: 测试\n")
	var last time.Time
	for i := range 8 {
		time.Sleep(250 * time.Millisecond)
		writeFile(t, filepath.Join(sub, "现场照片", fmt.Sprintf("IMG_%04d.jpg", i)), strings.Repeat("x", 1000*i))
		last = time.Now()
		if n := rec.count(sub); n != 0 {
			t.Fatalf("taken while still being copied (after file %d)", i)
		}
	}
	waitFor(t, 5*time.Second, "the copied folder to be taken", func() bool { return rec.count(sub) == 1 })
	if got := rec.first(sub).Sub(last); got < settle {
		t.Errorf("taken %v after the last file, want at least the settle time %v", got, settle)
	}
	time.Sleep(1200 * time.Millisecond) // past another settle and a rescan
	if n := rec.count(sub); n != 1 {
		t.Errorf("taken %d times, want once", n)
	}
}

// TestMarker: with a settle time far longer than the test, the marker alone
// makes the submission be taken, at once.
func TestMarker(t *testing.T) {
	tests := []struct{ name, marker string }{
		{"提交完成", "提交完成.txt"},
		{"READY", "READY"},
		{"ready lower case", "ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := t.TempDir()
			rec := newRecorder(t, 0)
			start(t, Options{Inbox: inbox, Check: rec.check, Settle: time.Minute, Rescan: time.Minute, Debounce: 100 * time.Millisecond})
			sub := filepath.Join(inbox, "机构", "第2期")
			writeSubmission(t, sub, map[string]string{"签到表.csv": "姓名\n张三\n"})
			time.Sleep(400 * time.Millisecond)
			if rec.count(sub) != 0 {
				t.Fatal("taken before the marker, long before the settle time")
			}
			landed := time.Now()
			writeFile(t, filepath.Join(sub, tt.marker), "")
			waitFor(t, 3*time.Second, "the marked submission to be taken", func() bool { return rec.count(sub) == 1 })
			t.Logf("marker → taken in %v", rec.first(sub).Sub(landed).Round(time.Millisecond))
		})
	}
}

// TestMarkerCountsOnce: a folder dropped whole with its marker is taken
// once two looks agree, and a marker still there from an earlier verdict does
// not make an edit be taken before the settle time.
func TestMarkerCountsOnce(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	settle := 1500 * time.Millisecond
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: settle, Rescan: time.Minute, Debounce: 100 * time.Millisecond})
	sub := filepath.Join(inbox, "机构", "第3期")
	writeSubmission(t, sub, map[string]string{"提交完成.txt": ""})
	waitFor(t, 2*time.Second, "the marked folder", func() bool { return rec.count(sub) == 1 })

	edited := time.Now()
	writeFile(t, filepath.Join(sub, "情况总结.txt"), "补充的总结")
	time.Sleep(settle / 2)
	if n := rec.count(sub); n != 1 {
		t.Fatalf("edit taken after %v with the old marker; want the settle time", settle/2)
	}
	waitFor(t, 3*time.Second, "the edit to be taken after settling", func() bool { return rec.count(sub) == 2 })
	if got := rec.nth(sub, 1).Sub(edited); got < settle {
		t.Errorf("edit taken after %v, want ≥ settle %v", got, settle)
	}

	// Touching the marker again marks the next edit complete at once.
	writeFile(t, filepath.Join(sub, "情况总结.txt"), "再次修改")
	time.Sleep(50 * time.Millisecond)
	future := time.Now().Add(time.Second)
	os.Chtimes(filepath.Join(sub, "提交完成.txt"), future, future)
	waitFor(t, settle-200*time.Millisecond, "a re-marked edit", func() bool { return rec.count(sub) == 3 })
}

// TestNewNestedFolders: folders created in one go (files written before the
// watcher could add the new folders) are found, with no rescan to help.
func TestNewNestedFolders(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: 400 * time.Millisecond, Rescan: time.Hour})
	subs := []string{
		filepath.Join(inbox, "甲机构", "2026", "第1期"),
		filepath.Join(inbox, "乙机构", "第1期"),
		filepath.Join(inbox, "丙机构"),
	}
	for _, s := range subs {
		writeSubmission(t, s, map[string]string{"现场照片/1.jpg": "jpeg", "现场照片/第一天/2.jpg": "jpeg"})
	}
	for _, s := range subs {
		waitFor(t, 3*time.Second, s, func() bool { return rec.count(s) == 1 })
	}
	// A file added deep inside (in a folder created after the start) is seen
	// through its events: the submission is taken again.
	writeFile(t, filepath.Join(subs[0], "现场照片", "第二天", "3.jpg"), "jpeg")
	waitFor(t, 3*time.Second, "a deep edit to be seen", func() bool { return rec.count(subs[0]) == 2 })
}

// TestPollOnly: with events disabled, the periodic rescan alone finds and takes
// submissions (what happens on SMB/NFS shares).
func TestPollOnly(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	d := start(t, Options{Inbox: inbox, Check: rec.check, Settle: 300 * time.Millisecond, Rescan: 500 * time.Millisecond, PollOnly: true})
	sub := filepath.Join(inbox, "机构", "第1期")
	writeSubmission(t, sub, map[string]string{"批复.pdf": "%PDF"})
	zipPath := filepath.Join(inbox, "机构", "第2期.zip")
	writeFile(t, zipPath, string(makeZip(t, map[string]string{"第2期/manifest.yaml": "class: 第2期\n"})))
	waitFor(t, 4*time.Second, "polling to take both", func() bool { return rec.count(sub) == 1 && rec.count(zipPath) == 1 })
	// An edit is found by polling too.
	writeFile(t, filepath.Join(sub, "批复.pdf"), "%PDF-1.7 changed")
	waitFor(t, 4*time.Second, "polling to take the edit", func() bool { return rec.count(sub) == 2 })
	if st := d.stop(t); st.Taken != 3 {
		t.Errorf("stats %+v, want 3 taken", st)
	}
}

// TestIgnoredFilesDoNotRetake: lock files, partial downloads and OS litter,
// written and rewritten after a verdict, never make the submission be taken
// again; a real edit does.
func TestIgnoredFilesDoNotRetake(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: 300 * time.Millisecond, Rescan: 500 * time.Millisecond})
	sub := filepath.Join(inbox, "机构", "第1期")
	writeSubmission(t, sub, map[string]string{"培训学员名单.xlsx": "PK"})
	waitFor(t, 3*time.Second, "the first take", func() bool { return rec.count(sub) == 1 })

	litter := []string{"~$培训学员名单.xlsx", "下载.part", "a.tmp", "b.crdownload", "Thumbs.db", "desktop.ini",
		".DS_Store", "__MACOSX/._x.jpg", "现场照片/~$x.docx", "READY"}
	for round := range 3 {
		for _, l := range litter {
			writeFile(t, filepath.Join(sub, l), strings.Repeat("z", round+1))
		}
		time.Sleep(400 * time.Millisecond)
	}
	time.Sleep(time.Second) // past the settle time and a rescan
	if n := rec.count(sub); n != 1 {
		t.Fatalf("taken %d times after only ignored files changed, want 1", n)
	}
	writeFile(t, filepath.Join(sub, "培训学员名单.xlsx"), "PK edited")
	waitFor(t, 3*time.Second, "a real edit to be taken", func() bool { return rec.count(sub) == 2 })
}

// TestSymlinkOutOfInbox: a link in the inbox to a submission outside it is never
// taken, and a link inside a submission is not followed into the outside.
func TestSymlinkOutOfInbox(t *testing.T) {
	inbox, outside := t.TempDir(), t.TempDir()
	secret := filepath.Join(outside, "别人的材料")
	writeSubmission(t, secret, map[string]string{"提交完成.txt": ""})
	rec := newRecorder(t, 0)
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: 300 * time.Millisecond, Rescan: 500 * time.Millisecond})

	if err := os.Symlink(secret, filepath.Join(inbox, "链接")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(filepath.Join(outside, "别人的材料", "manifest.yaml"), filepath.Join(inbox, "链接.zip"))
	sub := filepath.Join(inbox, "机构", "第1期")
	writeSubmission(t, sub, nil)
	os.Symlink(outside, filepath.Join(sub, "外部文件夹"))
	waitFor(t, 3*time.Second, "the real submission", func() bool { return rec.count(sub) == 1 })

	// Changing files behind the inner link changes nothing the watcher sees.
	writeFile(t, filepath.Join(outside, "new.txt"), "outside")
	time.Sleep(1500 * time.Millisecond)
	if got := rec.paths(); len(got) != 1 || got[0] != sub || rec.count(sub) != 1 {
		t.Errorf("checked %v (%d calls for the real one), want only %s once", got, rec.count(sub), sub)
	}
}

// TestZipTakenWhenComplete: a zip copied in slowly is taken once, after its
// central directory reads (the check opens it), not while still growing.
func TestZipTakenWhenComplete(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 0)
	d := start(t, Options{Inbox: inbox, Check: rec.check, Settle: 3 * time.Second, Rescan: time.Second, Debounce: 100 * time.Millisecond})
	data := makeZip(t, map[string]string{
		"第5期/manifest.yaml": "class: 第5期\n",
		"第5期/现场照片/1.jpg":    strings.Repeat("photo", 20000),
	})
	p := filepath.Join(inbox, "机构", "第5期.zip")
	os.MkdirAll(filepath.Dir(p), 0o755)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	chunk := len(data)/5 + 1
	for off := 0; off < len(data); off += chunk {
		f.Write(data[off:min(off+chunk, len(data))])
		f.Sync()
		time.Sleep(300 * time.Millisecond) // longer than two looks: stable in size, but unreadable
		if rec.count(p) != 0 && off+chunk < len(data) {
			t.Fatal("a partial zip was taken")
		}
	}
	f.Close()
	waitFor(t, 2*time.Second, "the complete zip", func() bool { return rec.count(p) == 1 })
	time.Sleep(1200 * time.Millisecond)
	if n := rec.count(p); n != 1 {
		t.Errorf("zip taken %d times", n)
	}
	if strings.Contains(d.logs.String(), "提交未能处理") {
		t.Errorf("the zip was handed over unreadable:\n%s", d.logs.String())
	}
}

func makeZip(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWorkers: many submissions at once are spread over the
// workers (never more at once than configured), each taken exactly once.
func TestWorkers(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 150*time.Millisecond)
	const n = 12
	var subs []string
	for i := range n {
		s := filepath.Join(inbox, fmt.Sprintf("机构%02d", i), "第1期")
		writeSubmission(t, s, map[string]string{"READY": ""})
		subs = append(subs, s)
	}
	d := start(t, Options{Inbox: inbox, Check: rec.check, Settle: time.Minute, Rescan: 300 * time.Millisecond, Workers: 3})
	waitFor(t, 5*time.Second, "all submissions", func() bool { return len(rec.paths()) == n })
	time.Sleep(700 * time.Millisecond) // two more rescans: nothing is taken twice
	for _, s := range subs {
		if c := rec.count(s); c != 1 {
			t.Errorf("%s taken %d times", s, c)
		}
	}
	if rec.peak > 3 || rec.peak < 2 {
		t.Errorf("peak %d checks at once, want 2..3 with 3 workers", rec.peak)
	}
	if st := d.stop(t); st.Taken != n || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	if got := strings.Count(d.logs.String(), "已验收"); got != n {
		t.Errorf("%d log lines for taken submissions, want %d:\n%s", got, n, d.logs.String())
	}
}

// TestBusyPathNotTakenTwice: a submission edited while its check runs is not
// handed to a second worker meanwhile, and is taken again afterwards.
func TestBusyPathNotTakenTwice(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 1500*time.Millisecond)
	start(t, Options{Inbox: inbox, Check: rec.check, Settle: 200 * time.Millisecond, Rescan: 300 * time.Millisecond, Workers: 4})
	sub := filepath.Join(inbox, "机构", "第1期")
	writeSubmission(t, sub, map[string]string{"READY": ""})
	waitFor(t, 2*time.Second, "first take", func() bool { return rec.count(sub) == 1 })
	writeFile(t, filepath.Join(sub, "签到表.csv"), "姓名\n李四\n")
	time.Sleep(800 * time.Millisecond) // settled, but still busy
	if rec.count(sub) != 1 {
		t.Fatal("taken again while its check was running")
	}
	waitFor(t, 4*time.Second, "the edit after the first check", func() bool { return rec.count(sub) == 2 })
}

// TestShutdown: cancellation lets a check in flight finish within the grace
// period, and abandons it past it: stop returns while the check still runs (no
// wall-clock bound: the recorder says whether the check was still in flight).
func TestShutdown(t *testing.T) {
	tests := []struct {
		name          string
		delay, grace  time.Duration
		wantAbandoned int
	}{
		{"finishes in grace", 800 * time.Millisecond, 5 * time.Second, 0},
		{"abandoned past grace", 5 * time.Second, 300 * time.Millisecond, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inbox := t.TempDir()
			rec := newRecorder(t, tt.delay)
			sub := filepath.Join(inbox, "机构", "第1期")
			writeSubmission(t, sub, map[string]string{"READY": ""})
			d := start(t, Options{Inbox: inbox, Check: rec.check, Settle: time.Minute, Rescan: time.Minute, Grace: tt.grace, Debounce: 50 * time.Millisecond})
			waitFor(t, 2*time.Second, "the check to start", func() bool { return rec.count(sub) == 1 })
			st := d.stop(t)
			rec.mu.Lock()
			busy := rec.now
			rec.mu.Unlock()
			if st.Abandoned != tt.wantAbandoned || st.Taken != 1 {
				t.Errorf("stats %+v, want %d abandoned", st, tt.wantAbandoned)
			}
			switch {
			case tt.wantAbandoned == 0 && busy != 0:
				t.Error("returned before the check in flight finished")
			case tt.wantAbandoned > 0 && busy == 0:
				t.Error("waited for the abandoned check to finish instead of returning past the grace period")
			}
		})
	}
}

// TestOnce: one scan; what is still and complete is checked, what is still
// being written is left for the next run.
func TestOnce(t *testing.T) {
	inbox := t.TempDir()
	done := []string{filepath.Join(inbox, "甲", "第1期"), filepath.Join(inbox, "乙", "第1期")}
	for _, s := range done {
		writeSubmission(t, s, nil)
	}
	zipPath := filepath.Join(inbox, "丙.zip")
	writeFile(t, zipPath, string(makeZip(t, map[string]string{"manifest.yaml": "x: 1\n"})))
	moving := filepath.Join(inbox, "丁", "第1期")
	writeSubmission(t, moving, nil)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // keeps growing a file: never still across two looks
		defer wg.Done()
		f, _ := os.Create(filepath.Join(moving, "培训课件.pptx"))
		defer f.Close()
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				f.Write([]byte("slide"))
			}
		}
	}()
	rec := newRecorder(t, 0)
	st, err := Once(context.Background(), Options{Inbox: inbox, Check: rec.check, Settle: time.Hour, Debounce: 200 * time.Millisecond})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]string{}, done...), zipPath)
	sort.Strings(want)
	if got := rec.paths(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("checked %v, want %v", got, want)
	}
	if st.Taken != 3 || st.Skipped != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	if _, err := Once(context.Background(), Options{Inbox: filepath.Join(inbox, "nope"), Check: rec.check}); err == nil {
		t.Error("a missing inbox must be an error")
	}
}

// TestExclude: the outbox inside the inbox is neither watched nor taken.
func TestExclude(t *testing.T) {
	inbox := t.TempDir()
	outbox := filepath.Join(inbox, "outbox")
	writeSubmission(t, filepath.Join(outbox, "像提交的输出"), map[string]string{"READY": ""})
	sub := filepath.Join(inbox, "机构")
	writeSubmission(t, sub, map[string]string{"READY": ""})
	rec := newRecorder(t, 0)
	st, err := Once(context.Background(), Options{Inbox: inbox, Check: rec.check, Exclude: []string{outbox}, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.paths(); len(got) != 1 || got[0] != sub || st.Taken != 1 {
		t.Errorf("checked %v, want only %s", got, sub)
	}
}

// TestShutdownTakesNoNewWork: after cancellation, submissions waiting for a
// worker are not started; the one in flight finishes.
func TestShutdownTakesNoNewWork(t *testing.T) {
	inbox := t.TempDir()
	rec := newRecorder(t, 800*time.Millisecond)
	for i := range 4 {
		writeSubmission(t, filepath.Join(inbox, fmt.Sprintf("机构%d", i)), map[string]string{"READY": ""})
	}
	d := start(t, Options{Inbox: inbox, Check: rec.check, Settle: time.Minute, Rescan: time.Minute, Workers: 1, Debounce: 50 * time.Millisecond})
	waitFor(t, 2*time.Second, "the first check", func() bool { return len(rec.paths()) == 1 })
	st := d.stop(t)
	time.Sleep(200 * time.Millisecond)
	if n := len(rec.paths()); n != 1 || st.Taken != 1 || st.Abandoned != 0 {
		t.Errorf("%d checks started, stats %+v; want only the one in flight, finished", n, st)
	}
}

// officeFault is an error like the pipeline's FaultError: the office's side
// failed (a full disk, a locked ledger), not the submission.
type officeFault struct{}

func (officeFault) Error() string       { return "磁盘空间不足" }
func (officeFault) OperatorFault() bool { return true }

// TestFaultRetried: a check that fails on the office's side is taken again at
// the next rescan (with a log line saying so) until it succeeds, then never
// again; one that fails on the submission's side is not retried until its
// content changes.
func TestFaultRetried(t *testing.T) {
	inbox := t.TempDir()
	faulty, bad := filepath.Join(inbox, "机构", "第1期"), filepath.Join(inbox, "机构", "第2期")
	var mu sync.Mutex
	calls := map[string]int{}
	check := func(_ context.Context, path string) (yanshou.Report, error) {
		mu.Lock()
		defer mu.Unlock()
		calls[path]++
		switch {
		case path == faulty && calls[path] <= 2:
			return yanshou.Report{Path: path}, fmt.Errorf("台账数据库出错：%w", officeFault{})
		case path == bad:
			return yanshou.Report{Path: path}, fmt.Errorf("%s 既不是文件夹也不是 .zip 压缩包", path)
		}
		return yanshou.Report{Path: path, Verdict: yanshou.Pass, Version: 1}, nil
	}
	count := func(p string) int { mu.Lock(); defer mu.Unlock(); return calls[p] }
	const rescan = 400 * time.Millisecond
	d := start(t, Options{Inbox: inbox, Check: check, Settle: 200 * time.Millisecond, Rescan: rescan})
	writeSubmission(t, faulty, nil)
	writeSubmission(t, bad, map[string]string{"x.txt": "x"})
	waitFor(t, 5*time.Second, "the third, successful check", func() bool { return count(faulty) == 3 })
	time.Sleep(3 * rescan)
	if n := count(faulty); n != 3 {
		t.Errorf("checked %d times, want 3 (two faults, then a verdict)", n)
	}
	if n := count(bad); n != 1 {
		t.Errorf("a submission-side error was retried: %d checks, want 1", n)
	}
	if logs := d.logs.String(); strings.Count(logs, "下次扫描时重试") != 2 {
		t.Errorf("want two retry notices in the log:\n%s", logs)
	}
	if st := d.stop(t); st.Failed != 3 || st.Taken != 4 {
		t.Errorf("stats %+v, want 4 taken, 3 failed", st)
	}
}

// TestLock: a second daemon on the same outbox is refused, naming the holder;
// the lock is free again once released.
func TestLock(t *testing.T) {
	state := filepath.Join(t.TempDir(), ".yanshou")
	release, err := Lock(state)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(state); err == nil || !strings.Contains(err.Error(), "另一个 yanshou watch") || !strings.Contains(err.Error(), strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: %v", err)
	}
	release()
	again, err := Lock(state)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again()
}

func TestRetryWait(t *testing.T) {
	const r = time.Minute
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{1, 0}, {2, r}, {3, 2 * r}, {4, 4 * r}, {5, 8 * r}, {6, MaxRetryWait}, {60, MaxRetryWait}} {
		if got := retryWait(tt.n, r); got != tt.want {
			t.Errorf("retryWait(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// TestFaultBackoff: a submission whose checks keep failing on the office's
// side is retried less and less often while it is unchanged, and at once when
// it changes.
func TestFaultBackoff(t *testing.T) {
	inbox := t.TempDir()
	sub := filepath.Join(inbox, "机构", "第1期")
	var mu sync.Mutex
	var times []time.Time
	check := func(_ context.Context, path string) (yanshou.Report, error) {
		mu.Lock()
		defer mu.Unlock()
		times = append(times, time.Now())
		return yanshou.Report{Path: path}, fmt.Errorf("磁盘空间不足：%w", officeFault{})
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(times) }
	const rescan = 150 * time.Millisecond
	d := start(t, Options{Inbox: inbox, Check: check, Settle: 100 * time.Millisecond, Rescan: rescan})
	writeSubmission(t, sub, nil)
	waitFor(t, 10*time.Second, "five failed checks", func() bool { return count() >= 5 })
	mu.Lock()
	gaps := make([]time.Duration, 0, len(times))
	for i := 1; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-1]))
	}
	mu.Unlock()
	// The 4th failure waits at least 2×rescan extra, the 5th 4×rescan.
	if gaps[3] < 4*rescan {
		t.Errorf("gaps between retries %v: the wait does not grow", gaps)
	}
	before := count()
	writeFile(t, filepath.Join(sub, "情况总结.txt"), "changed")
	waitFor(t, 5*time.Second, "the changed submission taken at once", func() bool { return count() > before })
	d.stop(t)
}
