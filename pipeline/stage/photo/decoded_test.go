package photo

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"yanshou/pipeline/testkit/watermarks"
)

// TestScanWatermarkDecoded: the watermark scan made in the plane the hashes
// were computed from (one decode of the file) is the scan made from the file
// alone, strip or no strip, large or small picture (a small one is decoded
// again in full for its finer plane either way), and the hashes and SHA-256
// are HashesSum's. A file that cannot be decoded gives no plane and an error.
func TestScanWatermarkDecoded(t *testing.T) {
	corpus, err := watermarks.Write(t.TempDir(), 6, 3, 5)
	if err != nil {
		t.Skipf("no corpus (a CJK font is needed): %v", err)
	}
	t.Setenv("PATH", t.TempDir()) // the finder alone: OCR is the same call either way
	strips := 0
	for _, p := range corpus {
		hs, sum, d, err := HashesSumDecoded(p.Path, 0)
		if err != nil || d == nil {
			t.Fatalf("%s: %v", p.Path, err)
		}
		wantHs, wantSum, err := HashesSum(p.Path, 0)
		if err != nil || !slices.Equal(hs, wantHs) || sum != wantSum {
			t.Errorf("%s: hashes or SHA-256 differ from HashesSum's (%v)", p.Path, err)
		}
		got, want := ScanWatermarkDecoded(p.Path, d, 0), ScanWatermark(p.Path, 0)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: scan in the hashes' plane %+v, from the file %+v", p.Path, got, want)
		}
		if got.Found {
			strips++
			// The plane given is the one looked in: a blank one has no strip.
			if max(d.pl.w, d.pl.h) >= wmFinePlane {
				blank := &Decoded{plane{d.pl.w, d.pl.h, make([]float32, len(d.pl.px))}}
				if s := ScanWatermarkDecoded(p.Path, blank, 0); s.Found {
					t.Errorf("%s: a strip found in a blank plane: the file was decoded again", p.Path)
				}
			}
		}
	}
	if strips == 0 {
		t.Error("no strip found: the comparison saw only plain photos")
	}
	junk := filepath.Join(t.TempDir(), "junk.jpg")
	if err := os.WriteFile(junk, []byte{0xFF, 0xD8, 0xFF, 0xDB, 0, 3, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, d, err := HashesSumDecoded(junk, 0); err == nil || d != nil {
		t.Errorf("a broken file: plane %v, error %v", d, err)
	}
	if s := ScanWatermarkDecoded(junk, nil, 0); s.Found {
		t.Errorf("a broken file: strip found")
	}
}
