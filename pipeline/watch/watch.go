// Package watch is the intake daemon behind `yanshou watch`: it watches the inbox
// (fsnotify on every folder, plus a periodic full rescan for shared folders that
// deliver no events), decides when a submission is finished (a completion marker,
// or nothing changed for the settle time; a zip whose size is stable and whose
// central directory reads), and hands each finished submission to a pool of
// workers that call the pipeline. A submission is never handed to two workers at
// once, and one that has not changed since it was last taken is not taken again
// — unless its check failed on the office's side (an error with an
// OperatorFault() bool method returning true: a full disk, a locked ledger),
// which is retried at the next rescan.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"yanshou"
	"yanshou/pipeline/stage/intake"
	"yanshou/pipeline/stage/inventory"
)

// CheckFunc judges one submission (a folder or a .zip); the pipeline's Check.
// The watcher hands it a context that is never cancelled: a check in flight
// when the watcher stops is waited for (up to Options.Grace), not interrupted.
type CheckFunc func(ctx context.Context, path string) (yanshou.Report, error)

// Options configure a watcher. Zero durations take the defaults.
type Options struct {
	Inbox    string        // the drop folder
	Check    CheckFunc     // called for every submission taken
	Settle   time.Duration // unchanged this long → finished (default 30s)
	Rescan   time.Duration // full rescan period (default 60s)
	Workers  int           // concurrent checks (0: runtime.NumCPU())
	PollOnly bool          // no fsnotify: rescans and scheduled looks only
	// Debounce is the pause after an event before the submission is looked at,
	// and the interval between the two looks that must agree before a marked
	// submission or a zip is taken (default: Settle/10, between 50 ms and 1 s).
	Debounce time.Duration
	// Grace bounds how long a shutdown waits for checks in flight (default 60s);
	// a check abandoned after it is redone at the next start (its claim in the
	// ledger is not complete, its outputs were never renamed into place).
	Grace   time.Duration
	Exclude []string     // folders never watched nor taken (e.g. the outbox inside the inbox)
	Log     *slog.Logger // one line per taken submission; nil: discard
}

// Stats count what a run did.
type Stats struct {
	Taken     int // submissions handed to a worker
	Failed    int // checks that returned an error (not processed at all)
	Abandoned int // checks still running when the grace period ran out
	Skipped   int // --once: submissions not finished yet, left for the next run
	Repeated  int // checks that found content judged before (Report.Repeat): not logged one by one
}

func (o *Options) defaults() error {
	if o.Check == nil {
		return errors.New("watch: no check function")
	}
	if o.Settle <= 0 {
		o.Settle = 30 * time.Second
	}
	if o.Rescan <= 0 {
		o.Rescan = 60 * time.Second
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.Debounce <= 0 {
		o.Debounce = min(max(o.Settle/10, 50*time.Millisecond), time.Second)
	}
	if o.Grace <= 0 {
		o.Grace = 60 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	abs, err := filepath.Abs(o.Inbox)
	if err != nil {
		return err
	}
	// The inbox itself may be a link (e.g. to a mounted share); links below it
	// are never followed.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	info, err := os.Stat(abs)
	if err != nil {
		return fmt.Errorf("收件目录 %s 无法读取：%w", o.Inbox, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("收件目录 %s 不是文件夹", o.Inbox)
	}
	o.Inbox = abs
	for i, e := range o.Exclude {
		if a, err := filepath.Abs(e); err == nil {
			if real, err := filepath.EvalSymlinks(a); err == nil {
				a = real
			}
			o.Exclude[i] = a
		}
	}
	return nil
}

// within reports whether p is dir or lies below it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func (o *Options) excluded(p string) bool {
	for _, e := range o.Exclude {
		if within(p, e) {
			return true
		}
	}
	return false
}

// item is what the watcher knows about one submission path.
type item struct {
	path     string
	zip      bool
	snap     snapshot
	seen     bool      // looked at at least once
	changed  time.Time // the look that last found a different snapshot
	stable   int       // looks since then that found the same snapshot
	due      time.Time // next look; zero: none scheduled
	taken    string    // snapshot digest when last handed to a worker
	takenMk  time.Time // marker time then
	wasTaken bool
	busy     bool      // a worker has it
	queued   bool      // waiting for a worker
	gone     bool      // vanished while busy: forget it when the worker returns
	faults   int       // consecutive checks failed on the office's side
	faultFP  string    // the snapshot digest they failed on
	retryAt  time.Time // not taken again before this while unchanged
}

type result struct {
	path  string
	rep   yanshou.Report
	err   error
	stack string // set when the check panicked
	dur   time.Duration
}

// worker runs checks until jobs is closed. The checks get ctx's values but
// not its cancellation: a stop waits for the checks in flight.
func worker(ctx context.Context, check CheckFunc, jobs <-chan string, done chan<- result) {
	ctx = context.WithoutCancel(ctx)
	for p := range jobs {
		done <- runCheck(ctx, check, p)
	}
}

func runCheck(ctx context.Context, check CheckFunc, p string) (r result) {
	start := time.Now()
	r.path = p
	defer func() {
		if x := recover(); x != nil {
			r.err = fmt.Errorf("处理 %s 时发生内部错误：%v", p, x)
			r.stack = string(debug.Stack())
		}
		r.dur = time.Since(start)
	}()
	r.rep, r.err = check(ctx, p)
	return r
}

// RepeatMessage is the daemon's log message for a submission whose content was
// judged before.
const RepeatMessage = "内容相同，已验收过"

// logResult writes the one line per taken submission. A submission whose
// content was judged before is said so ("内容相同，已验收过", not "已验收": a copy
// dropped twice is no new verdict), or, with quiet (--once: a cron run finds
// every old submission again), not at all: Stats.Repeated counts it.
func logResult(log *slog.Logger, inbox string, r result, quiet bool) {
	if r.err == nil && r.rep.Repeat {
		if !quiet {
			log.Info(RepeatMessage, "path", relPath(inbox, r.path), "id", r.rep.ID, "version", r.rep.Version)
		}
		return
	}
	rel := relPath(inbox, r.path)
	d := r.dur.Round(time.Millisecond)
	if r.err != nil {
		if r.stack != "" {
			log.Error("提交未能处理", "path", rel, "error", r.err.Error(), "duration", d, "stack", r.stack)
			return
		}
		log.Error("提交未能处理", "path", rel, "error", r.err.Error(), "duration", d)
		return
	}
	log.Info("已验收", "path", rel, "id", r.rep.ID, "version", r.rep.Version,
		"verdict", string(r.rep.Verdict), "verdict_zh", r.rep.Verdict.Chinese(),
		"findings", len(r.rep.Findings), "duration", d)
}

// relPath is p relative to the inbox, with forward slashes, for the logs.
func relPath(inbox, p string) string {
	rel, err := filepath.Rel(inbox, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

// Run watches the inbox until ctx is cancelled, taking every finished
// submission. On cancellation it stops taking work, waits up to Grace for the
// checks in flight and returns. The error is non-nil only when watching could
// not start (no inbox, no check function).
func Run(ctx context.Context, opt Options) (Stats, error) {
	if err := opt.defaults(); err != nil {
		return Stats{}, err
	}
	w := &watcher{opt: opt, items: map[string]*item{}}
	if !opt.PollOnly {
		fsw, err := fsnotify.NewBufferedWatcher(1024)
		if err != nil {
			opt.Log.Warn("无法监视文件事件，改为定时扫描", "error", err.Error())
		} else {
			w.fsw = fsw
			defer fsw.Close()
		}
	}
	return w.loop(ctx), nil
}

type watcher struct {
	opt         Options
	items       map[string]*item
	queue       []*item
	fsw         *fsnotify.Watcher
	watchFailed bool      // a watch could not be added: logged once, rescans cover it
	discoverDue time.Time // zero: none scheduled
	busy        int
	stats       Stats
}

func (w *watcher) loop(ctx context.Context) Stats {
	jobs := make(chan string)
	done := make(chan result, w.opt.Workers) // buffered: a worker never blocks on a gone receiver
	for range w.opt.Workers {
		go worker(ctx, w.opt.Check, jobs, done)
	}
	var events chan fsnotify.Event
	var errs chan error
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
		w.watchTree(w.opt.Inbox, 0)
	}
	now := time.Now()
	w.discover(now) // the rescan at start: what arrived while the daemon was down
	rescan := time.NewTicker(w.opt.Rescan)
	defer rescan.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()

	for {
		if ctx.Err() != nil { // checked first: select picks among ready cases at random
			close(jobs)
			return w.drain(done)
		}
		w.runDue(time.Now())
		timer.Reset(w.untilNext(time.Now()))
		var send chan string
		var head string
		if len(w.queue) > 0 {
			send, head = jobs, w.queue[0].path
		}
		select {
		case <-ctx.Done():
			close(jobs)
			return w.drain(done)
		case send <- head:
			it := w.queue[0]
			w.queue = w.queue[1:]
			it.queued, it.busy = false, true
			it.taken, it.takenMk, it.wasTaken = it.snap.fp, it.snap.markerTime, true
			w.busy++
			w.stats.Taken++
		case r := <-done:
			w.finish(r, time.Now())
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			w.event(ev, time.Now())
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			// Overflow or a backend error: events were lost, so look at everything.
			w.opt.Log.Warn("文件事件丢失，重新扫描收件目录", "error", err.Error())
			w.rescanAll(time.Now())
		case <-rescan.C:
			w.rescanAll(time.Now())
		case <-timer.C:
		}
	}
}

// drain waits for the checks in flight, at most Grace.
func (w *watcher) drain(done chan result) Stats {
	if w.busy > 0 {
		w.opt.Log.Info("正在停止：等待进行中的验收完成", "in_flight", w.busy, "grace", w.opt.Grace)
	}
	grace := time.NewTimer(w.opt.Grace)
	defer grace.Stop()
	for w.busy > 0 {
		select {
		case r := <-done:
			w.finish(r, time.Now())
		case <-grace.C:
			w.opt.Log.Warn("停止等待：进行中的验收已放弃，下次启动时重新验收", "in_flight", w.busy)
			w.stats.Abandoned = w.busy
			return w.stats
		}
	}
	return w.stats
}

// finish records a worker's result and schedules a look, since the submission
// may have changed while it was being checked.
func (w *watcher) finish(r result, now time.Time) {
	w.busy--
	if r.err != nil {
		w.stats.Failed++
	} else if r.rep.Repeat {
		w.stats.Repeated++
	}
	logResult(w.opt.Log, w.opt.Inbox, r, false)
	it := w.items[r.path]
	if it == nil {
		return
	}
	it.busy = false
	if it.gone {
		delete(w.items, it.path)
		return
	}
	if operatorFault(r.err) {
		// The disk, the outbox or the ledger failed, not the submission: it is
		// taken again at the next rescan (or sooner if it changes), as if never
		// taken. A submission-side error is not retried until its content changes.
		// While the fault lasts (a disk that stays full) each further failure
		// doubles the wait, up to MaxRetryWait, so that the daemon does not read
		// and hash every waiting submission at every rescan.
		it.faults++
		it.faultFP = it.taken
		wait := retryWait(it.faults, w.opt.Rescan)
		it.retryAt = now.Add(wait)
		it.wasTaken, it.taken, it.takenMk = false, "", time.Time{}
		w.opt.Log.Warn("输出目录或台账故障，下次扫描时重试",
			"path", relPath(w.opt.Inbox, r.path), "rescan", w.opt.Rescan, "faults", it.faults, "wait", wait)
		return
	}
	it.faults, it.faultFP, it.retryAt = 0, "", time.Time{}
	it.due = now
}

// MaxRetryWait bounds the wait between retries of a submission whose checks keep
// failing on the office's side.
const MaxRetryWait = 15 * time.Minute

// retryWait is the extra wait after the n-th consecutive office-side failure:
// none after the first (the next rescan retries), then rescan, 2×rescan, 4×…
// up to MaxRetryWait.
func retryWait(n int, rescan time.Duration) time.Duration {
	if n <= 1 {
		return 0
	}
	wait := rescan
	for i := 2; i < n && wait < MaxRetryWait; i++ {
		wait *= 2
	}
	return min(wait, MaxRetryWait)
}

// operatorFault reports whether a check failed on the office's side (the
// pipeline's FaultError: a full disk, an outbox that may not be written, a
// locked ledger), so that checking the same content again later may succeed.
func operatorFault(err error) bool {
	var f interface{ OperatorFault() bool }
	return errors.As(err, &f) && f.OperatorFault()
}

// untilNext is the time to the earliest scheduled look or discovery.
func (w *watcher) untilNext(now time.Time) time.Duration {
	next := w.discoverDue
	for _, it := range w.items {
		if !it.due.IsZero() && (next.IsZero() || it.due.Before(next)) {
			next = it.due
		}
	}
	if next.IsZero() {
		return time.Hour
	}
	return max(next.Sub(now), time.Millisecond)
}

// runDue performs the discovery and the looks whose time has come.
func (w *watcher) runDue(now time.Time) {
	if !w.discoverDue.IsZero() && !now.Before(w.discoverDue) {
		w.discover(now)
	}
	for _, it := range w.items {
		if !it.due.IsZero() && !now.Before(it.due) {
			w.look(it, now)
		}
	}
}

// rescanAll finds new submissions and looks at every known one, events or not.
func (w *watcher) rescanAll(now time.Time) {
	w.watchTree(w.opt.Inbox, 0)
	w.discover(now)
	for _, it := range w.items {
		if !it.busy {
			w.look(it, now)
		}
	}
}

// discover lists the submissions under the inbox, adding new ones (looked at
// at once) and forgetting those that are gone.
func (w *watcher) discover(now time.Time) {
	w.discoverDue = time.Time{}
	cands, err := intake.Discover(w.opt.Inbox)
	if err != nil {
		// A shared folder may be away for a while: keep what we know, try later.
		w.opt.Log.Warn("无法扫描收件目录", "inbox", w.opt.Inbox, "error", err.Error())
		return
	}
	present := map[string]bool{}
	for _, c := range cands {
		if w.opt.excluded(c.Path) {
			continue
		}
		present[c.Path] = true
		if it := w.items[c.Path]; it != nil {
			it.gone = false
			continue
		}
		w.items[c.Path] = &item{path: c.Path, zip: c.Zip, due: now}
	}
	for p, it := range w.items {
		if present[p] {
			continue
		}
		w.unqueue(it)
		if it.busy {
			it.gone = true
		} else {
			delete(w.items, p)
		}
	}
}

// look takes a snapshot of a submission and decides: taken now, looked at
// again later, or left alone (unchanged since it was last taken).
func (w *watcher) look(it *item, now time.Time) {
	it.due = time.Time{}
	s, err := look(it.path, it.zip)
	if err != nil {
		w.unqueue(it)
		w.discoverDue = now // gone or replaced: let discovery sort it out
		return
	}
	if !it.seen || s.fp != it.snap.fp {
		it.snap, it.seen, it.changed, it.stable = s, true, now, 0
	} else {
		it.snap.marker, it.snap.markerTime = s.marker, s.markerTime
		it.stable++
	}
	if it.busy {
		return // looked at again when its worker returns
	}
	if it.wasTaken && s.fp == it.taken {
		w.unqueue(it) // nothing new since its verdict
		return
	}
	if now.Before(it.retryAt) && s.fp == it.faultFP {
		w.unqueue(it) // failed on the office's side: wait before trying it again
		it.due = it.retryAt
		return
	}
	ready, next := w.ready(it, now)
	if ready {
		if !it.queued {
			it.queued = true
			w.queue = append(w.queue, it)
		}
		return
	}
	w.unqueue(it)
	it.due = next
}

// ready applies the rule for a finished submission; when not ready it returns
// the time of the next look.
func (w *watcher) ready(it *item, now time.Time) (bool, time.Time) {
	settled := it.stable > 0 && now.Sub(it.changed) >= w.opt.Settle
	// Still: two looks at least Debounce apart saw the same snapshot.
	still := it.stable > 0 && now.Sub(it.changed) >= w.opt.Debounce
	soon := later(now.Add(w.opt.Debounce/4), it.changed.Add(w.opt.Debounce))
	// A marker counts once: after a verdict, an edit in a folder that still
	// holds the old marker waits for the settle time, unless the marker is
	// put there again.
	marker := it.snap.marker && (!it.wasTaken || !it.snap.markerTime.Equal(it.takenMk))
	if !still {
		// A second look, a moment later, must agree before anything is read.
		if marker || it.zip {
			return false, soon
		}
		return false, later(it.changed.Add(w.opt.Settle), soon)
	}
	if it.zip {
		// A zip whose central directory does not read is still being copied —
		// or damaged: after the settle time it is handed over all the same, and
		// the pipeline reports it by name.
		if zipReadable(it.path) || settled {
			return true, time.Time{}
		}
		return false, later(it.changed.Add(w.opt.Settle), now.Add(w.opt.Debounce))
	}
	if marker || settled {
		return true, time.Time{}
	}
	return false, later(it.changed.Add(w.opt.Settle), now.Add(w.opt.Debounce))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (w *watcher) unqueue(it *item) {
	if !it.queued {
		return
	}
	it.queued = false
	for i, q := range w.queue {
		if q == it {
			w.queue = append(w.queue[:i], w.queue[i+1:]...)
			return
		}
	}
}

// event handles one fsnotify event: new folders are watched (and their content
// found by the look or discovery that follows); the submission the path belongs
// to is looked at after the debounce; anything else may be a new submission.
func (w *watcher) event(ev fsnotify.Event, now time.Time) {
	if w.opt.excluded(ev.Name) || !within(ev.Name, w.opt.Inbox) {
		return
	}
	base := filepath.Base(ev.Name)
	if inventory.Ignored(base) && !IsMarker(base) {
		return // lock files, partial downloads, OS litter
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			w.watchTree(ev.Name, depthBelow(w.opt.Inbox, ev.Name))
		}
	}
	it := w.owner(ev.Name)
	if it == nil {
		w.soonDiscover(now)
		return
	}
	if (ev.Name == it.path || intake.IsManifestName(base) && filepath.Dir(ev.Name) == it.path) &&
		ev.Has(fsnotify.Remove|fsnotify.Rename) {
		w.soonDiscover(now) // it may no longer be a submission
	}
	d := now.Add(w.opt.Debounce)
	if IsMarker(base) && filepath.Dir(ev.Name) == it.path {
		// A marker is looked at at once: if the folder has been still since an
		// earlier look, it is taken without waiting.
		d = now
	}
	if it.due.IsZero() || it.due.After(d) {
		it.due = d
	}
}

func (w *watcher) soonDiscover(now time.Time) {
	if d := now.Add(w.opt.Debounce); w.discoverDue.IsZero() || w.discoverDue.After(d) {
		w.discoverDue = d
	}
}

// owner returns the known submission a path belongs to, or nil.
func (w *watcher) owner(p string) *item {
	for q := p; within(q, w.opt.Inbox) && q != w.opt.Inbox; q = filepath.Dir(q) {
		if it := w.items[q]; it != nil {
			return it
		}
	}
	return nil
}

// maxWatchDepth bounds how deep folders are watched (submissions sit at most
// intake.MaxDepth deep; their material folders a few levels more). Deeper
// changes are still seen by the rescans.
const maxWatchDepth = intake.MaxDepth + 5

func depthBelow(root, p string) int {
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == "." {
		return 0
	}
	return strings.Count(filepath.ToSlash(rel), "/") + 1
}

// watchTree adds dir and every folder below it to the watcher, never following
// symbolic links and skipping ignored folders.
func (w *watcher) watchTree(dir string, depth int) {
	if w.fsw == nil || depth > maxWatchDepth || w.opt.excluded(dir) {
		return
	}
	// Adding a folder already watched is harmless, and re-adding after a
	// rescan repairs watches lost with a deleted and re-created folder.
	if err := w.fsw.Add(dir); err != nil {
		if !w.watchFailed {
			w.watchFailed = true
			w.opt.Log.Warn("无法监视文件夹，依靠定时扫描", "dir", dir, "error", err.Error())
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && e.Type()&os.ModeSymlink == 0 && !inventory.IgnoredDir(e.Name()) {
			w.watchTree(filepath.Join(dir, e.Name()), depth+1)
		}
	}
}
