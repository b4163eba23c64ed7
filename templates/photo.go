package templates

import "strings"

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
