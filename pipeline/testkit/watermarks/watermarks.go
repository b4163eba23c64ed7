// Package watermarks generates a corpus of watermark-camera photos: scenes
// of coloured shapes, shading and noise (a classroom's walls, windows, people's clothes), with the
// strip of one of the three common layouts drawn in a CJK font, at 2 to 12 MP,
// some passed through a WeChat-like re-encode (1080 pixels long side, JPEG q75,
// no EXIF). Nothing binary is committed: every picture is drawn here.
package watermarks

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"yanshou/pipeline/format/fonts"
)

// Layout is one app's way of printing the strip.
type Layout int

const (
	Jinri Layout = iota // 今日水印相机: a big clock, the date and weekday beside it, the address below
	Mark                // 马克水印相机: 时间/地点/经纬度/海拔 lines on a dark panel
	Phone               // 元道经纬相机 and phones: date time weekday, coordinates, address, no panel
)

// String names the layout in Chinese (file names and test logs).
func (l Layout) String() string {
	return [...]string{"今日水印", "马克水印", "元道或手机"}[l]
}

var wmAddresses = []string{
	"河南省周口市商水县电子商务公共服务中心", "河南省周口市商水县黄寨镇人民政府",
	"河南省周口市商水县城关乡农民培训学校", "商水县练集镇电商服务站", "河南省周口市商水县新城路18号",
}

var cnWeekdays = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// Sans faces, as the apps use, when installed: Droid Sans Fallback for the
// Chinese (it has no Latin glyphs) and DejaVu Sans Bold for digits and
// letters; else the system's CJK font (pipeline/format/fonts) for both.
var (
	sansCJK   = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
	sansLatin = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)

var (
	wmFontOnce     sync.Once
	wmCJK, wmLatin *sfnt.Font
	wmFontErr      error
)

// Sans reports whether the strips are drawn in sans faces (else in the
// system's CJK font, a Song face that OCR reads less well).
func Sans() bool {
	wmFace(12)
	return wmFontErr == nil && wmLatin != wmCJK
}

func parseFont(spec string) (*sfnt.Font, error) {
	data, err := fonts.Load(spec)
	if err != nil {
		return nil, err
	}
	return opentype.Parse(data)
}

// faces is a Chinese face and a Latin one of one size.
type faces struct{ cjk, latin font.Face }

func wmFace(size float64) (faces, error) {
	wmFontOnce.Do(func() {
		cjk, err1 := parseFont(sansCJK)
		latin, err2 := parseFont(sansLatin)
		if err1 == nil && err2 == nil {
			wmCJK, wmLatin = cjk, latin
			return
		}
		spec, err := fonts.Find(nil)
		if err != nil {
			wmFontErr = err
			return
		}
		wmCJK, wmFontErr = parseFont(spec)
		wmLatin = wmCJK
	})
	if wmFontErr != nil {
		return faces{}, wmFontErr
	}
	opt := &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone}
	c, err := opentype.NewFace(wmCJK, opt)
	if err != nil {
		return faces{}, err
	}
	l, err := opentype.NewFace(wmLatin, opt)
	return faces{c, l}, err
}

// runs splits s into runs of one face (Latin below U+2000 and the ° sign, else Chinese).
func (f faces) runs(s string) (out []struct {
	face font.Face
	s    string
}) {
	for _, r := range s {
		face := f.cjk
		if r < 0x2000 {
			face = f.latin
		}
		if n := len(out); n > 0 && out[n-1].face == face {
			out[n-1].s += string(r)
		} else {
			out = append(out, struct {
				face font.Face
				s    string
			}{face, string(r)})
		}
	}
	return out
}

// measure is the advance of s in pixels.
func (f faces) measure(s string) int {
	w := 0
	for _, r := range f.runs(s) {
		w += font.MeasureString(r.face, r.s).Round()
	}
	return w
}

// wmScene draws a w×h scene: a lit wall gradient, a floor, windows, tables and
// people-like blobs in random colours, and sensor noise.
func wmScene(rng *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	wall := [3]float64{150 + rng.Float64()*90, 150 + rng.Float64()*90, 140 + rng.Float64()*90}
	for y := 0; y < h; y++ {
		shade := 0.75 + 0.35*float64(y)/float64(h)
		if y > h*3/5 { // the floor
			shade = 0.45 + 0.1*rng.Float64()
		}
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			k := shade * (0.9 + 0.2*float64(x)/float64(w))
			for c := 0; c < 3; c++ {
				row[4*x+c] = uint8(min(255, wall[c]*k))
			}
			row[4*x+3] = 255
		}
	}
	fill := func(r image.Rectangle, c color.RGBA, ellipse bool) {
		r = r.Intersect(img.Bounds())
		cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
		rx, ry := float64(r.Dx())/2, float64(r.Dy())/2
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if ellipse && math.Pow((float64(x)-cx)/rx, 2)+math.Pow((float64(y)-cy)/ry, 2) > 1 {
					continue
				}
				img.SetRGBA(x, y, c)
			}
		}
	}
	rc := func(lo, hi int) color.RGBA {
		return color.RGBA{uint8(lo + rng.IntN(hi-lo)), uint8(lo + rng.IntN(hi-lo)), uint8(lo + rng.IntN(hi-lo)), 255}
	}
	for i := 0; i < 2+rng.IntN(2); i++ { // windows: bright
		x, y := rng.IntN(w*4/5), rng.IntN(h/4)
		fill(image.Rect(x, y, x+w/8+rng.IntN(w/8), y+h/5+rng.IntN(h/6)), rc(215, 255), false)
	}
	fill(image.Rect(w/10, h/12, w*9/10, h/3), rc(20, 90), false) // a screen or blackboard
	for i := 0; i < 12+rng.IntN(12); i++ {                       // people: a head and a body
		x, y := rng.IntN(w), h/3+rng.IntN(h/2)
		s := w/30 + rng.IntN(w/25)
		fill(image.Rect(x-s, y+s, x+s, y+4*s), rc(10, 240), true)
		fill(image.Rect(x-s/2, y, x+s/2, y+s+s/4), color.RGBA{uint8(170 + rng.IntN(50)), uint8(130 + rng.IntN(40)), uint8(100 + rng.IntN(40)), 255}, true)
	}
	for i := 0; i < 4; i++ { // tables
		y := h/2 + rng.IntN(h/3)
		fill(image.Rect(rng.IntN(w/2), y, w/2+rng.IntN(w/2), y+h/40), rc(90, 200), false)
	}
	for i := 0; i < len(img.Pix); i += 4 { // noise
		n := rng.IntN(9) - 4
		for c := 0; c < 3; c++ {
			img.Pix[i+c] = uint8(max(0, min(255, int(img.Pix[i+c])+n)))
		}
	}
	return img
}

// drawWMText draws s at (x, y) (baseline) in white with a dark shadow, thickened
// (the apps use bold sans faces).
func drawWMText(img draw.Image, f faces, x, y int, s string, bold int, shadow bool) {
	for _, r := range f.runs(s) {
		d := font.Drawer{Dst: img, Face: r.face}
		if shadow {
			d.Src = image.NewUniform(color.RGBA{20, 20, 20, 255})
			for dx := 0; dx <= bold; dx++ {
				d.Dot = fixed.P(x+dx+max(1, bold), y+max(1, bold))
				d.DrawString(r.s)
			}
		}
		d.Src = image.White
		for dx := 0; dx <= bold; dx++ {
			for dy := 0; dy <= bold/2; dy++ {
				d.Dot = fixed.P(x+dx, y+dy)
				d.DrawString(r.s)
			}
		}
		x += font.MeasureString(r.face, r.s).Round()
	}
}

// wmStrip draws the strip of layout l for the time when at the bottom of img
// and returns the text printed, line by line.
func wmStrip(rng *rand.Rand, img *image.RGBA, l Layout, when time.Time, lat, lon float64) ([]string, error) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	small := float64(w) / 40
	face, err := wmFace(small)
	if err != nil {
		return nil, err
	}
	bold := max(1, w/1600)
	m := w / 30
	addr := wmAddresses[rng.IntN(len(wmAddresses))]
	week := "星期" + cnWeekdays[when.Weekday()]
	var lines []string
	switch l {
	case Jinri:
		big, err := wmFace(small * 2.8)
		if err != nil {
			return nil, err
		}
		clock := when.Format("15:04")
		date := []string{when.Format("2006-01-02"), when.Format("2006.01.02"), when.Format("2006/01/02")}[rng.IntN(3)]
		yClock := h - m - int(small*1.6)
		drawWMText(img, big, m, yClock, clock, bold*2, true)
		cw := big.measure(clock) + bold*2
		bar := image.Rect(m+cw+m/3, yClock-int(small*2.2), m+cw+m/3+max(3, w/250), yClock)
		draw.Draw(img, bar, image.NewUniform(color.RGBA{250, 200, 20, 255}), image.Point{}, draw.Src)
		drawWMText(img, face, bar.Max.X+m/3, yClock-int(small*1.2), date, bold, true)
		drawWMText(img, face, bar.Max.X+m/3, yClock, week, bold, true)
		drawWMText(img, face, m, h-m, addr, bold, true)
		lines = []string{clock, date + " " + week, addr}
	case Mark:
		lines = []string{
			"时间：" + fmt.Sprintf("%d年%d月%d日 %s", when.Year(), when.Month(), when.Day(), when.Format("15:04")),
			"地点：" + addr,
			fmt.Sprintf("经度：%.6f 纬度：%.6f", lon, lat),
			fmt.Sprintf("海拔：%.1f米 天气：晴 %d℃", 40+rng.Float64()*20, 10+rng.IntN(20)),
		}
		lh := int(small * 1.5)
		panel := image.Rect(m/2, h-m/2-lh*len(lines)-m/2, m/2+int(small*22), h-m/2)
		for y := panel.Min.Y; y < panel.Max.Y; y++ {
			row := img.Pix[y*img.Stride:]
			for x := panel.Min.X; x < panel.Max.X && x < w; x++ {
				for c := 0; c < 3; c++ {
					row[4*x+c] = uint8(int(row[4*x+c]) * 2 / 5)
				}
			}
		}
		draw.Draw(img, image.Rect(panel.Min.X, panel.Min.Y, panel.Min.X+max(3, w/300), panel.Max.Y), image.NewUniform(color.RGBA{30, 120, 240, 255}), image.Point{}, draw.Src)
		for i, s := range lines {
			drawWMText(img, face, m, panel.Min.Y+m/2+lh*(i+1)-lh/4, s, bold, false)
		}
	case Phone:
		lines = []string{
			when.Format("2006-01-02 15:04:05") + " " + week,
			fmt.Sprintf("%.4f°E %.4f°N", lon, lat),
			addr,
		}
		lh := int(small * 1.45)
		for i, s := range lines {
			drawWMText(img, face, m, h-m-lh*(len(lines)-1-i), s, bold, true)
		}
	}
	return lines, nil
}

// Photo is one photo of the corpus.
type Photo struct {
	Path   string
	Layout Layout
	Strip  bool      // a strip was drawn (else a plain photo)
	WeChat bool      // re-encoded as WeChat does
	When   time.Time // the time printed, in UTC+8 (seconds only in Phone)
	MP     float64   // megapixels
}

// Write writes n photos with a strip (layouts in turn, sizes
// 2, 6 and 12 MP in turn, every third passed through WeChat) and plain
// photos without one into dir.
// The font is the system's CJK one (pipeline/format/fonts); without one the
// error is fonts.ErrNoFont.
func Write(dir string, n, plain int, seed uint64) ([]Photo, error) {
	rng := rand.New(rand.NewPCG(seed, 16))
	loc := time.FixedZone("CST", 8*3600)
	sizes := [][2]int{{1632, 1224}, {3000, 2250}, {4000, 3000}}
	var out []Photo
	for i := 0; i < n+plain; i++ {
		sz := sizes[i%len(sizes)]
		img := wmScene(rng, sz[0], sz[1])
		p := Photo{Strip: i < n, Layout: Layout(i % 3), WeChat: i%4 == 3, MP: float64(sz[0]*sz[1]) / 1e6}
		if p.Strip {
			p.When = time.Date(2026, 5, 11+rng.IntN(5), 7+rng.IntN(12), rng.IntN(60), 0, 0, loc)
			if p.Layout == Phone {
				p.When = p.When.Add(time.Duration(rng.IntN(60)) * time.Second)
			}
			if _, err := wmStrip(rng, img, p.Layout, p.When, 33.5+rng.Float64()*0.1, 114.55+rng.Float64()*0.1); err != nil {
				return nil, err
			}
		}
		var pic image.Image = img
		q := 92
		if p.WeChat {
			long := 1080
			dw, dh := long, sz[1]*long/sz[0]
			small := image.NewRGBA(image.Rect(0, 0, dw, dh))
			xdraw.BiLinear.Scale(small, small.Bounds(), img, img.Bounds(), xdraw.Src, nil)
			pic, q, p.MP = small, 75, float64(dw*dh)/1e6
		}
		kind := "plain"
		if p.Strip {
			kind = p.Layout.String()
		}
		p.Path = filepath.Join(dir, fmt.Sprintf("%02d-%s-%.0fMP.jpg", i, kind, p.MP))
		if err := writeJPEG(p.Path, pic, q); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func writeJPEG(path string, img image.Image, q int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: q}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
