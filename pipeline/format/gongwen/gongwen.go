// Package gongwen reads the fields of a Chinese official document (公文, GB/T
// 9704) from its text: the 发文字号 (商电商办〔2026〕12号), the title (关于……的批复),
// and the 成文日期 written under the signature (2026年3月13日, or in Chinese
// numerals: 二〇二六年三月五日).
package gongwen

import (
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Fields are what a document says of itself.
type Fields struct {
	Number   string    // 发文字号, normalised (〔〕 brackets), "" when none
	Title    string    // the title line(s), "" when none found
	Date     time.Time // 成文日期 (the last date of the text), zero when none
	DateText string    // the date as written
	Count    int       // the number of trainees it names (培训人数30人, 培训学员50名), 0 when none
	Flat     string    // the text without white space, to look names up in
}

var (
	number = regexp.MustCompile(`\p{Han}{2,10}\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号`)
	arabic = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	hanzi  = regexp.MustCompile(`([〇零一二三四五六七八九○ＯO]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)
	count  = regexp.MustCompile(`(?:培训|参训|学员)(?:人数|规模|学员)?(?:为|共|计)?(\d{1,4})\s*(?:人|名)`)
	title  = regexp.MustCompile(`关于[^。；\n]{2,80}?的(批复|通知|请示|申请|报告|总结|复函|函)`)
	space  = regexp.MustCompile(`\s+`)
)

// Parse reads the fields of a document's text.
func Parse(text string) Fields {
	text = norm.NFKC.String(text)
	var f Fields
	flat := space.ReplaceAllString(text, "")
	for _, line := range strings.Split(text, "\n") { // the number stands on a line of its own
		if m := number.FindString(space.ReplaceAllString(line, "")); m != "" {
			f.Number = NormNumber(m)
			break
		}
	}
	if m := title.FindString(flat); m != "" {
		f.Title = m
	}
	f.Flat = flat
	if m := count.FindStringSubmatch(flat); m != nil {
		f.Count = atoi(m[1])
	}
	// The 成文日期 is the last date of the text.
	type hit struct {
		at   int
		t    time.Time
		text string
	}
	var last *hit
	// Dates are found in the text without white space: a PDF may break a date
	// where a character came from another font (二 〇 二六年).
	for _, m := range arabic.FindAllStringSubmatchIndex(flat, -1) {
		y, mo, d := atoi(flat[m[2]:m[3]]), atoi(flat[m[4]:m[5]]), atoi(flat[m[6]:m[7]])
		if t, ok := date(y, mo, d); ok && (last == nil || m[0] > last.at) {
			last = &hit{m[0], t, flat[m[0]:m[1]]}
		}
	}
	for _, m := range hanzi.FindAllStringSubmatchIndex(flat, -1) {
		y := hanYear(flat[m[2]:m[3]])
		mo, d := hanNumber(flat[m[4]:m[5]]), hanNumber(flat[m[6]:m[7]])
		if t, ok := date(y, mo, d); ok && (last == nil || m[0] > last.at) {
			last = &hit{m[0], t, flat[m[0]:m[1]]}
		}
	}
	if last != nil {
		f.Date, f.DateText = last.t, last.text
	}
	return f
}

// NormNumber writes a 发文字号 one way: spaces out, the year in 〔〕 (offices
// type [ ], （ ）, 【 】 or the full-width forms), so that two forms of one number
// compare equal.
func NormNumber(s string) string {
	s = space.ReplaceAllString(norm.NFKC.String(s), "")
	m := number.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	i := strings.IndexAny(s, "〔[［(（【")
	return s[:i] + "〔" + m[1] + "〕" + strings.TrimLeft(m[2], "0") + "号"
}

func date(y, m, d int) (time.Time, bool) {
	if y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Day() == d
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

var digit = map[rune]int{'〇': 0, '零': 0, '○': 0, 'Ｏ': 0, 'O': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// hanYear reads 二〇二六 as 2026.
func hanYear(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + digit[r]
	}
	return n
}

// hanNumber reads 一 … 三十一.
func hanNumber(s string) int {
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digit[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digit[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return digit[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return digit[rs[0]]*10 + digit[rs[2]]
	}
	return 0
}
