package sheet

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Clean folds full-width letters, digits and punctuation to ASCII (Ｘ → X, （ → (,
// the ideographic space → a space), removes zero-width characters and trims spaces.
// Bytes that are not UTF-8 become U+FFFD, so that removing a character later never
// joins stray bytes into a new one.
func Clean(s string) string {
	if s == "" {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if needsFold(s) {
		s = width.Fold.String(s)
	}
	if strings.ContainsAny(s, "\u200b\u200c\u200d\ufeff\u00a0") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '\u200b', '\u200c', '\u200d', '\ufeff':
				return -1
			case '\u00a0':
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// needsFold reports whether s holds a full-width form or the ideographic space
// (the only characters Clean's folding changes that matter here).
func needsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				if r == '\u3000' || (r >= 0xFF00 && r <= 0xFFEF) {
					return true
				}
			}
			return false
		}
	}
	return false
}

var (
	dotReplacer = strings.NewReplacer("•", "·", "・", "·", "．", "·", "▪", "·")
	idReplacer  = strings.NewReplacer("-", "", "'", "", "‘", "", "’", "", "`", "", "x", "X", "×", "X")
)

// Compact is Clean with every space inside the text removed as well ("张 三" → "张三").
func Compact(s string) string {
	s = Clean(s)
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// NormName returns a person's name as compared across tables: folded, without
// spaces, with the different middle dots of minority names made one ("·").
func NormName(s string) string {
	s = Compact(s)
	return dotReplacer.Replace(s)
}

// NormID returns a resident ID as compared across tables: folded, without spaces,
// hyphens or apostrophes (the leading one that makes Excel keep digits as text),
// with a lower-case x (or ×) made X. It does not validate; see roster.ValidID.
func NormID(s string) string {
	return idReplacer.Replace(Compact(s))
}

// NormPhone returns a phone number as compared across tables: digits only, a
// leading +86/86 country code removed from mobile numbers. Text without any digit
// is returned compacted (e.g. "无").
func NormPhone(s string) string {
	s = Compact(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if d == "" {
		return ""
	}
	if strings.ContainsAny(s, "Ee") && strings.Contains(s, "+") {
		return s // scientific notation: keep it visible, the caller reports it
	}
	if len(d) == 13 && strings.HasPrefix(d, "861") {
		d = d[2:]
	}
	return d
}

// normHeader is the form in which column names and aliases are compared: folded,
// lower-case, without spaces, "*" markers, a trailing colon or any bracketed remark.
func normHeader(s string) string {
	s = strings.ToLower(Compact(s))
	s = stripBrackets(s)
	s = strings.Trim(s, "*※★☆:：")
	return s
}

// stripBrackets removes bracketed remarks: "身份证号(必填)" → "身份证号". A text that
// is all bracket is kept.
func stripBrackets(s string) string {
	pairs := [][2]string{{"(", ")"}, {"【", "】"}, {"[", "]"}, {"〔", "〕"}, {"<", ">"}, {"《", "》"}}
	for _, p := range pairs {
		for {
			i := strings.Index(s, p[0])
			if i < 0 {
				break
			}
			j := strings.Index(s[i:], p[1])
			if j < 0 {
				s = s[:i]
				break
			}
			rest := s[:i] + s[i+j+len(p[1]):]
			if rest == "" {
				return s
			}
			s = rest
		}
	}
	return s
}
