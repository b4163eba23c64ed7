package yanshou

// Facts is the one typed value the rule expressions are evaluated over. The facts
// stage fills it from the submission, its photos and its attendance; rules/ names
// its fields (e.g. `Photos.OutsideWindow > 0`). T carries the config thresholds so
// that a rule never holds a number of its own.
type Facts struct {
	Manifest   ManifestFacts
	Materials  MaterialFacts
	Timeline   TimelineFacts
	Roster     RosterFacts
	Attendance AttendanceFacts
	Photos     PhotoFacts
	FollowUp   FollowUpFacts
	Trainees   TraineeFacts
	T          Thresholds

	// Evidence lists the files and rows behind each fact group, keyed by the name a
	// rule's `evidence:` field gives (e.g. "photos.outside_window").
	Evidence map[string][]Evidence `expr:"-"`
}

// ManifestFacts says whether the manifest could be read.
type ManifestFacts struct {
	Present  bool // a manifest file exists
	Readable bool // it was read and gave the class's dates
	Problems int  // fields missing or unreadable
}

// MaterialFacts counts the materials of 第十一条.
type MaterialFacts struct {
	Missing      int    // required materials with no file
	MissingNames string // their names, joined with 、
	Others       int    // files not recognised as any material
	Unreadable   int    // files that could not be opened or parsed
}

// TimelineFacts compares the application, approval and training dates (第七条).
type TimelineFacts struct {
	Known               bool // start and approval dates are both known
	ApprovedBeforeStart bool // approval dated on or before the first day
	DaysLate            int  // approval after start, in days (0 when in time)
	AppliedBeforeApprov bool // application on or before approval (true when unknown)
	EndBeforeStart      bool // the manifest's end date precedes its start
}

// RosterFacts describes the approved roster's quality.
type RosterFacts struct {
	Present    bool
	Rows       int
	InvalidIDs int // GB 11643 check digit, birth date or length wrong, or precision lost
	Duplicates int // the same ID twice
}

// AttendanceFacts summarises the sign-ins against the roster.
type AttendanceFacts struct {
	Approved     int     // roster size, or the planned number when there is no roster
	Trained      int     // roster trainees at the session share
	WalkIns      int     // distinct people signed in but not on the roster
	Sessions     int     // sessions found in the sign-in sheets
	Rate         float64 // Trained ÷ Approved (0 when Approved is 0)
	SignInRows   int
	Ambiguous    int // sign-in rows matching several roster rows
	ProxySuspect int // sessions where one phone signed for more than proxy_phone_max people
}

// PhotoFacts summarises on-site and group photos.
type PhotoFacts struct {
	Total             int
	OnSite            int
	Group             int
	Verified          int     // time read and inside the window
	NoExif            int     // no time could be read
	OutsideWindow     int     // time read but outside the training window (with slack)
	NoGPS             int     // no position
	OutsideVenue      int     // position read, farther than the venue radius
	OutsideCounty     int     // position read, outside the county's box
	Reused            int     // the same picture as in another class (or twice here)
	Unverifiable      int     // no time, or looks stripped
	UnverifiableShare float64 // Unverifiable ÷ Total
	DaysShort         int     // training days with fewer verified on-site photos than the minimum
	VenueKnown        bool    // the venue's coordinates are known
}

// FollowUpFacts counts the phone follow-ups (电话回访记录).
type FollowUpFacts struct {
	Calls   int     // rows read
	Matched int     // distinct trained trainees called
	Share   float64 // Matched ÷ trained
}

// TraineeFacts is about trainees across classes (第三条).
type TraineeFacts struct {
	DoubleCounted int // trainees already counted as trained in another class
}
