package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/format/natsort"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/photo"
)

func init() {
	register("photos", "打印照片的 EXIF 信息（时间、GPS、相机、尺寸），供核对", runPhotos)
}

// photoReport is one photo of `photos --json`: the DESIGN.md fields, then what
// explains a judgement (time source, GPS time, county, distance to a venue).
type photoReport struct {
	Path       string          `json:"path"`
	Taken      *string         `json:"taken"` // RFC 3339 with offset
	TimeSource string          `json:"time_source"`
	GPSTime    *string         `json:"gps_time"` // RFC 3339, UTC
	Lat        *float64        `json:"lat"`
	Lon        *float64        `json:"lon"`
	Make       string          `json:"make"`
	Model      string          `json:"model"`
	Software   string          `json:"software"`
	Width      int             `json:"width"`
	Height     int             `json:"height"`
	InCounty   *bool           `json:"in_county"`
	Venue      string          `json:"venue,omitempty"`
	DistanceM  json.RawMessage `json:"distance_m,omitempty"` // null without GPS
	InVenue    json.RawMessage `json:"in_venue,omitempty"`
	Hash       string          `json:"hash,omitempty"` // pHash, 16 hex digits (--hash)
	Error      *string         `json:"error"`

	shown    string // the path as the table shows it
	distance *float64
	radius   float64
}

// venueRef is a venue to measure distances from.
type venueRef struct {
	name    string
	point   yanshou.LatLon
	radiusM float64
}

func runPhotos(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("photos [选项] 照片或文件夹...",
		"读出每张照片的 EXIF 拍摄时间（及其来源和时区）、GPS 位置和时间、相机、软件和像素尺寸，\n"+
			"只读文件头，逐张打印，供办公室核对一张照片为什么得出那样的判断。给文件夹时逐层查找其中\n"+
			"的照片（不跟随符号链接），按自然顺序（照片2 在 照片10 之前）。给 --venue 时显示到该点的\n"+
			"距离；只给 --config 时显示到配置中最近的培训场地的距离。",
		stderr,
		"yanshou photos inbox/商水县宏达职业培训学校/第1期/05现场照片",
		"yanshou photos --config yanshou.yaml IMG_0012.jpg",
		"yanshou photos --venue \"33.5412,114.6050\" --datum gcj02 现场照片/",
		"yanshou photos --json --hash 现场照片/ > 照片.json")
	cfgPath := fset.String("config", "", "`文件`县里的配置文件（yanshou.yaml）：时区、县域范围、培训场地")
	venueFlag := fset.String("venue", "", "`纬度,经度`培训场地的坐标，显示每张照片到它的距离")
	datum := fset.String("datum", geo.WGS84, "`坐标系`--venue 的坐标系：wgs84（GPS）、gcj02（高德/腾讯）或 bd09（百度）")
	asJSON := fset.Bool("json", false, "在标准输出打印一个 JSON 数组（每张照片一个对象）")
	withHash := fset.Bool("hash", false, "同时解码每张照片，打印其图像指纹（较慢）")
	if code, stop := parseFlags(fset, args); stop {
		return code
	}
	if fset.NArg() == 0 {
		return usageError(fset, "没有给出照片或文件夹")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou photos：%v\n", err)
		return exitUnprocessed
	}
	var venues []venueRef
	switch {
	case *venueFlag != "":
		p, err := geo.ParsePoint(*venueFlag)
		if err == nil {
			p, err = geo.ToWGS84(p, *datum)
		}
		if err != nil {
			return usageError(fset, fmt.Sprintf("--venue %q：%v", *venueFlag, err))
		}
		venues = []venueRef{{name: fmt.Sprintf("%.6f,%.6f", p.Lat, p.Lon), point: p, radiusM: cfg.Thresholds.PhotoRadiusM}}
	case *cfgPath != "":
		for _, v := range cfg.Venues {
			r := v.RadiusM
			if r <= 0 {
				r = cfg.Thresholds.PhotoRadiusM
			}
			venues = append(venues, venueRef{name: v.Name, point: v.Point, radiusM: r})
		}
	}

	code := exitOK
	var reports []photoReport
	for _, arg := range fset.Args() {
		paths, err := photoPaths(arg)
		if err != nil {
			code = exitUnprocessed
			msg := fmt.Sprintf("%s：%v", arg, err)
			reports = append(reports, photoReport{Path: arg, Error: &msg})
		}
		for _, path := range paths {
			r := inspectPhoto(path, cfg, venues, *withHash)
			// In the table, photos found in a folder are named from that folder.
			if rel, err := filepath.Rel(filepath.Dir(filepath.Clean(arg)), path); err == nil && path != arg {
				r.shown = filepath.ToSlash(rel)
			}
			reports = append(reports, r)
		}
	}
	if *asJSON {
		if reports == nil {
			reports = []photoReport{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(reports); err != nil {
			fmt.Fprintf(stderr, "yanshou photos：%v\n", err)
			return exitUnprocessed
		}
		return code
	}
	printPhotos(stdout, reports, len(venues) > 0, *withHash)
	return code
}

// photoPaths returns arg itself when it is a file, or the photos under it (by
// extension, in natural order: 照片2 before 照片10) when it is a folder. Symbolic links are not followed.
func photoPaths(arg string) ([]string, error) {
	st, err := os.Lstat(arg)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("文件或文件夹不存在")
	case err != nil:
		return nil, err
	case st.Mode()&fs.ModeSymlink != 0:
		return nil, errors.New("是符号链接，不予读取")
	case !st.IsDir():
		return []string{arg}, nil
	}
	var out []string
	err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && photo.IsPhoto(path) {
			out = append(out, path)
		}
		return nil
	})
	natsort.Strings(out)
	if err != nil {
		return out, fmt.Errorf("文件夹没有读完（%v）", err)
	}
	return out, nil
}

// inspectPhoto reads one photo's headers (and, with hash, decodes it).
func inspectPhoto(path string, cfg *yanshou.Config, venues []venueRef, hash bool) photoReport {
	p := photo.Read(path, path, cfg.Location)
	if hash {
		photo.HashPhoto(&p, path, cfg.Intake.MaxImagePixels)
	}
	r := photoReport{Path: path, TimeSource: p.TimeSource, Lat: p.Lat, Lon: p.Lon, Make: p.Make, Model: p.Model,
		Software: p.Software, Width: p.Width, Height: p.Height, Error: p.Error}
	if p.Taken != nil {
		s := p.Taken.Format(time.RFC3339)
		r.Taken = &s
	}
	if p.GPSTime != nil {
		s := p.GPSTime.UTC().Format(time.RFC3339Nano)
		r.GPSTime = &s
	}
	if p.Hash != 0 {
		r.Hash = fmt.Sprintf("%016x", p.Hash)
	}
	var here *yanshou.LatLon
	if p.Lat != nil && p.Lon != nil {
		here = &yanshou.LatLon{Lat: *p.Lat, Lon: *p.Lon}
		in := cfg.InCounty(*here)
		r.InCounty = &in
	}
	if len(venues) == 0 {
		return r
	}
	r.DistanceM, r.InVenue = json.RawMessage("null"), json.RawMessage("null")
	r.Venue, r.radius = venues[0].name, venues[0].radiusM
	if here == nil {
		return r
	}
	best := math.Inf(1)
	for _, v := range venues {
		if d := geo.DistanceM(*here, v.point); d < best {
			best, r.Venue, r.radius = d, v.name, v.radiusM
		}
	}
	best = math.Round(best*10) / 10
	r.distance = &best
	r.DistanceM = json.RawMessage(strconv.FormatFloat(best, 'f', -1, 64))
	r.InVenue = json.RawMessage(fmt.Sprint(best <= r.radius))
	return r
}

// printPhotos prints one line per photo for a person at a terminal.
func printPhotos(w io.Writer, reports []photoReport, venue, hash bool) {
	var tb table
	head := []string{"照片", "拍摄时间", "时间来源", "GPS 时间（UTC）", "纬度,经度", "相机", "软件", "尺寸"}
	if venue {
		head = append(head, "距场地")
	}
	if hash {
		head = append(head, "图像指纹")
	}
	tb.add(append(head, "问题")...)
	for _, r := range reports {
		taken, gps, pos, size := "—", "—", "—", "—"
		if r.Taken != nil {
			t, _ := time.Parse(time.RFC3339, *r.Taken)
			taken = t.Format("2006-01-02 15:04:05 -07:00")
		}
		if r.GPSTime != nil {
			t, _ := time.Parse(time.RFC3339Nano, *r.GPSTime)
			gps = t.Format("2006-01-02 15:04:05")
		}
		if r.Lat != nil && r.Lon != nil {
			pos = fmt.Sprintf("%.6f,%.6f", *r.Lat, *r.Lon)
			if r.InCounty != nil && !*r.InCounty {
				pos += "（县外）"
			}
		}
		if r.Width > 0 || r.Height > 0 {
			size = fmt.Sprintf("%d×%d", r.Width, r.Height)
		}
		camera := r.Model
		if !strings.HasPrefix(strings.ToLower(r.Model), strings.ToLower(r.Make)) {
			camera = strings.TrimSpace(r.Make + " " + r.Model)
		}
		name := r.Path
		if r.shown != "" {
			name = r.shown
		}
		row := []string{name, taken, dash(r.TimeSource), gps, pos, dash(camera), dash(r.Software), size}
		if venue {
			d := "—"
			if r.distance != nil {
				d = fmt.Sprintf("%.0f 米", *r.distance)
				if *r.distance > r.radius {
					d += fmt.Sprintf("（超出 %.0f 米半径）", r.radius)
				}
			}
			row = append(row, d)
		}
		if hash {
			row = append(row, dash(r.Hash))
		}
		problem := "—"
		if r.Error != nil {
			problem = strings.TrimPrefix(*r.Error, r.Path+"：")
		}
		tb.add(append(row, problem)...)
	}
	tb.write(w)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
