package main

import (
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// photoFolder writes a folder of photos: one with full EXIF (offset, GPS, GPS
// time), one without EXIF, one that is no JPEG, one in a subfolder, a text file
// and a symbolic link (neither is listed).
func photoFolder(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "现场照片")
	os.MkdirAll(filepath.Join(dir, "第二天"), 0o755)
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	loc := time.FixedZone("", 8*3600)
	write := func(name string, tags exifwrite.Tags) {
		data, err := exifwrite.Encode(img, 80, tags)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("IMG_0001.jpg", exifwrite.Tags{Make: "HUAWEI", Model: "ALN-AL00", Software: "Adobe Photoshop 25.0",
		DateTimeOriginal: time.Date(2026, 3, 10, 9, 30, 0, 0, loc), WithOffset: true,
		GPS: &yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}, GPSTime: time.Date(2026, 3, 10, 1, 30, 5, 0, time.UTC)})
	write("IMG_0002.jpg", exifwrite.Tags{})
	write("第二天/IMG_0003.jpg", exifwrite.Tags{Make: "vivo", DateTimeOriginal: time.Date(2026, 3, 11, 10, 0, 0, 0, loc),
		GPS: &yanshou.LatLon{Lat: 34.75, Lon: 113.62}})
	os.WriteFile(filepath.Join(dir, "broken.jpg"), []byte("not a picture"), 0o644)
	os.WriteFile(filepath.Join(dir, "说明.txt"), []byte("text"), 0o644)
	os.Symlink(filepath.Join(dir, "IMG_0001.jpg"), filepath.Join(dir, "link.jpg"))
	return dir
}

func TestPhotosJSON(t *testing.T) {
	dir := photoFolder(t)
	code, stdout, stderr := runCmd(t, "photos", "--json", "--venue", "33.5432,114.6091", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, stdout)
	}
	var names []string
	for _, r := range got {
		names = append(names, filepath.Base(r["path"].(string)))
		for _, key := range []string{"path", "taken", "lat", "lon", "make", "model", "software", "width", "height", "error", "distance_m"} {
			if _, ok := r[key]; !ok {
				t.Errorf("%s: key %q missing", r["path"], key)
			}
		}
	}
	// Natural order, as a file manager shows them (letter case aside).
	if strings.Join(names, " ") != "broken.jpg IMG_0001.jpg IMG_0002.jpg IMG_0003.jpg" {
		t.Fatalf("photos listed: %v (natural order, photos only, no links)", names)
	}
	first := got[1]
	if first["taken"] != "2026-03-10T09:30:00+08:00" || first["time_source"] != "DateTimeOriginal" ||
		first["gps_time"] != "2026-03-10T01:30:05Z" || first["make"] != "HUAWEI" || first["software"] != "Adobe Photoshop 25.0" ||
		first["width"] != 48.0 || first["height"] != 32.0 || first["error"] != nil || first["in_county"] != true {
		t.Errorf("first photo: %v", first)
	}
	if lat := first["lat"].(float64); math.Abs(lat-33.5432) > 1e-6 || first["distance_m"].(float64) > 0.5 || first["in_venue"] != true {
		t.Errorf("first photo position: %v %v", lat, first["distance_m"])
	}
	if r := got[2]; r["taken"] != nil || r["lat"] != nil || r["distance_m"] != nil || r["error"] != nil {
		t.Errorf("photo without EXIF: %v", r)
	}
	if r := got[0]; r["error"] == nil || !strings.Contains(r["error"].(string), "broken.jpg：") {
		t.Errorf("broken photo: %v", r)
	}
	// 郑州 is about 160 km from the venue and outside the county; a time without offset is read as +08:00.
	if r := got[3]; r["taken"] != "2026-03-11T10:00:00+08:00" || r["in_county"] != false || r["distance_m"].(float64) < 150000 || r["in_venue"] != false {
		t.Errorf("far photo: %v", r)
	}
}

func TestPhotosTable(t *testing.T) {
	dir := photoFolder(t)
	cfg := filepath.Join(t.TempDir(), "county.yaml")
	os.WriteFile(cfg, []byte("venues:\n  - name: 测试场地\n    coords: \"33.5432,114.6091\"\n    radius_m: 500\n"), 0o644)
	code, stdout, stderr := runCmd(t, "photos", "--config", cfg, "--hash", dir, filepath.Join(dir, "第二天", "IMG_0003.jpg"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"照片", "拍摄时间", "距场地", "图像指纹", "现场照片/IMG_0001.jpg", "2026-03-10 09:30:00 +08:00",
		"HUAWEI ALN-AL00", "0 米", "（超出 500 米半径）", "（县外）", "不是可识别的照片格式"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
	if lines := strings.Count(stdout, "\n"); lines != 6 {
		t.Errorf("%d lines, want a header and 5 photos:\n%s", lines, stdout)
	}
}

func TestPhotosUsage(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"photos"}, exitUsage},
		{[]string{"photos", "--nope", "x"}, exitUsage},
		{[]string{"photos", "--venue", "north", "x"}, exitUsage},
		{[]string{"photos", "--venue", "33.5,114.6", "--datum", "utm", "x"}, exitUsage},
		{[]string{"photos", "--help"}, exitOK},
		{[]string{"photos", "--json", filepath.Join(t.TempDir(), "不存在")}, exitUnprocessed},
	}
	for _, tt := range tests {
		if code, _, _ := runCmd(t, tt.args...); code != tt.want {
			t.Errorf("yanshou %v exited %d, want %d", tt.args, code, tt.want)
		}
	}
	_, stdout, _ := runCmd(t, "photos", "--json", filepath.Join(t.TempDir(), "不存在"))
	if !strings.Contains(stdout, "不存在：文件或文件夹不存在") {
		t.Errorf("a missing path is not reported: %s", stdout)
	}
}
