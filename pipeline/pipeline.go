// Package pipeline wires the stages: it takes one submission (a folder or a zip)
// from intake through inventory, manifest, photos, roster, facts and rules to a
// verdict, records it in the ledger and renders its documents into the outbox.
// The stages know nothing of each other; only this package calls them in order.
package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"yanshou"
	"yanshou/pipeline/archive"
	"yanshou/pipeline/digest"
	"yanshou/pipeline/docs"
	"yanshou/pipeline/facts"
	"yanshou/pipeline/fonts"
	"yanshou/pipeline/intake"
	"yanshou/pipeline/inventory"
	"yanshou/pipeline/ledger"
	"yanshou/pipeline/manifest"
	"yanshou/pipeline/originals"
	"yanshou/pipeline/photo"
	"yanshou/pipeline/render"
	"yanshou/pipeline/roster"
	"yanshou/rules"
)

// StateDirName is the hidden state folder inside the outbox: the ledger,
// unpacked zips and outputs being written.
const StateDirName = ".yanshou"

// Pipeline checks submissions against one config and rule set, into one outbox.
type Pipeline struct {
	Config *yanshou.Config
	Rules  *rules.Set
	Outbox string
	Ledger *ledger.Ledger
	Log    *slog.Logger
	Now    func() time.Time
	// Recheck judges content again even when the ledger already holds its verdict
	// (the same version number is kept).
	Recheck bool

	inflight keyedMutex // one check at a time per content hash
}

// keyedMutex serialises work on the same key (here: a content hash), so that two
// copies of one submission checked at once are judged once.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// Open prepares a pipeline: it checks that a CJK font exists (so that a missing
// font is one clear error before any work) and opens the ledger in the outbox.
func Open(cfg *yanshou.Config, set *rules.Set, outbox string, log *slog.Logger) (*Pipeline, error) {
	if _, err := fonts.Find(cfg.Fonts); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outbox, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出目录 %s: %w", outbox, err)
	}
	l, err := ledger.Open(filepath.Join(outbox, StateDirName))
	if err != nil {
		return nil, err
	}
	// Temporary files of a store interrupted by a crash are cleared.
	_ = originals.Sweep(filepath.Join(outbox, StateDirName, "originals"), time.Hour)
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Pipeline{Config: cfg, Rules: set, Outbox: outbox, Ledger: l, Log: log, Now: time.Now}, nil
}

// Close closes the ledger.
func (p *Pipeline) Close() error { return p.Ledger.Close() }

func (p *Pipeline) stateDir(parts ...string) string {
	return filepath.Join(append([]string{p.Outbox, StateDirName}, parts...)...)
}

// Check judges one submission (a folder or a .zip) and returns its report. It
// never panics: a submission that cannot be processed at all comes back with
// Report.Error set (and err non-nil).
func (p *Pipeline) Check(path string) (yanshou.Report, error) { return p.CheckAs(path, path) }

// CheckAs judges the submission read from path as if found at origin (used to
// re-judge stored originals under the path they were submitted from).
func (p *Pipeline) CheckAs(path, origin string) (rep yanshou.Report, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			p.Log.Error("internal error", "path", path, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("处理 %s 时发生内部错误：%v", path, r)
			rep = yanshou.Report{Path: path, Error: err.Error(), Findings: []yanshou.Finding{}, Outputs: []string{}}
		}
	}()
	r, err := p.check(path, origin)
	if err != nil {
		p.Log.Error("not processed", "path", origin, "error", err)
		return yanshou.Report{Path: origin, Error: err.Error(), Findings: []yanshou.Finding{}, Outputs: []string{}}, err
	}
	p.Log.Info("checked", "path", path, "id", r.ID, "version", r.Version, "verdict", r.Verdict,
		"findings", len(r.Findings), "duration", time.Since(start).Round(time.Millisecond))
	rep = r.Report()
	rep.Path = origin
	return rep, nil
}

// check runs the stages over the submission at path, recorded as found at
// origin; it returns an error only when nothing can be judged.
func (p *Pipeline) check(path, origin string) (*yanshou.Result, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取 %s：%w", path, err)
	}
	var fileProblems []yanshou.Evidence
	var zipFile *yanshou.File // the zip itself, kept as an original too
	refused := false          // the zip was refused whole: its bytes are its content
	root := path
	switch {
	case info.Mode()&os.ModeSymlink != 0:
		return nil, fmt.Errorf("%s 是符号链接，不予处理；请提交文件夹或压缩包本身", path)
	case info.Mode().IsRegular() && strings.EqualFold(filepath.Ext(path), ".zip"):
		sum, _, err := digest.File(path)
		if err != nil {
			return nil, fmt.Errorf("无法读取压缩包 %s：%w", path, err)
		}
		dest := p.stateDir("unpacked", sum)
		probs, err := intake.Unzip(path, filepath.Base(path), dest, p.Config.Intake)
		if err != nil {
			// A zip refused whole (a bomb, too many entries, unreadable) is judged as
			// an empty submission whose finding names the zip and the reason, so the
			// institution gets a report saying what to fix.
			empty := p.stateDir("refused", sum)
			if mkErr := os.MkdirAll(empty, 0o755); mkErr != nil {
				return nil, mkErr
			}
			probs = append(probs, yanshou.Evidence{File: filepath.Base(path), Detail: err.Error()})
			dest = empty
			refused = true
		}
		fileProblems = append(fileProblems, probs...)
		root = intake.SubmissionRoot(dest)
		zipFile = &yanshou.File{Rel: filepath.Base(path), Abs: path, Size: info.Size(), SHA256: sum}
	case info.IsDir():
	default:
		return nil, fmt.Errorf("%s 既不是文件夹也不是 .zip 压缩包", path)
	}

	sub, probs, err := inventory.Scan(root)
	if err != nil {
		return nil, err
	}
	sub.Origin = origin
	fileProblems = append(fileProblems, probs...)
	if refused {
		// Two refused zips unpack to the same nothing; they differ by their bytes.
		sub.ContentHash = inventory.ContentHash([]yanshou.File{*zipFile})
	}
	found := docs.Check(sub, docs.Options{})
	fileProblems = append(fileProblems, found.Unreadable...)

	var manifestProblems []yanshou.Evidence
	if ms := sub.FilesOf(yanshou.Manifest); len(ms) > 0 {
		m := ms[0]
		safely(&manifestProblems, m.Rel, func() {
			var pr []yanshou.Evidence
			sub.Class, pr = manifest.Read(m.Abs, m.Rel, p.Config)
			manifestProblems = append(manifestProblems, pr...)
		})
		for _, extra := range ms[1:] {
			manifestProblems = append(manifestProblems, yanshou.Evidence{File: extra.Rel, Detail: "有多个培训信息表，只读取了 " + m.Rel})
		}
	}

	// Keep the exact bytes judged, before claiming a version: if they cannot be
	// kept (a disk error, a file edited while being read), nothing is judged and
	// no version number is used up; the submission is taken again later.
	keep := sub.Files
	if zipFile != nil {
		keep = append(append([]yanshou.File{}, sub.Files...), *zipFile)
	}
	if err := originals.Store(p.stateDir("originals"), keep); err != nil {
		return nil, fmt.Errorf("无法保存原始材料：%w", err)
	}

	id := ledger.SubmissionID(sub.Class, origin)
	defer p.inflight.lock(sub.ContentHash)()
	now := p.Now()
	v, err := p.Ledger.Claim(id, sub.Class, sub.ContentHash, origin, now)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	if v.Done && !p.Recheck {
		if r, ok := p.stored(v, sub); ok {
			p.Log.Info("already judged", "path", path, "id", id, "version", v.Version)
			return r, nil
		}
	}

	r := &yanshou.Result{Submission: sub, ID: id, Version: v.Version, CheckedAt: now}
	venue, radius, _ := photo.Venue(sub.Class, p.Config)
	r.Venue, r.VenueM = venue, radius
	r.Photos = p.readPhotos(sub, venue, radius)
	var rosterCounts facts.RosterCounts
	var proxies []yanshou.Evidence
	var repeats [][]yanshou.Evidence
	safely(&fileProblems, "培训学员名单/签到表/电话回访记录", func() {
		r.Attendance = roster.Read(sub.FilesOf(yanshou.Roster), sub.FilesOf(yanshou.SignInSheets), sub.FilesOf(yanshou.FollowUp), sub.Class, p.Config)
		c := roster.Count(r.Attendance)
		rosterCounts = facts.RosterCounts{InvalidIDs: c.InvalidIDs + c.MissingIDs, Duplicates: c.Duplicates}
		proxies = roster.ProxySuspects(r.Attendance, p.Config.Thresholds.ProxyPhoneMax)
		repeats = roster.Repeats(r.Attendance)
	})
	if r.Attendance == nil {
		r.Attendance = &yanshou.Attendance{}
	}

	prior, err := p.Ledger.PhotosOutside(id)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	p.withCropHashes(prior)
	var trainedIDs []string
	for _, t := range r.Attendance.Trainees {
		if t.Trained && t.ID != "" && roster.ValidID(t.ID) == "" {
			trainedIDs = append(trainedIDs, t.ID)
		}
	}
	trainedIn, err := p.Ledger.TrainedIn(id, trainedIDs)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}

	r.Facts = facts.Gather(facts.Input{
		Submission: sub, ManifestProblems: manifestProblems, FileProblems: fileProblems, RiskyFiles: found.Risky,
		Photos: r.Photos, VenueKnown: venue != nil, Attendance: r.Attendance,
		RosterProblems: rosterCounts, ProxySuspects: proxies, Repeats: repeats,
		PriorPhotos: prior, TrainedIn: trainedIn, Config: p.Config,
	})
	r.Findings, err = p.Rules.Evaluate(r.Facts)
	if err != nil {
		return nil, err
	}
	r.Verdict = yanshou.Decide(r.Findings)
	if r.Verdict == yanshou.Fail {
		r.Deadline = facts.Deadline(now, p.Config)
		if d := v.Deadline; d != "" { // a re-check never moves the deadline already given
			if t, err := time.ParseInLocation("2006-01-02", d, p.Config.Location); err == nil {
				r.Deadline = yanshou.Date{Time: t}
			}
		}
	}
	if v.Version > 1 {
		prev, prevFiles, err := p.Ledger.Previous(id, v.Version)
		if err != nil {
			return nil, fmt.Errorf("台账数据库出错：%w", err)
		}
		if prev != nil {
			var prevRep yanshou.Report
			json.Unmarshal([]byte(prev.ReportJSON), &prevRep)
			r.Changes = yanshou.CompareVersions(prev.Version, prev.Verdict, prevFiles, sub.Files, prevRep.Findings, r.Findings)
		}
	}
	if v.Done {
		if outputs, ok := p.unchanged(v, r); ok {
			r.Outputs = outputs
			p.Log.Info("re-checked, judgement unchanged", "path", path, "id", id, "version", v.Version)
			return r, nil
		}
	}
	if err := p.writeOutputs(v, r); err != nil {
		return nil, err
	}
	return r, nil
}

// stored returns the recorded result of a version already judged, if its
// outputs are still in place.
func (p *Pipeline) stored(v *ledger.Version, sub *yanshou.Submission) (*yanshou.Result, bool) {
	if v.OutDir == "" || v.ReportJSON == "" {
		return nil, false
	}
	if _, err := os.Stat(filepath.Join(p.Outbox, v.OutDir, "verdict.json")); err != nil {
		return nil, false
	}
	var rep yanshou.Report
	if err := json.Unmarshal([]byte(v.ReportJSON), &rep); err != nil {
		return nil, false
	}
	return &yanshou.Result{Submission: sub, ID: v.SubmissionID, Version: v.Version, Verdict: rep.Verdict,
		Findings: rep.Findings, Outputs: rep.Outputs, Facts: factsFromReport(rep)}, true
}

// unchanged reports whether a re-check of a judged version reached the same
// judgement (verdict, findings and counts) as recorded; then its documents stand
// and their paths are returned.
func (p *Pipeline) unchanged(v *ledger.Version, r *yanshou.Result) ([]string, bool) {
	var old yanshou.Report
	if v.ReportJSON == "" || json.Unmarshal([]byte(v.ReportJSON), &old) != nil {
		return nil, false
	}
	if _, err := os.Stat(filepath.Join(p.Outbox, v.OutDir, "verdict.json")); err != nil {
		return nil, false
	}
	now := r.Report()
	// The binding warning is added when the archive is made, after judging.
	judged := old.Findings[:0:0]
	for _, f := range old.Findings {
		if f.Rule != archive.Rule {
			judged = append(judged, f)
		}
	}
	a, _ := json.Marshal([]any{old.Verdict, judged, old.Attendance, old.Photos})
	b, _ := json.Marshal([]any{now.Verdict, now.Findings, now.Attendance, now.Photos})
	return old.Outputs, bytes.Equal(a, b)
}

func factsFromReport(rep yanshou.Report) *yanshou.Facts {
	f := &yanshou.Facts{}
	f.Attendance.Approved, f.Attendance.Trained = rep.Attendance.Approved, rep.Attendance.Trained
	f.Attendance.WalkIns, f.Attendance.Sessions = rep.Attendance.WalkIns, rep.Attendance.Sessions
	f.Photos.Total, f.Photos.Verified, f.Photos.NoExif = rep.Photos.Total, rep.Photos.Verified, rep.Photos.NoExif
	f.Photos.OutsideWindow, f.Photos.OutsideVenue, f.Photos.Reused = rep.Photos.OutsideWindow, rep.Photos.OutsideVenue, rep.Photos.Reused
	return f
}

// readPhotos reads, judges and hashes the on-site and group photos, a few at a time.
func (p *Pipeline) readPhotos(sub *yanshou.Submission, venue *yanshou.LatLon, radius float64) []yanshou.Photo {
	var files []yanshou.File
	for _, f := range sub.Files {
		if (f.Kind == yanshou.SitePhotos || f.Kind == yanshou.GroupPhoto) && photo.IsPhoto(f.Rel) {
			files = append(files, f)
		}
	}
	// Perceptual hashes are cached by file content: a photo seen before (a
	// re-check, a resubmission, a copy in another class) is not decoded again.
	sums := make([]string, 0, len(files))
	for _, f := range files {
		sums = append(sums, f.SHA256)
	}
	cached, err := p.Ledger.CachedHashes(photo.HashAlgorithm, sums)
	if err != nil {
		p.Log.Warn("photo hash cache unreadable; hashing every photo", "error", err)
	}
	out := make([]yanshou.Photo, len(files))
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = p.readPhoto(f, sub.Class, venue, radius, cached[f.SHA256])
		}()
	}
	wg.Wait()
	fresh := map[string][]uint64{}
	for i, f := range files {
		if _, ok := cached[f.SHA256]; !ok && f.SHA256 != "" && out[i].Hash != 0 {
			fresh[f.SHA256] = append([]uint64{out[i].Hash}, out[i].Hashes...)
		}
	}
	if err := p.Ledger.CacheHashes(photo.HashAlgorithm, fresh); err != nil {
		p.Log.Warn("photo hash cache not written", "error", err)
	}
	return out
}

// withCropHashes adds to photos of other classes the hashes of their crops,
// from the hash cache, so that a cropped copy of one of them is found.
func (p *Pipeline) withCropHashes(prior []yanshou.PriorPhoto) {
	sums := make([]string, 0, len(prior))
	for _, q := range prior {
		sums = append(sums, q.SHA256)
	}
	cached, err := p.Ledger.CachedHashes(photo.HashAlgorithm, sums)
	if err != nil {
		p.Log.Warn("photo hash cache unreadable; other classes' photos compared whole only", "error", err)
		return
	}
	for i := range prior {
		if hs := cached[prior[i].SHA256]; len(hs) > 1 && hs[0] == prior[i].Hash {
			prior[i].Hashes = hs[1:]
		}
	}
}

// readPhoto reads and judges one photo; its perceptual hashes are cached (the
// whole picture, then its crops) when known, else computed.
func (p *Pipeline) readPhoto(f yanshou.File, class *yanshou.ClassInfo, venue *yanshou.LatLon, radius float64, cached []uint64) (ph yanshou.Photo) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("%s：无法读取照片（%v）", f.Rel, r)
			ph = yanshou.Photo{File: f.Rel, Kind: f.Kind, Error: &msg}
		}
	}()
	ph = photo.Read(f.Abs, f.Rel, p.Config.Location)
	ph.Kind = f.Kind
	photo.Judge(&ph, class, venue, radius, p.Config)
	// The hash is only for finding reuse; a picture that cannot be decoded has
	// none, and one that is damaged or too large is recorded as such (HEIC is not
	// decoded at all, which is not its fault).
	if len(cached) > 0 && cached[0] != 0 {
		ph.Hash, ph.Hashes = cached[0], cached[1:]
	} else if hs, err := photo.Hashes(f.Abs, p.Config.Intake.MaxImagePixels); err == nil {
		ph.Hash, ph.Hashes = hs[0], hs[1:]
	} else if !errors.Is(err, photo.ErrNotDecoded) {
		ph.Damaged = err.Error()
	}
	return ph
}

// rendered passes on a renderer's error, except characters missing from the font:
// the document was written with a visible marker, so that is logged as a warning.
func (p *Pipeline) rendered(err error) error {
	var mg *render.MissingGlyphsError
	if errors.As(err, &mg) {
		p.Log.Warn("characters missing from the font", "document", mg.Document, "font", mg.Font, "runes", string(mg.Runes))
		return nil
	}
	return err
}

// safely runs a stage, turning a panic into a problem naming the file.
func safely(problems *[]yanshou.Evidence, file string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			*problems = append(*problems, yanshou.Evidence{File: file, Detail: fmt.Sprintf("读取时出错，已跳过（%v）", r)})
		}
	}()
	fn()
}

// writeOutputs renders a version's documents into a temporary folder in the
// state folder and renames it into place only when complete, then records the
// verdict in the ledger.
func (p *Pipeline) writeOutputs(v *ledger.Version, r *yanshou.Result) error {
	folder := OutputFolder(r.Submission.Class, r.ID, r.Version)
	tmp := p.stateDir("tmp", r.Submission.ContentHash[:16])
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.RemoveAll(archive.WorkDir(tmp)); err != nil { // a leftover of a crash
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("无法写入输出目录：%w", err)
	}
	names := []string{"verdict.json", render.ReportName, render.AttendanceName}
	// The bound archive first (pass only, one per holder of archive_copies):
	// files it cannot bind in full become a warning the report lists.
	var arch *archive.Output
	if r.Verdict == yanshou.Pass {
		rectified, err := p.Ledger.Rectified(r.ID, r.Version)
		if err != nil {
			return fmt.Errorf("台账数据库出错：%w", err)
		}
		arch, err = archive.Write(tmp, r, p.Config, archive.Options{Rectified: rectified})
		if err := p.rendered(err); err != nil {
			return fmt.Errorf("装订归档册失败：%w", err)
		}
		f, err := arch.Finding(p.Config)
		if err != nil {
			return err
		}
		if f != nil {
			r.Findings = append(r.Findings, *f)
		}
		names = append(names, arch.Names()...)
	}
	if err := p.rendered(render.Report(filepath.Join(tmp, render.ReportName), r, p.Config)); err != nil {
		return fmt.Errorf("生成验收报告失败：%w", err)
	}
	if err := p.rendered(render.AttendanceBook(filepath.Join(tmp, render.AttendanceName), r, p.Config)); err != nil {
		return fmt.Errorf("生成考勤表失败：%w", err)
	}
	notice, err := render.Notice(tmp, r, p.Config)
	if err := p.rendered(err); err != nil {
		return fmt.Errorf("生成通知书失败：%w", err)
	}
	if notice != "" {
		names = append(names, notice)
	}
	r.Outputs = nil
	for _, n := range names {
		r.Outputs = append(r.Outputs, filepath.Join(p.Outbox, folder, n))
	}
	rep := r.Report()
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(tmp, "verdict.json"), data); err != nil {
		return err
	}
	final := filepath.Join(p.Outbox, folder)
	if err := os.RemoveAll(final); err != nil { // a leftover of this same version, from before a crash
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("无法写入输出目录 %s：%w", final, err)
	}
	if arch != nil {
		for _, c := range arch.Copies {
			if err := p.Ledger.RecordArchive(ledger.Archive{SHA256: c.SHA256, ContentHash: r.Submission.ContentHash,
				Holder: c.Holder, Copy: c.N, Of: c.Of, Path: filepath.Join(folder, c.Name), Size: c.Size,
				Files: r.Submission.Files, Created: p.Now()}); err != nil {
				return fmt.Errorf("台账数据库出错：%w", err)
			}
		}
	}
	return p.Ledger.Complete(v, r, folder, string(data), p.Now())
}

func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// OutputFolder names a version's output folder: institution, class, start date
// and version, made safe for Windows and Linux file systems. Names from the
// submission are never trusted as paths.
func OutputFolder(c *yanshou.ClassInfo, id string, version int) string {
	if c == nil || SafeName(c.Institution, 40) == "" {
		return fmt.Sprintf("未识别_%s_v%d", id, version)
	}
	parts := []string{SafeName(c.Institution, 40), SafeName(c.Class, 20), c.Start.String()}
	return fmt.Sprintf("%s_v%d", strings.Join(nonEmpty(parts), "_"), version)
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SafeName keeps letters, digits and harmless punctuation of s, at most max runes.
func SafeName(s string, maxRunes int) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if n >= maxRunes {
			break
		}
		switch {
		case r < 0x20 || strings.ContainsRune(`<>:"/\|?*`, r) || r == 0x7f:
			r = '_'
		case r == ' ' || r == '\u3000':
			r = '_'
		}
		b.WriteRune(r)
		n++
	}
	return strings.Trim(b.String(), "._")
}
