package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/output/render"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

// ReviewedDirName is the folder, inside a version's output folder, of the
// documents rendered again after the office confirmed the verdict: one
// subfolder per confirmation (ReviewedSetName), beside the program's own
// documents, which stay as they were.
const ReviewedDirName = "审核后"

// ReviewFile is the record of a reviewed set, in its folder: the review as
// the documents show it and the digest of the program's report it was
// rendered from (a batch renders the set again when that report changed).
const ReviewFile = "审核意见.json"

// ReviewedSetName names the folder of the reviewed set of the n-th
// confirmation of a version.
func ReviewedSetName(n int) string { return fmt.Sprintf("第%d次确认", n) }

// ErrNotConfirmed: the version's verdict does not stand confirmed, so no
// reviewed set is issued (dismissals alone change the class page, not the
// documents: a reviewed set is issued only on a confirmation).
var ErrNotConfirmed = errors.New("结论尚未确认（或确认后又有新的审核决定）：确认结论后才生成审核后的文件")

// Reviewed is a reviewed set written by RenderReviewed.
type Reviewed struct {
	Dir    string   // the set's folder, relative to the outbox
	Files  []string // its documents, relative to the version's output folder (审核后/第N次确认/验收报告.pdf …)
	Review *yanshou.Review
}

// reviewRecord is ReviewFile.
type reviewRecord struct {
	ReportSHA256 string          `json:"report_sha256"` // of the program's report (verdict.json as recorded)
	Review       *yanshou.Review `json:"review"`
	Files        []string        `json:"files"`
}

// RenderReviewed renders the reviewed set of version n of class id, whose
// final verdict stands confirmed (ErrNotConfirmed otherwise): the report and
// the notice (a fail or veto, with a 文号 of its own) or, for a pass, the
// bound archive in its copies, each with the 审核意见 block, into
// 审核后/第N次确认/ of the version's folder, N the confirmation's number. The
// version is read again from its stored originals; the findings shown are the
// program's recorded ones less those dismissed. The folder is written whole
// and moved into place (a second rendering of the same confirmation replaces
// it); the archive copies are recorded in the ledger, so that `yanshou verify`
// holds for them.
func (p *Pipeline) RenderReviewed(ctx context.Context, id string, n int) (*Reviewed, error) {
	all := ledger.Scope{All: true}
	c, err := p.Ledger.ScopedClass(all, id, p.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	var vr *yanshou.VersionRecord
	if c != nil {
		for i := range c.Versions {
			if c.Versions[i].Version == n {
				vr = &c.Versions[i]
			}
		}
	}
	if vr == nil || vr.OutDir == "" || !filepath.IsLocal(filepath.FromSlash(vr.OutDir)) {
		return nil, fmt.Errorf("台账中没有班次 %s 的第 %d 版（或其输出目录）", id, n)
	}
	ds, err := p.Ledger.Decisions(all, id, n)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	rep, err := p.officeReport(id, vr)
	if err != nil {
		return nil, err
	}
	rv, kept := review(rep, ds)
	if rv == nil {
		return nil, ErrNotConfirmed
	}
	dir, err := p.restore(vr.ContentHash)
	if err != nil {
		return nil, fmt.Errorf("无法取出第 %d 版的存档原件：%w", n, Classify(p.Outbox, err))
	}
	ch := &checking{path: dir, origin: vr.Origin, recheck: true}
	for _, step := range []func(*checking) error{p.open, p.inventory} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := step(ch); err != nil {
			return nil, err
		}
	}
	if ch.sub.ContentHash != vr.ContentHash {
		return nil, fmt.Errorf("第 %d 版的存档原件不完整（内容摘要不符），无法生成审核后的文件", n)
	}
	unlock, err := p.claim(ch)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if ch.v.SubmissionID != id || ch.v.Version != n || !ch.v.Done {
		return nil, fmt.Errorf("台账中第 %d 版的记录与其存档原件不符（%s 第 %d 版），无法生成审核后的文件", n, ch.v.SubmissionID, ch.v.Version)
	}
	r, err := p.judge(ch)
	if err != nil {
		return nil, err
	}
	if !vr.CheckedAt.IsZero() {
		r.CheckedAt = vr.CheckedAt
	}
	r.Verdict, r.Findings, r.Review = rv.Final, kept, rv
	switch {
	case rv.Final != yanshou.Fail:
		r.Deadline = yanshou.Date{}
	case rv.Program != yanshou.Fail || r.Deadline.IsZero():
		// A fail the office found: the time to rectify runs from its confirmation.
		r.Deadline = facts.Deadline(rv.Confirmed.At, p.Config)
	}
	return p.writeReviewed(vr, r)
}

// officeReport is the version's recorded report with the findings of the
// office's own facts taken in (the headcounts recorded for the class, through
// the same rule: OfficeFindings), as the desk shows and confirms it.
func (p *Pipeline) officeReport(id string, vr *yanshou.VersionRecord) (yanshou.Report, error) {
	rep, _, err := OfficeReport(p.Ledger, p.Rules, p.Config, ledger.Scope{All: true}, id, vr)
	return rep, err
}

// finals is the pipeline's engine of the office's final verdicts.
func (p *Pipeline) finals() Finals { return Finals{Ledger: p.Ledger, Rules: p.Rules, Config: p.Config} }

// review builds the review of a version from its report (the office's
// findings taken in) and the office's decisions, and the findings that still
// count (the program's less those dismissed, the downgraded ones one severity
// lighter, without the archive's binding warning, which the reviewed archive
// makes again); nil when no confirmation stands.
func review(rep yanshou.Report, ds []ledger.Decision) (*yanshou.Review, []yanshou.Finding) {
	conf := ledger.StandsConfirmed(rep, ds)
	if conf == nil {
		return nil, nil
	}
	rv := &yanshou.Review{Program: rep.Verdict, Final: ledger.FinalVerdict(rep, ds), Confirmed: reviewDecision(*conf, "", false)}
	for _, d := range ds {
		if d.Action == ledger.Confirm {
			rv.Set++
			continue
		}
		stale := d.Finding < 0 || d.Finding >= len(rep.Findings) || rep.Findings[d.Finding].Rule != d.Rule
		name := d.Rule
		if !stale {
			name = rep.Findings[d.Finding].Name()
		}
		rv.Decisions = append(rv.Decisions, reviewDecision(d, name, stale))
	}
	standing := ledger.Standing(ds)
	var kept []yanshou.Finding
	for i, f := range rep.Findings {
		switch {
		case standing[i] == ledger.Dismiss:
			rv.Dismissed = append(rv.Dismissed, f)
		case f.Rule == rules.ArchiveBind:
		case standing[i] == ledger.Downgrade:
			f.Severity = ledger.Lighter(f.Severity)
			kept = append(kept, f)
		default:
			kept = append(kept, f)
		}
	}
	return rv, kept
}

func reviewDecision(d ledger.Decision, finding string, stale bool) yanshou.ReviewDecision {
	return yanshou.ReviewDecision{Action: d.Action.Chinese(), Finding: finding, Message: d.Message, Reason: d.Reason,
		Reviewer: d.DisplayName, Role: string(d.Role), At: d.At, Stale: stale}
}

// writeReviewed renders r's reviewed set into a temporary folder, moves it
// into place and records its archive copies.
func (p *Pipeline) writeReviewed(vr *yanshou.VersionRecord, r *yanshou.Result) (_ *Reviewed, err error) {
	rv := r.Review
	rel := filepath.Join(filepath.FromSlash(vr.OutDir), ReviewedDirName, ReviewedSetName(rv.Set))
	tmp := p.stateDir("tmp", fmt.Sprintf("%s-%d-review%d", vr.ContentHash[:16], os.Getpid(), rv.Set))
	clean := func() {
		os.RemoveAll(tmp)
		os.RemoveAll(tmp + asideSuffix)
	}
	clean()
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("无法写入输出目录：%w", err)
	}
	defer func() {
		if err != nil {
			clean()
		}
	}()
	x := &VersionRendering{p: p, Dir: tmp, Result: r}
	names, err := renderAll(ReviewedDocuments, x)
	if err != nil {
		return nil, err
	}
	out := &Reviewed{Dir: rel, Review: rv}
	for _, name := range names {
		out.Files = append(out.Files, filepath.ToSlash(filepath.Join(ReviewedDirName, ReviewedSetName(rv.Set), name)))
	}
	sum := sha256.Sum256([]byte(reportJSON(vr)))
	data, err := json.MarshalIndent(reviewRecord{ReportSHA256: hex.EncodeToString(sum[:]), Review: rv, Files: names}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFileSync(filepath.Join(tmp, ReviewFile), data); err != nil {
		return nil, fmt.Errorf("写入 %s 失败：%w", ReviewFile, err)
	}
	if err := syncTree(tmp); err != nil {
		return nil, fmt.Errorf("无法写入输出目录：%w", err)
	}
	final := filepath.Join(p.Outbox, rel)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, fmt.Errorf("无法写入输出目录 %s：%w", final, err)
	}
	replaced, err := replaceDir(tmp, final)
	if err != nil {
		return nil, fmt.Errorf("无法写入输出目录 %s：%w", final, err)
	}
	if replaced {
		os.RemoveAll(tmp) // the set this rendering replaced
	}
	syncDir(filepath.Dir(final))
	if arch := x.Archive; arch != nil {
		for _, c := range arch.Copies {
			if err := p.Ledger.RecordArchive(ledger.Archive{SHA256: c.SHA256, ContentHash: vr.ContentHash,
				Holder: c.Holder, Copy: c.N, Of: c.Of, Path: filepath.Join(rel, c.Name), Size: c.Size,
				Files: r.Submission.Files, Created: p.Now()}); err != nil {
				return out, fmt.Errorf("台账数据库出错：%w", err)
			}
		}
	}
	return out, nil
}

// reportJSON is the program's report of a version as the ledger records it.
func reportJSON(vr *yanshou.VersionRecord) string {
	data, _ := json.Marshal(vr.Report)
	return string(data)
}

// ReviewedDocuments are the documents of a reviewed set, in their order: the
// report, the bound archive copies (a final pass) and the notice (a final
// fail or veto). The attendance workbook is the program's and is not made
// again.
var ReviewedDocuments = reviewedDocuments()

func reviewedDocuments() []Document[*VersionRendering] {
	var out []Document[*VersionRendering]
	for _, d := range VersionDocuments {
		if d.Name != render.AttendanceName {
			out = append(out, d)
		}
	}
	return out
}

// ReviewedSets lists the reviewed sets of a version's output folder (relative
// to the outbox), by confirmation, as paths relative to that folder of their
// documents (审核后/第1次确认/验收报告.pdf …); nil when there is none. A set
// without its record (being written, or damaged) is left out.
func ReviewedSets(outbox, outDir string) [][]string {
	base := filepath.Join(outbox, filepath.FromSlash(outDir), ReviewedDirName)
	entries, err := os.ReadDir(base)
	if err != nil {
		return nil
	}
	var ns []int
	for _, e := range entries {
		digits := strings.TrimSuffix(strings.TrimPrefix(e.Name(), "第"), "次确认")
		if n, err := strconv.Atoi(digits); e.IsDir() && err == nil && n > 0 && ReviewedSetName(n) == e.Name() {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	var sets [][]string
	for _, n := range ns {
		set := ReviewedSetName(n)
		data, err := os.ReadFile(filepath.Join(base, set, ReviewFile))
		var rec reviewRecord
		if err != nil || json.Unmarshal(data, &rec) != nil {
			continue
		}
		var files []string
		for _, f := range rec.Files {
			if filepath.IsLocal(f) && !strings.ContainsAny(f, `/\`) {
				files = append(files, ReviewedDirName+"/"+set+"/"+f)
			}
		}
		sets = append(sets, files)
	}
	return sets
}

// keepReviewed carries the reviewed sets of a version's folder (final) into
// the folder about to replace it (tmp), as hard links where the system can
// (copies elsewhere): the program's documents are rendered again, the
// office's reviewed sets stay. The folder being replaced keeps its own.
func keepReviewed(final, tmp string) error {
	src := filepath.Join(final, ReviewedDirName)
	if _, err := os.Lstat(src); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	dst := filepath.Join(tmp, ReviewedDirName)
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		if err := os.Link(path, target); err != nil {
			return copyFile(path, target)
		}
		return nil
	})
}

// refreshReviewed renders again, after a batch re-evaluated the classes, the
// reviewed set of every version whose verdict stands confirmed and whose set
// is missing or was rendered from another report than the ledger's now (the
// version was judged again under changed rules). It returns the sets written.
func (p *Pipeline) refreshReviewed(ctx context.Context) ([]string, error) {
	classes, err := p.Ledger.Classes(p.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
	if err != nil {
		return nil, err
	}
	all := ledger.Scope{All: true}
	var done []string
	for _, c := range classes {
		for _, v := range c.Versions {
			if err := ctx.Err(); err != nil {
				return done, err
			}
			ds, err := p.Ledger.Decisions(all, c.ID, v.Version)
			if err != nil {
				return done, err
			}
			rv, _ := review(v.Report, ds)
			if rv == nil || v.OutDir == "" || p.reviewedCurrent(&v, rv.Set) {
				continue
			}
			set, err := p.RenderReviewed(ctx, c.ID, v.Version)
			if err != nil {
				var fault *FaultError
				if err = Classify(p.Outbox, err); errors.As(err, &fault) {
					return done, err
				}
				p.Log.Error("reviewed set not rendered", "id", c.ID, "version", v.Version, "error", err)
				continue
			}
			done = append(done, set.Dir)
		}
	}
	return done, nil
}

// reviewedCurrent reports whether set n of version v is in place and was
// rendered from the report the ledger holds for v.
func (p *Pipeline) reviewedCurrent(v *yanshou.VersionRecord, n int) bool {
	data, err := os.ReadFile(filepath.Join(p.Outbox, filepath.FromSlash(v.OutDir), ReviewedDirName, ReviewedSetName(n), ReviewFile))
	if err != nil {
		return false
	}
	var rec reviewRecord
	if json.Unmarshal(data, &rec) != nil {
		return false
	}
	sum := sha256.Sum256([]byte(reportJSON(v)))
	return rec.ReportSHA256 == hex.EncodeToString(sum[:])
}
