package doctext

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Bounds of a PPTX read: a deck is a zip of many parts, each read only up to
// these sizes, so that a zip bomb or a deck of thousands of slides costs little.
const (
	maxSlideParts = 2000 // zip entries looked at (a larger deck is refused)
)

var slideName = regexp.MustCompile(`^ppt/slides/slide([0-9]{1,5})\.xml$`)

// deck is the text of a PPTX's first slides, read by readPPTX.
type deck struct {
	Title string   // the first slide's title placeholder (type title or ctrTitle), "" when none
	Pages []string // per slide, in slide order by number: the title first, then the other text, a line per paragraph
}

// readPPTX returns the text of the first n slides of a PPTX (ppt/slides/slideN.xml,
// ordered by N): the a:t runs, a line per a:p paragraph, the title
// placeholder's text first. Each slide part is read up to max bytes.
func readPPTX(path string, n int, max int64) (deck, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return deck{}, err
	}
	defer zr.Close()
	if len(zr.File) > maxSlideParts {
		return deck{}, fmt.Errorf("the deck has %d parts, over the limit of %d", len(zr.File), maxSlideParts)
	}
	type slide struct {
		n int
		f *zip.File
	}
	var slides []slide
	for _, f := range zr.File {
		if m := slideName.FindStringSubmatch(f.Name); m != nil {
			k, _ := strconv.Atoi(m[1])
			slides = append(slides, slide{k, f})
		}
	}
	if len(slides) == 0 {
		return deck{}, errors.New("no ppt/slides/slideN.xml: not a PowerPoint deck")
	}
	sort.Slice(slides, func(i, j int) bool { return slides[i].n < slides[j].n })
	var out deck
	for i, s := range slides {
		if i >= n {
			break
		}
		if s.f.UncompressedSize64 > uint64(max) {
			return deck{}, fmt.Errorf("%s of %d bytes is over the limit", s.f.Name, s.f.UncompressedSize64)
		}
		title, text, err := readSlide(s.f, max)
		if err != nil {
			return deck{}, fmt.Errorf("%s: %w", s.f.Name, err)
		}
		if i == 0 {
			out.Title = strings.TrimSpace(strings.ReplaceAll(title, "\n", ""))
		}
		page := text
		if title != "" && text != "" {
			page = title + "\n" + text
		} else if title != "" {
			page = title
		}
		out.Pages = append(out.Pages, page)
	}
	return out, nil
}

// readSlide returns the text of a slide's title placeholder and of its other
// shapes, a line per paragraph.
func readSlide(f *zip.File, max int64) (title, rest string, err error) {
	rc, err := f.Open()
	if err != nil {
		return "", "", err
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, max))
	var t, b strings.Builder
	depth, shape := 0, -1 // shape: depth of the p:sp being read, -1 outside
	isTitle, inText := false, false
	cur := func() *strings.Builder {
		if isTitle {
			return &t
		}
		return &b
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return strings.TrimRight(t.String(), "\n"), strings.TrimRight(b.String(), "\n"), nil
		}
		if err != nil {
			return "", "", err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			switch e.Name.Local {
			case "sp":
				if shape < 0 {
					shape, isTitle = depth, false
				}
			case "ph":
				if shape >= 0 {
					for _, a := range e.Attr {
						if a.Name.Local == "type" && (a.Value == "title" || a.Value == "ctrTitle") {
							isTitle = true
						}
					}
				}
			case "t":
				inText = true
			case "br":
				cur().WriteString("\n")
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				if w := cur(); w.Len() > 0 && !strings.HasSuffix(w.String(), "\n") {
					w.WriteString("\n")
				}
			case "sp":
				if depth == shape {
					shape, isTitle = -1, false
				}
			}
			depth--
		case xml.CharData:
			if inText {
				cur().Write(e)
			}
		}
	}
}
