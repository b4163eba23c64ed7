package render

import (
	"bytes"
	"image"
	"image/png"
	"sort"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/templates"
)

// signatureWords is templates/report/signatures.yaml.
type signatureWords struct {
	Title        string `yaml:"title"`
	Intro        string `yaml:"intro"`
	NameHeader   string `yaml:"name_header"`
	Name         string `yaml:"name"`
	Session      string `yaml:"session"`
	Missing      string `yaml:"missing"`
	LegendSigned string `yaml:"legend_signed"`
	LegendEmpty  string `yaml:"legend_empty"`
	LegendUnsure string `yaml:"legend_unsure"`
	WalkinsTitle string `yaml:"walkins_title"`
	Walkin       string `yaml:"walkin"`
	WalkinsMore  string `yaml:"walkins_more"`
	WalkinsMax   int    `yaml:"walkins_max"`
}

// Layout of the 签字核对 strips, in points.
const (
	sigNameW       = 84.0  // the trainee column
	sigColMax      = 110.0 // a session column at most
	sigPerStrip    = 6     // sessions side by side; more go to a further block
	sigGap         = 3.0   // between two crops
	sigRowPad      = 2.0   // above and below a crop
	sigHeaderSize  = 7.5   // session labels and names
	sigMinCropH    = 8.0   // a crop at least this tall
	sigFrameSigned = 0.3   // frame widths
	sigFrameMarked = 1.2
)

// Frame colours of the boxes: 未签 red, 无法判断 orange, 已签 light grey.
var (
	sigEmpty  = pdfdoc.Red
	sigUnsure = pdfdoc.RGB{R: 0xef, G: 0x8f, B: 0x00}
	sigSigned = pdfdoc.RGB{R: 170, G: 170, B: 170}
)

// sigColour is the frame of a box in state s, and its width.
func sigColour(s yanshou.PaperBoxState) (pdfdoc.RGB, float64) {
	switch s {
	case yanshou.BoxEmpty:
		return sigEmpty, sigFrameMarked
	case yanshou.BoxUnsure:
		return sigUnsure, sigFrameMarked
	}
	return sigSigned, sigFrameSigned
}

// reportSignatures sets the 签字核对 of the paper sign-in sheets: for each
// trainee a strip of their signature boxes across the sessions, aligned in
// columns by session, so that a signature changing hand shows at a glance;
// then the walk-ins (names written in blank rows) with their crops. Nothing
// when the class sent no paper sheets.
func reportSignatures(d *pdfdoc.Doc, f *templates.Filler, r *yanshou.Result, cfg *yanshou.Config) error {
	if len(r.PaperBoxes) == 0 {
		return nil
	}
	var w signatureWords
	if err := loadWording(cfg, "signatures.yaml", &w); err != nil {
		return err
	}
	sessions, byTrainee, walkins := sigTable(r.PaperBoxes)
	var ts []yanshou.Trainee
	if r.Attendance != nil {
		ts = r.Attendance.Trainees
	}
	d.Space(6)
	d.Ensure(sizeBody*1.6 + 60)
	d.Para(w.Title, pdfdoc.TextStyle{Size: 10.5, Bold: true, After: 2})
	d.Para(f.Do(w.Intro, vars{"Trainees": len(byTrainee), "Sessions": len(sessions), "Boxes": len(r.PaperBoxes)}),
		pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray, Lead: 1.5})
	sigLegend(d, &w)
	trainees := make([]int, 0, len(byTrainee))
	for k := range byTrainee {
		trainees = append(trainees, k)
	}
	sort.Ints(trainees)
	for lo := 0; lo < len(sessions); lo += sigPerStrip {
		block := sessions[lo:min(lo+sigPerStrip, len(sessions))]
		colW := min(sigColMax, (d.CW-sigNameW)/float64(len(block)))
		header := func() {
			d.Ensure(sigHeaderSize*1.8 + sigMinCropH + 2*sigRowPad)
			d.SetColor(pdfdoc.Gray)
			d.Text(d.Left, d.Y, d.Fit(w.NameHeader, sigHeaderSize, sigNameW-sigGap), sigHeaderSize)
			for i, s := range block {
				label := d.Fit(f.Do(w.Session, vars{"Session": s}), sigHeaderSize, colW-sigGap)
				d.Text(d.Left+sigNameW+float64(i)*colW, d.Y, label, sigHeaderSize)
			}
			d.SetColor(pdfdoc.Black)
			d.Y += sigHeaderSize * 1.8
		}
		d.Space(4)
		header()
		for _, k := range trainees {
			row := byTrainee[k]
			h := sigMinCropH
			for _, s := range block {
				if b := row[s]; b != nil {
					h = max(h, sigCropHeight(b.PNG, colW-sigGap))
				}
			}
			if d.Y+h+2*sigRowPad > pdfdoc.Bottom {
				d.NewPage()
				header()
			}
			name := ""
			if k < len(ts) {
				name = f.Do(w.Name, vars{"Name": ts[k].Name, "Row": ts[k].Row})
			}
			d.SetColor(pdfdoc.Black)
			d.Text(d.Left, d.Y+sigRowPad+(h-sigHeaderSize)/2, d.Fit(name, sigHeaderSize, sigNameW-sigGap), sigHeaderSize)
			for i, s := range block {
				x := d.Left + sigNameW + float64(i)*colW
				sigCrop(d, &w, row[s], x, d.Y+sigRowPad, colW-sigGap, h)
			}
			d.Y += h + 2*sigRowPad
		}
	}
	if len(walkins) > 0 {
		d.Space(6)
		d.Ensure(sizeBody*1.6 + 3*sigMinCropH)
		d.Para(w.WalkinsTitle, pdfdoc.TextStyle{Size: sizeBody, Bold: true, After: 2})
		cropW := (d.CW - sigNameW*2) / 2
		for i, b := range walkins {
			if w.WalkinsMax > 0 && i == w.WalkinsMax {
				d.Para(f.Do(w.WalkinsMore, vars{"N": len(walkins) - i}), pdfdoc.TextStyle{Size: sizeSmall, Color: pdfdoc.Gray})
				break
			}
			h := max(sigMinCropH, sigCropHeight(b.PNG, cropW-sigGap), sigCropHeight(b.NamePNG, cropW-sigGap))
			d.Ensure(h + 2*sigRowPad)
			label := f.Do(w.Walkin, vars{"Session": b.Session, "Page": b.Page, "Row": b.Row, "File": b.File})
			lines := d.Lines(label, sigHeaderSize, sigNameW*2-sigGap)
			for j, l := range lines {
				d.Text(d.Left, d.Y+sigRowPad+float64(j)*sigHeaderSize*1.3, l, sigHeaderSize)
			}
			name := *b
			name.PNG, name.State = b.NamePNG, yanshou.BoxSigned
			sigCrop(d, &w, &name, d.Left+sigNameW*2, d.Y+sigRowPad, cropW-sigGap, h)
			sigCrop(d, &w, b, d.Left+sigNameW*2+cropW, d.Y+sigRowPad, cropW-sigGap, h)
			d.Y += max(h, float64(len(lines))*sigHeaderSize*1.3) + 2*sigRowPad
		}
	}
	d.Space(4)
	return nil
}

// sigTable orders the boxes: the sessions (sorted; their labels start with the
// date), each roster trainee's box by session, and the walk-ins in order of
// session, page and row.
func sigTable(boxes []yanshou.PaperBox) (sessions []string, byTrainee map[int]map[string]*yanshou.PaperBox, walkins []*yanshou.PaperBox) {
	byTrainee = map[int]map[string]*yanshou.PaperBox{}
	seen := map[string]bool{}
	for i := range boxes {
		b := &boxes[i]
		if !seen[b.Session] {
			seen[b.Session] = true
			sessions = append(sessions, b.Session)
		}
		if b.Trainee < 0 {
			walkins = append(walkins, b)
			continue
		}
		if byTrainee[b.Trainee] == nil {
			byTrainee[b.Trainee] = map[string]*yanshou.PaperBox{}
		}
		byTrainee[b.Trainee][b.Session] = b
	}
	sort.Strings(sessions)
	sort.SliceStable(walkins, func(i, j int) bool {
		a, b := walkins[i], walkins[j]
		if a.Session != b.Session {
			return a.Session < b.Session
		}
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Row < b.Row
	})
	return sessions, byTrainee, walkins
}

// sigCropHeight is the height of the crop set wd points wide (0 when none).
func sigCropHeight(data []byte, wd float64) float64 {
	if len(data) == 0 {
		return 0
	}
	c, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || c.Width <= 0 {
		return 0
	}
	return wd * float64(c.Height) / float64(c.Width)
}

// sigCrop draws box b's crop in the cell at x, y (wd × ht points), framed in
// the colour of its state; a cell without a box (the page was not read) says so.
func sigCrop(d *pdfdoc.Doc, w *signatureWords, b *yanshou.PaperBox, x, y, wd, ht float64) {
	if b == nil {
		d.Frame(x, y, wd, ht, sigFrameSigned, sigSigned)
		d.SetColor(pdfdoc.Gray)
		d.TextCenter(x+wd/2, y+(ht-sigHeaderSize)/2, w.Missing, sigHeaderSize)
		d.SetColor(pdfdoc.Black)
		return
	}
	var img image.Image
	if len(b.PNG) > 0 {
		img, _ = png.Decode(bytes.NewReader(b.PNG))
	}
	if img != nil {
		ih := min(ht, sigCropHeight(b.PNG, wd))
		keep := d.Y
		d.Y = y + (ht-ih)/2
		d.Figure(img, x, wd, ih)
		d.Y = keep
	}
	c, lw := sigColour(b.State)
	d.Frame(x, y, wd, ht, lw, c)
}

// sigLegend sets the frame colours and their meaning on one line.
func sigLegend(d *pdfdoc.Doc, w *signatureWords) {
	const size, lh = sizeSmall, sizeSmall * 1.6
	d.Ensure(lh)
	x := d.Left
	for _, k := range []struct {
		s yanshou.PaperBoxState
		t string
	}{{yanshou.BoxSigned, w.LegendSigned}, {yanshou.BoxEmpty, w.LegendEmpty}, {yanshou.BoxUnsure, w.LegendUnsure}} {
		c, lw := sigColour(k.s)
		d.Frame(x, d.Y+(lh-size*0.8)/2, size*1.6, size*0.8, lw, c)
		d.SetColor(pdfdoc.Black)
		t := d.Clean(k.t)
		d.Draw(x+size*2, d.Y+(lh-size)/2, t, false)
		x += size*2 + d.Width(t) + size*1.5
	}
	d.Y += lh
}
