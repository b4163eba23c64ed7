package yanshou

// Detail is what a judged version's documents were drawn from beyond its
// verdict.json: each photo with its time, place and judgement, the attendance
// (roster, sign-ins, sessions), the venue the photos were measured from and the
// paper signature boxes. The pipeline keeps it in the state folder beside the
// ledger (evidence/<content hash>.json), so that the review desk shows the
// evidence the report shows without judging the class again.
type Detail struct {
	ContentHash string        `json:"content_hash"`
	Photos      []DetailPhoto `json:"photos"`
	Attendance  *Attendance   `json:"attendance,omitempty"`
	Venue       *LatLon       `json:"venue,omitempty"`
	VenueM      float64       `json:"venue_m,omitempty"`
	Paper       []PaperBox    `json:"paper,omitempty"`
}

// DetailPhoto is a photo as judged: its reading and the judgements the photo
// stage made of it, which Photo keeps out of verdict-facing JSON.
type DetailPhoto struct {
	Photo
	InWindow  *bool    `json:"in_window"`
	DistanceM *float64 `json:"distance_m"`
	InVenue   *bool    `json:"in_venue"`
	InCounty  *bool    `json:"in_county"`
	ReusedOf  string   `json:"reused_of,omitempty"`
}

// NewDetail is the Detail of a judged result.
func NewDetail(r *Result) *Detail {
	d := &Detail{Attendance: r.Attendance, Venue: r.Venue, VenueM: r.VenueM, Paper: r.PaperBoxes}
	if r.Submission != nil {
		d.ContentHash = r.Submission.ContentHash
	}
	for _, p := range r.Photos {
		d.Photos = append(d.Photos, DetailPhoto{Photo: p, InWindow: p.InWindow, DistanceM: p.DistanceM,
			InVenue: p.InVenue, InCounty: p.InCounty, ReusedOf: p.ReusedOf})
	}
	return d
}

// Judged is the photo with its judgements put back in place.
func (d DetailPhoto) Judged() Photo {
	p := d.Photo
	p.InWindow, p.DistanceM, p.InVenue, p.InCounty, p.ReusedOf = d.InWindow, d.DistanceM, d.InVenue, d.InCounty, d.ReusedOf
	return p
}
