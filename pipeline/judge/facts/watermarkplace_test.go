package facts

import (
	"strconv"
	"strings"
	"testing"

	"yanshou"
)

func TestPlaceUnits(t *testing.T) {
	tests := []struct {
		in   string
		want [levels]string
	}{
		{"河南省周口市商水县黄寨镇人民政府", [levels]string{"河南省", "周口市", "商水县", "黄寨镇"}},
		{"商水县电子商务公共服务中心", [levels]string{"", "", "商水县", ""}},
		{"河南省周口市项城市王明口镇", [levels]string{"河南省", "周口市", "项城市", "王明口镇"}},
		{"河南省郑州市金水区花园路街道", [levels]string{"河南省", "郑州市", "金水区", "花园路街道"}},
		{"北京市通州区宋庄镇", [levels]string{"", "北京市", "通州区", "宋庄镇"}},
		{"地点：河南省周口市商水县城关乡东大街88号", [levels]string{"河南省", "周口市", "商水县", "城关乡"}},
		{"河南省 周口市 商水縣 練集鎮", [levels]string{"河南省", "周口市", "商水县", "练集镇"}},
		{"商水县电商产业园区2号楼", [levels]string{"", "", "商水县", ""}},
		{"中心城区光明路", [levels]string{}},
		{"黄寨镇文化站", [levels]string{"", "", "", "黄寨镇"}},
		{"新疆维吾尔自治区巴音郭楞蒙古自治州库尔勒市", [levels]string{"新疆维吾尔自治区", "巴音郭楞蒙古自治州", "库尔勒市", ""}},
		{"电子商务公共服务中心三楼", [levels]string{}},
		{"", [levels]string{}},
		{"113.6254°E 34.7466°N", [levels]string{}},
	}
	for _, tt := range tests {
		if got := placeUnits(tt.in); got != tt.want {
			t.Errorf("placeUnits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPlaceDisagrees: real-world strips against the venues institutions write.
// Agreement is tolerant: another wording of the same place, a venue naming no
// county (the config's county stands for it), one character misread by OCR;
// only another county or town is a disagreement.
func TestPlaceDisagrees(t *testing.T) {
	tests := []struct {
		address, venue string
		want           string // "" agree; else a part of the disagreement
	}{
		{"河南省周口市商水县黄寨镇人民政府", "商水县电子商务公共服务中心", ""},
		{"河南省周口市商水县城关乡东大街", "商水县电子商务公共服务中心", ""},
		{"河南省周口市商水县", "电商公共服务中心三楼培训室", ""},
		{"河南省周口市商永县黄寨镇", "商水县黄寨镇文化站", ""}, // OCR misread one character
		{"周口市商水县黄寨镇", "河南省商水县黄寨镇农村电商服务站", ""},
		{"商水县新城街道", "商水县", ""},
		{"中心城区光明路", "商水县电子商务公共服务中心", ""}, // no unit read: nothing to compare
		{"河南省周口市项城市王明口镇", "商水县电子商务公共服务中心", "水印为“项城市”，培训地点为“商水县”"},
		{"河南省周口市商水县练集镇", "商水县黄寨镇文化站", "水印为“练集镇”，培训地点为“黄寨镇”"},
		{"河南省郑州市金水区花园路街道", "商水县电子商务公共服务中心", "水印为“金水区”，培训地点为“商水县”"},
		{"河南省周口市川汇区", "电子商务公共服务中心", "水印为“川汇区”，培训地点为“商水县”"},
	}
	for _, tt := range tests {
		got := placeDisagrees(tt.address, tt.venue, "商水县")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("placeDisagrees(%q, %q) = %q, want %q", tt.address, tt.venue, got, tt.want)
		}
	}
}

func TestWatermarkPlaceFacts(t *testing.T) {
	ll := func(lat, lon float64) (*float64, *float64) { return &lat, &lon }
	tests := []struct {
		name  string
		venue string
		w     yanshou.Watermark
		want  func(p yanshou.PhotoFacts) bool
		ev    string // a part of the evidence, "" for none
	}{
		{"the strip names the venue's county and is where the GPS is", "商水县电子商务公共服务中心",
			yanshou.Watermark{Address: "河南省周口市商水县城关乡", Text: "09:00 ｜ 2026-03-10 星期二 ｜ 河南省周口市商水县城关乡"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkPlace == 0 && p.WatermarkFar == 0 }, ""},
		{"another county", "商水县电子商务公共服务中心",
			yanshou.Watermark{Address: "河南省周口市项城市王明口镇", Text: "09:00 ｜ 河南省周口市项城市王明口镇"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkPlace == 1 && p.WatermarkFar == 0 },
			"水印地址“河南省周口市项城市王明口镇”与培训地点“商水县电子商务公共服务中心”不符（水印为“项城市”，培训地点为“商水县”）；水印原文：09:00 ｜ 河南省周口市项城市王明口镇"},
		{"no venue written: nothing to compare the address with", "",
			yanshou.Watermark{Address: "河南省周口市项城市王明口镇"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkPlace == 0 }, ""},
		{"the strip's position 300 m from the GPS: fine", "",
			yanshou.Watermark{Text: "经度:114.6100 纬度:33.5427"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkFar == 0 }, ""},
		{"3 km from the GPS: a warning", "",
			yanshou.Watermark{Text: "经度:114.6100 纬度:33.5670"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkFar == 1 && p.WatermarkFarFail == 0 }, "相距 3002 米"},
		{"40 km from the GPS: a fail", "",
			yanshou.Watermark{Text: "经度:114.8800 纬度:33.8000"},
			func(p yanshou.PhotoFacts) bool { return p.WatermarkFar == 1 && p.WatermarkFarFail == 1 }, "与照片 GPS 位置 33.54000,114.61000 相距"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			in.Submission.Class.Venue = tt.venue
			w := tt.w
			if strings.Contains(w.Text, "经度") { // the position printed, as the parser gives it
				var lat, lon float64
				for _, f := range strings.Fields(w.Text) {
					if v, ok := strings.CutPrefix(f, "经度:"); ok {
						lon = atof(t, v)
					} else if v, ok := strings.CutPrefix(f, "纬度:"); ok {
						lat = atof(t, v)
					}
				}
				w.Lat, w.Lon = ll(lat, lon)
			}
			in.Photos[1].Watermark = &w
			f := Gather(in)
			if !tt.want(f.Photos) {
				t.Fatalf("photo facts %+v", f.Photos)
			}
			ev := f.Evidence[yanshou.EvPhotosWatermarkPlace]
			switch {
			case tt.ev == "" && len(ev) > 0:
				t.Errorf("evidence %+v, want none", ev)
			case tt.ev != "" && (len(ev) != 1 || ev[0].File != in.Photos[1].File || !strings.Contains(ev[0].Detail, tt.ev)):
				t.Errorf("evidence %+v, want %q", ev, tt.ev)
			}
		})
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
