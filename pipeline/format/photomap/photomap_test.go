package photomap

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

var venue = yanshou.LatLon{Lat: 33.5410, Lon: 114.6050}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

// at returns a photo metres north and east of the venue, taken at "2006-01-02 15:04".
func at(north, east float64, taken string) yanshou.Photo {
	lat := venue.Lat + north/earthRadiusM*180/math.Pi
	lon := venue.Lon + east/(earthRadiusM*math.Cos(venue.Lat*math.Pi/180))*180/math.Pi
	p := yanshou.Photo{Lat: &lat, Lon: &lon, InCounty: yes()}
	d := math.Hypot(north, east)
	in := d <= 800
	p.DistanceM, p.InVenue = &d, &in
	if taken != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04", taken, shanghai)
		if err != nil {
			panic(err)
		}
		p.Taken = &t
		p.InWindow = yes()
	}
	return p
}

func noGPS(taken string) yanshou.Photo {
	p := at(0, 0, taken)
	p.Lat, p.Lon, p.DistanceM, p.InVenue, p.InCounty = nil, nil, nil, nil, nil
	return p
}

// sample is a two-day class: photos at the venue, one 600 m east, one 2.5 km
// north (outside), one 150 km away, one without GPS, one without time.
func sample() []yanshou.Photo {
	ps := []yanshou.Photo{
		at(20, -10, "2026-03-10 09:05"), at(25, -5, "2026-03-10 09:06"), at(22, -12, "2026-03-10 14:30"),
		at(0, 600, "2026-03-11 10:00"), at(2500, 0, "2026-03-11 15:00"), at(150000, 20000, "2026-03-12 23:30"),
		noGPS("2026-03-11 16:00"), at(-30, 15, ""),
	}
	ps[5].InWindow, ps[5].InCounty = no(), no()
	return ps
}

func rgba(img *image.RGBA, x, y float64) color.RGBA {
	return img.RGBAAt(int(x), int(y))
}

func TestMap(t *testing.T) {
	photos := sample()
	img, info := Map(photos, &venue, 800, MapOptions{})
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 900 {
		t.Fatalf("size %v", b)
	}
	if len(info.NoGPS) != 1 || info.NoGPS[0] != 7 || len(info.Dots) != 7 {
		t.Fatalf("dots %d, no GPS %v", len(info.Dots), info.NoGPS)
	}
	dots := map[int]Dot{}
	for _, d := range info.Dots {
		dots[d.N] = d
	}
	cx, cy := 600.0, 450.0
	// North is up, east is right, at the stated scale.
	east := dots[4]
	if math.Abs(east.TrueX-(cx+600/info.MetresPerPixel)) > 1 || math.Abs(east.TrueY-cy) > 1 {
		t.Errorf("600 m east drawn at %.1f,%.1f (scale %.2f m/px)", east.TrueX, east.TrueY, info.MetresPerPixel)
	}
	north := dots[5]
	if north.Off || math.Abs(north.TrueY-(cy-2500/info.MetresPerPixel)) > 1 || math.Abs(north.TrueX-cx) > 1 {
		t.Errorf("2.5 km north drawn at %.1f,%.1f off=%v", north.TrueX, north.TrueY, north.Off)
	}
	// The far photo is an arrow at the edge, towards the north-north-east.
	far := dots[6]
	if !far.Off || far.Y > 60 || far.X <= cx || math.Abs(far.DistanceM-151330) > 2000 {
		t.Errorf("far photo: %+v", far)
	}
	// Dots that would overlap are moved apart, each keeping its true place.
	for _, a := range info.Dots {
		for _, b := range info.Dots {
			if a.N < b.N && !a.Off && !b.Off && math.Hypot(a.X-b.X, a.Y-b.Y) < 2*dotRadius {
				t.Errorf("dots %d and %d overlap", a.N, b.N)
			}
		}
	}
	// Colours: the dot's centre has its status colour (the digit is white, so
	// look just inside the rim).
	for n, want := range map[int]color.RGBA{1: Good, 5: Bad, 8: Doubt} {
		d := dots[n]
		if got := rgba(img, d.X-dotRadius+3, d.Y); got != want {
			t.Errorf("dot %d colour %v, want %v", n, got, want)
		}
	}
	// The scale bar is a round number, and the venue circle is drawn at the radius.
	if s := info.ScaleM; s != niceStep(s) {
		t.Errorf("scale bar %v m is not a round length", s)
	}
	if got := rgba(img, cx+800/info.MetresPerPixel, cy); got == paper {
		t.Errorf("no venue circle at the radius")
	}
	writePNG(t, "map.png", img)
}

func TestMapEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		photos []yanshou.Photo
		venue  *yanshou.LatLon
		radius float64
		dots   int
	}{
		{"nothing at all", nil, nil, 0, 0},
		{"venue only", nil, &venue, 800, 0},
		{"no venue: centred on the photos", sample()[:4], nil, 0, 4},
		{"all at one spot", []yanshou.Photo{at(0, 0, ""), at(0, 0, ""), at(0, 0, ""), at(0, 0, ""), at(0, 0, "")}, &venue, 500, 5},
		{"across the antimeridian", func() []yanshou.Photo {
			a, b := 179.9999, -179.9999
			lat := 10.0
			return []yanshou.Photo{{Lat: &lat, Lon: &a}, {Lat: &lat, Lon: &b}}
		}(), nil, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, info := Map(tt.photos, tt.venue, tt.radius, MapOptions{Width: 400, Height: 300})
			if img.Bounds().Dx() != 400 || len(info.Dots) != tt.dots {
				t.Fatalf("size %v, %d dots", img.Bounds(), len(info.Dots))
			}
			for _, d := range info.Dots {
				if math.IsNaN(d.X) || math.IsNaN(d.Y) || d.X < 0 || d.X > 400 || d.Y < 0 || d.Y > 300 {
					t.Errorf("dot %d at %.1f,%.1f", d.N, d.X, d.Y)
				}
			}
			if tt.name == "across the antimeridian" && math.Abs(info.Dots[0].DistanceM-info.Dots[1].DistanceM) > 1 || info.MetresPerPixel > 1e5 {
				t.Errorf("antimeridian: %+v scale %v", info.Dots, info.MetresPerPixel)
			}
		})
	}
}

func TestTimeline(t *testing.T) {
	photos := sample()
	start := yanshou.Date{Time: time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai)}
	end := yanshou.Date{Time: time.Date(2026, 3, 11, 0, 0, 0, 0, shanghai)}
	photos = append(photos, at(0, 0, "2026-02-01 10:00")) // long before: off the axis
	photos[8].InWindow = no()
	img, info := Timeline(photos, start, end, 2*time.Hour, shanghai, TimelineOptions{})
	if img.Bounds().Dx() != 1600 || len(info.NoTime) != 1 || info.NoTime[0] != 8 || len(info.Ticks) != 8 {
		t.Fatalf("size %v, no time %v, %d ticks", img.Bounds(), info.NoTime, len(info.Ticks))
	}
	ticks := map[int]Tick{}
	for _, tk := range info.Ticks {
		ticks[tk.N] = tk
	}
	xOf := func(tm time.Time) float64 {
		return 24 + (1600-48)*tm.Sub(info.From).Seconds()/info.To.Sub(info.From).Seconds()
	}
	for n := 1; n <= 5; n++ {
		if got, want := ticks[n].X, xOf(*photos[n-1].Taken); math.Abs(got-want) > 0.01 || ticks[n].Off {
			t.Errorf("photo %d at x=%.1f, want %.1f", n, got, want)
		}
	}
	if !ticks[9].Off || ticks[9].X > 24+dotRadius+0.01 {
		t.Errorf("photo long before the class: %+v", ticks[9])
	}
	if !ticks[6].Off || ticks[6].X < 1600-24-dotRadius-0.01 {
		t.Errorf("photo a day after the class: %+v", ticks[6])
	}
	// Photos 1 and 2 are a minute apart: stacked in different rows.
	if ticks[1].Y == ticks[2].Y {
		t.Errorf("photos a minute apart share a row")
	}
	// Day one's band, the slack and beyond are told apart by colour.
	band := func(tm time.Time) color.RGBA { return rgba(img, xOf(tm), float64(img.Bounds().Dy())-60) }
	if got := band(time.Date(2026, 3, 10, 6, 0, 0, 0, shanghai)); got != dayFill {
		t.Errorf("day one band %v", got)
	}
	if got := band(time.Date(2026, 3, 11, 6, 0, 0, 0, shanghai)); got != dayFillAlt {
		t.Errorf("day two band %v", got)
	}
	if got := band(time.Date(2026, 3, 12, 1, 0, 0, 0, shanghai)); got != slackFill {
		t.Errorf("slack band %v", got)
	}
	if got := band(time.Date(2026, 3, 12, 4, 0, 0, 0, shanghai)); got != outsideFill {
		t.Errorf("outside band %v", got)
	}
	writePNG(t, "timeline.png", img)

	// Without dates the axis spans the photos.
	_, info = Timeline(photos[:3], yanshou.Date{}, yanshou.Date{}, time.Hour, shanghai, TimelineOptions{Width: 800})
	if !info.From.Before(*photos[0].Taken) || !info.To.After(*photos[2].Taken) {
		t.Errorf("undated axis %v – %v", info.From, info.To)
	}
	// Nothing at all still gives a picture.
	if img, _ := Timeline(nil, yanshou.Date{}, yanshou.Date{}, 0, nil, TimelineOptions{}); img.Bounds().Empty() {
		t.Error("empty timeline")
	}
}

// TestDeterministic: the same input draws the same pixels.
func TestDeterministic(t *testing.T) {
	sum := func() [32]byte {
		img, _ := Map(sample(), &venue, 800, MapOptions{Width: 600, Height: 450})
		var buf bytes.Buffer
		png.Encode(&buf, img)
		return sha256.Sum256(buf.Bytes())
	}
	if first, second := sum(), sum(); first != second {
		t.Fatal("two drawings of the same map differ")
	}
}

func TestNiceStepAndMetres(t *testing.T) {
	for _, tt := range []struct {
		in, want float64
	}{{93, 100}, {130, 200}, {380, 500}, {1700, 2000}, {0, 100}} {
		if got := niceStep(tt.in); got != tt.want {
			t.Errorf("niceStep(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   float64
		want string
	}{{350, "350 m"}, {1000, "1 km"}, {1250, "1.2 km"}, {152000, "152 km"}} {
		if got := metres(tt.in); got != tt.want {
			t.Errorf("metres(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// writePNG keeps a picture for a person to look at when PHOTOMAP_OUT names a folder.
func writePNG(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("PHOTOMAP_OUT")
	if dir == "" {
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
