package yanshou

// Facts is the one typed value the rule expressions are evaluated over. The facts
// stage fills it from the submission, its photos and its attendance; rules/ names
// its fields (e.g. `Photos.OutsideWindow > 0`). T carries the config thresholds so
// that a rule never holds a number of its own.
type Facts struct {
	Manifest   ManifestFacts   `json:"Manifest"`
	Materials  MaterialFacts   `json:"Materials"`
	Timeline   TimelineFacts   `json:"Timeline"`
	Roster     RosterFacts     `json:"Roster"`
	Attendance AttendanceFacts `json:"Attendance"`
	Headcount  HeadcountFacts  `json:"Headcount"`
	Photos     PhotoFacts      `json:"Photos"`
	FollowUp   FollowUpFacts   `json:"FollowUp"`
	Trainees   TraineeFacts    `json:"Trainees"`
	Archive    ArchiveFacts    `json:"Archive"`
	Papers     PaperFacts      `json:"Papers"`
	T          Thresholds      `json:"T"`

	// Evidence lists the files and rows behind each fact group, keyed by the name a
	// rule's `evidence:` field gives (e.g. "photos.outside_window").
	Evidence map[string][]Evidence `json:"Evidence" expr:"-"`
}

// ManifestFacts says whether the manifest could be read.
type ManifestFacts struct {
	Present  bool `json:"Present"`  // a manifest file exists
	Readable bool `json:"Readable"` // it was read and gave the class's dates
	Problems int  `json:"Problems"` // fields missing or unreadable
}

// MaterialFacts counts the materials of 第十一条.
type MaterialFacts struct {
	Missing      int    `json:"Missing"`      // required materials with no file
	MissingNames string `json:"MissingNames"` // their names, joined with 、
	Others       int    `json:"Others"`       // files not recognised as any material
	Unreadable   int    `json:"Unreadable"`   // files that could not be opened or parsed
	Risky        int    `json:"Risky"`        // files with macros, links to other files, executables or disguised names
	Ambiguous    int    `json:"Ambiguous"`    // files whose folder names one material and whose name another (filed by the name)
	Retitled     int    `json:"Retitled"`     // documents whose first-page title names another material than their name (filed by the title)
	ByTitle      int    `json:"ByTitle"`      // documents whose name names no material (or its folder another), filed by their first-page title
}

// TimelineFacts compares the application, approval and training dates (第七条).
type TimelineFacts struct {
	Known               bool `json:"Known"`               // start and approval dates are both known
	ApprovedBeforeStart bool `json:"ApprovedBeforeStart"` // approval dated on or before the first day
	DaysLate            int  `json:"DaysLate"`            // approval after start, in days (0 when in time)
	AppliedBeforeApprov bool `json:"AppliedBeforeApprov"` // application on or before approval (true when unknown)
	EndBeforeStart      bool `json:"EndBeforeStart"`      // the manifest's end date precedes its start
	ApprovalMissing     bool `json:"ApprovalMissing"`     // the manifest was read but gives no approval date or no 批复文号: 先审批后培训 cannot be checked
}

// RosterFacts describes the approved roster's quality.
type RosterFacts struct {
	Present     bool `json:"Present"`
	Rows        int  `json:"Rows"`
	InvalidIDs  int  `json:"InvalidIDs"`  // GB 11643 check digit, birth date or length wrong, or precision lost
	Duplicates  int  `json:"Duplicates"`  // the same ID twice
	Minors      int  `json:"Minors"`      // entries under trainee_min_age at the class's start, by the ID's birth date
	PhoneShared int  `json:"PhoneShared"` // phones written for more than proxy_phone_max, at most household_phone_max trainees
	PhoneRings  int  `json:"PhoneRings"`  // phones written for more trainees than a household
	SameBirth   int  `json:"SameBirth"`   // birth dates shared by more than id_same_birth_max_share of the roster
	SerialRuns  int  `json:"SerialRuns"`  // runs of rows whose ID sequence codes count up (id_serial_run_min or more)
	GenderOff   int  `json:"GenderOff"`   // rows whose 性别 is not the sex the ID gives
}

// AttendanceFacts summarises the sign-ins against the roster.
type AttendanceFacts struct {
	Approved     int     `json:"Approved"` // roster size, or the planned number when there is no roster
	Trained      int     `json:"Trained"`  // roster trainees at the session share
	WalkIns      int     `json:"WalkIns"`  // distinct people signed in but not on the roster
	Sessions     int     `json:"Sessions"` // sessions found in the sign-in sheets
	Rate         float64 `json:"Rate"`     // Trained ÷ Approved (0 when Approved is 0)
	SignInRows   int     `json:"SignInRows"`
	Ambiguous    int     `json:"Ambiguous"`    // sign-in rows matching several roster rows
	ProxySuspect int     `json:"ProxySuspect"` // phones that signed for more people than a household (household_phone_max), in a session or over the sessions
	Households   int     `json:"Households"`   // sessions where one phone signed for more than proxy_phone_max, at most household_phone_max people
	SharedPhones int     `json:"SharedPhones"` // phones on which trainees signed who have another phone on the roster
	SharedShare  float64 `json:"SharedShare"`  // of the people signing in, the share who signed on another trainee's phone
	NameDiffers  int     `json:"NameDiffers"`  // sign-in rows taken for a trainee by phone or masked ID under another name
	Repeated     int     `json:"Repeated"`     // a person signed in more than once in one session (counted per person and session)
	PaperEmpty   int     `json:"PaperEmpty"`   // typed as present in a session whose paper sign-in sheet shows the trainee's box empty (counted per trainee and session)
	PaperAlike   int     `json:"PaperAlike"`   // pages of the paper sign-in sheets whose signatures look written by one hand for many (paper_similar_signatures_max_share)

	// For the county's totals (第二条: poor households trained at 100%).
	Poor         int    `json:"Poor"`         // roster trainees from registered poor households (建档立卡)
	PoorTrained  int    `json:"PoorTrained"`  // of them, trained
	LocalTrained int    `json:"LocalTrained"` // trained trainees whose ID belongs to the county
	Categories   string `json:"Categories"`   // trained trainees by 学员类别, e.g. "农民 30人、返乡青年 5人"
}

// HeadcountFacts compare the office's own headcount of each session (第七条,
// recorded on the review desk) with the people who signed in at it.
type HeadcountFacts struct {
	SessionSignIns []SessionCount `json:"SessionSignIns"` // distinct people signed in, per session in order: kept so that a headcount recorded after judging is compared again (judge/facts Headcounts)
	Recorded       int            `json:"Recorded"`       // sessions with sign-ins the office recorded a headcount of (the latest record of each)
	Over           int            `json:"Over"`           // of them, sessions whose sign-ins exceed the office's count by more than T.HeadcountAllowance
	Sessions       string         `json:"Sessions"`       // those sessions, joined with 、
}

// PhotoFacts summarises on-site and group photos.
type PhotoFacts struct {
	Total             int     `json:"Total"`
	OnSite            int     `json:"OnSite"`
	Group             int     `json:"Group"`
	Verified          int     `json:"Verified"`          // time read and inside the window
	NoExif            int     `json:"NoExif"`            // no time could be read
	OutsideWindow     int     `json:"OutsideWindow"`     // time read but outside the training window (with slack)
	NoGPS             int     `json:"NoGPS"`             // no position
	NoGPSShare        float64 `json:"NoGPSShare"`        // NoGPS ÷ Total
	OutsideVenue      int     `json:"OutsideVenue"`      // position read, farther than the venue radius
	OutsideCounty     int     `json:"OutsideCounty"`     // position read, outside the county's box
	Reused            int     `json:"Reused"`            // the same picture (identical file or perceptual hash) as in another class
	Duplicates        int     `json:"Duplicates"`        // the same picture as an earlier photo of this class (padding), counted once
	Similar           int     `json:"Similar"`           // close to a photo of another class, not close enough to be the same: for review
	Unverifiable      int     `json:"Unverifiable"`      // no time, or looks stripped
	Stripped          int     `json:"Stripped"`          // no camera make/model, no camera time and small: metadata removed (WeChat)
	ClockSkew         int     `json:"ClockSkew"`         // camera time and GPS time further apart than photo_clock_max_skew
	ClockFar          int     `json:"ClockFar"`          // of them, further apart than photo_clock_fail_skew (a clock set to fit the dates)
	Edited            int     `json:"Edited"`            // EXIF Software names an editing program
	EditedSoftware    string  `json:"EditedSoftware"`    // the distinct Software values of the edited photos, joined with 、
	UnverifiableShare float64 `json:"UnverifiableShare"` // Unverifiable ÷ Total
	DaysShort         int     `json:"DaysShort"`         // training days with fewer verified on-site photos than the minimum
	VenueKnown        bool    `json:"VenueKnown"`        // the venue's coordinates are known
	DatumMixup        string  `json:"DatumMixup"`        // photos outside the venue that fit it with its coordinates read in another system, e.g. "BD-09（百度地图）坐标被当作 WGS-84" ("" when not)

	// Forensic signals of edited photos (judge/facts forensics.go).
	ThumbMismatch     int    `json:"ThumbMismatch"`     // EXIF thumbnail further from the picture than photo_thumb_max_distance: edited after shooting
	Resaved           int    `json:"Resaved"`           // claiming a camera's original (make/model and DateTimeOriginal) of a make in camera_quant_makes, with IJG-standard quantisation tables and no editor named: saved again by a program
	TimesEdited       int    `json:"TimesEdited"`       // the file's own times contradict one another (DateTimeOriginal after ModifyDate or apart from CreateDate, or saved by an editor long after)
	SameCamera        int    `json:"SameCamera"`        // photos whose camera serial number is also on photos of another institution's class within photo_serial_overlap_days
	SameCameraClasses string `json:"SameCameraClasses"` // those classes, joined with 、

	// Watermark cameras (photos.watermark).
	WatermarkTime int `json:"WatermarkTime"` // photos whose time was taken from the watermark strip (no EXIF time)
	WatermarkSkew int `json:"WatermarkSkew"` // photos whose watermark time and EXIF time are further apart than photo_watermark_max_skew

	// The watermark's place against the class (photos.watermark_place).
	WatermarkPlace   int `json:"WatermarkPlace"`   // photos whose watermark address names another county or town than the venue (培训地点)
	WatermarkFar     int `json:"WatermarkFar"`     // photos whose watermark position is farther than photo_watermark_max_distance_m from their EXIF GPS
	WatermarkFarFail int `json:"WatermarkFarFail"` // of them, farther than photo_watermark_fail_distance_m
}

// FollowUpFacts counts the phone follow-ups (电话回访记录).
type FollowUpFacts struct {
	Calls   int     `json:"Calls"`   // rows read
	Matched int     `json:"Matched"` // distinct trained trainees called, not before the training's last day
	Share   float64 `json:"Share"`   // Matched ÷ trained

	Early       int `json:"Early"`       // calls dated before the training's last day: not counted (第七条: 培训后回访)
	Undated     int `json:"Undated"`     // calls without a readable date while the training's end is known (counted, but shown)
	OpenedShop  int `json:"OpenedShop"`  // distinct trainees called who opened an online shop (开店 column)
	SellsOnline int `json:"SellsOnline"` // distinct trainees called who sell online (网上销售 column)
	Applied     int `json:"Applied"`     // distinct trainees called who apply e-commerce (是否开展电商应用 column)
}

// PaperFacts hold the manifest to what the class's own documents say (their
// text read): the 批复's 文号 and 成文日期, the dates of the notice and the
// application.
type PaperFacts struct {
	ApprovalRead        bool `json:"ApprovalRead"`        // the 批复's text was read
	ApprovalNoDiffers   bool `json:"ApprovalNoDiffers"`   // its 文号 is not the manifest's approval_no
	ApprovalDateDiffers bool `json:"ApprovalDateDiffers"` // its 成文日期 is not the manifest's approved
	ApprovalDocLate     bool `json:"ApprovalDocLate"`     // its 成文日期 is after the first training day
	ApprovalDocDaysLate int  `json:"ApprovalDocDaysLate"` // by so many days
	ApprovalCountShort  bool `json:"ApprovalCountShort"`  // the roster has more trainees than the 批复 approves
	ApprovalOtherName   bool `json:"ApprovalOtherName"`   // the 批复's text does not name the manifest's institution
	NoticeAfterStart    bool `json:"NoticeAfterStart"`    // the notice is dated after the first training day
	ApplicationLate     bool `json:"ApplicationLate"`     // the application is dated after the approval
	SummaryCountOff     bool `json:"SummaryCountOff"`     // the summary's 参训人数 and the trained counted differ by more than summary_count_max_gap
	OCRDiffers          int  `json:"OCRDiffers"`          // differences read by OCR from scans: shown, never judged alone
	Unread              int  `json:"Unread"`              // of 批复, application, notice, summary: documents whose text could not be read (scans)
}

// ArchiveFacts is about binding the archive of a passed class (第十二条); it is
// known only once the archive is written, after the other rules were applied.
type ArchiveFacts struct {
	Unbound int `json:"Unbound"` // files not bound in full (listed with their size and digest instead)
}

// TraineeFacts is about trainees across classes (第三条).
type TraineeFacts struct {
	DoubleCounted int    `json:"DoubleCounted"` // trainees already counted as trained in another class held at the same time
	OtherClasses  string `json:"OtherClasses"`  // those classes, joined with 、
	CountedLater  int    `json:"CountedLater"`  // trainees also counted in a class held at the same time and registered after this one (that class fails)
	LaterClasses  string `json:"LaterClasses"`  // those classes, joined with 、
}

// Evidence keys: the lists of Facts.Evidence, each named by a rule's
// `evidence:` field. The facts stage fills only these, and rules.Parse refuses a
// rule naming any other, so a misspelt key cannot leave a finding without its
// evidence.
const (
	EvManifestProblems      = "manifest.problems"
	EvMaterialsMissing      = "materials.missing"
	EvMaterialsUnreadable   = "materials.unreadable"
	EvMaterialsRisky        = "materials.risky"
	EvMaterialsAmbiguous    = "materials.ambiguous"
	EvTimeline              = "timeline"
	EvRosterProblems        = "roster.problems"
	EvRosterMinors          = "roster.minors"
	EvAttendanceAbsent      = "attendance.absent"
	EvAttendanceWalkIns     = "attendance.walk_ins"
	EvAttendanceProxy       = "attendance.proxy"
	EvAttendanceShared      = "attendance.shared"
	EvAttendanceHouseholds  = "attendance.households"
	EvRosterPhones          = "roster.phones"
	EvRosterPatterns        = "roster.patterns"
	EvRosterGender          = "roster.gender"
	EvAttendanceRepeated    = "attendance.repeated"
	EvAttendancePaperEmpty  = "attendance.paper_empty"
	EvAttendancePaperAlike  = "attendance.paper_alike"
	EvAttendanceNameDiffers = "attendance.name_differs"
	EvAttendancePoor        = "attendance.poor"
	EvAttendanceHeadcount   = "attendance.headcount"
	EvPhotosDaysShort       = "photos.days_short"
	EvPhotosOutsideWindow   = "photos.outside_window"
	EvPhotosOutsideVenue    = "photos.outside_venue"
	EvPhotosUnverifiable    = "photos.unverifiable"
	EvPhotosReused          = "photos.reused"
	EvPhotosSimilar         = "photos.similar"
	EvPhotosDuplicates      = "photos.duplicates"
	EvPhotosClock           = "photos.clock"
	EvPhotosEdited          = "photos.edited"
	EvPhotosDatum           = "photos.datum"
	EvPhotosThumbnail       = "photos.thumbnail"
	EvPhotosExifTimes       = "photos.exif_times"
	EvPhotosSameCamera      = "photos.same_camera"
	EvPhotosWatermark       = "photos.watermark"
	EvPhotosWatermarkPlace  = "photos.watermark_place"
	EvFollowUp              = "followup"
	EvTraineesDoubleCounted = "trainees.double_counted"
	EvTraineesCountedLater  = "trainees.counted_later"
	EvArchiveUnbound        = "archive.unbound"
	EvPapersApproval        = "papers.approval"
	EvPapersNotice          = "papers.notice"
	EvPapersApplication     = "papers.application"
	EvPapersUnread          = "papers.unread"
	EvPapersOCR             = "papers.ocr"
	EvPapersSummary         = "papers.summary"
)

// EvidenceKeys lists every evidence key, in the order of the default rules.
var EvidenceKeys = []string{
	EvManifestProblems, EvMaterialsMissing, EvMaterialsUnreadable, EvMaterialsRisky, EvMaterialsAmbiguous, EvTimeline,
	EvRosterProblems, EvRosterMinors, EvRosterPhones, EvRosterPatterns, EvRosterGender, EvAttendanceAbsent, EvAttendanceWalkIns, EvAttendanceProxy,
	EvAttendanceShared, EvAttendanceHouseholds,
	EvAttendanceRepeated, EvAttendancePaperEmpty, EvAttendancePaperAlike, EvAttendanceNameDiffers, EvAttendancePoor, EvAttendanceHeadcount, EvPhotosDaysShort, EvPhotosOutsideWindow,
	EvPhotosOutsideVenue, EvPhotosUnverifiable, EvPhotosReused, EvPhotosSimilar, EvPhotosDuplicates,
	EvPhotosClock, EvPhotosEdited, EvPhotosThumbnail, EvPhotosExifTimes, EvPhotosSameCamera, EvPhotosDatum, EvPhotosWatermark, EvPhotosWatermarkPlace, EvFollowUp, EvTraineesDoubleCounted, EvTraineesCountedLater,
	EvArchiveUnbound, EvPapersApproval, EvPapersNotice, EvPapersApplication, EvPapersUnread, EvPapersOCR, EvPapersSummary,
}
