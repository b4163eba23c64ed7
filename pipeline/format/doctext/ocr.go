package doctext

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"yanshou/pipeline/format/ocr"
)

// ErrOCR wraps the errors of the OCR tools (a picture they cannot open, a
// timeout); it is ocr.ErrOCR.
var ErrOCR = ocr.ErrOCR

// ocrTimeout bounds one page's OCR.
const ocrTimeout = ocr.DefaultTimeout

// CanOCR reports whether pages can be read by OCR here: tesseract with the
// simplified-Chinese data (chi_sim) and pdftoppm (poppler-utils) are installed
// on the current PATH.
func CanOCR() bool {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return false
	}
	return ocr.Available("chi_sim")
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
	return ocr.Text(path, ocr.Options{Lang: "chi_sim", Timeout: ocrTimeout})
}
