package photo

import (
	"errors"
	"io"
	"os"
	"testing"
)

// budgetReader is an io.ReaderAt that counts what a reader asks of it (as
// countingReader does) and
// refuses past a budget, so that tests bound the work a read does (bytes and
// calls) instead of timing it: a loaded machine cannot make them fail, and a
// reader that loops is stopped with an error instead of hanging.
type budgetReader struct {
	r            io.ReaderAt
	bytes, calls int64
	budget       int64 // bytes; calls are bounded by budget/16
	over         bool
}

var errBudget = errors.New("read budget exceeded")

func (c *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	c.calls++
	c.bytes += int64(len(p))
	if c.bytes > c.budget || c.calls > c.budget/16 {
		c.over = true
		return 0, errBudget
	}
	return c.r.ReadAt(p, off)
}

// readBudget is the most a header read may ask for a file of size bytes: the
// file four times over, plus 1 MB for fixed-size buffers.
func readBudget(size int64) int64 { return 4*size + 1<<20 }

// checkReadWork reads the file at path as Read does, through a budgetReader,
// and fails the test when the read asked for more than readBudget.
func checkReadWork(t *testing.T, path, rel string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	c := &budgetReader{r: f, budget: readBudget(st.Size())}
	readFrom(c, st.Size(), rel, shanghai)
	if c.over {
		t.Errorf("%s: reading the headers of %d bytes asked for more than %d bytes or %d reads (%d bytes in %d reads so far)",
			rel, st.Size(), c.budget, c.budget/16, c.bytes, c.calls)
	}
}

// TestCountingReader: the budget stops a reader that keeps asking.
func TestCountingReader(t *testing.T) {
	c := &budgetReader{r: &zeroes{}, budget: 1000}
	buf := make([]byte, 100)
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		_, err = c.ReadAt(buf, 0)
	}
	if !c.over || !errors.Is(err, errBudget) || c.bytes > 1100 {
		t.Errorf("over %v err %v bytes %d", c.over, err, c.bytes)
	}
}

type zeroes struct{}

func (zeroes) ReadAt(p []byte, _ int64) (int, error) { clear(p); return len(p), nil }
