package render

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/templates"
)

// withGPS puts photo i of r north metres north of the venue (33.541, 114.605).
func withGPS(r *yanshou.Result, i int, north float64) {
	lat, lon := 33.541+north/6371008.8*180/math.Pi, 114.605
	r.Photos[i].Lat, r.Photos[i].Lon = &lat, &lon
}

// images lists pdfimages' "WxH" of every image, in order.
func images(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(pdfTool(t, "pdfimages", "-list", path), "\n") {
		if f := strings.Fields(l); len(f) > 4 && f[2] == "image" {
			out = append(out, f[3]+"x"+f[4])
		}
	}
	return out
}

func TestReportPhotoFigures(t *testing.T) {
	venued := sampleResult(yanshou.Fail)
	venued.Venue, venued.VenueM = &yanshou.LatLon{Lat: 33.541, Lon: 114.605}, 800
	withGPS(venued, 0, 120)
	withGPS(venued, 1, 80)
	withGPS(venued, 3, 5230) // IMG_0003 has neither GPS nor time: numbered 4, after the photos with a time

	noVenue := sampleResult(yanshou.Fail)
	noVenue.Submission.Class = nil
	withGPS(noVenue, 0, 120)
	withGPS(noVenue, 3, 300)

	bare := sampleResult(yanshou.Pass) // no GPS at all, no venue, no class
	bare.Submission.Class = nil

	tests := []struct {
		name         string
		r            *yanshou.Result
		want, unwant []string
		map_, line   bool // a 1200×900 map; a 1200-wide timeline
	}{
		{"venue", venued, []string{
			"照片拍摄位置图（编号与下表序号一致", "照片拍摄时间轴（编号与下表序号一致）",
			"已核验 时间或地点无法核验 超出日期/场地/县域或重复使用", "蓝色圆为核验半径 800 米",
			"另有 1 张照片无 GPS 位置，未画出（序号 4）", "另有 1 张照片无拍摄时间，未画出（序号 4）",
			"前后各 2 小时的允许误差",
		}, []string{"培训场地无坐标", "不绘制"}, true, true},
		{"no venue, no class", noVenue, []string{
			"照片拍摄位置图", "培训场地无坐标，照片地点无法按场地半径核验", "另有 2 张照片无 GPS 位置，未画出（序号 3、4）",
			"未读取到培训日期，不绘制拍摄时间轴。",
		}, []string{"核验半径 0", "照片拍摄时间轴"}, true, false},
		{"no GPS", bare, []string{"照片均无 GPS 位置，不绘制位置图。", "培训场地无坐标", "未读取到培训日期"},
			[]string{"照片拍摄位置图"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, tt.r, testConfig(t)); err != nil {
				t.Fatal(err)
			}
			checkReport(t, path, "figures-"+tt.name, tt.want, tt.unwant)
			var maps, lines int
			for _, im := range images(t, path) {
				switch {
				case im == "1200x900":
					maps++
				case strings.HasPrefix(im, "1200x"):
					lines++
				}
			}
			if want := map[bool]int{true: 1}; maps != want[tt.map_] || lines != want[tt.line] {
				t.Errorf("%d maps and %d timelines, want %v and %v: %v", maps, lines, tt.map_, tt.line, images(t, path))
			}
		})
	}
}

// TestMapNotCut: a map that does not fit below the cursor starts a new page.
func TestMapNotCut(t *testing.T) {
	cfg := testConfig(t)
	var w reportWords
	if err := loadWording(cfg, "report.yaml", &w); err != nil {
		t.Fatal(err)
	}
	font := configuredFonts(cfg)
	d, err := pdfdoc.New(font, ReportName)
	if err != nil {
		t.Fatal(err)
	}
	r := sampleResult(yanshou.Pass)
	r.Venue, r.VenueM = &yanshou.LatLon{Lat: 33.541, Lon: 114.605}, 800
	withGPS(r, 0, 120)
	d.Y = pdfdoc.Bottom - 200
	photoFigures(d, &templates.Filler{}, &w, r, cfg)
	if n := d.GP.GetNumberOfPages(); n != 2 {
		t.Errorf("%d pages, want the map moved whole to page 2", n)
	}
	if d.Err() != nil || d.Y > pdfdoc.Bottom {
		t.Errorf("cursor %.0f below the type area (%.0f), err %v", d.Y, pdfdoc.Bottom, d.Err())
	}
}
