package archive

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"yanshou"
)

// rawPDF writes, with a raw PDF writer, a one-page PDF as office software
// writes it when it does not embed its fonts: a line in Helvetica (base-14,
// no font descriptor) and a line of Chinese in a Type0 font referencing SimSun
// by name (a CIDFontType2 whose descriptor has no FontFile2), encoded
// UniGB-UCS2-H (codes are Unicode), or with identity Identity-H: codes are
// SimSun's glyph numbers, a ToUnicode map gives the text.
func rawPDF(t testing.TB, path, latin, chinese string, identity bool) {
	t.Helper()
	var hex, bf strings.Builder
	n := 0
	for _, r := range chinese {
		code := int(r)
		if identity {
			code = 1000 + n
			fmt.Fprintf(&bf, "<%04X> <%04X>\n", code, r)
		}
		fmt.Fprintf(&hex, "%04X", code)
		n++
	}
	content := fmt.Sprintf("BT /F1 14 Tf 72 760 Td (%s) Tj ET\nBT /F2 16 Tf 72 720 Td <%s> Tj ET\n", latin, hex.String())
	enc, ordering, toUnicode := "UniGB-UCS2-H", "(GB1) /Supplement 2", ""
	cmap := ""
	if identity {
		enc, ordering, toUnicode = "Identity-H", "(Identity) /Supplement 0", " /ToUnicode 9 0 R"
		cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange " +
			fmt.Sprint(n) + " beginbfchar\n" + bf.String() + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n"
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /" + enc + " /DescendantFonts [7 0 R]" + toUnicode + " >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering " + ordering + " >> /FontDescriptor 8 0 R /DW 1000 >>",
		"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 996 855] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 50 >>",
	}
	if identity {
		objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(cmap), cmap))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	write(t, path, b.Bytes())
}

// unembeddedIn returns the lines of pdffonts for fonts not embedded.
func unembeddedIn(t *testing.T, pdffonts, path string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(run(t, pdffonts, path), "\n")[2:] {
		f := strings.Fields(l)
		// name type… encoding emb sub uni object ID: emb is the 5th field from the end
		if len(f) >= 7 && f[len(f)-5] != "yes" {
			out = append(out, l)
		}
	}
	return out
}

// TestFontsEmbedded: a submitted PDF using Helvetica and SimSun without
// embedding them is bound with every font embedded (pdffonts lists none with
// emb "no") and its text still selectable (pdftotext reads it); the submitted
// file is left as it was. Without pdftocairo on PATH the file is bound as it is
// and its first page says, in Chinese, which fonts are not embedded and why.
func TestFontsEmbedded(t *testing.T) {
	needTools(t, "pdffonts", "pdftotext", "pdftocairo")
	pdffonts, _ := exec.LookPath("pdffonts")
	pdftotext, _ := exec.LookPath("pdftotext")
	fx := newFixture(t)
	src := filepath.Join(t.TempDir(), "批复（宋体）.pdf")
	rawPDF(t, src, "Approval No. 14, 2026", "关于同意举办农村电商培训班的批复", false)
	identity := filepath.Join(t.TempDir(), "批复（宋体，字形编号）.pdf")
	rawPDF(t, identity, "Approval No. 14, 2026", "关于同意举办农村电商培训班的批复", true)
	for _, p := range []string{src, identity} {
		if got := unembeddedIn(t, pdffonts, p); len(got) != 2 {
			t.Fatalf("the test PDF should use 2 unembedded fonts:\n%s", strings.Join(got, "\n"))
		}
		ctx, err := api.ReadContextFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(unembeddedFonts(ctx), ","); got != "Helvetica,SimSun" {
			t.Errorf("unembeddedFonts = %s, want Helvetica,SimSun", got)
		}
	}
	fx.cfg.ArchiveCopies = []string{"县电商办"}
	for _, tc := range []struct {
		name     string
		src      string
		hide     bool   // pdftocairo hidden from PATH
		embedded bool   // every font of the archive embedded
		note     string // on the file's first page
	}{
		{"with pdftocairo", src, false, true, ""},
		{"without pdftocairo", src, true, false, "注：本文件使用的字体Helvetica、SimSun未嵌入，本机未安装pdftocairo（poppler-utils），装订时按原样保留"},
		// Glyph numbers of a SimSun this machine lacks: no substitute can draw
		// them; the original stands, said so (a machine with SimSun shows it).
		{"Identity-H without the font", identity, false, false, "注：本文件使用的字体Helvetica、SimSun未嵌入，嵌入失败（字体按字形编号编码（Identity-H），本机没有该字体，无法替换）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := os.ReadFile(tc.src)
			fx.r.Submission.Files = []yanshou.File{{Rel: "02批复/" + filepath.Base(tc.src), Abs: tc.src, Size: int64(len(data)), Kind: yanshou.Approval}}
			if tc.hide {
				t.Setenv("PATH", t.TempDir())
			}
			dir := t.TempDir()
			out, err := Write(dir, fx.r, fx.cfg, Options{Converter: "-"})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Problems) != 0 {
				t.Errorf("problems %+v: the file is bound in full either way", out.Problems)
			}
			a := filepath.Join(dir, out.Copies[0].Name)
			left := unembeddedIn(t, pdffonts, a)
			if tc.embedded != (len(left) == 0) {
				t.Errorf("fonts not embedded in the archive:\n%s", strings.Join(left, "\n"))
			}
			text := strings.Join(strings.Fields(run(t, pdftotext, a, "-")), "")
			for _, w := range []string{"关于同意举办农村电商培训班的批复", "ApprovalNo.14,2026"} {
				if !strings.Contains(text, w) {
					t.Errorf("archive text lacks %q (text no longer selectable?)", w)
				}
			}
			if has := strings.Contains(text, "未嵌入"); has != (tc.note != "") || tc.note != "" && !strings.Contains(text, tc.note) {
				t.Errorf("note: want %q in the archive, text:\n%s", tc.note, text)
			}
			if after, _ := os.ReadFile(tc.src); !bytes.Equal(data, after) {
				t.Error("the submitted file was modified")
			}
		})
	}
}
