package photo

import (
	"math"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/geo"
)

func TestVenue(t *testing.T) {
	cfg := testConfig(t)
	center := cfg.Venues[0] // 商水县电子商务公共服务中心, configured in GCJ-02, radius 800
	given := yanshou.LatLon{Lat: 33.60, Lon: 114.55}
	tests := []struct {
		name       string
		class      *yanshou.ClassInfo
		want       *yanshou.LatLon
		wantRadius float64
		wantDesc   string
	}{
		{"manifest coordinates win", &yanshou.ClassInfo{Source: "培训信息表.xlsx", Venue: center.Name, VenueCoords: &given, VenueDatum: "gcj02"},
			&given, cfg.Thresholds.PhotoRadiusM, "培训信息表"},
		{"exact name", &yanshou.ClassInfo{Venue: center.Name}, &center.Point, center.RadiusM, "即县配置的场地"},
		{"manifest venue contains the name", &yanshou.ClassInfo{Venue: center.Name + "三楼培训室"}, &center.Point, center.RadiusM, "匹配到"},
		{"name contains the manifest venue", &yanshou.ClassInfo{Venue: "电子商务公共服务中心"}, &center.Point, center.RadiusM, "匹配到"},
		{"full-width space inside", &yanshou.ClassInfo{Venue: "商水县\u3000电子商务 公共服务中心"}, &center.Point, center.RadiusM, "即县配置的场地"},
		{"too short to match", &yanshou.ClassInfo{Venue: "中心"}, nil, cfg.Thresholds.PhotoRadiusM, "不在县配置的场地名单中"},
		{"unknown venue", &yanshou.ClassInfo{Venue: "某某村文化大院"}, nil, cfg.Thresholds.PhotoRadiusM, "某某村文化大院"},
		{"no venue", &yanshou.ClassInfo{}, nil, cfg.Thresholds.PhotoRadiusM, "未填写培训地点"},
		{"no manifest", nil, nil, cfg.Thresholds.PhotoRadiusM, "没有培训信息表"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, r, desc := Venue(tt.class, cfg)
			switch {
			case tt.want == nil && p != nil:
				t.Errorf("point = %v, want nil", *p)
			case tt.want != nil && (p == nil || *p != *tt.want):
				t.Errorf("point = %v, want %v", p, *tt.want)
			}
			if r != tt.wantRadius {
				t.Errorf("radius = %v, want %v", r, tt.wantRadius)
			}
			if !strings.Contains(desc, tt.wantDesc) {
				t.Errorf("desc = %q, want it to contain %q", desc, tt.wantDesc)
			}
		})
	}
	t.Run("longest contained name wins", func(t *testing.T) {
		c := *cfg
		c.Venues = append([]yanshou.Venue{{Name: "商水县", Point: yanshou.LatLon{Lat: 1, Lon: 1}, RadiusM: 5}}, cfg.Venues...)
		p, _, _ := Venue(&yanshou.ClassInfo{Venue: center.Name + "二楼"}, &c)
		if p == nil || *p != center.Point {
			t.Errorf("point = %v, want the longer name's %v", p, center.Point)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestJudge(t *testing.T) {
	cfg := testConfig(t)
	venue, radius, _ := Venue(&yanshou.ClassInfo{Venue: cfg.Venues[0].Name}, cfg)
	if venue == nil {
		t.Fatal("the built-in venue does not resolve")
	}
	gcjPin := geo.WGS84ToGCJ02(*venue) // what 高德 shows for the venue
	class := &yanshou.ClassInfo{Start: date(2026, 3, 10), End: date(2026, 3, 12)}
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	type want struct {
		inWindow, inVenue, inCounty *bool
		distMin, distMax            float64 // distance range; both 0: nil
	}
	tests := []struct {
		name     string
		taken    *time.Time
		lat, lon *float64
		class    *yanshou.ClassInfo
		venue    *yanshou.LatLon
		want     want
	}{
		{"first morning at the venue", at("2026-03-10T08:00:00+08:00"), &venue.Lat, &venue.Lon, class, venue,
			want{ptr(true), ptr(true), ptr(true), 0, 1}},
		{"within the slack before the first day", at("2026-03-09T22:00:00+08:00"), nil, nil, class, venue,
			want{inWindow: ptr(true)}},
		{"one second before the slack", at("2026-03-09T21:59:59+08:00"), nil, nil, class, venue,
			want{inWindow: ptr(false)}},
		{"last instant of the slack after the last day", at("2026-03-13T02:00:00+08:00"), nil, nil, class, venue,
			want{inWindow: ptr(true)}},
		{"one second after the slack", at("2026-03-13T02:00:01+08:00"), nil, nil, class, venue,
			want{inWindow: ptr(false)}},
		{"UTC offset compared as an instant", at("2026-03-09T14:00:00Z"), nil, nil, class, venue,
			want{inWindow: ptr(true)}},
		{"a month early", at("2026-02-10T10:00:00+08:00"), nil, nil, class, venue,
			want{inWindow: ptr(false)}},
		{"GCJ-02 pin taken for GPS: ~540 m off, inside 800 m", nil, &gcjPin.Lat, &gcjPin.Lon, class, venue,
			want{inVenue: ptr(true), inCounty: ptr(true), distMin: 450, distMax: 650}},
		{"2 km north of the venue, still in the county", nil, ptr(venue.Lat + 0.018), &venue.Lon, class, venue,
			want{inVenue: ptr(false), inCounty: ptr(true), distMin: 1950, distMax: 2050}},
		{"Zhengzhou: outside the county", nil, ptr(34.7466), ptr(113.6254), class, venue,
			want{inVenue: ptr(false), inCounty: ptr(false), distMin: 100000, distMax: 200000}},
		{"GPS but no venue", nil, &venue.Lat, &venue.Lon, class, nil,
			want{inCounty: ptr(true)}},
		{"no time, no GPS", nil, nil, nil, class, venue, want{}},
		{"time but no class dates", at("2026-03-10T08:00:00+08:00"), nil, nil, &yanshou.ClassInfo{}, venue, want{}},
		{"time but no manifest", at("2026-03-10T08:00:00+08:00"), nil, nil, nil, venue, want{}},
	}
	eq := func(got, want *bool) bool { return (got == nil) == (want == nil) && (got == nil || *got == *want) }
	show := func(b *bool) string {
		if b == nil {
			return "nil"
		}
		return map[bool]string{true: "true", false: "false"}[*b]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := yanshou.Photo{File: "现场照片/1.jpg", Taken: tt.taken, Lat: tt.lat, Lon: tt.lon}
			Judge(&p, tt.class, tt.venue, radius, cfg)
			if !eq(p.InWindow, tt.want.inWindow) {
				t.Errorf("InWindow = %s, want %s", show(p.InWindow), show(tt.want.inWindow))
			}
			if !eq(p.InVenue, tt.want.inVenue) {
				t.Errorf("InVenue = %s, want %s", show(p.InVenue), show(tt.want.inVenue))
			}
			if !eq(p.InCounty, tt.want.inCounty) {
				t.Errorf("InCounty = %s, want %s", show(p.InCounty), show(tt.want.inCounty))
			}
			if tt.want.distMax == 0 {
				if p.DistanceM != nil {
					t.Errorf("DistanceM = %v, want nil", *p.DistanceM)
				}
			} else if p.DistanceM == nil || *p.DistanceM < tt.want.distMin || *p.DistanceM > tt.want.distMax {
				t.Errorf("DistanceM = %v, want %v–%v", p.DistanceM, tt.want.distMin, tt.want.distMax)
			}
		})
	}

	t.Run("slack comes from the config", func(t *testing.T) {
		c := *cfg
		c.Thresholds.PhotoTimeSlack = 0
		p := yanshou.Photo{Taken: at("2026-03-09T23:00:00+08:00")}
		Judge(&p, class, venue, radius, &c)
		if p.InWindow == nil || *p.InWindow {
			t.Errorf("InWindow = %s with no slack, want false", show(p.InWindow))
		}
	})
	t.Run("radius comes from the caller", func(t *testing.T) {
		p := yanshou.Photo{Lat: &gcjPin.Lat, Lon: &gcjPin.Lon}
		Judge(&p, class, venue, 300, cfg)
		if p.InVenue == nil || *p.InVenue {
			t.Errorf("InVenue = %s at ~540 m with radius 300, want false", show(p.InVenue))
		}
	})
	t.Run("judging twice resets", func(t *testing.T) {
		p := yanshou.Photo{Taken: at("2026-03-10T08:00:00+08:00"), Lat: &venue.Lat, Lon: &venue.Lon}
		Judge(&p, class, venue, radius, cfg)
		p.Taken, p.Lat, p.Lon = nil, nil, nil
		Judge(&p, class, venue, radius, cfg)
		if p.InWindow != nil || p.InVenue != nil || p.InCounty != nil || p.DistanceM != nil {
			t.Error("stale judgements kept")
		}
	})
}

func TestDay(t *testing.T) {
	cfg := testConfig(t)
	class := &yanshou.ClassInfo{Start: date(2026, 3, 10), End: date(2026, 3, 12)}
	tests := []struct {
		taken string
		want  int
	}{
		{"2026-03-10T00:00:00+08:00", 1},
		{"2026-03-10T23:59:59+08:00", 1},
		{"2026-03-11T12:00:00+08:00", 2},
		{"2026-03-11T20:00:00Z", 3}, // 04:00 on the 12th in the county
		{"2026-03-12T23:00:00+08:00", 3},
		{"2026-03-09T23:00:00+08:00", 0},
		{"2026-03-13T01:00:00+08:00", 0},
	}
	for _, tt := range tests {
		tm, _ := time.Parse(time.RFC3339, tt.taken)
		p := yanshou.Photo{Taken: &tm}
		if got := Day(&p, class, cfg); got != tt.want {
			t.Errorf("Day(%s) = %d, want %d", tt.taken, got, tt.want)
		}
	}
	if got := Day(&yanshou.Photo{}, class, cfg); got != 0 {
		t.Errorf("Day(no time) = %d", got)
	}
}

func TestGCJVenueIsConverted(t *testing.T) {
	cfg := testConfig(t)
	v := cfg.Venues[0]
	raw, err := geo.ParsePoint(v.Coords)
	if err != nil {
		t.Fatal(err)
	}
	if d := geo.DistanceM(raw, v.Point); math.Abs(d-540) > 100 {
		t.Errorf("configured GCJ-02 venue is %.0f m from its WGS-84 point; want about 540 m", d)
	}
}
