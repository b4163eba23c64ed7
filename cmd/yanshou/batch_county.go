package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/output/ledgerbook"
)

// errNoInstitution: --inspection names no institution of the ledger.
var errNoInstitution = errors.New("台账中没有名称含此文字的培训机构")

// countyExtras are the county-level comparisons that go into 台账.xlsx and
// 全县汇总.pdf: poor-household coverage (第三条) and monthly plans (第十四条),
// each nil when the config does not name its source.
type countyExtras struct {
	coverage *yanshou.Coverage
	plans    *ledgerbook.PlanBook
}

func loadCountyExtras(p *pipeline.Pipeline, cfg *yanshou.Config, classes []yanshou.ClassRecord) (*countyExtras, error) {
	var x countyExtras
	if cfg.PoorRegistry != "" {
		members, problems, err := county.ReadRegistry(cfg.PoorRegistry, cfg)
		if err != nil {
			return nil, err
		}
		// Trainees of the latest version of each class whose latest verdict is a pass.
		var hashes []string
		label := map[string]string{}
		for _, c := range classes {
			if last := c.Latest(); last != nil && last.Verdict == yanshou.Pass {
				hashes = append(hashes, last.ContentHash)
				label[last.ContentHash] = fmt.Sprintf("%s %s（%s）", c.Institution, c.Class, c.Start)
			}
		}
		ids, err := p.Ledger.TrainedIDs(hashes)
		if err != nil {
			return nil, err
		}
		trained := map[string]string{}
		for id, h := range ids {
			trained[id] = label[h]
		}
		x.coverage = county.Cover(cfg.PoorRegistry, members, trained)
		x.coverage.Problems = problems
	}
	if cfg.MonthlyPlans != "" {
		plans, problems, err := county.ReadPlans(cfg.MonthlyPlans, cfg)
		if err != nil {
			return nil, err
		}
		x.plans = &ledgerbook.PlanBook{Rows: county.ComparePlans(plans, classes, cfg.Location), Problems: problems}
	}
	return &x, nil
}

// writeCountyDocs writes 全县汇总.pdf and, when inspection is not empty, the
// inspection record form of every institution whose name contains it (classes
// limited to since/until). It returns the paths written.
func writeCountyDocs(cfg *yanshou.Config, classes []yanshou.ClassRecord, x *countyExtras, outbox string, today time.Time,
	inspection string, since, until time.Time) (summary string, forms []string, err error) {
	s := county.Summarize(classes, today, cfg.Location)
	s.Coverage = x.coverage
	summary = filepath.Join(outbox, county.CountyFile)
	if err := county.WriteCounty(summary, s, cfg); err != nil {
		return "", nil, fmt.Errorf("%s：%w", county.CountyFile, err)
	}
	if inspection == "" {
		return summary, nil, nil
	}
	byInst := map[string][]yanshou.ClassRecord{}
	for _, c := range classes {
		if !strings.Contains(c.Institution, inspection) {
			continue
		}
		if _, ok := byInst[c.Institution]; !ok {
			byInst[c.Institution] = nil
		}
		if !since.IsZero() && c.Start.Before(since) || !until.IsZero() && c.Start.After(until) {
			continue
		}
		byInst[c.Institution] = append(byInst[c.Institution], c)
	}
	if len(byInst) == 0 {
		return summary, nil, fmt.Errorf("--inspection %q：%w", inspection, errNoInstitution)
	}
	var insts []string
	for inst := range byInst {
		insts = append(insts, inst)
	}
	sort.Strings(insts)
	for _, inst := range insts {
		path := filepath.Join(outbox, county.InspectionFile(pipeline.SafeName(inst, 40)))
		in := &county.Inspection{Institution: inst, Classes: byInst[inst], Today: today}
		if err := county.WriteInspection(path, in, cfg); err != nil {
			return summary, forms, fmt.Errorf("检查记录表 %s：%w", inst, err)
		}
		forms = append(forms, path)
	}
	return summary, forms, nil
}
