// Package fonts finds a TrueType font that can set Chinese and Latin text in PDFs.
package fonts

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Candidates are tried in order after the configured fonts. Each must be a plain
// TrueType file carrying both CJK and ASCII glyphs (see LIBRARY-NOTES.md: Droid Sans
// Fallback lacks ASCII, .ttc and CFF .otf are refused by gopdf).
var Candidates = []string{
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
	"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
	"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
	`C:\Windows\Fonts\simhei.ttf`,
	`C:\Windows\Fonts\simfang.ttf`,
	`C:\Windows\Fonts\simkai.ttf`,
}

// ErrNoFont is returned when no usable font exists; its text says how to install one.
var ErrNoFont = errors.New("找不到可用的中文 TrueType 字体（需同时含中文和拉丁字符）。" +
	"Debian/Ubuntu: sudo apt-get install fonts-arphic-gbsn00lp；Windows: 确认 C:\\Windows\\Fonts\\simhei.ttf 存在；" +
	"或在 yanshou.yaml 的 fonts: 中写明 .ttf 文件路径")

// Find returns the first readable TrueType font among the configured paths and
// the built-in candidates.
func Find(configured []string) (string, error) {
	var tried []string
	for _, p := range append(append([]string{}, configured...), Candidates...) {
		if runtime.GOOS != "windows" && strings.HasPrefix(p, `C:\`) {
			continue
		}
		tried = append(tried, p)
		if isTrueType(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w（已尝试: %s）", ErrNoFont, strings.Join(tried, ", "))
}

// isTrueType reports whether the file starts like a plain TrueType font
// (not a collection, not CFF outlines).
func isTrueType(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := f.Read(magic[:]); err != nil {
		return false
	}
	return string(magic[:]) == "\x00\x01\x00\x00" || string(magic[:]) == "true"
}
