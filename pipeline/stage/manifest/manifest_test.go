package manifest

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/format/geo"
	"yanshou/pipeline/platform/config"
)

func xlsx(t *testing.T, dir, name string, fill func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// rows writes rows of cells from A1 on a sheet.
func rows(f *excelize.File, sheet string, data [][]any) {
	for r, row := range data {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue(sheet, cell, v)
		}
	}
}

func text(ps []yanshou.Evidence) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Detail)
	}
	return strings.Join(s, "\n")
}

func TestRead(t *testing.T) {
	cfg := config.Default()
	loc := cfg.Location
	day := func(y, m, d int) string { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc).Format(time.RFC3339) }
	gcj := yanshou.LatLon{Lat: 33.5432, Lon: 114.6091}
	wantWGS, _ := geo.ToWGS84(gcj, "gcj02")
	dir := t.TempDir()
	tests := []struct {
		name     string
		file     string
		write    func(p string)
		nilInfo  bool
		problems []string // substrings expected among the problems (none others)
		check    func(t *testing.T, c *yanshou.ClassInfo)
	}{
		{
			name: "title row, 项目|内容|说明 header, date cells and text dates, GCJ-02 coordinates",
			file: "培训信息表.xlsx",
			write: func(p string) {
				xlsx(t, dir, filepath.Base(p), func(f *excelize.File) {
					ds, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
					rows(f, "Sheet1", [][]any{
						{"商水县电子商务培训信息表"},
						{"项目", "内容", "填写说明"},
						{"培训机构", "商水县某某职业培训学校", "全称"},
						{"培训名称", "农村电商实用技能培训班"},
						{"期次", "第３期"},
						{"开始日期", time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), "例：2026-03-10"},
						{"结束日期", "2026年3月12日"},
						{"培训地点", "商水县电子商务公共服务中心"},
						{"地点坐标", "33.5432，114.6091"},
						{"坐标系", "GCJ-02（高德）"},
						{"申请日期", "2026/2/20"},
						{"批复文号", "商电商办〔2026〕12号"},
						{"批复日期", "20260228"},
						{"计划人数", "50人"},
						{"授课教师", "张某（讲师）、李某（副教授）"},
						{"联系人", "王某"},
					})
					f.MergeCell("Sheet1", "A1", "C1")
					f.SetCellStyle("Sheet1", "B6", "B6", ds)
				})
			},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Institution != "商水县某某职业培训学校" || c.Title != "农村电商实用技能培训班" || c.Class != "第3期" {
					t.Errorf("texts: %+v", c)
				}
				if c.Start.Format(time.RFC3339) != day(2026, 3, 10) || c.End.Format(time.RFC3339) != day(2026, 3, 12) {
					t.Errorf("dates %s %s", c.Start, c.End)
				}
				if c.Applied.String() != "2026-02-20" || c.Approved.String() != "2026-02-28" || c.ApprovalNo != "商电商办〔2026〕12号" {
					t.Errorf("approval: %s %s %s", c.Applied, c.Approved, c.ApprovalNo)
				}
				if c.Planned != 50 || c.Teachers != "张某(讲师)、李某(副教授)" || c.Days() != 3 || c.Source != "材料/培训信息表.xlsx" {
					t.Errorf("planned %d teachers %q days %d source %q", c.Planned, c.Teachers, c.Days(), c.Source)
				}
				if c.VenueCoords == nil || c.VenueDatum != "gcj02" || math.Abs(c.VenueCoords.Lat-wantWGS.Lat) > 1e-9 || math.Abs(c.VenueCoords.Lon-wantWGS.Lon) > 1e-9 {
					t.Errorf("coords %+v %s, want %+v", c.VenueCoords, c.VenueDatum, wantWGS)
				}
			},
		},
		{
			name: "no header: labels with merged cells and values to the right",
			file: "培训信息表（第3期）.xlsx",
			write: func(p string) {
				xlsx(t, dir, filepath.Base(p), func(f *excelize.File) {
					f.SetSheetName("Sheet1", "信息")
					rows(f, "信息", [][]any{
						{"培训机构：", nil, "某某学校", nil, "期次", "第3期"},
						{"培训时间", nil, "2026.3.10-3.12"},
						{"地点坐标", nil, "114.6091,33.5432"},
					})
					f.MergeCell("信息", "A1", "B1")
					f.MergeCell("信息", "A2", "B2")
				})
			},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Institution != "某某学校" || c.Class != "第3期" || c.Start.String() != "2026-03-10" || c.End.String() != "2026-03-12" {
					t.Errorf("got %+v", c)
				}
				if c.VenueCoords == nil || c.VenueCoords.Lat != 33.5432 || c.VenueDatum != "wgs84" {
					t.Errorf("lon,lat order not recognised: %+v", c.VenueCoords)
				}
			},
		},
		{
			name: "labels in a row, values in the row below",
			file: "培训信息表.xlsx",
			write: func(p string) {
				xlsx(t, dir, filepath.Base(p), func(f *excelize.File) {
					rows(f, "Sheet1", [][]any{
						{"培训信息"},
						{"培训机构", "期次", "开始日期", "结束日期"},
						{"某某学校", "第1期", "2026-03-10", "2026-03-11"},
					})
				})
			},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Institution != "某某学校" || c.Class != "第1期" || c.End.String() != "2026-03-11" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "impossible date, end before start, missing institution, bad count and datum",
			file: "培训信息表.xlsx",
			write: func(p string) {
				xlsx(t, dir, filepath.Base(p), func(f *excelize.File) {
					rows(f, "Sheet1", [][]any{
						{"项目", "内容"},
						{"期次", "第2期"},
						{"开始日期", "2026年3月12日"},
						{"结束日期", "2026年3月10日"},
						{"申请日期", "2026年2月30日"},
						{"计划人数", "五十"},
						{"地点坐标", "33.5,114.6"},
						{"坐标系", "UTM"},
					})
				})
			},
			problems: []string{"缺少必填项「培训机构」", "第5行：「申请日期」无法识别为日期", "2月没有30日", "结束日期 2026-03-10 早于开始日期 2026-03-12", "「计划人数」「五十」不是人数", "第8行：「坐标系」「UTM」无法识别"},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Start.IsZero() || c.End.IsZero() || c.Applied.IsZero() == false || c.VenueCoords != nil {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "manifest.yaml with English keys",
			file: "manifest.yaml",
			write: func(p string) {
				os.WriteFile(p, []byte("institution: 商水县某某职业培训学校\ntitle: 农村电商实用技能培训班\nclass: 第3期\nstart: 2026-03-10\nend: 2026/3/12\n"+
					"venue: 商水县电子商务公共服务中心\nvenue_coords: \"33.5432,114.6091\"\napproved: 2026-02-28\nplanned: 50\nteachers: [张某, 李某]\nextra: ignored\n"), 0o644)
			},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Institution != "商水县某某职业培训学校" || c.Start.String() != "2026-03-10" || c.End.String() != "2026-03-12" || c.Planned != 50 || c.Teachers != "张某、李某" {
					t.Errorf("got %+v", c)
				}
				if c.VenueCoords == nil || c.VenueCoords.Lat != 33.5432 || c.VenueDatum != "wgs84" {
					t.Errorf("coords %+v", c.VenueCoords)
				}
			},
		},
		{
			name: "manifest.yaml missing end, bad date on its line",
			file: "manifest.yml",
			write: func(p string) {
				os.WriteFile(p, []byte("institution: 某某学校\nclass: 第3期\nstart: 2026-02-30\n"), 0o644)
			},
			problems: []string{"第3行：「开始日期」无法识别为日期", "缺少必填项「结束日期」"},
		},
		{
			name:     "malformed YAML",
			file:     "manifest.yaml",
			write:    func(p string) { os.WriteFile(p, []byte("institution: [unclosed\n"), 0o644) },
			nilInfo:  true,
			problems: []string{"YAML 格式错误"},
		},
		{
			name:     "xlsx that is not a zip",
			file:     "培训信息表.xlsx",
			write:    func(p string) { os.WriteFile(p, []byte("not a workbook"), 0o644) },
			nilInfo:  true,
			problems: []string{"不是有效的 .xlsx 文件"},
		},
		{
			name: "GBK CSV manifest",
			file: "培训信息表.csv",
			write: func(p string) {
				s, _ := simplifiedchinese.GBK.NewEncoder().String("项目,内容\n培训机构,某某学校\n期次,第4期\n开始日期,2026-04-01\n结束日期,2026-04-02\n")
				os.WriteFile(p, []byte(s), 0o644)
			},
			check: func(t *testing.T, c *yanshou.ClassInfo) {
				if c.Institution != "某某学校" || c.Class != "第4期" || c.Days() != 2 {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "a sheet with nothing recognisable",
			file: "培训信息表.xlsx",
			write: func(p string) {
				xlsx(t, dir, filepath.Base(p), func(f *excelize.File) { rows(f, "Sheet1", [][]any{{"随便", "写写"}}) })
			},
			nilInfo:  true,
			problems: []string{"未找到培训信息"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			os.Remove(p)
			tt.write(p)
			c, probs := Read(p, "材料/"+tt.file, cfg)
			if (c == nil) != tt.nilInfo {
				t.Fatalf("ClassInfo nil = %v; problems:\n%s", c == nil, text(probs))
			}
			all := text(probs)
			for _, w := range tt.problems {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			if len(tt.problems) == 0 && len(probs) > 0 {
				t.Errorf("unexpected problems:\n%s", all)
			}
			for _, p := range probs {
				if p.File != "材料/"+tt.file {
					t.Errorf("problem does not name the file: %+v", p)
				}
			}
			if tt.check != nil && c != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestIsManifest(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"培训信息表.xlsx", true}, {"第3期/培训信息表.XLSX", true}, {"培训信息表（第3期）.xlsx", true},
		{"培训信息表.csv", true}, {"培训信息表.xls", true}, {"manifest.yaml", true}, {"Manifest.yml", true},
		{`a\b\培训信息表.xlsx`, true},
		{"~$培训信息表.xlsx", false}, {"._培训信息表.xlsx", false}, {"培训信息表.pdf", false},
		{"培训学员名单.xlsx", false}, {"manifest.json", false}, {"my-manifest.yaml", false},
	}
	for _, tt := range tests {
		if got := IsManifest(tt.name); got != tt.want {
			t.Errorf("IsManifest(%q) = %v", tt.name, got)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	loc := config.Default().Location
	tests := []struct{ in, start, end string }{
		{"2026-03-10至2026-03-12", "2026-03-10", "2026-03-12"},
		{"2026-03-10-2026-03-12", "2026-03-10", "2026-03-12"},
		{"2026.3.10-3.12", "2026-03-10", "2026-03-12"},
		{"2026年3月10日—12日", "2026-03-10", "2026-03-12"},
		{"2026年3月30日~4月1日", "2026-03-30", "2026-04-01"},
		{"2026年3月10日", "2026-03-10", "2026-03-10"},
		{"三月", "", ""},
	}
	for _, tt := range tests {
		s, e, err := parsePeriod(tt.in, loc)
		if tt.start == "" {
			if err == nil {
				t.Errorf("%q: want error", tt.in)
			}
			continue
		}
		if err != nil || s.String() != tt.start || e.String() != tt.end {
			t.Errorf("%q → %s %s %v", tt.in, s, e, err)
		}
	}
}
