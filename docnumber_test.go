package yanshou

import "testing"

func TestDocNumberAndMark(t *testing.T) {
	tests := []struct {
		scheme, mark string
		year, n      int
		want, mk     string
	}{
		{"商电商验〔{year}〕{n}号", "", 2026, 3, "商电商验〔2026〕3号", "某办文件"},
		{"{n}/{year}", "某县商务局", 2027, 12, "12/2027", "某县商务局"},
		{"商电商验〔{year}〕{n}号", "", 2026, 0, "", "某办文件"}, // no number issued
		{"", "", 2026, 4, "", "某办文件"},                 // no scheme
	}
	for _, tt := range tests {
		c := &Config{Office: "某办", OfficeMark: tt.mark, DocumentNumber: tt.scheme}
		if got := c.DocNumber(tt.year, tt.n); got != tt.want {
			t.Errorf("DocNumber(%q, %d, %d) = %q, want %q", tt.scheme, tt.year, tt.n, got, tt.want)
		}
		if got := c.Mark(); got != tt.mk {
			t.Errorf("Mark() = %q, want %q", got, tt.mk)
		}
	}
}
