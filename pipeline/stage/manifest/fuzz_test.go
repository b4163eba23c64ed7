package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/hostile"
)

// FuzzReadYAML: no manifest.yaml makes Read panic (a recovered panic is a bug
// all the same) or give a problem that does not name the file. Seeds: the
// hostile corpus's manifests (an alias bomb, binary, impossible dates).
func FuzzReadYAML(f *testing.F) {
	for _, seed := range hostile.Samples(hostile.SampleYAML) {
		f.Add(seed)
	}
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "manifest.yaml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, problems := Read(p, "manifest.yaml", cfg)
		for _, e := range problems {
			if strings.Contains(e.Detail, "读取培训信息表时出错") {
				t.Fatalf("recovered panic: %s", e.Detail)
			}
			if e.File != "manifest.yaml" {
				t.Fatalf("problem does not name the file: %+v", e)
			}
		}
	})
}
