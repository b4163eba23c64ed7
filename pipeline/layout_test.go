package pipeline_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The roles of the packages under pipeline/, by their first folder. A package
// directly under pipeline/ that is in no role folder is a driver: it wires the
// stages (pipeline itself, watch).
var roles = map[string]string{
	"stage":    "reads one submission's materials",
	"judge":    "turns what the stages read into facts",
	"store":    "keeps the ledger and the originals",
	"output":   "writes documents",
	"platform": "files, digests, errors, configuration",
	"format":   "domain-free readers and writers of formats",
	"testkit":  "generators for tests, fuzz seeds and the demo",
}

// forbidden says, for a role, which roles its non-test code may not import.
// "self" forbids another package of the same role; "driver" the wiring packages.
var forbidden = map[string][]string{
	"stage":    {"self", "judge", "store", "output", "driver", "testkit"},
	"judge":    {"self", "stage", "store", "output", "driver", "testkit"},
	"store":    {"self", "stage", "judge", "output", "driver", "testkit"},
	"output":   {"self", "stage", "judge", "store", "driver", "testkit"},
	"platform": {"stage", "judge", "store", "output", "driver", "testkit"},
	"format":   {"stage", "judge", "store", "output", "driver", "testkit"},
	"testkit":  {"driver"},
	"domain":   {"self", "stage", "judge", "store", "output", "driver", "testkit", "platform", "format", "rules"},
	"rules":    {"stage", "judge", "store", "output", "driver", "testkit", "platform"},
}

// known lists imports that break the rules today and are being removed; an
// entry that no longer occurs fails the test, so the list only shrinks.
var known = map[string]bool{}

const module = "yanshou"

// role returns the role of a package given by its path inside the module.
func role(pkg string) string {
	switch {
	case pkg == ".":
		return "domain"
	case pkg == "rules" || strings.HasPrefix(pkg, "rules/"):
		return "rules"
	case pkg == "templates":
		return "templates"
	case strings.HasPrefix(pkg, "cmd/"):
		return "cmd"
	case pkg == "pipeline":
		return "driver"
	}
	parts := strings.Split(pkg, "/")
	if parts[0] == "pipeline" && len(parts) >= 2 {
		if _, ok := roles[parts[1]]; ok {
			return parts[1]
		}
		if len(parts) == 2 {
			return "driver"
		}
	}
	return "unknown"
}

// imports maps each package of the module (path inside it) to the module
// packages its non-test files import.
func imports(t *testing.T, root string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "testdata" || n == "inbox" || n == "outbox" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if out[pkg] == nil {
			out[pkg] = map[string]bool{}
		}
		for _, spec := range f.Imports {
			p := strings.Trim(spec.Path.Value, `"`)
			switch {
			case p == module:
				out[pkg]["."] = true
			case strings.HasPrefix(p, module+"/"):
				out[pkg][strings.TrimPrefix(p, module+"/")] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportGraph: stages never import each other, outputs never import a
// stage, the domain imports nothing of the module, and every package under
// pipeline/ sits in a role folder (or is a driver).
func TestImportGraph(t *testing.T) {
	graph := imports(t, "..")
	seen := map[string]bool{}
	var pkgs []string
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, from := range pkgs {
		rf := role(from)
		if rf == "unknown" {
			t.Errorf("%s is in no role folder of pipeline/ (%s)", from, strings.Join(keys(roles), ", "))
			continue
		}
		for to := range graph[from] {
			rt := role(to)
			bad := false
			for _, f := range forbidden[rf] {
				if f == rt && f != "self" || f == "self" && rt == rf && to != from {
					bad = true
				}
			}
			edge := from + " -> " + to
			switch {
			case bad && known[edge]:
				seen[edge] = true
			case bad:
				t.Errorf("%s: a %s package may not import a %s package", edge, rf, rt)
			}
		}
	}
	for edge := range known {
		if !seen[edge] {
			t.Errorf("%s no longer occurs: remove it from known", edge)
		}
	}
}

// TestReadmeLayout: the README's layout names every package folder under
// pipeline/.
func TestReadmeLayout(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "## Layout")
	if start < 0 {
		t.Fatal("README.md has no ## Layout section")
	}
	layout := string(readme[start:])
	if end := strings.Index(layout[3:], "\n## "); end >= 0 {
		layout = layout[:end+3]
	}
	for pkg := range imports(t, "..") {
		if !strings.HasPrefix(pkg, "pipeline/") {
			continue
		}
		if !strings.Contains(layout, filepath.Base(pkg)+"/") {
			t.Errorf("README.md's layout does not name %s/", pkg)
		}
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
