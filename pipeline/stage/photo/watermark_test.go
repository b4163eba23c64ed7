package photo

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanshou"
)

// corpusSize is the number of photos with a strip the corpus test draws
// (WATERMARK_CORPUS_N overrides: the figures in the report come from 60).
func corpusSize() (strips, plain int) {
	strips, plain = 12, 4
	if n, err := strconv.Atoi(os.Getenv("WATERMARK_CORPUS_N")); err == nil && n > 0 {
		strips, plain = n, max(4, n/3)
	}
	return strips, plain
}

// TestWatermarkCorpus: on generated photos of the three layouts at 2–12 MP,
// some re-encoded as WeChat does, the strip is found on every photo that has
// one and on none of the plain ones (no OCR needed for that); with tesseract,
// no photo gets a wrong time (date and time must both be read and agree with
// the weekday), most get the exact one, and a plain photo never gets one.
// Without tesseract (hidden from PATH) a found strip gives a note and no time.
func TestWatermarkCorpus(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	strips, plain := corpusSize()
	corpus := writeWatermarkCorpus(t, t.TempDir(), strips, plain, 7)
	type tally struct{ n, found, right, wrong, unsure int }
	by := map[string]*tally{}
	key := func(p wmPhoto) string {
		k := "无水印"
		if p.strip {
			k = p.layout.String()
		}
		if p.wechat {
			k += "（微信）"
		}
		return k
	}
	if !CanReadWatermarks() {
		t.Log("tesseract with chi_sim not installed: only the strip finder is measured")
	}
	start := time.Now()
	var all tally
	for _, p := range corpus {
		s := ScanWatermark(p.path, 0)
		tl := by[key(p)]
		if tl == nil {
			tl = &tally{}
			by[key(p)] = tl
		}
		tl.n++
		if s.Found {
			tl.found++
		}
		if s.Found != p.strip {
			t.Errorf("%s: strip found %v, drawn %v (region %.2f)", p.path, s.Found, p.strip, s.Region)
		}
		w := Interpret(s, loc, "wgs84")
		switch {
		case w == nil || w.Taken == nil:
			if p.strip {
				tl.unsure++
				if w != nil && w.Note == "" {
					t.Errorf("%s: no time and no note", p.path)
				}
				t.Logf("%s: not read: %v (%+v)", p.path, w, s.Lines)
			}
		case p.strip && w.Taken.Equal(p.when):
			tl.right++
		default:
			tl.wrong++
			t.Errorf("%s: watermark read as %v, printed %v (%q)", p.path, w.Taken, p.when, w.Text)
		}
	}
	elapsed := time.Since(start)
	for k, tl := range by {
		t.Logf("%-12s photos %2d found %2d right %2d wrong %d unsure %d", k, tl.n, tl.found, tl.right, tl.wrong, tl.unsure)
		all.n, all.found, all.right, all.wrong, all.unsure = all.n+tl.n, all.found+tl.found, all.right+tl.right, all.wrong+tl.wrong, all.unsure+tl.unsure
	}
	t.Logf("all: %d photos (%d with a strip), right %d (%.0f%% of strips), wrong %d, unsure %d; %.2f photos/s",
		all.n, strips, all.right, 100*float64(all.right)/float64(strips), all.wrong, all.unsure, float64(all.n)/elapsed.Seconds())
	if CanReadWatermarks() && float64(all.right) < 0.75*float64(strips) {
		t.Errorf("only %d of %d strips read right", all.right, strips)
	}

	// Without tesseract: the strip is still found, and says it was not read.
	t.Setenv("PATH", t.TempDir())
	if CanReadWatermarks() {
		t.Fatal("watermarks readable with an empty PATH")
	}
	s := ScanWatermark(corpus[0].path, 0)
	w := Interpret(s, loc, "wgs84")
	if !s.Found || s.OCR || w == nil || w.Taken != nil || !strings.Contains(w.Note, "tesseract") {
		t.Errorf("without tesseract: %v %+v", s, w)
	}
	var ph yanshou.Photo
	UseWatermark(&ph, w)
	if ph.Taken != nil || ph.Watermark != w {
		t.Errorf("an unread watermark gave a time: %+v", ph)
	}
}
