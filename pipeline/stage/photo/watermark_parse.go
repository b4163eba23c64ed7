package photo

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"yanshou/templates"
)

// The text of a watermark camera's strip, as OCR reads it. The apps (今日水印相机,
// 马克水印相机, 元道经纬相机, the watermark of Huawei and Xiaomi phones) print a
// big clock "09:31", a date "2026-05-12", "2026.05.12", "2026/05/12" or
// "2026年5月12日", often the weekday "星期二" or "周二", an address line, and
// sometimes the coordinates: "113.6254°E 34.7466°N", "经度:113.625400
// 纬度:34.746600", "东经113°37'31\"", … . A wrong time is worse than none: the
// date and the time must both be read, agree wherever printed twice, and fit
// the weekday when one is printed.

// wmText is what the parser made of a strip.
type wmText struct {
	when     time.Time // date and time in the zone given
	hasTime  bool      // both date and time read, consistent
	lat, lon *float64  // printed coordinates (as printed: the app's datum)
	address  string
	problem  string // why no time was taken (Chinese), "" when hasTime
}

// digitLike maps the letters OCR gives for digits, used next to a digit.
var digitLike = map[rune]rune{
	'O': '0', 'o': '0', 'D': '0', 'Q': '0', 'U': '0',
	'l': '1', 'I': '1', '|': '1', 'i': '1', '!': '1', 'L': '1',
	'Z': '2', 'z': '2', 'S': '5', 's': '5', 'B': '8', 'g': '9', 'q': '9',
}

// normOCR folds full-width forms, unifies colons, dots and dashes, turns
// letters standing next to digits into those digits, and removes the spaces
// OCR puts between Chinese characters, around separators and between digits
// spaced out one by one (a space between two numbers stays).
func normOCR(s string) string {
	s = width.Fold.String(s)
	// "2026/05/14" read as "2026/05714": the second slash taken for a 7 (or V).
	s = reSlash7.ReplaceAllString(s, "$1/$2/$3")
	s = strings.NewReplacer("∶", ":", "︰", ":", "·", ".", "。", ".", "—", "-", "–", "-", "−", "-", "~", "-",
		"’", "'", "‘", "'", "“", "\"", "”", "\"", "º", "°", "˚", "°").Replace(s)
	r := []rune(s)
	isDigit := func(i int) bool { return i >= 0 && i < len(r) && r[i] >= '0' && r[i] <= '9' }
	for pass := 0; pass < 2; pass++ { // "l0:3l", then "2OO6" (a letter next to a fixed one)
		for i, c := range r {
			if d, ok := digitLike[c]; ok && (isDigit(i-1) || isDigit(i+1)) {
				// A lone direction letter after a number ("34.7N", "°S") stays a letter.
				if c == 'S' && !isDigit(i+1) {
					continue
				}
				r[i] = d
			}
		}
	}
	var b strings.Builder
	sep := func(c rune) bool { return strings.ContainsRune(":-./°'\"年月日", c) }
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !unicode.IsSpace(c) {
			b.WriteRune(c)
			continue
		}
		j := i
		for j < len(r) && unicode.IsSpace(r[j]) {
			j++
		}
		if b.Len() == 0 || j == len(r) {
			i = j - 1
			continue
		}
		var prev rune
		for _, p := range b.String() {
			prev = p
		}
		next := r[j]
		// Digits spaced out one by one ("0 9") are one number.
		single := isDigit(i-1) && !isDigit(i-2) && isDigit(j) && !isDigit(j+1)
		if !(unicode.Is(unicode.Han, prev) || unicode.Is(unicode.Han, next) || sep(prev) || sep(next) || single) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	return b.String()
}

var (
	reSlash7  = regexp.MustCompile(`\b(20\d\d)/(\d\d)[7V](\d\d)\b`)
	reDate    = regexp.MustCompile(`(20\d\d)(?:[^\d\s]?年|[-./]{1,2})(\d{1,2})(?:月|[-./]{1,2})(\d{1,2})日?`)
	reTime    = regexp.MustCompile(`(?:^|[^\d:])([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?:[^\d:]|$)`)
	reWeekday = regexp.MustCompile(`(?:星期|周|礼拜)([一二三四五六日天七])`)
	// A coordinate: an optional label, degrees (decimal, or with minutes and
	// seconds), an optional direction letter.
	reCoord   = regexp.MustCompile(`(经度|纬度|东经|西经|北纬|南纬|[NSEW])?:?(\d{1,3}(?:\.\d+)?)°?(?:(\d{1,2})'(?:(\d{1,2}(?:\.\d+)?)(?:"|'')?)?)?([NSEW])?`)
	reNoAddr  = regexp.MustCompile(`经度|纬度|东经|北纬|海拔|天气|温度|星期|备注|拍摄人|水印`)
	rePlace   = regexp.MustCompile(`省|市|县|区|镇|乡|村|街道|路|大道|街|号|中心|学校|广场|园`)
	reAddrTag = regexp.MustCompile(`^(?:地址|地点|位置|拍摄地点|拍摄位置)[:：]?`)
)

var weekdays = map[string]time.Weekday{"日": time.Sunday, "天": time.Sunday, "七": time.Sunday, "一": time.Monday,
	"二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday, "五": time.Friday, "六": time.Saturday}

// parseWatermark reads the lines OCR gave of a strip. Times are wall clock in
// loc (the apps print the phone's local time).
func parseWatermark(lines []string, loc *time.Location) (w wmText) {
	var norm []string
	for _, l := range lines {
		if n := normOCR(l); n != "" {
			norm = append(norm, n)
		}
	}
	all := strings.Join(norm, "\n")

	type ymd struct{ y, m, d int }
	var dates []ymd
	rest := reDate.ReplaceAllStringFunc(all, func(s string) string {
		m := reDate.FindStringSubmatch(s)
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); t.Year() == y && int(t.Month()) == mo && t.Day() == d {
			dates = append(dates, ymd{y, mo, d})
		}
		return " "
	})
	type hms struct{ h, m, s int }
	var times []hms
	var withSec bool
	for _, m := range reTime.FindAllStringSubmatch(rest, -1) {
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		sec := 0
		if m[3] != "" {
			sec, _ = strconv.Atoi(m[3])
			withSec = true
		}
		times = append(times, hms{h, mi, sec})
	}
	w.lat, w.lon = coords(rest)
	w.address = address(norm)

	switch {
	case len(dates) == 0 && len(times) == 0:
		w.problem = templates.Say("photo.wm_nothing")
		return w
	case len(dates) == 0:
		w.problem = templates.Say("photo.wm_no_date")
		return w
	case len(times) == 0:
		w.problem = templates.Say("photo.wm_no_time")
		return w
	}
	for _, d := range dates[1:] {
		if d != dates[0] {
			w.problem = templates.Say("photo.wm_dates_differ")
			return w
		}
	}
	t := times[0]
	for _, u := range times[1:] {
		if u.h != t.h || u.m != t.m {
			w.problem = templates.Say("photo.wm_times_differ")
			return w
		}
		if withSec && u.s != 0 {
			t.s = u.s
		}
	}
	d := dates[0]
	w.when = time.Date(d.y, time.Month(d.m), d.d, t.h, t.m, t.s, 0, loc)
	for _, m := range reWeekday.FindAllStringSubmatch(all, -1) {
		if wd := weekdays[m[1]]; wd != w.when.Weekday() {
			w.problem = templates.Say("photo.wm_weekday", m[0], w.when.Format("2006-01-02"))
			return w
		}
	}
	w.hasTime = true
	return w
}

// coords finds a latitude and a longitude in the text: by label (经度/纬度,
// 东经/北纬), by direction letter (N/E before or after), or, unlabelled, by size
// (above 90 only a longitude). Both or neither are returned.
func coords(s string) (lat, lon *float64) {
	var la, lo []float64
	var bare []float64
	for _, m := range reCoord.FindAllStringSubmatch(s, -1) {
		deg, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		v := deg
		if m[3] != "" {
			mi, _ := strconv.ParseFloat(m[3], 64)
			se, _ := strconv.ParseFloat(m[4], 64)
			if mi >= 60 || se >= 60 || strings.Contains(m[2], ".") {
				continue
			}
			v = deg + mi/60 + se/3600
		} else if !strings.Contains(m[2], ".") || len(m[2]) < 5 {
			continue // a whole or short number (an altitude, a time) is no coordinate
		}
		dir := m[1] + m[5]
		switch {
		case strings.ContainsAny(dir, "NS") || strings.Contains(dir, "纬"):
			if strings.ContainsAny(dir, "S") || strings.Contains(dir, "南") {
				v = -v
			}
			la = append(la, v)
		case strings.ContainsAny(dir, "EW") || strings.Contains(dir, "经"):
			if strings.ContainsAny(dir, "W") || strings.Contains(dir, "西") {
				v = -v
			}
			lo = append(lo, v)
		default:
			bare = append(bare, v)
		}
	}
	if len(la) == 0 && len(lo) == 0 && len(bare) == 2 {
		a, b := bare[0], bare[1]
		if a > 90 && b <= 90 {
			a, b = b, a
		}
		if a <= 90 && b > 90 {
			la, lo = []float64{a}, []float64{b}
		}
	}
	if len(la) != 1 || len(lo) != 1 || la[0] < -90 || la[0] > 90 || lo[0] < -180 || lo[0] > 180 {
		return nil, nil
	}
	return &la[0], &lo[0]
}

// address returns the first line that reads as a place: at least four Chinese
// characters with a place word (省, 县, 镇, 路 …), not a line of coordinates,
// weather or weekday; a leading 地址: is dropped.
func address(lines []string) string {
	for _, l := range lines {
		l = strings.TrimSpace(reAddrTag.ReplaceAllString(l, ""))
		han := 0
		for _, c := range l {
			if unicode.Is(unicode.Han, c) {
				han++
			}
		}
		if han >= 4 && rePlace.MatchString(l) && !reNoAddr.MatchString(l) && !reDate.MatchString(l) {
			return l
		}
	}
	return ""
}
