package gongwen

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tt := range []struct {
		name, text, number, title string
		date                      time.Time
	}{
		{"an approval as the county writes it", "商水县电子商务办公室\n商电商办〔2026〕14号\n关于同意商水县巾帼电商创业服务站\n举办巾帼电商直播带货培训班（第1期）的批复\n……同意你单位于2026年3月24日至3月25日……\n此复。\n商水县电子商务办公室\n2026年3月13日\n",
			"商电商办〔2026〕14号", "关于同意商水县巾帼电商创业服务站举办巾帼电商直播带货培训班(第1期)的批复", day("2026-03-13")},
		{"the date in Chinese numerals", "商电商办[2026]12号\n关于同意举办培训的批复\n二〇二六年三月五日", "商电商办〔2026〕12号", "关于同意举办培训的批复", day("2026-03-05")},
		{"a date of the twenties", "二〇二六年十二月二十一日", "", "", day("2026-12-21")},
		{"full-width brackets and spaces", "商电商办（ 2026 ）０７号\n关于XX的通知\n2026 年 4 月 1 日", "商电商办〔2026〕7号", "关于XX的通知", day("2026-04-01")},
		{"no number, no date", "培训总结\n本期培训顺利结束。", "", "", time.Time{}},
		{"an impossible date is not a date", "2026年2月30日", "", "", time.Time{}},
	} {
		f := Parse(tt.text)
		if f.Number != tt.number || f.Title != tt.title || !f.Date.Equal(tt.date) {
			t.Errorf("%s: %+v, want %q %q %v", tt.name, f, tt.number, tt.title, tt.date)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"商电商办〔2026〕12号", "商电商办〔2026〕12号"}, {"商电商办[2026]12号", "商电商办〔2026〕12号"},
		{"商电商办（2026）012号", "商电商办〔2026〕12号"}, {"商电商办 【2026】 12 号", "商电商办〔2026〕12号"},
	} {
		if got := NormNumber(tt.in); got != tt.want {
			t.Errorf("NormNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{
		{"同意你单位举办培训班（第1期），培训人数30人。", 30},
		{"培训学员50名", 50},
		{"参训人数为 45 人", 45},
		{"培训规模120人", 120},
		{"于2026年3月24日至3月25日举办", 0},
	} {
		if got := Parse(tt.text).Count; got != tt.want {
			t.Errorf("Count(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
