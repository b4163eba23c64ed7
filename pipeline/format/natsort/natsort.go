// Package natsort orders names the way a clerk reads them: numbers, Arabic or
// Chinese, by their value, the text between them as text. 第二讲 comes before
// 第十讲, 照片2 before 照片10, (2) before (10), 2026.5.9 before 2026.5.10, and
// full-width digits count as digits. Names equal in that reading are ordered by
// their plain bytes, so the order is total and the same on every run.
//
// It orders for display only: whatever is hashed or stored keeps its own order.
package natsort

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Compare returns -1 when a reads before b, +1 when after, 0 only when a == b.
func Compare(a, b string) int {
	if c := compareChunks(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// Less reports whether a reads before b.
func Less(a, b string) bool { return Compare(a, b) < 0 }

// Strings sorts s in reading order.
func Strings(s []string) { slices.SortStableFunc(s, Compare) }

// Sort sorts s in the reading order of key (stable: elements with the same key
// keep their order).
func Sort[T any](s []T, key func(T) string) {
	slices.SortStableFunc(s, func(x, y T) int { return Compare(key(x), key(y)) })
}

// compareChunks compares a and b chunk by chunk: a number before text, numbers
// by value, text by its ASCII-case-folded bytes.
func compareChunks(a, b string) int {
	for a != "" && b != "" {
		ca, na, ra := next(a)
		cb, nb, rb := next(b)
		a, b = ra, rb
		switch {
		case na && !nb:
			return -1
		case !na && nb:
			return 1
		case na:
			if c := compareDigits(ca, cb); c != 0 {
				return c
			}
		default:
			if c := strings.Compare(strings.ToLower(ca), strings.ToLower(cb)); c != 0 {
				return c
			}
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// compareDigits compares two decimal strings without leading zeros by value.
func compareDigits(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// next cuts the first chunk off s. A number chunk is returned as its value in
// decimal digits without leading zeros ("0" for zero).
func next(s string) (chunk string, number bool, rest string) {
	r, _ := utf8.DecodeRuneInString(s)
	switch {
	case arabic(r) >= 0:
		i, digits := 0, make([]byte, 0, 8)
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			d := arabic(r)
			if d < 0 {
				break
			}
			digits = append(digits, byte('0'+d))
			i += n
		}
		return trimZeros(string(digits)), true, s[i:]
	case chineseStart(r):
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if chineseDigit(r) < 0 && chineseUnit(r) == 0 {
				break
			}
			i += n
		}
		return chineseValue(s[:i]), true, s[i:]
	}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if arabic(r) >= 0 || chineseStart(r) {
			break
		}
		i += n
	}
	return s[:i], false, s[i:]
}

// arabic is the value of an ASCII or full-width digit, else -1.
func arabic(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// chineseDigit is the value of a Chinese digit (〇 to 九, 两, 零), else -1.
func chineseDigit(r rune) int {
	switch r {
	case '〇', '零':
		return 0
	case '一':
		return 1
	case '二', '两':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

// chineseUnit is the power of ten a unit character stands for, else 0.
func chineseUnit(r rune) int {
	switch r {
	case '十':
		return 1
	case '百':
		return 2
	case '千':
		return 3
	case '万':
		return 4
	case '亿':
		return 8
	}
	return 0
}

// chineseStart reports whether a Chinese number may start with r: a digit or
// 十 (第十讲). 百, 千, 万 and 亿 alone are words (百度, 万达), not numbers.
func chineseStart(r rune) bool { return chineseDigit(r) >= 0 || r == '十' }

// chineseValue is the value of a run of Chinese numerals in decimal digits:
// 十二 → 12, 二十 → 20, 一百零五 → 105, 二〇二六 → 2026 (no units: digit by digit).
func chineseValue(s string) string {
	units := false
	for _, r := range s {
		if chineseUnit(r) > 0 {
			units = true
		}
	}
	if !units {
		digits := make([]byte, 0, len(s)/3)
		for _, r := range s {
			digits = append(digits, byte('0'+chineseDigit(r)))
		}
		return trimZeros(string(digits))
	}
	// total: what the 亿 and 万 groups hold; section: below the current 万;
	// digit: the digit waiting for its unit. Values past uint64 saturate (the
	// plain-string tie-break still orders them).
	var total, section, digit uint64
	for _, r := range s {
		if d := chineseDigit(r); d >= 0 {
			digit = uint64(d)
			continue
		}
		switch u := chineseUnit(r); {
		case u < 4:
			if digit == 0 && u == 1 {
				digit = 1 // 十二: 一 is implied
			}
			section = sat(section, sat(digit, pow10(u), mul), add)
		case u == 4: // 万: what stands before it, in ten thousands
			total = sat(total, sat(sat(section, digit, add), pow10(u), mul), add)
			section = 0
		default: // 亿: everything before it, in hundred millions
			total = sat(sat(total, sat(section, digit, add), add), pow10(u), mul)
			section = 0
		}
		digit = 0
	}
	total = sat(total, sat(section, digit, add), add)
	return uitoa(total)
}

const (
	add = iota
	mul
)

// sat adds or multiplies, saturating at the largest uint64.
func sat(a, b uint64, op int) uint64 {
	const top = ^uint64(0)
	if op == add {
		if a > top-b {
			return top
		}
		return a + b
	}
	if a != 0 && b > top/a {
		return top
	}
	return a * b
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

func uitoa(v uint64) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// trimZeros drops leading zeros, keeping one digit.
func trimZeros(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}
