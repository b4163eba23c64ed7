package rules

import (
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

func TestDefaultHasEveryRequiredRule(t *testing.T) {
	s := Default()
	for _, id := range Required {
		if s.Find(id) == nil {
			t.Errorf("default rule set lacks %s", id)
		}
	}
}

// clean returns the facts of a class where everything holds.
func clean() *yanshou.Facts {
	return &yanshou.Facts{
		Manifest:   yanshou.ManifestFacts{Present: true, Readable: true},
		Timeline:   yanshou.TimelineFacts{Known: true, ApprovedBeforeStart: true, AppliedBeforeApprov: true},
		Roster:     yanshou.RosterFacts{Present: true, Rows: 40},
		Attendance: yanshou.AttendanceFacts{Approved: 40, Trained: 38, Sessions: 4, Rate: 0.95},
		Photos:     yanshou.PhotoFacts{Total: 13, OnSite: 12, Group: 1, Verified: 13, VenueKnown: true},
		FollowUp:   yanshou.FollowUpFacts{Calls: 6, Matched: 6, Share: 6.0 / 38},
		T:          config.Default().Thresholds,
		Evidence: map[string][]yanshou.Evidence{
			"photos.outside_window": {{File: "现场照片/IMG_1.jpg", Detail: "拍摄于 2026-03-20 10:00"}},
		},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name     string
		change   func(f *yanshou.Facts)
		wantRule string
		wantSev  yanshou.Severity
		wantMsg  string
		verdict  yanshou.Verdict
	}{
		{"clean", func(f *yanshou.Facts) {}, "", "", "", yanshou.Pass},
		{"materials missing", func(f *yanshou.Facts) {
			f.Materials.Missing, f.Materials.MissingNames = 2, "电话回访记录、情况总结"
		},
			"materials.complete", yanshou.SevFail, "缺少第十一条规定的材料 2 项：电话回访记录、情况总结", yanshou.Fail},
		{"a file named one material in another's folder", func(f *yanshou.Facts) { f.Materials.Ambiguous = 1 },
			"materials.recognised", yanshou.Warning, "1 个文件的文件名与所在文件夹指向不同的材料", yanshou.Pass},
		{"a document whose first-page title names another material than its name", func(f *yanshou.Facts) { f.Materials.Retitled, f.Materials.Ambiguous, f.Materials.ByTitle = 1, 1, 1 },
			"materials.recognised", yanshou.Warning, "1 个文件的首页标题与文件名指向不同的材料，已按首页标题归类", yanshou.Pass},
		{"a document named for no material, filed by its first-page title", func(f *yanshou.Facts) { f.Materials.ByTitle = 2 },
			"materials.recognised", yanshou.Warning, "2 个文件的文件名未写明是哪项材料，已按首页标题归类", yanshou.Pass},
		{"the 批复's own date after the start", func(f *yanshou.Facts) { f.Papers.ApprovalDocLate, f.Papers.ApprovalDocDaysLate = true, 2 },
			"papers.approval", yanshou.SevVeto, "批复原文的成文日期晚于培训开始日期 2 天", yanshou.Veto},
		{"the manifest's approval number not the 批复's", func(f *yanshou.Facts) { f.Papers.ApprovalNoDiffers = true },
			"papers.approval", yanshou.SevFail, "与批复原文不符", yanshou.Fail},
		{"more trainees than the 批复 approves", func(f *yanshou.Facts) { f.Papers.ApprovalCountShort = true },
			"papers.approval", yanshou.SevFail, "多于批复批准的培训人数", yanshou.Fail},
		{"the 批复 names another institution", func(f *yanshou.Facts) { f.Papers.ApprovalOtherName = true },
			"papers.approval", yanshou.Warning, "批复原文中没有培训信息表所填的培训机构名称", yanshou.Pass},
		{"the summary's 参训人数 far from the trained counted", func(f *yanshou.Facts) { f.Papers.SummaryCountOff = true },
			"papers.summary", yanshou.Warning, "相差超过 10%", yanshou.Pass},
		{"a scanned 批复 read by OCR differs", func(f *yanshou.Facts) { f.Papers.OCRDiffers = 1 },
			"papers.scanned", yanshou.Warning, "识别可能有误", yanshou.Pass},
		{"a scanned 批复", func(f *yanshou.Facts) { f.Papers.Unread = 1 },
			"papers.readable", yanshou.Warning, "1 份申请、批复、通知或总结是扫描件", yanshou.Pass},
		{"approval late", func(f *yanshou.Facts) { f.Timeline.ApprovedBeforeStart, f.Timeline.DaysLate = false, 3 },
			"timeline.approved_before_start", yanshou.SevVeto, "晚于培训开始日期 3 天", yanshou.Veto},
		{"approval date or number blank", func(f *yanshou.Facts) {
			f.Manifest.Present, f.Manifest.Readable, f.Timeline.Known, f.Timeline.ApprovalMissing = true, true, false, true
		},
			"timeline.approved_before_start", yanshou.SevFail, "未填写批复日期或批复文号，无法确认先审批后培训", yanshou.Fail},
		{"most photos without a position", func(f *yanshou.Facts) { f.Photos.NoGPS, f.Photos.NoGPSShare = 9, 9.0/13 },
			"photos.location", yanshou.Warning, "9 张照片（69.2%）没有拍摄位置信息", yanshou.Pass},
		{"photos without a position above the county's fail share", func(f *yanshou.Facts) {
			f.Photos.NoGPS, f.Photos.NoGPSShare, f.T.PhotosNoGPSFailShare = 12, 12.0/13, 0.9
		}, "photos.location", yanshou.SevFail, "超过 90%，无法核对拍摄地点", yanshou.Fail},
		{"more sign-ins than the office counted", func(f *yanshou.Facts) {
			f.Headcount.Recorded, f.Headcount.Over, f.Headcount.Sessions = 2, 1, "2026-03-10 上午"
		}, "attendance.headcount", yanshou.SevFail, "有 1 场（2026-03-10 上午）的签到人数比县电子商务办公室现场清点的实到人数多出超过 3 人且超过清点人数的 10%", yanshou.Fail},
		{"a sign-in matched by phone under another name", func(f *yanshou.Facts) { f.Attendance.NameDiffers = 1 },
			"attendance.name_differs", yanshou.Warning, "1 行签到的姓名与名单不同", yanshou.Pass},
		{"attendance below pass", func(f *yanshou.Facts) { f.Attendance.Trained, f.Attendance.Rate = 24, 0.6 },
			"attendance.rate", yanshou.SevFail, "为批准人数 40 人的 60%，低于 80%", yanshou.Fail},
		{"attendance share rounded as in the report's table", func(f *yanshou.Facts) {
			f.Attendance.Approved, f.Attendance.Trained, f.Attendance.Rate = 38, 25, 25.0/38
		},
			"attendance.rate", yanshou.SevFail, "为批准人数 38 人的 65.8%，低于 80%", yanshou.Fail},
		{"attendance below veto", func(f *yanshou.Facts) { f.Attendance.Trained, f.Attendance.Rate = 8, 0.2 },
			"attendance.rate", yanshou.SevVeto, "仅为批准人数 40 人的 20%", yanshou.Veto},
		{"photos outside window", func(f *yanshou.Facts) { f.Photos.OutsideWindow = 1 },
			"photos.time_window", yanshou.SevFail, "前后各放宽 2小时", yanshou.Fail},
		{"photo outside county", func(f *yanshou.Facts) { f.Photos.OutsideVenue, f.Photos.OutsideCounty = 1, 1 },
			"photos.location", yanshou.SevVeto, "本县范围以外", yanshou.Veto},
		{"some unverifiable", func(f *yanshou.Facts) { f.Photos.Unverifiable, f.Photos.UnverifiableShare = 2, 2.0/13 },
			"photos.unverifiable", yanshou.Warning, "2 张照片无法核验", yanshou.Pass},
		{"most unverifiable", func(f *yanshou.Facts) { f.Photos.Unverifiable, f.Photos.UnverifiableShare = 10, 10.0/13 },
			"photos.unverifiable", yanshou.SevFail, "超过 50%", yanshou.Fail},
		{"photo reused", func(f *yanshou.Facts) { f.Photos.Reused = 1 },
			"photos.reused", yanshou.SevVeto, "1 张照片与其他培训班次的照片为同一张照片", yanshou.Veto},
		{"photo similar to another class", func(f *yanshou.Facts) { f.Photos.Similar = 2 },
			"photos.similar", yanshou.Warning, "不超过 10 位", yanshou.Pass},
		{"photo twice in the class", func(f *yanshou.Facts) { f.Photos.Duplicates = 1 },
			"photos.duplicates", yanshou.Warning, "每张只计一次", yanshou.Pass},
		{"camera clock off GPS", func(f *yanshou.Facts) { f.Photos.ClockSkew = 3 },
			"photos.clock", yanshou.Warning, "3 张照片的相机时间与 GPS 时间相差超过 10分钟", yanshou.Pass},
		{"camera clock a year off GPS", func(f *yanshou.Facts) { f.Photos.ClockSkew, f.Photos.ClockFar = 2, 2 },
			"photos.clock", yanshou.SevFail, "相差超过 1天，相机时钟被调整过", yanshou.Fail},
		{"venue in BD-09 read as WGS-84", func(f *yanshou.Facts) {
			f.Photos.DatumMixup = "场地坐标很可能是BD-09（百度地图）坐标，却被当作WGS-84（GPS、奥维地图）坐标换算"
		},
			"photos.datum", yanshou.Warning, "符合坐标系混用：场地坐标很可能是BD-09", yanshou.Pass},
		{"photo edited", func(f *yanshou.Facts) { f.Photos.Edited, f.Photos.EditedSoftware = 2, "Adobe Photoshop 25.0、醒图" },
			"photos.edited", yanshou.Warning, "（Adobe Photoshop 25.0、醒图）", yanshou.Pass},
		{"photo re-saved with IJG tables", func(f *yanshou.Facts) { f.Photos.Resaved = 1 },
			"photos.edited", yanshou.Warning, "1 张照片自称相机原图，但 JPEG 量化表是编辑软件生成的标准表", yanshou.Pass},
		{"thumbnail no longer the picture", func(f *yanshou.Facts) { f.Photos.ThumbMismatch = 2 },
			"photos.thumbnail", yanshou.Warning, "2 张照片的缩略图与照片内容不一致：照片在拍摄后被编辑过", yanshou.Pass},
		{"times in the file contradict", func(f *yanshou.Facts) { f.Photos.TimesEdited = 1 },
			"photos.exif_times", yanshou.Warning, "相差超过 1分钟，或拍摄后超过 1天 由编辑软件保存", yanshou.Pass},
		{"one camera in two institutions' classes", func(f *yanshou.Facts) { f.Photos.SameCamera, f.Photos.SameCameraClasses = 3, "乙机构 第1期" },
			"photos.same_camera", yanshou.Warning, "前后 3 天内还拍摄了另一机构的培训班照片（乙机构 第1期）", yanshou.Pass},
		{"follow-ups short", func(f *yanshou.Facts) { f.FollowUp.Matched, f.FollowUp.Share = 1, 1.0/38 },
			"followup.coverage", yanshou.SevFail, "低于 10%", yanshou.Fail},
		{"follow-ups short, some before the end", func(f *yanshou.Facts) { f.FollowUp.Matched, f.FollowUp.Share, f.FollowUp.Early = 1, 1.0/38, 4 },
			"followup.coverage", yanshou.SevFail, "低于 10%（另有 4 次回访早于培训结束日期，不计入）", yanshou.Fail},
		{"enough follow-ups, one before the end", func(f *yanshou.Facts) { f.FollowUp.Early = 1 },
			"followup.coverage", yanshou.Warning, "有 1 次回访的日期早于培训结束日期", yanshou.Pass},
		{"follow-ups without a date", func(f *yanshou.Facts) { f.FollowUp.Undated = 2 },
			"followup.coverage", yanshou.Warning, "有 2 次回访未填写或无法识别回访日期", yanshou.Pass},
		{"a child on the roster", func(f *yanshou.Facts) { f.Roster.Minors = 1 },
			"roster.minors", yanshou.SevFail, "1 人按身份证号码开班时未满 16 周岁", yanshou.Fail},
		{"signed twice in one session", func(f *yanshou.Facts) { f.Attendance.Repeated = 2 },
			"attendance.repeated_signin", yanshou.SevFail, "有 2 人次在同一场次签到两次或以上", yanshou.Fail},
		{"one phone for more people than a household", func(f *yanshou.Facts) { f.Attendance.ProxySuspect = 1 },
			"attendance.proxy_signin", yanshou.SevVeto, "超过 4 人签到", yanshou.Veto},
		{"one phone for a household of three", func(f *yanshou.Facts) { f.Attendance.Households = 1 },
			"attendance.household_phone", yanshou.Warning, "多为同户家人共用", yanshou.Pass},
		{"proxy sign-in spread thin", func(f *yanshou.Facts) { f.Attendance.SharedPhones, f.Attendance.SharedShare = 5, 1 },
			"attendance.proxy_spread", yanshou.SevVeto, "100% 不是用名单登记的本人手机号", yanshou.Veto},
		{"a few couples on one phone each", func(f *yanshou.Facts) { f.Attendance.SharedPhones, f.Attendance.SharedShare = 5, 0.25 },
			"", "", "", yanshou.Pass},
		{"everyone born on one day", func(f *yanshou.Facts) { f.Roster.SameBirth = 1 },
			"roster.ids_plausible", yanshou.SevFail, "1 处多人同一出生日期", yanshou.Fail},
		{"ID serials counting up", func(f *yanshou.Facts) { f.Roster.SerialRuns = 1 },
			"roster.ids_plausible", yanshou.SevFail, "1 处顺序码依次递增", yanshou.Fail},
		{"a 性别 against the ID", func(f *yanshou.Facts) { f.Roster.GenderOff = 2 },
			"roster.gender", yanshou.Warning, "2 人登记的性别与身份证号码不符", yanshou.Pass},
		{"ten trainees on one roster phone", func(f *yanshou.Facts) { f.Roster.PhoneRings = 1 },
			"roster.phones", yanshou.SevFail, "名单疑似编造", yanshou.Fail},
		{"a poor-household trainee not trained", func(f *yanshou.Facts) { f.Attendance.Poor, f.Attendance.PoorTrained = 5, 4 },
			"attendance.poor", yanshou.Warning, "建档立卡贫困户学员 5 人，达到参训标准的 4 人", yanshou.Pass},
		{"trained in a class at the same time", func(f *yanshou.Facts) {
			f.Trainees.DoubleCounted, f.Trainees.OtherClasses = 2, "农商 第2期（2026-03-11至2026-03-12）"
		},
			"trainees.double_counted", yanshou.SevFail, "有 2 名学员已在同期举办的其他班次（农商 第2期（2026-03-11至2026-03-12））计为参训", yanshou.Fail},
		{"no manifest", func(f *yanshou.Facts) { f.Manifest = yanshou.ManifestFacts{} },
			"manifest.readable", yanshou.SevFail, "未找到培训信息表", yanshou.Fail},
	}
	s := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := clean()
			tt.change(f)
			got, err := s.Evaluate(f)
			if err != nil {
				t.Fatal(err)
			}
			if v := yanshou.Decide(got); v != tt.verdict {
				t.Errorf("verdict %s, want %s (findings %+v)", v, tt.verdict, got)
			}
			if tt.wantRule == "" {
				if len(got) != 0 {
					t.Errorf("clean facts gave findings %+v", got)
				}
				return
			}
			for _, g := range got {
				if g.Rule == tt.wantRule {
					if g.Severity != tt.wantSev || !strings.Contains(g.Message, tt.wantMsg) || g.Article == "" {
						t.Errorf("finding %+v, want severity %s and message containing %q", g, tt.wantSev, tt.wantMsg)
					}
					return
				}
			}
			t.Errorf("no %s finding among %+v", tt.wantRule, got)
		})
	}
}

func TestEvidenceAttached(t *testing.T) {
	f := clean()
	f.Photos.OutsideWindow = 1
	got, _ := Default().Evaluate(f)
	if len(got) != 1 || len(got[0].Evidence) != 1 || got[0].Evidence[0].File != "现场照片/IMG_1.jpg" {
		t.Fatalf("evidence not attached: %+v", got)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown fact", "rules:\n- id: x.y\n  article: 第七条\n  checks:\n  - {severity: fail, when: Photos.Nope > 0, message: m}\n", "x.y: check 1"},
		{"not boolean", "rules:\n- id: x.y\n  article: 第七条\n  checks:\n  - {severity: fail, when: Photos.Total, message: m}\n", "x.y"},
		{"bad severity", "rules:\n- id: x.y\n  article: 第七条\n  checks:\n  - {severity: severe, when: 'true', message: m}\n", "severity \"severe\""},
		{"bad placeholder", "rules:\n- id: x.y\n  article: 第七条\n  checks:\n  - {severity: fail, when: 'true', message: '{{Nope}}'}\n", "message {{Nope}}"},
		{"duplicate id", "rules:\n- id: a\n  article: b\n  checks: [{severity: fail, when: 'true', message: m}]\n- id: a\n  article: b\n  checks: [{severity: fail, when: 'true', message: m}]\n", "a: id is used twice"},
		{"unknown key", "rules:\n- id: a\n  artcle: b\n", "artcle"},
		{"misspelt evidence", "rules:\n- id: x.y\n  article: 第七条\n  evidence: photos.reuse\n  checks:\n  - {severity: veto, when: Photos.Reused > 0, message: m}\n", `x.y: evidence "photos.reuse" is not a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "test.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOffDisablesACheck(t *testing.T) {
	src := strings.Replace(string(DefaultYAML()), "      - severity: fail\n        when: Photos.OutsideWindow > 0", "      - severity: off\n        when: Photos.OutsideWindow > 0", 1)
	s, err := Parse([]byte(src), "county.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := clean()
	f.Photos.OutsideWindow = 3
	if got, _ := s.Evaluate(f); len(got) != 0 {
		t.Fatalf("switched-off check still fired: %+v", got)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	s := Default()
	f := clean()
	f.Attendance.Rate = 0.6
	for b.Loop() {
		if _, err := s.Evaluate(f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDefaultEvidenceKeysUsed: every evidence key a default rule names is one the
// facts stage fills (the key list of the domain), and every key is used.
func TestDefaultEvidenceKeysUsed(t *testing.T) {
	used := map[string]bool{}
	for _, r := range Default().Rules {
		used[r.Evidence] = true
	}
	for _, k := range yanshou.EvidenceKeys {
		if !used[k] {
			t.Errorf("evidence key %q is filled by the facts stage but no default rule shows it", k)
		}
	}
}
