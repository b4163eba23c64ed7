package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	c := Default()
	if c.County != "商水县" || c.Thresholds.PhotoTimeSlack != 2*time.Hour || c.Thresholds.AttendancePass != 0.8 {
		t.Fatalf("default config read wrong: %+v", c)
	}
	if got := c.DocNumber(2026, 7); got != "商电商验〔2026〕7号" || c.Mark() != "商水县电子商务办公室文件" {
		t.Errorf("document number %q, mark %q", got, c.Mark())
	}
	if c.Intake.DeskUploadMaxBytes != 500<<20 {
		t.Fatalf("desk_upload_max_bytes %d, want 500 MB", c.Intake.DeskUploadMaxBytes)
	}
	if th := c.Thresholds; th.HeadcountMaxExcess != 3 || th.HeadcountMaxExcessShare != 0.1 || th.HeadcountAllowance(43) != 4 || th.HeadcountAllowance(20) != 3 {
		t.Fatalf("headcount_max_excess %d, share %v: allowance %d for 43 counted, %d for 20", th.HeadcountMaxExcess, th.HeadcountMaxExcessShare, th.HeadcountAllowance(43), th.HeadcountAllowance(20))
	}
	if c.Location == nil || c.Location.String() != "Asia/Shanghai" {
		t.Fatalf("time zone not loaded: %v", c.Location)
	}
	if len(c.Venues) != 1 || c.Venues[0].Point.Lat == 0 {
		t.Fatalf("venue not converted: %+v", c.Venues)
	}
	// gcj02 → wgs84 moves the pin by about half a kilometre.
	if d := c.Venues[0].Point.Lat - 33.5440; d > -0.0001 && d < 0.0001 {
		t.Errorf("venue latitude unchanged by GCJ-02 conversion")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, wantKey string
	}{
		{"unknown key", "countyy: x\n", "countyy"},
		{"bad threshold", "thresholds:\n  attendance_pass: 1.5\n", "thresholds.attendance_pass"},
		{"negative headcount excess", "thresholds:\n  headcount_max_excess: -1\n", "thresholds.headcount_max_excess"},
		{"headcount share above 1", "thresholds:\n  headcount_max_excess_share: 1.5\n", "thresholds.headcount_max_excess_share"},
		{"bad duration", "thresholds:\n  photo_time_slack: two hours\n", "photo_time_slack"},
		{"no upload size", "intake:\n  desk_upload_max_bytes: 0\n", "intake.desk_upload_max_bytes"},
		{"bad timezone", "timezone: Mars/Olympus\n", "timezone"},
		{"bad venue coords", "venues:\n  - name: x\n    coords: abc\n", "venues[0].coords"},
		{"bad datum", "venues:\n  - name: x\n    coords: \"33.5,114.6\"\n    datum: utm\n", "venues[0].datum"},
		{"number without {n}", "document_number: 商电商验〔{year}〕号\n", "document_number"},
		{"veto above pass", "thresholds:\n  attendance_veto: 0.9\n", "attendance_veto"},
		{"paper empty above signed", "thresholds:\n  paper_ink_empty_max: 0.05\n", "paper_ink_empty_max"},
		{"paper signed not a share", "thresholds:\n  paper_ink_signed_min: 2\n", "paper_ink_signed_min"},
		{"signature alike not a share", "thresholds:\n  paper_signature_alike_min: 1.5\n", "paper_signature_alike_min"},
		{"watermark distance negative", "thresholds:\n  photo_watermark_max_distance_m: -1\n", "photo_watermark_max_distance_m"},
		{"watermark fail below warning", "thresholds:\n  photo_watermark_fail_distance_m: 500\n", "photo_watermark_fail_distance_m"},
		{"similar signatures not a share", "thresholds:\n  paper_similar_signatures_max_share: -0.1\n", "paper_similar_signatures_max_share"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "test.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.wantKey) {
				t.Fatalf("error %v does not name %q", err, tt.wantKey)
			}
		})
	}
}

func TestLoadOverridesOnlyGivenKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "county.yaml")
	os.WriteFile(path, []byte("county: 测试县\nthresholds:\n  rectify_days: 30\n"), 0o644)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.County != "测试县" || c.Thresholds.RectifyDays != 30 || c.Thresholds.AttendancePass != 0.8 {
		t.Fatalf("override wrong: county=%s rectify=%d pass=%v", c.County, c.Thresholds.RectifyDays, c.Thresholds.AttendancePass)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Fatal("a missing file must be an error")
	}
}
