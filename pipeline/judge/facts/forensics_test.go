package facts

import (
	"strings"
	"testing"
	"time"

	"yanshou"
)

func ptrF(v float64) *float64 { return &v }

// at is a time in the county's zone.
func at(s string) *time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, cfg.Location)
	if err != nil {
		panic(err)
	}
	return &t
}

// TestGatherForensics: each forensic signal counts the photo that shows it,
// names its file and says what disagrees; honest photos count nothing.
func TestGatherForensics(t *testing.T) {
	th := cfg.Thresholds
	other := func(label, inst, start, end, file, serial string) yanshou.SerialPhoto {
		return yanshou.SerialPhoto{Label: label, Institution: inst, Start: day(start), End: day(end), Version: 1, File: file, Serial: serial}
	}
	tests := []struct {
		name   string
		change func(in *Input)
		want   func(p yanshou.PhotoFacts) bool
		evKey  string
		evWant string
	}{
		{"honest photos: nothing", func(in *Input) {
			for i := range in.Photos {
				p := &in.Photos[i]
				p.ThumbDiffers = ptrF(0.5)
				p.Make, p.Model, p.Original, p.Modified, p.Digitized = "Apple", "iPhone 13", p.Taken, p.Taken, p.Taken
				p.JPEGQuality, p.IJGTables, p.Serial = 93, false, "F2LXK0001"
			}
		}, func(p yanshou.PhotoFacts) bool {
			return p.ThumbMismatch == 0 && p.Resaved == 0 && p.TimesEdited == 0 && p.SameCamera == 0
		}, "", ""},
		{"thumbnail far from the picture", func(in *Input) {
			in.Photos[2].ThumbDiffers = ptrF(th.PhotoThumbMaxDistance + 4)
			in.Photos[3].ThumbDiffers = ptrF(th.PhotoThumbMaxDistance) // at the limit: not flagged
		}, func(p yanshou.PhotoFacts) bool { return p.ThumbMismatch == 1 }, "photos.thumbnail", "缩略图与照片内容不一致（图像指纹平均相差 16.0 位"},
		{"iPhone original with IJG tables: re-saved", func(in *Input) {
			p := &in.Photos[1]
			p.Make, p.Model, p.Original, p.JPEGQuality, p.IJGTables = "Apple", "iPhone 13", p.Taken, 92, true
		}, func(p yanshou.PhotoFacts) bool { return p.Resaved == 1 && p.Edited == 0 }, "photos.edited", "自称 Apple iPhone 13 相机原图，但 JPEG 量化表是编辑软件（libjpeg）按质量 92"},
		{"IJG tables of a make that writes them itself: nothing", func(in *Input) {
			p := &in.Photos[1]
			p.Make, p.Model, p.Original, p.JPEGQuality, p.IJGTables = "NIKON", "E900", p.Taken, 88, true
		}, func(p yanshou.PhotoFacts) bool { return p.Resaved == 0 }, "", ""},
		{"IJG tables without a camera time: no claim of an original", func(in *Input) {
			p := &in.Photos[1]
			p.Make, p.Model, p.Original, p.IJGTables = "Apple", "iPhone 13", nil, true
		}, func(p yanshou.PhotoFacts) bool { return p.Resaved == 0 }, "", ""},
		{"IJG tables and an editor's Software: counted as edited once", func(in *Input) {
			p := &in.Photos[1]
			p.Make, p.Original, p.IJGTables, p.Software = "Apple", p.Taken, true, "醒图"
		}, func(p yanshou.PhotoFacts) bool { return p.Resaved == 0 && p.Edited == 1 }, "photos.edited", "醒图"},
		{"DateTimeOriginal after ModifyDate", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Modified = at("2026-03-10 09:00:00"), at("2026-03-01 18:00:00")
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 1 }, "photos.exif_times", "晚于文件修改时间（ModifyDate）2026-03-01 18:00:00 8天15小时"},
		{"ModifyDate within the tolerance before: nothing", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Modified = at("2026-03-10 09:00:30"), at("2026-03-10 09:00:00")
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 0 }, "", ""},
		{"offsets of both: compared as instants", func(in *Input) {
			p := &in.Photos[0]
			o := time.Date(2026, 3, 10, 9, 0, 0, 0, time.FixedZone("", 8*3600))
			m := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC) // 10:00 in +08:00
			p.Original, p.Modified, p.TimesZoned = &o, &m, true
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 0 }, "", ""},
		{"an offset on one only: the wall clocks", func(in *Input) {
			p := &in.Photos[0]
			o := time.Date(2026, 3, 10, 9, 0, 0, 0, time.FixedZone("", -5*3600)) // written 09:00 with -05:00
			m := time.Date(2026, 3, 10, 9, 0, 5, 0, cfg.Location)                // written 09:00:05 without
			p.Original, p.Modified, p.TimesZoned = &o, &m, false
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 0 }, "", ""},
		{"DateTimeOriginal apart from CreateDate", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Digitized, p.Modified = at("2026-03-10 09:00:00"), at("2026-03-12 09:00:00"), at("2026-03-12 09:00:00")
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 1 }, "photos.exif_times", "与数字化时间（CreateDate）2026-03-12 09:00:00 相差 2天"},
		{"DateTimeOriginal moved, the maker note's time kept", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Digitized, p.Modified = at("2026-03-10 09:00:00"), at("2026-03-10 09:00:00"), at("2026-03-10 09:00:00")
			p.MakerTime, p.MakerTimeTag = at("2025-11-02 15:20:00"), "Sony ShotInfo SonyDateTime"
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 1 }, "photos.exif_times",
			"与相机厂商信息（MakerNote）中记录的拍摄时间 2025-11-02 15:20:00（Sony ShotInfo SonyDateTime）相差 127天17小时"},
		{"the maker note's time within the tolerance: nothing", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.MakerTime = at("2026-03-10 09:00:00"), at("2026-03-10 09:00:01")
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 0 }, "", ""},
		{"saved by an editor days after", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Modified, p.Software = at("2026-03-10 09:00:00"), at("2026-03-14 20:00:00"), "Adobe Photoshop 25.0"
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 1 && p.Edited == 1 }, "photos.exif_times", "在拍摄 4天11小时 后由编辑软件“Adobe Photoshop 25.0”保存"},
		{"saved by phone firmware days after: nothing", func(in *Input) {
			p := &in.Photos[0]
			p.Original, p.Modified, p.Software = at("2026-03-10 09:00:00"), at("2026-03-14 20:00:00"), "MIUI 14.0.25"
		}, func(p yanshou.PhotoFacts) bool { return p.TimesEdited == 0 }, "", ""},
		{"the same camera in another institution's class two days later", func(in *Input) {
			in.Photos[0].Serial, in.Photos[0].Make, in.Photos[0].Model = "032011001234", "Canon", "EOS 80D"
			in.Photos[1].Serial = "032011001234"
			in.SerialPhotos = []yanshou.SerialPhoto{
				other("乙机构 第3期", "乙机构", "2026-03-13", "2026-03-14", "现场/IMG_0042.JPG", "032011001234"),
				other("乙机构 第3期", "乙机构", "2026-03-13", "2026-03-14", "现场/IMG_0043.JPG", "032011001234"),
			}
		}, func(p yanshou.PhotoFacts) bool {
			return p.SameCamera == 2 && p.SameCameraClasses == "乙机构 第3期"
		},
			"photos.same_camera", "同一相机（序列号 032011001234，Canon EOS 80D）在同一时段拍摄了另一机构的培训班照片：乙机构 第3期（2026-03-13 至 2026-03-14）的 现场/IMG_0042.JPG"},
		{"three days after the class's end, the other's dates read in UTC: within", func(in *Input) {
			in.Photos[0].Serial, in.Photos[0].Make, in.Photos[0].Model = "SN1", "Canon", "Canon EOS 80D"
			d := yanshou.Date{Time: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)}
			in.SerialPhotos = []yanshou.SerialPhoto{{Label: "乙机构 第5期", Institution: "乙机构", Start: d, End: d, File: "x.jpg", Serial: "SN1"}}
		}, func(p yanshou.PhotoFacts) bool { return p.SameCamera == 1 }, "photos.same_camera", "（序列号 SN1，Canon EOS 80D）"},
		{"four days after: outside", func(in *Input) {
			in.Photos[0].Serial = "SN1"
			in.SerialPhotos = []yanshou.SerialPhoto{other("乙机构 第5期", "乙机构", "2026-03-15", "2026-03-16", "x.jpg", "SN1")}
		}, func(p yanshou.PhotoFacts) bool { return p.SameCamera == 0 }, "", ""},
		{"the same camera a month later, or in the same institution's class: nothing", func(in *Input) {
			in.Photos[0].Serial = "032011001234"
			in.SerialPhotos = []yanshou.SerialPhoto{
				other("乙机构 第4期", "乙机构", "2026-04-13", "2026-04-14", "a.jpg", "032011001234"),
				other("宏达 第2期", "宏达", "2026-03-10", "2026-03-11", "b.jpg", "032011001234"),
				other("丙机构 第1期", "丙机构", "2026-03-10", "2026-03-11", "c.jpg", "OTHER"),
			}
		}, func(p yanshou.PhotoFacts) bool { return p.SameCamera == 0 }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			f := Gather(in)
			if !tt.want(f.Photos) {
				t.Fatalf("photo facts %+v", f.Photos)
			}
			if tt.evKey == "" {
				return
			}
			ev := f.Evidence[tt.evKey]
			if len(ev) == 0 || ev[0].File == "" || !strings.Contains(ev[0].Detail, tt.evWant) {
				t.Fatalf("evidence %s = %+v, want a file and %q", tt.evKey, ev, tt.evWant)
			}
		})
	}
}
