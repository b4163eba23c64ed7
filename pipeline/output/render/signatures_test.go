package render

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
)

// cropPNG is a grey signature box 120×17 with a stroke of its own (seed) so
// that no two crops are the same picture.
func cropPNG(t testing.TB, seed int) []byte {
	t.Helper()
	g := image.NewGray(image.Rect(0, 0, 120, 17))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	for x := 10; x < 60+seed%50; x++ {
		g.Pix[(4+(x*seed)%9)*g.Stride+x] = 20
	}
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withPaper gives r paper boxes: every trainee in every session (the first
// empty in the second session, the second unsure in the third) and one walk-in.
func withPaper(t testing.TB, r *yanshou.Result) int {
	n := 0
	for s, session := range r.Attendance.Sessions {
		for k := range r.Attendance.Trainees {
			st := yanshou.BoxSigned
			switch {
			case k == 0 && s == 1:
				st = yanshou.BoxEmpty
			case k == 1 && s == 2:
				st = yanshou.BoxUnsure
			}
			n++
			r.PaperBoxes = append(r.PaperBoxes, yanshou.PaperBox{Session: session, Trainee: k, File: "08签到表/签到表-扫描.pdf",
				Page: 1, Row: k + 1, State: st, PNG: cropPNG(t, n)})
		}
	}
	n += 2
	r.PaperBoxes = append(r.PaperBoxes, yanshou.PaperBox{Session: r.Attendance.Sessions[0], Trainee: -1, File: "08签到表/签到表-照片.jpg",
		Page: 1, Row: 9, State: yanshou.BoxSigned, PNG: cropPNG(t, n-1), NamePNG: cropPNG(t, n)})
	return n
}

func TestReportSignatures(t *testing.T) {
	plain := sampleResult(yanshou.Pass)
	paper := sampleResult(yanshou.Pass)
	crops := withPaper(t, paper)
	for _, c := range []struct {
		name     string
		r        *yanshou.Result
		crops    int
		want     []string
		unwanted []string
	}{
		{"no paper sheets", plain, 0, nil, []string{"签字核对"}},
		{"paper sheets", paper, crops, []string{"签字核对（纸质签到表）", "已签", "未签", "无法判断", "学员（名单行）",
			paper.Attendance.Trainees[0].Name + "（第", "名单外签到（空白行手写姓名）", "第1页第9行"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, c.r, testConfig(t)); err != nil {
				t.Fatal(err)
			}
			checkReport(t, path, "signatures "+c.name, c.want, c.unwanted)
			got := 0
			for _, im := range images(t, path) {
				if im == "120x17" {
					got++
				}
			}
			if got != c.crops {
				t.Errorf("%d crops of 120×17 in the report, want %d", got, c.crops)
			}
			st, _ := os.Stat(path)
			t.Logf("report %d bytes", st.Size())
		})
	}
}

func TestSigTable(t *testing.T) {
	boxes := []yanshou.PaperBox{
		{Session: "2026-03-11 上午", Trainee: 1, Row: 2},
		{Session: "2026-03-10 上午", Trainee: -1, Page: 2, Row: 3},
		{Session: "2026-03-10 上午", Trainee: 1, Row: 2},
		{Session: "2026-03-10 上午", Trainee: -1, Page: 1, Row: 25},
		{Session: "2026-03-10 上午", Trainee: 0, Row: 1},
	}
	sessions, by, walkins := sigTable(boxes)
	if strings.Join(sessions, "|") != "2026-03-10 上午|2026-03-11 上午" {
		t.Errorf("sessions %v", sessions)
	}
	if len(by) != 2 || len(by[1]) != 2 || by[0]["2026-03-11 上午"] != nil {
		t.Errorf("by trainee %v", by)
	}
	if len(walkins) != 2 || walkins[0].Page != 1 || walkins[1].Page != 2 {
		t.Errorf("walk-ins %+v", walkins)
	}
}
