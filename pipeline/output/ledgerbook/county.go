package ledgerbook

import (
	"fmt"

	"yanshou"
	"yanshou/pipeline/format/xlsxdoc"
	"yanshou/templates"
)

// sheetWords is templates/report/ledger_sheets.yaml.
type sheetWords struct {
	Coverage struct {
		Sheet         string   `yaml:"sheet"`
		Title         string   `yaml:"title"`
		Summary       string   `yaml:"summary"`
		MissingTitle  string   `yaml:"missing_title"`
		Columns       []string `yaml:"columns"`
		ProblemsTitle string   `yaml:"problems_title"`
	} `yaml:"coverage"`
	Plans struct {
		Sheet         string   `yaml:"sheet"`
		Title         string   `yaml:"title"`
		Columns       []string `yaml:"columns"`
		Unplanned     string   `yaml:"unplanned"`
		Short         string   `yaml:"short"`
		ProblemsTitle string   `yaml:"problems_title"`
	} `yaml:"plans"`
}

// loadSheetWords reads templates/report/ledger_sheets.yaml with the county's
// override on top, key by key (see templates.Load).
func loadSheetWords(cfg *yanshou.Config) (*sheetWords, error) {
	var w sheetWords
	if err := templates.Load(cfg.Templates, "report/ledger_sheets.yaml", &w); err != nil {
		return nil, err
	}
	if len(w.Coverage.Columns) != 6 || len(w.Plans.Columns) != 10 {
		return nil, fmt.Errorf("模板 report/ledger_sheets.yaml 的 coverage.columns 应有 6 个列名，plans.columns 应有 10 个")
	}
	return &w, nil
}

// countySheets adds the 贫困户覆盖 and 月度计划 sheets when the book carries them.
func countySheets(x *xlsxdoc.Book, st *styles, b *Book, cfg *yanshou.Config, used map[string]bool) error {
	if b.Coverage == nil && b.Plans == nil {
		return nil
	}
	w, err := loadSheetWords(cfg)
	if err != nil {
		return err
	}
	if b.Coverage != nil {
		if err := coverageSheet(x.Sheet(sheetName(w.Coverage.Sheet, used), len(w.Coverage.Columns)), st, w, b.Coverage); err != nil {
			return err
		}
	}
	if b.Plans != nil {
		planSheet(x.Sheet(sheetName(w.Plans.Sheet, used), len(w.Plans.Columns)), st, w, b.Plans)
	}
	return nil
}

func coverageSheet(s *xlsxdoc.Sheet, st *styles, w *sheetWords, c *yanshou.Coverage) error {
	s.Banner(w.Coverage.Title, st.title, 0)
	summary, err := templates.Fill(w.Coverage.Summary, map[string]any{"Members": c.Members, "Trained": len(c.Trained),
		"Missing": len(c.Missing), "Rate": fmt.Sprintf("%.1f%%", 100*c.Rate()), "Registry": c.Registry})
	if err != nil {
		return err
	}
	s.Banner(summary, st.sub, 30)
	s.Banner(w.Coverage.MissingTitle, st.header, 0)
	s.Header(w.Coverage.Columns, st.header)
	for i, m := range c.Missing {
		s.Put([]any{i + 1, m.Name, m.ID, m.Town, m.Village, m.Where}, st.number, st.cell)
	}
	last := s.Row
	problemRows(s, st, w.Coverage.ProblemsTitle, c.Problems)
	s.Widths(6, 12, 22, 14, 14, 36)
	s.Filter(last)
	s.Freeze(0, s.HeaderRow, "")
	return nil
}

// problemRows writes, after an empty row, a banner and one merged row per
// problem (the rows of a source workbook that could not be read); nothing when
// there are none.
func problemRows(s *xlsxdoc.Sheet, st *styles, title string, problems []yanshou.Evidence) {
	if len(problems) == 0 {
		return
	}
	s.Skip(1)
	s.Banner(title, st.header, 0)
	for _, p := range problems {
		s.Banner(problemText(p), st.cell, 0)
	}
}

func problemText(p yanshou.Evidence) string {
	if p.File == "" {
		return p.Detail
	}
	return p.File + "：" + p.Detail
}

func planSheet(s *xlsxdoc.Sheet, st *styles, w *sheetWords, p *PlanBook) {
	s.Banner(w.Plans.Title, st.title, 0)
	s.Header(w.Plans.Columns, st.header)
	for _, row := range p.Rows {
		note := ""
		switch {
		case !row.Planned:
			note = w.Plans.Unplanned
		case row.DeliveredClasses < row.PlannedClasses || row.Trained < row.PlannedTrainees:
			note = w.Plans.Short
		}
		classShare, traineeShare := any(""), any("")
		if row.Planned && row.PlannedClasses > 0 {
			classShare = row.ClassShare()
		}
		if row.Planned && row.PlannedTrainees > 0 {
			traineeShare = row.TraineeShare()
		}
		noteStyle := st.cell
		if note != "" {
			noteStyle = st.warn
		}
		s.Put([]any{row.Institution, fmt.Sprintf("%d-%02d", row.Year, int(row.Month)), row.PlannedClasses, row.DeliveredClasses,
			classShare, row.PlannedTrainees, row.Trained, traineeShare, row.Content, note},
			st.cell, st.cell, st.number, st.number, st.pct, st.number, st.number, st.pct, st.cell, noteStyle)
	}
	last := s.Row
	problemRows(s, st, w.Plans.ProblemsTitle, p.Problems)
	s.Widths(28, 10, 9, 9, 10, 9, 9, 10, 30, 14)
	s.Filter(last)
	s.Freeze(0, s.HeaderRow, "")
}

// PlanBook is the monthly-plan comparison shown on the 月度计划 sheet.
type PlanBook struct {
	Rows     []yanshou.PlanRow
	Problems []yanshou.Evidence
}
