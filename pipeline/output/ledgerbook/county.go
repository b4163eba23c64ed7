package ledgerbook

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"yanshou"
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
func countySheets(f *excelize.File, st *styles, b *Book, cfg *yanshou.Config, used map[string]bool) error {
	if b.Coverage == nil && b.Plans == nil {
		return nil
	}
	w, err := loadSheetWords(cfg)
	if err != nil {
		return err
	}
	if b.Coverage != nil {
		if err := coverageSheet(f, st, w, b.Coverage, sheetName(w.Coverage.Sheet, used)); err != nil {
			return err
		}
	}
	if b.Plans != nil {
		if err := planSheet(f, st, w, b.Plans, sheetName(w.Plans.Sheet, used)); err != nil {
			return err
		}
	}
	return nil
}

func banner(f *excelize.File, st *styles, s, text string, cols, row int, style int) {
	f.MergeCell(s, cell(1, row), cell(cols, row))
	f.SetCellStr(s, cell(1, row), text)
	f.SetCellStyle(s, cell(1, row), cell(cols, row), style)
}

func header(f *excelize.File, st *styles, s string, cols []string, row int) {
	for i, c := range cols {
		f.SetCellStr(s, cell(i+1, row), c)
	}
	f.SetCellStyle(s, cell(1, row), cell(len(cols), row), st.header)
}

func coverageSheet(f *excelize.File, st *styles, w *sheetWords, c *yanshou.Coverage, s string) error {
	if _, err := f.NewSheet(s); err != nil {
		return err
	}
	n := len(w.Coverage.Columns)
	banner(f, st, s, w.Coverage.Title, n, 1, st.title)
	summary, err := templates.Fill(w.Coverage.Summary, map[string]any{"Members": c.Members, "Trained": len(c.Trained),
		"Missing": len(c.Missing), "Rate": fmt.Sprintf("%.1f%%", 100*c.Rate()), "Registry": c.Registry})
	if err != nil {
		return err
	}
	banner(f, st, s, summary, n, 2, st.sub)
	f.SetRowHeight(s, 2, 30)
	banner(f, st, s, w.Coverage.MissingTitle, n, 3, st.header)
	header(f, st, s, w.Coverage.Columns, 4)
	r := 5
	for i, m := range c.Missing {
		vals := []any{i + 1, m.Name, m.ID, m.Town, m.Village, m.Where}
		for j, v := range vals {
			f.SetCellValue(s, cell(j+1, r), v)
		}
		f.SetCellStyle(s, cell(1, r), cell(n, r), st.cell)
		f.SetCellStyle(s, cell(1, r), cell(1, r), st.number)
		r++
	}
	last := r - 1
	problemRows(f, st, s, w.Coverage.ProblemsTitle, n, r+1, c.Problems)
	colWidths(f, s, 6, 12, 22, 14, 14, 36)
	if err := f.AutoFilter(s, "A4:"+cell(n, max(4, last)), nil); err != nil {
		return err
	}
	return f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
}

// problemRows writes, from row on, a banner and one merged row per problem (the
// rows of a source workbook that could not be read); nothing when there are none.
func problemRows(f *excelize.File, st *styles, s, title string, cols, row int, problems []yanshou.Evidence) {
	if len(problems) == 0 {
		return
	}
	banner(f, st, s, title, cols, row, st.header)
	for i, p := range problems {
		r := row + 1 + i
		f.MergeCell(s, cell(1, r), cell(cols, r))
		f.SetCellStr(s, cell(1, r), problemText(p))
		f.SetCellStyle(s, cell(1, r), cell(cols, r), st.cell)
	}
}

// colWidths sets the widths of the first columns of a sheet.
func colWidths(f *excelize.File, s string, widths ...float64) {
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(s, col, col, wd)
	}
}

func problemText(p yanshou.Evidence) string {
	if p.File == "" {
		return p.Detail
	}
	return p.File + "：" + p.Detail
}

func planSheet(f *excelize.File, st *styles, w *sheetWords, p *PlanBook, s string) error {
	if _, err := f.NewSheet(s); err != nil {
		return err
	}
	n := len(w.Plans.Columns)
	banner(f, st, s, w.Plans.Title, n, 1, st.title)
	header(f, st, s, w.Plans.Columns, 2)
	r := 3
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
		vals := []any{row.Institution, fmt.Sprintf("%d-%02d", row.Year, int(row.Month)), row.PlannedClasses, row.DeliveredClasses,
			classShare, row.PlannedTrainees, row.Trained, traineeShare, row.Content, note}
		for j, v := range vals {
			f.SetCellValue(s, cell(j+1, r), v)
		}
		f.SetCellStyle(s, cell(1, r), cell(n, r), st.cell)
		f.SetCellStyle(s, cell(3, r), cell(4, r), st.number)
		f.SetCellStyle(s, cell(5, r), cell(5, r), st.pct)
		f.SetCellStyle(s, cell(6, r), cell(7, r), st.number)
		f.SetCellStyle(s, cell(8, r), cell(8, r), st.pct)
		if note != "" {
			f.SetCellStyle(s, cell(n, r), cell(n, r), st.warn)
		}
		r++
	}
	last := r - 1
	problemRows(f, st, s, w.Plans.ProblemsTitle, n, r+1, p.Problems)
	colWidths(f, s, 28, 10, 9, 9, 10, 9, 9, 10, 30, 14)
	if err := f.AutoFilter(s, "A2:"+cell(n, max(2, last)), nil); err != nil {
		return err
	}
	return f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// PlanBook is the monthly-plan comparison shown on the 月度计划 sheet.
type PlanBook struct {
	Rows     []yanshou.PlanRow
	Problems []yanshou.Evidence
}
