package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// UseVocab puts in use the built-in vocabulary with a county's override file
// (config key sheet_vocab:) merged over it; "" restores the built-in. The file
// has the layout of vocab.yaml and only adds: aliases to a column or manifest
// item named by its key, words to a word list or datum, and header_scan_rows
// replaces the built-in number. A bad file is an error in Chinese naming the
// file and entry, and leaves the vocabulary in use unchanged.
func UseVocab(path string) error {
	if path == "" {
		override.Store(nil)
		return nil
	}
	st, err := loadOverride(path)
	if err != nil {
		return err
	}
	override.Store(st)
	return nil
}

func loadOverride(path string) (*vocabState, error) {
	loadVocab() // the built-in, parsed once
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("表格词表 %s 无法读取：%w", path, err)
	}
	var over vocabFile
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(true)
	if err := d.Decode(&over); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("表格词表 %s 格式有误：%v", path, err)
	}
	vf, err := mergeVocab(builtinFile, over)
	if err != nil {
		return nil, fmt.Errorf("表格词表 %s 的 %w", path, err)
	}
	st, err := indexVocab(vf)
	if err != nil {
		return nil, fmt.Errorf("表格词表 %s 的 %w", path, err)
	}
	return st, nil
}

// mergeVocab adds an override's entries to a copy of the built-in vocabulary.
func mergeVocab(base, over vocabFile) (vocabFile, error) {
	out := base
	if over.HeaderScanRows < 0 {
		return out, fmt.Errorf("header_scan_rows：%d 不能为负数", over.HeaderScanRows)
	}
	if over.HeaderScanRows > 0 {
		out.HeaderScanRows = over.HeaderScanRows
	}
	var err error
	if out.Columns, err = mergeFields("columns", base.Columns, over.Columns); err != nil {
		return out, err
	}
	if out.ManifestHeader, err = mergeFields("manifest_header", base.ManifestHeader, over.ManifestHeader); err != nil {
		return out, err
	}
	if out.Manifest, err = mergeFields("manifest", base.Manifest, over.Manifest); err != nil {
		return out, err
	}
	if out.Datums, err = mergeLists("datums", base.Datums, over.Datums); err != nil {
		return out, err
	}
	if out.Words, err = mergeLists("words", base.Words, over.Words); err != nil {
		return out, err
	}
	if out.Categories, err = mergeCategories(base.Categories, over.Categories); err != nil {
		return out, err
	}
	return out, nil
}

// mergeFields adds the aliases of each override entry to the built-in field of
// the same key. A key the readers do not know, a changed label or kind, or an
// empty alias is refused.
func mergeFields(section string, base, over []Field) ([]Field, error) {
	out := make([]Field, len(base))
	copy(out, base)
	for i, o := range over {
		entry := fmt.Sprintf("%s 第 %d 项", section, i+1)
		j := -1
		for n := range out {
			if out[n].Key == o.Key {
				j = n
			}
		}
		if j < 0 {
			var keys []string
			for _, f := range base {
				keys = append(keys, f.Key)
			}
			return nil, fmt.Errorf("%s：未知的 key %q（可用：%s）", entry, o.Key, strings.Join(keys, "、"))
		}
		f := out[j]
		entry += "（" + f.Label + "）"
		if o.Label != "" && o.Label != f.Label || o.Kind != "" && o.Kind != f.Kind {
			return nil, fmt.Errorf("%s：label 和 kind 不能改动，只能增加 aliases", entry)
		}
		if len(o.Aliases) == 0 {
			return nil, fmt.Errorf("%s：aliases 为空", entry)
		}
		for n, a := range o.Aliases {
			if strings.TrimSpace(a) == "" {
				return nil, fmt.Errorf("%s：第 %d 个别名为空", entry, n+1)
			}
		}
		f.Aliases = appendNew(f.Aliases, o.Aliases)
		out[j] = f
	}
	return out, nil
}

// mergeLists adds the words of each override list to the built-in list of the
// same name; a list the readers do not know, or an empty word, is refused.
func mergeLists(section string, base, over map[string][]string) (map[string][]string, error) {
	out := make(map[string][]string, len(base))
	for k, v := range base {
		out[k] = v
	}
	names := make([]string, 0, len(over))
	for k := range over {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		list, ok := base[name]
		if !ok {
			known := make([]string, 0, len(base))
			for k := range base {
				known = append(known, k)
			}
			sort.Strings(known)
			return nil, fmt.Errorf("%s：未知的词表 %q（可用：%s）", section, name, strings.Join(known, "、"))
		}
		for n, w := range over[name] {
			if strings.TrimSpace(w) == "" {
				return nil, fmt.Errorf("%s.%s：第 %d 个词为空", section, name, n+1)
			}
		}
		out[name] = appendNew(list, over[name])
	}
	return out, nil
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

// mergeCategories adds an override's aliases to the categories it names and
// appends the categories the built-in does not have, in the override's order.
func mergeCategories(base, over []Category) ([]Category, error) {
	out := make([]Category, len(base))
	copy(out, base)
	for i, o := range over {
		entry := fmt.Sprintf("categories 第 %d 项", i+1)
		if strings.TrimSpace(o.Name) == "" {
			return nil, fmt.Errorf("%s：name 为空", entry)
		}
		for n, a := range o.Aliases {
			if strings.TrimSpace(a) == "" {
				return nil, fmt.Errorf("%s（%s）：第 %d 个别名为空", entry, o.Name, n+1)
			}
		}
		j := slices.IndexFunc(out, func(c Category) bool { return c.Name == o.Name })
		if j < 0 {
			out = append(out, o)
			continue
		}
		c := out[j]
		c.Aliases = appendNew(c.Aliases, o.Aliases)
		out[j] = c
	}
	return out, nil
}
