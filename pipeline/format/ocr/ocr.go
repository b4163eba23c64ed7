// Package ocr runs tesseract, the one optical character reader yanshou uses,
// as a child process with a bounded time: the text of a picture file (a scanned
// page), or the lines of a picture given as bytes, each with tesseract's mean
// word confidence. Whether it can run is checked once per PATH and language, so
// a test that hides tesseract from PATH sees the program without it.
package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrOCR wraps the errors of tesseract (a picture it cannot open, a timeout).
var ErrOCR = errors.New("OCR failed")

// DefaultTimeout bounds one run when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// Options say how tesseract reads a picture.
type Options struct {
	Lang    string        // tesseract language data, e.g. "chi_sim" ("" : chi_sim)
	PSM     int           // page segmentation mode (0: tesseract's default, 3); 6 is one uniform block of text
	Timeout time.Duration // the run is killed after this (0: DefaultTimeout)
}

func (o Options) args() []string {
	lang := o.Lang
	if lang == "" {
		lang = "chi_sim"
	}
	a := []string{"-l", lang}
	if o.PSM > 0 {
		a = append(a, "--psm", strconv.Itoa(o.PSM))
	}
	return a
}

var (
	availMu sync.Mutex
	avail   = map[string]bool{}
)

// Available reports whether tesseract with the language data lang (e.g.
// "chi_sim") is installed on the current PATH. The answer is cached per PATH.
func Available(lang string) bool {
	key := os.Getenv("PATH") + "\x00" + lang
	availMu.Lock()
	defer availMu.Unlock()
	if ok, seen := avail[key]; seen {
		return ok
	}
	ok := false
	if _, err := exec.LookPath("tesseract"); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		out, err := exec.CommandContext(ctx, "tesseract", "--list-langs").CombinedOutput()
		cancel()
		if err == nil {
			for _, l := range strings.Fields(string(out)) {
				ok = ok || l == lang
			}
		}
	}
	avail[key] = ok
	return ok
}

// Text reads the picture file at path and returns tesseract's plain text.
func Text(path string, o Options) (string, error) {
	out, err := run(nil, append([]string{path, "-"}, o.args()...), o.Timeout)
	return string(out), err
}

// Line is one line of text tesseract found, with the mean confidence (0–100)
// of its words.
type Line struct {
	Text string
	Conf float64
}

// Lines reads a picture given as encoded bytes (PNG, JPEG, PNM …, passed on
// standard input, no temporary file) and returns its lines in reading order.
// Tesseract puts a space between the words it separates, Chinese characters
// included.
func Lines(picture []byte, o Options) ([]Line, error) {
	out, err := run(picture, append(append([]string{"stdin", "stdout"}, o.args()...), "tsv"), o.Timeout)
	if err != nil {
		return nil, err
	}
	return parseTSV(out), nil
}

// parseTSV groups tesseract's TSV words (level 5) by block, paragraph and line.
func parseTSV(out []byte) []Line {
	type acc struct {
		words []string
		conf  float64
	}
	var order []string
	lines := map[string]*acc{}
	for i, row := range strings.Split(string(out), "\n") {
		f := strings.Split(strings.TrimRight(row, "\r"), "\t")
		if i == 0 || len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if text == "" || err != nil || conf < 0 {
			continue
		}
		key := f[1] + "." + f[2] + "." + f[3] + "." + f[4]
		a := lines[key]
		if a == nil {
			a = &acc{}
			lines[key] = a
			order = append(order, key)
		}
		a.words = append(a.words, text)
		a.conf += conf
	}
	res := make([]Line, 0, len(order))
	for _, k := range order {
		a := lines[k]
		res = append(res, Line{Text: strings.Join(a.words, " "), Conf: a.conf / float64(len(a.words))})
	}
	return res
}

// run starts tesseract with args, stdin as its standard input, killed after
// timeout; one thread (OMP_THREAD_LIMIT=1): the callers run several at a time.
func run(stdin []byte, args []string, timeout time.Duration) ([]byte, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "tesseract", args...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("timed out after %v", timeout)
		}
		return nil, fmt.Errorf("%w: tesseract: %v %s", ErrOCR, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}
