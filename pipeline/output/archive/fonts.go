package archive

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"time"

	pdffont "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// FontTool is the program that embeds the fonts a PDF uses without embedding
// them: pdftocairo (poppler-utils) draws every page again through cairo, which
// embeds a subset of each font it drew with — the font itself when the system
// has it, else the face fontconfig substitutes (URW base35 for Helvetica, Times
// and Courier, a Song face for SimSun/宋体) — and keeps the text selectable.
// Without it the file is bound as it is and its first page says so.
var FontTool = "pdftocairo"

// FontTimeout bounds one run of FontTool.
var FontTimeout = time.Minute

// unembeddedFonts returns the names of the fonts of a PDF that are used without
// their font program (no FontFile, FontFile2 or FontFile3: base-14 fonts such
// as Helvetica, or a SimSun referenced by name), sorted, each once. Type 3 fonts
// carry their glyphs and are never listed.
func unembeddedFonts(ctx *model.Context) []string {
	seen := map[string]bool{}
	for nr, e := range ctx.XRefTable.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		sub := d.Subtype()
		if sub == nil || *sub == "Type3" || *sub == "CIDFontType0" || *sub == "CIDFontType2" {
			continue // a descendant is looked at through its Type0 font
		}
		if emb, err := pdffont.Embedded(ctx.XRefTable, d, nr); err == nil && emb {
			continue
		}
		name := "?"
		if n := d.NameEntry("BaseFont"); n != nil {
			name = *n
		}
		if i := strings.IndexByte(name, '+'); i == 6 { // a subset tag: ABCDEF+SimSun
			name = name[i+1:]
		}
		seen[name] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// errNoFontTool: FontTool is not installed here.
var errNoFontTool = errors.New("no font tool")

// embedFonts writes to dst a copy of src drawn again by FontTool, its fonts
// embedded. src is a copy already (the normalised one): nothing submitted is
// modified.
func embedFonts(src, dst string) error {
	tool, err := exec.LookPath(FontTool)
	if err != nil {
		return errNoFontTool
	}
	ctx, cancel := context.WithTimeout(context.Background(), FontTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, tool, "-pdf", src, dst).CombinedOutput()
	if ctx.Err() != nil {
		return fmt.Errorf("超过 %s 未完成", FontTimeout)
	}
	if err != nil {
		return fmt.Errorf("%v %s", err, strings.TrimSpace(string(out)))
	}
	if strings.Contains(string(out), "non-embedded font using identity encoding") {
		// Glyph numbers of a font this machine does not have (Identity-H): a
		// substitute would draw other glyphs or none; the original stands.
		return errIdentityFont
	}
	return nil
}

// errIdentityFont: a font not embedded addresses its glyphs by number
// (Identity-H) and this machine lacks that very font, so no substitute draws it.
var errIdentityFont = errors.New("字体按字形编号编码（Identity-H），本机没有该字体，无法替换")
