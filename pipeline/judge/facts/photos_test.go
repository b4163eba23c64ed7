package facts

import (
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/platform/config"
)

// withFiles lists the photos of in among the submission's files with the given
// SHA-256 sums (by photo index; others get distinct sums).
func withFiles(in *Input, sums map[int]string) {
	for i, p := range in.Photos {
		sum, ok := sums[i]
		if !ok {
			sum = strings.Repeat("0", 62) + string(rune('a'+i/16)) + string("0123456789abcdef"[i%16])
		}
		in.Submission.Files = append(in.Submission.Files, yanshou.File{Rel: p.File, Kind: p.Kind, SHA256: sum})
	}
}

// captured records for every candidate pair of in (Candidates) the share of
// aligned cells that agree, as the driver's comparison would.
func captured(in *Input, share float64) {
	in.Captures = map[CaptureKey]Capture{}
	for _, k := range Candidates(in.Photos, in.PriorPhotos, in.Config.Thresholds) {
		in.Captures[k] = Capture{Share: share}
	}
}

func TestGatherPhotos(t *testing.T) {
	th := cfg.Thresholds
	far := func(h uint64) uint64 { return h ^ 0xFFFFFFFF00000000 } // 32 bits away
	tests := []struct {
		name   string
		change func(in *Input)
		want   func(p yanshou.PhotoFacts) bool
		evKey  string // evidence that must exist, its detail containing evWant
		evWant string
	}{
		{"identical file in another class, hash far off", func(in *Input) {
			withFiles(in, map[int]string{2: "ab12"})
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "农商 第2期", Version: 1, File: "现场/y.jpg", SHA256: "ab12", Hash: far(in.Photos[2].Hash)}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 && p.Similar == 0 }, "photos.reused", "SHA-256 完全一致"},
		{"nearest of several prior photos is named", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{
				{Label: "甲", Version: 1, File: "a.jpg", Hash: in.Photos[0].Hash ^ 0b1111}, // 4 bits
				{Label: "乙", Version: 2, File: "b.jpg", Hash: in.Photos[0].Hash ^ 0b1},    // 1 bit
			}
			captured(in, 0.97)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 }, "photos.reused", "乙 第2版 b.jpg 为同一张照片（图像指纹相差 1 位"},
		{"a cropped copy of another class's photo matches through its crops", func(in *Input) {
			crops := []uint64{far(in.Photos[0].Hash) ^ 7, in.Photos[0].Hash ^ 0b11} // 2 bits + penalty 2
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", Hash: far(in.Photos[0].Hash), Hashes: crops}}
			captured(in, 0.97)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 }, "photos.reused", "相差 4 位，其中一张与另一张经裁剪、镜像或旋转后的画面相比"},
		{"hashes alike, aligned cells agree: the same capture", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b11}}
			captured(in, 0.96)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 && p.Similar == 0 }, "photos.reused", "对齐后 96% 的画面区域一致"},
		{"hashes alike, only the room agrees: another class in the same room, for review", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b11}}
			captured(in, 0.62)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "只有 62% 的画面区域一致"},
		{"hashes alike, not compared: for review, never a veto", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b11}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "未能逐区域比对"},
		{"a same-room pair does not hide a real copy further on", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{
				{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b1},
				{Label: "乙", Version: 1, File: "b.jpg", SHA256: "q2", Hash: in.Photos[0].Hash ^ 0b111},
			}
			in.Captures = map[CaptureKey]Capture{{in.Photos[0].File, "q1"}: {Share: 0.5}, {in.Photos[0].File, "q2"}: {Share: 0.99}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 }, "photos.reused", "乙 第1版 b.jpg 为同一张照片"},
		{"a crop 6 bits off is no match after the penalty", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", Hash: far(in.Photos[0].Hash), Hashes: []uint64{in.Photos[0].Hash ^ 0b111111}}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "相差 8 位"},
		{"this class's photo cropped from its own earlier photo", func(in *Input) {
			in.Photos[1].Hash = far(in.Photos[0].Hash)
			in.Photos[1].Hashes = []uint64{in.Photos[0].Hash}
		}, func(p yanshou.PhotoFacts) bool { return p.Duplicates == 1 && p.Reused == 0 }, "photos.duplicates", "相差 2 位，其中一张"},
		{"a copy cut between the standard crops (8 bits off) is the same capture once aligned", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0xFF}}
			captured(in, 0.95)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 1 && p.Similar == 0 }, "photos.reused", "相差 8 位"},
		{"8 bits off, compared, the room only: similar", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0xFF}}
			captured(in, 0.7)
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "只有 70% 的画面区域一致"},
		{"8 bits off, not compared: similar as before, not 'not compared'", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0xFF}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "请人工比对"},
		{"similar band is a warning only", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", Hash: in.Photos[0].Hash ^ (1<<(th.PhashMaxDistance+1) - 1)}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 1 }, "photos.similar", "请人工比对"},
		{"beyond the similar band nothing", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "甲", Version: 1, File: "a.jpg", Hash: in.Photos[0].Hash ^ (1<<(th.PhashSimilarDistance+1) - 1)}}
		}, func(p yanshou.PhotoFacts) bool { return p.Reused == 0 && p.Similar == 0 }, "", ""},
		{"identical file twice in the class is padding, counted once", func(in *Input) {
			withFiles(in, map[int]string{0: "same", 1: "same", 2: "same"}) // three copies on day one
			in.Photos[1].Hash, in.Photos[2].Hash = far(in.Photos[0].Hash), far(far(in.Photos[0].Hash)^1)
		}, func(p yanshou.PhotoFacts) bool {
			return p.Duplicates == 2 && p.Reused == 0 && p.DaysShort == 1 && p.Verified == 9
		}, "photos.duplicates", "SHA-256 一致"},
		{"near-duplicate by hash in the class", func(in *Input) { in.Photos[5].Hash = in.Photos[4].Hash ^ 0b11 },
			func(p yanshou.PhotoFacts) bool { return p.Duplicates == 1 && p.Reused == 0 && p.DaysShort == 0 },
			"photos.duplicates", "图像指纹相差 2 位"},
		{"WeChat-style stripped photo", func(in *Input) {
			p := &in.Photos[0]
			p.Taken, p.InWindow, p.Lat, p.Lon, p.Width, p.Height = nil, nil, nil, nil, 960, 1280
		}, func(p yanshou.PhotoFacts) bool { return p.Stripped == 1 && p.Unverifiable == 1 && p.NoExif == 1 },
			"photos.unverifiable", "微信"},
		{"only a re-save time, no camera, small: stripped, not verified", func(in *Input) {
			p := &in.Photos[0]
			p.TimeSource, p.Width, p.Height = "DateTime", 1280, 720
		}, func(p yanshou.PhotoFacts) bool {
			return p.Stripped == 1 && p.Unverifiable == 1 && p.NoExif == 0 && p.Verified == 8
		}, "photos.unverifiable", "1280×720"},
		{"no time but full size: unverifiable, not stripped", func(in *Input) {
			p := &in.Photos[0]
			p.Taken, p.InWindow, p.Width, p.Height = nil, nil, 4000, 3000
		}, func(p yanshou.PhotoFacts) bool { return p.Stripped == 0 && p.Unverifiable == 1 }, "photos.unverifiable", "无拍摄时间"},
		{"small but with a camera make: not stripped", func(in *Input) {
			p := &in.Photos[0]
			p.Taken, p.InWindow, p.Make, p.Width, p.Height = nil, nil, "HUAWEI", 960, 1280
		}, func(p yanshou.PhotoFacts) bool { return p.Stripped == 0 && p.Unverifiable == 1 }, "", ""},
		{"GPS clock two hours off", func(in *Input) {
			g := in.Photos[1].Taken.Add(-2*time.Hour - 30*time.Minute).UTC()
			in.Photos[1].GPSTime = &g
		}, func(p yanshou.PhotoFacts) bool { return p.ClockSkew == 1 }, "photos.clock", "相差 2小时30分"},
		{"GPS date a year before the camera's: the clock was set to fit", func(in *Input) {
			g := in.Photos[1].Taken.AddDate(-1, 0, 0).UTC()
			in.Photos[1].GPSTime = &g
		}, func(p yanshou.PhotoFacts) bool { return p.ClockSkew == 1 && p.ClockFar == 1 }, "photos.clock", "相差 365天"},
		{"venue copied from 百度地图 and read as WGS-84: the photos sit 1 km off, all the same way", func(in *Input) {
			at := yanshou.LatLon{Lat: 33.54, Lon: 114.61} // where the photos are (photo())
			bd := geo.GCJ02ToBD09(geo.WGS84ToGCJ02(at))
			in.Venue, in.VenueRadiusM = &bd, 800
			for i := range in.Photos {
				in.Photos[i].InVenue = no()
			}
		}, func(p yanshou.PhotoFacts) bool {
			return p.OutsideVenue == 9 && strings.Contains(p.DatumMixup, "BD-09（百度地图）坐标，却被当作WGS-84")
		}, "", ""},
		{"photos outside the venue with the right datum: no mix-up named", func(in *Input) {
			v := yanshou.LatLon{Lat: 33.60, Lon: 114.70}
			in.Venue, in.VenueRadiusM = &v, 800
			in.Photos[0].InVenue = no()
		}, func(p yanshou.PhotoFacts) bool { return p.OutsideVenue == 1 && p.DatumMixup == "" }, "", ""},
		{"GPS clock five minutes off is fine", func(in *Input) {
			g := in.Photos[1].Taken.Add(5 * time.Minute).UTC()
			in.Photos[1].GPSTime = &g
		}, func(p yanshou.PhotoFacts) bool { return p.ClockSkew == 0 }, "", ""},
		{"no EXIF time, the watermark's taken: counted and shown", func(in *Input) {
			p := &in.Photos[0]
			p.TimeSource = yanshou.TimeSourceWatermark
			p.Watermark = &yanshou.Watermark{Taken: p.Taken, Address: "商水县黄寨镇人民政府"}
		}, func(p yanshou.PhotoFacts) bool {
			return p.WatermarkTime == 1 && p.WatermarkSkew == 0 && p.Verified == 9
		},
			"photos.watermark", "时间取自照片水印：2026-03-10 09:00，水印地址“商水县黄寨镇人民政府”"},
		{"watermark two hours from the EXIF time: the burned-in time was set", func(in *Input) {
			w := in.Photos[1].Taken.Add(2 * time.Hour)
			in.Photos[1].Watermark = &yanshou.Watermark{Taken: &w}
		}, func(p yanshou.PhotoFacts) bool { return p.WatermarkSkew == 1 && p.WatermarkTime == 0 }, "photos.watermark", "相差 2小时"},
		{"watermark a minute from the EXIF time (printed to the minute) is fine", func(in *Input) {
			w := in.Photos[1].Taken.Add(-time.Minute)
			in.Photos[1].Watermark = &yanshou.Watermark{Taken: &w}
		}, func(p yanshou.PhotoFacts) bool { return p.WatermarkSkew == 0 && p.WatermarkTime == 0 }, "", ""},
		{"a strip not read: unverifiable, with the note", func(in *Input) {
			p := &in.Photos[0]
			p.Taken, p.InWindow, p.Width, p.Height = nil, nil, 4000, 3000
			p.Watermark = &yanshou.Watermark{Note: "照片上疑似有水印，本机未安装文字识别程序"}
		}, func(p yanshou.PhotoFacts) bool { return p.Unverifiable == 1 && p.WatermarkTime == 0 }, "photos.unverifiable", "无拍摄时间信息（EXIF），无法核验；照片上疑似有水印"},
		{"edited in Photoshop and 醒图", func(in *Input) {
			in.Photos[0].Software = "Adobe Photoshop CS5 Macintosh"
			in.Photos[1].Software = "醒图"
			in.Photos[2].Software = "Adobe Photoshop CS5 Macintosh"
			in.Photos[3].Software = "MIUI 14.0.25"
		}, func(p yanshou.PhotoFacts) bool {
			return p.Edited == 3 && p.EditedSoftware == "Adobe Photoshop CS5 Macintosh、醒图"
		}, "photos.edited", "“Adobe Photoshop CS5 Macintosh”"},
		{"full-width editor name", func(in *Input) { in.Photos[0].Software = "ＧＩＭＰ ２.１０" },
			func(p yanshou.PhotoFacts) bool { return p.Edited == 1 }, "photos.edited", "GIMP"},
		{"phone firmware is no editor", func(in *Input) {
			for i, s := range []string{"ALN-AL00 4.0.0.126(C00E120R3P3)", "PGEM10_11_A.27", "V2241A_A_1.10.3", "17.3.1", ""} {
				in.Photos[i].Software = s
			}
		}, func(p yanshou.PhotoFacts) bool { return p.Edited == 0 }, "", ""},
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

// TestReusedOfMarks: a photo repeating another class names it; an in-class
// duplicate names the earlier photo of this class; a re-gather starts afresh.
func TestReusedOfMarks(t *testing.T) {
	in := base()
	in.Photos[3].Hash = in.Photos[2].Hash
	in.PriorPhotos = []yanshou.PriorPhoto{{Label: "农商 第2期", Version: 1, File: "x.jpg", Hash: in.Photos[0].Hash}}
	captured(&in, 0.99)
	Gather(in)
	if got := in.Photos[0].ReusedOf; got != "农商 第2期 第1版 x.jpg" {
		t.Errorf("ReusedOf = %q", got)
	}
	if got := in.Photos[3].ReusedOf; got != "本班 "+in.Photos[2].File {
		t.Errorf("in-class ReusedOf = %q", got)
	}
	in.PriorPhotos = nil
	Gather(in)
	if in.Photos[0].ReusedOf != "" {
		t.Errorf("stale ReusedOf %q", in.Photos[0].ReusedOf)
	}
}

func TestEditorIn(t *testing.T) {
	editors := config.Default().PhotoEditors
	tests := []struct{ software, want string }{
		{"Adobe Photoshop 7.0", "Photoshop"},
		{"Adobe Photoshop Lightroom", "Photoshop"},
		{"GIMP 2.10.32", "GIMP"},
		{"美图秀秀", "美图秀秀"},
		{"Snapseed 2.0", "Snapseed"},
		{"MIUI 14.0.25", ""},
		{"Digital Camera FinePix1400Zoom Ver1.00", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := editorIn(tt.software, editors); got != tt.want {
			t.Errorf("editorIn(%q) = %q, want %q", tt.software, got, tt.want)
		}
	}
}

// TestPhotoConfigKeys: the photo keys of yanshou.yaml are read and validated.
func TestPhotoConfigKeys(t *testing.T) {
	c := config.Default()
	if c.Thresholds.PhotoClockMaxSkew != 10*time.Minute || c.Thresholds.PhashSimilarDistance <= c.Thresholds.PhashMaxDistance ||
		c.Thresholds.PhotoStrippedMaxSide != 1280 || len(c.PhotoEditors) == 0 ||
		c.Thresholds.PhotoWatermarkMaxSkew != 10*time.Minute || c.WatermarkDatum != "gcj02" ||
		c.Thresholds.PhotoFramedMaxDistance <= c.Thresholds.PhashSimilarDistance || c.Thresholds.PhotoFramedMinShare <= 0 {
		t.Fatalf("defaults: %+v, editors %v", c.Thresholds, c.PhotoEditors)
	}
	tests := []struct{ yaml, wantKey string }{
		{"thresholds:\n  phash_similar_distance: 3\n", "thresholds.phash_similar_distance"},
		{"thresholds:\n  phash_similar_distance: 65\n", "thresholds.phash_similar_distance"},
		{"thresholds:\n  photo_clock_max_skew: 0s\n", "thresholds.photo_clock_max_skew"},
		{"thresholds:\n  photo_stripped_max_side: -1\n", "thresholds.photo_stripped_max_side"},
		{"photo_editors: [Photoshop, \"\"]\n", "photo_editors[1]"},
		{"thresholds:\n  phash_crop_penalty: -1\n", "thresholds.phash_crop_penalty"},
		{"thresholds:\n  photo_compare_max_distance: 5\n", "thresholds.photo_compare_max_distance"},
		{"thresholds:\n  photo_compare_max_distance: 65\n", "thresholds.photo_compare_max_distance"},
		{"thresholds:\n  photo_framed_max_distance: 65\n", "thresholds.photo_framed_max_distance"},
		{"thresholds:\n  photo_framed_min_share: 1.5\n", "thresholds.photo_framed_min_share"},
		{"thresholds:\n  photo_watermark_max_skew: 0s\n", "thresholds.photo_watermark_max_skew"},
		{"watermark_datum: wgs-1984\n", "watermark_datum"},
	}
	for _, tt := range tests {
		if _, err := config.Parse([]byte(tt.yaml), "county.yaml"); err == nil || !strings.Contains(err.Error(), tt.wantKey) {
			t.Errorf("%q: error %v, want it to name %s", tt.yaml, err, tt.wantKey)
		}
	}
	c, err := config.Parse([]byte("photo_editors: [某修图]\n"), "county.yaml")
	if err != nil || len(c.PhotoEditors) != 1 || c.PhotoEditors[0] != "某修图" {
		t.Fatalf("county editor list: %v %v", c, err)
	}
}

func TestHashDistance(t *testing.T) {
	const a, b = 0xF0F0F0F0F0F0F0F0, 0x0F0F0F0F0F0F0F0F // 64 bits apart
	tests := []struct {
		name           string
		a              uint64
		aCrops         []uint64
		b              uint64
		bCrops         []uint64
		penalty, wantD int
		wantCrop       bool
	}{
		{"whole pictures", a, nil, a ^ 0b101, nil, 2, 2, false},
		{"b's crop", a, nil, b, []uint64{b, a ^ 1}, 2, 3, true},
		{"a's crop", a, []uint64{b ^ 0b11}, b, nil, 0, 2, true},
		{"whole wins a tie", a, []uint64{a ^ 1}, a ^ 0b111, nil, 2, 3, false},
		{"no hash", 0, nil, b, []uint64{0}, 2, 65, false},
	}
	for _, tt := range tests {
		d, crop := hashDistance(tt.a, tt.aCrops, tt.b, tt.bCrops, tt.penalty)
		if d != tt.wantD || crop != tt.wantCrop {
			t.Errorf("%s: distance %d crop %v, want %d %v", tt.name, d, crop, tt.wantD, tt.wantCrop)
		}
	}
}

// TestCandidatesNearest: a photo near many photos of other classes (a room
// used for years) is compared cell by cell with its MaxCandidates nearest only.
func TestCandidatesNearest(t *testing.T) {
	th := cfg.Thresholds
	photos := []yanshou.Photo{{File: "a.jpg", Hash: 0xF0F0F0F0F0F0F0F0}}
	var prior []yanshou.PriorPhoto
	for i := range 8 {
		prior = append(prior, yanshou.PriorPhoto{SHA256: string(rune('a' + i)), Hash: photos[0].Hash ^ (1<<(i%4) - 1)})
	}
	got := Candidates(photos, prior, th)
	if len(got) != MaxCandidates {
		t.Fatalf("%d candidates, want %d", len(got), MaxCandidates)
	}
	for _, k := range got {
		if k.Prior == "d" || k.Prior == "h" { // 3 bits away: the farthest
			t.Errorf("a far candidate %s was kept over nearer ones: %v", k.Prior, got)
		}
	}
}

// TestPhotoPairs: every reuse and similarity found records the other photo
// with its measure — the same file, the same capture (distance and share),
// the same room (similar, share below the threshold), the similar band, a
// duplicate in the class (no label) — and a re-gather starts afresh.
func TestPhotoPairs(t *testing.T) {
	th := cfg.Thresholds
	far := func(h uint64) uint64 { return h ^ 0xFFFFFFFF00000000 }
	tests := []struct {
		name   string
		change func(in *Input)
		photo  int
		want   []yanshou.PhotoPair
	}{
		{"same file", func(in *Input) {
			withFiles(in, map[int]string{2: "ab12"})
			in.PriorPhotos = []yanshou.PriorPhoto{{SubmissionID: "S1", Label: "农商 第2期", Version: 1, File: "现场/y.jpg", SHA256: "ab12", Hash: far(in.Photos[2].Hash)}}
		}, 2, []yanshou.PhotoPair{{Kind: "reused", Label: "农商 第2期", ClassID: "S1", Version: 1, File: "现场/y.jpg", SHA256: "ab12"}}},
		{"same capture", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{SubmissionID: "S2", Label: "甲 第1期", Version: 2, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b11}}
			captured(in, 0.96)
		}, 0, []yanshou.PhotoPair{{Kind: "reused", Label: "甲 第1期", ClassID: "S2", Version: 2, File: "a.jpg", SHA256: "q1", Distance: 2, Share: 0.96}}},
		{"same room", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{SubmissionID: "S2", Label: "甲 第1期", Version: 1, File: "a.jpg", SHA256: "q1", Hash: in.Photos[0].Hash ^ 0b111}}
			captured(in, 0.6)
		}, 0, []yanshou.PhotoPair{{Kind: "similar", Label: "甲 第1期", ClassID: "S2", Version: 1, File: "a.jpg", SHA256: "q1", Distance: 3, Share: 0.6}}},
		{"similar band", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{SubmissionID: "S3", Label: "乙 第4期", Version: 1, File: "b.jpg", SHA256: "q2", Hash: in.Photos[0].Hash ^ (1<<(th.PhashMaxDistance+1) - 1)}}
		}, 0, []yanshou.PhotoPair{{Kind: "similar", Label: "乙 第4期", ClassID: "S3", Version: 1, File: "b.jpg", SHA256: "q2", Distance: th.PhashMaxDistance + 1}}},
		{"beyond the band: none", func(in *Input) {
			in.PriorPhotos = []yanshou.PriorPhoto{{Label: "乙", Version: 1, File: "b.jpg", Hash: in.Photos[0].Hash ^ (1<<(th.PhashSimilarDistance+1) - 1)}}
		}, 0, nil},
		{"duplicate in the class", func(in *Input) {
			withFiles(in, nil)
			in.Photos[5].Hash = in.Photos[4].Hash ^ 0b11
		}, 5, []yanshou.PhotoPair{{Kind: "reused", File: "", Distance: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			Gather(in)
			got := in.Photos[tt.photo].Pairs
			want := tt.want
			if tt.name == "duplicate in the class" { // the earlier photo of this class, by its own sum
				want[0].File = in.Photos[4].File
				for _, f := range in.Submission.Files {
					if f.Rel == in.Photos[4].File {
						want[0].SHA256 = f.SHA256
					}
				}
			}
			if len(got) != len(want) {
				t.Fatalf("pairs = %+v, want %+v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("pair %d = %+v, want %+v", i, got[i], want[i])
				}
			}
			in.PriorPhotos, in.Captures = nil, nil
			for i := range in.Photos {
				in.Photos[i].Hash = uint64(i+1) * 0x0101010101010101 // all far apart
			}
			Gather(in)
			if p := in.Photos[tt.photo].Pairs; p != nil {
				t.Errorf("stale pairs %+v", p)
			}
		})
	}
}

// TestRephotographedPrior: a photo whose framed picture (a print, a screen)
// agrees with another class's photo in photo_framed_min_share of its cells is
// similar — said to be a print or a screen taken again, with the measure —,
// never reused, even when the whole pictures were measured as one capture; less
// agreement says nothing. FramedCandidates lists the framed photo's nearest.
func TestRephotographedPrior(t *testing.T) {
	th := cfg.Thresholds
	far := func(h uint64) uint64 { return h ^ (1<<(th.PhashSimilarDistance+4) - 1) } // beyond the hash bands
	tests := []struct {
		name      string
		capture   Capture
		wantWord  string // in the similar evidence; "" none
		wantShare float64
	}{
		{"print", Capture{Share: 0.2, Framed: th.PhotoFramedMinShare + 0.1, FramedPrint: true}, "疑似翻拍打印照片", th.PhotoFramedMinShare + 0.1},
		{"screen", Capture{Share: 0.3, Framed: th.PhotoFramedMinShare}, "疑似翻拍屏幕上显示的照片", th.PhotoFramedMinShare},
		{"below the share", Capture{Share: 0.3, Framed: th.PhotoFramedMinShare - 0.01, FramedPrint: true}, "", 0},
		{"whole pictures alike, hashes far: still no veto", Capture{Share: 0.97, Framed: 0.9, FramedPrint: true}, "疑似翻拍打印照片", 0.9},
		{"not compared", Capture{Err: "无法读取", Framed: 0.9}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			in.PriorPhotos = []yanshou.PriorPhoto{{SubmissionID: "S9", Label: "丙 第3期", Version: 1, File: "旧.jpg", SHA256: "q9", Hash: far(in.Photos[0].Hash)}}
			in.Captures = map[CaptureKey]Capture{{in.Photos[0].File, "q9"}: tt.capture}
			f := Gather(in)
			if f.Photos.Reused != 0 || in.Photos[0].ReusedOf != "" {
				t.Fatalf("reused %d (%q): a photo taken again must never be a veto", f.Photos.Reused, in.Photos[0].ReusedOf)
			}
			var got string
			for _, e := range f.Evidence[yanshou.EvPhotosSimilar] {
				if e.File == in.Photos[0].File {
					got = e.Detail
				}
			}
			if tt.wantWord == "" {
				if got != "" {
					t.Fatalf("similar evidence %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.wantWord) || !strings.Contains(got, "旧.jpg") {
				t.Fatalf("similar evidence %q, want it to say %s and name the other photo", got, tt.wantWord)
			}
			if p := in.Photos[0].Pairs; len(p) != 1 || p[0].Kind != yanshou.PairSimilar || p[0].Share != tt.wantShare || p[0].SHA256 != "q9" {
				t.Errorf("pairs %+v, want the other photo as similar with share %v", p, tt.wantShare)
			}
		})
	}

	photos := []yanshou.Photo{{File: "a.jpg", Hash: 1}, {File: "b.jpg", Hash: 2}}
	framed := []uint64{0xF0F0F0F0F0F0F0F0, 0} // b.jpg holds no frame
	var prior []yanshou.PriorPhoto
	for i := range 8 {
		prior = append(prior, yanshou.PriorPhoto{SHA256: string(rune('a' + i)), Hash: framed[0] ^ (1<<(th.PhotoFramedMaxDistance-3+i) - 1)})
	}
	got := FramedCandidates(photos, framed, prior, th)
	want := []string{"a", "b", "c", "d"} // within photo_framed_max_distance, nearest first
	if len(got) != len(want) {
		t.Fatalf("framed candidates %v, want those of a.jpg with %v", got, want)
	}
	for i, k := range got {
		if k.File != "a.jpg" || k.Prior != want[i] {
			t.Errorf("framed candidate %d = %v, want a.jpg with %s", i, k, want[i])
		}
	}
}
