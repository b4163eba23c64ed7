package county_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/output/county"
	"yanshou/pipeline/output/ledgerbook"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

var (
	sampleOnce  sync.Once
	sampleInbox string
	sampleErr   error
)

// TestMain removes the shared sample inbox after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if sampleInbox != "" {
		os.RemoveAll(filepath.Dir(sampleInbox))
	}
	os.Exit(code)
}

// sampleClass returns the folder of one class of the demo sample (written once
// per test binary), e.g. "商水县宏达职业培训学校/第1期".
func sampleClass(t *testing.T, dir string) string {
	t.Helper()
	sampleOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "yanshou-county-sample-")
		if err != nil {
			sampleErr = err
			return
		}
		sampleInbox = filepath.Join(tmp, "inbox")
		_, sampleErr = sample.Write(sampleInbox, 2026, config.Default())
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return filepath.Join(sampleInbox, filepath.FromSlash(dir))
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// edit changes a copy of a submission.
type edit func(t *testing.T, dir string)

// drop removes every file or folder whose name contains one of the words.
func drop(words ...string) edit {
	return func(t *testing.T, dir string) {
		var gone []string
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || p == dir {
				return err
			}
			for _, w := range words {
				if strings.Contains(d.Name(), w) {
					gone = append(gone, p)
					if d.IsDir() {
						return filepath.SkipDir
					}
				}
			}
			return nil
		})
		if len(gone) == 0 {
			t.Fatalf("nothing named %v under %s", words, dir)
		}
		for _, p := range gone {
			if err := os.RemoveAll(p); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// manifest replaces the submission's manifest with manifest.yaml.
func manifest(yaml string) edit {
	return func(t *testing.T, dir string) {
		drop("培训信息表")(t, dir)
		if err := os.WriteFile(filepath.Join(dir, "manifest.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// step checks one submission (a copy of a sample class, edited) at a given time.
type step struct {
	from    string // sample class
	edits   []edit
	at      string // check time, 2006-01-02
	verdict yanshou.Verdict
	notice  string // expected notice file in its outputs ("" for a pass)
}

// vetoedEarlier is 农商 第1期's roster in an earlier class held before its
// approval (一票否决), without photos: the later 第1期 retrains the same people.
const vetoedEarlier = `institution: 周口市农商电子商务培训中心
title: 电子商务进农村创业培训班
class: 第0期
start: 2026-02-02
end: 2026-02-03
venue: 商水县电子商务公共服务中心
applied: 2026-01-10
approval_no: 商电商办〔2026〕3号
approved: 2026-02-06
planned: 36
teachers: 郭佳琪（讲师）
`

// TestCycle walks classes through the rectification cycle of 第十条 and 第十二条
// with the real pipeline: the ledger's standings, the notices, the 台账 rows,
// the county summary and the inspection form.
func TestCycle(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	tests := []struct {
		name   string
		steps  []step
		today  string                   // the day standings are computed
		want   map[string]yanshou.State // class → standing
		inst   string                   // institution for the inspection form
		inForm []string                 // text the inspection form must hold
	}{
		{
			name: "fail then rectified pass",
			steps: []step{
				{from: "商水县宏达职业培训学校/第1期", edits: []edit{drop("情况总结")}, at: "2026-03-20", verdict: yanshou.Fail, notice: "整改通知书.pdf"},
				{from: "商水县宏达职业培训学校/第1期", at: "2026-03-28", verdict: yanshou.Pass},
			},
			today: "2026-04-30",
			want:  map[string]yanshou.State{"第1期": yanshou.StateRectified},
			inst:  "商水县宏达职业培训学校", inForm: []string{"第1期", "整改后合格", "无未完成整改事项"},
		},
		{
			name: "fail, deadline passes",
			steps: []step{
				{from: "商水县巾帼电商创业服务站/巾帼电商第二期", edits: []edit{drop("总结")}, at: "2026-05-25", verdict: yanshou.Fail, notice: "整改通知书.pdf"},
			},
			today: "2026-06-20", // deadline 2026-06-09
			want:  map[string]yanshou.State{"第2期": yanshou.StateOverdue},
			inst:  "商水县巾帼电商创业服务站", inForm: []string{"第2期", "逾期未整改", "2026-06-09"},
		},
		{
			name: "fail, before the deadline",
			steps: []step{
				{from: "商水县巾帼电商创业服务站/巾帼电商第二期", edits: []edit{drop("总结")}, at: "2026-05-25", verdict: yanshou.Fail, notice: "整改通知书.pdf"},
			},
			today: "2026-06-09",
			want:  map[string]yanshou.State{"第2期": yanshou.StateRectify},
			inst:  "巾帼", inForm: []string{"待整改", "整改期限 2026-06-09"},
		},
		{
			name: "veto then retraining class passes",
			steps: []step{
				{from: "周口市农商电子商务培训中心/2026年第1期培训资料", edits: []edit{drop(".jpg", ".JPG", ".jpeg"), manifest(vetoedEarlier)}, at: "2026-02-10", verdict: yanshou.Veto, notice: "一票否决通知书.pdf"},
				{from: "周口市农商电子商务培训中心/2026年第1期培训资料", at: "2026-03-08", verdict: yanshou.Pass},
			},
			today: "2026-04-01",
			want:  map[string]yanshou.State{"第0期": yanshou.StateRetrained, "第1期": yanshou.StateArchived},
			inst:  "农商", inForm: []string{"第0期", "一票否决", "已重训合格", "合格归档"},
		},
		{
			name: "veto, not yet retrained",
			steps: []step{
				{from: "周口市农商电子商务培训中心/2026年第1期培训资料", edits: []edit{drop(".jpg", ".JPG", ".jpeg"), manifest(vetoedEarlier)}, at: "2026-02-10", verdict: yanshou.Veto, notice: "一票否决通知书.pdf"},
			},
			today: "2026-04-01",
			want:  map[string]yanshou.State{"第0期": yanshou.StateVetoed},
			inst:  "农商", inForm: []string{"已否决待重训", "二、未完成整改事项"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			work := t.TempDir()
			outbox := filepath.Join(work, "outbox")
			p, err := pipeline.Open(cfg, rules.Default(), outbox, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			for i, s := range tt.steps {
				dir := filepath.Join(work, "inbox", strings.ReplaceAll(s.from, "/", "_")+"_"+string(rune('a'+i)))
				copyDir(t, sampleClass(t, s.from), dir)
				for _, e := range s.edits {
					e(t, dir)
				}
				at := day(t, s.at, cfg.Location).Add(10 * time.Hour)
				p.Now = func() time.Time { return at }
				rep, err := p.Check(context.Background(), dir, pipeline.CheckOptions{})
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				if rep.Verdict != s.verdict {
					t.Fatalf("step %d: verdict %s, want %s; findings %+v", i+1, rep.Verdict, s.verdict, rep.Findings)
				}
				notice := ""
				for _, o := range rep.Outputs {
					if strings.Contains(o, "通知书") {
						notice = o
					}
				}
				if filepath.Base(notice) != s.notice && !(notice == "" && s.notice == "") {
					t.Errorf("step %d: notice %q, want %q", i+1, notice, s.notice)
				}
				if s.verdict == yanshou.Fail {
					want := yanshou.Date{Time: day(t, s.at, cfg.Location).AddDate(0, 0, cfg.Thresholds.RectifyDays)}.Chinese()
					if txt := pdfText(t, abs(outbox, notice)); !strings.Contains(txt, want) {
						t.Errorf("step %d: 整改通知书 does not give the deadline %s:\n%s", i+1, want, txt)
					}
				}
			}

			today := day(t, tt.today, cfg.Location).Add(12 * time.Hour)
			classes, err := p.Ledger.Classes(today, cfg.Location, cfg.Thresholds.AttendancePass)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]yanshou.State{}
			for _, c := range classes {
				got[c.Class] = c.State
			}
			for class, want := range tt.want {
				if got[class] != want {
					t.Errorf("%s: standing %q, want %q (all: %v)", class, got[class], want, got)
				}
			}

			// 台账.xlsx: the 当前状态 column of each class.
			book := filepath.Join(outbox, "台账.xlsx")
			if err := ledgerbook.Write(book, &ledgerbook.Book{Classes: classes, Outbox: outbox, Today: today}, cfg); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(book)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("全部班次")
			f.Close()
			if len(rows) != 3+len(classes) {
				t.Errorf("台账 has %d class rows, want %d", len(rows)-3, len(classes))
			}
			for _, r := range rows[3:] {
				if want, ok := tt.want[r[2]]; ok && !strings.HasPrefix(r[13], string(want)) {
					t.Errorf("台账 row of %s: state %q, want %q", r[2], r[13], want)
				}
			}

			// The county summary and the inspection form.
			summary := filepath.Join(outbox, county.CountyFile)
			if err := county.WriteCounty(summary, county.Summarize(classes, today, cfg.Location), cfg); err != nil {
				t.Fatal(err)
			}
			txt := pdfText(t, summary)
			for _, want := range []string{"商水县电子商务进农村培训验收汇总", "各月培训班次", strconv.Itoa(len(classes))} {
				if !strings.Contains(txt, want) {
					t.Errorf("全县汇总.pdf lacks %q:\n%s", want, txt)
				}
			}
			open := false
			for _, s := range tt.want {
				open = open || s == yanshou.StateRectify || s == yanshou.StateOverdue || s == yanshou.StateVetoed
			}
			if inst := classes[0].Institution; open != strings.Contains(txt, inst) {
				t.Errorf("全县汇总.pdf: institution %s listed = %v, want %v:\n%s", inst, !open, open, txt)
			}
			var mine []yanshou.ClassRecord
			for _, c := range classes {
				if strings.Contains(c.Institution, tt.inst) {
					mine = append(mine, c)
				}
			}
			form := filepath.Join(outbox, county.InspectionFile("x"))
			if err := county.WriteInspection(form, &county.Inspection{Institution: mine[0].Institution, Classes: mine, Today: today}, cfg); err != nil {
				t.Fatal(err)
			}
			txt = pdfText(t, form)
			for _, want := range append([]string{"电子商务培训检查记录表", mine[0].Institution, "检查人（签字）", "被检查单位负责人（签字）"}, tt.inForm...) {
				if !strings.Contains(txt, want) {
					t.Errorf("检查记录表 lacks %q:\n%s", want, txt)
				}
			}
			checkFonts(t, form)
		})
	}
}

func day(t *testing.T, s string, loc *time.Location) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func abs(outbox, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return filepath.Join(outbox, p)
}

// pdfText extracts a PDF's text with pdftotext, spaces removed (CJK text may
// come out with spaces between runs).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// checkFonts: every font of the PDF is embedded TrueType with a ToUnicode map.
func checkFonts(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Skipf("pdffonts: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", out)
	}
	for _, l := range lines[2:] {
		if !strings.Contains(l, "CID TrueType") || !strings.Contains(l, "Identity-H") || !strings.Contains(l, " yes ") {
			t.Errorf("font not embedded CID TrueType: %s", l)
		}
	}
}
