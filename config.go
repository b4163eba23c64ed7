package yanshou

import (
	"strconv"
	"strings"
	"time"
)

// Config is the county configuration (yanshou.yaml). The built-in default is
// Shangshui's; every threshold the rules use lives here, never in code.
type Config struct {
	County        string     `yaml:"county"`
	CountyCode    string     `yaml:"county_code"`       // the county's administrative code
	LocalIDs      []string   `yaml:"local_id_prefixes"` // resident-ID prefixes counted as local (old and new codes)
	Office        string     `yaml:"office"`            // the office that signs reports
	Timezone      string     `yaml:"timezone"`          // EXIF times without an offset are read in this zone
	BBox          [4]float64 `yaml:"bbox"`              // lat_min, lon_min, lat_max, lon_max (WGS-84)
	Venues        []Venue    `yaml:"venues"`            // known venues
	ArchiveCopies []string   `yaml:"archive_copies"`    // holders of the bound archive copies
	// OfficeMark is the 发文机关标志 set in red at the head of the notices and
	// the inspection form (GB/T 9704); "" gives Office followed by 文件.
	OfficeMark string `yaml:"office_mark"`
	// DocumentNumber is the scheme of the 文号 of the notices and inspection
	// forms: {year} is the year, {n} the document's number in that year (kept
	// in the ledger, 1 for the first of a year), e.g. 商电商验〔{year}〕{n}号.
	DocumentNumber string     `yaml:"document_number"`
	Thresholds     Thresholds `yaml:"thresholds"`
	Fonts          []string   `yaml:"fonts"`     // extra TrueType font paths, tried first
	Templates      string     `yaml:"templates"` // optional folder overriding the built-in templates
	Rules          string     `yaml:"rules"`     // optional rule file replacing the built-in set
	// Materials is an optional file of material keywords merged over the built-in
	// materials.yaml (keywords added per kind code, or replaced with replace: true).
	Materials string `yaml:"materials"`
	// SheetVocab is an optional file of column names and words merged over the
	// built-in sheet vocabulary (vocab.yaml): aliases and words are added.
	SheetVocab string `yaml:"sheet_vocab"`
	Intake     Intake `yaml:"intake"`
	// PhotoEditors are words that, found in a photo's EXIF Software (case and
	// width ignored), mean it was saved by an editing program.
	PhotoEditors []string `yaml:"photo_editors"`
	// CameraQuantMakes are camera makes (EXIF Make containing one, case and
	// width ignored) whose cameras write quantisation tables of their own: a
	// photo claiming to be such a camera's original but carrying IJG-standard
	// tables was saved again by a program (stage/photo forensics.go).
	CameraQuantMakes []string `yaml:"camera_quant_makes"`
	// PoorRegistry is the county's workbook of 建档立卡贫困户 members with training
	// needs (姓名, 身份证号码, 乡镇, 村): poor-household coverage of 第三条. "": none.
	PoorRegistry string `yaml:"poor_registry"`
	// MonthlyPlans is a folder of the institutions' monthly plan workbooks
	// (月度培训计划.xlsx, 第十四条), or one such workbook. "": none.
	MonthlyPlans string `yaml:"monthly_plans"`
	// WatermarkDatum is the coordinate system of the positions watermark
	// camera apps print (wgs84 | gcj02 | bd09); most apps in China print
	// GCJ-02. They are converted to WGS-84 like the venues'.
	WatermarkDatum string `yaml:"watermark_datum"`

	Location *time.Location `yaml:"-"` // Timezone, loaded
}

// Venue is a training venue known to the county.
type Venue struct {
	Name    string  `yaml:"name"`
	Coords  string  `yaml:"coords"`   // "lat,lon" in Datum
	Datum   string  `yaml:"datum"`    // wgs84 | gcj02 | bd09
	RadiusM float64 `yaml:"radius_m"` // 0: thresholds.photo_radius_m

	Point LatLon `yaml:"-"` // Coords converted to WGS-84
}

// Thresholds are the numbers the county's rules compare against.
type Thresholds struct {
	PhotoRadiusM               float64       `yaml:"photo_radius_m" json:"PhotoRadiusM"`
	PhotoTimeSlack             time.Duration `yaml:"photo_time_slack" json:"PhotoTimeSlack"`
	PhotosMinPerDay            int           `yaml:"photos_min_per_day" json:"PhotosMinPerDay"`
	PhotosNoGPSMaxShare        float64       `yaml:"photos_no_gps_max_share" json:"PhotosNoGPSMaxShare"`   // photos without a position, above this share: a warning
	PhotosNoGPSFailShare       float64       `yaml:"photos_no_gps_fail_share" json:"PhotosNoGPSFailShare"` // above this share: a fail (1: never)
	PhotosUnverifiableMaxShare float64       `yaml:"photos_unverifiable_max_share" json:"PhotosUnverifiableMaxShare"`
	AttendancePass             float64       `yaml:"attendance_pass" json:"AttendancePass"`
	AttendanceVeto             float64       `yaml:"attendance_veto" json:"AttendanceVeto"`
	TraineeMinSessionShare     float64       `yaml:"trainee_min_session_share" json:"TraineeMinSessionShare"`
	ProxyPhoneMax              int           `yaml:"proxy_phone_max" json:"ProxyPhoneMax"`
	HouseholdPhoneMax          int           `yaml:"household_phone_max" json:"HouseholdPhoneMax"`        // people one household phone may sign for in a session (a warning above proxy_phone_max, a veto above this)
	ProxySharedMaxShare        float64       `yaml:"proxy_shared_max_share" json:"ProxySharedMaxShare"`   // of the people signing in, the share on shared phones above which it is proxy sign-in spread thin
	ProxySharedMinPhones       int           `yaml:"proxy_shared_min_phones" json:"ProxySharedMinPhones"` // ... when at least this many phones are shared
	FollowupMinShare           float64       `yaml:"followup_min_share" json:"FollowupMinShare"`
	RectifyDays                int           `yaml:"rectify_days" json:"RectifyDays"`
	PhashMaxDistance           int           `yaml:"phash_max_distance" json:"PhashMaxDistance"`
	PhashSimilarDistance       int           `yaml:"phash_similar_distance" json:"PhashSimilarDistance"`           // up to here (and above the max) a photo of another class is shown for review
	PhotoCompareMaxDistance    int           `yaml:"photo_compare_max_distance" json:"PhotoCompareMaxDistance"`    // up to here (at least phash_max_distance) another class's photo is compared cell by cell: the same capture is reuse at any distance up to here
	PhashCropPenalty           int           `yaml:"phash_crop_penalty" json:"PhashCropPenalty"`                   // bits added when only a 5%-cropped part of one photo matches the other
	PhotoSameCaptureMinShare   float64       `yaml:"photo_same_capture_min_share" json:"PhotoSameCaptureMinShare"` // of the aligned cells agreeing: at or above, a photo near another class's is the same capture (veto), below the same room (review)
	PhotoCaptureTolerance      float64       `yaml:"photo_capture_tolerance" json:"PhotoCaptureTolerance"`         // mean luma difference (0–255) up to which an aligned cell agrees
	PhotoFramedMaxDistance     int           `yaml:"photo_framed_max_distance" json:"PhotoFramedMaxDistance"`      // a photo showing a picture inside a frame (a print, a screen) is compared cell by cell with another class's photos whose hash is this near the framed picture's
	PhotoFramedMinShare        float64       `yaml:"photo_framed_min_share" json:"PhotoFramedMinShare"`            // of the framed picture's telling cells agreeing: at or above, a photo taken again of the other (similar, review; never a veto)
	PhotoClockMaxSkew          time.Duration `yaml:"photo_clock_max_skew" json:"PhotoClockMaxSkew"`                // camera time vs GPS time
	PhotoClockFailSkew         time.Duration `yaml:"photo_clock_fail_skew" json:"PhotoClockFailSkew"`              // camera time vs GPS time further apart than this: a fail (the clock was set to fit the window)
	PhotoWatermarkMaxSkew      time.Duration `yaml:"photo_watermark_max_skew" json:"PhotoWatermarkMaxSkew"`        // the time a watermark camera printed vs the EXIF time further apart than this: a fail (photos.watermark)
	PhotoStrippedMaxSide       int           `yaml:"photo_stripped_max_side" json:"PhotoStrippedMaxSide"`          // no camera make, no time and a long side up to this: stripped (WeChat)
	SummaryCountMaxGap         float64       `yaml:"summary_count_max_gap" json:"SummaryCountMaxGap"`              // the summary's 参训人数 against the trained counted, as a share of these: above, a warning
	IDSameBirthMaxShare        float64       `yaml:"id_same_birth_max_share" json:"IDSameBirthMaxShare"`           // above this share of a roster (and five people) born on one day: a fail
	IDSerialRunMin             int           `yaml:"id_serial_run_min" json:"IDSerialRunMin"`                      // this many rows in a row with sequence codes counting up: a fail (0: off)
	TraineeMinAge              int           `yaml:"trainee_min_age" json:"TraineeMinAge"`
	TraineeMaxAge              int           `yaml:"trainee_max_age" json:"TraineeMaxAge"`
	// The office's own headcount (第七条, recorded on the review desk): a
	// session whose sign-ins exceed the office's count of present people by
	// more than HeadcountAllowance (HeadcountMaxExcess people, or
	// HeadcountMaxExcessShare of the count when more) is a fail.
	HeadcountMaxExcess      int     `yaml:"headcount_max_excess" json:"HeadcountMaxExcess"`
	HeadcountMaxExcessShare float64 `yaml:"headcount_max_excess_share" json:"HeadcountMaxExcessShare"`
	MaxSheetRows            int     `yaml:"max_sheet_rows" json:"MaxSheetRows"` // a sheet with more rows is refused, not read
	MaxBookRows             int     `yaml:"max_book_rows" json:"MaxBookRows"`   // rows read from one workbook or CSV over all its sheets; sheets past it are refused

	// The watermark's position against the photo's GPS (photos.watermark_place).
	PhotoWatermarkMaxDistanceM  float64 `yaml:"photo_watermark_max_distance_m" json:"PhotoWatermarkMaxDistanceM"`   // the position a watermark camera printed vs the photo's EXIF GPS farther apart than this: a warning; 0: off
	PhotoWatermarkFailDistanceM float64 `yaml:"photo_watermark_fail_distance_m" json:"PhotoWatermarkFailDistanceM"` // farther than this: a fail; 0: never

	// Forensic signals of edited photos (stage/photo forensics.go).
	PhotoThumbMaxDistance  float64       `yaml:"photo_thumb_max_distance" json:"PhotoThumbMaxDistance"`   // bits (of 64) between the EXIF thumbnail and the picture, mean over its crops (photo.CompareThumb), above which the picture was edited after shooting (a warning); 64: off
	PhotoExifTimeTolerance time.Duration `yaml:"photo_exif_time_tolerance" json:"PhotoExifTimeTolerance"` // DateTimeOriginal later than ModifyDate, or apart from CreateDate, by more than this: the times were edited (a warning)
	PhotoModifyEditGap     time.Duration `yaml:"photo_modify_edit_gap" json:"PhotoModifyEditGap"`         // ModifyDate this long after DateTimeOriginal, with an editor's Software: edited after the class (a warning)
	PhotoSerialOverlapDays int           `yaml:"photo_serial_overlap_days" json:"PhotoSerialOverlapDays"` // the same camera serial in another institution's class whose dates are within this many days of this class's (0: the dates overlap): a warning
	PaperInkSignedMin      float64       `yaml:"paper_ink_signed_min" json:"PaperInkSignedMin"`           // of a paper sign-in sheet's signature box, the share of inked samples at or above which it is signed (已签)
	PaperInkEmptyMax       float64       `yaml:"paper_ink_empty_max" json:"PaperInkEmptyMax"`             // at or below which it is empty (未签); between the two: 无法判断, for the reviewer
	// One hand signing for many (stage/paper, signform.Alike): two signatures
	// of a page at least PaperSignatureAlikeMin alike are look-alikes; a page
	// whose look-alikes are more than PaperSimilarSignaturesMaxShare of its
	// signed boxes is a warning.
	PaperSignatureAlikeMin         float64 `yaml:"paper_signature_alike_min" json:"PaperSignatureAlikeMin"`
	PaperSimilarSignaturesMaxShare float64 `yaml:"paper_similar_signatures_max_share" json:"PaperSimilarSignaturesMaxShare"`
}

// Intake holds the limits and timings of reading the inbox.
type Intake struct {
	Settle         time.Duration `yaml:"settle"`
	Rescan         time.Duration `yaml:"rescan"`
	Workers        int           `yaml:"workers"`
	MaxZipEntries  int           `yaml:"max_zip_entries"`
	MaxZipBytes    int64         `yaml:"max_zip_bytes"`    // total uncompressed
	MaxZipRatio    float64       `yaml:"max_zip_ratio"`    // uncompressed ÷ compressed
	MaxFileBytes   int64         `yaml:"max_file_bytes"`   // a larger file is listed, not read
	MaxImagePixels int64         `yaml:"max_image_pixels"` // a larger picture is not decoded
	// DeskUploadMaxBytes is the largest upload the review desk takes from an
	// institution (one zip or one folder of files, as sent).
	DeskUploadMaxBytes int64 `yaml:"desk_upload_max_bytes"`
}

// LocalPrefixes returns the ID address-code prefixes counted as local: the
// configured list, or the county code alone.
func (c *Config) LocalPrefixes() []string {
	if len(c.LocalIDs) > 0 {
		return c.LocalIDs
	}
	if c.CountyCode == "" {
		return nil
	}
	return []string{c.CountyCode}
}

// Mark is the 发文机关标志: OfficeMark, or Office followed by 文件.
func (c *Config) Mark() string {
	if strings.TrimSpace(c.OfficeMark) != "" {
		return c.OfficeMark
	}
	return c.Office + "文件"
}

// DocNumber is the 文号 of the n-th document of year by the DocumentNumber
// scheme ("" when there is no scheme or n is 0).
func (c *Config) DocNumber(year, n int) string {
	if c.DocumentNumber == "" || n <= 0 {
		return ""
	}
	return strings.NewReplacer("{year}", strconv.Itoa(year), "{n}", strconv.Itoa(n)).Replace(c.DocumentNumber)
}

// InCounty reports whether a WGS-84 point lies inside the county's box.
func (c *Config) InCounty(p LatLon) bool {
	b := c.BBox
	return p.Lat >= b[0] && p.Lat <= b[2] && p.Lon >= b[1] && p.Lon <= b[3]
}
