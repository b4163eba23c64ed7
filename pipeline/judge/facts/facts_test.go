package facts

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

var cfg = config.Default()

func day(s string) yanshou.Date {
	t, _ := time.ParseInLocation("2006-01-02", s, cfg.Location)
	return yanshou.Date{Time: t}
}

// mix spreads a number over 64 bits (splitmix64), so distinct photos get hashes
// far apart.
func mix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func photo(file string, kind yanshou.MaterialKind, taken string, inWindow *bool, hash uint64) yanshou.Photo {
	p := yanshou.Photo{File: file, Kind: kind, InWindow: inWindow, Hash: hash, InVenue: yes(), InCounty: yes()}
	if taken != "" {
		t, _ := time.ParseInLocation("2006-01-02 15:04", taken, cfg.Location)
		p.Taken = &t
		lat, lon := 33.54, 114.61
		p.Lat, p.Lon = &lat, &lon
	}
	return p
}

// base is a clean two-day class: all materials, four photos a day, a group photo,
// ten trainees all trained, two follow-ups.
func base() Input {
	class := &yanshou.ClassInfo{Source: "培训信息表.xlsx", Institution: "宏达", Class: "第1期",
		Start: day("2026-03-10"), End: day("2026-03-11"), Applied: day("2026-02-20"), Approved: day("2026-02-28"), Planned: 10}
	sub := &yanshou.Submission{Class: class}
	sub.Files = append(sub.Files, yanshou.File{Rel: "培训信息表.xlsx", Kind: yanshou.Manifest})
	for _, k := range yanshou.Materials {
		sub.Files = append(sub.Files, yanshou.File{Rel: k.String() + ".pdf", Kind: k})
	}
	var photos []yanshou.Photo
	for i, ts := range []string{"2026-03-10 09:00", "2026-03-10 10:00", "2026-03-10 14:00", "2026-03-10 15:00",
		"2026-03-11 09:00", "2026-03-11 10:00", "2026-03-11 14:00", "2026-03-11 15:00"} {
		photos = append(photos, photo("现场照片/"+ts+".jpg", yanshou.SitePhotos, ts, yes(), mix(uint64(i+1))))
	}
	photos = append(photos, photo("合影照片/合影.jpg", yanshou.GroupPhoto, "2026-03-11 16:00", yes(), 0xAAAAAAAAAAAAAAAA))
	a := &yanshou.Attendance{Sessions: []string{"上午", "下午"}}
	for i := 0; i < 10; i++ {
		a.Trainees = append(a.Trainees, yanshou.Trainee{Name: "学员", ID: "41162319900101" + string(rune('A'+i)), Sessions: 2, Trained: true, File: "名单.xlsx", Row: i + 3})
	}
	a.FollowUps = []yanshou.FollowUpCall{{Trainee: 0}, {Trainee: 1}}
	return Input{Submission: sub, Photos: photos, VenueKnown: true, Attendance: a, Config: cfg}
}

func TestGather(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *Input)
		check  func(f *yanshou.Facts) string // "" when right
		evKey  string                        // evidence that must be present
	}{
		{"clean", func(in *Input) {}, func(f *yanshou.Facts) string {
			if f.Materials.Missing != 0 || f.Photos.Verified != 9 || f.Photos.DaysShort != 0 || f.Attendance.Rate != 1 ||
				!f.Timeline.ApprovedBeforeStart || f.FollowUp.Share != 0.2 || f.Photos.Reused != 0 {
				return "clean class has problems"
			}
			return ""
		}, ""},
		{"missing materials", func(in *Input) {
			in.Submission.Files = in.Submission.Files[:len(in.Submission.Files)-2]
		}, func(f *yanshou.Facts) string {
			if f.Materials.Missing != 2 || f.Materials.MissingNames != "电话回访记录、情况总结" {
				return "missing: " + f.Materials.MissingNames
			}
			return ""
		}, "materials.missing"},
		{"documents filed by their first-page titles", func(in *Input) {
			in.Submission.Files = append(in.Submission.Files,
				yanshou.File{Rel: "扫描件001.pdf", Kind: yanshou.Approval, Title: "关于同意举办培训班的批复"},
				yanshou.File{Rel: "补充通知.pdf", Kind: yanshou.Approval, Also: yanshou.Notice, Title: "关于同意举办培训班的批复"},
				yanshou.File{Rel: "02批复/通知.pdf", Kind: yanshou.Notice, Also: yanshou.Approval})
		}, func(f *yanshou.Facts) string {
			ev := f.Evidence[yanshou.EvMaterialsAmbiguous]
			if f.Materials.ByTitle != 1 || f.Materials.Retitled != 1 || f.Materials.Ambiguous != 1 || len(ev) != 3 ||
				ev[0].Detail != "按首页标题《关于同意举办培训班的批复》认定为「批复」；请按材料名称命名" ||
				!strings.HasPrefix(ev[1].Detail, "文件名像「培训通知」，首页标题《关于同意举办培训班的批复》却是「批复」，已按首页标题归为「批复」") ||
				!strings.HasPrefix(ev[2].Detail, "文件名像「培训通知」，所在文件夹却是「批复」") {
				return fmt.Sprintf("by title %d retitled %d ambiguous %d, evidence %+v", f.Materials.ByTitle, f.Materials.Retitled, f.Materials.Ambiguous, ev)
			}
			return ""
		}, "materials.ambiguous"},
		{"approval after start", func(in *Input) { in.Submission.Class.Approved = day("2026-03-12") }, func(f *yanshou.Facts) string {
			if f.Timeline.ApprovedBeforeStart || f.Timeline.DaysLate != 2 {
				return "late approval not seen"
			}
			return ""
		}, "timeline"},
		{"photos outside window leave a day short", func(in *Input) {
			for i := 4; i < 8; i++ {
				in.Photos[i].InWindow = no()
			}
		}, func(f *yanshou.Facts) string {
			if f.Photos.OutsideWindow != 4 || f.Photos.DaysShort != 1 {
				return "outside window / days short wrong"
			}
			return ""
		}, "photos.outside_window"},
		{"reused from another class", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "农商 第2期", Version: 1, File: "现场/x.jpg", Hash: in.Photos[0].Hash ^ 0b111}}
			captured(in, 0.95)
		}, func(f *yanshou.Facts) string {
			if f.Photos.Reused != 1 {
				return "reuse not found"
			}
			return ""
		}, "photos.reused"},
		{"the same picture twice in one class", func(in *Input) { in.Photos[3].Hash = in.Photos[2].Hash }, func(f *yanshou.Facts) string {
			if f.Photos.Duplicates != 1 || f.Photos.Reused != 0 {
				return "duplicate within class not found, or taken for reuse"
			}
			return ""
		}, "photos.duplicates"},
		{"no EXIF", func(in *Input) { in.Photos[0].Taken, in.Photos[0].InWindow, in.Photos[0].Lat = nil, nil, nil }, func(f *yanshou.Facts) string {
			if f.Photos.NoExif != 1 || f.Photos.Unverifiable != 1 || f.Photos.NoGPS != 1 {
				return "no-EXIF photo not counted"
			}
			return ""
		}, "photos.unverifiable"},
		{"outside the venue and county", func(in *Input) {
			lat, lon, d := 34.7, 113.6, 150000.0
			in.Photos[1].Lat, in.Photos[1].Lon, in.Photos[1].DistanceM = &lat, &lon, &d
			in.Photos[1].InVenue, in.Photos[1].InCounty = no(), no()
		}, func(f *yanshou.Facts) string {
			if f.Photos.OutsideVenue != 1 || f.Photos.OutsideCounty != 1 {
				return "outside venue not counted"
			}
			return ""
		}, "photos.outside_venue"},
		{"low attendance and a walk-in", func(in *Input) {
			for i := 0; i < 4; i++ {
				in.Attendance.Trainees[i].Trained, in.Attendance.Trainees[i].Sessions = false, 0
			}
			in.Attendance.SignIns = []yanshou.SignIn{{Name: "王五", ID: "X1", Match: yanshou.WalkIn, File: "签到表.xlsx", Sheet: "上午", Row: 9}}
		}, func(f *yanshou.Facts) string {
			if f.Attendance.Trained != 6 || f.Attendance.Rate != 0.6 || f.Attendance.WalkIns != 1 {
				return "attendance wrong"
			}
			return ""
		}, "attendance.walk_ins"},
		{"trained in another class", func(in *Input) {
			in.TrainedIn = map[int][]yanshou.PriorTraining{0: {
				{Label: "农商 第2期（2026-03-11）", Start: "2026-03-11", End: "2026-03-12", Verdict: yanshou.Pass}}}
		}, func(f *yanshou.Facts) string {
			if f.Trainees.DoubleCounted != 1 {
				return "double count not found"
			}
			return ""
		}, "trainees.double_counted"},
		{"no manifest", func(in *Input) { in.Submission.Class = nil; in.Submission.Files = in.Submission.Files[1:] }, func(f *yanshou.Facts) string {
			if f.Manifest.Present || f.Manifest.Readable || f.Timeline.Known || f.Photos.DaysShort != 0 {
				return "no-manifest facts wrong"
			}
			return ""
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			f := Gather(in)
			if msg := tt.check(f); msg != "" {
				t.Fatalf("%s: %+v", msg, f)
			}
			if tt.evKey != "" {
				ev := f.Evidence[tt.evKey]
				if len(ev) == 0 {
					t.Fatalf("no evidence under %s", tt.evKey)
				}
				if strings.TrimSpace(ev[0].Detail) == "" {
					t.Fatalf("evidence without detail: %+v", ev[0])
				}
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	checked := time.Date(2026, 3, 20, 23, 30, 0, 0, time.UTC) // 3月21日 07:30 in Shanghai
	if got := Deadline(checked, cfg).String(); got != "2026-04-05" {
		t.Fatalf("Deadline = %s, want 2026-04-05 (15 days after 3月21日)", got)
	}
}
