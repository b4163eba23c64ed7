package render

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	font, err := fontFor(testConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDoc(font, "test.pdf")
	if err != nil {
		t.Fatal(err)
	}
	d.setSize(10)
	em := d.width("中")
	tests := []struct {
		name  string
		text  string
		chars float64 // line width in ems
		want  []string
	}{
		{"cjk per character", "一二三四五六七八", 3, []string{"一二三", "四五六", "七八"}},
		{"comma does not start a line", "一二三，四五", 3, []string{"一二", "三，四", "五"}},
		{"full stop does not start a line", "一二三。", 3, []string{"一二", "三。"}},
		{"opening bracket does not end a line", "一二（三四", 3, []string{"一二", "（三四"}},
		{"latin word kept whole", "一二 IMG_1.jpg", 5, []string{"一二", "IMG_1.jpg"}},
		{"latin word wider than a line is cut", "0123456789abcdef", 4, []string{"01234567", "89abcdef"}},
		{"newline kept", "一\n二", 5, []string{"一", "二"}},
		{"empty", "", 5, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.chars*em + 0.001
			got := d.wrap(d.clean(tt.text), w)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %v em) = %q, want %q", tt.text, tt.chars, got, tt.want)
			}
			for _, l := range got {
				if d.width(l) > w+0.01 {
					t.Errorf("line %q is %.1f wide, over %.1f", l, d.width(l), w)
				}
			}
		})
	}
}

func TestChineseNumber(t *testing.T) {
	tests := map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 20: "二十", 23: "二十三", 99: "九十九", 100: "100"}
	for n, want := range tests {
		if got := chineseNumber(n); got != want {
			t.Errorf("chineseNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMaskID(t *testing.T) {
	tests := map[string]string{
		"411623199001011234": "411623********1234",
		"41162319920202222X": "411623********222X",
		"12345":              "12345",
		"":                   "",
	}
	for in, want := range tests {
		if got := maskID(in); got != want {
			t.Errorf("maskID(%q) = %q, want %q", in, got, want)
		}
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
