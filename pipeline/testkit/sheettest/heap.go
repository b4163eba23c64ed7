package sheettest

import (
	"runtime"
	"sync"
	"time"
)

// PeakHeapMB samples the live heap every 5 ms while fn runs and returns its
// peak growth over the heap before, in MB (for the readers' benchmarks).
func PeakHeapMB(fn func()) float64 {
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	peak := m0.HeapAlloc
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return float64(peak-m0.HeapAlloc) / (1 << 20)
}
