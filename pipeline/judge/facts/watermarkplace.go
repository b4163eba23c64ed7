package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/format/hanzi"
	"yanshou/templates"
)

// Cross-checks of a watermark camera's strip (issue 16 point 4): the address
// it printed against the class's venue (培训地点), and the position it printed
// against the photo's own GPS. An honest class's strip names the province,
// city, county and town the phone was in ("河南省周口市商水县黄寨镇人民政府")
// while the venue is written as the institution wrote it
// ("商水县电子商务公共服务中心", "黄寨镇文化站"): the two agree when the
// administrative units both name agree level by level, whatever else they
// say. Only a unit both name at the same level and that differs — another
// county, another town — is a disagreement.

// Levels of the administrative units an address begins with.
const (
	levelProvince = iota // 省, 自治区
	levelCity            // 地级市, 州, 盟
	levelCounty          // 县, 区, 旗, 县级市
	levelTown            // 镇, 乡, 街道
	levels
)

// unitSuffixes are the endings of administrative units, longest first.
var unitSuffixes = []struct {
	suffix string
	level  int
}{
	{"自治区", levelProvince}, {"自治州", levelCity}, {"自治县", levelCounty}, {"街道", levelTown},
	{"省", levelProvince}, {"市", levelCity}, {"州", levelCity}, {"盟", levelCity},
	{"县", levelCounty}, {"区", levelCounty}, {"旗", levelCounty}, {"镇", levelTown}, {"乡", levelTown},
}

// maxUnitRunes bounds the length of one unit's name with its suffix
// (内蒙古自治区, 巴音郭楞蒙古自治州 are the long ones).
const maxUnitRunes = 9

// placeUnits reads the administrative units an address begins with, by level
// ("" where it names none): each the shortest run of Chinese characters (at
// least two) ending in a unit's suffix, one after the other from the start,
// stopping at the first part that is none ("人民政府", "电子商务公共服务中心").
// A 市 after a city is a county-level city (周口市项城市). Characters are
// folded to simplified, spaces and punctuation dropped.
func placeUnits(s string) (u [levels]string) {
	var rs []rune
	for _, r := range hanzi.Simplified(dropLabel(s)) {
		if unicode.Is(unicode.Han, r) {
			rs = append(rs, r)
		} else if len(rs) > 0 && !unicode.IsSpace(r) && !unicode.IsPunct(r) {
			break // digits or letters: the street number, the end of the units
		}
	}
	last := -1
	for len(rs) > 0 {
		n, level := unitAt(rs)
		if n == 0 {
			break
		}
		if level == levelCity && last >= levelCity {
			level = levelCounty // 周口市项城市
		}
		if level <= last { // out of order: not an administrative prefix
			break
		}
		u[level] = string(rs[:n])
		last = level
		rs = rs[n:]
	}
	return u
}

// dropLabel drops a label OCR read before an address ("地点：", "拍摄地址:").
func dropLabel(s string) string {
	s = strings.TrimSpace(s)
	for _, colon := range []string{"：", ":"} {
		if i := strings.Index(s, colon); i >= 0 && utf8.RuneCountInString(s[:i]) <= 4 {
			return s[i+len(colon):]
		}
	}
	return s
}

// unitAt finds the unit at the start of rs: its length in runes and level, or 0.
func unitAt(rs []rune) (int, int) {
	for n := 2; n <= min(len(rs), maxUnitRunes); n++ {
		head := string(rs[:n])
		for _, s := range unitSuffixes {
			if strings.HasSuffix(head, s.suffix) && utf8.RuneCountInString(head) > utf8.RuneCountInString(s.suffix) {
				// 郑州市, 通州区: a name ending in 州 goes on to its own suffix.
				if s.suffix == "州" && n < len(rs) && strings.ContainsRune("市县区", rs[n]) {
					return n + 1, map[rune]int{'市': levelCity, '县': levelCounty, '区': levelCounty}[rs[n]]
				}
				if s.suffix == "区" && notDistrict(head) {
					return 0, 0
				}
				return n, s.level
			}
		}
	}
	return 0, 0
}

// notDistrict reports whether a name ending in 区 is a part of a town, not a
// county-level district: 城区, 园区, 社区, 小区, 景区, 校区, 厂区, 片区, 开发区.
func notDistrict(name string) bool {
	for _, w := range []string{"城区", "园区", "社区", "小区", "景区", "校区", "厂区", "片区", "开发区", "功能区", "服务区"} {
		if strings.HasSuffix(name, w) {
			return true
		}
	}
	return false
}

// sameUnit reports whether two names of one level are the same unit, allowing
// one character misread by OCR in a name of three or more ("商永县" for 商水县).
func sameUnit(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(ra) < 3 {
		return false
	}
	diff := 0
	for i := range ra {
		if ra[i] != rb[i] {
			diff++
		}
	}
	return diff <= 1 && ra[len(ra)-1] == rb[len(rb)-1]
}

// placeDisagrees compares a watermark's address with the venue: "" when they
// agree or cannot be compared, else the units that differ, as "商水县 / 项城市"
// pairs joined with "、". county is the county's name from the config: the
// venue lies in it when it names no county itself.
func placeDisagrees(address, venue, county string) string {
	w := placeUnits(address)
	v := placeUnits(venue)
	if v[levelCounty] == "" && county != "" {
		c := placeUnits(county)
		for l := range c {
			if v[l] == "" {
				v[l] = c[l]
			}
		}
	}
	var diffs []string
	for l := 0; l < levels; l++ {
		if w[l] != "" && v[l] != "" && !sameUnit(w[l], v[l]) {
			diffs = append(diffs, templates.Say("facts.watermark_unit_differs", w[l], v[l]))
		}
	}
	return strings.Join(diffs, "、")
}

// watermarkPlaceFacts counts the photos whose watermark strip contradicts the
// class: its address names another county or town than the venue (a
// warning: the venue may be written otherwise, the strip misread), or its
// position is farther from the photo's own GPS than
// photo_watermark_max_distance_m (a warning) or photo_watermark_fail_distance_m
// (a fail: two readings of one phone's position at one moment cannot be
// kilometres apart; the strip was made elsewhere or the GPS was edited).
func watermarkPlaceFacts(f *yanshou.Facts, p *yanshou.Photo, in Input, ev func(string, ...yanshou.Evidence)) {
	w := p.Watermark
	if w == nil {
		return
	}
	th := in.Config.Thresholds
	venue := ""
	if c := in.Submission.Class; c != nil {
		venue = strings.TrimSpace(c.Venue)
	}
	if w.Address != "" && venue != "" {
		if d := placeDisagrees(w.Address, venue, in.Config.County); d != "" {
			f.Photos.WatermarkPlace++
			ev(yanshou.EvPhotosWatermarkPlace, yanshou.Evidence{File: p.File,
				Detail: templates.Say("facts.photo_watermark_place", w.Address, venue, d, w.Text)})
		}
	}
	if w.Lat != nil && w.Lon != nil && p.Lat != nil && p.Lon != nil && th.PhotoWatermarkMaxDistanceM > 0 {
		d := geo.DistanceM(yanshou.LatLon{Lat: *w.Lat, Lon: *w.Lon}, yanshou.LatLon{Lat: *p.Lat, Lon: *p.Lon})
		if d > th.PhotoWatermarkMaxDistanceM {
			f.Photos.WatermarkFar++
			if th.PhotoWatermarkFailDistanceM > 0 && d > th.PhotoWatermarkFailDistanceM {
				f.Photos.WatermarkFarFail++
			}
			ev(yanshou.EvPhotosWatermarkPlace, yanshou.Evidence{File: p.File,
				Detail: templates.Say("facts.photo_watermark_far", *w.Lat, *w.Lon, *p.Lat, *p.Lon, d, w.Text)})
		}
	}
}
