package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/output/ledgerbook"
	"yanshou/pipeline/platform/filename"
	"yanshou/pipeline/store/ledger"
)

// ErrNoInstitution: BatchOptions.Inspection names no institution of the ledger.
var ErrNoInstitution = errors.New("台账中没有名称含此文字的培训机构")

// LedgerBookFile is the ledger workbook a batch writes at the outbox root.
const LedgerBookFile = "台账.xlsx"

// BatchRendering is what the batch documents are rendered from: the ledger's
// classes after the re-evaluation and the county-level comparisons. The
// documents record the paths they wrote in Result.
type BatchRendering struct {
	p          *Pipeline
	Now        time.Time // the day standings are computed for, and the time the documents are made
	Classes    []yanshou.ClassRecord
	Coverage   *yanshou.Coverage    // poor-household coverage (第三条); nil without a registry
	Plans      *ledgerbook.PlanBook // monthly plans (第十四条); nil without plans
	Inspection string               // the inspection forms' institutions contain this; empty: none
	Since      time.Time            // the inspection forms list classes starting on or after (zero: no limit)
	Until      time.Time            // … and on or before (zero: no limit)
	Result     *BatchResult
}

// BatchDocuments are the documents a batch writes at the outbox root, in this
// order: the ledger workbook (台账.xlsx), the county summary (全县汇总.pdf) and
// the inspection forms (电子商务培训检查记录表-<机构>.pdf) when asked for. A
// failure stops the documents after it.
var BatchDocuments = []Document[*BatchRendering]{
	{Name: LedgerBookFile, Render: renderLedgerBook},
	{Name: county.CountyFile, Render: renderCountySummary},
	{Name: "电子商务培训检查记录表", Render: renderInspections},
}

// renderLedgerBook writes 台账.xlsx: one row per class with its standing, a
// sheet per institution, the county totals, coverage and plans.
func renderLedgerBook(x *BatchRendering) ([]string, error) {
	book := filepath.Join(x.p.Outbox, LedgerBookFile)
	if err := ledgerbook.Write(book, &ledgerbook.Book{Classes: x.Classes, Totals: x.Result.Totals, Outbox: x.p.Outbox, Today: x.Now,
		Coverage: x.Coverage, Plans: x.Plans}, x.p.Config); err != nil {
		return nil, fmt.Errorf("台账: %w", Classify(x.p.Outbox, err))
	}
	x.Result.Book = book
	return []string{book}, nil
}

// renderCountySummary writes 全县汇总.pdf.
func renderCountySummary(x *BatchRendering) ([]string, error) {
	s := county.Summarize(x.Classes, x.Now, x.p.Config.Location)
	s.Coverage = x.Coverage
	s.Now = x.Now
	summary := filepath.Join(x.p.Outbox, county.CountyFile)
	if err := x.p.rendered(county.WriteCounty(summary, s, x.p.Config)); err != nil {
		return nil, Classify(x.p.Outbox, fmt.Errorf("%s：%w", county.CountyFile, err))
	}
	x.Result.Summary = summary
	return []string{summary}, nil
}

// renderInspections writes, when x.Inspection is not empty, the inspection
// record form (第十五条) of every institution whose name contains it, with its
// classes limited to x.Since/x.Until; ErrNoInstitution when none does.
func renderInspections(x *BatchRendering) ([]string, error) {
	if x.Inspection == "" {
		return nil, nil
	}
	byInst := map[string][]yanshou.ClassRecord{}
	for _, c := range x.Classes {
		if !strings.Contains(c.Institution, x.Inspection) {
			continue
		}
		if _, ok := byInst[c.Institution]; !ok {
			byInst[c.Institution] = nil
		}
		if !x.Since.IsZero() && c.Start.Before(x.Since) || !x.Until.IsZero() && c.Start.After(x.Until) {
			continue
		}
		byInst[c.Institution] = append(byInst[c.Institution], c)
	}
	if len(byInst) == 0 {
		return nil, fmt.Errorf("--inspection %q：%w", x.Inspection, ErrNoInstitution)
	}
	var insts []string
	for inst := range byInst {
		insts = append(insts, inst)
	}
	sort.Strings(insts)
	var forms []string
	for _, inst := range insts {
		path := filepath.Join(x.p.Outbox, county.InspectionFile(filename.Safe(inst, 40)))
		in := &county.Inspection{Institution: inst, Classes: byInst[inst], Today: x.Now, Now: x.Now}
		rec, err := x.p.recordedInspection(inst, byInst[inst])
		if err != nil {
			return forms, fmt.Errorf("检查记录表 %s：读取登记的检查记录失败（台账数据库出错）：%w", inst, err)
		}
		in.Recorded = rec
		number, err := x.p.inspectionNumber(inst, x.Now)
		if err != nil {
			return forms, fmt.Errorf("检查记录表 %s：取文号失败（台账数据库出错）：%w", inst, err)
		}
		in.Number = number
		if err := x.p.rendered(county.WriteInspection(path, in, x.p.Config)); err != nil {
			return forms, Classify(x.p.Outbox, fmt.Errorf("检查记录表 %s：%w", inst, err))
		}
		forms = append(forms, path)
		x.Result.Forms = forms
	}
	return forms, nil
}

// batchFacts reads from the ledger what the batch documents show besides the
// classes: the county totals of trainees, the poor-household coverage (第三条)
// and the monthly plans (第十四条), each of the last two left nil when the
// config does not name its source.
func (p *Pipeline) batchFacts(x *BatchRendering) error {
	var latest []string
	for _, cl := range x.Classes {
		latest = append(latest, cl.Latest().ContentHash)
	}
	byCat, poor, local, err := p.Ledger.TrainedByCategory(latest)
	if err != nil {
		return err
	}
	x.Result.Totals = ledgerbook.Totals{Poor: poor, Local: local, ByCategory: byCat}
	for _, n := range byCat {
		x.Result.Totals.Trained += n
	}
	cfg := p.Config
	if cfg.PoorRegistry != "" {
		members, problems, err := county.ReadRegistry(cfg.PoorRegistry, cfg)
		if err != nil {
			return err
		}
		// Trainees of the latest version of each class whose latest verdict is a pass.
		var hashes []string
		label := map[string]string{}
		for _, c := range x.Classes {
			if last := c.Latest(); last != nil && last.Verdict == yanshou.Pass {
				hashes = append(hashes, last.ContentHash)
				label[last.ContentHash] = fmt.Sprintf("%s %s（%s）", c.Institution, c.Class, c.Start)
			}
		}
		ids, err := p.Ledger.TrainedIDs(hashes)
		if err != nil {
			return err
		}
		trained := map[string]string{}
		for id, h := range ids {
			trained[id] = label[h]
		}
		x.Coverage = county.Cover(cfg.PoorRegistry, members, trained)
		x.Coverage.Problems = problems
	}
	if cfg.MonthlyPlans != "" {
		plans, problems, err := county.ReadPlans(cfg.MonthlyPlans, cfg)
		if err != nil {
			return err
		}
		x.Plans = &ledgerbook.PlanBook{Rows: county.ComparePlans(plans, x.Classes, cfg.Location), Problems: problems}
	}
	return nil
}

// sweepPartials removes from the outbox the temporary files (.台账-*.partial,
// .全县汇总-*.partial …) of a batch killed while writing its workbook or
// summary; only those older than an hour, so as not to touch another batch's.
func sweepPartials(outbox string, now time.Time) {
	matches, _ := filepath.Glob(filepath.Join(outbox, ".*.partial"))
	for _, m := range matches {
		if info, err := os.Lstat(m); err == nil && info.Mode().IsRegular() && now.Sub(info.ModTime()) > time.Hour {
			os.Remove(m)
		}
	}
}

// recordedInspection is the latest inspection the office recorded on the
// review desk of one of classes (by 检查时间), which fills the institution's
// inspection form; nil when none was recorded.
func (p *Pipeline) recordedInspection(inst string, classes []yanshou.ClassRecord) (*yanshou.InspectionRecord, error) {
	rs, err := p.Ledger.InstitutionInspections(ledger.Scope{All: true}, inst)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, c := range classes {
		in[c.ID] = true
	}
	var last *yanshou.InspectionRecord
	for i := range rs {
		if in[rs[i].ClassID] {
			last = &rs[i]
		}
	}
	return last, nil
}
