package sample

import (
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"yanshou/pipeline/format/fonts"
)

// TestTableTextIsDark renders a two-row table and looks inside each cell,
// away from its border, for dark pixels: the words must be drawn in black, not
// in the header row's pale shading (the archive once showed the sample's
// imported tables with near-white words).
func TestTableTextIsDark(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm (poppler-utils) not installed; make deps installs it")
	}
	fontPath, err := fonts.Find(nil)
	if err != nil {
		t.Skip("no CJK font: ", err)
	}
	ts, err := newTypesetter(fontPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ts.newDoc(false)
	if err != nil {
		t.Fatal(err)
	}
	top := d.y
	d.table([]float64{0.5, 0.5}, [][]string{{"日期日期日期", "课程课程课程"}, {"三月三月三月", "直播直播直播"}}, 11)
	bottom := d.y
	b, err := d.bytes("t", "t", time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "t.pdf")
	if err := os.WriteFile(pdf, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "144", // two pixels a point
		"-gray", "-png", "-f", "1", "-l", "1", pdf, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "p-1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rowH := (bottom - top) / 2
	total := d.w - 2*d.margin
	for row := 0; row < 2; row++ {
		for col := 0; col < 2; col++ {
			x0 := int(2 * (d.margin + float64(col)*total/2 + 3))
			x1 := int(2 * (d.margin + float64(col+1)*total/2 - 3))
			y0 := int(2 * (top + float64(row)*rowH + 3))
			y1 := int(2 * (top + float64(row+1)*rowH - 3))
			dark := 0
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					if g, _, _, _ := img.At(x, y).RGBA(); g>>8 < 100 {
						dark++
					}
				}
			}
			if dark < 40 {
				t.Errorf("row %d column %d: %d dark pixels inside the cell; the words are not drawn in black", row, col, dark)
			}
		}
	}
}
