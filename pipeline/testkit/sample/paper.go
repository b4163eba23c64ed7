package sample

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"path"

	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/testkit/papersheet"
)

// paperKind is what paper sign-in sheets a class sends beside its xlsx.
type paperKind int

const (
	paperNone       paperKind = iota
	paperSigned               // the first session photographed (a JPEG a page), the second scanned (an image-only PDF): every box as the xlsx says
	paperThirdEmpty           // the first session scanned with every third trainee's box empty while the xlsx says all came
)

// paperPxPerMM is the resolution the sheets are drawn and scanned at (150
// dpi, as offices scan), and paperJPEG the scanner's JPEG quality: a page of
// about 0.6 MB.
const (
	paperPxPerMM = 6
	paperJPEG    = 75
)

// paperSession is a session's label as `yanshou signin-sheets` prints it.
func paperSession(s session) string {
	return s.Day.Format("2006-01-02") + " " + s.Half
}

// paperFiles draws the class's paper sign-in sheets (pipeline/testkit/papersheet):
// printed as signin-sheets lays them out (signform.Plan, five blank rows a
// session), signed with drawn handwriting, then photographed or scanned, into
// the folder of the xlsx sign-in sheet (dir). Deterministic for a seed.
func paperFiles(c *class, seed int64, dir string) ([]sampleFile, error) {
	if c.Paper == paperNone || len(c.Sessions) < 2 {
		return nil, nil
	}
	rnd := rand.New(rand.NewPCG(uint64(seed), uint64(c.Index+1)<<32|0x9a9e))
	keys := make([]string, len(c.Roster))
	for i, p := range c.Roster {
		keys[i] = p.ID
	}
	start, end := c.StartT.Format("2006-01-02"), c.EndT.Format("2006-01-02")
	id := signform.ClassID(keys, start, end)
	pages := func(s int, empty func(k int) bool) [][]byte {
		var out [][]byte
		for _, p := range signform.Plan(id, paperSession(c.Sessions[s]), keys, 5) {
			pg := papersheet.Page{Payload: p, Fills: make([]papersheet.Fill, p.Rows+p.Blank), WalkIn: make([]bool, p.Rows+p.Blank)}
			for i := 0; i < p.Rows; i++ {
				if k := p.First + i; c.Attend[k][s] && !empty(k) {
					pg.Fills[i] = papersheet.Signature
				}
			}
			src := papersheet.Render(rnd, pg, paperPxPerMM)
			if s == 0 && c.Paper == paperSigned {
				out = append(out, papersheet.PhotoOf(rnd, src, paperPxPerMM, 6))
				continue
			}
			var b bytes.Buffer
			if err := jpeg.Encode(&b, papersheet.Scan(rnd, src, paperPxPerMM), &jpeg.Options{Quality: paperJPEG}); err != nil {
				panic(err) // a grey image of our own
			}
			out = append(out, b.Bytes())
		}
		return out
	}
	none := func(int) bool { return false }
	var files []sampleFile
	switch c.Paper {
	case paperSigned:
		for i, b := range pages(0, none) {
			files = append(files, sampleFile{path.Join(dir, fmt.Sprintf("签到表-%s-第%d页.jpg", c.Sessions[0].Label(), i+1)), b})
		}
		pdf, err := papersheet.ScanPDFBytes(pages(1, none))
		if err != nil {
			return nil, err
		}
		files = append(files, sampleFile{path.Join(dir, fmt.Sprintf("签到表扫描件-%s.pdf", c.Sessions[1].Label())), pdf})
	case paperThirdEmpty:
		pdf, err := papersheet.ScanPDFBytes(pages(0, func(k int) bool { return k%3 == 0 }))
		if err != nil {
			return nil, err
		}
		files = append(files, sampleFile{path.Join(dir, fmt.Sprintf("签到表扫描件-%s.pdf", c.Sessions[0].Label())), pdf})
	}
	return files, nil
}
