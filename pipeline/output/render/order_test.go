package render

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"yanshou"
)

// TestReadingOrder: the report lists files in natural order and numbers photos
// in shooting order, without touching the result it was given.
func TestReadingOrder(t *testing.T) {
	cfg := testConfig(t)
	r := sampleResult(yanshou.Pass)
	for _, n := range []string{"第十讲 直播.pptx", "第二讲 开店.pptx", "第十二讲 总结.pptx"} {
		r.Submission.Files = append(r.Submission.Files, yanshou.File{Rel: "04培训课件/" + n, Kind: yanshou.Courseware, SHA256: hashOf(n)})
	}
	at := func(d, h int) *time.Time { t := time.Date(2026, 3, d, h, 0, 0, 0, shanghai); return &t }
	r.Photos = []yanshou.Photo{
		{File: "05现场照片/IMG (10).jpg", Taken: at(11, 9)},
		{File: "05现场照片/IMG (2).jpg"},
		{File: "05现场照片/IMG (9).jpg", Taken: at(10, 15)},
		{File: "05现场照片/IMG (1).jpg"},
		{File: "05现场照片/IMG (11).jpg", Taken: at(10, 9)},
	}
	files := slices.Clone(r.Submission.Files)
	photos := slices.Clone(r.Photos)

	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, r, cfg); err != nil {
		t.Fatal(err)
	}
	text := squeeze(pdfText(t, path))
	inOrder(t, text, "第一讲", "第二讲", "第十讲", "第十二讲")
	// Photo table: taken 10th 09:00, 10th 15:00, 11th, then the two without time.
	inOrder(t, text, "IMG (11).jpg", "IMG (9).jpg", "IMG (10).jpg", "IMG (1).jpg", "IMG (2).jpg")

	if !slices.EqualFunc(files, r.Submission.Files, func(a, b yanshou.File) bool { return a.Rel == b.Rel }) ||
		!slices.EqualFunc(photos, r.Photos, func(a, b yanshou.Photo) bool { return a.File == b.File }) {
		t.Error("Report reordered the result it was given")
	}
}

// inOrder fails unless the first occurrences of words in text follow one another.
func inOrder(t *testing.T, text string, words ...string) {
	t.Helper()
	last := -1
	for _, w := range words {
		i := strings.Index(text, w)
		if i < 0 {
			t.Errorf("text lacks %q", w)
			return
		}
		if i < last {
			t.Errorf("%q comes before %q; want the order %q", w, words[slices.Index(words, w)-1], words)
			return
		}
		last = i
	}
}
