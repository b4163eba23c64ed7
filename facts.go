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
	Risky        int    // files with macros, links to other files, executables or disguised names
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
	Minors     int // entries under trainee_min_age at the class's start, by the ID's birth date
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
	Repeated     int // a person signed in more than once in one session (counted per person and session)

	// For the county's totals (第二条: poor households trained at 100%).
	Poor         int    // roster trainees from registered poor households (建档立卡)
	PoorTrained  int    // of them, trained
	LocalTrained int    // trained trainees whose ID belongs to the county
	Categories   string // trained trainees by 学员类别, e.g. "农民 30人、返乡青年 5人"
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
	Reused            int     // the same picture (identical file or perceptual hash) as in another class
	Duplicates        int     // the same picture as an earlier photo of this class (padding), counted once
	Similar           int     // close to a photo of another class, not close enough to be the same: for review
	Unverifiable      int     // no time, or looks stripped
	Stripped          int     // no camera make/model, no camera time and small: metadata removed (WeChat)
	ClockSkew         int     // camera time and GPS time further apart than photo_clock_max_skew
	Edited            int     // EXIF Software names an editing program
	EditedSoftware    string  // the distinct Software values of the edited photos, joined with 、
	UnverifiableShare float64 // Unverifiable ÷ Total
	DaysShort         int     // training days with fewer verified on-site photos than the minimum
	VenueKnown        bool    // the venue's coordinates are known
}

// FollowUpFacts counts the phone follow-ups (电话回访记录).
type FollowUpFacts struct {
	Calls   int     // rows read
	Matched int     // distinct trained trainees called, not before the training's last day
	Share   float64 // Matched ÷ trained

	Early       int // calls dated before the training's last day: not counted (第七条: 培训后回访)
	Undated     int // calls without a readable date while the training's end is known (counted, but shown)
	OpenedShop  int // distinct trainees called who opened an online shop (开店 column)
	SellsOnline int // distinct trainees called who sell online (网上销售 column)
	Applied     int // distinct trainees called who apply e-commerce (是否开展电商应用 column)
}

// TraineeFacts is about trainees across classes (第三条).
type TraineeFacts struct {
	DoubleCounted int    // trainees already counted as trained in another class held at the same time
	OtherClasses  string // those classes, joined with 、
}
