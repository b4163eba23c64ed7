package yanshou

import "time"

// Result is everything one check produced for one version of a submission: the
// input to the renderers and to the ledger.
type Result struct {
	Submission *Submission
	ID         string // stable submission id (institution + class + dates)
	Version    int    // 1 for the first content, +1 for each changed resubmission
	CheckedAt  time.Time
	Verdict    Verdict
	Findings   []Finding
	Photos     []Photo
	Attendance *Attendance
	Facts      *Facts
	Deadline   Date     // rectification deadline (fail only)
	Outputs    []string // generated files, relative to the outbox
	Changes    *Changes // what changed since the previous version; nil for version 1
	Venue      *LatLon  // the venue photos were measured from (WGS-84); nil when unknown
	VenueM     float64  // its radius in metres
	Papers     []Paper  // what the class's own documents say (材料核对); nil when not read
	DocNumber  string   // 文号 of its notice (fail, veto), issued by the ledger; "" when none was issued
	// PaperBoxes are the signature boxes of the paper sign-in sheets read, for
	// the report's 签字核对; nil when the class sent no paper sheets.
	PaperBoxes []PaperBox
	// PairOriginals are the other photos of the pairs of Photos (Photo.Pairs),
	// by SHA-256, as the driver found them for the documents; not in verdict.json.
	PairOriginals map[string]PairOriginal
	// Review is the office's review, on the reviewed documents rendered after
	// a confirmation (Verdict is then the final verdict and Findings those
	// that still count); nil on the program's own documents.
	Review *Review
}

// PairOriginal is the other photo of a PhotoPair as kept by the office: where
// its bytes are and when it was taken, for showing the pair side by side.
type PairOriginal struct {
	Path  string     // its file in the originals store (or the class's own file); "" when not kept
	Taken *time.Time // its EXIF time; nil when unknown
}

// Changes is what a resubmission changed since the previous judged version of
// the same class, and which of its findings are now resolved (第十二条: a class
// that failed is re-checked after rectification).
type Changes struct {
	PreviousVersion int
	PreviousVerdict Verdict
	Added           []string  // files new in this version
	Removed         []string  // files no longer submitted
	Modified        []string  // same path, other bytes
	Resolved        []Finding // findings of the previous version whose rule no longer fires
	New             []Finding // findings whose rule did not fire before
}

// CompareVersions lists the changes from the previous version's files and
// findings to the current ones. Findings are compared by rule; warnings count.
func CompareVersions(prevVersion int, prevVerdict Verdict, prevFiles, files []File, prevFindings, findings []Finding) *Changes {
	c := &Changes{PreviousVersion: prevVersion, PreviousVerdict: prevVerdict}
	old := map[string]string{}
	for _, f := range prevFiles {
		old[f.Rel] = f.SHA256
	}
	now := map[string]bool{}
	for _, f := range files {
		now[f.Rel] = true
		sum, ok := old[f.Rel]
		switch {
		case !ok:
			c.Added = append(c.Added, f.Rel)
		case sum != f.SHA256:
			c.Modified = append(c.Modified, f.Rel)
		}
	}
	for _, f := range prevFiles {
		if !now[f.Rel] {
			c.Removed = append(c.Removed, f.Rel)
		}
	}
	fired := func(fs []Finding) map[string]bool {
		m := map[string]bool{}
		for _, f := range fs {
			m[f.Rule] = true
		}
		return m
	}
	before, after := fired(prevFindings), fired(findings)
	for _, f := range prevFindings {
		if !after[f.Rule] {
			c.Resolved = append(c.Resolved, f)
		}
	}
	for _, f := range findings {
		if !before[f.Rule] {
			c.New = append(c.New, f)
		}
	}
	return c
}

// AttendanceSummary is the "attendance" object of verdict.json.
type AttendanceSummary struct {
	Approved int `json:"approved"`
	Trained  int `json:"trained"`
	WalkIns  int `json:"walk_ins"`
	Sessions int `json:"sessions"`
}

// PhotoSummary is the "photos" object of verdict.json.
type PhotoSummary struct {
	Total         int `json:"total"`
	Verified      int `json:"verified"`
	NoExif        int `json:"no_exif"`
	OutsideWindow int `json:"outside_window"`
	OutsideVenue  int `json:"outside_venue"`
	Reused        int `json:"reused"`
}

// Report is verdict.json and one element of `check --json`, as fixed in DESIGN.md.
type Report struct {
	Path        string            `json:"path"`
	ID          string            `json:"id"`
	Version     int               `json:"version"`
	Institution string            `json:"institution"`
	Class       string            `json:"class"`
	Start       string            `json:"start"`
	End         string            `json:"end"`
	Verdict     Verdict           `json:"verdict"`
	VerdictZh   string            `json:"verdict_zh"`
	Findings    []Finding         `json:"findings"`
	Attendance  AttendanceSummary `json:"attendance"`
	Photos      PhotoSummary      `json:"photos"`
	Outputs     []string          `json:"outputs"`
	// PhotoPairs are the photos that repeat or resemble another (photos.reused,
	// photos.similar, photos.duplicates), each with its pairs (Photo.Pairs).
	PhotoPairs []Photo `json:"photo_pairs,omitempty"`
	Error      string  `json:"error,omitempty"` // set only when the path could not be processed at all
	// Repeat: this content was judged before and the report is the stored one
	// (nothing new was judged or written); a daemon need not announce it again.
	Repeat bool `json:"-"`
}

// Report builds the JSON view of the result.
func (r *Result) Report() Report {
	rep := Report{
		Path: r.Submission.Origin, ID: r.ID, Version: r.Version,
		Verdict: r.Verdict, VerdictZh: r.Verdict.Chinese(),
		Findings: r.Findings, Outputs: r.Outputs,
	}
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	if rep.Outputs == nil {
		rep.Outputs = []string{}
	}
	for i := range rep.Findings {
		if rep.Findings[i].Evidence == nil {
			rep.Findings[i].Evidence = []Evidence{}
		}
	}
	if c := r.Submission.Class; c != nil {
		rep.Institution, rep.Class = c.Institution, c.Class
		rep.Start, rep.End = c.Start.String(), c.End.String()
	}
	for _, p := range r.Photos {
		if len(p.Pairs) > 0 {
			rep.PhotoPairs = append(rep.PhotoPairs, p)
		}
	}
	if f := r.Facts; f != nil {
		rep.Attendance = AttendanceSummary{Approved: f.Attendance.Approved, Trained: f.Attendance.Trained,
			WalkIns: f.Attendance.WalkIns, Sessions: f.Attendance.Sessions}
		rep.Photos = PhotoSummary{Total: f.Photos.Total, Verified: f.Photos.Verified, NoExif: f.Photos.NoExif,
			OutsideWindow: f.Photos.OutsideWindow, OutsideVenue: f.Photos.OutsideVenue, Reused: f.Photos.Reused}
	}
	return rep
}

// PriorPhoto is a photo recorded in the ledger for another class, against which
// a new photo is compared to find reuse (第十二条).
type PriorPhoto struct {
	SubmissionID string
	Label        string // institution and class, for messages
	Version      int
	File         string
	SHA256       string
	Hash         uint64
	Hashes       []uint64 // perceptual hashes of its standard crops, from the hash cache; nil when unknown
}

// PhoneUse is what the phone numbers on a class's sign-in rows and roster say
// (roster.Phones): households sharing a phone, and rings of proxy sign-ins.
type PhoneUse struct {
	Households   []Evidence // one phone for more than proxy_phone_max, at most household_phone_max people in a session
	Rings        []Evidence // one phone for more people than a household, in a session or over the sessions
	Pairs        []Evidence // one phone for two people, up to proxy_phone_max, in a session (not shown unless spread thin)
	SharedShare  float64    // of the people who signed in, the share who signed on another trainee's roster phone, shared in a session
	SharedPhones int        // phones on which somebody signed who has another phone on the roster
	RosterShared []Evidence // roster phones written for more than proxy_phone_max, at most household_phone_max trainees
	RosterRings  []Evidence // roster phones written for more trainees than a household
}

// IDPatterns is what a roster's ID numbers say read together (roster.IDPatterns).
type IDPatterns struct {
	SameBirth      []Evidence // many trainees born on one day
	SerialRuns     []Evidence // rows whose sequence codes count up one by one
	GenderMismatch []Evidence // 性别 written against the ID's sex digit
}

// Paper is what one of a class's own documents (the 批复, the notice, the
// application, the summary) says of itself, read from its text (stage/papers).
type Paper struct {
	Kind     MaterialKind
	File     string // the file read
	Page     int    // the page the fields were found on (1-based)
	Read     bool   // its text was read
	OCR      bool   // … by OCR from a scan or a photo: digits may be misread
	Scan     bool   // it has no text layer (a scan or a photo of paper): not read
	Problem  string // why it could not be read (Chinese), when not Read
	Number   string // 发文字号, normalised
	Title    string
	Date     Date   // 成文日期
	DateText string // as written
	Count    int    // the number of trainees it names (培训人数30人), 0 when none
	Mentions bool   // its text names the institution of the manifest
}

// PaperBoxState is what a signature box of a paper sign-in sheet was read as.
type PaperBoxState string

// States of a paper signature box.
const (
	BoxSigned PaperBoxState = "signed" // 已签
	BoxEmpty  PaperBoxState = "empty"  // 未签
	BoxUnsure PaperBoxState = "unsure" // 无法判断
)

// PaperBox is one signature box of a paper sign-in sheet as read, carried to
// the report (签字核对). Its crop is a small grey PNG (PaperCropPerMM samples
// a millimetre, about 1 KB), not the reader's picture: 100 trainees × 6
// sessions stay under a megabyte in the result.
type PaperBox struct {
	Session string
	Trainee int    // roster index; -1 for a name written in a blank row (walk-in)
	File    string // the picture it was read from
	Page    int    // page of the session's sheet, from 1
	Row     int    // row on that page, from 1
	State   PaperBoxState
	PNG     []byte // the signature box, grey PNG; nil when it could not be encoded
	NamePNG []byte // a walk-in's name cell, grey PNG; nil for roster rows
}

// PaperCropPerMM is the resolution of the crops carried in PaperBox.
const PaperCropPerMM = 2
