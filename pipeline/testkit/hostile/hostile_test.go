package hostile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	inbox := t.TempDir()
	cases, err := Write(inbox, Options{Rows: 1000, BombBytes: 4 << 20, Outside: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 30 {
		t.Errorf("%d cases, want at least 30", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Name] {
			t.Errorf("case %s twice", c.Name)
		}
		seen[c.Name] = true
		if len(c.Want) == 0 {
			t.Errorf("%s: no expected mention", c.Name)
		}
		if _, err := os.Lstat(filepath.Join(inbox, filepath.FromSlash(c.Path))); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestSamples(t *testing.T) {
	for _, kind := range []string{SamplePhoto, SampleExif, SampleZip, SamplePDF, SampleOffice, SampleYAML} {
		if got := Samples(kind); len(got) < 2 {
			t.Errorf("Samples(%s): %d samples", kind, len(got))
		}
	}
	if Samples("nothing") != nil {
		t.Error("unknown kind gave samples")
	}
}
