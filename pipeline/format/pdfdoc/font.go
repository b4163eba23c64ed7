package pdfdoc

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/signintech/gopdf"

	"yanshou/pipeline/format/fonts"
)

// parsedFont is one TrueType font read and parsed once per process.
type parsedFont struct {
	once      sync.Once
	path      string // font spec: a path, or "path#N" for a face of a collection
	family    string
	container *gopdf.FontContainer
	err       error
}

var (
	fontMu    sync.Mutex
	fontCache = map[string]*parsedFont{}
)

// fontSet is the primary font and the specs of the fallback fonts (parsed only
// when a character needs one).
type fontSet struct {
	primary   *parsedFont
	fallbacks []string
}

// fontFor finds the configured font (see fonts.Find) and returns it parsed,
// with the fallback fonts for characters it lacks. A missing font is
// fonts.Find's error, unchanged.
func fontFor(configured []string) (*fontSet, error) {
	path, err := fonts.Find(configured)
	if err != nil {
		return nil, err
	}
	pf, err := loadFont(path)
	if err != nil {
		return nil, err
	}
	return &fontSet{primary: pf, fallbacks: fonts.Fallbacks(configured, path)}, nil
}

// loadFont reads and parses the font at a spec, once per spec per process.
func loadFont(path string) (*parsedFont, error) {
	fontMu.Lock()
	pf, ok := fontCache[path]
	if !ok {
		pf = &parsedFont{path: path}
		fontCache[path] = pf
	}
	fontMu.Unlock()
	pf.once.Do(func() {
		data, err := fonts.Load(path)
		if err != nil {
			pf.err = fmt.Errorf("读取字体 %s 失败：%w", path, err)
			return
		}
		pf.family = familyName(path)
		pf.container = &gopdf.FontContainer{}
		if err := pf.container.AddTTFFontData(pf.family, data); err != nil {
			pf.err = fmt.Errorf("字体 %s 无法使用（需为 TrueType .ttf 或 .ttc）：%w", path, err)
		}
	})
	return pf, pf.err
}

// familyName derives a PDF font name from the file name (ASCII letters and
// digits, and the face index of a collection).
func familyName(spec string) string {
	path, index, has := fonts.SplitSpec(spec)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	for _, r := range base {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		b.WriteString("CJKFont")
	}
	if has {
		fmt.Fprintf(&b, "Face%d", index)
	}
	return b.String()
}
