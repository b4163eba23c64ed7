package paper

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"yanshou"

	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/testkit/papersheet"
)

// TestAlike: the first page of a sheet signed by every trainee's own hand is
// not flagged; signed with one hand for ten of its rows, scanned or
// photographed, it is, naming the page and those rows; with the check off
// (paper_signature_alike_min 0) nothing is.
func TestAlike(t *testing.T) {
	ts := trainees(30)
	keys := make([]string, len(ts))
	for i, tr := range ts {
		keys[i] = tr.ID
	}
	c := Class{Trainees: ts, Start: "2026-03-10", End: "2026-03-11"}
	p := signform.Plan(signform.ClassID(keys, c.Start, c.End), "2026-03-10 上午", keys, 5)[0]
	on := th
	on.PaperSignatureAlikeMin, on.PaperSimilarSignaturesMaxShare = 0.8, 0.3
	for _, tc := range []struct {
		name    string
		oneHand int // rows signed by one hand, from row 3
		photo   bool
		th      bool
		want    bool
	}{
		{"own hands, scanned", 0, false, true, false},
		{"own hands, photographed", 0, true, true, false},
		{"one hand for ten, scanned", 10, false, true, true},
		{"one hand for ten, photographed", 10, true, true, true},
		{"one hand for ten, check off", 10, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(15, 4))
			pg := papersheet.Page{Payload: p, Fills: make([]papersheet.Fill, p.Rows+p.Blank), WalkIn: make([]bool, p.Rows+p.Blank), Hands: make([]uint64, p.Rows+p.Blank)}
			for i := 0; i < p.Rows; i++ {
				pg.Fills[i] = papersheet.Signature
				if i >= 2 && i < 2+tc.oneHand {
					pg.Hands[i] = 7
				}
			}
			src := papersheet.Render(rnd, pg, 8)
			dir := t.TempDir()
			name := "扫描.png"
			if tc.photo {
				name = "IMG_1.jpg"
				os.WriteFile(filepath.Join(dir, name), papersheet.Photo(rnd, src, 8), 0o644)
			} else {
				writePNG(t, filepath.Join(dir, name), papersheet.Scan(rnd, src, 8))
			}
			use := th
			if tc.th {
				use = on
			}
			res := Read([]yanshou.File{file(dir, name)}, c, use, maxPixels)
			if len(res.Alike) != map[bool]int{false: 0, true: 1}[tc.want] {
				t.Fatalf("alike %+v", res.Alike)
			}
			if !tc.want {
				return
			}
			e := res.Alike[0]
			if e.File != "08签到表/"+name || !strings.Contains(e.Sheet, "签到表第1页") {
				t.Errorf("evidence at %s %s", e.File, e.Sheet)
			}
			for i := 2; i < 2+tc.oneHand; i++ {
				if !strings.Contains(e.Detail, ts[i].Name) {
					t.Errorf("evidence %q lacks %s", e.Detail, ts[i].Name)
				}
			}
			if strings.Contains(e.Detail, ts[0].Name+"；") || strings.Contains(e.Detail, "第1行") {
				t.Errorf("evidence %q names row 1, signed by its own hand", e.Detail)
			}
		})
	}
}
