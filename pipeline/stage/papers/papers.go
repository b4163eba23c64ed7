// Package papers reads what a class's own documents say of themselves — the
// 批复's 文号 and 成文日期, the dates of the application, the notice and the
// summary — so that the manifest, which the institution types, is held to them.
package papers

import (
	"errors"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"yanshou"
	"yanshou/pipeline/format/doctext"
	"yanshou/pipeline/format/gongwen"
	"yanshou/pipeline/platform/oserr"
	"yanshou/templates"
)

// Reader names the text reader; cached text is used only under the same name:
// change it whenever doctext's output changes.
const Reader = "doctext-v2"

// Cache keeps the pages read from a document, by its SHA-256, so that a
// re-check reads no document again (the ledger implements it).
type Cache interface {
	CachedText(algo, sha string) (pages []string, ocr, ok bool, err error)
	CacheText(algo, sha string, pages []string, ocr bool) error
}

// Kinds are the materials whose text is read, in this order.
var Kinds = []yanshou.MaterialKind{yanshou.Approval, yanshou.Application, yanshou.Notice, yanshou.Summary}

// Read returns, for each of Kinds the submission has, what its first readable
// document (PDF, DOCX or PPTX, by path) says. A kind whose documents are all scans or
// unreadable gives a Paper that is not Read, with the reason; a kind with no
// file gives none.
func Read(sub *yanshou.Submission, loc *time.Location, cache Cache) []yanshou.Paper {
	if loc == nil {
		loc = time.Local
	}
	institution := ""
	if sub.Class != nil {
		institution = strings.Join(strings.Fields(norm.NFKC.String(sub.Class.Institution)), "")
	}
	var out []yanshou.Paper
	for _, k := range Kinds {
		files := sub.FilesOf(k)
		if len(files) == 0 {
			continue
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
		var first *yanshou.Paper
		for _, f := range files {
			p := readOne(f, loc, cache, institution)
			if p.Read && (p.Number != "" || !p.Date.IsZero()) {
				first = &p
				break
			}
			if first == nil || (!first.Read && p.Read) {
				first = &p
			}
		}
		out = append(out, *first)
	}
	return out
}

// readOne reads one document.
func readOne(f yanshou.File, loc *time.Location, cache Cache, institution string) yanshou.Paper {
	p := yanshou.Paper{Kind: f.Kind, File: f.Rel}
	switch strings.ToLower(path.Ext(f.Rel)) {
	case ".pdf", ".docx", ".pptx":
	case ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp": // picture(f.Rel)
		if !doctext.CanOCR() {
			p.Scan, p.Problem = true, templates.Say("papers.image")
			return p
		}
	case ".heic", ".heif":
		p.Scan, p.Problem = true, templates.Say("papers.image")
		return p
	default:
		p.Problem = templates.Say("papers.type", path.Ext(f.Rel))
		return p
	}
	pages, ocr, err := cachedRead(f, cache, true)
	if err != nil {
		switch {
		case errors.Is(err, doctext.ErrUnsupported):
			p.Problem = templates.Say("papers.type", path.Ext(f.Rel))
		case errors.Is(err, doctext.ErrOCR):
			p.Problem = templates.Say("papers.ocr_failed")
		default:
			p.Problem = templates.Say("papers.unreadable", oserr.Reason(err))
		}
		return p
	}
	all := strings.Join(pages, "\n")
	if strings.TrimSpace(all) == "" {
		p.Scan, p.Problem = true, templates.Say("papers.scan")
		if doctext.CanOCR() {
			p.Problem = templates.Say("papers.scan_unread")
		}
		return p
	}
	p.Read, p.OCR = true, ocr
	g := gongwen.Parse(all)
	p.Number, p.Title, p.DateText, p.Count = g.Number, g.Title, g.DateText, g.Count
	p.Mentions = institution != "" && strings.Contains(g.Flat, institution)
	if !g.Date.IsZero() {
		p.Date = yanshou.Date{Time: time.Date(g.Date.Year(), g.Date.Month(), g.Date.Day(), 0, 0, 0, 0, loc)}
	}
	p.Page = 1
	for i, pg := range pages { // the page the date was read on
		if g.DateText != "" && strings.Contains(strings.Join(strings.Fields(pg), ""), g.DateText) {
			p.Page = i + 1
		}
	}
	return p
}

// cachedRead reads a document's first pages (by OCR where they have no text,
// when ocr is set and the tools are here), from the cache when it has them. A
// scan read without OCR is not cached (once tesseract is installed it is read),
// nor a read without ocr that left a page empty (Read will try OCR on it).
func cachedRead(f yanshou.File, cache Cache, ocr bool) ([]string, bool, error) {
	if cache != nil && f.SHA256 != "" {
		if pages, byOCR, ok, err := cache.CachedText(Reader, f.SHA256); err == nil && ok {
			return pages, byOCR, nil
		}
	}
	t, err := doctext.Read(f.Abs, doctext.Limits{Pages: 3, OCR: ocr})
	some, every := false, len(t.Pages) > 0 // some page has text; every page has
	for _, p := range t.Pages {
		has := strings.TrimSpace(p) != ""
		some, every = some || has, every && has
	}
	final := every || ocr && (some || doctext.CanOCR())
	if err == nil && cache != nil && f.SHA256 != "" && final {
		_ = cache.CacheText(Reader, f.SHA256, t.Pages, t.OCR) // a cache that cannot be written only costs a re-read
	}
	return t.Pages, t.OCR, err
}

// Heading is the start of a document's first page, before its body: the lines
// a title is read from (inventory.RecogniseTitle).
type Heading struct {
	Lines []string // at most headingLines, white space removed, empty lines dropped
	OCR   bool     // read by OCR from a scan
}

// headingLines bounds the lines of a Heading.
const headingLines = 10

// Titled reports whether the file at rel is a document whose first page
// ReadHeading reads: a PDF, a DOCX or a PPTX.
func Titled(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".pdf", ".docx", ".pptx":
		return true
	}
	return false
}

// picture reports whether rel is a picture OCR can read (a photographed or
// scanned page).
func picture(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp":
		return true
	}
	return false
}

// ReadHeading returns the heading of a document's first page — its lines up
// to the addressee (a line ending in ：, 主送机关) or the first sentence (a line
// with 。) —, from the cache when the document was read before (the text is
// cached for Read too). With ocr, a page without a text layer, and a picture
// of a page, are read by OCR when the tools are here. A document that cannot
// be read has no heading.
func ReadHeading(f yanshou.File, cache Cache, ocr bool) Heading {
	if !Titled(f.Rel) && !(ocr && picture(f.Rel) && doctext.CanOCR()) {
		return Heading{}
	}
	pages, byOCR, err := cachedRead(f, cache, ocr)
	if err != nil || len(pages) == 0 {
		return Heading{}
	}
	h := Heading{OCR: byOCR}
	for _, l := range strings.Split(pages[0], "\n") {
		l = strings.Join(strings.Fields(l), "")
		if l == "" {
			continue
		}
		if n := norm.NFKC.String(l); strings.HasSuffix(n, ":") || strings.Contains(n, "。") {
			break
		}
		h.Lines = append(h.Lines, l)
		if len(h.Lines) == headingLines {
			break
		}
	}
	return h
}
