package yanshou

import "time"

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
	Thresholds    Thresholds `yaml:"thresholds"`
	Fonts         []string   `yaml:"fonts"`     // extra TrueType font paths, tried first
	Templates     string     `yaml:"templates"` // optional folder overriding the built-in templates
	Rules         string     `yaml:"rules"`     // optional rule file replacing the built-in set
	Intake        Intake     `yaml:"intake"`

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
	PhotoRadiusM               float64       `yaml:"photo_radius_m"`
	PhotoTimeSlack             time.Duration `yaml:"photo_time_slack"`
	PhotosMinPerDay            int           `yaml:"photos_min_per_day"`
	PhotosUnverifiableMaxShare float64       `yaml:"photos_unverifiable_max_share"`
	AttendancePass             float64       `yaml:"attendance_pass"`
	AttendanceVeto             float64       `yaml:"attendance_veto"`
	TraineeMinSessionShare     float64       `yaml:"trainee_min_session_share"`
	ProxyPhoneMax              int           `yaml:"proxy_phone_max"`
	FollowupMinShare           float64       `yaml:"followup_min_share"`
	RectifyDays                int           `yaml:"rectify_days"`
	PhashMaxDistance           int           `yaml:"phash_max_distance"`
	TraineeMinAge              int           `yaml:"trainee_min_age"`
	TraineeMaxAge              int           `yaml:"trainee_max_age"`
	MaxSheetRows               int           `yaml:"max_sheet_rows"` // a sheet with more rows is refused, not read
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

// InCounty reports whether a WGS-84 point lies inside the county's box.
func (c *Config) InCounty(p LatLon) bool {
	b := c.BBox
	return p.Lat >= b[0] && p.Lat <= b[2] && p.Lon >= b[1] && p.Lon <= b[3]
}
