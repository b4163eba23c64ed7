package zh

import (
	"math"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		share float64
		want  string
	}{
		{25.0 / 38, "65.8%"}, // the finding once said 65.78947368421053%
		{0.8, "80%"},
		{0.3, "30%"},
		{1, "100%"},
		{0, "0%"},
		{0.0005, "0.1%"},
		{0.00049, "0%"},
		{-0.0001, "0%"},
		{0.125, "12.5%"},
		{2.0 / 3, "66.7%"},
		{math.NaN(), "—"},
	} {
		if got := Percent(tt.share); got != tt.want {
			t.Errorf("Percent(%v) = %q, want %q", tt.share, got, tt.want)
		}
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0秒"}, {40 * time.Second, "40秒"}, {11 * time.Minute, "11分钟"}, {11*time.Minute + 5*time.Second, "11分钟5秒"},
		{90 * time.Minute, "1小时30分钟"}, // the rules once said 90分钟, the evidence 1小时30分
		{2 * time.Hour, "2小时"}, {2*time.Hour + 30*time.Minute + 10*time.Second, "2小时30分钟"},
		{26 * time.Hour, "1天2小时"}, {-3 * time.Minute, "3分钟"}, {1500 * time.Millisecond, "2秒"},
	} {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "零"}, {1, "一"}, {9, "九"}, {10, "十"}, {11, "十一"}, {20, "二十"},
		{23, "二十三"}, {99, "九十九"}, {100, "100"}, {-1, "-1"},
	} {
		if got := Number(tt.n); got != tt.want {
			t.Errorf("Number(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestWhole(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{{812.4, "812"}, {812.5, "813"}, {0, "0"}, {-0.4, "-0"}, {1500, "1500"}} {
		if got := Whole(tt.x); got != tt.want {
			t.Errorf("Whole(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestBytes(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KB"}, {3500, "3.4 KB"}, {1 << 20, "1.0 MB"}, {12_600_000, "12.0 MB"}} {
		if got := Bytes(tt.n); got != tt.want {
			t.Errorf("Bytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestPercentFixed(t *testing.T) {
	for _, tt := range []struct {
		share float64
		want  string
	}{{0.8, "80.0%"}, {25.0 / 38, "65.8%"}, {0, "0.0%"}, {1, "100.0%"}} {
		if got := PercentFixed(tt.share); got != tt.want {
			t.Errorf("PercentFixed(%v) = %q, want %q", tt.share, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		y, m, d int
		want    string
	}{
		{2026, 5, 12, "二〇二六年五月十二日"},
		{2030, 10, 1, "二〇三〇年十月一日"},
		{2026, 12, 31, "二〇二六年十二月三十一日"},
		{2026, 2, 20, "二〇二六年二月二十日"},
	}
	for _, tt := range tests {
		if got := Date(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("Date(%d, %d, %d) = %q, want %q", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}
