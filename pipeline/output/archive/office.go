package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// officeExts are the formats LibreOffice converts to PDF for binding.
var officeExts = map[string]bool{
	".doc": true, ".docx": true, ".odt": true, ".rtf": true, ".wps": true,
	".ppt": true, ".pptx": true, ".odp": true, ".dps": true,
	".xls": true, ".ods": true, ".et": true,
}

// converter returns the LibreOffice program to use, or "" when none.
func (p *preparer) converter() string {
	switch p.opt.Converter {
	case "-":
		return ""
	case "":
		for _, name := range []string{"soffice", "libreoffice"} {
			if path, err := exec.LookPath(name); err == nil {
				return path
			}
		}
		return ""
	}
	return p.opt.Converter
}

// convertOffice converts documents to PDF with one LibreOffice run, in a folder
// of its own under work, within timeout. Each file is copied under an ASCII name
// first (LibreOffice and shells mangle some names). It returns, per source, the
// PDF made or why there is none.
func convertOffice(soffice string, srcs []string, work string, timeout time.Duration) ([]string, []error) {
	pdfs, errs := make([]string, len(srcs)), make([]error, len(srcs))
	fail := func(err error) ([]string, []error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return pdfs, errs
	}
	folder, err := os.MkdirTemp(work, "office-")
	if err != nil {
		return fail(err)
	}
	args := []string{"--headless", "--norestore", "--nolockcheck",
		"-env:UserInstallation=" + fileURL(filepath.Join(work, "lo-profile")), "--convert-to", "pdf", "--outdir", folder}
	for i, src := range srcs {
		in := filepath.Join(folder, fmt.Sprintf("in%03d%s", i, strings.ToLower(filepath.Ext(src))))
		if err := copyFile(src, in); err != nil {
			errs[i] = err
			continue
		}
		args = append(args, in)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	ownGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	timedOut := ctx.Err() != nil
	for i := range srcs {
		if errs[i] != nil {
			continue
		}
		pdf := filepath.Join(folder, fmt.Sprintf("in%03d.pdf", i))
		if st, err := os.Stat(pdf); err == nil && st.Size() > 0 {
			pdfs[i] = pdf
			continue
		}
		switch msg := strings.TrimSpace(out.String()); {
		case timedOut:
			errs[i] = fmt.Errorf("转换超过 %s 未完成，已中止", timeout)
		case runErr != nil && msg != "":
			errs[i] = fmt.Errorf("%v：%s", runErr, lastLine(msg))
		case runErr != nil:
			errs[i] = runErr
		default:
			errs[i] = errors.New("没有生成 PDF")
		}
	}
	return pdfs, errs
}

func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	abs = filepath.ToSlash(abs)
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // C:/x → /C:/x
	}
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
