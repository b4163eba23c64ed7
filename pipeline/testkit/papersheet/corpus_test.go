package papersheet

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"yanshou/pipeline/format/signform"
)

// limits are the built-in thresholds (yanshou.yaml's paper_ink_signed_min and
// paper_ink_empty_max), repeated here since a testkit does not read the config.
var limits = signform.Limits{SignedMin: 0.03, EmptyMax: 0.006}

// want is the right reading of a fill: a signature signed, a dot empty, a tick
// unsure (a mark, not a signature: for the reviewer).
func want(f Fill) signform.State {
	switch f {
	case Signature:
		return signform.Signed
	case Tick:
		return signform.Unsure
	}
	return signform.Empty
}

// tally counts the boxes of one capture kind.
type tally struct {
	pages, unreadable, boxes, right, emptySigned, signedMissed, walkIns, walkInsFound int
	wrong                                                                             []string
	lowest, highest                                                                   [4]float64 // ink by fill
}

func (t *tally) add(pg Page, r *signform.PageRead, err error, name string) {
	t.pages++
	if err != nil {
		t.unreadable++
		t.wrong = append(t.wrong, fmt.Sprintf("%s：%v", name, err))
		return
	}
	if r.Payload != pg.Payload {
		t.wrong = append(t.wrong, fmt.Sprintf("%s：二维码读作 %+v", name, r.Payload))
	}
	for i, b := range r.Boxes {
		f := pg.Fills[i]
		if pg.WalkIn[i] {
			t.walkIns++
			if b.NameState == signform.Signed {
				t.walkInsFound++
			}
		} else if i >= pg.Payload.Rows && b.NameState == signform.Signed {
			t.wrong = append(t.wrong, fmt.Sprintf("%s 第%d行：空行读作名单外签到（%.4f）", name, i+1, b.NameInk))
		}
		t.boxes++
		if t.boxes == 1 {
			t.lowest, t.highest = [4]float64{1, 1, 1, 1}, [4]float64{}
		}
		if !math.IsNaN(b.Ink) {
			t.lowest[f], t.highest[f] = math.Min(t.lowest[f], b.Ink), math.Max(t.highest[f], b.Ink)
		}
		if b.State == want(f) {
			t.right++
			continue
		}
		if f != Signature && b.State == signform.Signed {
			t.emptySigned++
		}
		if f == Signature && b.State == signform.Empty {
			t.signedMissed++
		}
		t.wrong = append(t.wrong, fmt.Sprintf("%s 第%d行：%v 读作 %v（墨迹 %.4f）", name, i+1, f, b.State, b.Ink))
	}
}

// corpusPages is the number of pages of each kind: a few by default, more with
// YANSHOU_PAPER_PAGES.
func corpusPages(t testing.TB) int {
	if s := os.Getenv("YANSHOU_PAPER_PAGES"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("YANSHOU_PAPER_PAGES=%q: want a positive number", s)
		}
		return n
	}
	return 3
}

func payload(i, pages int) signform.Payload {
	rows := signform.RowsPerPage
	if i%2 == 1 || i == pages-1 { // blank rows for walk-ins on every other page, to have some to find
		rows = 17
	}
	return signform.Payload{Version: 1, Class: "c0ffee42", Session: "2026-03-10 上午", Page: i + 1, Pages: pages,
		First: i * signform.RowsPerPage, Rows: rows, Blank: signform.RowsPerPage - rows, Check: "abc123"}
}

// TestCorpus fills pages at random, scans and photographs them, reads them
// back and prints the accuracy table by capture kind. Targets: 99.5% of boxes
// right, no box without a signature read as signed, every unreadable page named.
func TestCorpus(t *testing.T) {
	n := corpusPages(t)
	rnd := rand.New(rand.NewPCG(2026, 15))
	var tl [2]tally
	for i := 0; i < n; i++ {
		pg := RandomPage(rnd, payload(i, n))
		src := Render(rnd, pg, 10)
		sc := Scan(rnd, src, 10)
		r, err := signform.ReadPage(sc, limits)
		tl[Scanned].add(pg, r, err, fmt.Sprintf("扫描第%d页", i+1))
		ph := Photo(rnd, src, 10)
		img, err := jpeg.Decode(bytes.NewReader(ph))
		if err != nil {
			t.Fatal(err)
		}
		r, err = signform.ReadPage(img, limits)
		tl[Photographed].add(pg, r, err, fmt.Sprintf("照片第%d页（%d×%d）", i+1, img.Bounds().Dx(), img.Bounds().Dy()))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| 方式 | 页 | 未能读取 | 签名栏 | 正确 | 正确率 | 空栏读作已签 | 已签读作未签 | 名单外 找到/共 |\n|---|---|---|---|---|---|---|---|---|\n")
	for k, x := range tl {
		fmt.Fprintf(&b, "| %v | %d | %d | %d | %d | %.2f%% | %d | %d | %d/%d |\n", Kind(k), x.pages, x.unreadable, x.boxes, x.right,
			100*float64(x.right)/float64(max(x.boxes, 1)), x.emptySigned, x.signedMissed, x.walkInsFound, x.walkIns)
	}
	for k, x := range tl {
		fmt.Fprintf(&b, "%v 墨迹：签名 %.4f–%.4f，勾 %.4f–%.4f，点 %.4f–%.4f，空 ≤ %.4f\n", Kind(k), x.lowest[Signature], x.highest[Signature],
			x.lowest[Tick], x.highest[Tick], x.lowest[Dot], x.highest[Dot], x.highest[Empty])
	}
	t.Log("\n" + b.String())
	for k, x := range tl {
		for _, w := range x.wrong {
			t.Logf("%v：%s", Kind(k), w)
		}
		if x.emptySigned > 0 {
			t.Errorf("%v：%d 个未签名的栏读作已签", Kind(k), x.emptySigned)
		}
		if x.boxes > 0 && float64(x.right) < 0.995*float64(x.boxes) {
			t.Errorf("%v：正确率 %.2f%% 低于 99.5%%", Kind(k), 100*float64(x.right)/float64(x.boxes))
		}
		if x.walkInsFound != x.walkIns {
			t.Errorf("%v：名单外签到找到 %d 个，共 %d 个", Kind(k), x.walkInsFound, x.walkIns)
		}
		if x.unreadable > 0 && k == int(Scanned) {
			t.Errorf("扫描件有 %d 页未能读取", x.unreadable)
		}
	}
}

// TestNotOurSheet: a page without our QR code is refused as such, not guessed.
func TestNotOurSheet(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	g := image.NewGray(image.Rect(0, 0, 1240, 1754))
	for i := range g.Pix {
		g.Pix[i] = 250
	}
	c := canvas{g, 1240 / signform.PageW}
	for i := 0; i < 20; i++ {
		c.text(rnd, 20, 20+float64(i)*12, 4, 30)
	}
	if _, err := signform.ReadPage(g, limits); err != signform.ErrNoQR {
		t.Errorf("a page of text: %v, want ErrNoQR", err)
	}
	// our sheet with a corner torn off: named by its QR, boxes not read
	pg := RandomPage(rnd, payload(0, 1))
	src := Render(rnd, pg, 8)
	for y := 0; y < 30*8; y++ {
		for x := 0; x < 30*8; x++ {
			src.Pix[(src.Rect.Dy()-1-y)*src.Stride+x] = 255
		}
	}
	r, err := signform.ReadPage(Scan(rnd, src, 8), limits)
	if err != signform.ErrNoMarks || r == nil || r.Payload != pg.Payload {
		t.Errorf("a corner torn off: %v, %+v; want ErrNoMarks with the payload", err, r)
	}
}

// BenchmarkReadScan reads 300 dpi grey scans of a page.
func BenchmarkReadScan(b *testing.B) {
	rnd := rand.New(rand.NewPCG(3, 3))
	pg := RandomPage(rnd, payload(0, 1))
	sc := Scan(rnd, Render(rnd, pg, 10), 10)
	b.ResetTimer()
	for b.Loop() {
		if _, err := signform.ReadPage(sc, limits); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkReadPhoto decodes and reads phone photos (JPEG) of a page.
func BenchmarkReadPhoto(b *testing.B) {
	rnd := rand.New(rand.NewPCG(4, 4))
	pg := RandomPage(rnd, payload(0, 1))
	src := Render(rnd, pg, 10)
	var photos [][]byte
	for len(photos) < 4 {
		ph := Photo(rnd, src, 10)
		img, _ := jpeg.Decode(bytes.NewReader(ph))
		if _, err := signform.ReadPage(img, limits); err == nil {
			photos = append(photos, ph)
		}
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		img, err := jpeg.Decode(bytes.NewReader(photos[i%len(photos)]))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := signform.ReadPage(img, limits); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-MB")
}
