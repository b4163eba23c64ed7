// Package doctext reads the text of the first pages of office documents: PDF
// (through the fonts' ToUnicode maps, github.com/ledongthuc/pdf), DOCX
// (word/document.xml) and PPTX (ppt/slides/slideN.xml, the first slide's
// title placeholder as the title). A PDF page without a text layer — a scan or a phone
// photo of paper — and a picture of a page are read by OCR when Limits.OCR is
// set and tesseract (with chi_sim) and pdftoppm are installed; else they read
// as empty and the caller says so.
package doctext

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ledongthuc/pdf"
)

// ErrUnsupported: the file type is one doctext does not read (.doc, .wps, images).
var ErrUnsupported = errors.New("doctext: file type not read")

// Limits bound the work of reading one document.
type Limits struct {
	Pages    int   // pages read from the start (≤ 0: 3)
	MaxBytes int64 // a larger file is not read (≤ 0: 64 MiB)
	OCR      bool  // read pages without text (and pictures) by OCR when the tools are here
}

// Text is what was read of a document.
type Text struct {
	Pages []string // one per page (a slide of a PPTX) read; "" for a page nothing was read from
	OCR   bool     // some page was read by OCR (digits may be misread)
	// Title is a PPTX's first-slide title placeholder, "" for other types
	// (it is also the first line of Pages[0]).
	Title string
}

// Read returns the text of the first pages of the document at path, one string
// per page (a DOCX is one page, a PPTX's slide a page). Errors say what went
// wrong, without the path.
func Read(path string, lim Limits) (txt Text, err error) {
	if lim.Pages <= 0 {
		lim.Pages = 3
	}
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = 64 << 20
	}
	st, err := os.Stat(path)
	if err != nil {
		return Text{}, err
	}
	if !st.Mode().IsRegular() {
		return Text{}, errors.New("not a regular file")
	}
	if st.Size() > lim.MaxBytes {
		return Text{}, fmt.Errorf("file of %d bytes is over the limit of %d", st.Size(), lim.MaxBytes)
	}
	defer func() {
		if r := recover(); r != nil {
			txt, err = Text{}, fmt.Errorf("the document's structure is damaged (%v)", r)
		}
	}()
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".pdf":
		pages, err := readPDF(path, lim.Pages)
		if err != nil {
			return Text{}, err
		}
		txt.Pages = pages
		if lim.OCR && CanOCR() {
			for i, p := range pages {
				if strings.TrimSpace(p) == "" {
					if t, err := ocrPDFPage(path, i+1); err == nil && strings.TrimSpace(t) != "" {
						pages[i], txt.OCR = t, true
					}
				}
			}
		}
		return txt, nil
	case ".docx":
		t, err := readDOCX(path, lim.MaxBytes)
		if err != nil {
			return Text{}, err
		}
		return Text{Pages: []string{t}}, nil
	case ".pptx":
		s, err := readPPTX(path, lim.Pages, lim.MaxBytes)
		if err != nil {
			return Text{}, err
		}
		return Text{Pages: s.Pages, Title: s.Title}, nil
	case ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp":
		if !lim.OCR || !CanOCR() {
			return Text{Pages: []string{""}}, nil
		}
		t, err := ocrImage(path)
		if err != nil {
			return Text{}, err
		}
		return Text{Pages: []string{t}, OCR: strings.TrimSpace(t) != ""}, nil
	}
	return Text{}, ErrUnsupported
}

func readPDF(path string, n int) ([]string, error) {
	f, r, err := pdf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	for i := 1; i <= r.NumPage() && i <= n; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			out = append(out, "")
			continue
		}
		t, err := p.GetPlainText(nil)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// readDOCX returns the text of word/document.xml, a line per paragraph.
func readDOCX(path string, max int64) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		if f.UncompressedSize64 > uint64(max) {
			return "", fmt.Errorf("word/document.xml of %d bytes is over the limit", f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		d := xml.NewDecoder(io.LimitReader(rc, max))
		var b strings.Builder
		inText := false
		for {
			tok, err := d.Token()
			if err == io.EOF {
				return b.String(), nil
			}
			if err != nil {
				return "", err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				inText = t.Name.Local == "t"
				if t.Name.Local == "tab" {
					b.WriteString("\t")
				}
			case xml.EndElement:
				if t.Name.Local == "p" {
					b.WriteString("\n")
				}
				inText = false
			case xml.CharData:
				if inText {
					b.Write(t)
				}
			}
		}
	}
	return "", errors.New("no word/document.xml: not a Word document")
}
