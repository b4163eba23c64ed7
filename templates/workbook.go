package templates

// WorkbookFooter is the printed footer every workbook's sheets share (page
// numbers), from report/workbook.yaml with the county's override over it.
func WorkbookFooter(override string) (string, error) {
	var w struct {
		PageFooter string `yaml:"page_footer"`
	}
	if err := Load(override, "report/workbook.yaml", &w); err != nil {
		return "", err
	}
	return w.PageFooter, nil
}
