package sheet

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

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
}

var (
	vocabOnce sync.Once
	vocab     struct {
		scanRows                 int
		columns, mheader, mitems *Vocab
		datums                   map[string][]string
		words                    map[string]map[string]bool
		wordLists                map[string][]string
	}
)

func loadVocab() {
	vocabOnce.Do(func() {
		var vf vocabFile
		dec := yaml.NewDecoder(strings.NewReader(string(vocabYAML)))
		dec.KnownFields(true)
		if err := dec.Decode(&vf); err != nil {
			panic("sheet: built-in vocab.yaml is invalid: " + err.Error())
		}
		var err error
		if vocab.columns, err = NewVocab(vf.Columns); err == nil {
			if vocab.mheader, err = NewVocab(vf.ManifestHeader); err == nil {
				vocab.mitems, err = NewVocab(vf.Manifest)
			}
		}
		if err != nil {
			panic("sheet: built-in vocab.yaml: " + err.Error())
		}
		vocab.scanRows = vf.HeaderScanRows
		if vocab.scanRows <= 0 {
			vocab.scanRows = 15
		}
		vocab.datums = vf.Datums
		vocab.words = map[string]map[string]bool{}
		vocab.wordLists = vf.Words
		for name, list := range vf.Words {
			m := map[string]bool{}
			for _, w := range list {
				m[strings.ToLower(Compact(w))] = true
			}
			vocab.words[name] = m
		}
	})
}

// NewVocab indexes a list of fields by their normalised aliases (and labels). Two
// fields claiming the same alias is an error.
func NewVocab(fields []Field) (*Vocab, error) {
	v := &Vocab{Fields: fields, index: map[string]string{}, byKey: map[string]int{}}
	for i, f := range fields {
		if f.Key == "" || f.Label == "" {
			return nil, fmt.Errorf("field %d has no key or label", i)
		}
		if _, dup := v.byKey[f.Key]; dup {
			return nil, fmt.Errorf("field key %q twice", f.Key)
		}
		v.byKey[f.Key] = i
		for _, a := range append([]string{f.Label, f.Key}, f.Aliases...) {
			n := normHeader(a)
			if n == "" {
				continue
			}
			if k, ok := v.index[n]; ok && k != f.Key {
				return nil, fmt.Errorf("alias %q claimed by %s and %s", a, k, f.Key)
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

// Columns returns the built-in vocabulary of roster, sign-in and follow-up columns.
func Columns() *Vocab { loadVocab(); return vocab.columns }

// ManifestHeader returns the vocabulary of the manifest's 项目 | 内容 header.
func ManifestHeader() *Vocab { loadVocab(); return vocab.mheader }

// ManifestItems returns the vocabulary of the manifest's items (培训机构, 期次 …).
func ManifestItems() *Vocab { loadVocab(); return vocab.mitems }

// HeaderScanRows is how many rows from the top are searched for a header.
func HeaderScanRows() int { loadVocab(); return vocab.scanRows }

// IsWord reports whether s (compacted, case-insensitive) is one of the named word
// list's words: "yes", "no", "absent", "not_yet", "skip_rows", "footer", "poor".
func IsWord(list, s string) bool {
	loadVocab()
	return vocab.words[list][strings.ToLower(Compact(s))]
}

// ContainsWord reports whether s contains one of the named list's words.
func ContainsWord(list, s string) bool {
	loadVocab()
	s = strings.ToLower(Compact(s))
	for _, w := range vocab.wordLists[list] {
		if w != "" && strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// Datum recognises how a coordinate system was written (WGS-84, 高德, 百度 …) and
// returns wgs84, gcj02 or bd09, or "" when it is not recognised.
func Datum(s string) string {
	loadVocab()
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
