package sheet

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"
)

//go:embed vocab.yaml
var vocabYAML []byte

// Field is one column (or manifest item) the readers recognise.
type Field struct {
	Key     string   `yaml:"key"`     // what the code calls it (name, id, start …)
	Label   string   `yaml:"label"`   // canonical Chinese name, used in messages
	Kind    string   `yaml:"kind"`    // text, name, id, phone, date, datetime, bool, int, session, mark
	Aliases []string `yaml:"aliases"` // names that mean this field
}

// Vocab is a set of fields recognised by their names.
type Vocab struct {
	Fields []Field
	index  map[string]string // normalised alias → key
	byKey  map[string]int
}

type vocabFile struct {
	HeaderScanRows int                 `yaml:"header_scan_rows"`
	Columns        []Field             `yaml:"columns"`
	ManifestHeader []Field             `yaml:"manifest_header"`
	Manifest       []Field             `yaml:"manifest"`
	Datums         map[string][]string `yaml:"datums"`
	Words          map[string][]string `yaml:"words"`
	Categories     []Category          `yaml:"categories"`
}

// Category is one 学员类别 as the statistics count it, with the other ways
// rosters write it.
type Category struct {
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
}

// vocabState is the vocabulary in use, indexed.
type vocabState struct {
	scanRows                 int
	columns, mheader, mitems *Vocab
	datums                   map[string][]string
	words                    map[string]map[string]bool
	wordLists                map[string][]string
	categories               []Category
	category                 map[string]string // compacted name or alias → name
}

var (
	builtinOnce  sync.Once
	builtinFile  vocabFile
	builtinState *vocabState
	override     atomic.Pointer[vocabState] // nil: the built-in
)

// loadVocab returns the vocabulary in use: the county's override merged over the
// built-in (UseVocab), or the built-in.
func loadVocab() *vocabState {
	if v := override.Load(); v != nil {
		return v
	}
	builtinOnce.Do(func() {
		dec := yaml.NewDecoder(strings.NewReader(string(vocabYAML)))
		dec.KnownFields(true)
		if err := dec.Decode(&builtinFile); err != nil {
			panic("sheet: built-in vocab.yaml is invalid: " + err.Error())
		}
		var err error
		if builtinState, err = indexVocab(builtinFile); err != nil {
			panic("sheet: built-in vocab.yaml: " + err.Error())
		}
	})
	return builtinState
}

func indexVocab(vf vocabFile) (*vocabState, error) {
	st := &vocabState{}
	var err error
	if st.columns, err = NewVocab(vf.Columns); err != nil {
		return nil, fmt.Errorf("columns：%w", err)
	}
	if st.mheader, err = NewVocab(vf.ManifestHeader); err != nil {
		return nil, fmt.Errorf("manifest_header：%w", err)
	}
	if st.mitems, err = NewVocab(vf.Manifest); err != nil {
		return nil, fmt.Errorf("manifest：%w", err)
	}
	st.scanRows = vf.HeaderScanRows
	if st.scanRows <= 0 {
		st.scanRows = 15
	}
	st.datums = vf.Datums
	st.categories = vf.Categories
	st.category = map[string]string{}
	for i, c := range vf.Categories {
		if strings.TrimSpace(c.Name) == "" {
			return nil, fmt.Errorf("categories 第 %d 项没有 name", i+1)
		}
		for _, a := range append([]string{c.Name}, c.Aliases...) {
			n := strings.ToLower(Compact(a))
			if n == "" {
				continue
			}
			if o, ok := st.category[n]; ok && o != c.Name {
				return nil, fmt.Errorf("categories：%q 同时属于 %s 和 %s", a, o, c.Name)
			}
			st.category[n] = c.Name
		}
	}
	st.words = map[string]map[string]bool{}
	st.wordLists = vf.Words
	for name, list := range vf.Words {
		m := map[string]bool{}
		for _, w := range list {
			m[strings.ToLower(Compact(w))] = true
		}
		st.words[name] = m
	}
	return st, nil
}

// NewVocab indexes a list of fields by their normalised aliases (and labels). Two
// fields claiming the same alias is an error.
func NewVocab(fields []Field) (*Vocab, error) {
	v := &Vocab{Fields: fields, index: map[string]string{}, byKey: map[string]int{}}
	for i, f := range fields {
		if f.Key == "" || f.Label == "" {
			return nil, fmt.Errorf("第 %d 项没有 key 或 label", i+1)
		}
		if _, dup := v.byKey[f.Key]; dup {
			return nil, fmt.Errorf("key %q 出现了两次", f.Key)
		}
		v.byKey[f.Key] = i
		for _, a := range append([]string{f.Label, f.Key}, f.Aliases...) {
			n := normHeader(a)
			if n == "" {
				continue
			}
			if k, ok := v.index[n]; ok && k != f.Key {
				return nil, fmt.Errorf("名称 %q 同时属于 %s 和 %s", a, k, f.Key)
			}
			v.index[n] = f.Key
		}
	}
	return v, nil
}

// Match returns the key of the field a column name (or manifest label) means, or "".
func (v *Vocab) Match(text string) string {
	if v == nil {
		return ""
	}
	return v.index[normHeader(text)]
}

// Field returns the field with the given key (zero Field when unknown).
func (v *Vocab) Field(key string) Field {
	if i, ok := v.byKey[key]; ok {
		return v.Fields[i]
	}
	return Field{Key: key, Label: key}
}

// Label returns the canonical Chinese name of a field.
func (v *Vocab) Label(key string) string { return v.Field(key).Label }

// Columns returns the vocabulary in use of roster, sign-in and follow-up columns.
func Columns() *Vocab { return loadVocab().columns }

// ManifestHeader returns the vocabulary of the manifest's 项目 | 内容 header.
func ManifestHeader() *Vocab { return loadVocab().mheader }

// ManifestItems returns the vocabulary of the manifest's items (培训机构, 期次 …).
func ManifestItems() *Vocab { return loadVocab().mitems }

// HeaderScanRows is how many rows from the top are searched for a header.
func HeaderScanRows() int { return loadVocab().scanRows }

// IsWord reports whether s (compacted, case-insensitive) is one of the named word
// list's words: "yes", "no", "absent", "not_yet", "skip_rows", "footer", "poor".
func IsWord(list, s string) bool {
	return loadVocab().words[list][strings.ToLower(Compact(s))]
}

// ContainsWord reports whether s contains one of the named list's words.
func ContainsWord(list, s string) bool {
	s = strings.ToLower(Compact(s))
	for _, w := range loadVocab().wordLists[list] {
		if w != "" && strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// Categories returns the names of the 学员类别 in their order (the roster
// template's drop-down, the statistics' rows).
func Categories() []string {
	cs := loadVocab().categories
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// CategoryOf returns the 学员类别 a roster cell means: its name when the cell is
// a name or an alias of one (合作社员 → 合作社成员), else the cell as written,
// trimmed, so that an unlisted category is still counted under its own words.
func CategoryOf(cell string) string {
	if name, ok := loadVocab().category[strings.ToLower(Compact(cell))]; ok {
		return name
	}
	return strings.TrimSpace(cell)
}

// Datum recognises how a coordinate system was written (WGS-84, 高德, 百度 …) and
// returns wgs84, gcj02 or bd09, or "" when it is not recognised.
func Datum(s string) string {
	vocab := loadVocab()
	s = strings.ToLower(Compact(s))
	if s == "" {
		return ""
	}
	// The most specific names first: "百度" must not be read as anything else.
	for _, d := range []string{"bd09", "gcj02", "wgs84"} {
		for _, w := range vocab.datums[d] {
			if strings.Contains(s, strings.ToLower(Compact(w))) {
				return d
			}
		}
	}
	return ""
}
