package fonts

import "fmt"

// Style is a typeface style of Chinese official paper: Song (宋体, the
// default text face), Hei (黑体, titles and headings), Fang (仿宋, the body of
// official paper) and Kai (楷体).
type Style int

// The styles; Song is the zero value, set in the primary font (Find).
const (
	Song Style = iota
	Hei
	Fang
	Kai
)

// String is the style's Chinese name.
func (s Style) String() string {
	switch s {
	case Song:
		return "宋体"
	case Hei:
		return "黑体"
	case Fang:
		return "仿宋"
	case Kai:
		return "楷体"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

// StyleCandidates are the fonts tried, in order, for each style other than
// Song (whose candidates are Candidates): Debian paths, Windows' fonts, macOS'.
// Debian packages no FangSong face that covers simplified Chinese, so Fang
// falls back to Song there (see Style and FindStyle).
var StyleCandidates = map[Style][]string{
	Hei: {
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", // fonts-wqy-zenhei
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		`C:\Windows\Fonts\simhei.ttf`,
		`C:\Windows\Fonts\msyh.ttc`,
		"/System/Library/Fonts/STHeiti Medium.ttc",
		"/System/Library/Fonts/STHeiti Light.ttc",
	},
	Fang: {
		`C:\Windows\Fonts\simfang.ttf`,
		"/System/Library/Fonts/Supplemental/STFangsong.ttf",
		"/Library/Fonts/STFangsong.ttf",
	},
	Kai: {
		"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
		"/usr/share/fonts/truetype/arphic/ukai.ttc",
		"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
		`C:\Windows\Fonts\simkai.ttf`,
		"/System/Library/Fonts/Supplemental/Kaiti.ttc",
		"/Library/Fonts/Kaiti.ttc",
	},
}

// FindStyle returns the spec of the first candidate of style s with TrueType
// outlines and Chinese glyphs (characters it lacks, Latin ones included, are
// set in the primary font and its fallbacks), and ok false when there is none
// or s is Song: the text is then set in the primary (Song) font.
func FindStyle(s Style) (spec string, ok bool) {
	for _, p := range expand(StyleCandidates[s]) {
		for _, face := range probe(p) {
			if face.cjk {
				return face.spec, true
			}
		}
	}
	return "", false
}
