package photo

import (
	"strings"
	"testing"
	"time"
)

// TestParseWatermark: the three common layouts and the phones' one, as OCR
// reads them (spaces between Chinese characters, full-width colons, O for 0, l
// for 1, a dot for the colon of a date), give the date, time, address and
// coordinates; a weekday that does not fit, two different dates or times, or a
// missing date or time give no time and say why.
func TestParseWatermark(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		lines    []string
		when     string // "" : no time
		problem  string // part of the reason when no time
		lat, lon *float64
		address  string
	}{
		{"今日水印", []string{"09:31", "2026-05-12 星期二", "河南省周口市商水县电子商务公共服务中心"},
			"2026-05-12 09:31:00", "", nil, nil, "河南省周口市商水县电子商务公共服务中心"},
		{"OCR spaces and full width", []string{"0 9 ： 3 1", "2 0 2 6 . 0 5 . 1 2  星 期 二", "河 南 省 商 水 县 城 关 乡"},
			"2026-05-12 09:31:00", "", nil, nil, "河南省商水县城关乡"},
		{"O and l for digits", []string{"O9:3l", "2O26/05/l2 周二"}, "2026-05-12 09:31:00", "", nil, nil, ""},
		{"马克 with coordinates", []string{"时间：2026年5月12日 14:07", "地点：商水县黄寨镇人民政府", "经度：114.611200 纬度：33.542100", "海拔：48.0米 天气：晴 26℃"},
			"2026-05-12 14:07:00", "", f(33.5421), f(114.6112), "商水县黄寨镇人民政府"},
		{"元道 direction letters", []string{"2026-05-13 08:02:45 星期三", "114.6254°E 33.5466°N", "河南省周口市商水县新城路"},
			"2026-05-13 08:02:45", "", f(33.5466), f(114.6254), "河南省周口市商水县新城路"},
		{"degrees minutes seconds", []string{"2026.05.12 10:00", "东经114°36'36\" 北纬33°32'24\""},
			"2026-05-12 10:00:00", "", f(33.54), f(114.61), ""},
		{"second slash read as 7", []string{"2026/05714 星期四", "08:26"}, "2026-05-14 08:26:00", "", nil, nil, ""},
		{"phone, time first", []string{"16:45 2026/5/14 星期四"}, "2026-05-14 16:45:00", "", nil, nil, ""},
		{"big clock repeated", []string{"09:31", "2026-05-12 09:31:12"}, "2026-05-12 09:31:12", "", nil, nil, ""},
		{"weekday does not fit", []string{"09:31", "2026-05-12 星期三"}, "", "星期", nil, nil, ""},
		{"two dates", []string{"2026-05-12 09:31", "2026-05-13"}, "", "日期", nil, nil, ""},
		{"two times", []string{"09:31", "2026-05-12 10:31"}, "", "时间", nil, nil, ""},
		{"no date", []string{"09:31", "星期二"}, "", "日期", nil, nil, ""},
		{"no time", []string{"2026-05-12 星期二"}, "", "时间", nil, nil, ""},
		{"no such day", []string{"2026-02-30 09:31"}, "", "日期", nil, nil, ""},
		{"hour 25 is no time", []string{"25:31 2026-05-12"}, "", "时间", nil, nil, ""},
		{"garbage", []string{"l|l ;; ~~ 口口"}, "", "日期", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := parseWatermark(tt.lines, loc)
			got := ""
			if w.hasTime {
				got = w.when.Format("2006-01-02 15:04:05")
			}
			if got != tt.when {
				t.Errorf("time %q, want %q (problem %q)", got, tt.when, w.problem)
			}
			if tt.when == "" && !strings.Contains(w.problem, tt.problem) {
				t.Errorf("problem %q, want one about %q", w.problem, tt.problem)
			}
			if tt.when != "" && w.problem != "" {
				t.Errorf("a time and a problem %q", w.problem)
			}
			near := func(a, b *float64) bool {
				return (a == nil) == (b == nil) && (a == nil || *a-*b < 1e-4 && *b-*a < 1e-4)
			}
			if !near(w.lat, tt.lat) || !near(w.lon, tt.lon) {
				t.Errorf("coordinates %v,%v, want %v,%v", fderef(w.lat), fderef(w.lon), fderef(tt.lat), fderef(tt.lon))
			}
			if w.address != tt.address {
				t.Errorf("address %q, want %q", w.address, tt.address)
			}
		})
	}
}

func fderef(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
