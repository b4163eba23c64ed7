package templates

import (
	"fmt"
	"strings"
)

// PhotoWords is the wording of a photo's checks: the keys of photos: in
// report/report.yaml that the report's photo table and the archive's photo
// captions share.
type PhotoWords struct {
	Distance      string `yaml:"distance"`
	Unknown       string `yaml:"unknown"`
	Verified      string `yaml:"verified"`
	OutsideWindow string `yaml:"outside_window"`
	OutsideVenue  string `yaml:"outside_venue"`
	OutsideCounty string `yaml:"outside_county"`
	NoExif        string `yaml:"no_exif"`
	ReusedOf      string `yaml:"reused_of"`
	// Video is the facts line of a video (第七条 培训现场视频), shown with its
	// poster frame, or alone when there is none.
	Video string `yaml:"video"`
}

// VideoLine is a video's facts line: its length (already written out; "" when
// unknown) and frame size, then on a line of its own note — why there is no
// poster frame — when there is one.
func (w *PhotoWords) VideoLine(f *Filler, duration string, width, height int, note string) string {
	size := w.Unknown
	if width > 0 && height > 0 {
		size = fmt.Sprintf("%d×%d", width, height)
	}
	if duration == "" {
		duration = w.Unknown
	}
	s := f.Do(w.Video, map[string]any{"Duration": duration, "Size": size})
	if note != "" {
		s += "\n" + note
	}
	return s
}

// Status names what is wrong with a photo — reused from another class
// (reusedOf, "" if not), no shooting time, shot outside the training days,
// outside the venue, outside the county (nil: not known) — joined by sep, or
// says it was verified; ok is true when nothing is wrong.
func (w *PhotoWords) Status(f *Filler, reusedOf string, inWindow, inVenue, inCounty *bool, sep string) (s string, ok bool) {
	var parts []string
	if reusedOf != "" {
		parts = append(parts, f.Do(w.ReusedOf, map[string]any{"Of": reusedOf}))
	}
	switch {
	case inWindow == nil:
		parts = append(parts, w.NoExif)
	case !*inWindow:
		parts = append(parts, w.OutsideWindow)
	}
	if inVenue != nil && !*inVenue {
		parts = append(parts, w.OutsideVenue)
	}
	if inCounty != nil && !*inCounty {
		parts = append(parts, w.OutsideCounty)
	}
	if len(parts) == 0 {
		return w.Verified, true
	}
	return strings.Join(parts, sep), false
}
