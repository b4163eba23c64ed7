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

// Number writes 0–99 in Chinese numerals (零, 一, 十, 十二, 二十三), as item,
// section and class numbers read in Chinese documents; other numbers keep Arabic
// digits (100, -1).
func Number(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	}
	var b strings.Builder
	if n/10 > 1 {
		b.WriteString(digits[n/10])
	}
	b.WriteString("十")
	if n%10 > 0 {
		b.WriteString(digits[n%10])
	}
	return b.String()
}

// Date writes a date as the 成文日期 of official paper (GB/T 9704): the year
// digit by digit with 〇, month and day in Chinese numerals —
// 二〇二六年五月十二日.
func Date(year, month, day int) string {
	digits := []rune("〇一二三四五六七八九")
	var b strings.Builder
	for _, c := range strconv.Itoa(year) {
		if c >= '0' && c <= '9' {
			b.WriteRune(digits[c-'0'])
		} else {
			b.WriteRune(c)
		}
	}
	b.WriteString("年" + Number(month) + "月" + Number(day) + "日")
	return b.String()
}

// Whole formats x rounded to a whole number, as distances in metres read
// (812.4 → "812").
func Whole(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }

// Bytes formats a byte count for people: "812 B", "3.4 KB", "12.0 MB".
func Bytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// PercentFixed formats a share with exactly one decimal (0.8 → "80.0%"), for
// figures set side by side that should line up.
func PercentFixed(share float64) string {
	return strconv.FormatFloat(100*share, 'f', 1, 64) + "%"
}
