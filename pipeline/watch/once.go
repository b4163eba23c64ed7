package watch

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"yanshou/pipeline/stage/intake"
)

// Once takes what is in the inbox now and returns (`yanshou watch --once`, for
// cron): one scan, two looks Debounce apart, and every submission whose
// snapshot did not change between them (a zip: whose size and time did not) is
// checked; the others are counted as Skipped and left for the next run. On
// cancellation no new check starts and those in flight get up to Grace.
func Once(ctx context.Context, opt Options) (Stats, error) {
	if err := opt.defaults(); err != nil {
		return Stats{}, err
	}
	cands, err := intake.Discover(opt.Inbox)
	if err != nil {
		return Stats{}, err
	}
	kept := cands[:0]
	for _, c := range cands {
		if !opt.excluded(c.Path) {
			kept = append(kept, c)
		}
	}
	cands = kept
	first := make([]snapshot, len(cands))
	for i, c := range cands {
		first[i], _ = look(c.Path, c.Zip) // an error leaves fp empty: never stable
	}
	select {
	case <-ctx.Done():
		return Stats{}, nil
	case <-time.After(opt.Debounce):
	}
	var st Stats
	var ready []string
	for i, c := range cands {
		s, err := look(c.Path, c.Zip)
		if err != nil || first[i].fp == "" || s.fp != first[i].fp {
			st.Skipped++
			rel, _ := filepath.Rel(opt.Inbox, c.Path)
			opt.Log.Info("仍在变化，本次跳过", "path", filepath.ToSlash(rel))
			continue
		}
		ready = append(ready, c.Path)
	}

	jobs := make(chan string)
	done := make(chan result, len(ready))
	var wg sync.WaitGroup
	for range min(opt.Workers, max(len(ready), 1)) {
		wg.Add(1)
		go func() { defer wg.Done(); worker(ctx, opt.Check, jobs, done) }()
	}
	go func() { wg.Wait(); close(done) }()

	busy := 0
	record := func(r result) {
		busy--
		if r.err != nil {
			st.Failed++
		} else if r.rep.Repeat {
			st.Repeated++
		}
		logResult(opt.Log, opt.Inbox, r, true)
	}
	var grace <-chan time.Time
	stop := ctx.Done()
feed:
	for _, p := range ready {
		for {
			select {
			case jobs <- p:
				busy++
				st.Taken++
				continue feed
			case r := <-done:
				record(r)
			case <-stop:
				break feed
			}
		}
	}
	close(jobs)
	for busy > 0 {
		if grace == nil && ctx.Err() != nil {
			t := time.NewTimer(opt.Grace)
			defer t.Stop()
			grace = t.C
		}
		select {
		case r := <-done:
			record(r)
		case <-stop:
			stop = nil // noticed; the grace timer starts above
		case <-grace:
			st.Abandoned = busy
			opt.Log.Warn("停止等待：进行中的验收已放弃，下次运行时重新验收", "in_flight", busy)
			return st, nil
		}
	}
	return st, nil
}
