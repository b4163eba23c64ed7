package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The evidence wording: the lines shown under a finding ("拍摄于 … 不在培训时间内"),
// one catalogue per stage in evidence/<stage>.yaml, each a map of keys to fmt
// formats. Code names a line by "<stage>.<key>" and gives the values.
//
//go:embed evidence
var evidenceFS embed.FS

var (
	phrasesMu sync.RWMutex
	phrases   map[string]string // "<stage>.<key>" → format, built-in merged with the override
)

// verb matches one fmt verb (with flags, width, precision or an explicit index).
var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs counts the values a format consumes (%% consumes none).
func verbs(format string) int {
	n := 0
	for _, v := range verb.FindAllString(format, -1) {
		if !strings.HasSuffix(v, "%") {
			n++
		}
	}
	return n
}

func builtinPhrases() (map[string]string, error) {
	out := map[string]string{}
	names, err := fs.Glob(evidenceFS, "evidence/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		m, err := readPhrases(evidenceFS, name)
		if err != nil {
			return nil, err
		}
		stage := strings.TrimSuffix(path.Base(name), ".yaml")
		for k, v := range m {
			out[stage+"."+k] = v
		}
	}
	return out, nil
}

func readPhrases(fsys fs.FS, name string) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("模板 %s 无法读取：%v", name, err)
	}
	for k, v := range m {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("模板 %s 的 %s 为空", name, k)
		}
	}
	return m, nil
}

func loaded() map[string]string {
	phrasesMu.RLock()
	m := phrases
	phrasesMu.RUnlock()
	if m != nil {
		return m
	}
	b, err := builtinPhrases()
	if err != nil {
		panic("built-in evidence wording does not load: " + err.Error())
	}
	phrasesMu.Lock()
	if phrases == nil {
		phrases = b
	}
	m = phrases
	phrasesMu.Unlock()
	return m
}

// UseEvidence installs the evidence wording of a county's templates folder
// (its evidence/*.yaml, merged key by key over the built-in); "" restores the
// built-in. An override key the built-in does not have, an empty line, or a line
// that takes another number of values than the built-in is refused, in Chinese,
// naming the file and key, and nothing is installed.
func UseEvidence(override string) error {
	b, err := builtinPhrases()
	if err != nil {
		return err
	}
	if override != "" {
		dir := os.DirFS(override)
		names, _ := fs.Glob(dir, "evidence/*.yaml")
		sort.Strings(names)
		for _, name := range names {
			m, err := readPhrases(dir, name)
			if err != nil {
				return fmt.Errorf("%s：%w", override, err)
			}
			stage := strings.TrimSuffix(path.Base(name), ".yaml")
			for k, v := range m {
				key := stage + "." + k
				old, ok := b[key]
				switch {
				case !ok:
					return fmt.Errorf("模板 %s 的 %s 不是已有的证据措辞（拼写错误？）", path.Join(override, name), k)
				case verbs(old) != verbs(v):
					return fmt.Errorf("模板 %s 的 %s 需要 %d 个填充值（如 %%s、%%d），改写后为 %d 个", path.Join(override, name), k, verbs(old), verbs(v))
				}
				b[key] = v
			}
		}
	}
	phrasesMu.Lock()
	phrases = b
	phrasesMu.Unlock()
	return nil
}

// Say formats the evidence line "<stage>.<key>" with the values. A key no
// catalogue has (a programming error, caught by the tests) is shown as itself.
func Say(key string, args ...any) string {
	format, ok := loaded()[key]
	if !ok {
		return "⟨" + key + "⟩" + fmt.Sprint(args...)
	}
	return fmt.Sprintf(format, args...)
}

// Phrase returns the format of "<stage>.<key>" and whether it exists.
func Phrase(key string) (string, bool) {
	format, ok := loaded()[key]
	return format, ok
}
