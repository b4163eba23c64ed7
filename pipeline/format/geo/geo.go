// Package geo converts between the datums Chinese map apps use and measures
// distances on the earth's surface.
package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"yanshou"
)

// Datums understood by ToWGS84.
const (
	WGS84 = "wgs84" // GPS, EXIF
	GCJ02 = "gcj02" // 高德, 腾讯 (the "Mars" datum)
	BD09  = "bd09"  // 百度
)

const (
	earthRadiusM = 6371008.8 // mean earth radius for haversine
	krasA        = 6378245.0 // Krasovsky 1940 semi-major axis used by GCJ-02
	krasEE       = 0.00669342162296594323
)

// ParsePoint reads "lat,lon" (a full-width comma or spaces are accepted).
func ParsePoint(s string) (yanshou.LatLon, error) {
	s = strings.NewReplacer("，", ",", "、", ",", " ", "", "\u3000", "").Replace(strings.TrimSpace(s))
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return yanshou.LatLon{}, fmt.Errorf("坐标 %q 应为 \"纬度,经度\"", s)
	}
	lat, err1 := strconv.ParseFloat(parts[0], 64)
	lon, err2 := strconv.ParseFloat(parts[1], 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return yanshou.LatLon{}, fmt.Errorf("坐标 %q 不是有效的纬度,经度", s)
	}
	return yanshou.LatLon{Lat: lat, Lon: lon}, nil
}

// ToWGS84 converts a point given in datum to WGS-84. An empty datum means WGS-84.
func ToWGS84(p yanshou.LatLon, datum string) (yanshou.LatLon, error) {
	switch strings.ToLower(strings.TrimSpace(datum)) {
	case "", WGS84:
		return p, nil
	case GCJ02:
		return gcjToWGS(p), nil
	case BD09:
		return gcjToWGS(bdToGCJ(p)), nil
	}
	return p, fmt.Errorf("未知的坐标系 %q（应为 wgs84、gcj02 或 bd09）", datum)
}

// WGS84ToGCJ02 applies the GCJ-02 obfuscation (used for tests and samples).
func WGS84ToGCJ02(p yanshou.LatLon) yanshou.LatLon {
	if outOfChina(p) {
		return p
	}
	dLat, dLon := gcjDelta(p)
	return yanshou.LatLon{Lat: p.Lat + dLat, Lon: p.Lon + dLon}
}

// GCJ02ToBD09 converts a GCJ-02 point to Baidu's BD-09.
func GCJ02ToBD09(p yanshou.LatLon) yanshou.LatLon {
	x, y := p.Lon, p.Lat
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*math.Pi*3000.0/180.0)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*math.Pi*3000.0/180.0)
	return yanshou.LatLon{Lat: z*math.Sin(theta) + 0.006, Lon: z*math.Cos(theta) + 0.0065}
}

func bdToGCJ(p yanshou.LatLon) yanshou.LatLon {
	x, y := p.Lon-0.0065, p.Lat-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*math.Pi*3000.0/180.0)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*math.Pi*3000.0/180.0)
	return yanshou.LatLon{Lat: z * math.Sin(theta), Lon: z * math.Cos(theta)}
}

// gcjToWGS inverts GCJ-02 by fixed-point iteration (error well under a metre).
func gcjToWGS(g yanshou.LatLon) yanshou.LatLon {
	if outOfChina(g) {
		return g
	}
	w := g
	for i := 0; i < 10; i++ {
		c := WGS84ToGCJ02(w)
		w.Lat -= c.Lat - g.Lat
		w.Lon -= c.Lon - g.Lon
	}
	return w
}

func outOfChina(p yanshou.LatLon) bool {
	return p.Lon < 72.004 || p.Lon > 137.8347 || p.Lat < 0.8293 || p.Lat > 55.8271
}

func gcjDelta(p yanshou.LatLon) (dLat, dLon float64) {
	x, y := p.Lon-105.0, p.Lat-35.0
	dLat = -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	dLat += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLat += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	dLat += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	dLon = 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	dLon += (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	dLon += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	dLon += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	radLat := p.Lat / 180.0 * math.Pi
	magic := math.Sin(radLat)
	magic = 1 - krasEE*magic*magic
	sqrtMagic := math.Sqrt(magic)
	dLat = (dLat * 180.0) / ((krasA * (1 - krasEE)) / (magic * sqrtMagic) * math.Pi)
	dLon = (dLon * 180.0) / (krasA / sqrtMagic * math.Cos(radLat) * math.Pi)
	return dLat, dLon
}

// DistanceM is the great-circle (haversine) distance between two WGS-84 points in metres.
func DistanceM(a, b yanshou.LatLon) float64 {
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Datums names the coordinate systems a venue may be given in, for DatumMixup.
var Datums = []string{WGS84, GCJ02, BD09}

// fromWGS84 converts a WGS-84 point into datum (the forward direction).
func fromWGS84(p yanshou.LatLon, datum string) yanshou.LatLon {
	switch datum {
	case GCJ02:
		return WGS84ToGCJ02(p)
	case BD09:
		return GCJ02ToBD09(WGS84ToGCJ02(p))
	}
	return p
}

// DatumMixup looks for the commonest mistake with a venue's coordinates: copied
// from a map in one system (百度 BD-09, 高德/腾讯 GCJ-02) and read as another.
// venue is where the coordinates were taken to be (WGS-84, after the declared
// datum); photos are the photos' GPS positions. When at least 80% of at least
// two photos lie within radiusM of where the venue would be had its coordinates
// been read in another system, and fewer lie within radiusM of venue, it
// returns the system the coordinates were read in (declared) and the one they
// fit (actual).
func DatumMixup(venue yanshou.LatLon, radiusM float64, photos []yanshou.LatLon) (declared, actual string, ok bool) {
	if len(photos) < 2 || radiusM <= 0 {
		return "", "", false
	}
	within := func(c yanshou.LatLon) int {
		n := 0
		for _, p := range photos {
			if DistanceM(c, p) <= radiusM {
				n++
			}
		}
		return n
	}
	here := within(venue)
	best := here
	for _, x := range Datums {
		raw := fromWGS84(venue, x) // the coordinates as typed, had they been declared x
		for _, y := range Datums {
			if x == y {
				continue
			}
			c, err := ToWGS84(raw, y)
			if err != nil {
				continue
			}
			if n := within(c); n > best && float64(n) >= 0.8*float64(len(photos)) {
				best, declared, actual, ok = n, x, y, true
			}
		}
	}
	return declared, actual, ok
}
