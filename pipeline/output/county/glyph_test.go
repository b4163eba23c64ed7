package county_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/platform/config"
)

// TestCountyMissingGlyph: a character no font has in an institution's name is
// drawn as □ and reported after the document is written — the glyph policy of
// the report — where the county documents once refused to be written.
func TestCountyMissingGlyph(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	name := "某某\U0010FFFD培训学校"
	today := time.Date(2026, 6, 1, 9, 0, 0, 0, cfg.Location)
	path := filepath.Join(dir, county.InspectionFile("某某培训学校"))
	err := county.WriteInspection(path, &county.Inspection{Institution: name, Today: today}, cfg)
	var mg *pdfdoc.MissingGlyphsError
	if !errors.As(err, &mg) || len(mg.Runes) != 1 || mg.Runes[0] != '\U0010FFFD' {
		t.Fatalf("err = %v, want a *pdfdoc.MissingGlyphsError naming U+10FFFD", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the form was not written: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "某某" + string(mg.Marker) + "培训学校"; !strings.Contains(string(out), want) {
		t.Errorf("the form's text does not hold %q:\n%s", want, out)
	}
}
