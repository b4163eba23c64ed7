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
