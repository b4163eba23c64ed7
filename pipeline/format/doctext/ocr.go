package doctext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrOCR wraps the errors of the OCR tools (a picture they cannot open, a
// timeout).
var ErrOCR = errors.New("OCR failed")

// ocrTimeout bounds one page's OCR.
const ocrTimeout = 2 * time.Minute

var (
	ocrOnce sync.Once
	ocrOK   bool
)

// CanOCR reports whether pages can be read by OCR here: tesseract with the
// simplified-Chinese data (chi_sim) and pdftoppm (poppler-utils) are installed.
func CanOCR() bool {
	ocrOnce.Do(func() {
		if _, err := exec.LookPath("pdftoppm"); err != nil {
			return
		}
		if _, err := exec.LookPath("tesseract"); err != nil {
			return
		}
		out, err := exec.Command("tesseract", "--list-langs").CombinedOutput()
		ocrOK = err == nil && bytes.Contains(out, []byte("chi_sim"))
	})
	return ocrOK
}

// ocrPDFPage renders one page at 200 dpi in grey and reads it.
func ocrPDFPage(path string, page int) (string, error) {
	dir, err := os.MkdirTemp("", "yanshou-ocr-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), ocrTimeout)
	defer cancel()
	base := filepath.Join(dir, "page")
	p := fmt.Sprint(page)
	if out, err := exec.CommandContext(ctx, "pdftoppm", "-r", "200", "-gray", "-png", "-f", p, "-l", p, "-singlefile", path, base).CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w: pdftoppm: %v %s", ErrOCR, err, strings.TrimSpace(string(out)))
	}
	return ocrImage(base + ".png")
}

// ocrImage reads a picture of a page with tesseract (chi_sim).
func ocrImage(path string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ocrTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "tesseract", path, "-", "-l", "chi_sim")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: tesseract: %v %s", ErrOCR, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
