//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/pipeline/testkit/fulldisk"
	"yanshou/pipeline/testkit/sample"
)

// The fault tests drive the real binary into real kernel faults — a full disk
// (a small tmpfs), a ledger database locked by another process, an outbox that
// may not be written (a read-only mount, another user), SIGKILL in the middle of
// a batch — and prove that each ends in a clear error, leaves nothing
// half-written, and that a retry once the fault is cleared gives the same
// verdicts as a run that never saw it.

// binRun is one run of the binary.
type binRun struct {
	code           int
	stdout, stderr string
	dur            time.Duration
}

// binOpts tune how the binary is run.
type binOpts struct {
	wrap    []string            // a command the binary runs under (prlimit …)
	cred    *syscall.Credential // run as another user
	timeout time.Duration       // default 2 minutes
}

func runBin(t *testing.T, bin string, o binOpts, args ...string) binRun {
	t.Helper()
	if o.timeout == 0 {
		o.timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	argv := append(append(append([]string{}, o.wrap...), bin), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if o.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: o.cred}
	}
	start := time.Now()
	err := cmd.Run()
	r := binRun{stdout: stdout.String(), stderr: stderr.String(), dur: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("yanshou %s: no exit within %v (a hang)\n%s", strings.Join(args, " "), o.timeout, r.stderr)
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("yanshou %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// faultSample writes the demo sample into inbox and returns its class folders
// in the demo's order.
func faultSample(t *testing.T, inbox string) []string {
	t.Helper()
	cases, err := sample.Write(inbox, 2026, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, c := range cases {
		dirs = append(dirs, filepath.Join(inbox, filepath.FromSlash(c.Dir)))
	}
	return dirs
}

// judgement is what a version was judged, for comparing two runs.
type judgement struct {
	ID      string
	Version int
	OutDir  string
	Verdict yanshou.Verdict
	Rules   []string // of the findings
	Outputs []string // file names in the output folder
}

// stateOpts relax checkOutbox for a state left by SIGKILL.
type stateOpts struct {
	// mismatch is how many done versions may have a complete folder whose
	// verdict.json is not (yet) the one the ledger records: a kill between
	// moving a new rendering into place and recording it.
	mismatch int
	// tmpLeft allows leftovers in the state folder's tmp/ (the next render of
	// that version clears them).
	tmpLeft bool
	qpdf    bool // also run qpdf --check on every PDF
}

// checkOutbox proves the outbox's invariants and returns the judgement of every
// completed version by content hash:
//   - the ledger opens and reads;
//   - every output folder is complete: a verdict.json that parses, names a
//     version the ledger holds as completed, and lists exactly the files in the
//     folder, each non-empty (PDFs ending in %%EOF) — no half-written verdict;
//   - every completed version has its folder, holding the verdict the ledger
//     records (except o.mismatch of them);
//   - the state folder's tmp/ is empty (unless o.tmpLeft);
//   - every stored original matches its SHA-256.
func checkOutbox(t *testing.T, outbox string, o stateOpts) map[string]judgement {
	t.Helper()
	state := filepath.Join(outbox, pipeline.StateDirName)
	l, err := ledger.Open(state)
	if err != nil {
		t.Fatalf("the ledger does not open: %v", err)
	}
	defer l.Close()
	versions, err := l.Versions()
	if err != nil {
		t.Fatalf("the ledger does not read: %v", err)
	}
	done := map[string]ledger.Version{}
	out := map[string]judgement{}
	for _, v := range versions {
		if !v.Done {
			continue
		}
		if w, dup := done[v.OutDir]; dup {
			t.Errorf("%s and %s share the folder %s", w.ContentHash[:12], v.ContentHash[:12], v.OutDir)
		}
		done[v.OutDir] = v
		var rep yanshou.Report
		if err := json.Unmarshal([]byte(v.ReportJSON), &rep); err != nil {
			t.Errorf("the ledger's report of %s v%d does not parse: %v", v.SubmissionID, v.Version, err)
		}
		j := judgement{ID: v.SubmissionID, Version: v.Version, OutDir: v.OutDir, Verdict: v.Verdict}
		for _, f := range rep.Findings {
			j.Rules = append(j.Rules, f.Rule+"/"+string(f.Severity))
		}
		for _, o := range rep.Outputs {
			j.Outputs = append(j.Outputs, filepath.Base(o))
		}
		sort.Strings(j.Rules)
		sort.Strings(j.Outputs)
		out[v.ContentHash] = j
	}

	mismatches := 0
	for _, dir := range outputFolders(t, outbox) {
		folder := filepath.Join(outbox, dir)
		data, err := os.ReadFile(filepath.Join(folder, "verdict.json"))
		if err != nil {
			t.Errorf("output folder %s has no verdict.json (half-written): %v", dir, err)
			continue
		}
		var rep yanshou.Report
		if err := json.Unmarshal(data, &rep); err != nil || rep.Verdict == "" || rep.ID == "" {
			t.Errorf("%s/verdict.json is half-written or empty (%v):\n%.300s", dir, err, data)
			continue
		}
		v, ok := done[dir]
		if !ok {
			t.Errorf("output folder %s belongs to no completed version in the ledger", dir)
			continue
		}
		if rep.ID != v.SubmissionID || rep.Version != v.Version {
			t.Errorf("%s/verdict.json is %s v%d, the ledger's folder of %s v%d", dir, rep.ID, rep.Version, v.SubmissionID, v.Version)
		}
		if string(data) != v.ReportJSON {
			mismatches++
			t.Logf("%s/verdict.json (%s) is not the verdict the ledger records (%s)", dir, rep.Verdict, v.Verdict)
		}
		want := map[string]bool{}
		for _, o := range rep.Outputs {
			want[filepath.Base(o)] = true
		}
		entries, err := os.ReadDir(folder)
		if err != nil {
			t.Error(err)
			continue
		}
		for _, e := range entries {
			if !want[e.Name()] {
				t.Errorf("%s holds %s, which its verdict.json does not list (a leftover)", dir, e.Name())
			}
			delete(want, e.Name())
			info, err := e.Info()
			if err != nil || info.Size() == 0 {
				t.Errorf("%s/%s is empty", dir, e.Name())
				continue
			}
			if strings.HasSuffix(e.Name(), ".pdf") {
				checkPDF(t, filepath.Join(folder, e.Name()), o.qpdf)
			}
		}
		for name := range want {
			t.Errorf("%s lacks %s, which its verdict.json lists", dir, name)
		}
	}
	for dir, v := range done {
		if _, err := os.Stat(filepath.Join(outbox, dir)); err != nil {
			t.Errorf("the ledger records %s v%d as judged, but its folder %s is missing", v.SubmissionID, v.Version, dir)
		}
	}
	if mismatches > o.mismatch {
		t.Errorf("%d folders hold another verdict than the ledger records, at most %d allowed", mismatches, o.mismatch)
	}
	if !o.tmpLeft {
		if left, _ := os.ReadDir(filepath.Join(state, "tmp")); len(left) > 0 {
			var names []string
			for _, e := range left {
				names = append(names, e.Name())
			}
			t.Errorf("leftovers in %s/tmp: %v", pipeline.StateDirName, names)
		}
	}
	store := filepath.Join(state, "originals")
	objs, err := originals.List(store)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Error(err)
	}
	for _, sum := range objs {
		if err := originals.Verify(store, sum); err != nil {
			t.Errorf("stored original: %v", err)
		}
	}
	return out
}

// checkPDF proves a PDF complete: it ends with %%EOF and, when asked and qpdf
// is installed, qpdf --check finds no damage.
func checkPDF(t *testing.T, path string, deep bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Error(err)
		return
	}
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n \t"), []byte("%%EOF")) {
		t.Errorf("%s does not end with %%%%EOF: a truncated PDF", path)
	}
	// The bound archives (megabytes of photos) take qpdf seconds each; the end
	// marker and `yanshou verify` (TestVerify) cover them.
	if !deep || strings.HasPrefix(filepath.Base(path), "归档-") {
		return
	}
	if _, err := exec.LookPath("qpdf"); err != nil {
		return
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		// Exit 3: warnings only (e.g. a font quirk), still readable.
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Errorf("qpdf --check %s: %v\n%s", path, err, out)
		}
	}
}

// sameJudgements proves two runs judged the same contents the same way.
func sameJudgements(t *testing.T, what string, got, want map[string]judgement) {
	t.Helper()
	for h, w := range want {
		g, ok := got[h]
		if !ok {
			t.Errorf("%s: content %s (%s v%d) was never judged", what, h[:12], w.ID, w.Version)
			continue
		}
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s: content %s judged\n  %s\nwant\n  %s", what, h[:12], gb, wb)
		}
	}
	for h, g := range got {
		if _, ok := want[h]; !ok {
			t.Errorf("%s: content %s (%s v%d) judged only here", what, h[:12], g.ID, g.Version)
		}
	}
}

// treeDigest fingerprints a folder tree: every path, mode, size, time and
// content, to prove it untouched.
func treeDigest(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fmt.Fprintf(h, "%s %v %d %d\n", rel, info.Mode(), info.Size(), info.ModTime().UnixNano())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// mountTmpfs mounts a tmpfs of the given size on dir, unmounted at cleanup.
func mountTmpfs(t *testing.T, dir string, size string) error { return fulldisk.Mount(t, dir, size) }

// fill leaves about leave bytes free on the file system of dir (leave < 0: all).
func fill(t *testing.T, dir string, leave int64) { fulldisk.Fill(t, dir, leave) }

// checkJSON parses the JSON array of `check --json`.
func checkJSON(t *testing.T, r binRun) []yanshou.Report {
	t.Helper()
	var reps []yanshou.Report
	if err := json.Unmarshal([]byte(r.stdout), &reps); err != nil {
		t.Fatalf("check --json printed no JSON array (%v):\n%s\n%s", err, r.stdout, r.stderr)
	}
	return reps
}

// TestFaultDiskFull judges the demo sample into an outbox on a small tmpfs
// whose free space a filler file cuts to a few sizes — from too little for the
// originals to enough for the originals but not for every document — then frees
// it. Every run on the full disk ends with exit 1 and 磁盘空间不足 naming the
// outbox, the later paths are left unchecked (they are judged against the earlier
// ones), no output folder is half-written, the ledger records no completed
// version without its folder, and the tmp folder holds no partial documents.
// The retry after freeing gives exactly the verdicts of a run on a normal disk.
// A batch re-evaluation with other rules on the full disk stops with the same
// error and, retried, equals the batch of the normal disk too. Without mount
// (not root) the binary runs under prlimit --fsize instead (EFBIG).
func TestFaultDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and fills a disk")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	// The first four classes of the demo: two passes (bound archives of
	// megabytes) and two fails; enough to run out of space in every stage.
	paths := faultSample(t, inbox)[:4]
	alt := filepath.Join(dir, "alt.yaml")
	if err := os.WriteFile(alt, []byte("thresholds:\n  attendance_pass: 0.9\n  photos_min_per_day: 4\n  followup_min_share: 0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The normal disk.
	ref := filepath.Join(dir, "ref")
	if r := runBin(t, bin, binOpts{}, append([]string{"check", "--quiet", "--outbox", ref}, paths...)...); r.code != exitOK {
		t.Fatalf("check on a normal disk: exit %d\n%s", r.code, r.stderr)
	}
	want := checkOutbox(t, ref, stateOpts{})

	mnt := filepath.Join(dir, "mnt")
	outbox := filepath.Join(mnt, "outbox")
	var mountErr error
	if os.Getenv("YANSHOU_FAULT_NO_MOUNT") == "" {
		mountErr = mountTmpfs(t, mnt, "64m")
	} else {
		mountErr = errors.New("YANSHOU_FAULT_NO_MOUNT is set")
	}
	type step struct {
		leave int64  // bytes left free (tmpfs)
		fsize string // prlimit --fsize (no mount)
	}
	var steps []step
	var wrap func(step) []string
	hint := "磁盘空间不足"
	if mountErr == nil {
		for _, kb := range []int64{48, 600, 1500, 2500, 3500} {
			steps = append(steps, step{leave: kb << 10})
		}
		wrap = func(step) []string { return nil }
	} else {
		if _, err := exec.LookPath("prlimit"); err != nil {
			t.Skipf("neither a tmpfs (%v) nor prlimit: no way to fill a disk", mountErr)
		}
		t.Logf("no tmpfs (%v): writes fail with EFBIG under prlimit --fsize", mountErr)
		outbox = filepath.Join(dir, "outbox")
		for _, size := range []string{"32768", "300000", "1000000"} {
			steps = append(steps, step{fsize: size})
		}
		wrap = func(s step) []string { return []string{"prlimit", "--fsize=" + s.fsize, "--"} }
		hint = "文件大小超过系统限制"
	}
	// The ledger exists before the disk fills (it is small; its growth is part
	// of what runs out).
	if r := runBin(t, bin, binOpts{}, "check", "--quiet", "--outbox", outbox, paths[0]); r.code != exitOK {
		t.Fatalf("first check: exit %d\n%s", r.code, r.stderr)
	}
	stages := map[string]int{}
	for i, s := range steps {
		if mountErr == nil {
			fill(t, mnt, s.leave)
		}
		r := runBin(t, bin, binOpts{wrap: wrap(s)}, append([]string{"check", "--json", "--quiet", "--outbox", outbox}, paths...)...)
		reps := checkJSON(t, r)
		judged := checkOutbox(t, outbox, stateOpts{})
		var failed *yanshou.Report
		for k := range reps {
			if reps[k].Error != "" {
				failed = &reps[k]
				for _, later := range reps[k+1:] {
					if !strings.Contains(later.Error, "未检查") {
						t.Errorf("step %d: %s after the failed path was checked: %+v", i, later.Path, later)
					}
				}
				break
			}
		}
		if r.code == exitOK && failed == nil {
			t.Logf("step %d (%+v): everything fitted, %d versions complete", i, s, len(judged))
			break
		}
		if r.code != exitUnprocessed || failed == nil {
			t.Fatalf("step %d (%+v): exit %d, want %d with an error\n%s", i, s, r.code, exitUnprocessed, r.stderr)
		}
		if !strings.Contains(failed.Error, hint) || !strings.Contains(failed.Error, outbox) {
			t.Errorf("step %d: the error does not say %s naming the outbox:\n%s", i, hint, failed.Error)
		}
		if !strings.Contains(r.stderr, "yanshou check："+failed.Error) {
			t.Errorf("step %d: stderr does not end with the error:\n%s", i, r.stderr)
		}
		stage, detail := failed.Error, failed.Error
		if i := strings.Index(detail, "详情："); i >= 0 {
			detail = detail[i:]
		}
		for _, st := range []string{"原始材料", "归档", "验收报告", "考勤表", "通知书", "verdict.json", "输出目录", "台账数据库"} {
			if strings.Contains(detail, st) {
				stage = st
				break
			}
		}
		stages[stage]++
		t.Logf("step %d (%+v): %d of %d versions complete; failed at %s in %v: %.200s", i, s, len(judged), len(paths), filepath.Base(failed.Path), r.dur.Round(time.Millisecond), failed.Error)
	}
	// The sizes must have run out both before judging (the originals) and
	// while writing the documents.
	n := 0
	for _, k := range stages {
		n += k
	}
	if n < 3 || stages["原始材料"] == 0 || stages["归档"]+stages["验收报告"]+stages["考勤表"]+stages["通知书"] == 0 {
		t.Errorf("the steps failed at %v: want both the originals and the documents to run out", stages)
	}

	// Space again: a clean retry, the verdicts of the normal disk.
	if mountErr == nil {
		fill(t, mnt, -1)
	}
	r := runBin(t, bin, binOpts{}, append([]string{"check", "--quiet", "--outbox", outbox}, paths...)...)
	if r.code != exitOK {
		t.Fatalf("the retry: exit %d\n%s", r.code, r.stderr)
	}
	sameJudgements(t, "check after the disk was freed", checkOutbox(t, outbox, stateOpts{qpdf: true}), want)
	sameFolders(t, outbox, ref)

	// batch with other rules on a full disk: stops with the error, leaves every
	// folder complete; retried with space, it equals the normal disk's batch.
	if r := runBin(t, bin, binOpts{}, "batch", "--quiet", "--config", alt, "--outbox", ref); r.code != exitOK {
		t.Fatalf("batch on a normal disk: exit %d\n%s", r.code, r.stderr)
	}
	wantBatch := checkOutbox(t, ref, stateOpts{})
	if mountErr == nil {
		fill(t, mnt, 2500<<10)
	}
	bs := step{fsize: "1000000"}
	r = runBin(t, bin, binOpts{wrap: wrap(bs)}, "batch", "--quiet", "--config", alt, "--outbox", outbox)
	if r.code != exitUnprocessed || !strings.Contains(r.stderr, hint) || !strings.Contains(r.stderr, "其余未处理") {
		t.Errorf("batch on a full disk: exit %d, want %d and %s\n%s", r.code, exitUnprocessed, hint, r.stderr)
	}
	t.Logf("batch on a full disk: exit %d in %v: %s", r.code, r.dur.Round(time.Millisecond), lastLine(r.stderr))
	checkOutbox(t, outbox, stateOpts{mismatch: 1})
	if mountErr == nil {
		fill(t, mnt, -1)
	}
	if r := runBin(t, bin, binOpts{}, "batch", "--quiet", "--config", alt, "--outbox", outbox); r.code != exitOK {
		t.Fatalf("batch after the disk was freed: exit %d\n%s", r.code, r.stderr)
	}
	sameJudgements(t, "batch after the disk was freed", checkOutbox(t, outbox, stateOpts{qpdf: true}), wantBatch)
	sameFolders(t, outbox, ref)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// sameFolders proves two outboxes hold the same output folders with the same
// file names.
func sameFolders(t *testing.T, got, want string) {
	t.Helper()
	list := func(outbox string) string {
		var b strings.Builder
		for _, d := range outputFolders(t, outbox) {
			entries, _ := os.ReadDir(filepath.Join(outbox, d))
			fmt.Fprintf(&b, "%s:", d)
			for _, e := range entries {
				fmt.Fprintf(&b, " %s", e.Name())
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	if g, w := list(got), list(want); g != w {
		t.Errorf("output folders differ:\n%s\nwant\n%s", g, w)
	}
}

// TestFaultHelperProcess is not a test: TestFaultLedgerLocked runs the test
// binary again with YANSHOU_FAULT_HOLD_DB set, and this holds that database
// locked — BEGIN EXCLUSIVE with a pending write (mode "write": readers go on,
// writers wait), after PRAGMA locking_mode=EXCLUSIVE (mode "exclusive": nobody
// else even reads) — prints LOCKED and keeps the lock until its stdin closes.
func TestFaultHelperProcess(t *testing.T) {
	path := os.Getenv("YANSHOU_FAULT_HOLD_DB")
	if path == "" {
		t.Skip("helper process of TestFaultLedgerLocked")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stmts := []string{"BEGIN EXCLUSIVE",
		`INSERT INTO submissions(id, institution, class, start, end_date, first_seen) VALUES('HELPER', '', '', '', '', '')`}
	if os.Getenv("YANSHOU_FAULT_HOLD_MODE") == "exclusive" {
		stmts = append([]string{"PRAGMA locking_mode=EXCLUSIVE"}, stmts...)
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	fmt.Println("LOCKED")
	io.Copy(io.Discard, os.Stdin)
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// holdLedger starts the helper process holding the ledger locked; the
// returned function releases it.
func holdLedger(t *testing.T, db, mode string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "YANSHOU_FAULT_HOLD_DB="+db, "YANSHOU_FAULT_HOLD_MODE="+mode)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	locked := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "LOCKED" {
				locked <- true
			}
		}
		close(locked)
	}()
	select {
	case ok := <-locked:
		if !ok {
			cmd.Wait()
			t.Fatalf("the helper did not lock the ledger:\n%s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the helper did not lock the ledger within 30 s")
	}
	released := false
	release = func() {
		if released {
			return
		}
		released = true
		stdin.Close()
		if err := waitExit(cmd, 30*time.Second); err != nil {
			t.Errorf("the lock helper: %v\n%s", err, stderr.String())
		}
	}
	t.Cleanup(release)
	return release
}

// TestFaultLedgerLocked holds the ledger database locked from another process
// (the test binary itself, with modernc.org/sqlite) and proves: `check` ends
// within bounded time (the busy timeout, 10 s) with exit 1 and a Chinese error
// naming the database file and saying another process holds it, judging
// nothing and leaving nothing half-written — both when the other process holds
// the write lock and when it holds the file exclusively (nobody reads); and the
// daemon, whose check of a new submission fails while the lock is held, logs
// that it will retry, takes it again at the next rescan once the lock is
// released and judges it exactly once.
func TestFaultLedgerLocked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and waits out the busy timeout")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	first := filepath.Join(dir, "earlier", "第1期")
	synth(t, first, 1, "")
	if r := runBin(t, bin, binOpts{}, "check", "--quiet", "--outbox", outbox, first); r.code != exitOK {
		t.Fatalf("first check: exit %d\n%s", r.code, r.stderr)
	}
	sub := filepath.Join(inbox, "机构", "第2期")
	synth(t, sub, 2, "")
	db := filepath.Join(outbox, pipeline.StateDirName, "ledger.db")

	for _, mode := range []string{"write", "exclusive"} {
		t.Run("check/"+mode, func(t *testing.T) {
			release := holdLedger(t, db, mode)
			r := runBin(t, bin, binOpts{timeout: time.Minute}, "check", "--outbox", outbox, sub)
			release()
			t.Logf("check with the ledger locked (%s): exit %d after %v: %s", mode, r.code, r.dur.Round(time.Millisecond), lastLine(r.stderr))
			if r.code != exitUnprocessed {
				t.Errorf("exit %d, want %d\n%s", r.code, exitUnprocessed, r.stderr)
			}
			// The ledger was held until after check returned (release above), and
			// a check killed by runBin's timeout would not exit 1 with the words
			// below: the wait was bounded without timing it.
			for _, want := range []string{"yanshou check：台账数据库 " + db, "被另一个进程占用", "后重试"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
				}
			}
			if got := checkOutbox(t, outbox, stateOpts{}); len(got) != 1 {
				t.Errorf("%d versions judged, want only the first", len(got))
			}
		})
	}

	// The daemon: the submission arrives while the ledger is locked.
	release := holdLedger(t, db, "write")
	cmd := exec.Command(bin, "watch", "--inbox", inbox, "--outbox", outbox, "--settle", "300ms", "--rescan", "1s",
		"--workers", "1", "--log", "json")
	log := startLogged(t, cmd, filepath.Join(dir, "watch.log"))
	begin := time.Now()
	waitUntil(t, 60*time.Second, "the failed check and its retry notice", func() bool {
		return strings.Contains(log(), "下次扫描时重试")
	})
	if !strings.Contains(log(), "被另一个进程占用") {
		t.Errorf("the daemon's log does not say the ledger is held:\n%s", log())
	}
	t.Logf("daemon: the check failed after %v; releasing the lock", time.Since(begin).Round(time.Millisecond))
	release()
	released := time.Now()
	waitUntil(t, 30*time.Second, "the submission judged", func() bool { return len(judgedLines(log())) > 0 })
	t.Logf("daemon: judged %v after the lock was released", time.Since(released).Round(time.Millisecond))
	time.Sleep(2500 * time.Millisecond) // two more rescans: nothing is taken again
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(cmd, 30*time.Second); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, log())
	}
	lines := judgedLines(log())
	if len(lines) != 1 || lines[0].Path != "机构/第2期" || lines[0].Version != 1 {
		t.Errorf("judged %+v, want 机构/第2期 version 1 exactly once\n%s", lines, log())
	}
	if got := checkOutbox(t, outbox, stateOpts{}); len(got) != 2 {
		t.Errorf("%d versions judged, want 2", len(got))
	}
}

// TestFaultOutboxUnwritable makes the outbox unwritable in several ways — a
// read-only mount of the whole outbox (EROFS), another user (nobody) who may
// write neither the outbox nor its state folder, the same user allowed the
// state folder but not the output folders (the failure comes at the very
// end, when the rendered folder is moved into place) — and proves for each:
// exit 1, a Chinese error naming the outbox, nothing judged or half-written,
// the inbox untouched; and once the outbox is writable a clean retry judges
// the submission. Without root, chmod 0555 stands in for the other user.
func TestFaultOutboxUnwritable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	root := os.Geteuid() == 0
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	// The binary and the test folders must be reachable by nobody.
	for _, p := range []string{filepath.Dir(bin), filepath.Dir(filepath.Dir(bin))} {
		os.Chmod(p, 0o755)
	}
	chown := func(t *testing.T, p string) {
		if err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(q, int(nobody.Uid), int(nobody.Gid))
		}); err != nil {
			t.Fatal(err)
		}
	}
	type fault struct {
		name  string
		cred  *syscall.Credential
		mount bool                              // the outbox is a tmpfs (remounted read-only by apply)
		apply func(t *testing.T, outbox string) // makes the outbox unwritable
		undo  func(t *testing.T, outbox string) // makes it writable again
		hint  string                            // in the error
	}
	remount := func(mode string) func(t *testing.T, outbox string) {
		return func(t *testing.T, outbox string) {
			if out, err := exec.Command("mount", "-o", "remount,"+mode, outbox).CombinedOutput(); err != nil {
				t.Fatalf("remount %s: %v %s", mode, err, out)
			}
		}
	}
	var faults []fault
	if root {
		faults = append(faults,
			fault{name: "read-only-mount", mount: true, apply: remount("ro"), undo: remount("rw"), hint: "只读"},
			fault{name: "other-user", cred: nobody,
				apply: func(t *testing.T, outbox string) {},
				undo:  func(t *testing.T, outbox string) { chown(t, outbox) },
				hint:  "没有写入权限"},
			fault{name: "output-folders-only", cred: nobody,
				apply: func(t *testing.T, outbox string) { chown(t, filepath.Join(outbox, pipeline.StateDirName)) },
				undo:  func(t *testing.T, outbox string) { chown(t, outbox) },
				hint:  "没有写入权限"},
		)
	} else {
		faults = append(faults,
			fault{name: "chmod-0555",
				apply: func(t *testing.T, outbox string) {
					filepath.WalkDir(outbox, func(q string, d fs.DirEntry, err error) error {
						if err == nil && d.IsDir() {
							os.Chmod(q, 0o555)
						}
						return nil
					})
				},
				undo: func(t *testing.T, outbox string) {
					filepath.WalkDir(outbox, func(q string, d fs.DirEntry, err error) error {
						if err == nil && d.IsDir() {
							os.Chmod(q, 0o755)
						}
						return nil
					})
				},
				hint: "没有写入权限"},
			fault{name: "output-folders-only",
				apply: func(t *testing.T, outbox string) { os.Chmod(outbox, 0o555) },
				undo:  func(t *testing.T, outbox string) { os.Chmod(outbox, 0o755) },
				hint:  "没有写入权限"},
		)
	}
	for i, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, p := range []string{dir, filepath.Dir(dir)} {
				os.Chmod(p, 0o755)
			}
			inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
			if f.mount {
				if err := mountTmpfs(t, outbox, "64m"); err != nil {
					t.Skipf("no tmpfs: %v", err)
				}
			}
			a, b := filepath.Join(inbox, "机构", "第1期"), filepath.Join(inbox, "机构", "第2期")
			synth(t, a, 10+2*i, "")
			synth(t, b, 11+2*i, "")
			if r := runBin(t, bin, binOpts{}, "check", "--quiet", "--outbox", outbox, a); r.code != exitOK {
				t.Fatalf("first check: exit %d\n%s", r.code, r.stderr)
			}
			before := treeDigest(t, inbox)
			f.apply(t, outbox)
			t.Cleanup(func() { f.undo(t, outbox) }) // also when a check below fails
			r := runBin(t, bin, binOpts{cred: f.cred}, "check", "--outbox", outbox, b)
			t.Logf("exit %d after %v: %s", r.code, r.dur.Round(time.Millisecond), lastLine(r.stderr))
			if r.code != exitUnprocessed {
				t.Errorf("exit %d, want %d\n%s", r.code, exitUnprocessed, r.stderr)
			}
			for _, want := range []string{"yanshou check：", f.hint, outbox, "后重试"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
				}
			}
			f.undo(t, outbox)
			if got := checkOutbox(t, outbox, stateOpts{}); len(got) != 1 {
				t.Errorf("%d versions judged, want only the first", len(got))
			}
			if treeDigest(t, inbox) != before {
				t.Error("the inbox changed")
			}
			r = runBin(t, bin, binOpts{cred: f.cred}, "check", "--json", "--quiet", "--outbox", outbox, b)
			if r.code != exitOK {
				t.Fatalf("the retry: exit %d\n%s", r.code, r.stderr)
			}
			if reps := checkJSON(t, r); len(reps) != 1 || reps[0].Version != 1 || reps[0].Verdict == "" {
				t.Errorf("the retry judged %+v", reps)
			}
			if got := checkOutbox(t, outbox, stateOpts{}); len(got) != 2 {
				t.Errorf("%d versions judged after the retry, want 2", len(got))
			}
			if treeDigest(t, inbox) != before {
				t.Error("the inbox changed")
			}
		})
	}
}

// TestFaultKillDuringBatch judges synthetic submissions and the demo sample
// (less one of its passes) with watch --once, then runs `batch` twenty times, each with the other of
// two rule sets (so that every batch re-renders most classes) and each killed
// with SIGKILL after a random delay spread over a full batch's duration (the
// seed is logged; YANSHOU_FAULT_SEED repeats a run). After every kill: the
// ledger reads, no output folder is half-written, every completed version has
// its folder, at most the one version in flight holds a rendering the ledger
// has not recorded yet. Finally a batch runs to completion and its result
// equals a clean batch on a copy of the outbox that was never killed: the same
// judgements per content hash, the same output folders and files, nothing
// left in tmp/, every original intact.
func TestFaultKillDuringBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills twenty batches")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	const synthetic = 4
	for i := range synthetic {
		synth(t, filepath.Join(inbox, fmt.Sprintf("机构%02d", i/2), fmt.Sprintf("第%d期", i%2+1)), 40+i, "")
	}
	// The demo sample but its third pass: two bound archives are enough, and the
	// batch stays short enough to kill twenty times.
	for _, d := range faultSample(t, inbox) {
		if strings.HasSuffix(d, "巾帼电商第二期") {
			if err := os.RemoveAll(d); err != nil {
				t.Fatal(err)
			}
		}
	}
	if r := runBin(t, bin, binOpts{}, "watch", "--once", "--quiet", "--settle", "200ms", "--workers", "2", "--inbox", inbox, "--outbox", outbox); r.code != exitOK {
		t.Fatalf("watch --once: exit %d\n%s", r.code, r.stderr)
	}
	classes := len(checkOutbox(t, outbox, stateOpts{}))
	alt := filepath.Join(dir, "alt.yaml")
	if err := os.WriteFile(alt, []byte("thresholds:\n  attendance_pass: 0.9\n  photos_min_per_day: 4\n  followup_min_share: 0.2\n  proxy_phone_max: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rules := [][]string{{"--config", alt}, nil}

	// The clean run: a copy never killed. Its duration spreads the kills.
	clean := filepath.Join(dir, "clean")
	if out, err := exec.Command("cp", "-a", outbox, clean).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	r := runBin(t, bin, binOpts{}, append([]string{"batch", "--quiet", "--outbox", clean}, rules[0]...)...)
	if r.code != exitOK {
		t.Fatalf("clean batch: exit %d\n%s", r.code, r.stderr)
	}
	full := r.dur
	want := checkOutbox(t, clean, stateOpts{})

	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("YANSHOU_FAULT_SEED"), 10, 64); err == nil {
		seed = s
	}
	rng := rand.New(rand.NewPCG(seed, 8))
	t.Logf("%d classes; a clean batch takes %v; kill seed %d (YANSHOU_FAULT_SEED)", classes, full.Round(time.Millisecond), seed)
	const kills = 20
	finished := 0
	spread := full // shrinks whenever a batch finishes before its kill: the machine got faster than the clean run
	for k := range kills {
		// Kill at a point of the work, not of the clock: after a random number of
		// classes reported (the machine may be busy), then a random moment into
		// the next one.
		after := rng.IntN(classes)
		delay := time.Duration(rng.Int64N(max(1, int64(spread)/int64(classes))))
		args := append([]string{"batch", "--quiet", "--outbox", outbox}, rules[k%2]...)
		cmd := exec.Command(bin, args...)
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		reached := make(chan struct{})
		go func() {
			defer close(reached)
			for strings.Count(stderr.String(), "\n") < after {
				select {
				case <-exited:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
			time.Sleep(delay)
		}()
		select {
		case err := <-exited:
			finished++
			spread /= 2
			if err != nil {
				t.Fatalf("kill %d: the batch failed before its kill: %v\n%s", k, err, stderr.String())
			}
		case <-reached:
			cmd.Process.Kill()
			if err := <-exited; err == nil {
				finished++ // it finished in the same instant
				spread /= 2
			}
		}
		progress := strings.Count(stderr.String(), "\n")
		if t.Failed() {
			break
		}
		checkOutbox(t, outbox, stateOpts{mismatch: 1, tmpLeft: true})
		if t.Failed() {
			t.Fatalf("kill %d after %d classes + %v (%d progress lines): the invariants broke", k, after, delay.Round(time.Millisecond), progress)
		}
		t.Logf("kill %2d after %2d classes + %5v: %2d of %d classes done", k, after, delay.Round(time.Millisecond), progress, classes)
	}
	if finished > kills/2 {
		t.Errorf("%d of %d batches finished before their kill: the kills miss the work", finished, kills)
	}

	r = runBin(t, bin, binOpts{}, append([]string{"batch", "--quiet", "--outbox", outbox}, rules[0]...)...)
	if r.code != exitOK {
		t.Fatalf("the final batch: exit %d\n%s", r.code, r.stderr)
	}
	sameJudgements(t, "killed 20 times, then completed", checkOutbox(t, outbox, stateOpts{}), want)
	sameFolders(t, outbox, clean)
	// What a kill while 台账.xlsx or 全县汇总.pdf was written leaves (the next
	// batches remove them after an hour).
	partials, _ := filepath.Glob(filepath.Join(outbox, ".*.partial"))
	t.Logf("%d batches finished before their kill; %d temporary workbook/summary files left at the outbox root", finished, len(partials))
}

// codeErr is an error with an SQLite result code, as modernc.org/sqlite returns.
type codeErr int

func (c codeErr) Error() string { return fmt.Sprintf("sqlite error (%d)", int(c)) }
func (c codeErr) Code() int     { return int(c) }

// TestFaultClassify: which errors are the office's faults, and what they say.
func TestFaultClassify(t *testing.T) {
	outbox := t.TempDir()
	in := filepath.Join(outbox, pipeline.StateDirName, "tmp", "x")
	out := filepath.Join(t.TempDir(), "inbox", "x.jpg")
	pathErr := func(op, p string, errno syscall.Errno) error { return &fs.PathError{Op: op, Path: p, Err: errno} }
	tests := []struct {
		name string
		err  error
		want string // in the message; "" = not a fault
	}{
		{"full disk", fmt.Errorf("写入 x 失败：%w", pathErr("write", in, syscall.ENOSPC)), "磁盘空间不足"},
		{"quota", pathErr("write", in, syscall.EDQUOT), "磁盘空间不足"},
		{"file size limit", pathErr("write", in, syscall.EFBIG), "文件大小超过系统限制"},
		{"read-only outbox", pathErr("open", in, syscall.EROFS), "只读"},
		{"outbox permission", pathErr("open", in, syscall.EACCES), "没有写入权限"},
		{"rename into the outbox", &os.LinkError{Op: "rename", Old: in, New: filepath.Join(outbox, "v1"), Err: syscall.EACCES}, "没有写入权限"},
		{"inbox permission", pathErr("open", out, syscall.EACCES), ""},
		{"inbox I/O error", pathErr("read", out, syscall.EIO), ""},
		{"ledger busy", fmt.Errorf("台账数据库出错：%w", codeErr(5)), "被另一个进程占用"},
		{"ledger busy snapshot", codeErr(5 | 2<<8), "被另一个进程占用"},
		{"ledger full", codeErr(13), "磁盘空间不足"},
		{"submission", errors.New("x 既不是文件夹也不是 .zip 压缩包"), ""},
		{"many files", errors.Join(pathErr("write", in, syscall.ENOSPC), pathErr("write", in, syscall.ENOSPC), pathErr("write", in, syscall.ENOSPC)), "（另有 2 项同样失败）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pipeline.Classify(outbox, tt.err)
			var fe *pipeline.FaultError
			isFault := errors.As(got, &fe)
			switch {
			case tt.want == "" && isFault:
				t.Errorf("%v: a fault (%v), want the submission's error", tt.err, got)
			case tt.want != "" && !isFault:
				t.Errorf("%v: not a fault", tt.err)
			case tt.want != "" && (!strings.Contains(got.Error(), tt.want) || strings.Contains(got.Error(), "\n")):
				t.Errorf("%v: %q does not say %q on one line", tt.err, got, tt.want)
			case tt.want != "" && !errors.Is(got, tt.err):
				t.Errorf("the fault does not wrap %v", tt.err)
			}
		})
	}
}
