package pipeline

import (
	"fmt"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/pipeline/stage/inventory"
	"yanshou/templates"
)

// UseVocabularies puts in use the county's vocabularies of cfg, each merged over
// the built-in one: the material keywords (materials:) that recognise the files
// of a submission, the column names and words (sheet_vocab:) of its tables, and
// the evidence wording of the county's templates folder (templates:, its
// evidence/*.yaml).
// Open calls it; a command that reads tables without a pipeline calls it after
// loading the config. An empty key restores the built-in vocabulary.
func UseVocabularies(cfg *yanshou.Config) error {
	if err := inventory.UseVocabulary(cfg.Materials); err != nil {
		return fmt.Errorf("配置项 materials：%w", err)
	}
	if err := sheet.UseVocab(cfg.SheetVocab); err != nil {
		return fmt.Errorf("配置项 sheet_vocab：%w", err)
	}
	if err := templates.UseEvidence(cfg.Templates); err != nil {
		return fmt.Errorf("配置项 templates：%w", err)
	}
	return nil
}
