// Package fonts finds TrueType fonts that can set Chinese and Latin text in PDFs:
// a primary font (CJK and ASCII glyphs, TrueType outlines) and fallback fonts for
// characters the primary lacks (rare name characters outside GB2312, symbols).
//
// gopdf reads plain TrueType only. A face of a TrueType collection (.ttc, e.g.
// Windows' simsun.ttc or WenQuanYi Zen Hei) is cut out into a plain TrueType file
// by Load; CFF-flavoured fonts (.otf, Noto CJK) are never chosen. A font is named
// by a spec: its path, or for a collection "path#N" with N the face index.
package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// Candidates are the primary fonts tried in order after the configured fonts.
// Each must carry both CJK and ASCII glyphs with TrueType outlines; a candidate
// that does not (Droid Sans Fallback has no digits) is skipped.
var Candidates = []string{
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
	"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
	"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	`C:\Windows\Fonts\simsun.ttc`,
	`C:\Windows\Fonts\simhei.ttf`,
	`C:\Windows\Fonts\simfang.ttf`,
	`C:\Windows\Fonts\simkai.ttf`,
	`C:\Windows\Fonts\msyh.ttc`,
	"/System/Library/Fonts/Supplemental/Songti.ttc",
	"/System/Library/Fonts/STHeiti Light.ttc",
	"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	"/Library/Fonts/Arial Unicode.ttf",
}

// FallbackCandidates are tried, after the configured fonts and the primary
// candidates, for characters the primary font lacks. They need no ASCII glyphs.
// Serif (Song/Ming/Mincho) faces come first, so that a rare character of a name
// (喆, 玥, 堃, 赟; 𠮷 of Extension B) set among Song text is drawn in the same
// style, not in a bold sans; the sans faces are last resorts.
var FallbackCandidates = []string{
	"/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", // fonts-hanazono: BMP and Extension A
	"/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", // … Extensions B–F
	"/usr/share/fonts/truetype/arphic/uming.ttc",      // fonts-arphic-uming
	`C:\Windows\Fonts\simsunb.ttf`,
	`C:\Windows\Fonts\mingliub.ttc`,
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}

// ErrNoFont is returned when no usable font exists; its text says how to install one.
var ErrNoFont = errors.New("找不到可用的中文 TrueType 字体（需同时含中文和拉丁字符）。" +
	"Debian/Ubuntu: sudo apt-get install fonts-arphic-gbsn00lp；Windows: 确认 C:\\Windows\\Fonts\\simhei.ttf 存在；" +
	"或在 yanshou.yaml 的 fonts: 中写明 .ttf 或 .ttc 文件路径")

// Find returns the spec of the first font among the configured paths and the
// built-in candidates that has TrueType outlines and glyphs for both Chinese and
// ASCII (a collection gives its first such face, as "path#N").
func Find(configured []string) (string, error) {
	var tried []string
	for _, p := range expand(append(append([]string{}, configured...), Candidates...)) {
		tried = append(tried, p)
		for _, face := range probe(p) {
			if face.primary {
				return face.spec, nil
			}
		}
	}
	return "", fmt.Errorf("%w（已尝试: %s）", ErrNoFont, strings.Join(tried, ", "))
}

// Fallbacks returns, in order of preference, the specs of every other usable
// TrueType face (configured, then fallback candidates — the Song-style ones
// first —, then the other primary candidates, such as a Hei face installed for
// titles), without the primary itself. The renderer uses them for characters
// the primary lacks.
func Fallbacks(configured []string, primary string) []string {
	var out []string
	seen := map[string]bool{primary: true}
	all := append(append(append([]string{}, configured...), FallbackCandidates...), Candidates...)
	for _, p := range expand(all) {
		for _, face := range probe(p) {
			if !seen[face.spec] && face.cjk {
				seen[face.spec] = true
				out = append(out, face.spec)
			}
		}
	}
	// Faces without CJK glyphs (symbols, Latin) come last.
	for _, p := range expand(all) {
		for _, face := range probe(p) {
			if !seen[face.spec] {
				seen[face.spec] = true
				out = append(out, face.spec)
			}
		}
	}
	return out
}

// expand drops paths of another operating system and adds the Windows font
// folder of this machine when it is not C:\Windows.
func expand(paths []string) []string {
	var out []string
	win := os.Getenv("WINDIR")
	for _, p := range paths {
		isWin := strings.HasPrefix(p, `C:\`)
		if isWin && runtime.GOOS != "windows" {
			continue
		}
		if isWin && win != "" && !strings.EqualFold(win, `C:\Windows`) {
			out = append(out, filepath.Join(win, p[len(`C:\Windows\`):]))
		}
		out = append(out, p)
	}
	return out
}

// face is one usable face of a font file.
type face struct {
	spec    string
	primary bool // CJK and ASCII
	cjk     bool
}

type probeKey struct {
	path  string
	size  int64
	mtime int64
}

var probeCache sync.Map // probeKey → []face

// probe lists the usable (TrueType-outline) faces of a font file or spec. A
// spec with "#N" gives that face only.
func probe(spec string) []face {
	path, _, hasIndex := SplitSpec(spec)
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	key := probeKey{path, st.Size(), st.ModTime().UnixNano()}
	var faces []face
	if c, ok := probeCache.Load(key); ok {
		faces = c.([]face)
	} else {
		faces = probeFile(path)
		probeCache.Store(key, faces)
	}
	if !hasIndex {
		return faces
	}
	for _, f := range faces {
		if f.spec == spec {
			return []face{f}
		}
	}
	return nil
}

func probeFile(path string) []face {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var head [12]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return nil
	}
	offsets := []int64{0}
	collection := string(head[:4]) == "ttcf"
	if collection {
		n := binary.BigEndian.Uint32(head[8:])
		if n == 0 || n > 64 {
			return nil
		}
		buf := make([]byte, 4*n)
		if _, err := f.ReadAt(buf, 12); err != nil {
			return nil
		}
		offsets = offsets[:0]
		for i := uint32(0); i < n; i++ {
			offsets = append(offsets, int64(binary.BigEndian.Uint32(buf[4*i:])))
		}
	}
	var out []face
	for i, off := range offsets {
		dir, err := readDirectory(f, off)
		if err != nil || !dir.trueType() {
			continue
		}
		spec := path
		if collection {
			spec = path + "#" + strconv.Itoa(i)
		}
		cm, err := readCmap(f, dir)
		if err != nil {
			continue
		}
		cjk := cm.has('中') && cm.has('国')
		out = append(out, face{spec: spec, cjk: cjk, primary: cjk && cm.has('0') && cm.has('9') && cm.has('A') && cm.has('z')})
	}
	return out
}

// SplitSpec splits "path#N" into the path and face index; a plain path has
// index 0 and hasIndex false.
func SplitSpec(spec string) (path string, index int, hasIndex bool) {
	i := strings.LastIndexByte(spec, '#')
	if i < 0 {
		return spec, 0, false
	}
	n, err := strconv.Atoi(spec[i+1:])
	if err != nil || n < 0 {
		return spec, 0, false
	}
	return spec[:i], n, true
}

var coverCache sync.Map // spec → cmap (or nil when unreadable)

// Covers reports whether the font at spec has a glyph for r, from its character
// map (read once per spec).
func Covers(spec string, r rune) bool {
	c, ok := coverCache.Load(spec)
	if !ok {
		c = loadCmap(spec)
		coverCache.Store(spec, c)
	}
	cm, ok := c.(*cmap)
	return ok && cm != nil && cm.has(r)
}

func loadCmap(spec string) *cmap {
	path, index, _ := SplitSpec(spec)
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var off int64
	var head [12]byte
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return nil
	}
	if string(head[:4]) == "ttcf" {
		var b [4]byte
		if _, err := f.ReadAt(b[:], 12+4*int64(index)); err != nil || index >= int(binary.BigEndian.Uint32(head[8:])) {
			return nil
		}
		off = int64(binary.BigEndian.Uint32(b[:]))
	}
	d, err := readDirectory(f, off)
	if err != nil || !d.trueType() {
		return nil
	}
	cm, err := readCmap(f, d)
	if err != nil {
		return nil
	}
	return &cm
}
