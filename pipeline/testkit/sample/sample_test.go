package sample

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corona10/goimagehash"
	"github.com/rwcarlsen/goexif/exif"
	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/inventory"
)

const testSeed = 2026

// The sample is generated once (by Write, into a temporary inbox) and shared.
var shared struct {
	once    sync.Once
	dir     string
	cases   []Case
	files   map[string][]byte // inbox-relative path → bytes
	order   []string
	classes []*class
	took    time.Duration
	err     error
}

func sample(t *testing.T) (*yanshou.Config, []Case, map[string][]byte, []*class) {
	t.Helper()
	cfg := config.Default()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "yanshou-sample-")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		start := time.Now()
		shared.cases, shared.err = Write(dir, testSeed, cfg)
		shared.took = time.Since(start)
		if shared.err != nil {
			return
		}
		shared.files, shared.order, shared.err = readTree(dir)
		if shared.err == nil {
			shared.classes, shared.err = buildPlan(testSeed, cfg)
		}
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return cfg, shared.cases, shared.files, shared.classes
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// readTree returns every regular file under dir by slash path, and the sorted paths.
func readTree(dir string) (map[string][]byte, []string, error) {
	files := map[string][]byte{}
	var order []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		rel = filepath.ToSlash(rel)
		files[rel] = data
		order = append(order, rel)
		return err
	})
	slices.Sort(order)
	return files, order, err
}

func hasRule(c Case, rule string) bool { return slices.Contains(c.Rules, rule) }

func TestCheckDigit(t *testing.T) {
	for _, tc := range []struct{ id string }{
		{"11010519491231002X"}, // the standard's own example
		{"440524188001010014"},
	} {
		if got := CheckDigit(tc.id[:17]); got != tc.id[17] {
			t.Errorf("CheckDigit(%s) = %c, want %c", tc.id[:17], got, tc.id[17])
		}
	}
}

func TestCases(t *testing.T) {
	_, cases, files, _ := sample(t)
	t.Logf("Write took %v for %d files, %d cases", shared.took, len(files), len(cases))
	if len(cases) < 7 {
		t.Fatalf("%d cases, want at least 7", len(cases))
	}
	insts := map[string]bool{}
	dirs := map[string]bool{}
	want := map[string]yanshou.Verdict{
		"": yanshou.Pass, "papers.approval": yanshou.Veto, "materials.complete": yanshou.Fail, "photos.time_window": yanshou.Fail,
		"timeline.approved_before_start": yanshou.Veto, "photos.reused": yanshou.Veto, "attendance.rate": yanshou.Fail,
		"attendance.paper_empty": yanshou.Fail,
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if dirs[c.Dir] {
			t.Errorf("duplicate case folder %s", c.Dir)
		}
		dirs[c.Dir] = true
		insts[strings.Split(c.Dir, "/")[0]] = true
		if c.Description == "" {
			t.Errorf("%s: no description", c.Dir)
		}
		if _, ok := files[c.Dir+"/培训信息表.xlsx"]; !ok {
			t.Errorf("%s: no manifest", c.Dir)
		}
		first := ""
		if len(c.Rules) > 0 {
			first = c.Rules[0]
		}
		if v, ok := want[first]; !ok || v != c.Verdict {
			t.Errorf("%s: verdict %s with rules %v", c.Dir, c.Verdict, c.Rules)
		}
		seen[first] = true
	}
	if len(insts) != 3 {
		t.Errorf("%d institutions, want 3", len(insts))
	}
	for r := range want {
		if !seen[r] {
			t.Errorf("no case for %q", r)
		}
	}
	if cases[0].Verdict != yanshou.Pass || cases[1].Verdict != yanshou.Pass {
		t.Errorf("the first two cases must be clean passes")
	}
}

func TestDeterministic(t *testing.T) {
	cfg, _, first, _ := sample(t)
	files, _, err := Generate(testSeed, cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	second, _, err := readTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(second) {
		t.Errorf("first run wrote %d files, second %d", len(first), len(second))
	}
	for p, b := range first {
		if !bytes.Equal(b, second[p]) {
			t.Errorf("%s differs between two runs with the same seed", p)
		}
	}
	// Another seed gives other people.
	plan, err := buildPlan(testSeed+1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if plan[0].Roster[0].ID == shared.classes[0].Roster[0].ID {
		t.Error("another seed gives the same trainees")
	}
}

func TestRewriteOnlyChanged(t *testing.T) {
	_, cases, sampled, _ := sample(t)
	var files []File
	for _, p := range shared.order {
		files = append(files, File{Path: p, Data: sampled[p]})
	}
	dir := t.TempDir()
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(dir, filepath.FromSlash(cases[0].Dir), "培训信息表.xlsx")
	untouched := filepath.Join(dir, filepath.FromSlash(cases[1].Dir), "培训信息表.xlsx")
	extra := filepath.Join(dir, filepath.FromSlash(cases[0].Dir), "备注.txt")
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(untouched, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(extra, []byte("an institution's note"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(manifest); bytes.Equal(b, []byte("damaged")) {
		t.Error("a changed file was not rewritten")
	}
	if st, err := os.Stat(untouched); err != nil || !st.ModTime().Equal(old) {
		t.Errorf("an unchanged file was rewritten (%v)", err)
	}
	if _, err := os.Stat(extra); err != nil {
		t.Errorf("a file not in the sample was removed: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(manifest))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".sample-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// intended is the material the generator meant a file of class cl to be.
func intended(cl *class, rel string) yanshou.MaterialKind {
	if rel == "培训信息表.xlsx" {
		return yanshou.Manifest
	}
	if cl.Paper != paperNone && path.Dir(rel) == path.Dir(names(cl)[yanshou.SignInSheets]) && path.Ext(rel) != ".xlsx" {
		return yanshou.SignInSheets // the paper sign-in sheets beside the xlsx
	}
	for _, p := range cl.Photos {
		if p.Rel == rel {
			if p.Group {
				return yanshou.GroupPhoto
			}
			return yanshou.SitePhotos
		}
	}
	for k, n := range names(cl) {
		if n == rel || (strings.HasSuffix(n, "/") && strings.HasPrefix(rel, n)) {
			return k
		}
	}
	return yanshou.Other
}

func TestMaterialNames(t *testing.T) {
	_, cases, files, classes := sample(t)
	for i, c := range cases {
		found := map[yanshou.MaterialKind]int{}
		for p := range files {
			rel, ok := strings.CutPrefix(p, c.Dir+"/")
			if !ok {
				continue
			}
			want := intended(classes[i], rel)
			if got := inventory.Classify(rel); got != want || want == yanshou.Other {
				t.Errorf("%s: %s is recognised as %s, meant as %s", c.Dir, rel, got, want)
			}
			found[want]++
		}
		for _, k := range yanshou.Materials {
			if found[k] == 0 && !hasRule(c, "materials.complete") {
				t.Errorf("%s: no %s", c.Dir, k)
			}
		}
		if hasRule(c, "materials.complete") && (found[yanshou.FollowUp] != 0 || found[yanshou.Summary] != 0) {
			t.Errorf("%s: should lack 电话回访记录 and 情况总结", c.Dir)
		}
	}
}

// readSheet opens a workbook from bytes and returns its first sheet's raw rows.
func readSheet(t *testing.T, data []byte, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// parseDay reads a manifest date: an Excel serial or one of the text forms.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		d, err := excelize.ExcelDateToTime(v, false)
		if err != nil {
			return time.Time{}, err
		}
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
	}
	for _, layout := range []string{"2006年1月2日", "2006/1/2", "2006.1.2", "2006-01-02"} {
		if d, err := time.ParseInLocation(layout, s, loc); err == nil {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

func TestManifests(t *testing.T) {
	cfg, cases, files, classes := sample(t)
	items := []string{"培训机构", "培训名称", "期次", "开始日期", "结束日期", "培训地点", "申请日期", "批复文号", "批复日期", "计划人数", "授课教师"}
	styles := map[string]bool{}
	for i, c := range cases {
		f, rows := readSheet(t, files[c.Dir+"/培训信息表.xlsx"], "")
		if len(rows) < 3 || rows[0][0] != "电子商务培训信息表" || rows[1][0] != "项目" || rows[1][1] != "内容" {
			t.Fatalf("%s: title and header rows are %v", c.Dir, rows[:min(2, len(rows))])
		}
		m := map[string]string{}
		rowOf := map[string]int{}
		for r, row := range rows[2:] {
			if len(row) >= 2 {
				m[row[0]] = row[1]
				rowOf[row[0]] = r + 3
			}
		}
		for _, it := range items {
			if m[it] == "" {
				t.Errorf("%s: no %s", c.Dir, it)
			}
		}
		cl := classes[i]
		start, err := parseDay(m["开始日期"], cfg.Location)
		if err != nil || !start.Equal(cl.StartT) {
			t.Errorf("%s: 开始日期 %q (%v), want %s", c.Dir, m["开始日期"], err, cl.StartT.Format("2006-01-02"))
		}
		end, err := parseDay(m["结束日期"], cfg.Location)
		if err != nil || !end.Equal(cl.EndT) {
			t.Errorf("%s: 结束日期 %q (%v)", c.Dir, m["结束日期"], err)
		}
		approved, err1 := parseDay(m["批复日期"], cfg.Location)
		applied, err2 := parseDay(m["申请日期"], cfg.Location)
		if err1 != nil || err2 != nil || applied.After(approved) {
			t.Errorf("%s: applied %q, approved %q", c.Dir, m["申请日期"], m["批复日期"])
		}
		if late := approved.After(start); late != hasRule(c, "timeline.approved_before_start") {
			t.Errorf("%s: approved %s, start %s", c.Dir, approved.Format("01-02"), start.Format("01-02"))
		}
		if n, err := strconv.Atoi(m["计划人数"]); err != nil || n != len(cl.Roster) || n < 30 || n > 50 {
			t.Errorf("%s: 计划人数 %q for %d trainees", c.Dir, m["计划人数"], len(cl.Roster))
		}
		if d := cl.Days; d < 2 || d > 3 || start.Month() < time.March || end.Month() > time.June {
			t.Errorf("%s: %d days from %s", c.Dir, d, start)
		}
		// Real date cells (a number with a date format) in one style, text in the others.
		ref := fmt.Sprintf("B%d", rowOf["开始日期"])
		typ, _ := f.GetCellType(f.GetSheetName(0), ref)
		style, _ := f.GetCellStyle(f.GetSheetName(0), ref)
		st, _ := f.GetStyle(style)
		dateCell := typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString && st != nil && st.NumFmt == 14
		styles[fmt.Sprint(dateCell)] = true
		if coords := m["地点坐标"]; coords != "" {
			p, err := geo.ParsePoint(coords)
			if err != nil || geo.DistanceM(p, cl.Point) > 1 || !cfg.InCounty(p) {
				t.Errorf("%s: 地点坐标 %q", c.Dir, coords)
			}
			styles["coords"] = true
		} else if m["培训地点"] != cfg.Venues[0].Name {
			t.Errorf("%s: venue %q without coordinates", c.Dir, m["培训地点"])
		}
		f.Close()
	}
	if !styles["true"] || !styles["false"] || !styles["coords"] {
		t.Errorf("want date cells and text dates, and one venue given by coordinates: %v", styles)
	}
	// No two classes of one institution overlap.
	for i, a := range classes {
		for _, b := range classes[i+1:] {
			if a.Inst == b.Inst && !a.StartT.After(b.EndT) && !b.StartT.After(a.EndT) {
				t.Errorf("%s and %s overlap", a.Dir, b.Dir)
			}
		}
	}
}

// header finds the header row (the one with 姓名) and the column of each name.
func header(rows [][]string) (int, map[string]int) {
	for r, row := range rows {
		if slices.Contains(row, "姓名") {
			cols := map[string]int{}
			for i, h := range row {
				cols[h] = i
			}
			return r, cols
		}
	}
	return -1, nil
}

func cellAt(row []string, i int, ok bool) string {
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

func TestRostersAndAttendance(t *testing.T) {
	_, cases, files, classes := sample(t)
	ids, phones := map[string]string{}, map[string]string{}
	for i, c := range cases {
		cl := classes[i]
		nm := names(cl)
		f, rows := readSheet(t, files[c.Dir+"/"+nm[yanshou.Roster]], "")
		hr, cols := header(rows)
		if hr != 1 && hr != 2 {
			t.Errorf("%s: roster header on row %d", c.Dir, hr+1)
		}
		idCol, ok := cols["身份证号码"]
		if !ok {
			idCol, ok = cols["身份证号"]
		}
		for _, h := range []string{"序号", "姓名", "性别", "联系电话", "乡镇", "村", "学员类别", "是否建档立卡贫困户"} {
			if _, ok := cols[h]; !ok {
				t.Errorf("%s: roster has no %s column", c.Dir, h)
			}
		}
		type who struct{ name, id, phone string }
		var roster []who
		byID, byPhone := map[string]int{}, map[string]int{}
		for r, row := range rows[hr+1:] {
			w := who{cellAt(row, cols["姓名"], true), cellAt(row, idCol, ok), cellAt(row, cols["联系电话"], true)}
			if err := validID(w.id); err != nil {
				t.Errorf("%s row %d: %v", c.Dir, hr+r+2, err)
			}
			if len(w.phone) != 11 || !slices.Contains([]string{"13", "15", "18"}, w.phone[:2]) {
				t.Errorf("%s row %d: phone %q", c.Dir, hr+r+2, w.phone)
			}
			ref, _ := excelize.CoordinatesToCellName(idCol+1, hr+r+2)
			if typ, _ := f.GetCellType(f.GetSheetName(0), ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s %s: ID stored as %v, not text", c.Dir, ref, typ)
			}
			if prev, dup := ids[w.id]; dup {
				t.Errorf("ID %s in %s and %s", w.id, prev, c.Dir)
			}
			if prev, dup := phones[w.phone]; dup {
				t.Errorf("phone %s in %s and %s", w.phone, prev, c.Dir)
			}
			ids[w.id], phones[w.phone] = c.Dir, c.Dir
			byID[w.id], byPhone[w.phone+w.name] = len(roster), len(roster)
			roster = append(roster, w)
		}
		f.Close()
		if len(roster) < 30 || len(roster) > 50 {
			t.Errorf("%s: %d trainees", c.Dir, len(roster))
		}

		// Sign-ins: one sheet per session, or one sheet with 日期 and 场次.
		sf, err := excelize.OpenReader(bytes.NewReader(files[c.Dir+"/"+nm[yanshou.SignInSheets]]))
		if err != nil {
			t.Fatal(err)
		}
		sessions := map[string]map[int]bool{}
		walkIns := map[string]bool{}
		for _, sh := range sf.GetSheetList() {
			rows, err := sf.GetRows(sh, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			hr, cols := header(rows)
			if hr < 0 {
				t.Fatalf("%s %s: no header", c.Dir, sh)
			}
			di, hasDay := cols["日期"]
			si, hasHalf := cols["场次"]
			ii, hasID := cols["身份证号码"]
			pi, hasPhone := cols["联系电话"]
			if _, ok := cols["签到时间"]; !ok || (!hasID && !hasPhone) {
				t.Errorf("%s %s: columns %v", c.Dir, sh, rows[hr])
			}
			for _, row := range rows[hr+1:] {
				key := sh
				if hasDay {
					key = cellAt(row, di, true) + cellAt(row, si, hasHalf)
				}
				if sessions[key] == nil {
					sessions[key] = map[int]bool{}
				}
				k, found := -1, false
				if id := cellAt(row, ii, hasID); id != "" {
					k, found = byID[id]
				} else {
					k, found = byPhone[cellAt(row, pi, hasPhone)+cellAt(row, cols["姓名"], true)]
				}
				if !found {
					walkIns[cellAt(row, cols["姓名"], true)] = true
					continue
				}
				sessions[key][k] = true
			}
		}
		sf.Close()
		if len(sessions) != 2*cl.Days {
			t.Errorf("%s: %d sessions for %d days", c.Dir, len(sessions), cl.Days)
		}
		trained := map[int]bool{}
		for k := range roster {
			n := 0
			for _, s := range sessions {
				if s[k] {
					n++
				}
			}
			if 2*n >= len(sessions) {
				trained[k] = true
			}
		}
		rate := float64(len(trained)) / float64(len(roster))
		if hasRule(c, "attendance.rate") {
			if rate <= 0.3 || rate >= 0.8 {
				t.Errorf("%s: attendance %.2f, want between 0.3 and 0.8", c.Dir, rate)
			}
		} else if rate != 1 {
			t.Errorf("%s: attendance %.2f, want everyone", c.Dir, rate)
		}
		if want := map[bool]int{true: 2, false: 0}[hasRule(c, "attendance.walk_ins")]; len(walkIns) != want {
			t.Errorf("%s: %d walk-ins, want %d", c.Dir, len(walkIns), want)
		}

		// Phone follow-ups: at least 15% of the trained, each one of them.
		if hasRule(c, "materials.complete") {
			continue
		}
		_, calls := readSheet(t, files[c.Dir+"/"+nm[yanshou.FollowUp]], "")
		hr, cols = header(calls)
		for _, h := range []string{"回访时间", "联系电话", "回访情况"} {
			if _, ok := cols[h]; !ok {
				t.Errorf("%s: follow-ups have no %s", c.Dir, h)
			}
		}
		called := map[int]bool{}
		for _, row := range calls[hr+1:] {
			k, ok := byPhone[cellAt(row, cols["联系电话"], true)+cellAt(row, cols["姓名"], true)]
			if !ok || !trained[k] {
				t.Errorf("%s: follow-up of %v is not a trained trainee", c.Dir, row)
			}
			called[k] = true
		}
		if float64(len(called)) < 0.15*float64(len(trained)) {
			t.Errorf("%s: %d follow-ups for %d trained", c.Dir, len(called), len(trained))
		}
	}
}

// validID checks an 18-digit resident ID: digits, birth date, check digit.
func validID(id string) error {
	if len(id) != 18 || strings.Trim(id[:17], "0123456789") != "" {
		return fmt.Errorf("ID %q is not 17 digits and a check character", id)
	}
	if CheckDigit(id[:17]) != id[17] {
		return fmt.Errorf("ID %s: wrong check digit", id)
	}
	birth, err := time.Parse("20060102", id[6:14])
	if err != nil || birth.Year() < 1965 || birth.Year() > 2003 {
		return fmt.Errorf("ID %s: birth date", id)
	}
	if p := id[:6]; p != "411623" && p != "412723" {
		return fmt.Errorf("ID %s: not from the county", id)
	}
	return nil
}

func TestPhotos(t *testing.T) {
	cfg, cases, files, classes := sample(t)
	for i, c := range cases {
		cl := classes[i]
		perDay := map[string]int{}
		groups, late, reused := 0, 0, 0
		for _, p := range cl.Photos {
			data := files[c.Dir+"/"+p.Rel]
			if data == nil {
				t.Fatalf("%s: no %s", c.Dir, p.Rel)
			}
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil || img.Bounds().Dx() != photoW || img.Bounds().Dy() != photoH {
				t.Errorf("%s/%s: %v", c.Dir, p.Rel, err)
			}
			x, err := exif.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s/%s: EXIF: %v", c.Dir, p.Rel, err)
			}
			tag, err := x.Get(exif.DateTimeOriginal)
			if err != nil {
				t.Fatalf("%s/%s: %v", c.Dir, p.Rel, err)
			}
			s, _ := tag.StringVal()
			taken, err := time.ParseInLocation("2006:01:02 15:04:05", s, cfg.Location)
			if err != nil || !taken.Equal(p.Taken) {
				t.Errorf("%s/%s: DateTimeOriginal %q, want %s", c.Dir, p.Rel, s, p.Taken)
			}
			mk, _ := x.Get(exif.Make)
			if v, _ := mk.StringVal(); v != p.Cam.Make {
				t.Errorf("%s/%s: Make %q", c.Dir, p.Rel, v)
			}
			if bytes.Contains(data, []byte("+08:00")) != p.Cam.Offset {
				t.Errorf("%s/%s: OffsetTimeOriginal written: %v, want %v", c.Dir, p.Rel, !p.Cam.Offset, p.Cam.Offset)
			}
			lat, lon, err := x.LatLong()
			if err != nil {
				t.Fatalf("%s/%s: GPS: %v", c.Dir, p.Rel, err)
			}
			if d := geo.DistanceM(yanshou.LatLon{Lat: lat, Lon: lon}, cl.Point); d > 200 {
				t.Errorf("%s/%s: %.0f m from the venue", c.Dir, p.Rel, d)
			}
			day := time.Date(taken.Year(), taken.Month(), taken.Day(), 0, 0, 0, 0, cfg.Location)
			clock := taken.Sub(day)
			inDays := !day.Before(cl.StartT) && !day.After(cl.EndT)
			switch {
			case p.Reused != nil:
				reused++
				if !inDays {
					t.Errorf("%s/%s: the reused photo is outside the training days", c.Dir, p.Rel)
				}
			case p.Late:
				late++
				if day.Sub(cl.EndT) < 5*24*time.Hour {
					t.Errorf("%s/%s: late photo only %v after the end", c.Dir, p.Rel, day.Sub(cl.EndT))
				}
			default:
				if !inDays || clock < 8*time.Hour+30*time.Minute || clock > 17*time.Hour+30*time.Minute {
					t.Errorf("%s/%s: taken %s, outside the training days", c.Dir, p.Rel, taken)
				}
				if p.Group {
					groups++
				} else {
					perDay[day.Format("01-02")]++
				}
			}
		}
		if groups != 1 {
			t.Errorf("%s: %d group photos", c.Dir, groups)
		}
		if len(perDay) != cl.Days {
			t.Errorf("%s: photos on %d days of %d", c.Dir, len(perDay), cl.Days)
		}
		for d, n := range perDay {
			if n < 4 {
				t.Errorf("%s: %d on-site photos on %s", c.Dir, n, d)
			}
		}
		if (late > 0) != hasRule(c, "photos.time_window") || (reused > 0) != hasRule(c, "photos.reused") {
			t.Errorf("%s: %d late and %d reused photos for rules %v", c.Dir, late, reused, c.Rules)
		}
	}
}

func TestReusedPhotoIsIdentical(t *testing.T) {
	_, cases, files, classes := sample(t)
	n := 0
	for i, cl := range classes {
		for _, p := range cl.Photos {
			if p.Reused == nil {
				continue
			}
			src := classes[cl.ReuseOf-1]
			copyBytes, orig := files[cases[i].Dir+"/"+p.Rel], files[src.Dir+"/"+p.Reused.Rel]
			if orig == nil || !bytes.Equal(copyBytes, orig) {
				t.Errorf("%s/%s is not byte-identical to %s/%s", cases[i].Dir, p.Rel, src.Dir, p.Reused.Rel)
			}
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d reused photos, want 1", n)
	}
}

func TestPhotoHashesDiffer(t *testing.T) {
	_, _, files, _ := sample(t)
	type hashed struct {
		path   string
		ph, dh *goimagehash.ImageHash
	}
	seen := map[[32]byte]bool{}
	var paths []string
	for _, p := range shared.order {
		if ext := strings.ToLower(path.Ext(p)); ext == ".jpg" && !seen[sha256.Sum256(files[p])] {
			seen[sha256.Sum256(files[p])] = true
			paths = append(paths, p)
		}
	}
	hs := make([]hashed, len(paths))
	errs := make([]error, len(paths))
	parallel(len(paths), func(i int) {
		img, _, err := image.Decode(bytes.NewReader(files[paths[i]]))
		if err != nil {
			errs[i] = err
			return
		}
		hs[i].path = paths[i]
		if hs[i].ph, err = goimagehash.PerceptionHash(img); err == nil {
			hs[i].dh, err = goimagehash.DifferenceHash(img)
		}
		errs[i] = err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	low := 64
	for i := range hs {
		for j := i + 1; j < len(hs); j++ {
			dp, _ := hs[i].ph.Distance(hs[j].ph)
			dd, _ := hs[i].dh.Distance(hs[j].dh)
			low = min(low, dp, dd)
			if dp <= 10 || dd <= 10 {
				t.Errorf("%s and %s look alike: pHash %d, dHash %d bits apart", hs[i].path, hs[j].path, dp, dd)
			}
		}
	}
	t.Logf("%d distinct photos; closest pair %d bits apart", len(hs), low)
}

func TestPDFs(t *testing.T) {
	_, _, files, _ := sample(t)
	n := 0
	for p, b := range files {
		if path.Ext(p) != ".pdf" {
			continue
		}
		n++
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-64:], []byte("%%EOF")) {
			t.Errorf("%s is not a complete PDF", p)
		}
		if strings.Contains(p, "签到表扫描件") { // a scanner's image-only PDF: no text, no font, no date (deterministic all the same)
			continue
		}
		if !bytes.Contains(b, []byte("/CreationDate(D:2026")) || !bytes.Contains(b, []byte("/FontFile2")) {
			t.Errorf("%s lacks its fixed creation date or embedded font", p)
		}
	}
	if n < 8*6 {
		t.Errorf("only %d PDFs", n)
	}
}

func TestXLSXPropertiesFixed(t *testing.T) {
	_, _, files, _ := sample(t)
	for p, b := range files {
		if path.Ext(p) != ".xlsx" {
			continue
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		props, err := f.GetDocProps()
		f.Close()
		if err != nil || !strings.HasPrefix(props.Created, "2026-") || props.Created != props.Modified {
			t.Errorf("%s: document properties %+v (%v)", p, props, err)
		}
	}
}
