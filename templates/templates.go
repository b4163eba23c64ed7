// Package templates holds the wording and layout of every document yanshou
// generates (report/) and the specifications of the blank workbooks handed to
// institutions (blank/). A county may override any file by pointing the config's
// `templates:` key at a folder with the same layout.
package templates

import (
	"embed"
	"errors"
	"io/fs"
	"os"
)

//go:embed report blank
var builtin embed.FS

// Builtin returns the embedded templates.
func Builtin() fs.FS { return builtin }

// FS returns the templates with files from the override folder (if any) taking
// precedence over the built-in ones.
func FS(override string) fs.FS {
	if override == "" {
		return builtin
	}
	return overlay{top: os.DirFS(override), base: builtin}
}

// ReadFile reads one template file, honouring the override folder.
func ReadFile(override, name string) ([]byte, error) {
	return fs.ReadFile(FS(override), name)
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}
