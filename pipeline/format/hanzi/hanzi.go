// Package hanzi brings Chinese text written in different forms of the same
// characters to one form for comparison: compatibility forms folded (NFKC) and
// traditional or variant characters made simplified (杜偉 → 杜伟, 張三豐 → 张三丰)
// with OpenCC's tables (github.com/longbridgeapp/opencc, t2s). It is for keys,
// never for display: a name is shown as it was written.
package hanzi

import (
	"sync"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

var (
	once sync.Once
	t2s  *opencc.OpenCC
	err  error
)

// Simplified returns s folded by NFKC with traditional and variant characters
// replaced by their simplified forms. Text without such characters (most
// simplified Chinese, ASCII) comes back NFKC-folded only. Should the conversion
// tables fail to load, the NFKC form alone is returned: comparisons then work as
// they did before, never worse.
func Simplified(s string) string {
	s = norm.NFKC.String(s)
	if ascii(s) {
		return s
	}
	once.Do(func() { t2s, err = opencc.New("t2s") })
	if err != nil {
		return s
	}
	out, cerr := t2s.Convert(s)
	if cerr != nil {
		return s
	}
	return out
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
