package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

// classOf finds a class of the fixture by institution and class name.
func classOf(t *testing.T, f *fixture, inst, class string) yanshou.ClassRecord {
	t.Helper()
	for _, c := range f.classes(t) {
		if c.Institution == inst && strings.Contains(c.Class, class) {
			return c
		}
	}
	t.Fatalf("no class %s %s in the fixture", inst, class)
	return yanshou.ClassRecord{}
}

const (
	nongshang = "周口市农商电子商务培训中心"
)

// TestEvidenceViews: the class page shows each photo's time, place and status
// as the report words them, the map, the attendance matrix and, where paper
// sheets were read, the signature strips; their images come through scoped routes.
func TestEvidenceViews(t *testing.T) {
	f := newFixture(t, Options{})
	wang := f.session(t, "wang")
	late := classOf(t, f, hongda, "第2期")  // three photos after the training days
	paper := classOf(t, f, hongda, "第6期") // paper sign-in sheets
	tests := []struct {
		name  string
		class yanshou.ClassRecord
		want  []string
		not   []string
		image string // a route of the version that must serve this type
	}{
		{"photos with status and the map", late, []string{`id="photo-table"`, "IMG_20260413_091700.jpg", "超出日期", "已核验", "2026-04-13 09:17",
			`/map.png"`, "照片拍摄位置图", `id="attendance-matrix"`, "签到"}, []string{`id="signature-strips"`, `id="no-detail"`}, "/map.png"},
		{"signature strips", paper, []string{`id="signature-strips"`, "签字核对", `/sig/0"`, `id="attendance-matrix"`}, nil, "/sig/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, wang, f.srv.URL+"/class/"+tt.class.ID)
			if resp.StatusCode != 200 {
				t.Fatalf("%d", resp.StatusCode)
			}
			if miss := contains(body, tt.want...); miss != "" {
				t.Errorf("the page lacks %q", miss)
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("the page shows %q", s)
				}
			}
			base := fmt.Sprintf("/class/%s/v/%d", tt.class.ID, tt.class.Latest().Version)
			resp, img := get(t, wang, f.srv.URL+base+tt.image)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(img, "\x89PNG") {
				t.Errorf("%s: %d %s", tt.image, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}
	// a trainee who did not sign a session is 未签 in the matrix of a class whose attendance failed
	low := classOf(t, f, hongda, "第3期")
	if _, body := get(t, wang, f.srv.URL+"/class/"+low.ID); !strings.Contains(body, `class="m-absent">未签`) {
		t.Error("第3期 (attendance too low) shows no 未签 cell")
	}
	// a version judged before details were kept says so, and the page still works
	os.Remove(pipeline.DetailPath(f.outbox, late.Latest().ContentHash))
	f.desk.kept.forget()
	resp, body := get(t, wang, f.srv.URL+"/class/"+late.ID)
	if resp.StatusCode != 200 || !strings.Contains(body, `id="no-detail"`) || !strings.Contains(body, `id="findings"`) {
		t.Errorf("without a detail: %d", resp.StatusCode)
	}
	if resp, _ := get(t, wang, f.srv.URL+fmt.Sprintf("/class/%s/v/%d/map.png", late.ID, late.Latest().Version)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("map without a detail: %d", resp.StatusCode)
	}
}

// withPairs adds reuse pairs to the first photo of a version's detail (as the
// photo stage records them): the first pair the class's own second photo, the
// second a photo of another institution's class.
func withPairs(t *testing.T, f *fixture, c yanshou.ClassRecord, other yanshou.ClassRecord) {
	t.Helper()
	v := c.Latest()
	mine, _ := f.ledger.ScopedFiles(ledger.Scope{All: true}, c.ID, v.Version)
	theirs, _ := f.ledger.ScopedFiles(ledger.Scope{All: true}, other.ID, other.Latest().Version)
	mp, tp := photos(mine), photos(theirs)
	if len(mp) < 2 || len(tp) < 1 {
		t.Fatalf("photos: %d of %s, %d of %s", len(mp), c.Class, len(tp), other.Class)
	}
	p := pipeline.DetailPath(f.outbox, v.ContentHash)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var d yanshou.Detail
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	d.Photos[0].Pairs = []yanshou.PhotoPair{
		{Kind: "similar", File: mp[1].Rel, SHA256: mp[1].SHA256, Distance: 6},
		{Kind: "reused", Label: other.Institution + " " + other.Class, ClassID: other.ID, Version: other.Latest().Version,
			File: tp[0].Rel, SHA256: tp[0].SHA256, Distance: 2, Share: 0.93},
	}
	b, _ = json.Marshal(d)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	f.desk.kept.forget()
}

// TestPairViews: a pair is shown side by side with its measure; the office sees
// both photos of every pair, an institution the other photo only when it is
// its own class's.
func TestPairViews(t *testing.T) {
	f := newFixture(t, Options{})
	c, other := classOf(t, f, hongda, "第1期"), classOf(t, f, nongshang, "第1期")
	withPairs(t, f, c, other)
	base := fmt.Sprintf("/class/%s/v/%d", c.ID, c.Latest().Version)
	tests := []struct {
		login      string
		own, cross int // status of the same-class pair's photo and of the other institution's
		page       []string
	}{
		{"wang", 200, 200, []string{`id="pairs"`, "汉明距离 2 位，对齐后相同区块 93%", "汉明距离 6 位", base + "/pair/0/0", base + "/pair/0/1", other.Institution}},
		{"hongda", 200, 404, []string{`id="pairs"`, "汉明距离 2 位", base + "/pair/0/0", "不向本机构显示"}},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			s := f.session(t, tt.login)
			_, body := get(t, s, f.srv.URL+"/class/"+c.ID)
			if miss := contains(body, tt.page...); miss != "" {
				t.Errorf("the page lacks %q", miss)
			}
			if tt.cross != 200 && (strings.Contains(body, base+"/pair/0/1") || strings.Contains(body, other.Institution)) {
				t.Error("the page links or names the other institution's photo")
			}
			for j, want := range []int{tt.own, tt.cross} {
				resp, img := get(t, s, f.srv.URL+fmt.Sprintf("%s/pair/0/%d", base, j))
				if resp.StatusCode != want || want == 200 && !strings.HasPrefix(img, "\xff\xd8") || want != 200 && leaked(img) {
					t.Errorf("pair %d: %d, want %d", j, resp.StatusCode, want)
				}
			}
		})
	}
}

// TestHistoryView: a resubmission's page lists the versions and what changed:
// the photos taken out, the file added, the finding fixed.
func TestHistoryView(t *testing.T) {
	f := newFixture(t, Options{})
	src := filepath.Join(filepath.Dir(demo(t)), "inbox", hongda, "第2期")
	dir := filepath.Join(t.TempDir(), hongda, "第2期")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"IMG_20260413_091700.jpg", "IMG_20260413_151800.jpg", "IMG_20260414_124800.jpg"} {
		if err := os.Remove(filepath.Join(dir, "05现场照片", n)); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "12整改说明"), 0o755)
	os.WriteFile(filepath.Join(dir, "12整改说明", "整改说明.txt"), []byte("已撤下培训日期以外的照片。\n"), 0o644)
	p, err := pipeline.Open(f.cfg, rules.Default(), f.outbox, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := p.Check(context.Background(), dir, pipeline.CheckOptions{})
	p.Close()
	if err != nil || rep.Version != 2 {
		t.Fatalf("resubmission: version %d, %v", rep.Version, err)
	}
	wang := f.session(t, "wang")
	_, body := get(t, wang, f.srv.URL+"/class/"+rep.ID)
	if miss := contains(body, `id="history"`, "第 1 版 → 第 2 版的变化", "撤下材料：<span class=\"file\">05现场照片/IMG_20260413_091700.jpg",
		"新增材料：<span class=\"file\">12整改说明/整改说明.txt", "已整改：", "未变的材料"); miss != "" {
		t.Errorf("the history lacks %q", miss)
	}
	// the first version's page compares it with the next; ?from= picks another
	_, body = get(t, wang, f.srv.URL+"/class/"+rep.ID+"?v=1")
	if !strings.Contains(body, "第 1 版 → 第 2 版的变化") {
		t.Error("version 1's page shows no change to version 2")
	}
	// an institution sees its own class's history, another none of it
	if _, body := get(t, f.session(t, "hongda"), f.srv.URL+"/class/"+rep.ID); !strings.Contains(body, `id="history"`) {
		t.Error("hongda does not see its class's history")
	}
	if resp, body := get(t, f.session(t, "nongshang"), f.srv.URL+"/class/"+rep.ID+"?v=2&from=1"); resp.StatusCode != 404 || strings.Contains(body, "撤下材料") {
		t.Errorf("nongshang: %d", resp.StatusCode)
	}
}
