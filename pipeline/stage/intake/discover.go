package intake

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxDepth is how deep under the inbox a submission may sit (DESIGN.md).
const MaxDepth = 3

// Candidate is a submission found under the inbox: a folder holding a manifest,
// or a zip.
type Candidate struct {
	Path string // absolute path
	Zip  bool
}

// IsManifestName reports whether a base name is a manifest file name.
func IsManifestName(base string) bool {
	switch strings.ToLower(base) {
	case "培训信息表.xlsx", "培训信息表.csv", "manifest.yaml", "manifest.yml":
		return true
	}
	return false
}

// Discover finds the submissions under inbox up to MaxDepth levels: folders that
// hold a manifest (their subfolders belong to them) and .zip files. Symbolic
// links are never followed, so nothing outside the inbox is reached.
func Discover(inbox string) ([]Candidate, error) {
	var out []Candidate
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		if dir != inbox {
			for _, e := range entries {
				if e.Type().IsRegular() && IsManifestName(e.Name()) {
					out = append(out, Candidate{Path: dir})
					return nil
				}
			}
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			switch {
			case e.Type()&os.ModeSymlink != 0:
				continue
			case e.IsDir() && depth < MaxDepth && !strings.HasPrefix(e.Name(), "."):
				if err := walk(p, depth+1); err != nil {
					return err
				}
			case e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".zip") && depth < MaxDepth:
				out = append(out, Candidate{Path: p, Zip: true})
			}
		}
		return nil
	}
	if err := walk(inbox, 0); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
