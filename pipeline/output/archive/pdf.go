package archive

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"yanshou/pipeline/format/pdfdoc"
)

var pdfcpuOnce sync.Once

// normalConfig is pdfcpu's configuration for writing files gofpdi can read: no
// object streams, no cross-reference streams, no network.
func normalConfig() *model.Configuration {
	pdfcpuOnce.Do(api.DisableConfigDir) // else pdfcpu writes ~/.config/pdfcpu
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	conf.ValidationMode = model.ValidationRelaxed
	conf.Offline = true
	return conf
}

// preparePDF writes a normalised copy of src (decrypted with the empty user
// password when encrypted; object and cross-reference streams written out
// plainly), reads its page sizes and imports every page once into a scratch
// document, where a gofpdi panic does no harm. It returns the copy, or a note
// saying, in Chinese, why the file cannot be bound.
func (p *preparer) preparePDF(src string) (s *PDFSource, note string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s, note = p.preparePDFNow(src)
	}()
	select {
	case <-done:
		return s, note
	case <-time.After(PDFTimeout):
		// pdfcpu and gofpdi cannot be interrupted: the work is abandoned (its
		// goroutine ends when they return) and the file is bound by name only.
		return nil, p.say(p.w.Problems.Broken, map[string]any{"Err": fmt.Sprintf("处理超过 %s 未完成", PDFTimeout)})
	}
}

// PDFTimeout bounds the preparation of one submitted PDF.
var PDFTimeout = 2 * time.Minute

func (p *preparer) preparePDFNow(src string) (*PDFSource, string) {
	out := p.tempPath(".pdf")
	if err := normalise(src, out); err != nil {
		if isPasswordError(err) {
			return nil, p.w.Problems.Encrypted
		}
		return nil, p.say(p.w.Problems.Broken, map[string]any{"Err": shortErr(err)})
	}
	ctx, err := api.ReadContextFile(out)
	if err != nil {
		return nil, p.say(p.w.Problems.Broken, map[string]any{"Err": shortErr(err)})
	}
	fontNote := ""
	if names := unembeddedFonts(ctx); len(names) > 0 {
		var embedded *model.Context
		embedded, out, err = p.withFonts(out)
		switch {
		case err == nil:
			ctx = embedded
			if left := unembeddedFonts(ctx); len(left) > 0 {
				fontNote = p.say(p.w.Problems.FontsFailed, map[string]any{"Fonts": strings.Join(left, p.w.ListSep), "Err": "仍有字体未嵌入"})
			}
		case errors.Is(err, errNoFontTool):
			fontNote = p.say(p.w.Problems.FontsNoTool, map[string]any{"Fonts": strings.Join(names, p.w.ListSep)})
		default:
			fontNote = p.say(p.w.Problems.FontsFailed, map[string]any{"Fonts": strings.Join(names, p.w.ListSep), "Err": shortErr(err)})
		}
	}
	dims, err := ctx.PageDims()
	if err != nil || len(dims) == 0 {
		if err == nil {
			err = errors.New("没有页面")
		}
		return nil, p.say(p.w.Problems.Broken, map[string]any{"Err": shortErr(err)})
	}
	if err := pdfdoc.TrialImport(out, len(dims)); err != nil {
		return nil, p.say(p.w.Problems.Import, map[string]any{"Err": shortErr(err)})
	}
	s := &PDFSource{Path: out, FontNote: fontNote}
	for _, d := range dims {
		s.Sizes = append(s.Sizes, [2]float64{d.Width, d.Height})
	}
	return s, ""
}

// withFonts draws the normalised copy at path again with its fonts embedded
// (embedFonts) and normalises the result; it returns it read, and its path.
// On an error the copy at path stands (the caller binds it as it is).
func (p *preparer) withFonts(path string) (*model.Context, string, error) {
	drawn, out := p.tempPath(".pdf"), p.tempPath(".pdf")
	if err := embedFonts(path, drawn); err != nil {
		return nil, path, err
	}
	if err := normalise(drawn, out); err != nil {
		return nil, path, err
	}
	ctx, err := api.ReadContextFile(out)
	if err != nil {
		return nil, path, err
	}
	return ctx, out, nil
}

// normalise decrypts src if needed and rewrites it without object streams.
func normalise(src, dst string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdfcpu: %v", r)
		}
	}()
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	err = api.Decrypt(in, out, normalConfig())
	if err == nil || !errors.Is(err, pdfcpu.ErrNotEncrypted) && !strings.Contains(err.Error(), "not encrypted") {
		return err
	}
	if _, err := in.Seek(0, 0); err != nil {
		return err
	}
	if err := out.Truncate(0); err != nil {
		return err
	}
	if _, err := out.Seek(0, 0); err != nil {
		return err
	}
	return api.Optimize(in, out, normalConfig())
}

func isPasswordError(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "password") || strings.Contains(s, "encrypt")
}

// shortErr keeps an error message to one readable line.
func shortErr(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

// countPages returns the page count of a PDF, 0 when it cannot be read.
func countPages(path string) int {
	pdfcpuOnce.Do(api.DisableConfigDir)
	n, err := api.PageCountFile(path)
	if err != nil {
		return 0
	}
	return n
}
