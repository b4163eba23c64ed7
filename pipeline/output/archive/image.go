package archive

import (
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
)

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".bmp": true,
	".webp": true, ".tif": true, ".tiff": true, ".heic": true, ".heif": true}

func isImage(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

// prepareImage sets it.Image to the picture of f, upright, its long side at most
// MaxSide pixels, as JPEG bytes; or a note saying why it cannot be bound.
func (p *preparer) prepareImage(f yanshou.File, it *Item) {
	maxSide := p.opt.MaxSide
	if maxSide <= 0 {
		maxSide = 1600
	}
	img, err := pdfdoc.PrepareImage(f.Abs, p.cfg.Intake.MaxImagePixels, maxSide)
	if err != nil {
		var note string
		if big, ok := err.(*pdfdoc.TooLargeError); ok {
			note = p.say(p.w.Problems.ImageTooLarge, map[string]any{"W": big.W, "H": big.H})
		} else {
			note = p.say(p.w.Problems.Image, map[string]any{"Err": shortErr(err)})
		}
		p.fail(f, it, note)
		return
	}
	it.Image = img
}
