// Package archive binds the materials of a passed training class into the
// archive of 第十二条 (装订成册，一式两份): one PDF per copy holder of the config,
// each with a cover carrying its copy mark (第1份 共2份) and holder, a table of
// contents with real page numbers, the eleven materials of 第十一条 in order
// with a divider each, and a last page listing every original with its SHA-256.
//
// This package prepares what is bound — submitted PDFs normalised with pdfcpu and
// test-imported (gofpdi panics on some files), pictures turned upright and
// resized, office documents converted by LibreOffice when it is installed,
// rosters, sign-ins and follow-ups read as tables — and pipeline/output/render lays it
// out. A file that cannot be bound in full gets a page naming it, its size and
// hash and why, and a problem the caller adds to the verdict report.
package archive

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/platform/digest"
	"yanshou/pipeline/platform/filename"
	"yanshou/templates"
)

// WorkDir is the scratch folder Write uses for an output folder dir.
func WorkDir(dir string) string { return dir + ".archive-work" }

// Options tune the binding; the zero value is sensible.
type Options struct {
	// Rectified marks a pass that follows a fail or veto of the same submission
	// (第十二条: 经再次验收通过后，按合格归档备案): the cover says 整改后合格.
	Rectified bool
	// Converter is the LibreOffice program; "" looks up soffice or libreoffice
	// on PATH, "-" disables conversion.
	Converter string
	// ConvertTimeout bounds the conversion of all of a submission's documents
	// (one LibreOffice run); 0 means 2 minutes plus 20 s a document.
	ConvertTimeout time.Duration
	// MaxSide is the longest side, in pixels, of an embedded picture; 0 means 1600.
	MaxSide int
	// Workers is how many pictures are prepared at once; 0 means 2.
	Workers int
}

// Copy is one written copy of the archive.
type Copy struct {
	Holder string // who keeps it
	N, Of  int    // 第N份 共Of份
	Name   string // file name inside the folder written to
	Size   int64
	SHA256 string // of the file's bytes, for the ledger and `yanshou verify`
}

// Output is what Write produced.
type Output struct {
	Copies   []Copy
	Problems []yanshou.Evidence // files not bound in full, and why
	Pages    int                // pages of each copy
}

// Names returns the file names of the copies.
func (o *Output) Names() []string {
	var out []string
	for _, c := range o.Copies {
		out = append(out, c.Name)
	}
	return out
}

// holderName is the holder printed on a copy and recorded in the ledger: the
// archive_copies entry that stands for the institution itself (培训机构) is
// its name — the copy is handed to 商水县某某学校, not to "培训机构". The
// file keeps the entry's name (归档-培训机构.pdf), the same for every class.
func holderName(entry string, w *words, r *yanshou.Result) string {
	if c := classOf(r); c != nil && entry == w.InstitutionCopy && c.Institution != "" {
		return c.Institution
	}
	return entry
}

// FileName is the name of a holder's copy: 归档-<holder>.pdf, the holder made
// safe for Windows and Linux file systems.
func FileName(holder string) string {
	name := filename.Safe(holder, 0)
	if name == "" {
		name = "副本"
	}
	return "归档-" + name + ".pdf"
}

// Write binds r's materials into one archive per holder of cfg.ArchiveCopies
// (at least one copy) inside dir, using a temporary folder beside dir. Every copy has the same pages; they differ
// only in the copy mark and holder. A *pdfdoc.MissingGlyphsError is returned
// (after every copy is written) when characters no font has were replaced.
func Write(dir string, r *yanshou.Result, cfg *yanshou.Config, opt Options) (*Output, error) {
	if r == nil || r.Submission == nil {
		return nil, errors.New("archive：没有验收结果可供装订")
	}
	r = inReadingOrder(r)
	w, err := loadWords(cfg)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("装订归档册：无法写入 %s", dir)
	}
	// Normalised and converted copies go to WorkDir(dir), beside dir, so that
	// nothing but the copies ever lands in dir (an abandoned PDF may still be
	// writing when Write returns). Its name is fixed, so a caller retrying the
	// same output folder after a crash can clear a leftover.
	work := WorkDir(dir)
	if err := os.RemoveAll(work); err != nil {
		return nil, fmt.Errorf("装订归档册：%w", err)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, fmt.Errorf("装订归档册：%w", err)
	}
	defer os.RemoveAll(work)

	p := &preparer{w: w, cfg: cfg, opt: opt, work: work}
	book := p.book(r)
	holders := cfg.ArchiveCopies
	if len(holders) == 0 {
		holders = []string{cfg.Office}
	}
	out := &Output{}
	var glyphs error
copies:
	for {
		out.Copies, glyphs = nil, nil
		used := map[string]bool{}
		for i, h := range holders {
			c := copyMark{Holder: holderName(h, w, r), N: i + 1, Of: len(holders)}
			name := FileName(h)
			if used[name] { // two holders with the same safe name
				name = strings.TrimSuffix(name, ".pdf") + fmt.Sprintf("-%d.pdf", c.N)
			}
			used[name] = true
			path := filepath.Join(dir, name)
			err := setBook(path, book, c, cfg)
			var ie *ImportError
			if errors.As(err, &ie) {
				// Checked, yet gofpdi failed: bind that file by name only and set
				// every copy again, so that the copies stay identical.
				if !p.demote(book, ie.File, fmt.Sprint(ie.Err)) {
					return nil, err
				}
				continue copies
			}
			var mg *pdfdoc.MissingGlyphsError
			if errors.As(err, &mg) {
				glyphs, err = err, nil
			}
			if err != nil {
				return nil, fmt.Errorf("装订归档册 %s：%w", name, err)
			}
			sum, size, err := digest.File(path)
			if err != nil {
				return nil, err
			}
			out.Copies = append(out.Copies, Copy{Holder: c.Holder, N: c.N, Of: c.Of, Name: name, Size: size, SHA256: sum})
		}
		break
	}
	// Pictures are prepared concurrently: list problems in the order of the files.
	order := map[string]int{}
	for i, f := range r.Submission.Files {
		order[f.Rel] = i
	}
	out.Problems = p.problems
	sort.SliceStable(out.Problems, func(i, j int) bool { return order[out.Problems[i].File] < order[out.Problems[j].File] })
	out.Pages = countPages(filepath.Join(dir, out.Copies[0].Name))
	return out, glyphs
}

// preparer turns submitted files into items render can set.
type preparer struct {
	w        *words
	cfg      *yanshou.Config
	opt      Options
	work     string
	mu       sync.Mutex
	problems []yanshou.Evidence
	seq      int
	office   []officeJob
}

func (p *preparer) problem(f yanshou.File, detail string) {
	p.mu.Lock()
	p.problems = append(p.problems, yanshou.Evidence{File: f.Rel, Detail: detail})
	p.mu.Unlock()
}

func (p *preparer) say(text string, v map[string]any) string {
	s, err := templates.Fill(text, v)
	if err != nil {
		return text
	}
	return s
}

// tempPath returns a fresh ASCII path in the work folder.
func (p *preparer) tempPath(ext string) string {
	p.mu.Lock()
	p.seq++
	n := p.seq
	p.mu.Unlock()
	return filepath.Join(p.work, fmt.Sprintf("f%04d%s", n, ext))
}

// book prepares every file: the eleven materials in order, then the others.
func (p *preparer) book(r *yanshou.Result) *Book {
	b := &Book{Result: r, Rectified: p.opt.Rectified}
	photos := map[string]*yanshou.Photo{}
	for i := range r.Photos {
		photos[r.Photos[i].File] = &r.Photos[i]
	}
	kinds := append(append([]yanshou.MaterialKind{}, yanshou.Materials...), yanshou.Other)
	type job struct {
		f    yanshou.File
		item *Item
	}
	var images []job
	for _, k := range kinds {
		files := r.Submission.FilesOf(k)
		if k == yanshou.Other && len(files) == 0 {
			continue
		}
		s := Section{Kind: k, Items: make([]Item, len(files))}
		for i, f := range files {
			it := &s.Items[i]
			it.File = f
			if limit := p.cfg.Intake.MaxFileBytes; limit > 0 && f.Size > limit {
				it.Note = p.say(p.w.Problems.TooBig, map[string]any{"Size": f.Size, "Max": limit})
				p.problem(f, it.Note)
				continue
			}
			if isImage(f.Rel) {
				it.Photo = photos[f.Rel]
				if ph := it.Photo; ph != nil && ph.Proxy != "" { // a HEIC: bound from its proxy, decoded once
					f.Abs = ph.Proxy
				}
				images = append(images, job{f, it})
				continue
			}
			if ph := photos[f.Rel]; ph != nil && ph.Video { // bound as its poster frame, with its facts
				it.Photo = ph
				if ph.Poster == "" { // no frame: only the file, with why
					it.Note = ph.PosterNote
					if it.Note == "" {
						it.Note = p.w.Problems.Unsupported
					}
					p.problem(f, it.Note)
					continue
				}
				poster := f
				poster.Abs = ph.Poster
				images = append(images, job{poster, it})
				continue
			}
			p.prepare(k, f, it)
		}
		b.Sections = append(b.Sections, s)
	}
	// Pictures: a few at a time (each resize already uses every core), so that
	// never more than a few full-size decodes are in memory.
	workers := p.opt.Workers
	if workers <= 0 {
		workers = min(2, runtime.NumCPU())
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, j := range images {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p.prepareImage(j.f, j.item)
		}()
	}
	wg.Wait()
	p.convertAll()
	return b
}

// officeJob is a document waiting for conversion.
type officeJob struct {
	f    yanshou.File
	item *Item
}

// convertAll converts the office documents in one LibreOffice run (its start
// costs seconds) and prepares the PDFs it made.
func (p *preparer) convertAll() {
	if len(p.office) == 0 {
		return
	}
	srcs := make([]string, len(p.office))
	for i, j := range p.office {
		srcs[i] = j.f.Abs
	}
	pdfs, errs := convertOffice(p.converter(), srcs, p.work, p.timeout(len(srcs)))
	for i, j := range p.office {
		if errs[i] != nil {
			p.fail(j.f, j.item, p.say(p.w.Problems.Convert, map[string]any{"Err": errs[i].Error()}))
			continue
		}
		src, note := p.preparePDF(pdfs[i])
		if note != "" {
			p.fail(j.f, j.item, note)
			continue
		}
		j.item.PDF = src
	}
}

// prepare sets up one non-picture file.
func (p *preparer) prepare(k yanshou.MaterialKind, f yanshou.File, it *Item) {
	ext := strings.ToLower(filepath.Ext(f.Rel))
	switch {
	case ext == ".pdf":
		src, note := p.preparePDF(f.Abs)
		if note != "" {
			p.fail(f, it, note)
			return
		}
		it.PDF = src
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".csv":
		sheets, err := readTables(f.Abs, ext, p.rowLimit())
		if err != nil {
			p.fail(f, it, p.say(p.w.Problems.Table, map[string]any{"Err": err.Error()}))
			return
		}
		it.Sheets = sheets
	case officeExts[ext]:
		if p.converter() == "" {
			it.Note = p.w.Problems.NoConverter
			p.problem(f, it.Note)
			return
		}
		p.office = append(p.office, officeJob{f, it}) // converted together, one LibreOffice start
	default:
		it.Note = p.w.Problems.Unsupported
		if k != yanshou.Other { // an unknown format among the eleven materials is worth telling
			p.problem(f, it.Note)
		}
	}
}

func (p *preparer) fail(f yanshou.File, it *Item, note string) {
	it.Note, it.Failed, it.PDF, it.Image, it.Sheets = note, true, nil, nil, nil
	p.problem(f, note)
}

// demote turns the item for file rel into a failed one after an import error.
func (p *preparer) demote(b *Book, rel, why string) bool {
	for si := range b.Sections {
		for ii := range b.Sections[si].Items {
			it := &b.Sections[si].Items[ii]
			if it.File.Rel == rel && !it.Failed {
				p.fail(it.File, it, p.say(p.w.Problems.Import, map[string]any{"Err": why}))
				return true
			}
		}
	}
	return false
}

func (p *preparer) rowLimit() int {
	n := 3000
	if m := p.cfg.Thresholds.MaxSheetRows; m > 0 && m < n {
		n = m
	}
	return n
}

func (p *preparer) timeout(docs int) time.Duration {
	if p.opt.ConvertTimeout > 0 {
		return p.opt.ConvertTimeout
	}
	return 2*time.Minute + time.Duration(docs)*20*time.Second
}

// Identity is what an archive copy says about itself in its PDF keywords (see
// bookKeywords): readable even when the file was changed elsewhere.
type Identity struct {
	ID          string
	Version     int
	ContentHash string
	Copy, Of    int
}

var keywordsRe = regexp.MustCompile(`/Keywords\s*<FEFF([0-9A-Fa-f]*)>`)

// Identify reads the identity from an archive's bytes; ok is false when the
// keywords are missing or not an archive's.
func Identify(pdf []byte) (Identity, bool) {
	m := keywordsRe.FindAllSubmatch(pdf, -1)
	if len(m) == 0 {
		return Identity{}, false
	}
	raw, err := hex.DecodeString(string(m[len(m)-1][1]))
	if err != nil || len(raw)%2 != 0 {
		return Identity{}, false
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
	}
	var id Identity
	n, err := fmt.Sscanf(string(utf16.Decode(u)), "%s v%d %s copy %d/%d", &id.ID, &id.Version, &id.ContentHash, &id.Copy, &id.Of)
	if err != nil || n != 5 {
		return Identity{}, false
	}
	return id, true
}
