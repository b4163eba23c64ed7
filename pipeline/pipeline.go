// Package pipeline wires the stages: it takes one submission (a folder or a zip)
// from intake through inventory, manifest, photos, roster, facts and rules to a
// verdict, records it in the ledger and renders its documents into the outbox.
// The stages know nothing of each other; only this package calls them in order.
package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"yanshou"
	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/platform/digest"
	"yanshou/pipeline/stage/docs"
	"yanshou/pipeline/stage/intake"
	"yanshou/pipeline/stage/inventory"
	"yanshou/pipeline/stage/manifest"
	"yanshou/pipeline/stage/papers"
	"yanshou/pipeline/stage/photo"
	"yanshou/pipeline/stage/roster"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/rules"
	"yanshou/templates"
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
	if err := UseVocabularies(cfg); err != nil {
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

// CheckOptions choose how one submission is checked. They are passed with each
// check: nothing on the Pipeline is switched for one call.
type CheckOptions struct {
	// Recheck judges content again even when the ledger already holds its
	// verdict (the same version number is kept).
	Recheck bool
	// Origin is where the submission is recorded as found, when it is read from
	// elsewhere (stored originals re-judged under the path they were submitted
	// from); empty: the path checked.
	Origin string
}

// Check judges one submission (a folder or a .zip) and returns its report. It
// never panics: a submission that cannot be processed at all comes back with
// Report.Error set (and err non-nil). ctx is consulted between the steps up to
// the claim of a version in the ledger; from there the check runs to its end,
// so a cancelled check never leaves a claimed version half judged. A check
// stopped by ctx returns ctx's error.
func (p *Pipeline) Check(ctx context.Context, path string, opts CheckOptions) (rep yanshou.Report, err error) {
	origin := opts.Origin
	if origin == "" {
		origin = path
	}
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			p.Log.Error("internal error", "path", path, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("处理 %s 时发生内部错误：%v", path, r)
			rep = yanshou.Report{Path: path, Error: err.Error(), Findings: []yanshou.Finding{}, Outputs: []string{}}
		}
	}()
	c := &checking{path: path, origin: origin, recheck: opts.Recheck}
	r, err := p.check(ctx, c)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			p.Log.Info("not checked: stopped", "path", origin)
			return yanshou.Report{Path: origin, Error: NotCheckedStopped, Findings: []yanshou.Finding{}, Outputs: []string{}}, err
		}
		err = Classify(p.Outbox, err)
		p.Log.Error("not processed", "path", origin, "error", err)
		return yanshou.Report{Path: origin, Error: err.Error(), Findings: []yanshou.Finding{}, Outputs: []string{}}, err
	}
	p.Log.Info("checked", "path", path, "id", r.ID, "version", r.Version, "verdict", r.Verdict,
		"findings", len(r.Findings), "duration", time.Since(start).Round(time.Millisecond))
	rep = r.Report()
	rep.Path = origin
	rep.Repeat = c.repeat
	return rep, nil
}

// NotCheckedStopped is the Report.Error of a submission not checked because
// the run was stopped (SIGINT, SIGTERM) before it.
const NotCheckedStopped = "未检查：处理已中断（收到停止信号），重新运行即可继续"

// checking is one check in progress: what each step hands on to the next.
type checking struct {
	path, origin string
	recheck      bool
	repeat       bool // the version was judged before: its stored result is returned

	root    string        // the folder the submission's files are read from (open)
	zip     *yanshou.File // the zip itself, kept as an original too; nil for a folder (open)
	refused bool          // the zip was refused whole: its bytes are its content (open)

	fileProblems     []yanshou.Evidence // what could not be read, from every step
	manifestProblems []yanshou.Evidence // (inventory)
	sub              *yanshou.Submission

	id  string          // (claim)
	now time.Time       // the time of the check (claim)
	v   *ledger.Version // the version claimed (claim)
}

// check runs the steps over one submission; it returns an error only when
// nothing can be judged.
func (p *Pipeline) check(ctx context.Context, c *checking) (*yanshou.Result, error) {
	for _, step := range []func(*checking) error{p.open, p.inventory, p.preserve} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(c); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	unlock, err := p.claim(c)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if c.v.Done && !c.recheck {
		if r, ok := p.stored(c.v, c.sub); ok {
			p.Log.Info("already judged", "path", c.path, "id", c.id, "version", c.v.Version)
			c.repeat = true
			return r, nil
		}
	}
	r, err := p.judge(c)
	if err != nil {
		return nil, err
	}
	return p.render(c, r)
}

// open looks at the path: a folder is read where it is, a zip is unpacked into
// the state folder (a zip refused whole is judged as an empty submission whose
// finding says why); a symbolic link or anything else is refused.
func (p *Pipeline) open(c *checking) error {
	path := c.path
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New(templates.Say("pipeline.not_found", path))
	}
	if err != nil {
		return fmt.Errorf("无法读取 %s：%w", path, err)
	}
	c.root = path
	switch {
	case info.Mode()&os.ModeSymlink != 0:
		return fmt.Errorf("%s 是符号链接，不予处理；请提交文件夹或压缩包本身", path)
	case info.Mode().IsRegular() && strings.EqualFold(filepath.Ext(path), ".zip"):
		sum, _, err := digest.File(path)
		if err != nil {
			return fmt.Errorf("无法读取压缩包 %s：%w", path, err)
		}
		dest := p.stateDir("unpacked", sum)
		probs, err := intake.Unzip(path, filepath.Base(path), dest, p.Config.Intake)
		if err != nil {
			// A zip refused whole (a bomb, too many entries, unreadable) is judged as
			// an empty submission whose finding names the zip and the reason, so the
			// institution gets a report saying what to fix.
			empty := p.stateDir("refused", sum)
			if mkErr := os.MkdirAll(empty, 0o755); mkErr != nil {
				return mkErr
			}
			probs = append(probs, yanshou.Evidence{File: filepath.Base(path), Detail: err.Error()})
			dest = empty
			c.refused = true
		}
		c.fileProblems = append(c.fileProblems, probs...)
		c.root = intake.SubmissionRoot(dest)
		c.zip = &yanshou.File{Rel: filepath.Base(path), Abs: path, Size: info.Size(), SHA256: sum}
	case info.IsDir():
	default:
		return fmt.Errorf("%s 既不是文件夹也不是 .zip 压缩包", path)
	}
	return nil
}

// inventory lists the submission's files, sorts them into materials, hashes
// its content and reads the manifest (培训信息表) into its class.
func (p *Pipeline) inventory(c *checking) error {
	sub, probs, err := inventory.Scan(c.root)
	if err != nil {
		return err
	}
	sub.Origin = c.origin
	c.fileProblems = append(c.fileProblems, probs...)
	if c.refused {
		// Two refused zips unpack to the same nothing; they differ by their bytes.
		sub.ContentHash = inventory.ContentHash([]yanshou.File{*c.zip})
	}
	if ms := sub.FilesOf(yanshou.Manifest); len(ms) > 0 {
		m := ms[0]
		safely(&c.manifestProblems, m.Rel, func() {
			var pr []yanshou.Evidence
			sub.Class, pr = manifest.Read(m.Abs, m.Rel, p.Config)
			c.manifestProblems = append(c.manifestProblems, pr...)
		})
		for _, extra := range ms[1:] {
			c.manifestProblems = append(c.manifestProblems, yanshou.Evidence{File: extra.Rel, Detail: "有多个培训信息表，只读取了 " + m.Rel})
		}
	}
	c.sub = sub
	return nil
}

// preserve keeps the exact bytes judged in the originals store, before a
// version is claimed: if they cannot be kept (a disk error, a file edited while
// being read), nothing is judged and no version number is used up; the
// submission is taken again later.
func (p *Pipeline) preserve(c *checking) error {
	keep := c.sub.Files
	if c.zip != nil {
		keep = append(append([]yanshou.File{}, c.sub.Files...), *c.zip)
	}
	if err := originals.Store(p.stateDir("originals"), keep); err != nil {
		return fmt.Errorf("无法保存原始材料：%w", err)
	}
	return nil
}

// claim takes the content's version in the ledger (the one it already has, or
// the next of its class), holding the content's lock so that two copies of one
// submission checked at once are judged once; the returned func releases it.
func (p *Pipeline) claim(c *checking) (unlock func(), err error) {
	if c.id, err = p.Ledger.ID(c.sub.Class, c.origin); err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	unlock = p.inflight.lock(c.sub.ContentHash)
	c.now = p.Now()
	c.v, err = p.Ledger.Claim(c.id, c.sub.Class, c.sub.ContentHash, c.origin, c.now)
	if err != nil {
		unlock()
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	return unlock, nil
}

// judge reads the materials of the claimed version (documents, photos,
// rosters), gathers the facts, compares them with the ledger (other classes'
// photos, trainees trained elsewhere, the previous version) and evaluates the
// rules into a verdict.
func (p *Pipeline) judge(c *checking) (*yanshou.Result, error) {
	sub, v, now := c.sub, c.v, c.now
	r := &yanshou.Result{Submission: sub, ID: c.id, Version: v.Version, CheckedAt: now}
	found := docs.Check(sub, docs.Options{}) // documents are opened only for a version to be judged
	p.fileByTitles(sub)
	c.fileProblems = append(c.fileProblems, found.Unreadable...)
	venue, radius, _ := photo.Venue(sub.Class, p.Config)
	r.Venue, r.VenueM = venue, radius
	r.Photos = p.readPhotos(sub, venue, radius)
	var rosterCounts facts.RosterCounts
	var phones yanshou.PhoneUse
	var idPatterns yanshou.IDPatterns
	var repeats [][]yanshou.Evidence
	var paperEmpty, paperAlike []yanshou.Evidence
	safely(&c.fileProblems, "培训学员名单/签到表/电话回访记录", func() {
		typed, pictures := splitSignIns(sub.FilesOf(yanshou.SignInSheets))
		r.Attendance = roster.Read(sub.FilesOf(yanshou.Roster), typed, sub.FilesOf(yanshou.FollowUp), sub.Class, p.Config)
		if len(pictures) > 0 { // paper sign-in sheets, scanned or photographed
			paperEmpty, paperAlike, r.PaperBoxes = readPaper(r.Attendance, pictures, sub.Class, p.Config)
		}
		n := roster.Count(r.Attendance)
		rosterCounts = facts.RosterCounts{InvalidIDs: n.InvalidIDs + n.MissingIDs, Duplicates: n.Duplicates}
		phones = roster.Phones(r.Attendance, p.Config.Thresholds)
		idPatterns = roster.IDPatterns(r.Attendance, p.Config.Thresholds)
		repeats = roster.Repeats(r.Attendance)
	})
	if r.Attendance == nil {
		r.Attendance = &yanshou.Attendance{}
	}

	prior, err := p.priorPhotos(c.id, sub, r.Photos)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	serials, err := p.serialPhotos(c.id, sub, r.Photos)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	// Trained trainees, by index, to be found in other classes: by a valid (or
	// masked) ID, or by name with the phone or a masked ID.
	people := make([]yanshou.Person, len(r.Attendance.Trainees))
	for i, t := range r.Attendance.Trainees {
		if !t.Trained {
			continue
		}
		people[i] = yanshou.Person{Name: t.Name, Phone: t.Phone}
		if t.ID != "" && (strings.Contains(t.ID, "*") || roster.ValidID(t.ID) == "") {
			people[i].ID = t.ID
		}
	}
	trainedIn, err := p.Ledger.TrainedIn(c.id, people)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}

	// The office's own headcounts of the class's sessions, recorded on the
	// review desk before this version was judged (第七条).
	headcounts, err := p.Ledger.Headcounts(ledger.Scope{All: true}, c.id)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}

	r.Papers = papers.Read(sub, p.Config.Location, p.Ledger)
	r.Facts = facts.Gather(facts.Input{
		Submission: sub, ManifestProblems: c.manifestProblems, FileProblems: c.fileProblems, RiskyFiles: found.Risky,
		Photos: r.Photos, VenueKnown: venue != nil, Venue: venue, VenueRadiusM: radius, Attendance: r.Attendance,
		RosterProblems: rosterCounts, Phones: phones, IDPatterns: idPatterns, Papers: r.Papers, Repeats: repeats, PaperEmpty: paperEmpty, PaperAlike: paperAlike,
		PriorPhotos: prior, Captures: p.captures(sub, r.Photos, prior), SerialPhotos: serials, TrainedIn: trainedIn, Headcounts: headcounts, Config: p.Config,
	})
	r.PairOriginals = p.pairOriginals(sub, r.Photos)
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
		prev, prevFiles, err := p.Ledger.Previous(c.id, v.Version)
		if err != nil {
			return nil, fmt.Errorf("台账数据库出错：%w", err)
		}
		if prev != nil {
			var prevRep yanshou.Report
			json.Unmarshal([]byte(prev.ReportJSON), &prevRep)
			r.Changes = yanshou.CompareVersions(prev.Version, prev.Verdict, prevFiles, sub.Files, prevRep.Findings, r.Findings)
		}
	}
	return r, nil
}

// render writes the judged version's documents and records the verdict in the
// ledger (writeOutputs), unless it is a re-check that reached the judgement
// already recorded: then the documents in place stand.
func (p *Pipeline) render(c *checking, r *yanshou.Result) (*yanshou.Result, error) {
	if c.v.Done {
		if outputs, ok := p.unchanged(c.v, r); ok {
			r.Outputs = outputs
			p.keepDetail(r) // a version judged before details were kept gets one now
			p.Log.Info("re-checked, judgement unchanged", "path", c.path, "id", c.id, "version", c.v.Version)
			return r, nil
		}
	}
	if err := p.writeOutputs(c.v, r); err != nil {
		return nil, err
	}
	return r, nil
}

// stored returns the recorded result of a version already judged, if its
// outputs are still in place, with the facts the ledger recorded for it.
func (p *Pipeline) stored(v *ledger.Version, sub *yanshou.Submission) (*yanshou.Result, bool) {
	if !p.inPlace(v) {
		return nil, false
	}
	var rep yanshou.Report
	if err := json.Unmarshal([]byte(v.ReportJSON), &rep); err != nil {
		return nil, false
	}
	f := v.Facts
	if f == nil {
		// A version recorded before the ledger kept facts: its report's counts
		// are not restored (its attendance and photo summary read as zero).
		f = &yanshou.Facts{}
	}
	return &yanshou.Result{Submission: sub, ID: v.SubmissionID, Version: v.Version, Verdict: rep.Verdict,
		Findings: rep.Findings, Outputs: rep.Outputs, Facts: f}, true
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
		if f.Rule != rules.ArchiveBind {
			judged = append(judged, f)
		}
	}
	a, _ := json.Marshal([]any{old.Verdict, judged, old.Attendance, old.Photos})
	b, _ := json.Marshal([]any{now.Verdict, now.Findings, now.Attendance, now.Photos})
	return old.Outputs, bytes.Equal(a, b)
}

// rendered passes on a renderer's error, except characters missing from the font:
// the document was written with a visible marker, so that is logged as a warning.
func (p *Pipeline) rendered(err error) error {
	var mg *pdfdoc.MissingGlyphsError
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
