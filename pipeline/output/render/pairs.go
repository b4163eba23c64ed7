package render

import (
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// pairWords is templates/report/pairs.yaml.
type pairWords struct {
	ReportTitle string `yaml:"report_title"`
	NoticeTitle string `yaml:"notice_title"`
	Intro       string `yaml:"intro"`
	NoticeIntro string `yaml:"notice_intro"`
	Kind        struct {
		Reused  string `yaml:"reused"`
		Similar string `yaml:"similar"`
		InClass string `yaml:"in_class"`
	} `yaml:"kind"`
	Head               string `yaml:"head"`
	This               string `yaml:"this"`
	Other              string `yaml:"other"`
	OtherInClass       string `yaml:"other_in_class"`
	OtherNotice        string `yaml:"other_notice"`
	OtherNoticeForeign string `yaml:"other_notice_foreign"`
	Taken              string `yaml:"taken"`
	TakenUnknown       string `yaml:"taken_unknown"`
	Measure            string `yaml:"measure"`
	MeasureUnaligned   string `yaml:"measure_unaligned"`
	MeasureSameFile    string `yaml:"measure_same_file"`
	Missing            string `yaml:"missing"`
	Unreadable         string `yaml:"unreadable"`
	More               string `yaml:"more"`
	Max                int    `yaml:"max"`
}

// reportPairs sets, after the photo list of the report, every pair of the
// class's photos side by side, the other class named in full (the report is
// the office's).
func reportPairs(d *pdfdoc.Doc, f *templates.Filler, r *yanshou.Result, cfg *yanshou.Config) error {
	pairs := pairsOf(r, func(yanshou.PhotoPair) bool { return true })
	if len(pairs) == 0 {
		return nil
	}
	var w pairWords
	if err := loadWording(cfg, "pairs.yaml", &w); err != nil {
		return err
	}
	pairSection(d, f, &w, w.ReportTitle, r, cfg, pairs, pairLayout{title: 12, size: sizeSmall})
	return nil
}

// noticePairs sets, on a page after the veto notice's signature, the pairs
// behind a photos.reused veto among reasons: the earlier photo is the
// evidence and is shown, but another institution's class is not named to
// this one (see otherForNotice).
func noticePairs(d *pdfdoc.Doc, f *templates.Filler, r *yanshou.Result, cfg *yanshou.Config, reasons []yanshou.Finding) error {
	vetoed := false
	for _, fd := range reasons {
		vetoed = vetoed || fd.Rule == yanshou.EvPhotosReused
	}
	if !vetoed {
		return nil
	}
	pairs := pairsOf(r, func(q yanshou.PhotoPair) bool { return q.Kind == yanshou.PairReused && q.ClassID != "" })
	if len(pairs) == 0 {
		return nil
	}
	var w pairWords
	if err := loadWording(cfg, "pairs.yaml", &w); err != nil {
		return err
	}
	d.NewPage()
	pairSection(d, f, &w, w.NoticeTitle, r, cfg, pairs, pairLayout{title: sizeSection, size: 10.5, face: pdfdoc.FaceFang, notice: true})
	return nil
}

// shownPair is one pair to show: the photo of this class and its pair.
type shownPair struct {
	photo *yanshou.Photo
	pair  yanshou.PhotoPair
}

// pairsOf lists the pairs of r's photos that keep says to show: the
// repeated ones (another class's) first, then the in-class duplicates, then the
// similar ones, each group in the photos' order.
func pairsOf(r *yanshou.Result, keep func(yanshou.PhotoPair) bool) []shownPair {
	rank := func(q yanshou.PhotoPair) int {
		switch {
		case q.Kind == yanshou.PairReused && q.ClassID != "":
			return 0
		case q.Kind == yanshou.PairReused:
			return 1
		}
		return 2
	}
	var out []shownPair
	for g := 0; g < 3; g++ {
		for i := range r.Photos {
			for _, q := range r.Photos[i].Pairs {
				if rank(q) == g && keep(q) {
					out = append(out, shownPair{&r.Photos[i], q})
				}
			}
		}
	}
	return out
}

// pairSide is the long side, in pixels, of a picture of a pair: larger than a
// thumbnail, as the two are compared by eye.
const pairSide = 480

// pairLayout is how a pair block is set: the text size and face of the
// document it is in, and whether the other class is named (the report, for the
// office) or only described (the notice, for the institution).
type pairLayout struct {
	title  float64 // size of the heading
	size   float64
	face   pdfdoc.Face
	notice bool
}

// pairSection sets each pair side by side — this class's photo on the left,
// the other on the right, each with its file and time, the measure under them —
// under title, at most pairs.max of them. An original not kept or not readable
// is said in its place; the document is never refused for it.
func pairSection(d *pdfdoc.Doc, f *templates.Filler, w *pairWords, title string, r *yanshou.Result, cfg *yanshou.Config, pairs []shownPair, l pairLayout) {
	if len(pairs) == 0 {
		return
	}
	shown := pairs
	if w.Max > 0 && len(shown) > w.Max {
		shown = shown[:w.Max]
	}
	left, right := pairImages(r, cfg, shown)
	sums := map[string]string{}
	for _, x := range files(r) {
		sums[x.Rel] = x.SHA256
	}
	lh := l.size * 1.5
	boxH := 170.0
	block := lh*2 + boxH + 6 + lh*4 + lh*2 + 14
	d.Space(8)
	d.Ensure(l.title*1.6 + block)
	d.Para(title, pdfdoc.TextStyle{Size: l.title, Bold: true, After: 2, Face: l.face})
	intro := w.Intro
	if l.notice {
		intro = w.NoticeIntro
	}
	d.Para(intro, pdfdoc.TextStyle{Size: l.size, Color: pdfdoc.Gray, After: 4, Face: l.face})
	gap := 12.0
	cw := (d.CW - gap) / 2
	for i, s := range shown {
		d.Ensure(block)
		d.Para(f.Do(w.Head, vars{"N": i + 1, "Kind": pairKind(w, s.pair)}), pdfdoc.TextStyle{Size: l.size, Bold: true, Lead: 1.5, Face: l.face,
			Color: map[bool]pdfdoc.RGB{true: pdfdoc.Red, false: pdfdoc.Black}[s.pair.Kind == yanshou.PairReused]})
		top := d.Y + 2
		other := f.Do(w.Other, vars{"Label": s.pair.Label, "Version": s.pair.Version, "File": s.pair.File})
		switch {
		case s.pair.ClassID == "":
			other = f.Do(w.OtherInClass, vars{"File": s.pair.File})
		case l.notice:
			other = otherForNotice(f, w, r, s.pair)
		}
		o := otherOriginal(r, s.pair)
		cols := []struct {
			img   *pdfdoc.Image
			label string
			taken string
			note  string
		}{
			{left[i], f.Do(w.This, vars{"File": s.photo.File}), takenText(f, w, s.photo.Taken, cfg), w.Unreadable},
			{right[i], other, takenText(f, w, o.Taken, cfg), w.Missing},
		}
		if o.Path != "" {
			cols[1].note = w.Unreadable
		}
		bottom := top
		for c, col := range cols {
			x := d.Left + float64(c)*(cw+gap)
			d.Frame(x, top, cw, boxH, 0.5, pdfdoc.RGB{R: 180, G: 180, B: 180})
			if col.img != nil {
				d.Thumb(col.img, x+2, top+2, cw-4, boxH-4)
			} else {
				d.SetColor(pdfdoc.Gray)
				for j, line := range d.Lines(col.note, l.size, cw-12) {
					d.TextCenter(x+cw/2, top+boxH/2-lh/2+float64(j)*lh, line, l.size)
				}
				d.SetColor(pdfdoc.Black)
			}
			y := top + boxH + 4
			for _, s := range []string{col.label, col.taken} {
				for _, line := range d.Lines(s, l.size, cw) {
					d.Text(x, y, line, l.size)
					y += lh
				}
			}
			bottom = max(bottom, y)
		}
		d.Y = bottom + 2
		d.Para(pairMeasure(f, w, s, sums[s.photo.File]), pdfdoc.TextStyle{Size: l.size, Lead: 1.5, After: 10, Face: l.face})
	}
	if n := len(pairs) - len(shown); n > 0 {
		d.Para(f.Do(w.More, vars{"N": n}), pdfdoc.TextStyle{Size: l.size, Color: pdfdoc.Gray, After: 4, Face: l.face})
	}
}

// pairKind is the heading word of a pair.
func pairKind(w *pairWords, q yanshou.PhotoPair) string {
	switch {
	case q.Kind == yanshou.PairReused && q.ClassID == "":
		return w.Kind.InClass
	case q.Kind == yanshou.PairReused:
		return w.Kind.Reused
	}
	return w.Kind.Similar
}

// pairMeasure says how the two were found alike: the same bytes, or the
// distance of their hashes and — when the pair was aligned and compared cell
// by cell — the share of cells that agree.
func pairMeasure(f *templates.Filler, w *pairWords, s shownPair, sha string) string {
	switch {
	case sha != "" && s.pair.SHA256 == sha:
		return w.MeasureSameFile
	case s.pair.Share > 0:
		return f.Do(w.Measure, vars{"Distance": s.pair.Distance, "Share": zh.Percent(s.pair.Share)})
	}
	return f.Do(w.MeasureUnaligned, vars{"Distance": s.pair.Distance})
}

// otherForNotice names the other photo in a notice to the institution: a class
// of its own by its name (the label after the institution's), another
// institution's class not at all — the notice says "another class" and the
// photo's date is in its time line. The office's report names both.
func otherForNotice(f *templates.Filler, w *pairWords, r *yanshou.Result, q yanshou.PhotoPair) string {
	if c := classOf(r); c != nil && c.Institution != "" {
		if rest, ok := strings.CutPrefix(q.Label, c.Institution+" "); ok {
			return f.Do(w.OtherNotice, vars{"Class": rest, "File": q.File})
		}
	}
	return w.OtherNoticeForeign
}

// takenText is a photo's time line, in the county's zone.
func takenText(f *templates.Filler, w *pairWords, t *time.Time, cfg *yanshou.Config) string {
	if t == nil {
		return w.TakenUnknown
	}
	return f.Do(w.Taken, vars{"Taken": local(*t, cfg).Format("2006-01-02 15:04")})
}

// otherOriginal is where the other photo of q is and when it was taken: as the
// driver found it (Result.PairOriginals), else — a photo of this class — the
// submitted file.
func otherOriginal(r *yanshou.Result, q yanshou.PhotoPair) yanshou.PairOriginal {
	if o, ok := r.PairOriginals[q.SHA256]; ok {
		return o
	}
	if q.ClassID == "" {
		for _, x := range files(r) {
			if x.Rel == q.File {
				o := yanshou.PairOriginal{Path: x.Abs}
				for i := range r.Photos {
					if r.Photos[i].File == q.File {
						o.Taken = r.Photos[i].Taken
					}
				}
				return o
			}
		}
	}
	return yanshou.PairOriginal{}
}

// pairImages prepares the two pictures of each pair (nil where not kept or not
// readable), two at a time as the thumbnails are.
func pairImages(r *yanshou.Result, cfg *yanshou.Config, pairs []shownPair) (left, right []*pdfdoc.Image) {
	abs := map[string]string{}
	for _, x := range files(r) {
		abs[x.Rel] = x.Abs
	}
	paths := make([]string, 0, 2*len(pairs))
	for _, s := range pairs {
		paths = append(paths, shownPicture(*s.photo, abs[s.photo.File]), otherOriginal(r, s.pair).Path)
	}
	imgs := prepareImages(paths, cfg, pairSide)
	left, right = make([]*pdfdoc.Image, len(pairs)), make([]*pdfdoc.Image, len(pairs))
	for i := range pairs {
		left[i], right[i] = imgs[2*i], imgs[2*i+1]
	}
	return left, right
}
