package geo

import (
	"math"
	"testing"

	"yanshou"
)

func TestDistanceM(t *testing.T) {
	tests := []struct {
		name   string
		a, b   yanshou.LatLon
		want   float64
		within float64
	}{
		{"same point", yanshou.LatLon{Lat: 33.54, Lon: 114.61}, yanshou.LatLon{Lat: 33.54, Lon: 114.61}, 0, 0.001},
		{"one degree of latitude", yanshou.LatLon{Lat: 33, Lon: 114}, yanshou.LatLon{Lat: 34, Lon: 114}, 111195, 50},
		{"Beijing to Shanghai", yanshou.LatLon{Lat: 39.9042, Lon: 116.4074}, yanshou.LatLon{Lat: 31.2304, Lon: 121.4737}, 1067000, 3000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DistanceM(tt.a, tt.b); math.Abs(got-tt.want) > tt.within {
				t.Errorf("DistanceM = %.1f, want %.1f ± %.1f", got, tt.want, tt.within)
			}
		})
	}
}

func TestDatumRoundTrip(t *testing.T) {
	wgs := yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}
	gcj := WGS84ToGCJ02(wgs)
	shift := DistanceM(wgs, gcj)
	// DESIGN.md: GCJ-02 pins sit about 530–560 m from WGS-84 in this county.
	if shift < 450 || shift > 650 {
		t.Errorf("GCJ-02 shift in Shangshui = %.0f m, want about 530–560 m", shift)
	}
	tests := []struct {
		datum string
		in    yanshou.LatLon
	}{
		{WGS84, wgs},
		{"", wgs},
		{GCJ02, gcj},
		{BD09, GCJ02ToBD09(gcj)},
		{"BD09", GCJ02ToBD09(gcj)},
	}
	for _, tt := range tests {
		got, err := ToWGS84(tt.in, tt.datum)
		if err != nil {
			t.Fatalf("ToWGS84(%q): %v", tt.datum, err)
		}
		if d := DistanceM(got, wgs); d > 1 {
			t.Errorf("ToWGS84(%q) is %.2f m off", tt.datum, d)
		}
	}
	if _, err := ToWGS84(wgs, "utm"); err == nil {
		t.Error("an unknown datum must be an error")
	}
}

func TestParsePoint(t *testing.T) {
	tests := []struct {
		in      string
		want    yanshou.LatLon
		wantErr bool
	}{
		{"33.5432,114.6091", yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}, false},
		{" 33.5432， 114.6091 ", yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}, false},
		{"33.5432", yanshou.LatLon{}, true},
		{"北纬33度", yanshou.LatLon{}, true},
		{"95,114", yanshou.LatLon{}, true},
	}
	for _, tt := range tests {
		got, err := ParsePoint(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("ParsePoint(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestDatumMixup: photos taken at the venue, the venue's coordinates copied from
// 百度地图 (BD-09) or 高德 (GCJ-02) and read as WGS-84 (or the other way round):
// the mix-up is named; photos at the venue, or scattered, name none.
func TestDatumMixup(t *testing.T) {
	venue := yanshou.LatLon{Lat: 33.5440, Lon: 114.6100} // WGS-84, where the photos are
	at := func(p yanshou.LatLon, n int) []yanshou.LatLon {
		var out []yanshou.LatLon
		for i := range n {
			out = append(out, yanshou.LatLon{Lat: p.Lat + float64(i%3-1)*0.0004, Lon: p.Lon + float64(i%2)*0.0004})
		}
		return out
	}
	bd := GCJ02ToBD09(WGS84ToGCJ02(venue))
	gcj := WGS84ToGCJ02(venue)
	gcjRead, _ := ToWGS84(bd, GCJ02) // BD-09 numbers read as GCJ-02
	for _, tt := range []struct {
		name             string
		taken            yanshou.LatLon // where the venue was taken to be
		photos           []yanshou.LatLon
		declared, actual string
	}{
		{"BD-09 numbers read as WGS-84", bd, at(venue, 8), WGS84, BD09},
		{"GCJ-02 numbers read as WGS-84", gcj, at(venue, 8), WGS84, GCJ02},
		{"BD-09 numbers read as GCJ-02", gcjRead, at(venue, 8), GCJ02, BD09},
		{"right datum: nothing", venue, at(venue, 8), "", ""},
		{"photos elsewhere altogether: nothing", bd, at(yanshou.LatLon{Lat: 33.60, Lon: 114.70}, 8), "", ""},
		{"one photo is not enough", bd, at(venue, 1), "", ""},
	} {
		d, a, ok := DatumMixup(tt.taken, 300, tt.photos)
		if d != tt.declared || a != tt.actual || ok != (tt.actual != "") {
			t.Errorf("%s: %q %q %v, want %q %q", tt.name, d, a, ok, tt.declared, tt.actual)
		}
	}
}
