// Command mkfixture writes the small ledger of testdata/ordinals-v3/ledger.db that
// the kind-code migration is tested on. It was run once at commit 42ac429, when
// MaterialKind was still an iota ordinal and the ledger stored it as an integer:
//
//	git checkout 42ac429 && go run ./pipeline/store/ledger/testdata/mkfixture DIR
//
// It lives under testdata/ so that `go build ./...` and `go vet ./...` skip it; run
// at a later commit it would write kind codes, not the ordinals the test needs.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkfixture DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// every kind of today's code, Other and Manifest included, one file each.
var kinds = []struct {
	rel  string
	kind yanshou.MaterialKind
}{
	{"00培训信息表.xlsx", yanshou.Manifest},
	{"01申请报告.pdf", yanshou.Application},
	{"02批复.pdf", yanshou.Approval},
	{"03培训通知.pdf", yanshou.Notice},
	{"04培训课件/第1讲.pptx", yanshou.Courseware},
	{"05现场照片/IMG_0001.jpg", yanshou.SitePhotos},
	{"06合影照片/合影.jpg", yanshou.GroupPhoto},
	{"07培训学员名单.xlsx", yanshou.Roster},
	{"08签到表.xlsx", yanshou.SignInSheets},
	{"09培训内容.pdf", yanshou.Content},
	{"10电话回访记录.xlsx", yanshou.FollowUp},
	{"11情况总结.pdf", yanshou.Summary},
	{"说明.txt", yanshou.Other},
}

func run(dir string) error {
	l, err := ledger.Open(dir)
	if err != nil {
		return err
	}
	defer l.Close()
	base := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	classes := []struct {
		inst, class, start string
		verdicts           []yanshou.Verdict // one version each
		drop               int               // files left out of the first version (from the end)
	}{
		{"商水县宏达职业培训学校", "第1期", "2026-03-10", []yanshou.Verdict{yanshou.Pass}, 0},
		{"商水县巾帼电商创业服务站", "第1期", "2026-03-24", []yanshou.Verdict{yanshou.Fail, yanshou.Pass}, 3},
		{"周口市农商电子商务培训中心", "第3期", "2026-04-21", []yanshou.Verdict{yanshou.Veto}, 0},
	}
	for ci, c := range classes {
		d, _ := time.Parse("2006-01-02", c.start)
		info := &yanshou.ClassInfo{Institution: c.inst, Class: c.class, Title: c.inst + c.class,
			Start: yanshou.Date{Time: d}, End: yanshou.Date{Time: d.AddDate(0, 0, 2)}, Venue: "商水县电商中心"}
		id := ledger.SubmissionID(info, "inbox/"+c.inst)
		for vi, verdict := range c.verdicts {
			now := base.Add(time.Duration(ci*10+vi) * time.Hour)
			n := len(kinds)
			if vi == 0 {
				n -= c.drop
			}
			var files []yanshou.File
			for i, k := range kinds[:n] {
				files = append(files, yanshou.File{Rel: k.rel, Size: int64(100 + i),
					SHA256: fmt.Sprintf("%064x", ci*1000+vi*100+i), Kind: k.kind})
			}
			content := fmt.Sprintf("%064x", 0xC0000+ci*10+vi)
			v, err := l.Claim(id, info, content, "inbox/"+c.inst, now)
			if err != nil {
				return err
			}
			facts := &yanshou.Facts{}
			facts.Attendance.Approved, facts.Attendance.Trained, facts.Attendance.Sessions = 3, 2, 2
			facts.Photos.Total, facts.Photos.Verified = 2, 2
			var findings []yanshou.Finding
			switch verdict {
			case yanshou.Fail:
				facts.Materials.Missing, facts.Materials.MissingNames = 2, "电话回访记录、情况总结"
				findings = append(findings, yanshou.Finding{Rule: "materials.complete", Article: "第十一条",
					Severity: yanshou.SevFail, Message: "缺少材料：电话回访记录、情况总结"})
			case yanshou.Veto:
				findings = append(findings, yanshou.Finding{Rule: "timeline.approved_before_start", Article: "第七条",
					Severity: yanshou.SevVeto, Message: "批复日期晚于开班日期"})
			}
			r := &yanshou.Result{ID: id, Version: v.Version, CheckedAt: now, Verdict: verdict, Findings: findings, Facts: facts,
				Submission: &yanshou.Submission{Origin: "inbox/" + c.inst, Class: info, Files: files, ContentHash: content},
				Photos: []yanshou.Photo{{File: kinds[5].rel, Kind: kinds[5].kind, Hash: uint64(0xF0F0 + ci)},
					{File: kinds[6].rel, Kind: kinds[6].kind, Hash: uint64(0x0F0F + ci)}},
				Attendance: &yanshou.Attendance{Trainees: []yanshou.Trainee{
					{Name: "张三", ID: fmt.Sprintf("41162319900101%03d4", ci), Trained: true, Poor: true, Local: true},
					{Name: "李四", ID: fmt.Sprintf("41162319910101%03d4", ci), Trained: true, Category: "返乡青年"},
					{Name: "王五", ID: fmt.Sprintf("41162319920101%03d4", ci), Trained: false}}}}
			if verdict == yanshou.Fail {
				r.Deadline = yanshou.Date{Time: d.AddDate(0, 1, 0)}
			}
			out := fmt.Sprintf("%s_%s_%s_v%d", c.inst, c.class, c.start, v.Version)
			r.Outputs = []string{"outbox/" + out + "/verdict.json"}
			rep := r.Report()
			js, err := jsonOf(rep)
			if err != nil {
				return err
			}
			if err := l.Complete(v, r, out, js, now); err != nil {
				return err
			}
			if verdict == yanshou.Pass && ci == 0 { // two copies of the first class's archive
				for i, holder := range []string{"县电商办", "培训机构"} {
					if err := l.RecordArchive(ledger.Archive{SHA256: fmt.Sprintf("%064x", 0xA0000+ci*10+i), ContentHash: content,
						Holder: holder, Copy: i + 1, Of: 2, Path: out + "/归档-" + holder + ".pdf", Size: 4096,
						Files: files, Created: now}); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
