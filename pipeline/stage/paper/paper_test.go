package paper

import (
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/testkit/papersheet"
)

var th = yanshou.Thresholds{PaperInkSignedMin: 0.03, PaperInkEmptyMax: 0.006}

const maxPixels = 50_000_000

func trainees(n int) []yanshou.Trainee {
	ts := make([]yanshou.Trainee, n)
	for i := range ts {
		ts[i] = yanshou.Trainee{Name: fmt.Sprintf("学员%02d", i+1), ID: fmt.Sprintf("41162319900101%04d", i), Phone: fmt.Sprintf("1390000%04d", i)}
	}
	return ts
}

// class is a roster of 30 and the two pages of its 2026-03-10 上午 sheet, filled.
type class struct {
	c     Class
	pages []papersheet.Page
	src   []*image.Gray
}

func newClass(t *testing.T, rnd *rand.Rand) class {
	ts := trainees(30)
	keys := make([]string, len(ts))
	for i, tr := range ts {
		keys[i] = tr.ID
	}
	c := Class{Trainees: ts, Start: "2026-03-10", End: "2026-03-11"}
	var out class
	out.c = c
	for _, p := range signform.Plan(signform.ClassID(keys, c.Start, c.End), "2026-03-10 上午", keys, 5) {
		pg := papersheet.RandomPage(rnd, p)
		out.pages = append(out.pages, pg)
		out.src = append(out.src, papersheet.Render(rnd, pg, 8))
	}
	return out
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func file(dir, name string) yanshou.File {
	return yanshou.File{Rel: "08签到表/" + name, Abs: filepath.Join(dir, name)}
}

func TestRead(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	cl := newClass(t, rnd)
	dir := t.TempDir()
	// page 2 scanned into a PDF, page 1 photographed, page 1 photographed again,
	// and the institution's own form
	if err := papersheet.ScanPDF(filepath.Join(dir, "扫描.pdf"), [][]byte{papersheet.JPEG(papersheet.Scan(rnd, cl.src[1], 8))}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "IMG_1.jpg"), papersheet.Photo(rnd, cl.src[0], 8), 0o644)
	os.WriteFile(filepath.Join(dir, "IMG_2.jpg"), papersheet.Photo(rnd, cl.src[0], 8), 0o644)
	own := image.NewGray(image.Rect(0, 0, 800, 1100))
	for i := range own.Pix {
		own.Pix[i] = 240
	}
	writePNG(t, filepath.Join(dir, "自制签到表.png"), own)
	files := []yanshou.File{file(dir, "扫描.pdf"), file(dir, "IMG_1.jpg"), file(dir, "IMG_2.jpg"), file(dir, "自制签到表.png")}

	res := Read(files, cl.c, th, maxPixels)
	t.Log(res)
	if len(res.Manual) != 1 || res.Manual[0].File != "08签到表/自制签到表.png" || !strings.Contains(res.Manual[0].Detail, "人工核对") {
		t.Errorf("manual = %+v, want the institution's own form", res.Manual)
	}
	if len(res.Sessions) != 1 || res.Sessions[0] != "2026-03-10 上午" {
		t.Errorf("sessions = %v", res.Sessions)
	}
	// every trainee's box as filled; walk-ins as written
	signed := map[int]yanshou.SignIn{}
	walkIns := 0
	for _, s := range res.SignIns {
		switch s.Match {
		case yanshou.Matched:
			if _, dup := signed[s.Trainee]; dup {
				t.Errorf("trainee %d signed in twice from two pictures of one page", s.Trainee)
			}
			signed[s.Trainee] = s
		case yanshou.WalkIn:
			walkIns++
		}
		if s.Session != "2026-03-10 上午" || s.File == "" || s.Row < 1 || !strings.Contains(s.Sheet, "页") {
			t.Errorf("sign-in without its source: %+v", s)
		}
	}
	wantWalk := 0
	for _, pg := range cl.pages {
		for i, f := range pg.Fills {
			if pg.WalkIn[i] {
				wantWalk++
				continue
			}
			if i >= pg.Payload.Rows {
				continue
			}
			k := pg.Payload.First + i
			s, ok := signed[k]
			if ok != (f == papersheet.Signature) {
				t.Errorf("%s (%v): signed in %v", cl.c.Trainees[k].Name, f, ok)
			}
			if ok && (s.Name != cl.c.Trainees[k].Name || s.Row != i+1) {
				t.Errorf("sign-in %+v: want %s on row %d", s, cl.c.Trainees[k].Name, i+1)
			}
		}
	}
	if walkIns != wantWalk {
		t.Errorf("%d walk-ins, want %d", walkIns, wantWalk)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Detail, "缺第") {
			t.Errorf("no page is missing: %+v", p)
		}
	}
	if len(res.Boxes) < 30 {
		t.Errorf("%d boxes for the reviewer, want at least the 30 trainees'", len(res.Boxes))
	}

	// a scan's embedded picture is read as it is: no pdftoppm needed
	t.Run("scan without pdftoppm", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		res := Read(files[:1], cl.c, th, maxPixels)
		if len(res.Manual) != 0 || len(res.Boxes) == 0 {
			t.Errorf("the scan PDF without pdftoppm: %v, manual %+v", res, res.Manual)
		}
	})

	// without the scan, page 2 is missing, named with its rows
	res = Read(files[1:], cl.c, th, maxPixels)
	found := false
	for _, p := range res.Problems {
		if strings.Contains(p.Detail, "缺第2页") && strings.Contains(p.Detail, "第26–30行") && strings.Contains(p.Detail, "学员26 至 学员30") {
			found = true
		}
	}
	if !found {
		t.Errorf("page 2 missing is not named with its rows: %+v", res.Problems)
	}
	if cov := res.Covered()["2026-03-10 上午"]; len(cov) != 25 || !cov[0] || !cov[24] || cov[25] {
		t.Errorf("covered = %v, want the 25 trainees of page 1", cov)
	}

	// read against a changed roster, the pages are refused, not matched wrongly
	other := cl.c
	other.Trainees = append([]yanshou.Trainee(nil), cl.c.Trainees...)
	other.Trainees[3].ID = "411623199001019999"
	other.Start, other.End = "", ""
	res = Read(files[1:2], other, th, maxPixels)
	if len(res.SignIns) != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Detail, "名单不一致") {
		t.Errorf("changed roster: sign-ins %d, problems %+v", len(res.SignIns), res.Problems)
	}
	// of another class (a session outside the dates)
	other = cl.c
	other.Start, other.End = "2026-04-01", "2026-04-02"
	res = Read(files[1:2], other, th, maxPixels)
	if len(res.SignIns) != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Detail, "另一期培训") {
		t.Errorf("other class: sign-ins %d, problems %+v", len(res.SignIns), res.Problems)
	}
}

// TestReadPrintedPDF reads the very PDF signin-sheets prints (rendered by
// pdftoppm, as a vector page without images is) — all boxes empty — and,
// with pdftoppm hidden, says it could not.
func TestReadPrintedPDF(t *testing.T) {
	ts := trainees(12)
	keys := make([]string, len(ts))
	for i, tr := range ts {
		keys[i] = tr.ID
	}
	s := signform.Sheet{Title: "培训签到表", ClassLine: "培训班：测试", SessionLine: "签到场次：2026-03-10 下午", Instruction: "请本人签名",
		Columns: [signform.NumCols]string{"序号", "姓名", "身份证号", "手机尾号", "本人签名"}}
	for _, p := range signform.Plan("c1", "2026-03-10 下午", keys, 5) {
		sp := signform.SheetPage{Payload: p, PageLine: "第 1 页 共 1 页"}
		for k := 0; k < p.Rows; k++ {
			sp.Rows = append(sp.Rows, signform.Row{No: fmt.Sprint(k + 1), Name: ts[k].Name, ID: "4116**********" + ts[k].ID[14:], Phone: ts[k].Phone[7:]})
		}
		s.Pages = append(s.Pages, sp)
	}
	dir := t.TempDir()
	if err := s.WritePDF(filepath.Join(dir, "签到表.pdf"), nil, pdfdoc.Info{}); err != nil {
		t.Fatal(err)
	}
	files := []yanshou.File{file(dir, "签到表.pdf")}
	c := Class{Trainees: ts}
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		res := Read(files, c, th, maxPixels)
		if len(res.Manual) != 0 || len(res.Problems) != 0 || len(res.SignIns) != 0 || len(res.Boxes) != 12 {
			t.Errorf("the printed sheet, unsigned: %v; manual %+v; problems %+v", res, res.Manual, res.Problems)
		}
		for _, b := range res.Boxes {
			if b.State != signform.Empty {
				t.Errorf("printed box %d read as %v (ink %.4f)", b.Row, b.State, b.Ink)
			}
		}
	} else {
		t.Log("pdftoppm not installed: only the path without it is tested")
	}
	t.Setenv("PATH", t.TempDir())
	res := Read(files, c, th, maxPixels)
	if len(res.Manual) != 1 || !strings.Contains(res.Manual[0].Detail, "pdftoppm") || res.Manual[0].Sheet != "第1页" {
		t.Errorf("without pdftoppm: %+v", res.Manual)
	}
}

func TestReadBadFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "坏.pdf"), []byte("%PDF-1.4\ngarbage"), 0o644)
	os.WriteFile(filepath.Join(dir, "坏.jpg"), []byte("\xff\xd8\xff\xe0 not a jpeg"), 0o644)
	// a PNG header announcing 100000×100000 pixels
	huge := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x00\x00\x00\x00")
	os.WriteFile(filepath.Join(dir, "大.png"), huge, 0o644)
	files := []yanshou.File{file(dir, "坏.pdf"), file(dir, "坏.jpg"), file(dir, "大.png")}
	res := Read(files, Class{Trainees: trainees(3)}, th, maxPixels)
	if len(res.Manual) != 3 {
		t.Fatalf("manual = %+v, want the three files", res.Manual)
	}
	for _, m := range res.Manual {
		if m.File == "" || !strings.Contains(m.Detail, "人工核对") {
			t.Errorf("%+v: not named or not in Chinese", m)
		}
	}
}
