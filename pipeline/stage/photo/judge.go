package photo

import (
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/templates"
)

// minReverseMatch is the shortest manifest venue (in characters) that may match a
// configured venue name containing it; shorter words ("县", "中心") match too much.
const minReverseMatch = 4

// Venue resolves the class's venue to a WGS-84 point and radius: the manifest's VenueCoords (already WGS-84) if given, else a config venue whose name matches ClassInfo.Venue (exact or contained), else nil; radius from the venue or cfg.Thresholds.PhotoRadiusM. desc says how it was resolved (Chinese).
//
// "Contained" means the manifest's venue contains a configured name (e.g.
// "商水县电子商务公共服务中心三楼" → "商水县电子商务公共服务中心"), or a
// manifest venue of at least four characters is contained in a configured name.
// Among several matches the longest name wins. Names are compared after folding
// full-width characters and removing spaces.
func Venue(class *yanshou.ClassInfo, cfg *yanshou.Config) (p *yanshou.LatLon, radiusM float64, desc string) {
	radiusM = cfg.Thresholds.PhotoRadiusM
	if class == nil {
		return nil, radiusM, templates.Say("photo.venue_no_manifest")
	}
	if c := class.VenueCoords; c != nil {
		pt := *c
		datum := ""
		if d := strings.ToLower(strings.TrimSpace(class.VenueDatum)); d != "" && d != geo.WGS84 {
			datum = templates.Say("photo.venue_datum", strings.ToUpper(d))
		}
		src := templates.Say("photo.venue_source")
		if class.Source != "" {
			src = templates.Say("photo.venue_source_file", class.Source)
		}
		return &pt, radiusM, templates.Say("photo.venue_coords", src, pt.Lat, pt.Lon, datum, radiusM)
	}
	name := normName(class.Venue)
	if name == "" {
		return nil, radiusM, templates.Say("photo.venue_blank")
	}
	best, exact := -1, false
	for i, v := range cfg.Venues {
		if normName(v.Name) == name {
			best, exact = i, true
			break
		}
	}
	for i, v := range cfg.Venues {
		vn := normName(v.Name)
		if exact {
			break
		}
		if vn != "" && strings.Contains(name, vn) || (utf8.RuneCountInString(name) >= minReverseMatch && strings.Contains(vn, name)) {
			if best < 0 || len(vn) > len(normName(cfg.Venues[best].Name)) {
				best = i
			}
		}
	}
	if best < 0 {
		return nil, radiusM, templates.Say("photo.venue_unknown", class.Venue)
	}
	v := cfg.Venues[best]
	if v.RadiusM > 0 {
		radiusM = v.RadiusM
	}
	how := templates.Say("photo.venue_is")
	if !exact {
		how = templates.Say("photo.venue_matches")
	}
	pt := v.Point
	return &pt, radiusM, templates.Say("photo.venue_configured",
		class.Venue, how, v.Name, pt.Lat, pt.Lon, radiusM)
}

// normName folds full-width letters and digits and drops all white space.
func normName(s string) string {
	s = width.Fold.String(s)
	return strings.Join(strings.Fields(s), "")
}

// Judge fills InWindow (taken within [start 00:00 − slack, end 24:00 + slack] in cfg.Location), DistanceM, InVenue, InCounty. Nil fields where the fact is unknown.
//
// The window is computed from the calendar days of class.Start and class.End in
// cfg.Location; a time taken with another offset is compared as an instant.
func Judge(p *yanshou.Photo, class *yanshou.ClassInfo, venue *yanshou.LatLon, radiusM float64, cfg *yanshou.Config) {
	p.InWindow, p.DistanceM, p.InVenue, p.InCounty = nil, nil, nil, nil
	if from, to, ok := Window(class, cfg); ok && p.Taken != nil {
		in := !p.Taken.Before(from) && !p.Taken.After(to)
		p.InWindow = &in
	}
	if p.Lat == nil || p.Lon == nil {
		return
	}
	pt := yanshou.LatLon{Lat: *p.Lat, Lon: *p.Lon}
	inCounty := cfg.InCounty(pt)
	p.InCounty = &inCounty
	if venue != nil {
		d := geo.DistanceM(pt, *venue)
		in := d <= radiusM
		p.DistanceM, p.InVenue = &d, &in
	}
}

// Window returns the instants a photo of the class may be taken in: from the first
// day's midnight minus the slack to the midnight after the last day plus the
// slack, in cfg.Location. ok is false when the class's dates are unknown.
func Window(class *yanshou.ClassInfo, cfg *yanshou.Config) (from, to time.Time, ok bool) {
	if class == nil || class.Start.IsZero() || class.End.IsZero() || class.End.Before(class.Start.Time) {
		return from, to, false
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	day := func(d yanshou.Date) time.Time {
		y, m, dd := d.Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, loc)
	}
	slack := cfg.Thresholds.PhotoTimeSlack
	return day(class.Start).Add(-slack), day(class.End).AddDate(0, 0, 1).Add(slack), true
}

// Day returns the training day (1-based) a photo was taken on, in cfg.Location,
// or 0 when its time is unknown or outside the class's days (slack not counted).
func Day(p *yanshou.Photo, class *yanshou.ClassInfo, cfg *yanshou.Config) int {
	if p.Taken == nil || class == nil || class.Start.IsZero() {
		return 0
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	y, m, d := class.Start.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	t := p.Taken.In(loc)
	ty, tm, td := t.Date()
	n := int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)).Hours()/24) + 1
	if t.Before(start) || n > class.Days() {
		return 0
	}
	return n
}
