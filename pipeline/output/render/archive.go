package render

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/signintech/gopdf"

	"yanshou"
)

// ArchiveWords is templates/report/archive.yaml: the wording of the bound
// archive (归档-<holder>.pdf) and of the problems met while binding it.
type ArchiveWords struct {
	Title            string `yaml:"title"`
	Subject          string `yaml:"subject"`
	Programme        string `yaml:"programme"`
	RunningHead      string `yaml:"running_head"`
	CopyMark         string `yaml:"copy_mark"`
	Holder           string `yaml:"holder"`
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
		Finding       string `yaml:"finding"`
	} `yaml:"problems"`
	ListSep          string `yaml:"list_sep"`
	MissingGlyphNote string `yaml:"missing_glyph_note"`
}

// LoadArchiveWords reads templates/report/archive.yaml, with the county's
// override on top.
func LoadArchiveWords(cfg *yanshou.Config) (*ArchiveWords, error) {
	var w ArchiveWords
	if err := loadWording(cfg, "archive.yaml", &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// LoadWording decodes templates/report/<name> into w (a pointer to a struct with
// yaml tags): the built-in file, then the county's override on top. Every key
// must end up set.
func LoadWording(cfg *yanshou.Config, name string, w any) error { return loadWording(cfg, name, w) }

// Fill executes one wording template with the given values.
func Fill(text string, v map[string]any) (string, error) { return fill(text, v) }

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
	Image  *Image         // a picture, upright and resized
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
}

// Image is a picture to embed: JPEG bytes and their pixel size.
type Image struct {
	JPEG          []byte
	Width, Height int
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

// Copy identifies one copy of the archive.
type Copy struct {
	Holder string // who keeps it (an entry of archive_copies)
	N, Of  int    // 第N份 共Of份
}

// ArchiveBind is the binding margin: extra room on the left of odd pages.
const ArchiveBind = 22.0

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

// Archive writes one copy of the bound archive to path. A missing font is
// fonts.Find's error; characters no font has are drawn as □ and reported by a
// *MissingGlyphsError after the file is written. A page import that panics
// gives an *ImportError (nothing is written).
func Archive(path string, b *Book, c Copy, cfg *yanshou.Config) (err error) {
	if b == nil || b.Result == nil {
		return errNoResult
	}
	w, err := LoadArchiveWords(cfg)
	if err != nil {
		return err
	}
	var rw reportWords
	if err := loadWording(cfg, "report.yaml", &rw); err != nil {
		return err
	}
	font, err := fontFor(cfg)
	if err != nil {
		return err
	}
	name := path[strings.LastIndexAny(path, `/\`)+1:]
	d, err := newBoundDoc(font, name, ArchiveBind)
	if err != nil {
		return err
	}
	a := &archiver{d: d, f: &filler{}, w: w, rw: &rw, b: b, c: c, cfg: cfg, r: b.Result}
	a.v = a.vars()
	if err := a.set(); err != nil {
		return err
	}
	if a.f.err != nil {
		return a.f.err
	}
	return d.save(path, pdfInfo{title: w.Title, author: office(cfg), subject: w.Subject,
		keywords: ArchiveKeywords(b.Result, c), created: local(b.Result.CheckedAt, cfg)})
}

// ArchiveKeywords are the PDF keywords of an archive copy: submission id,
// version, content hash and copy, so that `yanshou verify` can say which
// archive a changed file claims to be.
func ArchiveKeywords(r *yanshou.Result, c Copy) string {
	ch := ""
	if r.Submission != nil {
		ch = r.Submission.ContentHash
	}
	return fmt.Sprintf("%s v%d %s copy %d/%d", r.ID, r.Version, ch, c.N, c.Of)
}

// archiver sets one copy.
type archiver struct {
	d   *doc
	f   *filler
	w   *ArchiveWords
	rw  *reportWords
	b   *Book
	c   Copy
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
	tocTop      = marginT + 50
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
		if y+h > bottom {
			p, y = p+1, marginT
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
	tocFirst := d.gp.GetNumberOfPages() + 1
	for i := 0; i < nToc; i++ {
		d.newPage()
	}
	e := 0
	for si, s := range a.b.Sections {
		n := si + 1
		title := a.f.do(a.w.TOC.Section, vars{"N": chineseNumber(n), "Name": s.Kind.String()})
		if s.Kind == yanshou.Other {
			title = a.f.do(a.w.TOC.Section, vars{"N": chineseNumber(n), "Name": a.w.TOC.Others})
		}
		d.newPage()
		entries[e] = tocEntry{text: title, page: d.gp.GetNumberOfPages()}
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
	d.newPage()
	entries[e] = tocEntry{text: a.w.TOC.Files, page: d.gp.GetNumberOfPages()}
	a.fileList()
	a.contents(tocFirst, entries)
	total := d.gp.GetNumberOfPages()
	a.v["Pages"] = total
	head := a.f.do(a.w.RunningHead, a.v)
	d.pageTexts("", func(p, n int) (string, string) {
		if p == 1 {
			return "", ""
		}
		d.setSize(8.5)
		d.setColor(gray)
		h := d.clean(head)
		d.lineAt(d.left, marginT-26, d.cw, h, alignRight, false)
		d.gp.SetStrokeColor(150, 150, 150)
		d.gp.Line(d.left, marginT-14, d.left+d.cw, marginT-14)
		d.gp.SetStrokeColor(0, 0, 0)
		v := a.with(vars{"Page": p, "Pages": n})
		return a.f.do(a.w.FooterLeft, v), a.f.do(a.w.Footer, v)
	})
	// The cover's note names the page count, known only now.
	d.fail(d.gp.SetPage(1))
	d.setPageMargins(1)
	d.y = a.coverNoteY
	d.para(a.f.do(a.w.Cover.Note, a.with(vars{"Measures": a.w.Cover.Measures, "Pages": total})),
		textStyle{size: 10, color: gray, first: 2, lead: 1.6})
	return nil
}

// cover sets page 1: programme, title, copy mark and holder, the class facts,
// the verdict and the office.
func (a *archiver) cover() {
	d, w, f := a.d, a.w, a.f
	// Copy mark, top right, in a red frame.
	mark := f.do(w.CopyMark, a.v)
	d.setSize(14)
	mw := d.width(d.clean(mark)) + 20
	x := d.left + d.cw - mw
	d.gp.SetStrokeColor(red.r, red.g, red.b)
	d.gp.SetLineWidth(1.2)
	d.gp.RectFromUpperLeft(x, marginT-20, mw, 28)
	d.gp.SetLineWidth(0.5)
	d.gp.SetStrokeColor(0, 0, 0)
	d.setColor(red)
	d.lineAt(x, marginT-13, mw, d.clean(mark), alignCenter, true)
	d.setColor(black)
	d.y = marginT + 14
	d.para(f.do(w.Holder, a.v), textStyle{size: 11, align: alignRight, after: 60})
	d.para(w.Programme, textStyle{size: 16, align: alignCenter, lead: 1.8})
	d.para(w.Title, textStyle{size: 30, align: alignCenter, bold: true, lead: 1.6, after: 36})

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
			dates = f.do(w.Cover.DateRange, vars{"Start": c.Start.Chinese(), "End": c.End.Chinese()})
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
		{w.Cover.ID, f.do(w.Cover.IDValue, a.v)},
	}
	d.table(table{size: 11.5, cols: []column{{share: 0.24, shade: true, align: alignCenter}, {share: 0.76}},
		color: func(row, col int) rgb {
			if row == 6 && col == 1 {
				return green
			}
			return black
		}}, rows)
	d.space(6)
	d.para(w.Cover.ContentHash+"："+or(ch), textStyle{size: 9, color: gray, lead: 1.5})
	d.space(10)
	a.coverNoteY = d.y
	d.y = bottom - 70
	d.para(f.do(w.Cover.Office, a.v), textStyle{size: 14, align: alignCenter, lead: 1.8})
	d.para(f.do(w.Cover.Date, a.v), textStyle{size: 12, align: alignCenter})
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
			d.fail(d.gp.SetPage(p))
			d.setPageMargins(p)
			if last == 0 {
				d.y = marginT
				d.para(a.w.TOC.Title, textStyle{size: 18, align: alignCenter, bold: true})
			}
		}
		size, indent := 12.0, 0.0
		if e.level == 1 {
			size, indent = 9.5, 2*12.0
		}
		d.setSize(size)
		num := fmt.Sprint(e.page)
		nw := d.width(num)
		text := d.clean(e.text)
		room := d.cw - indent - nw - 3*size
		if d.width(text) > room { // one line: shorten long file names in the middle
			rs := []rune(text)
			for len(rs) > 8 && d.width(string(rs)+"…") > room {
				rs = append(rs[:len(rs)/2-1], rs[len(rs)/2+1:]...)
			}
			text = string(rs[:len(rs)/2]) + "…" + string(rs[len(rs)/2:])
		}
		y := ys[i] + 3
		d.draw(d.left+indent, y, text, e.level == 0)
		tw := d.width(text)
		dot := d.width("·")
		if dot > 0 {
			from, to := d.left+indent+tw+size*0.5, d.left+d.cw-nw-size*0.5
			if n := int((to - from) / dot); n > 0 {
				d.setColor(gray)
				d.draw(to-float64(n)*dot, y, strings.Repeat("·", n), false)
				d.setColor(black)
			}
		}
		d.draw(d.left+d.cw-nw, y, num, e.level == 0)
	}
}

// divider sets a material's divider page.
func (a *archiver) divider(s Section, n int, title string) {
	d, w, f := a.d, a.w, a.f
	d.y = pageH * 0.28
	if s.Kind != yanshou.Other {
		d.para(f.do(w.Divider.Article, vars{"N": chineseNumber(n)}), textStyle{size: 11, color: gray, align: alignCenter, after: 6})
	}
	d.para(title, textStyle{size: 28, align: alignCenter, bold: true, lead: 1.5, after: 10})
	d.rule(black, 1)
	d.space(14)
	if len(s.Items) == 0 {
		d.para(w.Divider.None, textStyle{size: 13, color: red, align: alignCenter})
		return
	}
	d.para(f.do(w.Divider.Count, vars{"Count": len(s.Items)}), textStyle{size: 12, align: alignCenter, after: 8})
	limit := 30
	for i, it := range s.Items {
		if i == limit {
			d.para(fmt.Sprintf("…（%d）", len(s.Items)), textStyle{size: 9.5, color: gray, align: alignCenter})
			break
		}
		d.para(it.File.Rel, textStyle{size: 9.5, color: gray, align: alignCenter, lead: 1.45})
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
		slotH := bottom - marginT
		if photo {
			slotH = (bottom - marginT - 16) / 2
			if *pair == 0 {
				d.newPage()
			} else {
				d.y = marginT + slotH + 16
			}
			*pair = (*pair + 1) % 2
		} else {
			*pair = 0
			d.newPage()
		}
		start := d.gp.GetNumberOfPages()
		a.image(it, slotH)
		return start, nil
	case len(it.Sheets) > 0:
		*pair = 0
		d.newPage()
		start := d.gp.GetNumberOfPages()
		a.sheets(it)
		return start, nil
	}
	*pair = 0
	d.newPage()
	start := d.gp.GetNumberOfPages()
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
		d.newPage()
		if i == 0 {
			start = d.gp.GetNumberOfPages()
		}
		d.para(a.f.do(a.w.PageCaption, vars{"File": it.File.Rel, "Page": i + 1, "Pages": len(it.PDF.Sizes)}),
			textStyle{size: 8.5, color: gray, lead: 1.3, after: 3})
		tpl := d.gp.ImportPage(it.PDF.Path, i+1, "/MediaBox")
		boxW, boxH := d.cw, bottom-d.y
		w, h := size[0], size[1]
		if w <= 0 || h <= 0 {
			w, h = pageW, pageH
		}
		s := math.Min(boxW/w, boxH/h)
		x := d.left + (boxW-w*s)/2
		d.gp.UseImportedTemplate(tpl, x, d.y, w*s, h*s)
		d.gp.SetStrokeColor(190, 190, 190)
		d.gp.RectFromUpperLeft(x, d.y, w*s, h*s)
		d.gp.SetStrokeColor(0, 0, 0)
	}
	return start, nil
}

// image sets a picture scaled into a slot of height slotH at the cursor, with
// its caption below.
func (a *archiver) image(it Item, slotH float64) {
	d, w, f := a.d, a.w, a.f
	capH := 26.0
	boxW, boxH := d.cw, slotH-capH
	img := it.Image
	s := math.Min(boxW/float64(img.Width), boxH/float64(img.Height))
	iw, ih := float64(img.Width)*s, float64(img.Height)*s
	x := d.left + (boxW-iw)/2
	top := d.y
	holder, err := gopdf.ImageHolderByBytes(img.JPEG)
	if err == nil {
		err = d.gp.ImageByHolder(holder, x, top, &gopdf.Rect{W: iw, H: ih})
	}
	d.fail(err)
	d.y = top + ih + 4
	caption := f.do(w.ImageCaption, vars{"File": it.File.Rel})
	col := black
	if p := it.Photo; p != nil {
		taken, dist := a.rw.Photos.Unknown, a.rw.Photos.Unknown
		if p.Taken != nil {
			taken = local(*p.Taken, a.cfg).Format("2006-01-02 15:04")
		}
		if p.DistanceM != nil {
			dist = f.do(a.rw.Photos.Distance, vars{"M": round(*p.DistanceM)})
		}
		status, ok := photoStatus(f, a.rw, p, a.rw.ListSep)
		if !ok {
			col = red
		}
		caption = f.do(w.PhotoCaption, vars{"File": it.File.Rel, "Taken": taken, "Distance": dist, "Status": status})
	}
	d.para(caption, textStyle{size: 8.5, color: col, align: alignCenter, lead: 1.35})
	d.y = top + slotH
}

// sheets sets a table material, one worksheet after another.
func (a *archiver) sheets(it Item) {
	d, w, f := a.d, a.w, a.f
	for i, sh := range it.Sheets {
		if i > 0 {
			d.space(12)
		}
		d.ensure(80)
		d.para(f.do(w.SheetCaption, vars{"File": it.File.Rel, "Sheet": sh.Name}), textStyle{size: 10, bold: true, after: 2})
		for _, t := range sh.Title {
			d.para(t, textStyle{size: 11, align: alignCenter, lead: 1.5})
		}
		if len(sh.Header) == 0 && len(sh.Rows) == 0 {
			d.para(w.SheetEmpty, textStyle{size: 9.5, color: gray})
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
		d.table(table{size: size, header: pad(sh.Header, ncol), cols: sheetColumns(sh, ncol)}, sh.Rows)
		if sh.Truncated > 0 {
			d.space(2)
			d.para(f.do(w.SheetTruncated, vars{"N": sh.Truncated}), textStyle{size: 8.5, color: gray})
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
func sheetColumns(sh Sheet, n int) []column {
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
	cols := make([]column, n)
	for i := range cols {
		cols[i] = column{share: width[i] / total}
	}
	return cols
}

// info sets a page naming a file shown without its content: name, size, hash,
// why, and where the original is.
func (a *archiver) info(it Item) {
	d, w := a.d, a.w
	title, col := w.Info.Title, black
	if it.Failed {
		title, col = w.Info.FailedTitle, red
	}
	d.y = marginT + 60
	d.para(title, textStyle{size: 16, color: col, align: alignCenter, bold: true, after: 14})
	d.table(table{size: 10, cols: []column{{share: 0.18, shade: true, align: alignCenter}, {share: 0.82}}}, [][]string{
		{w.Info.File, it.File.Rel},
		{w.Info.Size, fmt.Sprintf("%s（%d 字节）", sizeText(it.File.Size), it.File.Size)},
		{w.Info.SHA256, it.File.SHA256},
		{w.Info.Reason, it.Note},
	})
	d.space(10)
	d.para(w.Info.Kept, textStyle{size: 10.5, first: 2})
}

// fileList sets the last pages: the verdict and every original with its SHA-256.
func (a *archiver) fileList() {
	d, w, f := a.d, a.w, a.f
	d.para(w.Files.Title, textStyle{size: sizeSection, bold: true, after: 4})
	d.para(f.do(w.Files.Verdict, a.v), textStyle{size: 11, color: green, lead: 1.6, after: 6})
	fileTable(d, f, w.Files.Header, w.Files.ContentHash, w.Files.None, a.r)
	d.space(30)
	d.ensure(40)
	for _, l := range w.Files.Signoff {
		d.para(l, textStyle{size: 10.5, lead: 2.2})
	}
	glyphNote(d, f, w.MissingGlyphNote, w.ListSep)
}
