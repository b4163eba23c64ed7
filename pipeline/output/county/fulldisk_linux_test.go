package county_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline/output/county"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/platform/durable"
	"yanshou/pipeline/testkit/fulldisk"
)

// TestCountyPDFFullDisk: a full disk while 全县汇总.pdf or the inspection form is
// written is an error saying so, naming the file, and leaves no file at all —
// neither the document (a truncated PDF renamed into place was the bug) nor a
// temporary file.
func TestCountyPDFFullDisk(t *testing.T) {
	cfg := config.Default()
	dir := fulldisk.Full(t, 8<<10)
	today := time.Date(2026, 6, 1, 9, 0, 0, 0, cfg.Location)
	s := county.Summarize(nil, today, cfg.Location)
	writes := map[string]func(path string) error{
		"全县汇总.pdf": func(p string) error { return county.WriteCounty(p, s, cfg) },
		county.InspectionFile("某机构"): func(p string) error {
			return county.WriteInspection(p, &county.Inspection{Institution: "某机构", Today: today}, cfg)
		},
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			err := write(filepath.Join(dir, name))
			if !errors.Is(err, durable.ErrNoSpace) || !strings.Contains(err.Error(), name) {
				t.Fatalf("err = %v, want a full disk naming %s", err, name)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if e.Name() != "filler" {
					t.Errorf("left on the full disk: %s", e.Name())
				}
			}
		})
	}
}
