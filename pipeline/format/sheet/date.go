package sheet

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou/templates"
)

// When is a date, a time of day, or both, read from a cell.
type When struct {
	Time    time.Time // wall clock in the location asked for; midnight when HasTime is false
	HasDate bool
	HasTime bool
}

// Date returns the calendar day at midnight (zero when there is no date).
func (w When) Date() time.Time {
	if !w.HasDate {
		return time.Time{}
	}
	y, m, d := w.Time.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, w.Time.Location())
}

var (
	reYMD     = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?`)
	reMD      = regexp.MustCompile(`^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?`)
	reYMD8    = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})`)
	reWeekday = regexp.MustCompile(`\(?(星期|周|礼拜)[一二三四五六日天]\)?`)
	reTime    = regexp.MustCompile(`^(上午|下午|晚上|中午|早上|am|pm)?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*分?\s*(?:[:]\s*(\d{1,2})(?:\.\d+)?\s*秒?|(\d{1,2})\s*秒)?\s*(am|pm)?$`)
)

// ParseWhen reads a date and/or time written as text: 2026-03-10, 2026/3/10,
// 2026.3.10, 2026年3月10日, 20260310, 2026-03-10T08:30:00, with an optional time
// (08:30, 8:30:15, 8时30分, 下午2:30). A date without a year (3月10日, 3-10) takes
// year when year > 0. The error is a Chinese reason ("日期 2026-02-30 不存在").
func ParseWhen(s string, loc *time.Location, year int) (When, error) {
	if loc == nil {
		loc = time.Local
	}
	orig := strings.TrimSpace(s)
	s = strings.ToLower(Clean(s))
	s = strings.ReplaceAll(s, "t", " ") // ISO 8601 "2026-03-10T08:30:00"
	s = strings.TrimSuffix(strings.TrimSuffix(s, "z"), "+08:00")
	s = strings.TrimSpace(reWeekday.ReplaceAllString(s, " ")) // 2026年3月10日（星期二）
	if s == "" {
		return When{}, errors.New(templates.Say("sheet.date_empty"))
	}
	var y, mo, d int
	hasDate := false
	rest := s
	if m := reYMD.FindStringSubmatch(s); m != nil {
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		d, _ = strconv.Atoi(m[3])
		rest, hasDate = s[len(m[0]):], true
	} else if m := reYMD8.FindStringSubmatch(s); m != nil && (len(s) == 8 || !isDigit(s[8])) {
		y, _ = strconv.Atoi(m[1])
		mo, _ = strconv.Atoi(m[2])
		d, _ = strconv.Atoi(m[3])
		rest, hasDate = s[8:], true
	} else if m := reMD.FindStringSubmatch(s); m != nil && !reTime.MatchString(s) {
		if year <= 0 {
			return When{}, errors.New(templates.Say("sheet.date_no_year", orig))
		}
		y = year
		mo, _ = strconv.Atoi(m[1])
		d, _ = strconv.Atoi(m[2])
		rest, hasDate = s[len(m[0]):], true
	}
	if hasDate {
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			return When{}, errors.New(templates.Say("sheet.date_nonexistent", orig))
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
		if t.Day() != d || int(t.Month()) != mo {
			return When{}, errors.New(templates.Say("sheet.date_no_such_day", orig, mo, d))
		}
	}
	rest = strings.TrimSpace(rest)
	hh, mm, ss := 0, 0, 0
	hasTime := false
	if rest != "" {
		m := reTime.FindStringSubmatch(rest)
		if m == nil {
			if hasDate {
				return When{}, errors.New(templates.Say("sheet.date_trailing", orig, rest))
			}
			return When{}, errors.New(templates.Say("sheet.not_date", orig))
		}
		hh, _ = strconv.Atoi(m[2])
		mm, _ = strconv.Atoi(m[3])
		if m[4] != "" {
			ss, _ = strconv.Atoi(m[4])
		} else if m[5] != "" {
			ss, _ = strconv.Atoi(m[5])
		}
		switch {
		case (m[1] == "下午" || m[1] == "晚上" || m[1] == "pm" || m[6] == "pm") && hh < 12:
			hh += 12
		case (m[1] == "中午") && hh < 6:
			hh += 12
		case (m[1] == "am" || m[6] == "am") && hh == 12:
			hh = 0
		}
		if hh > 23 || mm > 59 || ss > 59 {
			return When{}, errors.New(templates.Say("sheet.time_nonexistent", orig))
		}
		hasTime = true
	}
	if !hasDate {
		y, mo, d = 1, 1, 1
	}
	return When{Time: time.Date(y, time.Month(mo), d, hh, mm, ss, 0, loc), HasDate: hasDate, HasTime: hasTime}, nil
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// Serial date limits accepted where a date is expected: 1990-01-01 … 2099-12-31.
const (
	minSerial = 32874
	maxSerial = 73415
)

// FromSerial converts an Excel serial date (days since 1899-12-30, or 1904-01-01
// when date1904) into a wall-clock When in loc. A value below 1 is a time of day.
func FromSerial(v float64, date1904 bool, loc *time.Location) (When, error) {
	if loc == nil {
		loc = time.Local
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 2958465 {
		return When{}, errors.New(templates.Say("sheet.bad_serial", v))
	}
	t, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return When{}, errors.New(templates.Say("sheet.bad_serial", v))
	}
	t = t.Round(time.Second)
	frac := v - math.Floor(v)
	w := When{HasDate: v >= 1, HasTime: frac > 1e-9}
	if !w.HasDate {
		w.Time = time.Date(1, 1, 1, t.Hour(), t.Minute(), t.Second(), 0, loc)
		return w, nil
	}
	w.Time = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
	return w, nil
}

// isDateFormat reports whether an Excel number format shows a date or time:
// built-in ids 14–22, 27–36, 45–47, 50–58, or a format code with date/time parts
// outside quotes and brackets (y, m, d, h, s, e, 年, 月, 日 …).
func isDateFormat(id int, code string) bool {
	switch {
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 45 && id <= 47, id >= 50 && id <= 58:
		return true
	}
	if code == "" {
		return false
	}
	code = strings.ToLower(code)
	if i := strings.Index(code, ";"); i >= 0 {
		code = code[:i] // the positive section decides
	}
	if code == "general" || code == "@" {
		return false
	}
	var b strings.Builder
	inQuote, inBracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case inBracket:
			if c == ']' {
				inBracket = false
			}
			if c == 'h' || c == 'm' || c == 's' { // [h]:mm elapsed time
				b.WriteByte(c)
			}
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
			if strings.HasPrefix(code[i:], "[$") || strings.HasPrefix(code[i:], "[dbnum") || strings.HasPrefix(code[i:], "[red") || strings.HasPrefix(code[i:], "[color") {
				// currency, numeral system or colour: not a time
				end := strings.IndexByte(code[i:], ']')
				if end < 0 {
					i = len(code)
				} else {
					i += end
				}
				inBracket = false
			}
		case c == '\\' || c == '_' || c == '*':
			i++ // escaped or padding character
		default:
			b.WriteByte(c)
		}
	}
	rest := b.String()
	if strings.ContainsAny(rest, "0#?") && !strings.ContainsAny(rest, "ydhs") {
		return false // a number format such as 0.00 or 0.00e+00
	}
	return strings.ContainsAny(rest, "ydhs") || strings.Contains(rest, "m") ||
		strings.ContainsAny(rest, "年月日时分秒") || (strings.Contains(rest, "e") && !strings.Contains(rest, "e+") && !strings.Contains(rest, "e-"))
}

// whenFromNumber reads a number in a date context: an 8-digit 20260310, or an
// Excel serial within 1990–2099, or a time of day (0 ≤ v < 1).
func whenFromNumber(v float64, date1904 bool, loc *time.Location, orig string) (When, error) {
	if v >= 19000101 && v <= 20991231 && v == math.Trunc(v) {
		return ParseWhen(strconv.FormatInt(int64(v), 10), loc, 0)
	}
	if (v >= minSerial && v <= maxSerial) || (v >= 0 && v < 1) {
		return FromSerial(v, date1904, loc)
	}
	return When{}, errors.New(templates.Say("sheet.not_date", orig))
}
