package signform

import (
	"errors"
	"image"
	"image/color"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"yanshou/pipeline/format/pdfdoc"
)

func TestPayloadRoundTrip(t *testing.T) {
	tests := []Payload{
		{Version: 1, Class: "a1b2c3d4", Session: "2026-03-10 上午", Page: 1, Pages: 3, First: 0, Rows: 25, Check: "abcdef"},
		{Version: 1, Class: "x", Session: "第12场:含分隔符", Page: 4, Pages: 4, First: 975, Rows: 3, Blank: 22, Check: "000000"},
		{Version: 1, Class: "ab", Session: "2026-03-10", Page: 1, Pages: 1, Rows: 1, Blank: 24, Check: "0a0b0c"},
		{Version: 1, Class: "ab", Session: "2026-03-11 晚上", Page: 1, Pages: 1, Rows: 1, Blank: 24, Check: "0a0b0c"},
		{Version: 1, Class: "ab", Session: "2026-3-11 上午", Page: 1, Pages: 1, Rows: 1, Blank: 24, Check: "0a0b0c"},
		{Version: 1, Class: "c", Session: "", Page: 1, Pages: 1, Blank: 25, Check: Digest(nil)},
	}
	for _, p := range tests {
		s := p.String()
		if len(s) > MaxPayload {
			t.Errorf("%q: %d bytes, over %d", s, len(s), MaxPayload)
		}
		for _, r := range s {
			if r > 0x7e {
				t.Errorf("%q: not ASCII", s)
				break
			}
		}
		got, err := ParsePayload(s)
		if err != nil || got != p {
			t.Errorf("ParsePayload(%q) = %+v, %v; want %+v", s, got, err, p)
		}
	}
}

func TestParsePayloadRefuses(t *testing.T) {
	for _, s := range []string{"", "http://example.com/", "YS2:A:20260310:1/1:0:1:0:ABC", "YS1:A:20260310:1/1:0:1:0",
		"YS1:A:20260310:2/1:0:1:0:ABC", "YS1:A:20260310:1/1:0:20:20:ABC", "YS1::20260310:1/1:0:1:0:ABC", "YS1:A:~%ZZ:1/1:0:1:0:ABC",
		"YS1:A:2026031:1/1:0:1:0:ABC", "YS1:A:20260310X:1/1:0:1:0:ABC",
		"YS1:A:20260310:1-1:0:1:0:ABC", "YS1:A:20260310:1/1:-3:1:0:ABC", "YS1:A:20260310:1/1:0:1:0:" + strings.Repeat("A", 200)} {
		if p, err := ParsePayload(s); !errors.Is(err, ErrNotOurs) {
			t.Errorf("ParsePayload(%q) = %+v, %v; want ErrNotOurs", s, p, err)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		n, blank int
		want     []PageRows
	}{
		{0, 5, []PageRows{{0, 0, 25}}},
		{3, 5, []PageRows{{0, 3, 22}}},
		{20, 5, []PageRows{{0, 20, 5}}},
		{21, 5, []PageRows{{0, 21, 4}, {21, 0, 25}}},
		{25, 0, []PageRows{{0, 25, 0}}},
		{26, 5, []PageRows{{0, 25, 0}, {25, 1, 24}}},
		{50, 5, []PageRows{{0, 25, 0}, {25, 25, 0}, {50, 0, 25}}},
	}
	for _, tt := range tests {
		got := Split(tt.n, tt.blank)
		if len(got) != len(tt.want) {
			t.Errorf("Split(%d, %d) = %v, want %v", tt.n, tt.blank, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Split(%d, %d) = %v, want %v", tt.n, tt.blank, got, tt.want)
			}
		}
	}
}

func TestLayoutFits(t *testing.T) {
	inside := func(r Rect) bool { return r.X >= 0 && r.Y >= 0 && r.X+r.W <= PageW && r.Y+r.H <= PageH }
	overlap := func(a, b Rect) bool {
		return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
	}
	table := Rect{TableX, TableY, TableRight - TableX, TableBottom() - TableY}
	all := append(Marks[:], QRBox, table)
	for i, a := range all {
		if !inside(a) {
			t.Errorf("%v is off the page", a)
		}
		for _, b := range all[i+1:] {
			if overlap(a, b) {
				t.Errorf("%v overlaps %v", a, b)
			}
		}
	}
	w := 0.0
	for _, c := range ColW {
		w += c
	}
	if math.Abs(TableX+w-TableRight) > 1e-9 {
		t.Errorf("columns add up to %v, table is %v wide", w, TableRight-TableX)
	}
	if b := SignBox(RowsPerPage - 1); b.Y+b.H > TableBottom()+1e-9 {
		t.Errorf("last signature box %v below the table bottom %v", b, TableBottom())
	}
}

// TestQRDecodes draws a payload's modules at 8 px/mm and reads it back with
// gozxing, and checks that the finder centres it reports are where QRFinders
// puts them.
func TestQRDecodes(t *testing.T) {
	p := Payload{Version: 1, Class: "a1b2c3d4", Session: "2026-03-10 下午", Page: 12, Pages: 40, First: 275, Rows: 25, Check: "0f0f0f"}
	mods, err := Modules(p.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) > 29 {
		t.Errorf("%q takes %d modules: more than version 3 (29), smaller modules than need be", p.String(), len(mods))
	}
	const scale = 8.0
	img := image.NewGray(image.Rect(0, 0, int(PageW*scale/2), int(60*scale)))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	mod := QRModule(len(mods))
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			mx := int(math.Floor((float64(x)/scale+PageW/2-QRBox.X)/mod)) - QRQuiet
			my := int(math.Floor((float64(y)/scale-QRBox.Y)/mod)) - QRQuiet
			if my >= 0 && my < len(mods) && mx >= 0 && mx < len(mods) && mods[my][mx] {
				img.SetGray(x, y, color.Gray{0})
			}
		}
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePayload(res.GetText())
	if err != nil || got != p {
		t.Fatalf("read %q → %+v, %v", res.GetText(), got, err)
	}
	want := QRFinders(len(mods))
	pts := res.GetResultPoints()
	for i := 0; i < 3; i++ {
		gx, gy := pts[i].GetX()/scale+PageW/2, pts[i].GetY()/scale
		if math.Hypot(gx-want[i].X, gy-want[i].Y) > mod/2 {
			t.Errorf("finder %d at (%.2f, %.2f) mm, QRFinders says (%.2f, %.2f)", i, gx, gy, want[i].X, want[i].Y)
		}
	}
}

func TestWritePDF(t *testing.T) {
	s := Sheet{Title: "培训签到表", ClassLine: "培训班：测试班", SessionLine: "2026-03-10 上午", Instruction: "请在签名栏内签字",
		Columns: [NumCols]string{"序号", "姓名", "身份证号", "手机尾号", "本人签名"}}
	for pg, pr := range Split(30, 5) {
		sp := SheetPage{Payload: Payload{Version: 1, Class: "c", Session: "2026-03-10 上午", Page: pg + 1, Pages: 2,
			First: pr.First, Rows: pr.Rows, Blank: pr.Blank, Check: "abcdef"}, PageLine: "页"}
		for i := 0; i < pr.Rows+pr.Blank; i++ {
			sp.Rows = append(sp.Rows, Row{No: "1", Name: "张三", ID: "4101**********1234", Phone: "1234"})
		}
		s.Pages = append(s.Pages, sp)
	}
	path := filepath.Join(t.TempDir(), "签到表.pdf")
	if err := s.WritePDF(path, nil, pdfdoc.Info{Title: "签到表"}); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", path, "-").Output()
		if err != nil || !strings.Contains(string(out), "4101**********1234") || strings.Count(string(out), "本人签名") != 2 {
			t.Errorf("pdftotext: %v\n%s", err, out)
		}
	}
	s.Pages[0].Rows = make([]Row, RowsPerPage+1)
	if err := s.WritePDF(filepath.Join(t.TempDir(), "x.pdf"), nil, pdfdoc.Info{}); err == nil {
		t.Error("26 rows on a page: no error")
	}
}
