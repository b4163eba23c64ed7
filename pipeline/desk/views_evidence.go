package desk

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/format/photomap"
	"yanshou/pipeline/format/zh"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

// evidenceWords are the keys of templates/report/report.yaml the desk's photo
// table and map share with the report: the status words, the map's caption
// and legend.
type evidenceWords struct {
	Photos struct {
		templates.PhotoWords `yaml:",inline"`
		MapTitle             string `yaml:"map_title"`
		LegendGood           string `yaml:"legend_good"`
		LegendDoubt          string `yaml:"legend_doubt"`
		LegendBad            string `yaml:"legend_bad"`
		MapVenue             string `yaml:"map_venue"`
		NoVenue              string `yaml:"no_venue"`
		MapNone              string `yaml:"map_none"`
		NotOnMap             string `yaml:"not_on_map"`
	} `yaml:"photos"`
	ListSep string `yaml:"list_sep"`
}

// classEvidence is the class page's evidence drawn from the version's detail
// (yanshou.Detail): photos with their time, place and status and the map;
// reuse pairs; the attendance matrix and the paper signature strips.
type classEvidence struct {
	Kept       bool   // the version's detail is there
	Why        string // why it is not, in Chinese
	Photos     []photoRow
	Map        bool     // a map is drawn (some photo has a position)
	MapTitle   string   // its caption
	MapNotes   []string // what the map shows and what it leaves out
	Legend     [3]string
	Pairs      []pairRow
	Matrix     *matrixView
	Signatures *stripsView
}

// photoRow is one photo of the table, numbered as on the map.
type photoRow struct {
	N        int // the number on the map (position in the detail + 1)
	K        int // index among the version's stored photos, for the photo routes; -1 when not stored
	File     string
	Taken    string
	Source   string // where the time was read
	Place    string // latitude, longitude
	Distance string
	Status   string
	Bad      bool
}

// pairRow is a photo beside the other photo it repeats or resembles.
type pairRow struct {
	N, K, P, J int // the photo's number and stored index; its index in the detail; the pair's index
	File       string
	Kind       string // 重复使用 or 相似
	Other      string // the other photo's class and file
	Measure    string
	Shown      bool   // the viewer may see the other photo
	Hidden     string // why not, in Chinese
}

// kept holds the details read and the maps drawn, by content hash: a
// version's detail is written once for its content.
type kept struct {
	mu      sync.Mutex
	details map[string]*yanshou.Detail
	maps    map[string]*drawnMap
	blanks  *blanks       // the blank templates (views_downloads.go)
	sheets  chan struct{} // bounds the sign-in sheets made at once
}

// detailKept bounds the details and maps kept in memory.
const detailKept = 256

func newKept() *kept {
	return &kept{details: map[string]*yanshou.Detail{}, maps: map[string]*drawnMap{}, blanks: &blanks{}, sheets: make(chan struct{}, 1)}
}

// forget drops what is kept (a test that rewrites a detail).
func (k *kept) forget() {
	k.mu.Lock()
	clear(k.details)
	clear(k.maps)
	k.mu.Unlock()
}

// detail reads a version's detail, once per content hash.
func (s *Server) detail(v *yanshou.VersionRecord) (*yanshou.Detail, error) {
	s.kept.mu.Lock()
	d, ok := s.kept.details[v.ContentHash]
	s.kept.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := pipeline.ReadDetail(s.o.Outbox, v.ContentHash)
	if err != nil {
		return nil, err
	}
	s.kept.mu.Lock()
	if len(s.kept.details) >= detailKept {
		clear(s.kept.details)
	}
	s.kept.details[v.ContentHash] = d
	s.kept.mu.Unlock()
	return d, nil
}

func (s *Server) templatesDir() string {
	if s.o.Config != nil {
		return s.o.Config.Templates
	}
	return ""
}

// evidence builds the evidence sections of a class page; a version without a
// detail gets the reason in Chinese, never an error page.
func (s *Server) evidence(r *http.Request, ver *yanshou.VersionRecord, files []ledger.StoredFile) *classEvidence {
	d, err := s.detail(ver)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &classEvidence{Why: fmt.Sprintf("第 %d 版验收时程序尚未保存照片和考勤明细，此处不能显示；请看验收报告和考勤表（重新评定 batch 后可显示）。", ver.Version)}
		}
		s.o.Logger.Warn("detail", "class", ver.Report.ID, "version", ver.Version, "err", err)
		return &classEvidence{Why: "照片和考勤明细无法读取（" + err.Error() + "）"}
	}
	var w evidenceWords
	if err := templates.LoadPart(s.templatesDir(), "report/report.yaml", &w); err != nil {
		return &classEvidence{Why: err.Error()}
	}
	ev := &classEvidence{Kept: true, MapTitle: w.Photos.MapTitle, Legend: [3]string{w.Photos.LegendGood, w.Photos.LegendDoubt, w.Photos.LegendBad}}
	stored := map[string]int{}
	for k, f := range photos(files) {
		stored[f.Rel] = k
	}
	f := &templates.Filler{}
	judged := make([]yanshou.Photo, len(d.Photos))
	for i, dp := range d.Photos {
		p := dp.Judged()
		judged[i] = p
		row := photoRow{N: i + 1, K: -1, File: p.File, Taken: w.Photos.Unknown, Place: w.Photos.Unknown, Distance: w.Photos.Unknown}
		if k, ok := stored[p.File]; ok {
			row.K = k
		}
		if p.Taken != nil {
			row.Taken = p.Taken.In(s.loc()).Format("2006-01-02 15:04")
			row.Source = timeSource(p.TimeSource)
		}
		if p.Lat != nil && p.Lon != nil {
			row.Place = fmt.Sprintf("%.5f, %.5f", *p.Lat, *p.Lon)
		}
		if p.DistanceM != nil {
			row.Distance = f.Do(w.Photos.Distance, map[string]any{"M": zh.Whole(*p.DistanceM)})
		}
		status, ok := w.Photos.Status(f, p.ReusedOf, p.InWindow, p.InVenue, p.InCounty, w.ListSep)
		row.Status, row.Bad = status, !ok
		ev.Photos = append(ev.Photos, row)
		for j, pr := range p.Pairs {
			ev.Pairs = append(ev.Pairs, s.pairRow(r, ver, files, row, i, j, pr))
		}
	}
	if len(judged) > 0 {
		info := s.mapOf(ver, d).info
		ev.Map = len(info.Dots) > 0
		switch {
		case !ev.Map:
			ev.MapNotes = append(ev.MapNotes, w.Photos.MapNone)
		case d.Venue != nil:
			ev.MapNotes = append(ev.MapNotes, f.Do(w.Photos.MapVenue, map[string]any{"Radius": zh.Whole(d.VenueM)}))
		default:
			ev.MapNotes = append(ev.MapNotes, w.Photos.NoVenue)
		}
		if ev.Map && len(info.NoGPS) > 0 {
			var list []string
			for _, n := range info.NoGPS {
				list = append(list, fmt.Sprint(n))
			}
			ev.MapNotes = append(ev.MapNotes, f.Do(w.Photos.NotOnMap, map[string]any{"N": len(info.NoGPS), "List": strings.Join(list, w.ListSep)}))
		}
	}
	if f.Err != nil {
		return &classEvidence{Why: f.Err.Error()}
	}
	ev.Matrix = matrix(d)
	ev.Signatures = strips(d)
	return ev
}

// timeSource says in Chinese where a photo's time was read.
func timeSource(s string) string {
	switch s {
	case "":
		return ""
	case yanshou.TimeSourceWatermark:
		return "水印"
	default:
		return "EXIF " + s
	}
}

// mapOptions size the desk's map: the page's width at 1366×768.
var mapOptions = photomap.MapOptions{Width: 840, Height: 560}

// drawnMap is a version's photo map, drawn once.
type drawnMap struct {
	png  []byte // nil when no photo has a position
	info photomap.MapInfo
}

// mapOf draws the map of a version's photos (the report's, at the page's
// size), once per content hash.
func (s *Server) mapOf(v *yanshou.VersionRecord, d *yanshou.Detail) *drawnMap {
	s.kept.mu.Lock()
	m, ok := s.kept.maps[v.ContentHash]
	s.kept.mu.Unlock()
	if ok {
		return m
	}
	judged := make([]yanshou.Photo, len(d.Photos))
	for i, dp := range d.Photos {
		judged[i] = dp.Judged()
	}
	img, info := photomap.Map(judged, d.Venue, d.VenueM, mapOptions)
	m = &drawnMap{info: info}
	if len(info.Dots) > 0 {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err == nil {
			m.png = buf.Bytes()
		}
	}
	s.kept.mu.Lock()
	if len(s.kept.maps) >= detailKept {
		clear(s.kept.maps)
	}
	s.kept.maps[v.ContentHash] = m
	s.kept.mu.Unlock()
	return m
}

// photoMap serves the map of a version's photos as a PNG.
func (s *Server) photoMap(w http.ResponseWriter, r *http.Request) {
	_, v, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	d, err := s.detail(v)
	if err != nil || len(d.Photos) == 0 {
		s.notFound(w, r)
		return
	}
	m := s.mapOf(v, d)
	if m.png == nil {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(m.png)
}

// pairRow describes one pair for the page, and whether the viewer may see the
// other photo (see otherPhoto).
func (s *Server) pairRow(r *http.Request, ver *yanshou.VersionRecord, files []ledger.StoredFile, row photoRow, p, j int, pr yanshou.PhotoPair) pairRow {
	out := pairRow{N: row.N, K: row.K, P: p, J: j, File: row.File, Kind: "相似"}
	if pr.Kind == "reused" {
		out.Kind = "重复使用"
	}
	where := "本班次"
	if pr.Label != "" {
		where = pr.Label
	}
	out.Other = where + " " + pr.File
	out.Measure = fmt.Sprintf("汉明距离 %d 位", pr.Distance)
	if pr.Share > 0 {
		out.Measure += fmt.Sprintf("，对齐后相同区块 %.0f%%", pr.Share*100)
	}
	if _, why := s.pairAllowed(r, ver, files, pr); why != "" {
		out.Hidden = why
		out.Other = "其他培训机构的班次" // an institution is not told which
	} else {
		out.Shown = true
	}
	return out
}

// pairAllowed decides whether the session may see the other photo of a pair:
// the office sees every pair; an institution sees it only when the other
// photo is one of its own classes' (the same class, or another class the
// ledger shows it), so a reuse found across institutions never shows it
// another institution's photo. It returns the photo's path in the originals
// store, or why not.
func (s *Server) pairAllowed(r *http.Request, ver *yanshou.VersionRecord, files []ledger.StoredFile, pr yanshou.PhotoPair) (string, string) {
	if !isSHA256(pr.SHA256) {
		return "", "另一张照片的摘要缺失，无法显示"
	}
	p := originals.Path(filepath.Join(s.o.Outbox, pipeline.StateDirName, "originals"), pr.SHA256)
	u := session(r).User
	if u.Role.Office() {
		return p, ""
	}
	const other = "另一张照片属于其他培训机构的班次，不向本机构显示"
	var theirs []ledger.StoredFile
	switch {
	case pr.ClassID == "" || pr.ClassID == ver.Report.ID && pr.Version == ver.Version:
		theirs = files
	default:
		c, err := s.o.Ledger.ScopedClass(u.Scope(), pr.ClassID, s.o.Now(), s.loc(), s.retrainShare())
		if err != nil || c == nil || version(c, fmt.Sprint(pr.Version)) == nil {
			return "", other
		}
		theirs, err = s.o.Ledger.ScopedFiles(u.Scope(), pr.ClassID, pr.Version)
		if err != nil {
			return "", other
		}
	}
	for _, f := range theirs {
		if f.SHA256 == pr.SHA256 {
			return p, ""
		}
	}
	return "", other
}

// otherPhoto serves a thumbnail of the other photo of a pair ({p}: the photo
// in the version's detail, {j}: its pair), when the session may see it.
func (s *Server) otherPhoto(w http.ResponseWriter, r *http.Request) {
	c, v, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	d, err := s.detail(v)
	if err != nil {
		s.notFound(w, r)
		return
	}
	p, ok := index(r.PathValue("p"), len(d.Photos))
	if !ok {
		s.notFound(w, r)
		return
	}
	pairs := d.Photos[p].Pairs
	j, ok := index(r.PathValue("j"), len(pairs))
	if !ok {
		s.notFound(w, r)
		return
	}
	files, err := s.o.Ledger.ScopedFiles(session(r).User.Scope(), c.ID, v.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path, why := s.pairAllowed(r, v, files, pairs[j])
	if why != "" {
		s.notFound(w, r)
		return
	}
	b, err := s.thumb.get(pairs[j].SHA256, path)
	if err != nil {
		s.status(w, r, http.StatusNotFound, "另一张照片的存档原件无法显示："+pairs[j].File)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(b)
}
