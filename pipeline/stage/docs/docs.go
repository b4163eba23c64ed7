// Package docs opens the documents of a submission just far enough to know that
// each can be read by the people who must read it: empty files, PDFs that are
// damaged, truncated or locked with a password, Office files that are not what
// their name says, and files that are risky to open (macros, links to other
// workbooks, executables, names disguised with direction-control characters).
// It never runs, follows or changes anything; photos and tables are left to
// their own stages.
package docs

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"yanshou"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

// Findings are what Check found: files that cannot be opened (Unreadable) and
// files that open but are risky (Risky). Each names the file.
type Findings struct {
	Unreadable []yanshou.Evidence
	Risky      []yanshou.Evidence
}

// Options bound the work.
type Options struct {
	// PDFTimeout bounds the parse of one PDF (pdfcpu cannot be interrupted; past
	// it the file is reported as not checked). 30 s when zero.
	PDFTimeout time.Duration
	// MaxPDFBytes: larger PDFs get only the structural check (header, trailer,
	// startxref), not a full parse. 64 MiB when zero.
	MaxPDFBytes int64
}

// Check looks at every file of sub that no other stage reads in full.
func Check(sub *yanshou.Submission, opt Options) Findings {
	if opt.PDFTimeout <= 0 {
		opt.PDFTimeout = 30 * time.Second
	}
	if opt.MaxPDFBytes <= 0 {
		opt.MaxPDFBytes = 64 << 20
	}
	var out Findings
	for _, f := range sub.Files {
		if d := riskyName(f.Rel); d != "" {
			out.Risky = append(out.Risky, yanshou.Evidence{File: f.Rel, Detail: d})
			continue
		}
		ext := strings.ToLower(path.Ext(f.Rel))
		table := f.Kind.IsTable() // the sheet stage reads these kinds and reports their problems
		if f.Size == 0 && !table && !f.Kind.IsPhoto() {
			out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: templates.Say("docs.empty")})
			continue
		}
		switch {
		case archiveExt[ext]:
			out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: templates.Say("docs.archive")})
		case ext == ".pdf" && f.Size > 0:
			if d := checkPDF(f.Abs, f.Size, opt); d != "" {
				out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: d})
			}
		case officeExt[ext] && f.Size > 0:
			unreadable, risky := checkOffice(f.Abs, ext)
			if unreadable != "" && !table { // tables report their own reading problems
				out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: unreadable})
			}
			for _, d := range risky {
				out.Risky = append(out.Risky, yanshou.Evidence{File: f.Rel, Detail: d})
			}
		}
	}
	return out
}

// officeExt are the Office Open XML formats (zip packages).
var officeExt = map[string]bool{".docx": true, ".docm": true, ".xlsx": true, ".xlsm": true, ".pptx": true, ".pptm": true}

// archiveExt are archives inside a submission (only the submission itself may be a zip).
var archiveExt = map[string]bool{".zip": true, ".rar": true, ".7z": true, ".tar": true, ".gz": true, ".tgz": true}

// executableExt are files that run when opened on Windows.
var executableExt = map[string]bool{".exe": true, ".com": true, ".bat": true, ".cmd": true, ".scr": true, ".pif": true,
	".js": true, ".jse": true, ".vbs": true, ".vbe": true, ".wsf": true, ".ps1": true, ".lnk": true, ".msi": true, ".hta": true}

// bidiControls make a name display differently from what it is
// (照片\u202Egpj.exe shows as 照片exe.jpg).
const bidiControls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F"

// riskyName describes a name that disguises or runs something, or "".
func riskyName(rel string) string {
	base := path.Base(rel)
	ext := strings.ToLower(path.Ext(base))
	if strings.ContainsAny(base, bidiControls) {
		return templates.Say("docs.bidi_name", ext)
	}
	if executableExt[ext] {
		return templates.Say("docs.executable", ext)
	}
	return ""
}

var pdfOnce sync.Once

// checkPDF returns why the PDF at p cannot be read as it is, or "".
func checkPDF(p string, size int64, opt Options) string {
	f, err := os.Open(p)
	if err != nil {
		return templates.Say("docs.unreadable", oserr.Reason(err))
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	if !bytes.Contains(head[:n], []byte("%PDF-")) {
		return templates.Say("docs.not_pdf")
	}
	tailLen := min(size, 2048)
	tail := make([]byte, tailLen)
	if _, err := f.ReadAt(tail, size-tailLen); err != nil {
		return templates.Say("docs.unreadable", oserr.Reason(err))
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return templates.Say("docs.pdf_no_eof")
	}
	if d := checkXref(f, tail, size); d != "" {
		return d
	}
	if size > opt.MaxPDFBytes {
		return ""
	}
	return parsePDF(f, opt.PDFTimeout)
}

var (
	startxrefRE  = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF`)
	xrefTableRE  = regexp.MustCompile(`(?m)^\s*xref\s*$`)                          // a cross-reference table's keyword line (not "startxref")
	objectNearRE = regexp.MustCompile(`(?s)\d+\s+\d+\s+obj.{0,400}?/Type\s*/XRef`) // a cross-reference stream
)

// checkXref verifies that the last startxref points at a cross-reference table
// or stream, as every reader expects.
func checkXref(f *os.File, tail []byte, size int64) string {
	ms := startxrefRE.FindAllSubmatch(tail, -1)
	if len(ms) == 0 {
		return templates.Say("docs.pdf_no_startxref")
	}
	off, err := strconv.ParseInt(string(ms[len(ms)-1][1]), 10, 64)
	if err != nil || off <= 0 || off >= size {
		return templates.Say("docs.pdf_startxref_outside")
	}
	// Readers repair an offset a few bytes off (line ends rewritten by a
	// transfer, a stray byte): only a table nowhere near it is a finding.
	from := max(0, off-xrefSlack)
	at := make([]byte, 2*xrefSlack+32)
	n, _ := f.ReadAt(at, from)
	near := at[:n]
	if xrefTableRE.Match(near) || objectNearRE.Match(near) {
		return ""
	}
	return templates.Say("docs.pdf_bad_xref")
}

// xrefSlack is how far from startxref's offset the table may start.
const xrefSlack = 256

// parsePDF reads the whole structure with pdfcpu, bounded in time.
func parsePDF(f *os.File, timeout time.Duration) string {
	pdfOnce.Do(api.DisableConfigDir) // else pdfcpu writes ~/.config/pdfcpu
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return templates.Say("docs.unreadable", oserr.Reason(err))
	}
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%v", r)
			}
		}()
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationRelaxed
		ctx, err := api.ReadContext(f, conf)
		if err == nil {
			err = api.ValidateContext(ctx)
		}
		if err == nil && ctx.PageCount == 0 {
			err = errors.New(templates.Say("docs.pdf_no_pages"))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			return ""
		}
		s := strings.ToLower(err.Error())
		if strings.Contains(s, "password") || strings.Contains(s, "encrypt") {
			return templates.Say("docs.pdf_password")
		}
		return templates.Say("docs.pdf_damaged", short(err.Error()))
	case <-time.After(timeout):
		return templates.Say("docs.pdf_timeout", timeout)
	}
}

// checkOffice opens an Office Open XML package: it must be a zip; macros and
// links to other files are reported, never run or followed.
func checkOffice(p, ext string) (unreadable string, risky []string) {
	f, err := os.Open(p)
	if err != nil {
		return templates.Say("docs.unreadable", oserr.Reason(err)), nil
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if bytes.Equal(head[:n], []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return templates.Say("docs.office_encrypted", ext, ext), nil
	}
	st, err := f.Stat()
	if err != nil {
		return templates.Say("docs.unreadable", oserr.Reason(err)), nil
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return templates.Say("docs.office_not_zip", ext), nil
	}
	var macros bool
	var links []string
	for _, e := range zr.File {
		name := strings.ToLower(e.Name)
		switch {
		case strings.HasSuffix(name, "vbaproject.bin"):
			macros = true
		case strings.Contains(name, "externallinks/_rels/") && strings.HasSuffix(name, ".rels"):
			links = append(links, externalTargets(e)...)
		case strings.Contains(name, "externallinks/externallink") && len(links) == 0:
			links = append(links, "")
		}
	}
	if macros {
		risky = append(risky, templates.Say("docs.macros"))
	}
	if len(links) > 0 {
		var shown []string
		for _, l := range links {
			if l != "" {
				shown = append(shown, l)
			}
		}
		where := ""
		if len(shown) > 0 {
			where = templates.Say("docs.links_shown", strings.Join(shown, "、"))
		}
		risky = append(risky, templates.Say("docs.links", where))
	}
	return "", risky
}

var targetRE = regexp.MustCompile(`Target="([^"]*)"[^>]*TargetMode="External"|TargetMode="External"[^>]*Target="([^"]*)"`)

// externalTargets lists the external targets of a relationships part.
func externalTargets(e *zip.File) []string {
	if e.UncompressedSize64 > 1<<20 {
		return []string{""}
	}
	rc, err := e.Open()
	if err != nil {
		return []string{""}
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
	var out []string
	for _, m := range targetRE.FindAllSubmatch(b, -1) {
		t := string(m[1]) + string(m[2])
		out = append(out, short(t))
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// short keeps a message to one readable line.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
