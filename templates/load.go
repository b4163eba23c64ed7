package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// Load decodes the wording file name (a path inside the templates, such as
// "report/ledger.yaml") into w, a pointer to a struct with yaml tags: the
// built-in file first, then the file of the same name in the override folder,
// when there is one, on top of it key by key — an override that changes one key
// keeps every other key of the built-in file. A key the struct does not know is
// an error, and so is a string, list or map left empty (a number left zero or
// negative) once both are read. Errors are in Chinese and name the file (and the
// key).
func Load(override, name string, w any) error { return load(override, name, w, true) }

// LoadPart is Load for a document that uses a few keys of another document's
// file: keys w does not declare are left to the document that does, instead of
// being refused.
func LoadPart(override, name string, w any) error { return load(override, name, w, false) }

func load(override, name string, w any, strict bool) error {
	base, err := fs.ReadFile(builtin, name)
	if err != nil {
		return fmt.Errorf("读取内置模板 %s 失败：%w", name, err)
	}
	if err := decode(base, w, strict); err != nil {
		return fmt.Errorf("内置模板 %s 无法读取：%w", name, err)
	}
	if override != "" {
		path := filepath.Join(override, filepath.FromSlash(name))
		over, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("读取模板 %s 失败：%w", path, err)
		default:
			if err := decode(over, w, strict); err != nil {
				return fmt.Errorf("模板 %s 无法读取：%w", path, err)
			}
			if empty := nullKeys(over); len(empty) > 0 {
				return fmt.Errorf("模板 %s 的 %s 为空（%s）", name, strings.Join(empty, "、"), path)
			}
		}
	}
	if empty := emptyKeys(reflect.ValueOf(w).Elem(), ""); len(empty) > 0 {
		return fmt.Errorf("模板 %s 的 %s 为空", name, strings.Join(empty, "、"))
	}
	return nil
}

// decode decodes one YAML document over w: keys it holds replace the values
// already there (nested mappings key by key), keys it lacks keep them; strict
// refuses keys w does not declare.
func decode(data []byte, w any, strict bool) error {
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(strict)
	if err := d.Decode(w); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// nullKeys names the keys of a YAML document given no value ("key:" alone),
// which decoding would pass over and so keep the built-in text silently.
func nullKeys(data []byte) []string {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	var out []string
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			if prefix != "" {
				key = prefix + "." + key
			}
			if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
				out = append(out, key)
			}
			walk(val, key)
		}
	}
	walk(doc.Content[0], "")
	return out
}

// emptyKeys names the yaml keys of v left empty (or not positive, for numbers).
func emptyKeys(v reflect.Value, prefix string) []string {
	var out []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		switch {
		case key == "": // inline: its keys are the parent's
			key = prefix
		case prefix != "":
			key = prefix + "." + key
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			out = append(out, emptyKeys(f, key)...)
		case reflect.String, reflect.Slice, reflect.Map:
			if f.Len() == 0 {
				out = append(out, key)
			}
		case reflect.Int:
			if f.Int() <= 0 {
				out = append(out, key)
			}
		}
	}
	return out
}

// tmplCache keeps parsed wording templates by their text.
var tmplCache sync.Map // string → *template.Template

// Fill executes one wording text ("{{.Count}} 个文件") with the given values. A
// text that cannot be parsed or names a value not given (an unknown placeholder
// in a county override) is an error quoting the text.
func Fill(text string, v map[string]any) (string, error) {
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	var t *template.Template
	if c, ok := tmplCache.Load(text); ok {
		t = c.(*template.Template)
	} else {
		var err error
		t, err = template.New("").Option("missingkey=error").Parse(text)
		if err != nil {
			return "", fmt.Errorf("模板文字 %q 有误：%w", text, err)
		}
		tmplCache.Store(text, t)
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "", fmt.Errorf("模板文字 %q 无法填写：%w", text, err)
	}
	return b.String(), nil
}

// Filler fills wording texts one after another and keeps the first error, so
// that layout code stays linear: check Err once at the end.
type Filler struct{ Err error }

// Do fills text with v (see Fill); after an error it returns what it could and
// Err keeps the first error.
func (f *Filler) Do(text string, v map[string]any) string {
	s, err := Fill(text, v)
	if err != nil && f.Err == nil {
		f.Err = err
	}
	return s
}
