// Package zh formats numbers for Chinese documents and messages, one way
// everywhere: a share in a rule's finding reads as it does in the report's table.
package zh

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Percent formats a share (0.658 → "65.8%") rounded to one decimal, a
// trailing ".0" dropped (0.8 → "80%"). NaN and infinities read "—".
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Round(share*1000)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s + "%"
}

// Duration writes a span of time as Chinese text, one way everywhere: whole
// units from days down to minutes ("2小时", "1小时30分钟", "1天2小时"), seconds only
// for spans under an hour ("40秒", "2分钟5秒"), rounded to the second; zero is "0秒"
// and a negative span reads as its length.
func Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	m, s := int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var b strings.Builder
	if days > 0 {
		b.WriteString(strconv.Itoa(days) + "天")
	}
	if h > 0 {
		b.WriteString(strconv.Itoa(h) + "小时")
	}
	if m > 0 {
		b.WriteString(strconv.Itoa(m) + "分钟")
	}
	if s > 0 && days == 0 && h == 0 {
		b.WriteString(strconv.Itoa(s) + "秒")
	}
	if b.Len() == 0 {
		return "0秒"
	}
	return b.String()
}
