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
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
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

	inflight keyedMutex        // one check at a time per content hash
	photoIdx ledger.PhotoIndex // other classes' photos, to find only those that can matter
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
		return nil, Classify(outbox, fmt.Errorf("无法创建输出目录 %s：%w", outbox, err))
	}
	l, err := ledger.Open(filepath.Join(outbox, StateDirName))
	if err != nil {
		return nil, Classify(outbox, err)
	}
	// Temporary files of a store interrupted by a crash are cleared, and the
	// outputs a killed process was writing.
	_ = originals.Sweep(filepath.Join(outbox, StateDirName, "originals"), time.Hour)
	sweepTmp(filepath.Join(outbox, StateDirName, "tmp"), time.Now())
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
		err = Classify(p.Outbox, err)
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

	prior, err := p.priorPhotos(id, sub, r.Photos)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
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
	if !p.inPlace(v) {
		return nil, false
	}
	var rep yanshou.Report
	if err := json.Unmarshal([]byte(v.ReportJSON), &rep); err != nil {
		return nil, false
	}
	return &yanshou.Result{Submission: sub, ID: v.SubmissionID, Version: v.Version, Verdict: rep.Verdict,
		Findings: rep.Findings, Outputs: rep.Outputs, Facts: factsFromReport(rep)}, true
}

// inPlace reports whether a judged version's folder holds the verdict the
// ledger records. It may not after a crash between moving a new rendering into
// place and recording it (or after someone edited the folder): then the version
// is rendered again.
func (p *Pipeline) inPlace(v *ledger.Version) bool {
	if v.OutDir == "" || v.ReportJSON == "" {
		return false
	}
	data, err := os.ReadFile(filepath.Join(p.Outbox, v.OutDir, "verdict.json"))
	return err == nil && string(data) == v.ReportJSON
}

// unchanged reports whether a re-check of a judged version reached the same
// judgement (verdict, findings and counts) as recorded; then its documents stand
// and their paths are returned.
func (p *Pipeline) unchanged(v *ledger.Version, r *yanshou.Result) ([]string, bool) {
	var old yanshou.Report
	if !p.inPlace(v) || json.Unmarshal([]byte(v.ReportJSON), &old) != nil {
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

// priorPhotos returns the photos of other classes that facts compares this
// class's photos with, with their crop hashes: of the photos PhotosOutside would
// give, those with the same SHA-256 as one of photos or a perceptual hash near
// one of them (the others cannot change any fact), found through the pipeline's
// photo index instead of reading every earlier class's photos.
func (p *Pipeline) priorPhotos(id string, sub *yanshou.Submission, photos []yanshou.Photo) ([]yanshou.PriorPhoto, error) {
	bySum := make(map[string]string, len(sub.Files))
	for _, f := range sub.Files {
		bySum[f.Rel] = f.SHA256
	}
	sums := make([]string, 0, len(photos))
	for _, ph := range photos {
		if s := bySum[ph.File]; s != "" {
			sums = append(sums, s)
		}
	}
	prior, err := p.photoIdx.PhotosNear(p.Ledger, photo.HashAlgorithm, id, sums, facts.NearAny(photos, p.Config.Thresholds))
	if err != nil {
		return nil, err
	}
	p.withCropHashes(prior)
	return prior, nil
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
// state folder and moves it into place only when complete (every file synced),
// then records the verdict in the ledger. The ledger is the commit point: a
// crash before it leaves at most a complete folder whose verdict.json differs
// from the ledger's record, which the next check of that content sees (stored,
// unchanged) and renders again. On an error nothing half-written is left behind.
func (p *Pipeline) writeOutputs(v *ledger.Version, r *yanshou.Result) (err error) {
	folder := OutputFolder(r.Submission.Class, r.ID, r.Version)
	// Named by content and process: two processes never write into one
	// folder, and what a killed process left is found by sweepTmp.
	tmp := p.stateDir("tmp", fmt.Sprintf("%s-%d", r.Submission.ContentHash[:16], os.Getpid()))
	clean := func() {
		os.RemoveAll(tmp)
		os.RemoveAll(archive.WorkDir(tmp))
		os.RemoveAll(tmp + asideSuffix)
	}
	clean() // a leftover under this name: a killed process whose id this one got
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("无法写入输出目录：%w", err)
	}
	defer func() {
		if err != nil {
			// A disk that filled up or went away mid-render: the partial documents
			// would only take more space; the version is rendered afresh next time.
			clean()
		}
	}()
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
		return fmt.Errorf("写入 verdict.json 失败：%w", err)
	}
	// Every document reaches the disk before the folder is moved into place: a
	// power cut must not leave a complete-looking folder of empty files (and a
	// share that reports a full disk only when data is flushed reports it here).
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("无法写入输出目录：%w", err)
	}
	final := filepath.Join(p.Outbox, folder)
	replaced, err := replaceDir(tmp, final)
	if err != nil {
		return fmt.Errorf("无法写入输出目录 %s：%w", final, err)
	}
	syncDir(p.Outbox)
	if err := p.record(v, r, arch, folder, data); err != nil {
		if !replaced {
			// No record, no folder: the version is judged again next time.
			os.RemoveAll(final)
		} else {
			// tmp holds the folder this rendering replaced, which matches the
			// ledger's record: put it back (where that cannot be done, the next
			// check of this content finds the difference and renders again).
			exchange(tmp, final)
		}
		return err
	}
	if replaced {
		os.RemoveAll(tmp) // the replaced folder
	}
	return nil
}

// record writes a rendered version into the ledger: its archive copies, then
// its verdict.
func (p *Pipeline) record(v *ledger.Version, r *yanshou.Result, arch *archive.Output, folder string, data []byte) error {
	if arch != nil {
		for _, c := range arch.Copies {
			if err := p.Ledger.RecordArchive(ledger.Archive{SHA256: c.SHA256, ContentHash: r.Submission.ContentHash,
				Holder: c.Holder, Copy: c.N, Of: c.Of, Path: filepath.Join(folder, c.Name), Size: c.Size,
				Files: r.Submission.Files, Created: p.Now()}); err != nil {
				return fmt.Errorf("台账数据库出错：%w", err)
			}
		}
	}
	if err := p.Ledger.Complete(v, r, folder, string(data), p.Now()); err != nil {
		return fmt.Errorf("台账数据库出错：%w", err)
	}
	return nil
}

// sweepTmp removes from the state folder's tmp/ what processes that are gone
// were writing (folders named <hash>-<pid>…, see writeOutputs), and anything
// else there older than an hour.
func sweepTmp(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if _, rest, ok := strings.Cut(name, "-"); ok {
			digits := rest
			if i := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
				digits = rest[:i]
			}
			if pid, err := strconv.Atoi(digits); err == nil && pid > 0 {
				if pid == os.Getpid() || processAlive(pid) {
					continue
				}
				os.RemoveAll(filepath.Join(dir, name))
				continue
			}
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
}

// processAlive reports whether a process with this id exists (a process of
// another user counts).
func processAlive(pid int) bool {
	proc, err := os.FindProcess(pid)
	if err != nil {
		return false // Windows: no such process
	}
	defer proc.Release()
	if runtime.GOOS == "windows" {
		return true
	}
	err = proc.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// asideSuffix names, beside a version's temporary folder, where the folder it
// replaces is kept for a moment where folders cannot be exchanged atomically.
const asideSuffix = ".replaced"

// replaceDir moves the complete folder tmp to final; replaced reports that
// final existed (a re-check, or a rendering interrupted after its move). Then
// the two are exchanged atomically where the system can (Linux), so that final
// is never missing nor partly removed, and tmp holds the old folder; elsewhere
// the old folder is moved aside first and removed after.
func replaceDir(tmp, final string) (replaced bool, err error) {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		return false, os.Rename(tmp, final)
	}
	if err := exchange(tmp, final); err == nil {
		return true, nil
	}
	aside := tmp + asideSuffix
	if err := os.RemoveAll(aside); err != nil {
		return false, err
	}
	if err := os.Rename(final, aside); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Rename(aside, final) // put the old folder back
		return false, err
	}
	os.RemoveAll(aside)
	return true, nil
}

// syncTree flushes every file below dir, and the folders, to the disk.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			syncDir(path)
			return nil
		}
		// Opened for writing: Windows flushes only handles that may write.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// syncDir flushes a folder's entries (a rename into it) where the system allows.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
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

// FaultError is a check (or the opening of an outbox) that failed on the
// office's side rather than the submission's: the disk holding the outbox is
// full or read-only, the outbox may not be written, the ledger database is held
// by another process. Nothing was judged and nothing half-written is left in
// place; checked again once the fault is cleared, the submission is judged as
// if for the first time.
type FaultError struct {
	Hint string // what happened and what to do, in Chinese, naming the folder or file
	Err  error  // the error the fault was recognised in
}

// Error is the hint and the first line of the underlying error (a store of
// many files that all failed for the same reason gives one line and a count).
func (e *FaultError) Error() string {
	detail := e.Err.Error()
	if i := strings.IndexByte(detail, '\n'); i >= 0 {
		detail = fmt.Sprintf("%s（另有 %d 项同样失败）", detail[:i], strings.Count(detail[i:], "\n"))
	}
	return e.Hint + "。详情：" + detail
}

// Unwrap returns the underlying error.
func (e *FaultError) Unwrap() error { return e.Err }

// OperatorFault reports that the fault is the office's to clear, not the
// institution's: the watcher takes such a submission again at its next rescan.
func (e *FaultError) OperatorFault() bool { return true }

// SQLite result codes (the low byte of an extended code).
const (
	sqlitePerm     = 3
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadonly = 8
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

// Classify turns an error caused by the outbox's disk, permissions or ledger
// database into a FaultError whose message says so in words an operator acts
// on; any other error is returned as it is.
func Classify(outbox string, err error) error {
	var fe *FaultError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	if hint := faultHint(outbox, err); hint != "" {
		return &FaultError{Hint: hint, Err: err}
	}
	return err
}

func faultHint(outbox string, err error) string {
	db := filepath.Join(outbox, StateDirName, "ledger.db")
	full := fmt.Sprintf("输出目录 %s 所在磁盘空间不足（no space left on device）：请清理磁盘或扩容后重试，"+
		"写了一半的文件已删除，未记录任何结论", outbox)
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return fmt.Sprintf("台账数据库 %s 被另一个进程占用，等待 %d 秒后仍未释放：请关闭正在使用它的程序"+
				"（另一个 yanshou、sqlite3 命令行或数据库工具）后重试", db, int(ledger.BusyTimeout.Seconds()))
		case sqliteFull:
			return full
		case sqliteReadonly, sqliteCantOpen, sqlitePerm, sqliteIOErr:
			// SQLite does not say why; trying to write beside it does.
			if perr := probeWrite(db); perr != nil {
				if h := faultHint(outbox, perr); h != "" {
					return fmt.Sprintf("台账数据库 %s 无法写入：%s", db, h)
				}
			}
			return fmt.Sprintf("台账数据库 %s 无法写入：请检查运行 yanshou 的用户对输出目录 %s 的写权限，"+
				"以及所在磁盘是否只读、已满或损坏，排除后重试", db, outbox)
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch {
		case diskFull(errno):
			return full
		case errno == syscall.EFBIG:
			return fmt.Sprintf("文件大小超过系统限制（file too large，如 ulimit -f）：无法在输出目录 %s 写入，请放宽限制后重试", outbox)
		case errno == syscall.EROFS && inOutbox(outbox, err):
			return fmt.Sprintf("输出目录 %s 所在磁盘是只读的（read-only file system）：请以可写方式挂载后重试", outbox)
		case errno == syscall.EIO && inOutbox(outbox, err):
			return fmt.Sprintf("输出目录 %s 所在磁盘读写出错（I/O error）：请检查磁盘后重试", outbox)
		}
	}
	if errors.Is(err, fs.ErrPermission) && inOutbox(outbox, err) {
		return fmt.Sprintf("输出目录 %s 没有写入权限（permission denied）：请让运行 yanshou 的用户可以写入它及其中的 %s 状态目录后重试",
			outbox, StateDirName)
	}
	return ""
}

// probeWrite tries to write where the database lives: a new file in its
// folder, then the database file itself; the error says why SQLite could not.
func probeWrite(db string) error {
	f, err := os.CreateTemp(filepath.Dir(db), ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, err = f.Write([]byte("probe"))
	f.Close()
	os.Remove(name)
	if err != nil {
		return err
	}
	f, err = os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return f.Close()
}

// diskFull reports a full disk or an exhausted quota.
func diskFull(errno syscall.Errno) bool {
	if errno == syscall.ENOSPC || errno == syscall.EDQUOT {
		return true
	}
	// ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
	return runtime.GOOS == "windows" && (errno == 39 || errno == 112)
}

// inOutbox reports whether the path an error names lies in the outbox.
func inOutbox(outbox string, err error) bool {
	var paths []string
	var pe *fs.PathError
	if errors.As(err, &pe) {
		paths = append(paths, pe.Path)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		paths = append(paths, le.Old, le.New)
	}
	root, rerr := filepath.Abs(outbox)
	if rerr != nil {
		return false
	}
	for _, p := range paths {
		if a, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, a); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return true
			}
		}
	}
	return false
}
