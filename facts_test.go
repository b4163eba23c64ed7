package yanshou

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestFactsStoredNames checks that every field of Facts, down to the leaves, has a
// json tag equal to its Go name: the ledger stores facts as JSON, so a field
// renamed without its tag would read back as zero from every stored version.
func TestFactsStoredNames(t *testing.T) {
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag != f.Name {
				t.Errorf("%s.%s: json tag %q, want %q", path, f.Name, tag, f.Name)
			}
			if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == typ.PkgPath() {
				walk(path+"."+f.Name, f.Type)
			}
		}
	}
	walk("Facts", reflect.TypeOf(Facts{}))
}

// TestFactsReadBack reads facts JSON as the ledger stored it before the tags
// existed (field names as keys) and gets the same values.
func TestFactsReadBack(t *testing.T) {
	stored := `{"Attendance":{"Approved":38,"Trained":25,"Rate":0.6578947368421053},"Photos":{"Total":12,"Reused":1},"T":{"AttendancePass":0.8,"ProxyPhoneMax":2},"Evidence":{"photos.reused":[{"file":"现场照片/1.jpg","row":0,"detail":"x"}]}}`
	var f Facts
	if err := json.Unmarshal([]byte(stored), &f); err != nil {
		t.Fatal(err)
	}
	if f.Attendance.Approved != 38 || f.Attendance.Trained != 25 || f.Photos.Reused != 1 ||
		f.T.AttendancePass != 0.8 || f.T.ProxyPhoneMax != 2 || len(f.Evidence["photos.reused"]) != 1 {
		t.Fatalf("read back %+v", f)
	}
}
