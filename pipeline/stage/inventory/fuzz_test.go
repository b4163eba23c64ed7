package inventory

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadableName: whatever bytes a file name holds, the name shown is valid
// UTF-8, keeps its folders, and a valid UTF-8 name is left as it is.
func FuzzReadableName(f *testing.F) {
	for _, seed := range []string{"签到表.xlsx", "现场照片/\xc7\xa9\xb5\xbd.jpg", "\xff\xfe坏名.jpg", "a/\xff/b", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		got, bad := ReadableName(rel)
		if !utf8.ValidString(got) {
			t.Fatalf("ReadableName(%q) = %q, not UTF-8", rel, got)
		}
		if strings.Count(got, "/") != strings.Count(rel, "/") {
			t.Fatalf("ReadableName(%q) = %q: folders changed", rel, got)
		}
		if utf8.ValidString(rel) && (got != rel || bad) {
			t.Fatalf("ReadableName(%q) = %q, %v: a valid name was changed", rel, got, bad)
		}
	})
}
