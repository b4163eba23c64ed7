package pipeline

import "testing"

func TestMaskID(t *testing.T) {
	for in, want := range map[string]string{"411623199005010228": "4116**********0228", "41162319900501022X": "4116**********022X", "12345678": "12345678", "": ""} {
		if got := MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"138-0000-1234": "1234", "12": "12", "": ""} {
		if got := lastDigits(in, 4); got != want {
			t.Errorf("lastDigits(%q) = %q, want %q", in, got, want)
		}
	}
}
