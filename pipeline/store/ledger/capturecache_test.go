package ledger

import "testing"

// TestPhotoCaptureCache: comparisons are kept by the two files' SHA-256 in
// their order and the algorithm, survive a reopening, are replaced when made
// again, and are skipped without a SHA-256.
func TestPhotoCaptureCache(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ab, ba, noA := PhotoPairKey{"a", "b"}, PhotoPairKey{"b", "a"}, PhotoPairKey{"", "b"}
	if got, err := l.CachedCaptures("v1", []PhotoPairKey{ab}); err != nil || len(got) != 0 {
		t.Fatalf("empty cache: %v %v", got, err)
	}
	if err := l.CacheCaptures("v1", map[PhotoPairKey]CachedCapture{ab: {Share: 0.5}, noA: {Share: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := l.CacheCaptures("v1", map[PhotoPairKey]CachedCapture{ab: {Share: 0.97, Framed: 0.8, FramedPrint: true}}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if l, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, c := range []struct {
		name  string
		algo  string
		key   PhotoPairKey
		found bool
		want  CachedCapture
	}{
		{"recorded, then replaced", "v1", ab, true, CachedCapture{Share: 0.97, Framed: 0.8, FramedPrint: true}},
		{"the other way round is another pair", "v1", ba, false, CachedCapture{}},
		{"without the class photo's SHA-256", "v1", noA, false, CachedCapture{}},
		{"another algorithm or tolerance", "v2", ab, false, CachedCapture{}},
	} {
		got, err := l.CachedCaptures(c.algo, []PhotoPairKey{c.key})
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := got[c.key]; ok != c.found || v != c.want {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, v, ok, c.want, c.found)
		}
	}
}
