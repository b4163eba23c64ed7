package rules

import (
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/config"
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
		{"approval late", func(f *yanshou.Facts) { f.Timeline.ApprovedBeforeStart, f.Timeline.DaysLate = false, 3 },
			"timeline.approved_before_start", yanshou.SevVeto, "晚于培训开始日期 3 天", yanshou.Veto},
		{"attendance below pass", func(f *yanshou.Facts) { f.Attendance.Trained, f.Attendance.Rate = 24, 0.6 },
			"attendance.rate", yanshou.SevFail, "为批准人数 40 人的 60%，低于 80%", yanshou.Fail},
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
		{"follow-ups short", func(f *yanshou.Facts) { f.FollowUp.Matched, f.FollowUp.Share = 1, 1.0/38 },
			"followup.coverage", yanshou.SevFail, "低于 10%", yanshou.Fail},
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
