package hanzi

import "testing"

// Real pairs as they appear on sign-in sheets written by trainees or typed on a
// phone set to traditional characters, and the simplified roster form.
func TestSimplified(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"杜偉", "杜伟"},
		{"劉德華", "刘德华"},
		{"張三豐", "张三丰"},
		{"陳鳳英", "陈凤英"},
		{"黃麗娟", "黄丽娟"},
		{"趙雲", "赵云"},
		{"歐陽修", "欧阳修"},
		{"鄭國強", "郑国强"},
		{"謝霆鋒", "谢霆锋"},
		{"馮曉東", "冯晓东"},
		{"蘇紅", "苏红"},
		{"楊貴", "杨贵"},
		{"錢學森", "钱学森"},
		{"孫麗", "孙丽"},
		{"吳剛", "吴刚"},
		{"盧廣仲", "卢广仲"},
		{"龐統", "庞统"},
		{"杜伟", "杜伟"},      // simplified stays
		{"喆", "喆"},        // a rare simplified character stays
		{"王 芳", "王 芳"},    // spaces are the caller's business
		{"ＡＢＣ", "ABC"},    // full-width folded
		{"李\uF9B5", "李例"}, // a CJK compatibility ideograph (例) folded by NFKC
		{"", ""},
	} {
		if got := Simplified(tt.in); got != tt.want {
			t.Errorf("Simplified(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkSimplified(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Simplified("歐陽修")
	}
}
