package ledger

import (
	"fmt"
	"slices"
	"testing"
)

func TestPhotoHashCache(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.CachedHashes("a1", []string{"x"})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty cache: %v %v", got, err)
	}
	// 1200 sums: more than one query batch.
	in := map[string][]uint64{"": {5}, "zero": {0, 1}, "none": nil, "top": {1 << 63}}
	var sums []string
	for i := 0; i < 1200; i++ {
		s := fmt.Sprintf("%064x", i)
		in[s] = []uint64{uint64(i)*0x9E3779B97F4A7C15 | 1, uint64(i), 1 << 63}
		sums = append(sums, s)
	}
	sums = append(sums, "zero", "none", "top", "missing")
	if err := l.CacheHashes("a1", in); err != nil {
		t.Fatal(err)
	}
	if err := l.CacheHashes("a1", map[string][]uint64{"top": {1<<63 | 1, 2}}); err != nil { // replaced
		t.Fatal(err)
	}
	l.Close()

	// Reopened: the cache persists; another algorithm sees nothing.
	l, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err = l.CachedHashes("a1", sums)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1201 {
		t.Fatalf("%d cached, want 1201 (1200 + top; zero hash, no hashes and empty sum skipped)", len(got))
	}
	if !slices.Equal(got["top"], []uint64{1<<63 | 1, 2}) || !slices.Equal(got[sums[7]], in[sums[7]]) {
		t.Errorf("values: top %x, #7 %x want %x", got["top"], got[sums[7]], in[sums[7]])
	}
	if _, ok := got["missing"]; ok {
		t.Error("a sum never cached came back")
	}
	if other, err := l.CachedHashes("a2", sums); err != nil || len(other) != 0 {
		t.Errorf("another algorithm: %d hashes, %v", len(other), err)
	}
}
