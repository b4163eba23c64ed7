// Package config loads the county configuration (yanshou.yaml): the embedded
// default for 商水县, or a file given with --config, checked strictly.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/platform/oserr"
)

//go:embed yanshou.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the built-in configuration.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default returns the built-in configuration for 商水县.
func Default() *yanshou.Config {
	c, err := Parse(defaultYAML, "built-in yanshou.yaml")
	if err != nil {
		panic("built-in config is invalid: " + err.Error())
	}
	return c
}

// Load reads a configuration file. Keys it leaves out keep the built-in defaults;
// an unknown key or a bad value is an error naming the key.
func Load(path string) (*yanshou.Config, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("找不到配置文件 %s：请检查 --config 的路径", path)
	}
	if err != nil {
		return nil, fmt.Errorf("配置文件 %s 无法读取（%s）", path, oserr.Reason(err))
	}
	return Parse(data, path)
}

// Parse decodes YAML over the built-in defaults and validates the result.
func Parse(data []byte, name string) (*yanshou.Config, error) {
	var c yanshou.Config
	if name != "built-in yanshou.yaml" {
		d := yaml.NewDecoder(bytes.NewReader(defaultYAML))
		if err := d.Decode(&c); err != nil {
			return nil, err
		}
		c.Venues = nil // a county file lists its own venues
	}
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(true)
	if err := d.Decode(&c); err != nil && !errors.Is(err, errEOF(err)) {
		return nil, fmt.Errorf("config %s: %s", name, yamlErr(err, data))
	}
	if err := validate(&c); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return &c, nil
}

// errEOF lets an empty file mean "all defaults".
func errEOF(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return errors.New("not EOF")
}

// yamlErr rewrites a decoder error so that each line names the offending key: the
// decoder gives only a line number for a bad value, so the line's text is quoted.
func yamlErr(err error, data []byte) string {
	src := strings.Split(string(data), "\n")
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "yaml: unmarshal errors:"))
		if l == "" {
			continue
		}
		var n int
		if _, e := fmt.Sscanf(l, "line %d:", &n); e == nil && n >= 1 && n <= len(src) {
			l += fmt.Sprintf(" (at %q)", strings.TrimSpace(src[n-1]))
		}
		out = append(out, l)
	}
	return strings.Join(out, "; ")
}

func validate(c *yanshou.Config) error {
	var problems []string
	bad := func(key, format string, args ...any) {
		problems = append(problems, key+": "+fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(c.County) == "" {
		bad("county", "must not be empty")
	}
	if strings.TrimSpace(c.Office) == "" {
		bad("office", "must not be empty")
	}
	if c.DocumentNumber != "" && !strings.Contains(c.DocumentNumber, "{n}") {
		bad("document_number", "%q must contain {n}, the number of the document in its year", c.DocumentNumber)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		bad("timezone", "%q is not a known time zone (e.g. Asia/Shanghai)", c.Timezone)
	}
	c.Location = loc
	b := c.BBox
	if !(b[0] < b[2] && b[1] < b[3] && b[0] >= -90 && b[2] <= 90 && b[1] >= -180 && b[3] <= 180) {
		bad("bbox", "%v must be [lat_min, lon_min, lat_max, lon_max] with min < max", b)
	}
	for _, p := range c.LocalPrefixes() {
		if len(p) < 2 || len(p) > 6 || strings.Trim(p, "0123456789") != "" {
			bad("local_id_prefixes", "%q is not a 2–6 digit address code", p)
		}
	}
	for i := range c.Venues {
		v := &c.Venues[i]
		key := fmt.Sprintf("venues[%d]", i)
		if strings.TrimSpace(v.Name) == "" {
			bad(key+".name", "must not be empty")
		}
		p, err := geo.ParsePoint(v.Coords)
		if err != nil {
			bad(key+".coords", "%v", err)
			continue
		}
		if v.Point, err = geo.ToWGS84(p, v.Datum); err != nil {
			bad(key+".datum", "%v", err)
		}
		if v.RadiusM < 0 {
			bad(key+".radius_m", "must not be negative")
		}
	}
	if len(c.ArchiveCopies) == 0 {
		bad("archive_copies", "must name at least one holder")
	}
	t := c.Thresholds
	share := func(key string, v float64) {
		if v < 0 || v > 1 {
			bad("thresholds."+key, "%v must be between 0 and 1", v)
		}
	}
	positive := func(key string, v float64) {
		if v <= 0 {
			bad("thresholds."+key, "%v must be greater than 0", v)
		}
	}
	positive("photo_radius_m", t.PhotoRadiusM)
	if t.PhotoTimeSlack < 0 {
		bad("thresholds.photo_time_slack", "must not be negative")
	}
	if t.PhotosMinPerDay < 0 {
		bad("thresholds.photos_min_per_day", "must not be negative")
	}
	share("photos_unverifiable_max_share", t.PhotosUnverifiableMaxShare)
	share("photos_no_gps_max_share", t.PhotosNoGPSMaxShare)
	share("photos_no_gps_fail_share", t.PhotosNoGPSFailShare)
	share("attendance_pass", t.AttendancePass)
	share("attendance_veto", t.AttendanceVeto)
	if t.AttendanceVeto > t.AttendancePass {
		bad("thresholds.attendance_veto", "%v must not exceed attendance_pass %v", t.AttendanceVeto, t.AttendancePass)
	}
	share("trainee_min_session_share", t.TraineeMinSessionShare)
	share("followup_min_share", t.FollowupMinShare)
	positive("proxy_phone_max", float64(t.ProxyPhoneMax))
	if t.HouseholdPhoneMax < t.ProxyPhoneMax {
		bad("thresholds.household_phone_max", "%d must not be below proxy_phone_max %d", t.HouseholdPhoneMax, t.ProxyPhoneMax)
	}
	share("proxy_shared_max_share", t.ProxySharedMaxShare)
	share("id_same_birth_max_share", t.IDSameBirthMaxShare)
	if t.SummaryCountMaxGap < 0 {
		bad("thresholds.summary_count_max_gap", "must not be negative")
	}
	if t.IDSerialRunMin < 0 {
		bad("thresholds.id_serial_run_min", "must not be negative (0: off)")
	}
	positive("proxy_shared_min_phones", float64(t.ProxySharedMinPhones))
	positive("rectify_days", float64(t.RectifyDays))
	if t.PhashMaxDistance < 0 || t.PhashMaxDistance > 64 {
		bad("thresholds.phash_max_distance", "%d must be between 0 and 64", t.PhashMaxDistance)
	}
	if t.PhashSimilarDistance < t.PhashMaxDistance || t.PhashSimilarDistance > 64 {
		bad("thresholds.phash_similar_distance", "%d must be between phash_max_distance %d and 64", t.PhashSimilarDistance, t.PhashMaxDistance)
	}
	if t.PhotoCompareMaxDistance < t.PhashMaxDistance || t.PhotoCompareMaxDistance > 64 {
		bad("thresholds.photo_compare_max_distance", "%d must be between phash_max_distance %d and 64", t.PhotoCompareMaxDistance, t.PhashMaxDistance)
	}
	if t.PhashCropPenalty < 0 || t.PhashCropPenalty > 64 {
		bad("thresholds.phash_crop_penalty", "%d must be between 0 and 64", t.PhashCropPenalty)
	}
	share("photo_same_capture_min_share", t.PhotoSameCaptureMinShare)
	positive("photo_capture_tolerance", t.PhotoCaptureTolerance)
	if t.PhotoFramedMaxDistance < 0 || t.PhotoFramedMaxDistance > 64 {
		bad("thresholds.photo_framed_max_distance", "%d must be between 0 and 64", t.PhotoFramedMaxDistance)
	}
	share("photo_framed_min_share", t.PhotoFramedMinShare)
	positive("photo_clock_max_skew", float64(t.PhotoClockMaxSkew))
	if t.PhotoClockFailSkew != 0 && t.PhotoClockFailSkew < t.PhotoClockMaxSkew {
		bad("thresholds.photo_clock_fail_skew", "%v must not be below photo_clock_max_skew %v (0: off)", t.PhotoClockFailSkew, t.PhotoClockMaxSkew)
	}
	positive("photo_watermark_max_skew", float64(t.PhotoWatermarkMaxSkew))
	if t.PhotoWatermarkMaxDistanceM < 0 {
		bad("thresholds.photo_watermark_max_distance_m", "must not be negative (0: off)")
	}
	if t.PhotoWatermarkFailDistanceM != 0 && t.PhotoWatermarkFailDistanceM < t.PhotoWatermarkMaxDistanceM {
		bad("thresholds.photo_watermark_fail_distance_m", "%v must not be below photo_watermark_max_distance_m %v (0: never)", t.PhotoWatermarkFailDistanceM, t.PhotoWatermarkMaxDistanceM)
	}
	if _, err := geo.ToWGS84(yanshou.LatLon{Lat: 34, Lon: 114}, c.WatermarkDatum); err != nil {
		bad("watermark_datum", "%v", err)
	}
	if t.PhotoStrippedMaxSide < 0 {
		bad("thresholds.photo_stripped_max_side", "must not be negative (0: never)")
	}
	if t.PhotoThumbMaxDistance < 0 || t.PhotoThumbMaxDistance > 64 {
		bad("thresholds.photo_thumb_max_distance", "%v must be between 0 and 64 (64: off)", t.PhotoThumbMaxDistance)
	}
	if t.PhotoExifTimeTolerance < 0 {
		bad("thresholds.photo_exif_time_tolerance", "must not be negative")
	}
	if t.PhotoModifyEditGap < 0 {
		bad("thresholds.photo_modify_edit_gap", "must not be negative")
	}
	if t.PhotoSerialOverlapDays < 0 {
		bad("thresholds.photo_serial_overlap_days", "must not be negative")
	}
	for i, e := range c.CameraQuantMakes {
		if strings.TrimSpace(e) == "" {
			bad(fmt.Sprintf("camera_quant_makes[%d]", i), "must not be empty")
		}
	}
	for i, e := range c.PhotoEditors {
		if strings.TrimSpace(e) == "" {
			bad(fmt.Sprintf("photo_editors[%d]", i), "must not be empty")
		}
	}
	if t.TraineeMinAge < 0 || t.TraineeMaxAge <= t.TraineeMinAge {
		bad("thresholds.trainee_max_age", "%d must exceed trainee_min_age %d", t.TraineeMaxAge, t.TraineeMinAge)
	}
	share("paper_ink_signed_min", t.PaperInkSignedMin)
	share("paper_ink_empty_max", t.PaperInkEmptyMax)
	share("paper_signature_alike_min", t.PaperSignatureAlikeMin)
	share("paper_similar_signatures_max_share", t.PaperSimilarSignaturesMaxShare)
	if t.PaperInkEmptyMax >= t.PaperInkSignedMin {
		bad("thresholds.paper_ink_empty_max", "%v must be below paper_ink_signed_min %v", t.PaperInkEmptyMax, t.PaperInkSignedMin)
	}
	if t.HeadcountMaxExcess < 0 {
		bad("thresholds.headcount_max_excess", "must not be negative")
	}
	share("headcount_max_excess_share", t.HeadcountMaxExcessShare)
	positive("max_sheet_rows", float64(t.MaxSheetRows))
	positive("max_book_rows", float64(t.MaxBookRows))
	in := c.Intake
	if in.Workers < 0 {
		bad("intake.workers", "must not be negative")
	}
	if in.Settle < 0 || in.Rescan < 0 {
		bad("intake.settle", "durations must not be negative")
	}
	if in.DeskUploadMaxBytes <= 0 {
		bad("intake.desk_upload_max_bytes", "%d must be positive", in.DeskUploadMaxBytes)
	}
	if r := strings.TrimSpace(c.PoorRegistry); r != "" {
		if ext := strings.ToLower(filepath.Ext(r)); ext != ".xlsx" && ext != ".csv" {
			bad("poor_registry", "%q must be an .xlsx or .csv workbook", r)
		} else if st, err := os.Stat(r); err != nil || st.IsDir() {
			bad("poor_registry", "%q is not a readable file", r)
		}
	}
	for _, f := range []struct{ key, path string }{{"materials", c.Materials}, {"sheet_vocab", c.SheetVocab}} {
		if p := strings.TrimSpace(f.path); p != "" {
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				bad(f.key, "%q is not a readable file", p)
			}
		}
	}
	if p := strings.TrimSpace(c.MonthlyPlans); p != "" {
		if _, err := os.Stat(p); err != nil {
			bad("monthly_plans", "%q: no such folder or workbook", p)
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
