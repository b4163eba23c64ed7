package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

func ptr[T any](v T) *T { return &v }

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func date(s string) yanshou.Date {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		panic(err)
	}
	return yanshou.Date{Time: t}
}

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// testConfig is the built-in county config.
func testConfig(t testing.TB) *yanshou.Config {
	t.Helper()
	return config.Default()
}

// sampleResult builds, by hand, what the pipeline would produce for one class.
func sampleResult(v yanshou.Verdict) *yanshou.Result {
	files := []yanshou.File{
		{Rel: "培训信息表.xlsx", Kind: yanshou.Manifest},
		{Rel: "01申请报告/申请报告.pdf", Kind: yanshou.Application},
		{Rel: "02批复/批复.pdf", Kind: yanshou.Approval},
		{Rel: "03培训通知/通知.docx", Kind: yanshou.Notice},
		{Rel: "04培训课件/第一讲 网店运营.pptx", Kind: yanshou.Courseware},
		{Rel: "05现场照片/IMG_0001.jpg", Kind: yanshou.SitePhotos},
		{Rel: "05现场照片/IMG_0002.jpg", Kind: yanshou.SitePhotos},
		{Rel: "05现场照片/IMG_0003.jpg", Kind: yanshou.SitePhotos},
		{Rel: "06合影照片/合影.jpg", Kind: yanshou.GroupPhoto},
		{Rel: "07学员名单/培训学员名单.xlsx", Kind: yanshou.Roster},
		{Rel: "08签到表/签到表.xlsx", Kind: yanshou.SignInSheets},
		{Rel: "09培训内容/课程安排.docx", Kind: yanshou.Content},
		{Rel: "11情况总结/总结.docx", Kind: yanshou.Summary},
		{Rel: "说明.txt", Kind: yanshou.Other},
	}
	if v == yanshou.Pass {
		files = append(files, yanshou.File{Rel: "10电话回访/回访记录.xlsx", Kind: yanshou.FollowUp})
	}
	for i := range files {
		files[i].Size = int64(1000 * (i + 1))
		files[i].SHA256 = hashOf(files[i].Rel)
	}
	class := &yanshou.ClassInfo{
		Source: "培训信息表.xlsx", Institution: "商水县某某职业培训学校", Title: "农村电商实用技能培训班",
		Class: "第3期", Start: date("2026-03-10"), End: date("2026-03-12"), Venue: "商水县电子商务公共服务中心",
		Applied: date("2026-02-20"), ApprovalNo: "商电商办〔2026〕12号", Approved: date("2026-02-28"),
		Planned: 5, Teachers: "张某（讲师）、李某（副教授）",
	}
	trainees := []yanshou.Trainee{
		{Name: "王小明", ID: "411623199001011234", Phone: "13800000001", Town: "城关乡", Row: 3},
		{Name: "李二妮", ID: "41162319920202222X", Phone: "13800000002", Town: "练集镇", Row: 4},
		{Name: "赵铁柱", ID: "411623198503033456", Phone: "13800000003", Town: "魏集镇", Row: 5},
		{Name: "孙桂兰", ID: "411623197704044567", Phone: "13800000004", Town: "黄寨镇", Row: 6},
		{Name: "周建国", ID: "411623196605055678", Phone: "13800000005", Town: "邓城镇", Row: 7},
	}
	sessions := []string{"3月10日上午", "3月11日上午", "3月12日上午"}
	attended := [][]int{{0, 1, 2}, {0, 1}, {0, 2}, {1}, {}}
	var signins []yanshou.SignIn
	for ti, ss := range attended {
		trainees[ti].File, trainees[ti].Sheet = "07学员名单/培训学员名单.xlsx", "学员名单"
		trainees[ti].Sessions = len(ss)
		trainees[ti].Trained = len(ss) >= 2
		for _, s := range ss {
			signins = append(signins, yanshou.SignIn{Session: sessions[s], Name: trainees[ti].Name,
				ID: trainees[ti].ID, File: "08签到表/签到表.xlsx", Sheet: sessions[s], Row: ti + 3,
				Match: yanshou.Matched, Trainee: ti, Reason: "身份证号一致"})
		}
	}
	signins = append(signins,
		yanshou.SignIn{Session: sessions[0], Name: "陌生人", Phone: "13900000009", File: "08签到表/签到表.xlsx",
			Sheet: sessions[0], Row: 9, Match: yanshou.WalkIn, Trainee: -1, Reason: "名单中无此身份证号、手机号或姓名"},
		yanshou.SignIn{Session: sessions[1], Name: "王小明", File: "08签到表/签到表.xlsx",
			Sheet: sessions[1], Row: 10, Match: yanshou.Ambiguous, Trainee: -1, Reason: "仅有姓名，名单中有 2 人同名"},
	)
	att := &yanshou.Attendance{
		Trainees: trainees, SignIns: signins, Sessions: sessions,
		FollowUps: []yanshou.FollowUpCall{{Name: "王小明", Phone: "13800000001", File: "10电话回访/回访记录.xlsx", Row: 2, Trainee: 0}},
		Problems: []yanshou.Evidence{{File: "07学员名单/培训学员名单.xlsx", Sheet: "学员名单", Row: 8,
			Detail: "身份证号以数字存储，精度已丢失：4.11623199001011E+17"}},
	}
	day := func(d, h int) *time.Time { t := time.Date(2026, 3, d, h, 15, 0, 0, shanghai); return &t }
	photos := []yanshou.Photo{
		{File: "05现场照片/IMG_0001.jpg", Taken: day(10, 9), InWindow: ptr(true), DistanceM: ptr(120.4), InVenue: ptr(true), InCounty: ptr(true)},
		{File: "05现场照片/IMG_0002.jpg", Taken: day(20, 9), InWindow: ptr(false), DistanceM: ptr(80.0), InVenue: ptr(true), InCounty: ptr(true)},
		{File: "05现场照片/IMG_0003.jpg"},
		{File: "06合影照片/合影.jpg", Taken: day(12, 16), InWindow: ptr(true), DistanceM: ptr(5230.0), InVenue: ptr(false), InCounty: ptr(true)},
	}
	var findings []yanshou.Finding
	switch v {
	case yanshou.Fail, yanshou.Veto:
		var many []yanshou.Evidence
		for i := 1; i <= 12; i++ {
			many = append(many, yanshou.Evidence{File: fmt.Sprintf("05现场照片/IMG_%04d.jpg", i+100),
				Detail: "拍摄于 2026-03-20 09:15，超出培训日期"})
		}
		findings = append(findings,
			yanshou.Finding{Rule: "materials.complete", Article: "第十一条", Severity: yanshou.SevFail,
				Message: "缺少第十一条规定的材料：电话回访记录。", Evidence: nil},
			yanshou.Finding{Rule: "roster.ids_valid", Article: "第三条", Severity: yanshou.SevFail,
				Message: "培训学员名单中有 1 个身份证号无效（校验位、出生日期或长度不符，或以数字存储丢失精度）。",
				Evidence: []yanshou.Evidence{{File: "07学员名单/培训学员名单.xlsx", Sheet: "学员名单", Row: 8,
					Detail: "身份证号以数字存储，精度已丢失"}}},
			yanshou.Finding{Rule: "photos.time_window", Article: "第七条", Severity: yanshou.SevFail,
				Message: "有 12 张现场照片的拍摄时间不在培训日期内（含前后 2 小时）。", Evidence: many},
			yanshou.Finding{Rule: "photos.unverifiable", Article: "第七条", Severity: yanshou.Warning,
				Message:  "1 张照片没有拍摄时间信息，无法核验。",
				Evidence: []yanshou.Evidence{{File: "05现场照片/IMG_0003.jpg", Detail: "无 EXIF 拍摄时间"}}},
		)
	}
	if v == yanshou.Veto {
		findings = append([]yanshou.Finding{{Rule: "photos.reused", Article: "第十二条", Severity: yanshou.SevVeto,
			Message:  "合影照片与其他培训班提交的照片为同一张图片。",
			Evidence: []yanshou.Evidence{{File: "06合影照片/合影.jpg", Detail: "与 某某学校第2期/合影照片/合影.jpg 相同（差异 2/64 位）"}}}},
			findings...)
		photos[3].ReusedOf = "某某学校第2期/合影照片/合影.jpg"
	}
	facts := &yanshou.Facts{
		Attendance: yanshou.AttendanceFacts{Approved: 5, Trained: 3, WalkIns: 1, Sessions: 3, Rate: 0.6,
			SignInRows: len(signins), Ambiguous: 1},
		FollowUp: yanshou.FollowUpFacts{Calls: 1, Matched: 1, Share: 1.0 / 3},
		Photos: yanshou.PhotoFacts{Total: 4, OnSite: 3, Group: 1, Verified: 2, NoExif: 1, OutsideWindow: 1,
			OutsideVenue: 1, Reused: 0},
	}
	// Findings carry their rule's title as rules.Evaluate gives it.
	titles := map[string]string{}
	for _, rule := range rules.Default().Rules {
		titles[rule.ID] = rule.Title
	}
	for i := range findings {
		findings[i].Title = titles[findings[i].Rule]
	}
	r := &yanshou.Result{
		Submission: &yanshou.Submission{Origin: "inbox/某某培训学校/第3期", Root: "/tmp/x", Files: files,
			Class: class, ContentHash: hashOf("content")},
		ID: "sx-2026-0310-mm3", Version: 2, CheckedAt: time.Date(2026, 3, 20, 10, 30, 0, 0, shanghai),
		Verdict: v, Findings: findings, Photos: photos, Attendance: att, Facts: facts,
	}
	if v == yanshou.Fail {
		r.Deadline = date("2026-04-04")
	}
	return r
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// pdfTool runs a poppler tool and returns its output.
func pdfTool(t testing.TB, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", tool, args, err, out)
	}
	return string(out)
}

// squeeze removes the spaces pdftotext -layout puts between table cells.
// checkReport checks that the PDF at path holds every text of want and none of
// unwant, and returns its text with spaces squeezed; with YANSHOU_ARTEFACTS set
// it also writes its pages there as PNGs named after name, for a person to look at.
func checkReport(t *testing.T, path, name string, want, unwant []string) string {
	t.Helper()
	if dir := os.Getenv("YANSHOU_ARTEFACTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		pdfTool(t, "pdftoppm", "-r", "50", "-png", path, filepath.Join(dir, strings.ReplaceAll(name, " ", "-")))
	}
	text := squeeze(pdfText(t, path))
	for _, w := range want {
		if !strings.Contains(text, squeeze(w)) {
			t.Errorf("report lacks %q", w)
		}
	}
	for _, w := range unwant {
		if strings.Contains(text, w) {
			t.Errorf("report has %q", w)
		}
	}
	return text
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// bigResult is a fail with nf findings (each with 20 pieces of evidence) and np
// on-site photos.
func bigResult(nf, np int) *yanshou.Result {
	r := sampleResult(yanshou.Fail)
	r.Findings = nil
	for i := 0; i < nf; i++ {
		var ev []yanshou.Evidence
		for j := 0; j < 20; j++ {
			ev = append(ev, yanshou.Evidence{File: "08签到表/签到表.xlsx", Sheet: "3月10日上午", Row: j + 3,
				Detail: fmt.Sprintf("第 %d 行的手机号与名单第 %d 行不一致，疑似代签；请核对原始签到记录。", j+3, j+5)})
		}
		r.Findings = append(r.Findings, yanshou.Finding{Rule: "attendance.walk_ins", Article: "第三条",
			Severity: yanshou.SevFail, Evidence: ev,
			Message: fmt.Sprintf("第 %d 项：签到表中有不在批准名单上的人员签到，培训对象须严格按照“有意愿、有能力、有条件、有经验”的原则审核报名，杜绝不设条件、只为完成培训任务的现象。", i+1)})
	}
	r.Photos = nil
	for i := 0; i < np; i++ {
		rel := fmt.Sprintf("05现场照片/P%04d.jpg", i+1)
		t := time.Date(2026, 3, 10+i%3, 9+i%8, i%60, 0, 0, shanghai)
		p := yanshou.Photo{File: rel, Taken: &t, InWindow: ptr(i%7 != 0), DistanceM: ptr(float64(i * 13)),
			InVenue: ptr(i*13 < 800), InCounty: ptr(true)}
		if i%11 == 0 {
			p.Taken, p.InWindow, p.DistanceM, p.InVenue = nil, nil, nil, nil
		}
		r.Photos = append(r.Photos, p)
		r.Submission.Files = append(r.Submission.Files, yanshou.File{Rel: rel, Kind: yanshou.SitePhotos,
			Size: 2 << 20, SHA256: hashOf(rel)})
	}
	return r
}

// mustMarked is exifwrite.Marked, failing the test on an error.
func mustMarked(t testing.TB, w, h int, tags exifwrite.Tags) []byte {
	t.Helper()
	b, err := exifwrite.Marked(w, h, tags)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
