// Package county writes the county-level documents of the pre-inspection batch
// (第十条, 第十四条, 第十五条 of the measures): the one-page county summary
// (全县汇总.pdf), the inspection record form of one institution
// (《电子商务培训检查记录表》), the poor-household coverage against the county
// registry (第三条) and the institutions' monthly plans against what they
// delivered. It works from the ledger's class records; it draws its PDFs with
// pipeline/format/pdfdoc (rectangles and lines for the chart, no plotting
// module), whose glyph policy it shares: a character no font has is drawn as □
// and reported by a *pdfdoc.MissingGlyphsError after the file is written.
package county

import (
	"path/filepath"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
)

// Page size (A4, points) and margins.
const (
	pageW  = 595.0
	pageH  = 842.0
	margin = 50.0
)

// newDoc starts the document to be written to path, on its first page.
func newDoc(cfg *yanshou.Config, path string) (*pdfdoc.Doc, error) {
	return pdfdoc.New(cfg.Fonts, filepath.Base(path))
}

// Colours of the county's documents.
var (
	colPass  = pdfdoc.RGBOf(yanshou.Pass.Colour())
	colFail  = pdfdoc.RGBOf(yanshou.Fail.Colour())
	colVeto  = pdfdoc.RGBOf(yanshou.Veto.Colour())
	colInk   = pdfdoc.RGB{R: 0x22, G: 0x22, B: 0x22}
	colGrey  = pdfdoc.RGB{R: 0x77, G: 0x77, B: 0x77}
	colLight = pdfdoc.RGB{R: 0xDD, G: 0xDD, B: 0xDD}
	colPanel = pdfdoc.RGB{R: 0xF3, G: 0xF5, B: 0xF8}
	colBlue  = pdfdoc.RGB{R: 0x2F, G: 0x5D, B: 0x9A}
)
