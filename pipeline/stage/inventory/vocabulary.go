package inventory

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"yanshou"
)

//go:embed materials.yaml
var vocabularyYAML []byte

// vocabulary is materials.yaml: the keywords that recognise each material, the
// manifest's names and the files never taken as part of a submission.
type vocabulary struct {
	Manifest struct {
		Names []string `yaml:"names"`
	} `yaml:"manifest"`
	Kinds []kindKeywords `yaml:"kinds"`
	// Types are the groups of file extensions kinds:' types name.
	Types  map[string][]string `yaml:"types"`
	Ignore struct {
		Prefixes []string `yaml:"prefixes"`
		Suffixes []string `yaml:"suffixes"`
		Names    []string `yaml:"names"`
		Dirs     []string `yaml:"dirs"`
	} `yaml:"ignore"`
}

// kindKeywords is one entry of kinds:. In a county's override file, keywords are
// added to the built-in ones of the kind, or replace them with replace: true.
type kindKeywords struct {
	Kind     yanshou.MaterialKind `yaml:"kind"`
	Name     string               `yaml:"name"` // optional; when given, the kind's Chinese name
	Keywords []string             `yaml:"keywords"`
	// Modifiers, written before another kind's head noun, make the title this
	// kind's (电话回访学员名单 is a follow-up record, not the roster).
	Modifiers []string `yaml:"modifiers"`
	// Modifies are the kinds whose head nouns the modifiers act on.
	Modifies []yanshou.MaterialKind `yaml:"modifies"`
	// Types are the groups of file types (types:) the kind may come as; none: any.
	FileTypes []string `yaml:"file_types"`
	Replace   bool     `yaml:"replace"` // override only: drop the built-in keywords of the kind
}

// builtin is the embedded vocabulary, checked once.
var builtin = func() *vocabulary {
	v, err := parseVocabulary(vocabularyYAML, "内置 materials.yaml")
	if err != nil {
		panic("inventory: " + err.Error())
	}
	return v
}()

// current is the vocabulary Classify, Ignored and IgnoredDir use.
var current atomic.Pointer[vocabulary]

func init() { current.Store(builtin) }

// UseVocabulary makes the built-in vocabulary, with the county's override file
// (config key materials:) merged over it, the one Classify, Ignored, IgnoredDir
// and Scan use; "" restores the built-in. A bad file is an error in Chinese
// naming the file and entry, and leaves the vocabulary in use unchanged.
func UseVocabulary(path string) error {
	if path == "" {
		current.Store(builtin)
		return nil
	}
	v, err := loadVocabulary(path)
	if err != nil {
		return err
	}
	current.Store(v)
	return nil
}

// loadVocabulary reads an override file and merges it over the built-in vocabulary.
func loadVocabulary(path string) (*vocabulary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("材料词表 %s 无法读取：%w", path, err)
	}
	over, err := parseVocabulary(data, "材料词表 "+path)
	if err != nil {
		return nil, err
	}
	return merge(builtin, over, path)
}

// parseVocabulary decodes materials.yaml (or an override in its format) and
// checks every entry: a known kind code, its name when given, no empty keyword.
func parseVocabulary(data []byte, name string) (*vocabulary, error) {
	var v vocabulary
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(true)
	if err := d.Decode(&v); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s 格式有误：%v", name, err)
	}
	seen := map[yanshou.MaterialKind]int{}
	for i, k := range v.Kinds {
		entry := fmt.Sprintf("%s 的 kinds 第 %d 项", name, i+1)
		m, ok := yanshou.MaterialOf(k.Kind)
		if !ok {
			return nil, fmt.Errorf("%s：未知的材料代码 %q（可用：%s）", entry, string(k.Kind), codes())
		}
		if m.Order == 0 {
			return nil, fmt.Errorf("%s：材料代码 %q 不是第十一条的材料，不能设关键词（可用：%s）", entry, string(k.Kind), codes())
		}
		entry += "（" + m.Name + "）"
		if k.Name != "" && k.Name != m.Name {
			return nil, fmt.Errorf("%s：name 写的是 %s，但代码 %s 是 %s", entry, k.Name, string(k.Kind), m.Name)
		}
		if j, dup := seen[k.Kind]; dup {
			return nil, fmt.Errorf("%s：与第 %d 项是同一材料", entry, j+1)
		}
		seen[k.Kind] = i
		if len(k.Keywords) == 0 && len(k.Modifiers) == 0 && len(k.FileTypes) == 0 {
			return nil, fmt.Errorf("%s：keywords 为空", entry)
		}
		for _, m := range k.Modifies {
			if mm, ok := yanshou.MaterialOf(m); !ok || mm.Order == 0 {
				return nil, fmt.Errorf("%s：modifies 中的 %q 不是第十一条的材料（可用：%s）", entry, string(m), codes())
			}
		}
		if v.Types != nil { // an override's types are checked once merged
			if err := knownTypes(k.FileTypes, v.Types, entry); err != nil {
				return nil, err
			}
		}
		for j, kw := range k.Keywords {
			if strings.TrimSpace(kw) == "" {
				return nil, fmt.Errorf("%s：第 %d 个关键词为空", entry, j+1)
			}
		}
	}
	for _, list := range [][]string{v.Manifest.Names, v.Ignore.Prefixes, v.Ignore.Suffixes, v.Ignore.Names, v.Ignore.Dirs} {
		for _, w := range list {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("%s：manifest 或 ignore 中有空的名称", name)
			}
		}
	}
	return &v, nil
}

// merge lays an override over the built-in vocabulary: the kinds keep the
// built-in order (the first keyword found wins, so order matters); a kind's
// keywords are added to, or with replace: true replace, the built-in ones; the
// manifest names and ignore lists are added to.
func merge(base, over *vocabulary, path string) (*vocabulary, error) {
	out := *base
	out.Kinds = make([]kindKeywords, len(base.Kinds))
	copy(out.Kinds, base.Kinds)
	for i, o := range over.Kinds {
		j := -1
		for n := range out.Kinds {
			if out.Kinds[n].Kind == o.Kind {
				j = n
			}
		}
		if j < 0 { // every material of 第十一条 has built-in keywords; kept for a future one without
			return nil, fmt.Errorf("材料词表 %s 的 kinds 第 %d 项（%s）：内置词表中没有这种材料", path, i+1, string(o.Kind))
		}
		k := out.Kinds[j]
		if o.Replace {
			k.Keywords = append([]string(nil), o.Keywords...)
		} else {
			k.Keywords = appendNew(k.Keywords, o.Keywords)
		}
		k.Modifiers = appendNew(k.Modifiers, o.Modifiers)
		for _, m := range o.Modifies {
			if !slices.Contains(k.Modifies, m) {
				k.Modifies = append(k.Modifies, m)
			}
		}
		if len(o.FileTypes) > 0 {
			k.FileTypes = append([]string(nil), o.FileTypes...)
		}
		out.Kinds[j] = k
	}
	out.Types = map[string][]string{}
	for t, exts := range base.Types {
		out.Types[t] = exts
	}
	for t, exts := range over.Types {
		out.Types[t] = appendNew(out.Types[t], exts)
	}
	for i, k := range over.Kinds {
		if err := knownTypes(k.FileTypes, out.Types, fmt.Sprintf("材料词表 %s 的 kinds 第 %d 项", path, i+1)); err != nil {
			return nil, err
		}
	}
	out.Manifest.Names = appendNew(base.Manifest.Names, over.Manifest.Names)
	out.Ignore.Prefixes = appendNew(base.Ignore.Prefixes, over.Ignore.Prefixes)
	out.Ignore.Suffixes = appendNew(base.Ignore.Suffixes, over.Ignore.Suffixes)
	out.Ignore.Names = appendNew(base.Ignore.Names, over.Ignore.Names)
	out.Ignore.Dirs = appendNew(base.Ignore.Dirs, over.Ignore.Dirs)
	return &out, nil
}

// appendNew returns a new list: base, then the words of more it lacks.
func appendNew(base, more []string) []string {
	out := append([]string(nil), base...)
	for _, w := range more {
		dup := false
		for _, b := range out {
			dup = dup || b == w
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out
}

// codes lists the kind codes a keyword entry may name.
func codes() string {
	var out []string
	for _, k := range yanshou.Materials {
		out = append(out, string(k))
	}
	return strings.Join(out, "、")
}

// knownTypes checks that every file type a kind names is one of types.
func knownTypes(names []string, types map[string][]string, entry string) error {
	for _, ty := range names {
		if _, ok := types[ty]; !ok {
			return fmt.Errorf("%s：file_types 中的 %q 不是 types 中的文件类型", entry, ty)
		}
	}
	return nil
}
