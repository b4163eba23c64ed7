package archive

import (
	"slices"
	"testing"

	"yanshou"
)

// TestReadingOrder: files are bound in the natural order of their names; the
// result given keeps its own order (it is what was hashed and stored).
func TestReadingOrder(t *testing.T) {
	var files []yanshou.File
	for _, n := range []string{"04培训课件/第十讲.pptx", "04培训课件/第二讲.pptx", "05现场照片/IMG (10).jpg",
		"04培训课件/第一讲.pptx", "05现场照片/IMG (2).jpg"} {
		files = append(files, yanshou.File{Rel: n})
	}
	r := &yanshou.Result{Submission: &yanshou.Submission{Files: files}}
	before := slices.Clone(files)
	got := inReadingOrder(r)
	var names []string
	for _, f := range got.Submission.Files {
		names = append(names, f.Rel)
	}
	want := []string{"04培训课件/第一讲.pptx", "04培训课件/第二讲.pptx", "04培训课件/第十讲.pptx",
		"05现场照片/IMG (2).jpg", "05现场照片/IMG (10).jpg"}
	if !slices.Equal(names, want) {
		t.Errorf("order %q, want %q", names, want)
	}
	if !slices.Equal(before, r.Submission.Files) {
		t.Error("the result given was reordered")
	}
	if got := inReadingOrder(&yanshou.Result{}); got.Submission != nil {
		t.Error("a result without submission gained one")
	}
}
