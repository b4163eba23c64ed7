package render

import (
	"testing"
)

func TestMaskID(t *testing.T) {
	tests := map[string]string{
		"411623199001011234": "411623********1234",
		"41162319920202222X": "411623********222X",
		"12345":              "12345",
		"":                   "",
	}
	for in, want := range tests {
		if got := maskID(in); got != want {
			t.Errorf("maskID(%q) = %q, want %q", in, got, want)
		}
	}
}
