package ocr

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"yanshou/pipeline/format/fonts"
)

// picture draws lines of black text on white with the system's CJK font.
func picture(t *testing.T, lines ...string) []byte {
	t.Helper()
	spec, err := fonts.Find(nil)
	if err != nil {
		t.Skipf("no CJK font (make deps installs one): %v", err)
	}
	data, err := fonts.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 40, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 900, 70*len(lines)+40))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(30, 70*(i+1))
		d.DrawString(l)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestLines: a picture of two lines is read line by line from its bytes, with
// a confidence; the same picture as a file is read by Text; garbage bytes are
// an ErrOCR, not a panic. Without tesseract on PATH, Available is false and a
// run is an ErrOCR (both paths: tesseract is hidden for the second).
func TestLines(t *testing.T) {
	pic := picture(t, "2026-05-12 09:31", "河南省商水县")
	if Available("chi_sim") {
		lines, err := Lines(pic, Options{PSM: 6})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, l := range lines {
			all = append(all, strings.ReplaceAll(l.Text, " ", ""))
			if l.Conf <= 0 || l.Conf > 100 {
				t.Errorf("line %q: confidence %v", l.Text, l.Conf)
			}
		}
		if got := strings.Join(all, "\n"); !strings.Contains(got, "2026-05-12") || !strings.Contains(got, "09:31") || !strings.Contains(got, "河南省") {
			t.Errorf("Lines: %q", got)
		}
		path := filepath.Join(t.TempDir(), "page.png")
		os.WriteFile(path, pic, 0o644)
		if txt, err := Text(path, Options{}); err != nil || !strings.Contains(txt, "2026") {
			t.Errorf("Text: %q %v", txt, err)
		}
		if _, err := Lines([]byte("not a picture"), Options{}); !errors.Is(err, ErrOCR) {
			t.Errorf("garbage: %v", err)
		}
	} else {
		t.Log("tesseract with chi_sim not installed: only the path without it is tested")
	}
	t.Setenv("PATH", t.TempDir())
	if Available("chi_sim") {
		t.Fatal("tesseract available with an empty PATH")
	}
	if _, err := Lines(pic, Options{}); !errors.Is(err, ErrOCR) {
		t.Errorf("without tesseract: %v", err)
	}
}

// TestParseTSV: words are grouped by block, paragraph and line, in order;
// rows of other levels, empty words and confidence −1 are skipped.
func TestParseTSV(t *testing.T) {
	tsv := "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		"1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n" +
		"5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t09:31\n" +
		"5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t80\t2026-05-12\n" +
		"5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t60\t星期二\n" +
		"5\t1\t1\t1\t2\t3\t0\t0\t10\t10\t-1\t \n" +
		"5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t50\t河南省\n"
	tests := []struct {
		text string
		conf float64
	}{{"09:31", 90}, {"2026-05-12 星期二", 70}, {"河南省", 50}}
	got := parseTSV([]byte(tsv))
	if len(got) != len(tests) {
		t.Fatalf("%d lines: %+v", len(got), got)
	}
	for i, w := range tests {
		if got[i].Text != w.text || got[i].Conf != w.conf {
			t.Errorf("line %d: %+v, want %+v", i, got[i], w)
		}
	}
}
