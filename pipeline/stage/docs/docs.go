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
			out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: "文件为空（0 字节），请重新提交完整的文件"})
			continue
		}
		switch {
		case archiveExt[ext]:
			out.Unreadable = append(out.Unreadable, yanshou.Evidence{File: f.Rel, Detail: "提交内容中的压缩包不会被解开检查，请解压后把其中的文件放进提交文件夹"})
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
		return fmt.Sprintf("文件名含有改变文字方向的控制字符，显示的名称与实际不符（实际扩展名为 %s），未打开；请改为普通文件名后重新提交", ext)
	}
	if executableExt[ext] {
		return fmt.Sprintf("可执行文件（%s），不是培训材料，未打开；请删除后重新提交", ext)
	}
	return ""
}

var pdfOnce sync.Once

// checkPDF returns why the PDF at p cannot be read as it is, or "".
func checkPDF(p string, size int64, opt Options) string {
	f, err := os.Open(p)
	if err != nil {
		return "无法读取：" + oserr.Reason(err)
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	if !bytes.Contains(head[:n], []byte("%PDF-")) {
		return "不是 PDF 文件（文件开头没有 %PDF 标记），可能是改了扩展名的其他文件"
	}
	tailLen := min(size, 2048)
	tail := make([]byte, tailLen)
	if _, err := f.ReadAt(tail, size-tailLen); err != nil {
		return "无法读取：" + oserr.Reason(err)
	}
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return "PDF 文件不完整（缺少结尾标记 %%EOF），可能只传了一部分，请重新上传"
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
		return "PDF 文件结构损坏（找不到 startxref），部分阅读器无法打开，请重新导出 PDF"
	}
	off, err := strconv.ParseInt(string(ms[len(ms)-1][1]), 10, 64)
	if err != nil || off <= 0 || off >= size {
		return "PDF 交叉引用表位置错误（startxref 指向文件之外），文件已损坏，请重新导出 PDF"
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
	return "PDF 交叉引用表损坏（startxref 指向的位置不是交叉引用表），部分阅读器无法打开，请重新导出 PDF"
}

// xrefSlack is how far from startxref's offset the table may start.
const xrefSlack = 256

// parsePDF reads the whole structure with pdfcpu, bounded in time.
func parsePDF(f *os.File, timeout time.Duration) string {
	pdfOnce.Do(api.DisableConfigDir) // else pdfcpu writes ~/.config/pdfcpu
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "无法读取：" + oserr.Reason(err)
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
			err = errors.New("没有页面")
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
			return "PDF 设有打开密码，审核人员无法查看，请提交未加密的 PDF"
		}
		return "PDF 文件损坏，无法打开（" + short(err.Error()) + "），请重新导出 PDF"
	case <-time.After(timeout):
		return fmt.Sprintf("PDF 文件过于复杂，%s 内未能读完，请另存为较小的 PDF", timeout)
	}
}

// checkOffice opens an Office Open XML package: it must be a zip; macros and
// links to other files are reported, never run or followed.
func checkOffice(p, ext string) (unreadable string, risky []string) {
	f, err := os.Open(p)
	if err != nil {
		return "无法读取：" + oserr.Reason(err), nil
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if bytes.Equal(head[:n], []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return fmt.Sprintf("文件已加密，或是扩展名改成 %s 的旧版 Office 文件，无法打开；请取消密码并另存为 %s 后重新提交", ext, ext), nil
	}
	st, err := f.Stat()
	if err != nil {
		return "无法读取：" + oserr.Reason(err), nil
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return fmt.Sprintf("不是有效的 %s 文件（可能损坏、只传了一部分或改了扩展名），请用 WPS/Office 重新保存后提交", ext), nil
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
		risky = append(risky, "含宏（VBA 代码），验收时不运行宏；请另存为不含宏的文件（.xlsx/.docx）")
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
			where = "（" + strings.Join(shown, "、") + "）"
		}
		risky = append(risky, "含指向其他文件的外部链接"+where+"，验收只采用文件中保存的数值、不打开链接；请把数值粘贴为普通值后重新提交")
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
