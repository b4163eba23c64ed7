package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/format/pdfdoc"
)

func TestReport(t *testing.T) {
	cfg := testConfig(t)
	noManifest := sampleResult(yanshou.Fail)
	noManifest.Submission.Class = nil
	noAttendance := sampleResult(yanshou.Pass)
	noAttendance.Attendance, noAttendance.Facts, noAttendance.Photos = nil, nil, nil
	tests := []struct {
		name   string
		r      *yanshou.Result
		want   []string
		unwant []string
	}{
		{"pass", sampleResult(yanshou.Pass), []string{
			"电子商务进农村综合示范培训验收报告", "验收结论：合格", "未发现不符合项", "商水县某某职业培训学校",
			"商电商办〔2026〕12号", "10电话回访/回访记录.xlsx", "已提交", "说明.txt",
			"编号：sx-2026-0310-mm3", "第 2 版", "2026年3月20日 10:30",
			hashOf("07学员名单/培训学员名单.xlsx"), hashOf("content"),
			"05现场照片/IMG_0002.jpg", "超出日期", "已核验", "无拍摄信息", "超出场地", "5230 米",
			"验收人（签字）", "负责人（签字）", "（印章） 商水县电子商务办公室 日期：", "第 1 页 共",
		}, []string{"缺失", "不合格", "盖章", "复核人"}},
		{"fail", sampleResult(yanshou.Fail), []string{
			"验收结论：不合格", "4．【不合格】第十一条 培训材料齐全", "1．【不合格】第三条 学员身份证号有效",
			"第三条（1 项）", "第七条（2 项）", "第十一条（1 项）", "2．【不合格】第七条 照片拍摄时间在培训日期内",
			"主要问题", "第十一条材料 10/11 项 结业人数 3/5 人（60%） 照片核验 2/4 张",
			"4．【不合格】第十一条：缺少第十一条规定的材料：电话回访记录。",
			"07学员名单/培训学员名单.xlsx 学员名单 8 身份证号以数字存储，精度已丢失",
			"05现场照片/IMG_0108.jpg", "…另有 4 条，详见考勤表", "【提示】第七条",
			"电话回访记录 缺失", "2026年4月4日", "60%（合格线 80%",
		}, []string{"05现场照片/IMG_0109.jpg", "materials.complete", "roster.ids_valid", "photos.time_window"}},
		{"veto", sampleResult(yanshou.Veto), []string{
			"验收结论：一票否决", "5．【一票否决】第十二条 照片非重复使用", "5．【一票否决】第十二条：合影照片与其他培训班", "5230 米 重复使用（同 某某学校第2",
			"原有参训人员重新进行培训",
		}, []string{"photos.reused"}},
		{"no manifest", noManifest, []string{"未提交或无法读取培训信息表", "验收结论：不合格"},
			[]string{"商电商办"}},
		{"no attendance or photos", noAttendance, []string{"未读取到培训学员名单或签到表", "未提交现场照片或合影照片"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, tt.r, cfg); err != nil {
				t.Fatalf("Report: %v", err)
			}
			text := checkReport(t, path, "report-"+tt.name, tt.want, tt.unwant)
			info := pdfTool(t, "pdfinfo", path)
			pages := ""
			for _, l := range strings.Split(info, "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
					pages = f[1]
				}
			}
			if !strings.Contains(text, "第 1 页 共 "+pages+" 页") || !strings.Contains(text, "第 "+pages+" 页 共 "+pages+" 页") {
				t.Errorf("footers do not count %s pages", pages)
			}
			for _, w := range []string{"Title:           电子商务进农村综合示范培训验收报告",
				"Author:          商水县电子商务办公室", "Keywords:        sx-2026-0310-mm3 v2", "Subject:         培训验收报告"} {
				if !strings.Contains(info, w) {
					t.Errorf("pdfinfo lacks %q:\n%s", w, info)
				}
			}
			if f := pdfTool(t, "pdffonts", path); !strings.Contains(f, "CID TrueType") || !strings.Contains(f, "yes yes") &&
				!strings.Contains(f, "yes no  yes") {
				t.Errorf("font not embedded:\n%s", f)
			}
		})
	}
}

func TestReportLongLists(t *testing.T) {
	cfg := testConfig(t)
	r := bigResult(50, 200)
	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, r, cfg); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, path)
	// The photo table spans pages and repeats its header on each of them.
	if n := strings.Count(squeeze(text), "序号 缩略图 文件 拍摄时间 距场地 状态"); n < 3 {
		t.Errorf("photo table header appears %d times, want one per page (≥3)", n)
	}
	for _, w := range []string{"05现场照片/P0200.jpg", "50．【不合格】"} {
		if !strings.Contains(squeeze(text), w) {
			t.Errorf("report lacks %q", w)
		}
	}
	// No line starts with a closing mark.
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimLeft(l, " ")
		if r, _ := utf8.DecodeRuneInString(l); l != "" && strings.ContainsRune("，。、；：？！）」", r) {
			t.Errorf("line starts with %q: %q", r, l)
		}
	}
}

// TestReportThumbnails: photos with readable files get an upright thumbnail in
// the photo table; the others keep a dash.
func TestReportThumbnails(t *testing.T) {
	r := sampleResult(yanshou.Pass)
	dir := t.TempDir()
	for i, o := range []int{1, 6} {
		path := filepath.Join(dir, fmt.Sprintf("p%d.jpg", i))
		os.WriteFile(path, mustMarked(t, 1200, 900, exifwrite.Tags{Orientation: o}), 0o644)
		for j := range r.Submission.Files {
			if r.Submission.Files[j].Rel == r.Photos[i].File {
				r.Submission.Files[j].Abs = path
			}
		}
	}
	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, r, testConfig(t)); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, im := range images(t, path) {
		if !strings.HasPrefix(im, "1200x") { // not the timeline
			got[im] = true
		}
	}
	if len(got) != 2 || !got["240x180"] || !got["180x240"] {
		t.Errorf("thumbnails %v, want 240x180 and (upright) 180x240", got)
	}
}

func TestArticleOrder(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"第三条", 3}, {"第十条", 10}, {"第十二条", 12}, {"第二十条", 20}, {"第二十三条", 23}, {"第7条", 7}, {"附则", 1000}}
	for _, tt := range tests {
		if got := articleNumber(tt.in); got != tt.want {
			t.Errorf("articleNumber(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestNotice(t *testing.T) {
	cfg := testConfig(t)
	noDeadline := sampleResult(yanshou.Fail)
	noDeadline.Deadline = yanshou.Date{}
	tests := []struct {
		name     string
		r        *yanshou.Result
		file     string
		want     []string
		unwanted []string
	}{
		{"pass", sampleResult(yanshou.Pass), "", nil, nil},
		{"fail", sampleResult(yanshou.Fail), FailNoticeName, []string{
			"商水县电子商务办公室", "整改通知书", "商水县某某职业培训学校：", "“农村电商实用技能培训班”（第3期",
			"2026年4月4日 前", "第十条、第十二", "（一）【不合格】第十一条：缺少第十一条规定的材料",
			"07学员名单/培训学员名单.xlsx 学员名单 8", "…另有 6 条，详见验收报告及考勤表",
			"二、其他提示", "无 EXIF 拍摄时间", hashOf("02批复/批复.pdf"), "第 1 页 共",
		}, []string{"一票否决"}},
		// Without a deadline from the pipeline: check day + rectify_days (15).
		{"fail without deadline", noDeadline, FailNoticeName, []string{"2026年4月4日 前"}, nil},
		{"veto", sampleResult(yanshou.Veto), VetoNoticeName, []string{
			"一票否决通知书", "验收结论为一票否决", "第十二条", "共 5 人", "由你单位承担",
			"一、一票否决事由", "06合影照片/合影.jpg", "二、其他问题", "须重新培训的原参训人员名单",
			"王小明 411623********1234", "城关乡 07学员名单/培训学员名单.xlsx〔学员名", "单〕第3行",
		}, []string{"411623199001011234"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			name, err := Notice(dir, tt.r, cfg)
			if err != nil {
				t.Fatalf("Notice: %v", err)
			}
			if name != tt.file {
				t.Fatalf("Notice chose %q, want %q", name, tt.file)
			}
			entries, _ := os.ReadDir(dir)
			if name == "" {
				if len(entries) != 0 {
					t.Errorf("a pass wrote %d files", len(entries))
				}
				return
			}
			if len(entries) != 1 {
				t.Errorf("wrote %d files, want 1 (no temporary left behind)", len(entries))
			}
			text := squeeze(pdfText(t, filepath.Join(dir, name)))
			for _, w := range tt.want {
				if !strings.Contains(text, squeeze(w)) {
					t.Errorf("notice lacks %q", w)
				}
			}
			for _, w := range tt.unwanted {
				if strings.Contains(text, w) {
					t.Errorf("notice has %q", w)
				}
			}
		})
	}
}

func TestAttendanceBook(t *testing.T) {
	cfg := testConfig(t)
	r := sampleResult(yanshou.Fail)
	path := filepath.Join(t.TempDir(), AttendanceName)
	if err := AttendanceBook(path, r, cfg); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got, want := strings.Join(x.GetSheetList(), ","), "考勤表,未匹配签到,问题清单,验收发现,来源文件"; got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	filtered := map[string]bool{}
	for _, d := range x.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filtered[d.Scope] = true
		}
	}
	for _, sheet := range x.GetSheetList() {
		if !filtered[sheet] {
			t.Errorf("sheet %s has no filter", sheet)
		}
	}
	cell := func(sheet, ref string) string {
		v, err := x.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typ := func(sheet, ref string) excelize.CellType {
		v, err := x.GetCellType(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		sheet, ref, want string
	}{
		{"考勤表", "A1", "商水县某某职业培训学校　农村电商实用技能培训班　第3期　考勤表"},
		{"考勤表", "F4", "3月10日上午"},
		{"考勤表", "H4", "3月12日上午"},
		{"考勤表", "I4", "出勤场次"},
		{"考勤表", "B5", "王小明"},
		{"考勤表", "C5", "411623199001011234"},
		{"考勤表", "F5", "√"}, {"考勤表", "G5", "√"}, {"考勤表", "H5", "√"},
		{"考勤表", "I5", "3"}, {"考勤表", "J5", "是"},
		{"考勤表", "F6", "√"}, {"考勤表", "H6", ""}, // 李二妮: sessions 1 and 2
		{"考勤表", "F8", ""}, {"考勤表", "G8", "√"}, {"考勤表", "J8", "否"}, // 孙桂兰: one session
		{"考勤表", "K9", "07学员名单/培训学员名单.xlsx〔学员名单〕第7行"},
		{"未匹配签到", "C2", "陌生人"}, {"未匹配签到", "F2", "名单外人员"},
		{"未匹配签到", "G2", "名单中无此身份证号、手机号或姓名"}, {"未匹配签到", "J2", "9"},
		{"未匹配签到", "F3", "无法确定"}, {"未匹配签到", "I3", "3月11日上午"},
		{"问题清单", "B2", "07学员名单/培训学员名单.xlsx"}, {"问题清单", "C2", "学员名单"}, {"问题清单", "D2", "8"},
		{"验收发现", "B2", "培训材料齐全"}, {"验收发现", "F4", "05现场照片/IMG_0101.jpg"},
		{"验收发现", "F15", "05现场照片/IMG_0112.jpg"},
		{"来源文件", "B2", "01申请报告/申请报告.pdf"}, {"来源文件", "E2", hashOf("01申请报告/申请报告.pdf")}, // natural order
	}
	for _, tt := range tests {
		if got := cell(tt.sheet, tt.ref); got != tt.want {
			t.Errorf("%s!%s = %q, want %q", tt.sheet, tt.ref, got, tt.want)
		}
	}
	// IDs are text, never numbers that lose digits.
	if typ("考勤表", "C6") == excelize.CellTypeNumber {
		t.Errorf("ID stored as a number")
	}
	if got := cell("考勤表", "C6"); got != "41162319920202222X" {
		t.Errorf("ID %q", got)
	}
	props, err := x.GetDocProps()
	if err != nil || props.Keywords != "sx-2026-0310-mm3 v2" || props.Creator != "商水县电子商务办公室" {
		t.Errorf("doc props %+v, %v", props, err)
	}
}

func TestAttendanceBookEmpty(t *testing.T) {
	r := sampleResult(yanshou.Pass)
	r.Submission.Class, r.Attendance, r.Facts, r.Findings = nil, nil, nil, nil
	path := filepath.Join(t.TempDir(), AttendanceName)
	if err := AttendanceBook(path, r, testConfig(t)); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for ref, want := range map[string]string{
		"考勤表!A1": "考勤表（编号 sx-2026-0310-mm3，未能读取培训信息表）", "考勤表!A5": "未读取到培训学员名单。",
		"未匹配签到!A2": "无", "问题清单!A2": "无", "验收发现!A2": "未发现不符合项。",
	} {
		sheet, c, _ := strings.Cut(ref, "!")
		if got, _ := x.GetCellValue(sheet, c); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
}

func TestMissingGlyphs(t *testing.T) {
	const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	tests := []struct {
		name      string
		fallbacks []string
		missing   string // characters reported missing
		want      []string
		fonts     int // fonts embedded
	}{
		{"no fallback", nil, "✓𠀀", []string{"编号 0123456789 有误 □ □ □", "U+2713、U+20000"}, 1},
		// DejaVu Sans has ✓ (but no CJK): it draws ✓, and 𠀀 is still reported.
		{"fallback font", []string{dejavu}, "𠀀", []string{"编号 0123456789 有误 ✓ □ ✓", "U+20000"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range tt.fallbacks {
				if _, err := os.Stat(f); err != nil {
					t.Skipf("%s not installed", f)
				}
			}
			saved, savedFB := fonts.Candidates, fonts.FallbackCandidates
			defer func() { fonts.Candidates, fonts.FallbackCandidates = saved, savedFB }()
			fonts.Candidates, fonts.FallbackCandidates = saved[:1], tt.fallbacks
			r := sampleResult(yanshou.Fail)
			r.Findings[0].Message = "编号 0123456789 有误 ✓ 𠀀 ✓"
			path := filepath.Join(t.TempDir(), ReportName)
			err := Report(path, r, testConfig(t))
			var mg *pdfdoc.MissingGlyphsError
			if !errors.As(err, &mg) {
				t.Fatalf("err = %v, want *pdfdoc.MissingGlyphsError", err)
			}
			if string(mg.Runes) != tt.missing || mg.Marker != '□' {
				t.Errorf("missing %q marker %q, want %q", string(mg.Runes), mg.Marker, tt.missing)
			}
			if !strings.Contains(err.Error(), "U+20000") {
				t.Errorf("error does not name the code points: %v", err)
			}
			text := squeeze(pdfText(t, path))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("report lacks %q", w)
				}
			}
			if n := strings.Count(pdfTool(t, "pdffonts", path), "CID TrueType"); n != tt.fonts {
				t.Errorf("%d fonts embedded, want %d", n, tt.fonts)
			}
		})
	}
}

func TestMissingFont(t *testing.T) {
	saved := fonts.Candidates
	fonts.Candidates = nil
	defer func() { fonts.Candidates = saved }()
	cfg := testConfig(t)
	cfg.Fonts = []string{filepath.Join(t.TempDir(), "none.ttf")}
	r := sampleResult(yanshou.Veto)
	dir := t.TempDir()
	if err := Report(filepath.Join(dir, ReportName), r, cfg); !errors.Is(err, fonts.ErrNoFont) {
		t.Errorf("Report: %v, want fonts.ErrNoFont", err)
	}
	if _, err := Notice(dir, r, cfg); !errors.Is(err, fonts.ErrNoFont) {
		t.Errorf("Notice: %v, want fonts.ErrNoFont", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written without a font: %d", len(entries))
	}
}

func TestTemplateOverride(t *testing.T) {
	tests := []struct {
		name, yaml, want, errWant string
	}{
		{"one key", "title: 某县培训验收报告（试行）\n", "某县培训验收报告（试行）", ""},
		{"bad placeholder", "verdict: \"结论：{{.Verdikt}}\"\n", "", "Verdikt"},
		{"unknown key", "titel: x\n", "", "titel"},
		{"emptied key", "title: \"\"\n", "", "title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over := t.TempDir()
			os.MkdirAll(filepath.Join(over, "report"), 0o755)
			os.WriteFile(filepath.Join(over, "report", "report.yaml"), []byte(tt.yaml), 0o644)
			cfg := testConfig(t)
			cfg.Templates = over
			path := filepath.Join(t.TempDir(), ReportName)
			err := Report(path, sampleResult(yanshou.Pass), cfg)
			if tt.errWant != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errWant) {
					t.Fatalf("err = %v, want one naming %q", err, tt.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			text := squeeze(pdfText(t, path))
			if !strings.Contains(text, tt.want) || !strings.Contains(text, "验收结论：合格") {
				t.Errorf("override not applied over the built-in wording")
			}
		})
	}
}

// TestConcurrent renders from several goroutines sharing the parsed font (run
// with -race).
func TestConcurrent(t *testing.T) {
	cfg := testConfig(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			v := []yanshou.Verdict{yanshou.Pass, yanshou.Fail, yanshou.Veto, yanshou.Fail}[i]
			r := sampleResult(v)
			r.Submission.Class.Teachers = "张某 ✓" // a fallback font's glyph, where one is installed
			errs[i] = Report(filepath.Join(dir, string(rune('a'+i))+".pdf"), r, cfg)
		})
	}
	wg.Wait()
	var mg *pdfdoc.MissingGlyphsError
	for i, err := range errs {
		if err != nil && !errors.As(err, &mg) {
			t.Errorf("render %d: %v", i, err)
		}
	}
	if text := pdfText(t, filepath.Join(dir, "c.pdf")); !strings.Contains(text, "一票否决") {
		t.Errorf("concurrent render lost text")
	}
}

func BenchmarkReport(b *testing.B) {
	cfg := testConfig(b)
	r := bigResult(50, 200)
	path := filepath.Join(b.TempDir(), ReportName)
	b.ReportAllocs()
	for b.Loop() {
		if err := Report(path, r, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNilResult(t *testing.T) {
	dir := t.TempDir()
	if err := Report(filepath.Join(dir, ReportName), nil, testConfig(t)); err == nil {
		t.Error("Report(nil) gave no error")
	}
	if err := AttendanceBook(filepath.Join(dir, AttendanceName), nil, testConfig(t)); err == nil {
		t.Error("AttendanceBook(nil) gave no error")
	}
	if _, err := Notice(dir, nil, testConfig(t)); err == nil {
		t.Error("Notice(nil) gave no error")
	}
	// A result without a submission still renders.
	r := sampleResult(yanshou.Fail)
	r.Submission = nil
	if err := Report(filepath.Join(dir, ReportName), r, testConfig(t)); err != nil {
		t.Errorf("Report without submission: %v", err)
	}
	if err := AttendanceBook(filepath.Join(dir, AttendanceName), r, testConfig(t)); err != nil {
		t.Errorf("AttendanceBook without submission: %v", err)
	}
}

// TestWriteAtomicReadable: outputs are readable by the office's other accounts
// (CreateTemp alone would leave them 0600).
func TestWriteAtomicReadable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := writeAtomic(p, []byte("x")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o044 != 0o044 {
		t.Errorf("mode %v: not readable by group and others", st.Mode().Perm())
	}
}

// TestReportPaperCheck: the 材料核对 table shows what the documents say beside
// the manifest, a tick where they agree, the difference marked, and a scan as
// not read.
func TestReportPaperCheck(t *testing.T) {
	cfg := testConfig(t)
	r := sampleResult(yanshou.Veto)
	r.Papers = []yanshou.Paper{
		{Kind: yanshou.Approval, File: "02批复.pdf", Page: 1, Read: true, Number: "商电商办〔2026〕21号", DateText: "2026年3月12日"},
		{Kind: yanshou.Notice, File: "03培训通知.pdf", Page: 1, Read: true, DateText: "2026年3月1日"},
		{Kind: yanshou.Summary, File: "11总结.jpg", Scan: true, Problem: "是图片（扫描件或照片），本机未识别其中的文字，请人工核对"},
	}
	if r.Facts == nil {
		r.Facts = &yanshou.Facts{}
	}
	r.Facts.Papers.ApprovalNoDiffers = true
	path := filepath.Join(t.TempDir(), ReportName)
	if err := Report(path, r, cfg); err != nil {
		t.Fatal(err)
	}
	text := squeeze(pdfText(t, path))
	for _, w := range []string{"材料核对", "商电商办〔2026〕21号", "× 不一致", "√ 一致", "未读取：是图片"} {
		if !strings.Contains(text, w) && !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(w, " ", "")) {
			t.Errorf("report lacks %q", w)
		}
	}
}
