package pdfdoc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"yanshou/pipeline/format/fonts"
)

func TestWrap(t *testing.T) {
	d, err := New(nil, "test.pdf")
	if err != nil {
		t.Fatal(err)
	}
	d.SetSize(10)
	em := d.Width("中")
	tests := []struct {
		name  string
		text  string
		chars float64 // line width in ems
		want  []string
	}{
		{"cjk per character", "一二三四五六七八", 3, []string{"一二三", "四五六", "七八"}},
		{"comma does not start a line", "一二三，四五", 3, []string{"一二", "三，四", "五"}},
		{"full stop does not start a line", "一二三。", 3, []string{"一二", "三。"}},
		{"two closing marks move on together", "一二三）。四", 4, []string{"一二", "三）。四"}},
		{"opening bracket does not end a line", "一二（三四", 3, []string{"一二", "（三四"}},
		{"latin word kept whole", "一二 IMG_1.jpg", 5, []string{"一二", "IMG_1.jpg"}},
		{"latin word wider than a line is cut", "0123456789abcdef", 4, []string{"01234567", "89abcdef"}},
		{"newline kept", "一\n二", 5, []string{"一", "二"}},
		{"empty", "", 5, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.chars*em + 0.001
			got := d.Wrap(d.Clean(tt.text), w)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %v em) = %q, want %q", tt.text, tt.chars, got, tt.want)
			}
			for _, l := range got {
				if d.Width(l) > w+0.01 {
					t.Errorf("line %q is %.1f wide, over %.1f", l, d.Width(l), w)
				}
			}
		})
	}
}

func TestWithKeywords(t *testing.T) {
	in := []byte("xref\ntrailer\n<<\n/Info <<\n/Title <FEFF0041>\n >>\n>>\nstartxref\n5\n%%EOF\n")
	got := string(withKeywords(in, "编号 v1"))
	want := "/Info <<\n/Keywords <FEFF7F1653F7002000760031>\n/Title"
	if !strings.Contains(got, want) || !strings.HasSuffix(got, "startxref\n5\n%%EOF\n") {
		t.Errorf("withKeywords = %q", got)
	}
}

// noFont is a character no font has (the last code point of plane 16, private use).
const noFont = '\U0010FFFD'

// TestGlyphPolicy: a character no font has is drawn as the marker, listed by
// Missing, and reported by Save's *MissingGlyphsError after the file is written
// — in flowing text and in text placed by coordinates alike.
func TestGlyphPolicy(t *testing.T) {
	tests := []struct {
		name string
		set  func(d *Doc, s string)
	}{
		{"paragraph", func(d *Doc, s string) { d.Para(s, TextStyle{Size: 12}) }},
		{"table", func(d *Doc, s string) {
			d.Table(Table{Size: 10, Cols: []Column{{Share: 0.3}, {Share: 0.7}}}, [][]string{{"机构", s}})
		}},
		{"placed text", func(d *Doc, s string) { d.TextCenter(PageW/2, 100, s, 14) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(nil, "test.pdf")
			if err != nil {
				t.Fatal(err)
			}
			tt.set(d, "某某"+string(noFont)+"培训学校")
			path := filepath.Join(t.TempDir(), "test.pdf")
			err = d.Save(path, Info{Title: "测试"})
			var mg *MissingGlyphsError
			if !errors.As(err, &mg) {
				t.Fatalf("Save = %v, want a *MissingGlyphsError", err)
			}
			if len(mg.Runes) != 1 || mg.Runes[0] != noFont || mg.Document != "test.pdf" {
				t.Errorf("reported %+v, want U+10FFFD in test.pdf", mg)
			}
			if got := d.Missing(); len(got) != 1 || got[0] != noFont {
				t.Errorf("Missing() = %q", got)
			}
			if !strings.Contains(err.Error(), "U+10FFFD") {
				t.Errorf("message %q does not name the code point", err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("the document was not written: %v", err)
			}
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("no pdftotext")
			}
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if want := "某某" + string(d.Marker()) + "培训学校"; !strings.Contains(string(out), want) {
				t.Errorf("text %q does not hold %q", out, want)
			}
		})
	}
}

// TestNoMissingGlyphs: a document whose characters all have a glyph saves
// without an error and lists nothing.
func TestNoMissingGlyphs(t *testing.T) {
	d, err := New(nil, "ok.pdf")
	if err != nil {
		t.Fatal(err)
	}
	d.Para("验收报告 2026 年第 1 期，合格率 80%。", TextStyle{Size: 11})
	if err := d.Save(filepath.Join(t.TempDir(), "ok.pdf"), Info{}); err != nil || len(d.Missing()) != 0 {
		t.Errorf("Save = %v, missing %q", err, d.Missing())
	}
}

// TestRareNameCharactersInSongStyle: characters outside GB2312 that names
// carry (喆, 玥, 堃, 赟, and 𠮷 of Extension B) are drawn from a serif face
// like the Song text around them, not from a sans fallback, and none is
// missing once fonts-hanazono is installed (make deps installs it).
func TestRareNameCharactersInSongStyle(t *testing.T) {
	const hanazono = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"
	if _, err := os.Stat(hanazono); err != nil {
		t.Skip("fonts-hanazono not installed; make deps installs it")
	}
	d, err := New(nil, "t.pdf")
	if err != nil {
		t.Skip("no CJK font: ", err)
	}
	const names = "王喆李玥张堃赵赟𠮷"
	if got := d.Clean(names); got != names {
		t.Errorf("Clean(%q) = %q", names, got)
	}
	if m := d.Missing(); len(m) != 0 {
		t.Errorf("missing %q", string(m))
	}
	for _, r := range names {
		f := d.runeFont[r]
		if f == 0 {
			continue // the primary font has it
		}
		spec := d.fonts.fallbacks[f-1]
		if !strings.Contains(spec, "hanazono") && !strings.Contains(spec, "uming") && !strings.Contains(strings.ToLower(spec), "sim") {
			t.Errorf("%c is drawn from %s, not from a serif face", r, spec)
		}
	}
}

// TestFaces: a paragraph in a face with a font on this machine is set in that
// font (pdffonts lists it), a face without one in the primary font; Latin and
// rare characters the face lacks keep the glyph policy (primary, fallbacks, □).
func TestFaces(t *testing.T) {
	d, err := New(nil, "faces.pdf")
	if err != nil {
		t.Skip("no CJK font: ", err)
	}
	for _, f := range []Face{FaceHei, FaceFang, FaceKai} {
		d.Para("验收 2026 年第 1 期𠀀", TextStyle{Size: 16, Face: f})
		spec, ok := fonts.FindStyle(fonts.Style(f))
		if got := d.FaceFont(f); ok != (got != "") || ok && got != spec {
			t.Errorf("face %v set in %q, want %q (found %v)", f, got, spec, ok)
		}
	}
	path := filepath.Join(t.TempDir(), "faces.pdf")
	d.Save(path, Info{})
	if m := d.Missing(); string(m) != "𠀀" && string(m) != "" {
		t.Errorf("missing %q", string(m))
	}
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Skip("pdffonts: ", err)
	}
	for _, f := range []Face{FaceHei, FaceFang, FaceKai} {
		if spec := d.FaceFont(f); spec != "" && !strings.Contains(string(out), familyName(spec)) {
			t.Errorf("face %v font %s not embedded:\n%s", f, spec, out)
		}
	}
	text, _ := exec.Command("pdftotext", path, "-").Output()
	if strings.Count(string(text), "验收 2026 年第 1 期") != 3 {
		t.Errorf("text of the three faces not read back:\n%s", text)
	}
}

// TestTableKeepWith: what follows a table with KeepWith is never alone on a
// page: when it does not fit after the last row, the last rows go with it.
func TestTableKeepWith(t *testing.T) {
	for _, tt := range []struct {
		name      string
		rows      int
		keep      float64
		wantPages int
		withSign  string // a row on the signature's page
	}{
		{"kept", 12, 200, 2, "第12行"},
		{"one row kept", 1, 200, 2, "第1行"},
		{"not kept: the signature alone", 12, 0, 2, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(nil, "keep.pdf")
			if err != nil {
				t.Skip("no CJK font: ", err)
			}
			d.Y = Bottom - float64(tt.rows)*20 - 20 // the rows just fit
			var rows [][]string
			for i := range tt.rows {
				rows = append(rows, []string{fmt.Sprintf("第%d行", i+1)})
			}
			d.Table(Table{Size: 9, Cols: []Column{{Share: 1}}, RowMin: 20, KeepWith: tt.keep}, rows)
			d.Ensure(200) // what the signature needs
			d.Para("验收签署", TextStyle{Size: 11})
			path := filepath.Join(t.TempDir(), "keep.pdf")
			if err := d.Save(path, Info{}); err != nil {
				t.Fatal(err)
			}
			if d.Pages() != tt.wantPages {
				t.Errorf("%d pages, want %d", d.Pages(), tt.wantPages)
			}
			out, err := exec.Command("pdftotext", "-f", fmt.Sprint(d.Pages()), "-l", fmt.Sprint(d.Pages()), path, "-").Output()
			if err != nil {
				t.Skip("pdftotext: ", err)
			}
			if tt.withSign != "" && !strings.Contains(string(out), tt.withSign) {
				t.Errorf("the signature's page has no %s:\n%s", tt.withSign, out)
			}
			if tt.withSign == "" && strings.Contains(string(out), "行") {
				t.Errorf("rows moved without KeepWith:\n%s", out)
			}
		})
	}
}
