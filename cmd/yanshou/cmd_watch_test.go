package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/inventory"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/pipeline/testkit/sample"
	"yanshou/pipeline/watch"
)

// lockedBuffer is a bytes.Buffer safe for the daemon's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// synth writes a small submission: a manifest.yaml for class n of a fictional
// institution, a few documents, a roster and a sign-in sheet. extra, when not
// empty, is written as a summary, so that the content (and version) changes.
func synth(t testing.TB, dir string, n int, extra string) {
	t.Helper()
	synthFiles(t, dir, fmt.Sprintf("商水县测试职业培训学校%02d", n), n, n%5+1, extra)
}

// synthClass writes the n-th small synthesised class (trainees of its own)
// as class number class of institution inst.
func synthClass(t testing.TB, dir, inst string, n, class int) {
	t.Helper()
	synthFiles(t, dir, inst, n, class, "")
}

func synthFiles(t testing.TB, dir, inst string, n, class int, extra string) {
	t.Helper()
	id := func(k int) string {
		first := fmt.Sprintf("41162319%02d%02d01%03d", 80+k%20, 1+(k/1000)%12, k%1000) // unique for k below 12,000
		return first + string(sample.CheckDigit(first))
	}
	files := map[string]string{
		"manifest.yaml": fmt.Sprintf("institution: %s\ntitle: 农村电商实用技能培训班\nclass: 第%d期\n"+
			"start: 2026-03-10\nend: 2026-03-11\nvenue: 商水县电子商务公共服务中心\napplied: 2026-02-20\n"+
			"approval_no: 商电商办〔2026〕%d号\napproved: 2026-02-28\nplanned: 3\nteachers: 张某（讲师）\n", inst, class, n+1),
		"申请报告.txt":    "申请开展电商培训",
		"批复.txt":      "同意",
		"培训通知.txt":    "通知",
		"培训学员名单.csv":  fmt.Sprintf("姓名,身份证号,手机号\n张一,%s,13800000001\n李二,%s,13800000002\n王三,%s,13800000003\n", id(3*n), id(3*n+1), id(3*n+2)),
		"签到表.csv":     fmt.Sprintf("姓名,身份证号,手机号,日期\n张一,%s,13800000001,2026-03-10\n李二,%s,13800000002,2026-03-10\n", id(3*n), id(3*n+1)),
		"现场照片/1.jpg":  "not really a jpeg",
		"情况总结.txt":    "总结" + extra,
		"培训课件/课件.txt": strings.Repeat("电商 ", 200),
	}
	for rel, body := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// judged is one "已验收" line of the watcher's JSON log.
type judged struct {
	Msg     string `json:"msg"`
	Path    string `json:"path"`
	ID      string `json:"id"`
	Version int    `json:"version"`
	Verdict string `json:"verdict"`
}

func judgedLines(log string) []judged {
	var out []judged
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var j judged
		if json.Unmarshal(sc.Bytes(), &j) == nil && j.Msg == "已验收" {
			out = append(out, j)
		}
	}
	return out
}

// repeatLines are the daemon's lines for content judged before.
func repeatLines(log string) []judged {
	var out []judged
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var j judged
		if json.Unmarshal(sc.Bytes(), &j) == nil && j.Msg == watch.RepeatMessage {
			out = append(out, j)
		}
	}
	return out
}

// outputFolders lists the version folders in the outbox (not the state folder).
func outputFolders(t testing.TB, outbox string) []string {
	t.Helper()
	entries, err := os.ReadDir(outbox)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != pipeline.StateDirName {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func waitUntil(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestWatchUsage(t *testing.T) {
	inbox := t.TempDir()
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"watch", "--help"}, exitOK},
		{[]string{"watch", "--nope"}, exitUsage},
		{[]string{"watch", "--inbox", inbox, "extra"}, exitUsage},
		{[]string{"watch", "--inbox", inbox, "--settle", "0s"}, exitUsage},
		{[]string{"watch", "--inbox", inbox, "--workers", "-1"}, exitUsage},
		{[]string{"watch", "--inbox", inbox, "--rescan", "soon"}, exitUsage},
		{[]string{"watch", "--inbox", filepath.Join(inbox, "missing"), "--once"}, exitUnprocessed},
	}
	for _, tt := range tests {
		if code, _, stderr := runCmd(t, tt.args...); code != tt.want {
			t.Errorf("yanshou %v exited %d, want %d\n%s", tt.args, code, tt.want, stderr)
		}
	}
}

// TestWatchOnce: --once checks what is finished and exits 0; an unreadable zip is
// reported by name and makes the exit status 1.
func TestWatchOnce(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	synth(t, filepath.Join(inbox, "测试学校", "第1期"), 1, "")
	code, _, stderr := runCmd(t, "watch", "--once", "--inbox", inbox, "--outbox", outbox, "--settle", "200ms", "--log", "json")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if got := outputFolders(t, outbox); len(got) != 1 {
		t.Fatalf("output folders %v, want one", got)
	}
	if j := judgedLines(stderr); len(j) != 1 || j[0].Version != 1 {
		t.Errorf("log lines %+v, want one 已验收 line for version 1", j)
	}

	// An unreadable zip is judged as an empty submission whose finding names it, so
	// the institution gets a report; the first class is not judged again.
	os.WriteFile(filepath.Join(inbox, "坏包.zip"), []byte("PK\x03\x04 not a zip at all"), 0o644)
	code, _, stderr = runCmd(t, "watch", "--once", "--inbox", inbox, "--outbox", outbox, "--settle", "200ms")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	got := outputFolders(t, outbox)
	if len(got) != 2 {
		t.Fatalf("output folders %v, want the first class and the refused zip", got)
	}
	if !strings.Contains(readVerdicts(t, outbox), "坏包.zip") {
		t.Errorf("no verdict names 坏包.zip")
	}
}

// readVerdicts concatenates every verdict.json under the outbox.
func readVerdicts(t *testing.T, outbox string) string {
	t.Helper()
	var all strings.Builder
	for _, d := range outputFolders(t, outbox) {
		b, err := os.ReadFile(filepath.Join(outbox, d, "verdict.json"))
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	return all.String()
}

// TestWatchZips drops zips into a watched inbox: GBK file names are read right; a
// zip-slip entry and a zip bomb are refused with findings naming them, and nothing
// is written outside the outbox's state folder.
func TestWatchZips(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	src := filepath.Join(dir, "src", "第1期")
	synth(t, src, 3, "")
	var entries []zipEntry
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Dir(src), p)
			b, _ := os.ReadFile(p)
			entries = append(entries, zipEntry{name: filepath.ToSlash(rel), body: b})
		}
		return nil
	})
	// The zip-slip zip holds another class: refused entries are not part of a
	// submission's content, so the same files would be the same (judged) version.
	src2 := filepath.Join(dir, "src2", "第2期")
	synth(t, src2, 4, "")
	var entries2 []zipEntry
	filepath.WalkDir(src2, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Dir(src2), p)
			b, _ := os.ReadFile(p)
			entries2 = append(entries2, zipEntry{name: filepath.ToSlash(rel), body: b})
		}
		return nil
	})
	os.MkdirAll(inbox, 0o755)
	writeZip(t, filepath.Join(inbox, "国标编码.zip"), entries, true)
	writeZip(t, filepath.Join(inbox, "越界.zip"), append(entries2, zipEntry{name: "../../逃逸.txt", body: []byte("x")}), false)
	writeZip(t, filepath.Join(inbox, "炸弹.zip"), []zipEntry{{name: "big.bin", body: make([]byte, 64<<20)}}, false)

	code, _, stderr := runCmd(t, "watch", "--once", "--inbox", inbox, "--outbox", outbox, "--settle", "200ms")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	verdicts := readVerdicts(t, outbox)
	for _, want := range []string{"商水县测试职业培训学校03", "逃逸.txt", "炸弹.zip", "压缩炸弹"} {
		if !strings.Contains(verdicts, want) {
			t.Errorf("verdicts do not mention %q", want)
		}
	}
	// The GBK names were decoded: the manifest was found and the class recognised.
	if !strings.Contains(verdicts, "\"class\": \"第4期\"") {
		t.Errorf("the GBK zip's manifest was not read")
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if d != nil && strings.Contains(d.Name(), "逃逸") {
			t.Errorf("an escaping entry was written: %s", p)
		}
		return nil
	})
}

type zipEntry struct {
	name string
	body []byte
}

// writeZip writes a zip; gbk writes the names in GBK without the UTF-8 flag, as
// Windows zip tools in China do.
func writeZip(t *testing.T, path string, entries []zipEntry, gbk bool) {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if gbk {
			enc, err := simplifiedchinese.GBK.NewEncoder().String(e.name)
			if err != nil {
				t.Fatal(err)
			}
			h.Name, h.NonUTF8 = enc, true
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(e.body)
	}
	w.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWatchDuplicatesAndResubmission runs the daemon in-process with the real
// pipeline and a real fsnotify watcher: two copies of one submission give one
// version (one output folder); an edit of one copy gives version 2; the other
// copy, unchanged, is not taken again.
func TestWatchDuplicatesAndResubmission(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	os.MkdirAll(inbox, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- watchMain(ctx, []string{"--inbox", inbox, "--outbox", outbox, "--settle", "400ms", "--rescan", "1s", "--workers", "2", "--log", "json"}, &bytes.Buffer{}, &stderr)
	}()
	defer func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("watch exited %d after cancellation", code)
			}
		case <-time.After(30 * time.Second):
			t.Error("watch did not stop")
		}
	}()
	time.Sleep(300 * time.Millisecond)

	a, b := filepath.Join(inbox, "甲", "第1期"), filepath.Join(inbox, "甲-副本", "第1期")
	synth(t, a, 7, "")
	synth(t, b, 7, "")
	// One copy is judged; the other, the same content, is said to be judged before.
	both := func() []judged { return append(judgedLines(stderr.String()), repeatLines(stderr.String())...) }
	waitUntil(t, 30*time.Second, "both copies judged", func() bool { return len(both()) >= 2 })
	lines := both()
	if len(judgedLines(stderr.String())) != 1 || lines[0].ID != lines[1].ID || lines[0].Version != 1 || lines[1].Version != 1 {
		t.Fatalf("two copies: %+v, want one 已验收 and one 已验收过 line, one id at version 1", lines)
	}
	if got := outputFolders(t, outbox); len(got) != 1 || !strings.HasSuffix(got[0], "_v1") {
		t.Fatalf("output folders %v, want one _v1", got)
	}

	synth(t, a, 7, "（整改后补充）")
	waitUntil(t, 30*time.Second, "the edited copy judged", func() bool { return len(judgedLines(stderr.String())) >= 2 })
	time.Sleep(1500 * time.Millisecond) // a rescan and a settle time: nothing else is taken
	lines = judgedLines(stderr.String())
	if len(lines) != 2 || lines[1].Path != "甲/第1期" || lines[1].Version != 2 || lines[1].ID != lines[0].ID ||
		len(repeatLines(stderr.String())) != 1 {
		t.Fatalf("after the edit: %+v, want one more line, 甲/第1期 version 2, and nothing else", lines)
	}
	if got := outputFolders(t, outbox); len(got) != 2 {
		t.Errorf("output folders %v, want _v1 and _v2", got)
	}
}

// startLogged starts cmd with its output in the file logPath, and kills it at
// the end of the test if it still runs; the function returned reads what it
// has written so far.
func startLogged(t testing.TB, cmd *exec.Cmd, logPath string) func() string {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return func() string { b, _ := os.ReadFile(logPath); return string(b) }
}

// buildBinary builds the yanshou binary into a temporary folder.
func buildBinary(t testing.TB) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(build.Default.GOROOT, "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "yanshou")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func verdictCount(outbox string) int {
	n := 0
	entries, _ := os.ReadDir(outbox)
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(outbox, e.Name(), "verdict.json")); err == nil {
			n++
		}
	}
	return n
}

// TestWatchCrash starts the real binary on an inbox of 24 small synthetic
// submissions and the 7 classes of the demo sample (real photos, workbooks and
// PDFs), kills it with SIGKILL twice in the middle of the batch (editing two
// submissions already judged in between), restarts it and stops it with SIGTERM
// (exit 0) while it works, then runs --once, and proves: every submission's
// current content has a complete verdict; every version the ledger holds has
// exactly one complete output folder whose verdict.json matches it; there are
// no other folders and nothing is left half-written; every stored original
// matches its hash.
func TestWatchCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a batch")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	const n = 24
	var subs []string
	for i := range n {
		s := filepath.Join(inbox, fmt.Sprintf("机构%02d", i/3), fmt.Sprintf("第%d期", i%3+1))
		synth(t, s, i, "")
		subs = append(subs, s)
	}
	cases, err := sample.Write(inbox, 2026, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		subs = append(subs, filepath.Join(inbox, filepath.FromSlash(c.Dir)))
	}
	start := func(name string, args ...string) (*exec.Cmd, func() string) {
		cmd := exec.Command(bin, append([]string{"watch", "--inbox", inbox, "--outbox", outbox, "--log", "json"}, args...)...)
		return cmd, startLogged(t, cmd, filepath.Join(dir, name+".log"))
	}
	tmpDir := filepath.Join(outbox, pipeline.StateDirName, "tmp")
	daemon := []string{"--settle", "300ms", "--rescan", "1s", "--workers", "2"}
	var edited []string
	total := func() int { return len(subs) + len(edited) } // output folders at the end
	// more waits for k more verdicts, or for all of them.
	more := func(k int) func() bool {
		from := verdictCount(outbox)
		return func() bool { c := verdictCount(outbox); return c >= from+k || c >= total() }
	}

	// Runs 1 and 2: killed mid-batch.
	for run := 1; run <= 2; run++ {
		cmd, output := start(fmt.Sprintf("run%d", run), daemon...)
		waitUntil(t, 60*time.Second, "a few verdicts", more(4))
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		left, _ := os.ReadDir(tmpDir)
		t.Logf("run %d: SIGKILL after %d of %d verdicts, %d output folders half-written", run, verdictCount(outbox), total(), len(left))
		if verdictCount(outbox) >= total() {
			t.Logf("note: the batch finished before the kill:\n%s", output())
		}
		if run == 1 {
			// Two submissions already judged are edited: each must end with version 2.
			for _, s := range subs {
				if len(edited) == 2 {
					break
				}
				sub, _, err := inventory.Scan(s)
				if err != nil {
					t.Fatal(err)
				}
				if i := indexOf(subs, s); i < n && done(t, outbox, sub.ContentHash) {
					synth(t, s, i, "（第二版）")
					edited = append(edited, s)
				}
			}
		}
	}

	// Run 3: stopped with SIGTERM while working; exits 0.
	cmd, output := start("run3", daemon...)
	waitUntil(t, 60*time.Second, "more verdicts", more(2))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(cmd, 60*time.Second); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, output())
	}
	t.Logf("run 3: stopped by SIGTERM after %d verdicts", verdictCount(outbox))

	// Run 4: --once takes the rest.
	cmd, output = start("run4", "--once", "--settle", "300ms", "--workers", "2")
	if err := waitExit(cmd, 120*time.Second); err != nil {
		t.Fatalf("--once: %v\n%s", err, output())
	}

	// Every submission's current content has a complete verdict.
	l, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var files []yanshou.File
	for _, s := range subs {
		sub, _, err := inventory.Scan(s)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, sub.Files...)
		v, err := l.Lookup(sub.ContentHash)
		if err != nil || v == nil || !v.Done {
			t.Errorf("%s: current content has no complete verdict (%v, %v)", s, v, err)
			continue
		}
		if want := 1 + btoi(contains(edited, s)); v.Version != want {
			t.Errorf("%s: version %d, want %d", s, v.Version, want)
		}
	}
	// Every version has exactly one complete output folder, and there are no others.
	versions, err := l.Versions()
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != total() {
		t.Errorf("%d versions in the ledger, want %d", len(versions), total())
	}
	want := map[string]bool{}
	for _, v := range versions {
		if !v.Done {
			t.Errorf("version %s v%d claimed but never completed", v.SubmissionID, v.Version)
			continue
		}
		if want[v.OutDir] {
			t.Errorf("two versions share the folder %s", v.OutDir)
		}
		want[v.OutDir] = true
		data, err := os.ReadFile(filepath.Join(outbox, v.OutDir, "verdict.json"))
		if err != nil {
			t.Errorf("%s: %v", v.OutDir, err)
			continue
		}
		var rep yanshou.Report
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Errorf("%s/verdict.json does not parse: %v", v.OutDir, err)
			continue
		}
		if rep.ID != v.SubmissionID || rep.Version != v.Version || rep.Verdict == "" {
			t.Errorf("%s/verdict.json says %s v%d %q, ledger %s v%d", v.OutDir, rep.ID, rep.Version, rep.Verdict, v.SubmissionID, v.Version)
		}
		for _, o := range rep.Outputs {
			if st, err := os.Stat(o); err != nil || st.Size() == 0 {
				t.Errorf("%s: output %s missing or empty", v.OutDir, o)
			}
		}
	}
	got := outputFolders(t, outbox)
	for _, f := range got {
		if !want[f] {
			t.Errorf("output folder %s belongs to no version", f)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d output folders, %d versions", len(got), len(want))
	}
	if left, _ := os.ReadDir(filepath.Join(outbox, pipeline.StateDirName, "tmp")); len(left) > 0 {
		t.Errorf("half-written outputs left in the state folder: %v", left)
	}
	// Every stored original matches its hash (once the pipeline stores them).
	store := filepath.Join(outbox, pipeline.StateDirName, "originals")
	objs, err := originals.List(store)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if err := originals.Verify(store, o); err != nil {
			t.Error(err)
		}
	}
	if len(objs) == 0 {
		t.Log("no originals stored: the pipeline does not call originals.Store yet")
	} else {
		t.Logf("%d stored originals verified against their SHA-256; %d current inbox files found among them", len(objs), len(files))
		for _, f := range files {
			if err := originals.Verify(store, f.SHA256); err != nil {
				t.Errorf("%s: %v", f.Abs, err)
			}
		}
	}
}

func done(t *testing.T, outbox, contentHash string) bool {
	l, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	v, err := l.Lookup(contentHash)
	return err == nil && v != nil && v.Done
}

func waitExit(cmd *exec.Cmd, timeout time.Duration) error {
	ch := make(chan error, 1)
	go func() { ch <- cmd.Wait() }()
	select {
	case err := <-ch:
		return err
	case <-time.After(timeout):
		cmd.Process.Kill()
		return fmt.Errorf("did not exit within %v", timeout)
	}
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func contains(ss []string, s string) bool { return indexOf(ss, s) >= 0 }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkWatchMarkerLatency measures, with the default settle and rescan
// times, how long after a marker file lands in a small submission its
// verdict.json is written: in a folder already copied and still
// (marker-after-copy), and in a folder moved into the inbox with its marker
// (dropped-with-marker: it must be found, then look still twice).
// Run: go test -run '^$' -bench MarkerLatency -benchtime 7x ./cmd/yanshou
func BenchmarkWatchMarkerLatency(b *testing.B) {
	for _, dropped := range []bool{false, true} {
		name := map[bool]string{false: "marker-after-copy", true: "dropped-with-marker"}[dropped]
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			inbox, outbox, staging := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox"), filepath.Join(dir, "staging")
			os.MkdirAll(inbox, 0o755)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			go func() {
				done <- watchMain(ctx, []string{"--inbox", inbox, "--outbox", outbox, "--quiet"}, &bytes.Buffer{}, &bytes.Buffer{})
			}()
			defer func() { cancel(); <-done }()
			// Warm up once (fonts, rules, ledger) so the figure is the steady state.
			warm := filepath.Join(inbox, "warm")
			synth(b, warm, 999, "")
			os.WriteFile(filepath.Join(warm, "READY"), nil, 0o644)
			waitUntil(b, 60*time.Second, "warm-up", func() bool { return verdictCount(outbox) == 1 })

			var lat []time.Duration
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				before := verdictCount(outbox)
				name := fmt.Sprintf("机构%d", i)
				var landed time.Time
				if dropped {
					synth(b, filepath.Join(staging, name), i, "")
					os.WriteFile(filepath.Join(staging, name, "提交完成.txt"), nil, 0o644)
					b.StartTimer()
					landed = time.Now()
					os.Rename(filepath.Join(staging, name), filepath.Join(inbox, name))
				} else {
					synth(b, filepath.Join(inbox, name), i, "")
					time.Sleep(2500 * time.Millisecond) // the folder is known and still, far from settled (30 s)
					b.StartTimer()
					landed = time.Now()
					os.WriteFile(filepath.Join(inbox, name, "提交完成.txt"), nil, 0o644)
				}
				waitUntil(b, 60*time.Second, "the verdict", func() bool { return verdictCount(outbox) > before })
				lat = append(lat, time.Since(landed))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "ms-median")
			b.Logf("marker → verdict.json: %v", lat)
		})
	}
}

// TestWatchLoad runs the real binary's watcher under load: submissions (with
// markers) dropped into the inbox at once, more arriving one by one while those
// are being processed, and proves every one is judged exactly once — one
// "已验收" line, one output folder, one ledger version each, nothing taken
// twice, even across a rescan afterwards.
//
// By default (make test) it is small: 30 at once and 5 more, 2 workers. With
// YANSHOU_LOAD_N=200 (make bench) it drops 200 at once and 20 more, and also 50
// and 5, each with 1 and with 4 workers, and shows that the daemon's peak memory
// (VmHWM) is bounded by the number of workers, not of submissions: for the same
// workers, the 200 run peaks below 1.5 × the 50 run + 20 MB. One "LOAD" line per
// run gives the figures.
// Run: YANSHOU_LOAD_N=200 go test -run WatchLoad -v ./cmd/yanshou
func TestWatchLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a load")
	}
	bin := buildBinary(t)
	n, _ := strconv.Atoi(os.Getenv("YANSHOU_LOAD_N"))
	if n <= 0 {
		runLoad(t, bin, 30, 5, 2)
		return
	}
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			small := runLoad(t, bin, 50, 5, workers)
			big := runLoad(t, bin, n, n/10, workers)
			if limit := 1.5*small.peakMB + 20; big.peakMB > limit {
				t.Errorf("%d workers: peak RSS %.1f MB for %d submissions, %.1f MB for %d: more than 1.5 × + 20 MB (%.1f MB); memory grows with the submissions",
					workers, big.peakMB, big.n+big.extra, small.peakMB, small.n+small.extra, limit)
			}
		})
	}
}

// loadRun is what runLoad measured.
type loadRun struct {
	n, extra, workers int
	took              time.Duration // from the drop until the last verdict
	peakMB            float64       // the daemon's VmHWM
	doneAtArrival     []int         // verdicts already written when each later submission arrived
}

// runLoad starts the watcher with the given workers, drops n submissions into
// its inbox at once and, once the first verdict is out, extra more one by one
// (150 ms apart); it waits for every verdict, then for a rescan, checks that each
// submission was judged exactly once, reads the daemon's peak RSS and stops it.
func runLoad(t *testing.T, bin string, n, extra, workers int) loadRun {
	t.Helper()
	dir := t.TempDir()
	inbox, outbox, staging := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox"), filepath.Join(dir, "staging")
	os.MkdirAll(inbox, 0o755)
	total := n + extra
	names := make([]string, total)
	for i := range total {
		names[i] = fmt.Sprintf("机构%03d", i)
		s := filepath.Join(staging, names[i])
		synth(t, s, i, "")
		os.WriteFile(filepath.Join(s, "READY"), nil, 0o644)
	}
	var stderr lockedBuffer
	cmd := exec.Command(bin, "watch", "--inbox", inbox, "--outbox", outbox, "--workers", strconv.Itoa(workers),
		"--rescan", "2s", "--log", "json")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	waitUntil(t, time.Minute, "the watcher to start", func() bool { return strings.Contains(stderr.String(), "开始监视收件目录") })
	judgedCount := func() int { return len(judgedLines(stderr.String())) }

	run := loadRun{n: n, extra: extra, workers: workers}
	begin := time.Now()
	for i := range n { // dropped at once: one rename each
		if err := os.Rename(filepath.Join(staging, names[i]), filepath.Join(inbox, names[i])); err != nil {
			t.Fatal(err)
		}
	}
	waitUntil(t, 5*time.Minute, "the first verdict", func() bool { return judgedCount() > 0 })
	for i := n; i < total; i++ { // arriving while the first are processed
		run.doneAtArrival = append(run.doneAtArrival, judgedCount())
		if err := os.Rename(filepath.Join(staging, names[i]), filepath.Join(inbox, names[i])); err != nil {
			t.Fatal(err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	waitUntil(t, 30*time.Minute, "every verdict", func() bool { return judgedCount() >= total && verdictCount(outbox) >= total })
	run.took = time.Since(begin)
	time.Sleep(3 * time.Second) // a rescan (2 s) and more: nothing is taken again

	// Exactly once: one line per submission, one folder and one ledger version each.
	log := stderr.String()
	lines := judgedLines(log)
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, l := range lines {
		seen[l.Path]++
		ids[l.ID] = true
		if l.Version != 1 {
			t.Errorf("%s judged as version %d, want 1", l.Path, l.Version)
		}
	}
	for _, name := range names {
		if seen[name] != 1 {
			t.Errorf("%s judged %d times, want once", name, seen[name])
		}
	}
	if len(lines) != total || len(ids) != total {
		t.Errorf("%d 已验收 lines for %d ids, want %d of each", len(lines), len(ids), total)
	}
	if got := outputFolders(t, outbox); len(got) != total || verdictCount(outbox) != total {
		t.Errorf("%d output folders, %d with verdict.json, want %d", len(got), verdictCount(outbox), total)
	}
	if strings.Contains(log, "提交未能处理") {
		t.Errorf("a submission could not be processed:\n%s", log)
	}
	if extra > 0 && run.doneAtArrival[0] >= n {
		t.Errorf("the later submissions arrived after the first %d were all judged (%v): not a load", n, run.doneAtArrival)
	}

	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			run.peakMB = kb / 1024
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := waitExit(cmd, time.Minute); err != nil {
		t.Errorf("after SIGTERM: %v", err)
	}
	var stopped struct {
		Msg   string `json:"msg"`
		Taken int    `json:"taken"`
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if json.Unmarshal([]byte(line), &stopped) == nil && stopped.Msg == "已停止" {
			break
		}
	}
	if stopped.Msg != "已停止" || stopped.Taken != total {
		t.Errorf("the watcher stopped having taken %d submissions (%q), want %d", stopped.Taken, stopped.Msg, total)
	}
	if run.peakMB == 0 {
		t.Errorf("no VmHWM for the daemon")
	}
	l, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	versions, err := l.Versions()
	l.Close()
	if err != nil || len(versions) != total {
		t.Errorf("the ledger holds %d versions (%v), want %d", len(versions), err, total)
	}
	// One line per run, for scripts/bench.sh.
	t.Logf("LOAD workers=%d at_once=%d later=%d seconds=%.1f ms_each=%.0f peak_rss_mb=%.1f cpus=%d done_at_arrivals=%v",
		workers, n, extra, run.took.Seconds(), float64(run.took.Milliseconds())/float64(total), run.peakMB, runtime.NumCPU(), run.doneAtArrival)
	return run
}

// TestWatchOnceQuietRerun: a cron run of --once after the first finds the same
// submission judged; it says nothing about it but the one summary line.
func TestWatchOnceQuietRerun(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	synth(t, filepath.Join(inbox, "测试学校", "第1期"), 1, "")
	args := []string{"watch", "--once", "--inbox", inbox, "--outbox", outbox, "--settle", "200ms", "--log", "json"}
	if code, _, stderr := runCmd(t, args...); code != exitOK || len(judgedLines(stderr)) != 1 {
		t.Fatalf("first run: exit %d, want one 已验收 line:\n%s", code, stderr)
	}
	code, _, stderr := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("second run: exit %d:\n%s", code, stderr)
	}
	if j := judgedLines(stderr); len(j) != 0 {
		t.Errorf("second run announced %d submissions again: %+v", len(j), j)
	}
	var stopped struct {
		Msg      string `json:"msg"`
		Taken    int    `json:"taken"`
		Repeated int    `json:"repeated"`
	}
	for _, line := range strings.Split(stderr, "\n") {
		if json.Unmarshal([]byte(line), &stopped) == nil && stopped.Msg == "已停止" {
			break
		}
	}
	if stopped.Msg != "已停止" || stopped.Taken != 1 || stopped.Repeated != 1 {
		t.Errorf("summary %+v, want 1 taken of which 1 judged before:\n%s", stopped, stderr)
	}
	// The text log: the same summary, in Chinese.
	_, _, text := runCmd(t, args[:len(args)-2]...)
	if !strings.Contains(text, "消息=已停止 已接收=1 其中已验收过=1") || strings.Contains(text, "消息=已验收") {
		t.Errorf("text log of a quiet rerun:\n%s", text)
	}
}
