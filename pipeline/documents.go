package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"
	"yanshou/rules"

	"yanshou"
	"yanshou/pipeline/output/archive"
	"yanshou/pipeline/output/render"
	"yanshou/pipeline/store/ledger"
)

// Document is one document of the outbox: a name and how it is rendered from
// its input. The documents of a judged version are listed in VersionDocuments,
// those of a batch in BatchDocuments; the pipeline renders a list in its order
// (the First ones before the others) and lists the files written in the order
// of the list.
type Document[In any] struct {
	Name string // what the document is, for readers of the list
	// First: rendered before the others of its list, because it may add to
	// what they show (the archive's binding warning is a finding of the report).
	First bool
	// Render writes the document and returns the names of the files written:
	// none when there is nothing to write for this input (no notice for a
	// pass). Its error names the document.
	Render func(in In) ([]string, error)
}

// renderAll renders docs (the First ones first) and returns the files written
// in the order of docs. It stops at the first error, returning the files of
// the documents written before it.
func renderAll[In any](docs []Document[In], in In) ([]string, error) {
	names := make([][]string, len(docs))
	for _, first := range []bool{true, false} {
		for i, d := range docs {
			if d.First != first {
				continue
			}
			n, err := d.Render(in)
			names[i] = n
			if err != nil {
				return slices.Concat(names...), err
			}
		}
	}
	return slices.Concat(names...), nil
}

// VersionRendering is what a judged version's documents are rendered from.
type VersionRendering struct {
	p      *Pipeline
	Dir    string          // the folder being filled (moved into place when complete)
	Result *yanshou.Result // the judged version; its findings may gain the archive's warning
	// Archive is the bound archive, when the version passed (set by its
	// document): its copies are recorded in the ledger with the verdict.
	Archive *archive.Output
}

// VersionDocuments are the documents of every judged version, in the order of
// its outputs after verdict.json: the report, the attendance workbook, the
// bound archive copies (a pass) and the notice (of rectification or veto).
var VersionDocuments = []Document[*VersionRendering]{
	{Name: render.ReportName, Render: func(x *VersionRendering) ([]string, error) {
		if err := x.p.rendered(render.Report(filepath.Join(x.Dir, render.ReportName), x.Result, x.p.Config)); err != nil {
			return nil, fmt.Errorf("生成验收报告失败：%w", err)
		}
		return []string{render.ReportName}, nil
	}},
	{Name: render.AttendanceName, Render: func(x *VersionRendering) ([]string, error) {
		if err := x.p.rendered(render.AttendanceBook(filepath.Join(x.Dir, render.AttendanceName), x.Result, x.p.Config)); err != nil {
			return nil, fmt.Errorf("生成考勤表失败：%w", err)
		}
		return []string{render.AttendanceName}, nil
	}},
	{Name: "归档册", First: true, Render: renderArchive},
	{Name: "通知书", Render: func(x *VersionRendering) ([]string, error) {
		if err := x.p.noticeNumber(x.Result); err != nil {
			return nil, fmt.Errorf("通知书取文号失败（台账数据库出错）：%w", err)
		}
		notice, err := render.Notice(x.Dir, x.Result, x.p.Config)
		if err := x.p.rendered(err); err != nil {
			return nil, fmt.Errorf("生成通知书失败：%w", err)
		}
		if notice == "" {
			return nil, nil
		}
		return []string{notice}, nil
	}},
}

// noticeNumber gives a failed or vetoed version the 文号 of its notice from
// the ledger (the year of its check, in the county's zone): the same version
// keeps its number when its documents are rendered again, and a reviewed set
// (r.Review) has a number of its own, kept by its confirmation.
func (p *Pipeline) noticeNumber(r *yanshou.Result) error {
	if p.Ledger == nil || r.Verdict == yanshou.Pass || r.CheckedAt.IsZero() {
		return nil
	}
	at := r.CheckedAt
	if p.Config.Location != nil {
		at = at.In(p.Config.Location)
	}
	year := at.Year()
	key := ledger.NoticeKey(r.ID, r.Version)
	if r.Review != nil {
		// A reviewed notice is a document of its own: its own 文号, kept when
		// the same confirmation's set is rendered again.
		key += fmt.Sprintf("|审核%d", r.Review.Set)
	}
	y, n, err := p.Ledger.DocumentNumber(key, year, r.CheckedAt)
	if err != nil {
		return err
	}
	r.DocNumber = p.Config.DocNumber(y, n)
	return nil
}

// inspectionNumber is the 文号 of the inspection form of institution made on
// the day of now (in the county's zone): forms made again that day keep it.
func (p *Pipeline) inspectionNumber(institution string, now time.Time) (string, error) {
	if p.Ledger == nil || now.IsZero() {
		return "", nil
	}
	if p.Config.Location != nil {
		now = now.In(p.Config.Location)
	}
	y, n, err := p.Ledger.DocumentNumber(ledger.InspectionKey(institution, now.Format("2006-01-02")), now.Year(), now)
	if err != nil {
		return "", err
	}
	return p.Config.DocNumber(y, n), nil
}

// renderArchive binds the archive of a passed version, one copy per holder of
// archive_copies; the files it cannot bind in full become a warning the
// report lists.
func renderArchive(x *VersionRendering) ([]string, error) {
	r, p := x.Result, x.p
	if r.Verdict != yanshou.Pass {
		return nil, nil
	}
	rectified, err := p.Ledger.Rectified(r.ID, r.Version)
	if err != nil {
		return nil, fmt.Errorf("台账数据库出错：%w", err)
	}
	arch, err := archive.Write(x.Dir, r, p.Config, archive.Options{Rectified: rectified})
	if err := p.rendered(err); err != nil {
		return nil, fmt.Errorf("装订归档册失败：%w", err)
	}
	x.Archive = arch
	if r.Facts != nil {
		r.Facts.Archive.Unbound = len(arch.Problems)
		if r.Facts.Evidence == nil {
			r.Facts.Evidence = map[string][]yanshou.Evidence{}
		}
		r.Facts.Evidence[yanshou.EvArchiveUnbound] = append([]yanshou.Evidence(nil), arch.Problems...)
		found, err := p.Rules.EvaluateOnly(r.Facts, rules.ArchiveBind)
		if err != nil {
			return nil, err
		}
		r.Findings = append(r.Findings, found...)
	}
	return arch.Names(), nil
}
