package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/roster"
	"yanshou/pipeline/testkit/papersheet"
)

// TestPaperSignIns: a passing sample class gets the scanned paper sheet of its
// first session with a third of the boxes empty while the xlsx says all came:
// a fail naming each such trainee with the page and row, in page order. (That
// the paper's rows count like typed ones is pipeline/stage/paper's and
// roster.UsePaper's tests; a whole second check here would double the time.)
func TestPaperSignIns(t *testing.T) {
	inbox, cases := writeSample(t)
	if cases[0].Verdict != yanshou.Pass {
		t.Fatalf("the first sample class is expected to pass: %+v", cases[0])
	}
	cfg := config.Default()
	class := filepath.Join(inbox, cases[0].Dir)
	rosters, _ := filepath.Glob(filepath.Join(class, "07*", "*.xlsx"))
	if len(rosters) != 1 {
		t.Fatalf("roster files %v", rosters)
	}
	a := roster.Read([]yanshou.File{{Rel: "名单.xlsx", Abs: rosters[0]}}, nil, nil, nil, cfg)
	keys := make([]string, len(a.Trainees))
	for i, tr := range a.Trainees {
		keys[i] = tr.ID
	}
	const session = "2026-03-10 上午"
	sheet := func(dir string, empty func(k int) bool) {
		rnd := rand.New(rand.NewPCG(9, 9))
		var pages [][]byte
		for _, p := range signform.Plan("x", session, keys, 5) {
			pg := papersheet.Page{Payload: p, Fills: make([]papersheet.Fill, p.Rows+p.Blank), WalkIn: make([]bool, p.Rows+p.Blank)}
			for i := 0; i < p.Rows; i++ {
				if !empty(p.First + i) {
					pg.Fills[i] = papersheet.Signature
				}
			}
			pages = append(pages, papersheet.JPEG(papersheet.Scan(rnd, papersheet.Render(rnd, pg, 6), 6)))
		}
		if err := papersheet.ScanPDF(filepath.Join(dir, "08签到表", "签到表扫描件.pdf"), pages); err != nil {
			t.Fatal(err)
		}
	}
	p := open(t, filepath.Join(t.TempDir(), "outbox"))

	third := filepath.Join(t.TempDir(), "三分之一未签")
	copyDir(t, class, third)
	sheet(third, func(k int) bool { return k%3 == 0 })
	rep, err := p.Check(context.Background(), third, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var f *yanshou.Finding
	for i := range rep.Findings {
		if rep.Findings[i].Rule == "attendance.paper_empty" {
			f = &rep.Findings[i]
		}
	}
	if rep.Attendance.Sessions != 6 {
		t.Errorf("%d sessions, want the sample's 6", rep.Attendance.Sessions)
	}
	if rep.Verdict != yanshou.Fail || f == nil || f.Severity != yanshou.SevFail {
		t.Fatalf("a third empty: verdict %v, finding %+v", rep.Verdict, f)
	}
	want := (len(keys) + 2) / 3
	if !strings.Contains(f.Message, fmt.Sprintf("有 %d 人次", want)) || len(f.Evidence) != want {
		t.Errorf("finding %q with %d evidence lines, want %d", f.Message, len(f.Evidence), want)
	}
	e := f.Evidence[0]
	if !strings.Contains(e.File, "签到表扫描件.pdf") || !strings.Contains(e.Sheet, "签到表第1页") || e.Row != 1 || !strings.Contains(e.Detail, a.Trainees[0].Name) {
		t.Errorf("evidence %+v: want the scan, page 1, row 1, %s", e, a.Trainees[0].Name)
	}

	// The report's 签字核对 shows every box read, as a 120×17 grey crop.
	var report string
	for _, o := range rep.Outputs {
		if strings.HasSuffix(o, "验收报告.pdf") {
			report = o
		}
	}
	if report == "" {
		t.Fatalf("no report among %v", rep.Outputs)
	}
	text, err := exec.Command("pdftotext", report, "-").Output()
	if err != nil || !strings.Contains(string(text), "签字核对") || !strings.Contains(string(text), a.Trainees[0].Name+"（第") {
		t.Errorf("report without its 签字核对 (%v)", err)
	}
	list, err := exec.Command("pdfimages", "-list", report).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(list), " 120    17 "); n != len(keys) {
		t.Errorf("%d crops in the report, want one a trainee (%d)", n, len(keys))
	}
	if st, err := os.Stat(report); err == nil {
		t.Logf("report with 签字核对 of %d boxes: %d bytes", len(keys), st.Size())
	}
}
