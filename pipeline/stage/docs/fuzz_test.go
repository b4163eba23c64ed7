package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/testkit/hostile"
)

// FuzzCheck: no file read as a PDF or as an Office package makes Check panic or
// hang, and everything it says names the file. Seeds: the hostile corpus's PDFs
// and Office files.
func FuzzCheck(f *testing.F) {
	for _, kind := range []string{hostile.SamplePDF, hostile.SampleOffice} {
		for _, seed := range hostile.Samples(kind) {
			f.Add(seed)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		var files []yanshou.File
		for _, rel := range []string{"申请报告.pdf", "情况总结.docx", "签到表.xlsm"} {
			p := filepath.Join(dir, rel)
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, yanshou.File{Rel: rel, Abs: p, Size: int64(len(data)), Kind: yanshou.Summary})
		}
		// A hang is the test binary's -timeout to catch; reading a PDF is
		// bounded by PDFTimeout. No wall-clock assertion here.
		got := Check(&yanshou.Submission{Files: files}, Options{PDFTimeout: 2 * time.Second})
		for _, e := range append(got.Unreadable, got.Risky...) {
			if e.File == "" || strings.TrimSpace(e.Detail) == "" {
				t.Fatalf("finding does not say what and where: %+v", e)
			}
		}
	})
}
