package templates

import (
	"io/fs"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestNoEngineersWordsInDocuments: what officials and institutions read (the
// reports, notices, archive, county documents, workbooks) speaks of their
// work, not of the program: no command names, file formats of the program,
// config keys or "versions".
func TestNoEngineersWordsInDocuments(t *testing.T) {
	banned := []string{"yanshou", "verdict.json", "配置中", "poor_registry", "monthly_plans", "新版本", "config", "JSON"}
	files, err := fs.Glob(builtin, "report/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, name := range files {
		if name == "report/verify.yaml" { // printed by the command for the engineer
			continue
		}
		data, err := fs.ReadFile(builtin, name)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(n *yaml.Node, key string)
		walk = func(n *yaml.Node, key string) {
			switch n.Kind {
			case yaml.DocumentNode, yaml.SequenceNode:
				for _, c := range n.Content {
					walk(c, key)
				}
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					walk(n.Content[i+1], n.Content[i].Value)
				}
			case yaml.ScalarNode:
				for _, b := range banned {
					if strings.Contains(n.Value, b) {
						t.Errorf("%s: %s says %q, a word for engineers: %s", name, key, b, n.Value)
					}
				}
			}
		}
		walk(&doc, "")
	}
}
