// Package yanshou holds the domain of the acceptance pipeline: the submission an
// institution drops, the materials and evidence read from it, the findings the
// county's rules produce and the verdict they lead to. Every stage under
// pipeline/ imports this package; stages never import each other.
package yanshou

import (
	"time"
)

// Verdict is the outcome of an acceptance check (第十二条).
type Verdict string

// The three verdicts of 第十二条.
const (
	Pass Verdict = "pass" // 合格
	Fail Verdict = "fail" // 不合格: rectify and resubmit
	Veto Verdict = "veto" // 一票否决: retrain at the institution's cost
)

// Chinese returns the verdict's official Chinese name.
func (v Verdict) Chinese() string {
	switch v {
	case Pass:
		return "合格"
	case Fail:
		return "不合格"
	case Veto:
		return "一票否决"
	}
	return string(v)
}

// Severity is how much a finding weighs.
type Severity string

// Severities, from lightest to gravest.
const (
	Warning   Severity = "warning"
	SevFail   Severity = "fail"
	SevVeto   Severity = "veto"
	SevIgnore Severity = "" // used only in rule files to switch a rule off
)

// Chinese returns the severity's Chinese label.
func (s Severity) Chinese() string {
	switch s {
	case Warning:
		return "提示"
	case SevFail:
		return "不合格"
	case SevVeto:
		return "一票否决"
	}
	return string(s)
}

// Evidence points at the file (and row, 1-based; 0 when not a table) a finding is about.
type Evidence struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row"`
	Detail string `json:"detail"`
}

// Finding is one thing that did not hold, with the rule and article behind it.
type Finding struct {
	Rule     string     `json:"rule"`
	Title    string     `json:"title,omitempty"` // the rule's Chinese short title (培训材料齐全), what users read
	Article  string     `json:"article"`
	Severity Severity   `json:"severity"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence"`
}

// Name is what a user reads for the rule: its Chinese title, or the rule id
// when the finding has none (an entry written before titles were recorded).
func (f Finding) Name() string {
	if f.Title != "" {
		return f.Title
	}
	return f.Rule
}

// Decide applies the precedence of DESIGN.md: any veto finding → veto; else any
// fail finding → fail; else pass. Warnings never change the verdict.
func Decide(findings []Finding) Verdict {
	v := Pass
	for _, f := range findings {
		switch f.Severity {
		case SevVeto:
			return Veto
		case SevFail:
			v = Fail
		}
	}
	return v
}

// File is one file of a submission.
type File struct {
	Rel    string       `json:"path"`   // slash-separated path inside the submission
	Abs    string       `json:"-"`      // where it can be read now
	Size   int64        `json:"size"`   // bytes
	SHA256 string       `json:"sha256"` // hex digest of the exact bytes
	Kind   MaterialKind `json:"kind"`
	// Also is another material the path names just as well (its folder one, its
	// name another), or the name's when the first-page title decided (see
	// Title): the office is asked to check; "" otherwise.
	Also MaterialKind `json:"also,omitempty"`
	// Title is the first-page title that decided Kind ("" when the path did):
	// the name named no material, or (with Also the name's kind) another one.
	Title string `json:"title,omitempty"`
}

// Date is a calendar day in the county's time zone.
type Date struct{ time.Time }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Time.IsZero() }

// String formats the date as 2006-01-02, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

// Chinese formats the date as 2006年1月2日, or "" when unset.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006年1月2日")
}

// LatLon is a point in WGS-84 degrees.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// ClassInfo is what the manifest (培训信息表) says about one training class.
type ClassInfo struct {
	Source      string  // manifest file, relative to the submission
	Institution string  // 培训机构
	Title       string  // 培训名称
	Class       string  // 期次
	Start, End  Date    // 开始日期 / 结束日期
	Venue       string  // 培训地点
	VenueCoords *LatLon // 地点坐标, converted to WGS-84; nil when not given
	VenueDatum  string  // datum the coordinates were given in (wgs84, gcj02, bd09)
	Applied     Date    // 申请日期
	ApprovalNo  string  // 批复文号
	Approved    Date    // 批复日期
	Planned     int     // 计划人数
	Teachers    string  // 授课教师
}

// Days returns the number of training days, 0 when the dates are unusable.
func (c *ClassInfo) Days() int {
	if c == nil || c.Start.IsZero() || c.End.IsZero() || c.End.Before(c.Start.Time) {
		return 0
	}
	return int(c.End.Sub(c.Start.Time).Hours()/24+0.5) + 1
}

// Submission is one training class as dropped by an institution: a folder, or a zip
// unpacked into the state folder.
type Submission struct {
	Origin      string     // the path given: a folder or a .zip
	Root        string     // the folder the files are read from
	Files       []File     // every file, sorted by Rel
	Class       *ClassInfo // nil when the manifest is missing or unreadable
	ContentHash string     // SHA-256 over the sorted (path, file hash) pairs
}

// FilesOf returns the files of one material kind.
func (s *Submission) FilesOf(k MaterialKind) []File {
	var out []File
	for _, f := range s.Files {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// Photo is what was read from one picture and how it was judged.
type Photo struct {
	File       string       `json:"path"`
	Kind       MaterialKind `json:"-"`
	Video      bool         `json:"video,omitempty"` // a video (MP4/MOV): its time and place, no pixels
	Taken      *time.Time   `json:"taken"`           // local time with offset; nil when unknown
	TimeSource string       `json:"time_source"`     // DateTimeOriginal, CreateDate, DateTime, watermark (TimeSourceWatermark), or ""
	GPSTime    *time.Time   `json:"gps_time"`        // GPSDateStamp + GPSTimeStamp (UTC); nil when absent
	Lat        *float64     `json:"lat"`
	Lon        *float64     `json:"lon"`
	Make       string       `json:"make"`
	Model      string       `json:"model"`
	Software   string       `json:"software"`
	Width      int          `json:"width"`
	Height     int          `json:"height"`
	Hash       uint64       `json:"-"` // perceptual hash (64 bits); 0 when not computed
	Hashes     []uint64     `json:"-"` // perceptual hashes of standard crops (5% off the sides), to find cropped copies
	Error      *string      `json:"error"`
	// Damaged says why the picture itself cannot be decoded (cut short, corrupt,
	// past the pixel limit); empty when it decodes or was not decoded (AVIF).
	Damaged string `json:"damaged,omitempty"`

	// Judgements, filled by the photo stage against the class.
	InWindow  *bool    `json:"-"` // nil: time unknown
	DistanceM *float64 `json:"-"` // from the venue; nil: no GPS or no venue
	InVenue   *bool    `json:"-"`
	InCounty  *bool    `json:"-"`
	ReusedOf  string   `json:"-"` // earlier photo (class/file) this one repeats
	// Pairs are the other photos this one repeats or resembles (set by the
	// facts stage with ReusedOf), each with the measure, to be shown side by side.
	Pairs []PhotoPair `json:"pairs,omitempty"`

	// Forensic signals read from the file's own structure (stage/photo
	// forensics.go), judged by the facts stage: the times the file keeps of
	// itself, its EXIF thumbnail, its JPEG quantisation tables, its camera's serial.
	Original     *time.Time `json:"date_time_original,omitempty"` // EXIF DateTimeOriginal; nil when absent or blank
	Digitized    *time.Time `json:"create_date,omitempty"`        // EXIF CreateDate (DateTimeDigitized)
	Modified     *time.Time `json:"modify_date,omitempty"`        // IFD0 DateTime (ModifyDate): when a program last saved the file
	TimesZoned   bool       `json:"-"`                            // Original and Modified both carry an offset: compared as instants, else as wall clocks
	ThumbHashes  []uint64   `json:"-"`                            // pHashes of the EXIF (IFD1) thumbnail (upright, without its padding bars) and of its crops, as the picture's; nil when none
	ThumbProblem string     `json:"thumb_problem,omitempty"`      // why a declared thumbnail could not be read (Chinese)
	ThumbDiffers *float64   `json:"-"`                            // mean bits between the thumbnail's hashes and the picture's (photo.CompareThumb); nil: not compared
	JPEGQuality  int        `json:"jpeg_quality,omitempty"`       // IJG quality the JPEG's quantisation tables are, or are nearest to; 0: not a JPEG
	IJGTables    bool       `json:"ijg_tables,omitempty"`         // the tables are exactly IJG-scaled (libjpeg: editors, WeChat), not a camera's own
	Serial       string     `json:"serial,omitempty"`             // camera body serial number (BodySerialNumber, CameraSerialNumber, else the maker note's SerialNumber or InternalSerialNumber); "" when none
	LensSerial   string     `json:"lens_serial,omitempty"`        // lens serial number (LensSerialNumber, else the maker note's)
	MakerTime    *time.Time `json:"maker_time,omitempty"`         // the capture time the camera maker's note keeps (Sony's SonyDateTime); nil when none
	MakerTimeTag string     `json:"maker_time_tag,omitempty"`     // where MakerTime was read

	// Videos (第七条 培训现场视频): the length read from the movie header, and
	// the poster frame taken by ffmpeg when it is installed — shown where
	// photos are shown and hashed like one, so a video reused from another
	// class is found.
	DurationS  float64 `json:"duration_s,omitempty"`  // seconds (mvhd); 0 when unknown
	Poster     string  `json:"-"`                     // the poster JPEG (state folder, by the video's SHA-256); "" when none
	PosterNote string  `json:"poster_note,omitempty"` // why a video has no poster (Chinese)

	// Proxy is a HEIC photo's decoded picture as a JPEG (state folder, by the
	// photo's SHA-256; long side ≤ 2048): the report's thumbnail and the
	// archive's page are made from it, so that the HEIC is decoded once.
	Proxy string `json:"-"`

	// Watermark camera (issue 16 item 4): what the strip of text burned into
	// the picture says (今日水印相机, 马克水印相机, phones' watermarks); nil when
	// no strip was found or none was looked for. When EXIF has no time, the
	// watermark's becomes Taken with TimeSource "watermark".
	Watermark *Watermark `json:"watermark,omitempty"`
}

// PhotoPair is another photo this one was found to repeat (photos.reused) or
// resemble (photos.similar): what the report, the veto notice and the desk show
// side by side with the measure.
type PhotoPair struct {
	Kind     string  `json:"kind"`               // "reused" or "similar"
	Label    string  `json:"label"`              // the other photo's class (机构 第N期), "" when in the same class
	ClassID  string  `json:"class_id,omitempty"` // its submission id
	Version  int     `json:"version,omitempty"`
	File     string  `json:"file"`            // its file name as submitted
	SHA256   string  `json:"sha256"`          // its bytes in the originals store
	Distance int     `json:"distance"`        // Hamming distance of the best-matching hashes
	Share    float64 `json:"share,omitempty"` // share of matching blocks after alignment (same capture), 0 when not measured
}

// Kinds of PhotoPair.
const (
	PairReused  = "reused"
	PairSimilar = "similar"
)

// TimeSourceWatermark is the Photo.TimeSource of a time read from the
// watermark strip burned into the picture (no EXIF time).
const TimeSourceWatermark = "watermark"

// Watermark is the time and place a watermark camera app printed into a photo,
// as read by OCR.
type Watermark struct {
	Taken   *time.Time `json:"taken,omitempty"`   // date and time printed, wall clock in the county zone; nil when not read surely
	Lat     *float64   `json:"lat,omitempty"`     // position printed, converted to WGS-84; nil when none
	Lon     *float64   `json:"lon,omitempty"`     //
	Address string     `json:"address,omitempty"` // address line printed
	Text    string     `json:"text,omitempty"`    // what OCR read, lines joined by " ｜ "
	Note    string     `json:"note,omitempty"`    // why no time was taken from it (Chinese); "" when Taken is set
}

// Verified reports whether the photo's time was read and lies in the window.
func (p *Photo) Verified() bool { return p.InWindow != nil && *p.InWindow }

// Trainee is one row of the approved roster (培训学员名单).
type Trainee struct {
	Name     string `json:"name"`
	ID       string `json:"id"` // resident ID, normalised (upper-case X)
	Phone    string `json:"phone"`
	Gender   string `json:"gender,omitempty"`
	Town     string `json:"town,omitempty"`
	Category string `json:"category,omitempty"`
	Poor     bool   `json:"poor"`            // 建档立卡贫困户
	Local    bool   `json:"local"`           // ID's address code belongs to the county
	Birth    string `json:"birth,omitempty"` // birth date (2006-01-02) read from a valid ID; "" when unknown
	File     string `json:"file"`
	Sheet    string `json:"sheet"`
	Row      int    `json:"row"`
	Sessions int    `json:"sessions"` // sessions attended
	Trained  bool   `json:"trained"`
}

// Match says how a sign-in row relates to the roster.
type Match string

// Match outcomes for a sign-in row.
const (
	Matched   Match = "matched"
	WalkIn    Match = "walk_in"   // not on the approved roster
	Ambiguous Match = "ambiguous" // several roster rows fit
)

// SignIn is one row of a sign-in sheet (签到表).
type SignIn struct {
	Session string `json:"session"`
	Name    string `json:"name"`
	ID      string `json:"id"`
	Phone   string `json:"phone"`
	File    string `json:"file"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Match   Match  `json:"match"`
	Trainee int    `json:"trainee"` // index into the roster when matched, else -1
	Reason  string `json:"reason"`  // how it was matched, or why not
	// NameDiffers is the roster's name when the row was matched by its phone or
	// masked ID under another name (shown for review); "" otherwise.
	NameDiffers string `json:"name_differs,omitempty"`
}

// FollowUpCall is one row of the phone follow-up records (电话回访记录).
type FollowUpCall struct {
	Name    string `json:"name"`
	ID      string `json:"id"`
	Phone   string `json:"phone"`
	File    string `json:"file"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Trainee int    `json:"trainee"` // index into the roster, or -1

	Date        string `json:"date,omitempty"`         // day of the call (2006-01-02); "" when not given or unreadable
	BeforeEnd   bool   `json:"before_end,omitempty"`   // dated before the training's last day: not a follow-up (第七条)
	Note        string `json:"note,omitempty"`         // 回访情况
	OpenedShop  *bool  `json:"opened_shop,omitempty"`  // 开店/开通网店 column: nil when not recorded
	SellsOnline *bool  `json:"sells_online,omitempty"` // 网上销售/网销 column
	Applied     *bool  `json:"applied,omitempty"`      // 是否开展电商应用 column
}

// PriorTraining is a class in the ledger in which a trainee was counted as
// trained, against which a new class is checked for the same person trained twice
// at the same time (第三条).
type PriorTraining struct {
	SubmissionID string
	Label        string // institution, class and dates, for messages
	Institution  string
	Class        string
	Start, End   string // 2006-01-02; "" when unknown
	Verdict      Verdict
	// Later says the other class was registered after this one: this class was
	// judged first, and the finding is the other's.
	Later bool
	// Via says how the person was recognised there when not by the same ID
	// number: by name and phone, or by name and a masked ID ("" for the same ID).
	Via string
	// OtherID is the ID number the person has there when it differs ("" else).
	OtherID string
}

// Person is who a trainee is for finding them in other classes: the ID number,
// and the name and phone that still tell them when the ID was altered.
type Person struct {
	ID, Name, Phone string
}

// Attendance is the roster, the sign-ins and the follow-ups read together.
type Attendance struct {
	Trainees  []Trainee      `json:"trainees"`
	SignIns   []SignIn       `json:"signins"`
	FollowUps []FollowUpCall `json:"followups"`
	Sessions  []string       `json:"sessions"` // labels in order
	Problems  []Evidence     `json:"problems"` // unreadable files, bad cells, invalid IDs …
}

// Trained counts roster trainees that attended enough sessions.
func (a *Attendance) Trained() int {
	n := 0
	for _, t := range a.Trainees {
		if t.Trained {
			n++
		}
	}
	return n
}

// WalkIns counts distinct people who signed in without being on the roster.
func (a *Attendance) WalkIns() int {
	seen := map[string]bool{}
	for _, s := range a.SignIns {
		if s.Match == WalkIn {
			key := s.ID
			if key == "" {
				key = s.Name + "/" + s.Phone
			}
			seen[key] = true
		}
	}
	return len(seen)
}

// SerialPhoto is a photo of another class recorded in the ledger with its
// camera's serial number: the same camera shooting two institutions' classes
// in the same days is a finding (photos.same_camera).
type SerialPhoto struct {
	SubmissionID string
	Label        string // institution and class, for messages
	Institution  string
	Start, End   Date // the class's days
	Version      int
	File         string
	Serial       string
}
