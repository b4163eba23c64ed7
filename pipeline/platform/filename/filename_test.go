package filename

import (
	"strings"
	"testing"
)

func TestSafe(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"chinese kept", "商水县宏达职业培训学校", 40, "商水县宏达职业培训学校"},
		{"spaces trimmed around", "  宏达学校 ", 40, "宏达学校"},
		{"inner space and ideographic space", "宏达 职业\u3000学校", 40, "宏达_职业_学校"},
		{"slashes", "培训机构 A/B", 40, "培训机构_A_B"},
		{"backslash and dots", `..\x`, 40, "x"},
		{"path traversal", "../../etc/passwd", 40, "etc_passwd"},
		{"control characters", "宏达\t学校\n\x00\x7f", 40, "宏达_学校"},
		{"windows characters", `a<b>c:d"e|f?g*h`, 40, "a_b_c_d_e_f_g_h"},
		{"cut by runes, not bytes", "一二三四五六七八九十", 4, "一二三四"},
		{"cut then trimmed", "一二三_四五", 4, "一二三"},
		{"no limit", strings.Repeat("长", 50), 0, strings.Repeat("长", 50)},
		{"empty", "   ", 40, ""},
		{"only forbidden", "///", 40, ""},
		{"reserved device name", "CON", 40, "CON_"},
		{"reserved in lower case with extension", "nul.txt", 40, "nul_.txt"},
		{"reserved numbered port", "com1", 40, "com1_"},
		{"not reserved: COM0", "COM0", 40, "COM0"},
		{"not reserved: longer", "CONSOLE", 40, "CONSOLE"},
		{"reserved only as whole name", "CON培训", 40, "CON培训"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Safe(tt.in, tt.max); got != tt.want {
				t.Errorf("Safe(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}
