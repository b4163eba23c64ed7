package archive

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/zh"
	"yanshou/templates"
)

// words is templates/report/archive.yaml: the wording of the bound
// archive (归档-<holder>.pdf) and of the problems met while binding it.
type words struct {
	Title            string `yaml:"title"`
	Subject          string `yaml:"subject"`
	Programme        string `yaml:"programme"`
	RunningHead      string `yaml:"running_head"`
	CopyMark         string `yaml:"copy_mark"`
	Holder           string `yaml:"holder"`
	InstitutionCopy  string `yaml:"institution_copy"`
	Footer           string `yaml:"footer"`
	FooterLeft       string `yaml:"footer_left"`
	VerdictPass      string `yaml:"verdict_pass"`
	VerdictRectified string `yaml:"verdict_rectified"`
	Cover            struct {
		Institution string `yaml:"institution"`
		Title       string `yaml:"title"`
		Class       string `yaml:"class"`
		Dates       string `yaml:"dates"`
		Venue       string `yaml:"venue"`
		Approval    string `yaml:"approval"`
		Verdict     string `yaml:"verdict"`
		ID          string `yaml:"id"`
		IDValue     string `yaml:"id_value"`
		ContentHash string `yaml:"content_hash"`
		DateRange   string `yaml:"date_range"`
		Unknown     string `yaml:"unknown"`
		Note        string `yaml:"note"`
		Measures    string `yaml:"measures"`
		Office      string `yaml:"office"`
		Date        string `yaml:"date"`
		// Reviewed: the line of a reviewed archive (bound again after the
		// office confirmed the verdict) saying on whose confirmation.
		Reviewed string `yaml:"reviewed"`
	} `yaml:"cover"`
	TOC struct {
		Title   string `yaml:"title"`
		Section string `yaml:"section"`
		Files   string `yaml:"files"`
		Others  string `yaml:"others"`
	} `yaml:"toc"`
	Divider struct {
		Title   string `yaml:"title"`
		Count   string `yaml:"count"`
		None    string `yaml:"none"`
		Article string `yaml:"article"`
	} `yaml:"divider"`
	PageCaption    string `yaml:"page_caption"`
	PhotoCaption   string `yaml:"photo_caption"`
	ImageCaption   string `yaml:"image_caption"`
	SheetCaption   string `yaml:"sheet_caption"`
	SheetTruncated string `yaml:"sheet_truncated"`
	SheetEmpty     string `yaml:"sheet_empty"`
	Info           struct {
		Title       string `yaml:"title"`
		FailedTitle string `yaml:"failed_title"`
		File        string `yaml:"file"`
		Size        string `yaml:"size"`
		SHA256      string `yaml:"sha256"`
		Reason      string `yaml:"reason"`
		Kept        string `yaml:"kept"`
	} `yaml:"info"`
	Files struct {
		Title       string   `yaml:"title"`
		Verdict     string   `yaml:"verdict"`
		Header      []string `yaml:"header"`
		ContentHash string   `yaml:"content_hash"`
		None        string   `yaml:"none"`
		Signoff     []string `yaml:"signoff"`
	} `yaml:"files"`
	Problems struct {
		Encrypted     string `yaml:"encrypted"`
		Broken        string `yaml:"broken"`
		Import        string `yaml:"import"`
		Image         string `yaml:"image"`
		ImageTooLarge string `yaml:"image_too_large"`
		NoConverter   string `yaml:"no_converter"`
		Convert       string `yaml:"convert"`
		Table         string `yaml:"table"`
		Unsupported   string `yaml:"unsupported"`
		TooBig        string `yaml:"too_big"`
		FontsNoTool   string `yaml:"fonts_no_tool"`
		FontsFailed   string `yaml:"fonts_failed"`
	} `yaml:"problems"`
	ListSep          string `yaml:"list_sep"`
	MissingGlyphNote string `yaml:"missing_glyph_note"`
}

// loadWords reads templates/report/archive.yaml, with the county's override
// on top (see templates.Load).
func loadWords(cfg *yanshou.Config) (*words, error) {
	var w words
	if err := templates.Load(cfg.Templates, "report/archive.yaml", &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// photoWords are the keys of templates/report/report.yaml the photo captions
// share with the report's photo table.
type photoWords struct {
	Photos  templates.PhotoWords `yaml:"photos"`
	ListSep string               `yaml:"list_sep"`
}

// Book is the bound archive of one passed version as pipeline/output/archive prepared
// it: the materials of 第十一条 in binding order, each file ready to be set.
type Book struct {
	Result    *yanshou.Result
	Rectified bool      // a pass after a fail or veto: marked 整改后合格
	Sections  []Section // in binding order; Kind Other last when present
}

// Section is one material of 第十一条 (or the unrecognised files).
type Section struct {
	Kind  yanshou.MaterialKind
	Items []Item
}

// Item is one submitted file, prepared for binding. Exactly one of PDF, Image,
// Sheets or Note is set.
type Item struct {
	File   yanshou.File
	PDF    *PDFSource     // a PDF (or a document converted to PDF), normalised for import
	Image  *pdfdoc.Image  // a picture, upright and resized
	Photo  *yanshou.Photo // the photo's facts and judgements, for the caption; nil for other pictures
	Sheets []Sheet        // a roster, sign-in or follow-up table
	Note   string         // why only the file's name, size and hash are shown
	Failed bool           // Note describes a failed import
}

// PDFSource is a PDF gopdf can import: its path and page sizes in points
// (rotation applied).
type PDFSource struct {
	Path  string
	Sizes [][2]float64
	// FontNote says, in Chinese, which fonts the file uses without embedding
	// them and why they could not be embedded; "" when every font is embedded.
	// It is set under the caption of the file's first page.
	FontNote string
}

// Sheet is one worksheet (or CSV) set as a table: title lines above the header,
// the header (repeated on every page) and the rows.
type Sheet struct {
	Name      string
	Title     []string
	Header    []string
	Rows      [][]string
	Truncated int // rows left out
}

// copyMark identifies one copy of the archive.
type copyMark struct {
	Holder string // who keeps it (an entry of archive_copies)
	N, Of  int    // 第N份 共Of份
}

// bindMargin is the binding margin: extra room on the left of odd pages.
const bindMargin = 22.0

// sizeSection is the size of a section title, as in the report.
const sizeSection = 13.5

var errNoResult = errors.New("archive：没有验收结果可供装订")

// vars are the values a wording text may use.
type vars = map[string]any

// ErrImport is wrapped by Archive's error when gopdf failed to import a page
// that pipeline/output/archive had checked; the caller may retry without that file.
var ErrImport = errors.New("导入 PDF 页面失败")

// ImportError names the file whose import failed while setting the archive.
type ImportError struct {
	File string
	Err  any
}

// Error names the file and what the importer said.
func (e *ImportError) Error() string { return fmt.Sprintf("%s：%v", e.File, e.Err) }

// Unwrap makes errors.Is(err, ErrImport) hold.
func (e *ImportError) Unwrap() error { return ErrImport }

// setBook writes one copy of the bound archive to path. A missing font is
// fonts.Find's error; characters no font has are drawn as □ and reported by a
// *MissingGlyphsError after the file is written. A page import that panics
// gives an *ImportError (nothing is written).
func setBook(path string, b *Book, c copyMark, cfg *yanshou.Config) (err error) {
	if b == nil || b.Result == nil {
		return errNoResult
	}
	w, err := loadWords(cfg)
	if err != nil {
		return err
	}
	var rw photoWords
	if err := templates.LoadPart(cfg.Templates, "report/report.yaml", &rw); err != nil {
		return err
	}
	font := cfg.Fonts
	name := path[strings.LastIndexAny(path, `/\`)+1:]
	d, err := pdfdoc.NewBound(font, name, bindMargin)
	if err != nil {
		return err
	}
	a := &archiver{d: d, f: &templates.Filler{}, w: w, rw: &rw, b: b, c: c, cfg: cfg, r: b.Result}
	a.v = a.vars()
	if err := a.set(); err != nil {
		return err
	}
	if a.f.Err != nil {
		return a.f.Err
	}
	return d.Save(path, pdfdoc.Info{Title: w.Title, Author: office(cfg), Subject: w.Subject,
		Keywords: bookKeywords(b.Result, c), Created: local(b.Result.CheckedAt, cfg)})
}

// bookKeywords are the PDF keywords of an archive copy: submission id,
// version, content hash and copy, so that `yanshou verify` can say which
// archive a changed file claims to be.
func bookKeywords(r *yanshou.Result, c copyMark) string {
	ch := ""
	if r.Submission != nil {
		ch = r.Submission.ContentHash
	}
	return fmt.Sprintf("%s v%d %s copy %d/%d", r.ID, r.Version, ch, c.N, c.Of)
}

// archiver sets one copy.
type archiver struct {
	d   *pdfdoc.Doc
	f   *templates.Filler
	w   *words
	rw  *photoWords
	b   *Book
	c   copyMark
	cfg *yanshou.Config
	r   *yanshou.Result
	v   vars

	coverNoteY float64 // where the cover's note goes once the page count is known
}

func (a *archiver) vars() vars {
	v := baseVars(a.r, a.cfg)
	v["Copy"], v["Copies"], v["Holder"] = a.c.N, a.c.Of, a.c.Holder
	v["Institution"], v["Class"], v["Title"] = "", "", ""
	if c := classOf(a.r); c != nil {
		v["Institution"], v["Class"], v["Title"] = c.Institution, c.Class, c.Title
	}
	v["Verdict"] = a.w.VerdictPass
	if a.b.Rectified {
		v["Verdict"] = a.w.VerdictRectified
	}
	v["Date"] = ""
	if !a.r.CheckedAt.IsZero() {
		v["Date"] = yanshou.Date{Time: local(a.r.CheckedAt, a.cfg)}.Chinese()
	}
	return v
}

func (a *archiver) with(extra vars) vars {
	v := vars{}
	for k, x := range a.v {
		v[k] = x
	}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

// tocEntry is one line of the table of contents.
type tocEntry struct {
	text  string
	page  int
	level int // 0 section, 1 file
}

const (
	tocSectionH = 22.0
	tocFileH    = 15.0
	tocTop      = pdfdoc.MarginT + 50
)

// tocPages lays out entries and returns, per entry, its page offset (0-based)
// and y, and the number of pages.
func tocPages(entries []tocEntry) ([]int, []float64, int) {
	pages, ys := make([]int, len(entries)), make([]float64, len(entries))
	p, y := 0, tocTop
	for i, e := range entries {
		h := tocFileH
		if e.level == 0 {
			h = tocSectionH
		}
		if y+h > pdfdoc.Bottom {
			p, y = p+1, pdfdoc.MarginT
		}
		pages[i], ys[i] = p, y
		y += h
	}
	return pages, ys, p + 1
}

// set lays out every page: cover, contents, the sections, the file list, then
// goes back to fill the contents and the footers.
func (a *archiver) set() (err error) {
	d := a.d
	a.cover()
	var entries []tocEntry
	for _, s := range a.b.Sections {
		entries = append(entries, tocEntry{level: 0})
		for range s.Items {
			entries = append(entries, tocEntry{level: 1})
		}
	}
	entries = append(entries, tocEntry{level: 0})
	_, _, nToc := tocPages(entries)
	tocFirst := d.GP.GetNumberOfPages() + 1
	for i := 0; i < nToc; i++ {
		d.NewPage()
	}
	e := 0
	for si, s := range a.b.Sections {
		n := si + 1
		title := a.f.Do(a.w.TOC.Section, vars{"N": zh.Number(n), "Name": s.Kind.String()})
		if s.Kind == yanshou.Other {
			title = a.f.Do(a.w.TOC.Section, vars{"N": zh.Number(n), "Name": a.w.TOC.Others})
		}
		d.NewPage()
		entries[e] = tocEntry{text: title, page: d.GP.GetNumberOfPages()}
		e++
		a.divider(s, n, title)
		pair := 0 // photos are set two to a page
		for _, it := range s.Items {
			start, err := a.item(s.Kind, it, &pair)
			if err != nil {
				return err
			}
			entries[e] = tocEntry{text: it.File.Rel, page: start, level: 1}
			e++
		}
	}
	d.NewPage()
	entries[e] = tocEntry{text: a.w.TOC.Files, page: d.GP.GetNumberOfPages()}
	a.fileList()
	a.contents(tocFirst, entries)
	total := d.GP.GetNumberOfPages()
	a.v["Pages"] = total
	head := a.f.Do(a.w.RunningHead, a.v)
	d.PageTexts("", func(p, n int) (string, string) {
		if p == 1 {
			return "", ""
		}
		d.SetSize(8.5)
		d.SetColor(pdfdoc.Gray)
		h := d.Clean(head)
		d.LineAt(d.Left, pdfdoc.MarginT-26, d.CW, h, pdfdoc.AlignRight, false)
		d.GP.SetStrokeColor(150, 150, 150)
		d.GP.Line(d.Left, pdfdoc.MarginT-14, d.Left+d.CW, pdfdoc.MarginT-14)
		d.GP.SetStrokeColor(0, 0, 0)
		v := a.with(vars{"Page": p, "Pages": n})
		return a.f.Do(a.w.FooterLeft, v), a.f.Do(a.w.Footer, v)
	})
	// The cover's note names the page count, known only now.
	d.Fail(d.GP.SetPage(1))
	d.SetPageMargins(1)
	d.Y = a.coverNoteY
	d.Para(a.f.Do(a.w.Cover.Note, a.with(vars{"Measures": a.w.Cover.Measures, "Pages": total})),
		pdfdoc.TextStyle{Size: 10, Color: pdfdoc.Gray, First: 2, Lead: 1.6})
	return nil
}

// cover sets page 1: programme, title, copy mark and holder, the class facts,
// the verdict and the office.
func (a *archiver) cover() {
	d, w, f := a.d, a.w, a.f
	// Copy mark, top right, in a red frame.
	mark := f.Do(w.CopyMark, a.v)
	d.SetSize(14)
	mw := d.Width(d.Clean(mark)) + 20
	x := d.Left + d.CW - mw
	d.GP.SetStrokeColor(pdfdoc.Red.R, pdfdoc.Red.G, pdfdoc.Red.B)
	d.GP.SetLineWidth(1.2)
	d.GP.RectFromUpperLeft(x, pdfdoc.MarginT-20, mw, 28)
	d.GP.SetLineWidth(0.5)
	d.GP.SetStrokeColor(0, 0, 0)
	d.SetColor(pdfdoc.Red)
	d.LineAt(x, pdfdoc.MarginT-13, mw, d.Clean(mark), pdfdoc.AlignCenter, true)
	d.SetColor(pdfdoc.Black)
	d.Y = pdfdoc.MarginT + 14
	d.Para(f.Do(w.Holder, a.v), pdfdoc.TextStyle{Size: 11, Align: pdfdoc.AlignRight, After: 60})
	d.Para(w.Programme, pdfdoc.TextStyle{Size: 16, Align: pdfdoc.AlignCenter, Lead: 1.8})
	d.Para(w.Title, pdfdoc.TextStyle{Size: 30, Align: pdfdoc.AlignCenter, Bold: true, Lead: 1.6, After: 36})

	c := classOf(a.r)
	or := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return w.Cover.Unknown
		}
		return s
	}
	var inst, title, class, dates, venue, approval string
	if c != nil {
		inst, title, class, venue, approval = c.Institution, c.Title, c.Class, c.Venue, c.ApprovalNo
		if !c.Start.IsZero() {
			dates = f.Do(w.Cover.DateRange, vars{"Start": c.Start.Chinese(), "End": c.End.Chinese()})
		}
	}
	ch := ""
	if a.r.Submission != nil {
		ch = a.r.Submission.ContentHash
	}
	rows := [][]string{
		{w.Cover.Institution, or(inst)},
		{w.Cover.Title, or(title)},
		{w.Cover.Class, or(class)},
		{w.Cover.Dates, or(dates)},
		{w.Cover.Venue, or(venue)},
		{w.Cover.Approval, or(approval)},
		{w.Cover.Verdict, fmt.Sprint(a.v["Verdict"])},
		{w.Cover.ID, f.Do(w.Cover.IDValue, a.v)},
	}
	d.Table(pdfdoc.Table{Size: 11.5, Cols: []pdfdoc.Column{{Share: 0.24, Shade: true, Align: pdfdoc.AlignCenter}, {Share: 0.76}},
		Color: func(row, col int) pdfdoc.RGB {
			if row == 6 && col == 1 {
				return pdfdoc.Green
			}
			return pdfdoc.Black
		}}, rows)
	d.Space(6)
	d.Para(w.Cover.ContentHash+"："+or(ch), pdfdoc.TextStyle{Size: 9, Color: pdfdoc.Gray, Lead: 1.5})
	if rv := a.r.Review; rv != nil {
		c := rv.Confirmed
		d.Space(4)
		d.Para(f.Do(w.Cover.Reviewed, vars{"Program": rv.Program.Chinese(), "Final": rv.Final.Chinese(), "Set": rv.Set,
			"Reviewer": c.Reviewer, "Role": c.Role, "At": local(c.At, a.cfg).Format("2006年1月2日 15:04"), "Reason": c.Reason}),
			pdfdoc.TextStyle{Size: 10.5, Lead: 1.6})
	}
	d.Space(10)
	a.coverNoteY = d.Y
	d.Y = pdfdoc.Bottom - 70
	d.Para(f.Do(w.Cover.Office, a.v), pdfdoc.TextStyle{Size: 14, Align: pdfdoc.AlignCenter, Lead: 1.8})
	d.Para(f.Do(w.Cover.Date, a.v), pdfdoc.TextStyle{Size: 12, Align: pdfdoc.AlignCenter})
}

// contents fills the reserved pages from first with the entries and their pages.
func (a *archiver) contents(first int, entries []tocEntry) {
	d := a.d
	pages, ys, _ := tocPages(entries)
	last := -1
	for i, e := range entries {
		if pages[i] != last {
			last = pages[i]
			p := first + last
			d.Fail(d.GP.SetPage(p))
			d.SetPageMargins(p)
			if last == 0 {
				d.Y = pdfdoc.MarginT
				d.Para(a.w.TOC.Title, pdfdoc.TextStyle{Size: 18, Align: pdfdoc.AlignCenter, Bold: true})
			}
		}
		size, indent := 12.0, 0.0
		if e.level == 1 {
			size, indent = 9.5, 2*12.0
		}
		d.SetSize(size)
		num := fmt.Sprint(e.page)
		nw := d.Width(num)
		text := d.Clean(e.text)
		room := d.CW - indent - nw - 3*size
		if d.Width(text) > room { // one line: shorten long file names in the middle
			rs := []rune(text)
			for len(rs) > 8 && d.Width(string(rs)+"…") > room {
				rs = append(rs[:len(rs)/2-1], rs[len(rs)/2+1:]...)
			}
			text = string(rs[:len(rs)/2]) + "…" + string(rs[len(rs)/2:])
		}
		y := ys[i] + 3
		d.Draw(d.Left+indent, y, text, e.level == 0)
		tw := d.Width(text)
		dot := d.Width("·")
		if dot > 0 {
			from, to := d.Left+indent+tw+size*0.5, d.Left+d.CW-nw-size*0.5
			if n := int((to - from) / dot); n > 0 {
				d.SetColor(pdfdoc.Gray)
				d.Draw(to-float64(n)*dot, y, strings.Repeat("·", n), false)
				d.SetColor(pdfdoc.Black)
			}
		}
		d.Draw(d.Left+d.CW-nw, y, num, e.level == 0)
	}
}

// divider sets a material's divider page.
func (a *archiver) divider(s Section, n int, title string) {
	d, w, f := a.d, a.w, a.f
	d.Y = pdfdoc.PageH * 0.28
	if s.Kind != yanshou.Other {
		d.Para(f.Do(w.Divider.Article, vars{"N": zh.Number(n)}), pdfdoc.TextStyle{Size: 11, Color: pdfdoc.Gray, Align: pdfdoc.AlignCenter, After: 6})
	}
	d.Para(title, pdfdoc.TextStyle{Size: 28, Align: pdfdoc.AlignCenter, Bold: true, Lead: 1.5, After: 10})
	d.Rule(pdfdoc.Black, 1)
	d.Space(14)
	if len(s.Items) == 0 {
		d.Para(w.Divider.None, pdfdoc.TextStyle{Size: 13, Color: pdfdoc.Red, Align: pdfdoc.AlignCenter})
		return
	}
	d.Para(f.Do(w.Divider.Count, vars{"Count": len(s.Items)}), pdfdoc.TextStyle{Size: 12, Align: pdfdoc.AlignCenter, After: 8})
	limit := 30
	for i, it := range s.Items {
		if i == limit {
			d.Para(fmt.Sprintf("…（%d）", len(s.Items)), pdfdoc.TextStyle{Size: 9.5, Color: pdfdoc.Gray, Align: pdfdoc.AlignCenter})
			break
		}
		d.Para(it.File.Rel, pdfdoc.TextStyle{Size: 9.5, Color: pdfdoc.Gray, Align: pdfdoc.AlignCenter, Lead: 1.45})
	}
}

// item sets one file and returns the page it starts on.
func (a *archiver) item(kind yanshou.MaterialKind, it Item, pair *int) (int, error) {
	d := a.d
	switch {
	case it.PDF != nil:
		*pair = 0
		return a.pdfPages(it)
	case it.Image != nil:
		photo := kind.IsPhoto()
		slotH := pdfdoc.Bottom - pdfdoc.MarginT
		if photo {
			slotH = (pdfdoc.Bottom - pdfdoc.MarginT - 16) / 2
			if *pair == 0 {
				d.NewPage()
			} else {
				d.Y = pdfdoc.MarginT + slotH + 16
			}
			*pair = (*pair + 1) % 2
		} else {
			*pair = 0
			d.NewPage()
		}
		start := d.GP.GetNumberOfPages()
		a.image(it, slotH)
		return start, nil
	case len(it.Sheets) > 0:
		*pair = 0
		d.NewPage()
		start := d.GP.GetNumberOfPages()
		a.sheets(it)
		return start, nil
	}
	*pair = 0
	d.NewPage()
	start := d.GP.GetNumberOfPages()
	a.info(it)
	return start, nil
}

// pdfPages imports every page of a prepared PDF, each scaled into the type area
// under a caption line. A panic in the importer becomes an *ImportError.
func (a *archiver) pdfPages(it Item) (start int, err error) {
	d := a.d
	defer func() {
		if r := recover(); r != nil {
			err = &ImportError{File: it.File.Rel, Err: r}
		}
	}()
	for i, size := range it.PDF.Sizes {
		d.NewPage()
		if i == 0 {
			start = d.GP.GetNumberOfPages()
		}
		d.Para(a.f.Do(a.w.PageCaption, vars{"File": it.File.Rel, "Page": i + 1, "Pages": len(it.PDF.Sizes)}),
			pdfdoc.TextStyle{Size: 8.5, Color: pdfdoc.Gray, Lead: 1.3, After: 3})
		if i == 0 && it.PDF.FontNote != "" {
			d.Para(it.PDF.FontNote, pdfdoc.TextStyle{Size: 8.5, Color: pdfdoc.Gray, Lead: 1.3, After: 3})
		}
		tpl := d.GP.ImportPage(it.PDF.Path, i+1, "/MediaBox")
		boxW, boxH := d.CW, pdfdoc.Bottom-d.Y
		w, h := size[0], size[1]
		if w <= 0 || h <= 0 {
			w, h = pdfdoc.PageW, pdfdoc.PageH
		}
		s := math.Min(boxW/w, boxH/h)
		x := d.Left + (boxW-w*s)/2
		d.GP.UseImportedTemplate(tpl, x, d.Y, w*s, h*s)
		d.GP.SetStrokeColor(190, 190, 190)
		d.GP.RectFromUpperLeft(x, d.Y, w*s, h*s)
		d.GP.SetStrokeColor(0, 0, 0)
	}
	return start, nil
}

// image sets a picture scaled into a slot of height slotH at the cursor, with
// its caption below.
func (a *archiver) image(it Item, slotH float64) {
	d, w, f := a.d, a.w, a.f
	capH := 26.0
	if it.Photo != nil && it.Photo.Video {
		capH += 12 // the video's facts line
	}
	boxW, boxH := d.CW, slotH-capH
	img := it.Image
	s := math.Min(boxW/float64(img.Width), boxH/float64(img.Height))
	ih := float64(img.Height) * s
	top := d.Y
	d.Thumb(img, d.Left, top, boxW, ih) // fitted into boxW × ih: scaled by s, centred across
	d.Y = top + ih + 4
	caption := f.Do(w.ImageCaption, vars{"File": it.File.Rel})
	col := pdfdoc.Black
	if p := it.Photo; p != nil {
		taken, dist := a.rw.Photos.Unknown, a.rw.Photos.Unknown
		if p.Taken != nil {
			taken = local(*p.Taken, a.cfg).Format("2006-01-02 15:04")
		}
		if p.DistanceM != nil {
			dist = f.Do(a.rw.Photos.Distance, vars{"M": zh.Whole(*p.DistanceM)})
		}
		status, ok := a.rw.Photos.Status(a.f, p.ReusedOf, p.InWindow, p.InVenue, p.InCounty, a.rw.ListSep)
		if !ok {
			col = pdfdoc.Red
		}
		caption = f.Do(w.PhotoCaption, vars{"File": it.File.Rel, "Taken": taken, "Distance": dist, "Status": status})
		if p.Video { // the picture is the video's poster frame
			d := ""
			if p.DurationS > 0 {
				d = zh.Duration(time.Duration(p.DurationS * float64(time.Second)))
			}
			caption += "\n" + a.rw.Photos.VideoLine(f, d, p.Width, p.Height, "")
		}
	}
	d.Para(caption, pdfdoc.TextStyle{Size: 8.5, Color: col, Align: pdfdoc.AlignCenter, Lead: 1.35})
	d.Y = top + slotH
}

// sheets sets a table material, one worksheet after another.
func (a *archiver) sheets(it Item) {
	d, w, f := a.d, a.w, a.f
	for i, sh := range it.Sheets {
		if i > 0 {
			d.Space(12)
		}
		d.Ensure(80)
		d.Para(f.Do(w.SheetCaption, vars{"File": it.File.Rel, "Sheet": sh.Name}), pdfdoc.TextStyle{Size: 10, Bold: true, After: 2})
		for _, t := range sh.Title {
			d.Para(t, pdfdoc.TextStyle{Size: 11, Align: pdfdoc.AlignCenter, Lead: 1.5})
		}
		if len(sh.Header) == 0 && len(sh.Rows) == 0 {
			d.Para(w.SheetEmpty, pdfdoc.TextStyle{Size: 9.5, Color: pdfdoc.Gray})
			continue
		}
		ncol := len(sh.Header)
		for _, r := range sh.Rows {
			ncol = max(ncol, len(r))
		}
		size := 8.0
		if ncol > 10 {
			size = 6.5
		}
		d.Table(pdfdoc.Table{Size: size, Header: pad(sh.Header, ncol), Cols: sheetColumns(sh, ncol)}, sh.Rows)
		if sh.Truncated > 0 {
			d.Space(2)
			d.Para(f.Do(w.SheetTruncated, vars{"N": sh.Truncated}), pdfdoc.TextStyle{Size: 8.5, Color: pdfdoc.Gray})
		}
	}
}

func pad(cells []string, n int) []string {
	if cells == nil {
		return nil
	}
	for len(cells) < n {
		cells = append(cells, "")
	}
	return cells
}

// sheetColumns shares the width by the longest text of each column (a CJK
// character counting two), within bounds, so that IDs and phones stay on a line.
func sheetColumns(sh Sheet, n int) []pdfdoc.Column {
	width := make([]float64, n)
	measure := func(cells []string) {
		for i, c := range cells {
			if i >= n {
				break
			}
			w := 0.0
			for _, r := range c {
				if r < 0x2E80 {
					w++
				} else {
					w += 2
				}
			}
			width[i] = math.Max(width[i], math.Min(w, 36))
		}
	}
	measure(sh.Header)
	for i, r := range sh.Rows {
		if i > 400 {
			break
		}
		measure(r)
	}
	total := 0.0
	for i := range width {
		width[i] = math.Max(width[i], 3) + 2
		total += width[i]
	}
	cols := make([]pdfdoc.Column, n)
	for i := range cols {
		cols[i] = pdfdoc.Column{Share: width[i] / total}
	}
	return cols
}

// info sets a page naming a file shown without its content: name, size, hash,
// why, and where the original is.
func (a *archiver) info(it Item) {
	d, w := a.d, a.w
	title, col := w.Info.Title, pdfdoc.Black
	if it.Failed {
		title, col = w.Info.FailedTitle, pdfdoc.Red
	}
	d.Y = pdfdoc.MarginT + 60
	d.Para(title, pdfdoc.TextStyle{Size: 16, Color: col, Align: pdfdoc.AlignCenter, Bold: true, After: 14})
	d.Table(pdfdoc.Table{Size: 10, Cols: []pdfdoc.Column{{Share: 0.18, Shade: true, Align: pdfdoc.AlignCenter}, {Share: 0.82}}}, [][]string{
		{w.Info.File, it.File.Rel},
		{w.Info.Size, fmt.Sprintf("%s（%d 字节）", zh.Bytes(it.File.Size), it.File.Size)},
		{w.Info.SHA256, it.File.SHA256},
		{w.Info.Reason, it.Note},
	})
	d.Space(10)
	d.Para(w.Info.Kept, pdfdoc.TextStyle{Size: 10.5, First: 2})
}

// fileList sets the last pages: the verdict and every original with its SHA-256.
func (a *archiver) fileList() {
	d, w, f := a.d, a.w, a.f
	d.Para(w.Files.Title, pdfdoc.TextStyle{Size: sizeSection, Bold: true, After: 4})
	d.Para(f.Do(w.Files.Verdict, a.v), pdfdoc.TextStyle{Size: 11, Color: pdfdoc.Green, Lead: 1.6, After: 6})
	fileTable(d, f, w.Files.Header, w.Files.ContentHash, w.Files.None, a.r)
	d.Space(30)
	d.Ensure(40)
	for _, l := range w.Files.Signoff {
		d.Para(l, pdfdoc.TextStyle{Size: 10.5, Lead: 2.2})
	}
	d.GlyphNote(func(m, c string) string { return f.Do(w.MissingGlyphNote, vars{"Marker": m, "Chars": c}) }, w.ListSep)
}

// baseVars are the placeholders every document offers (as the report's).
func baseVars(r *yanshou.Result, cfg *yanshou.Config) vars {
	checked := ""
	if !r.CheckedAt.IsZero() {
		checked = local(r.CheckedAt, cfg).Format("2006年1月2日 15:04")
	}
	return vars{"ID": r.ID, "Version": r.Version, "Checked": checked,
		"Office": office(cfg), "County": cfg.County, "Verdict": r.Verdict.Chinese()}
}

func office(cfg *yanshou.Config) string { return cfg.Office }

// local returns t in the county's zone.
func local(t time.Time, cfg *yanshou.Config) time.Time {
	if cfg.Location != nil {
		return t.In(cfg.Location)
	}
	return t
}

// classOf returns the submission's class, or nil.
func classOf(r *yanshou.Result) *yanshou.ClassInfo {
	if r.Submission == nil {
		return nil
	}
	return r.Submission.Class
}

// fileTable lists every submitted file with its size and SHA-256, and the
// submission's content hash.
func fileTable(d *pdfdoc.Doc, f *templates.Filler, header []string, contentHash, none string, r *yanshou.Result) {
	l := pdfdoc.FileList{Size: 7.5, Header: header, None: none}
	if r.Submission != nil {
		for _, x := range r.Submission.Files {
			l.Files = append(l.Files, pdfdoc.FileRow{Name: x.Rel, Size: x.Size, SHA256: x.SHA256})
		}
		if r.Submission.ContentHash != "" {
			l.Note = f.Do(contentHash, vars{"Hash": r.Submission.ContentHash})
		}
	}
	d.FileTable(l)
}
