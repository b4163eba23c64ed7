package pipeline

import (
	"path"

	"yanshou"
	"yanshou/pipeline/stage/inventory"
	"yanshou/pipeline/stage/papers"
)

// fileByTitles lets the first-page titles of the submission's documents decide
// their kind where the names do not (inventory.Refile): the heading is read by
// papers (cached in the ledger, so a re-check reads nothing again; by OCR only
// for a file whose name names no material; of pictures, only those named as
// scans) and recognised by inventory, before the materials are counted.
func (p *Pipeline) fileByTitles(sub *yanshou.Submission) {
	for i, f := range sub.Files {
		scan := f.Kind == yanshou.Other && inventory.NamedScan(f.Rel) // a picture of paper, by its name
		if !papers.Titled(f.Rel) && !scan || f.Kind == yanshou.Manifest {
			continue
		}
		h := papers.ReadHeading(f, p.Ledger, f.Kind == yanshou.Other)
		if kind, title := inventory.RecogniseTitle(h.Lines, path.Ext(f.Rel)); kind != "" {
			sub.Files[i] = inventory.Refile(f, kind, title, h.OCR)
		}
	}
}
