package blank_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/format/sheet"
	"yanshou/pipeline/output/blank"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/manifest"
	"yanshou/pipeline/stage/roster"
)

var names = []string{"培训信息表.xlsx", "培训学员名单.xlsx", "签到表.xlsx", "电话回访记录.xlsx", "月度培训计划.xlsx"}

func TestWrite(t *testing.T) {
	cfg := config.Default()
	dir := filepath.Join(t.TempDir(), "模板")
	files, err := blank.Write(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(names) {
		t.Fatalf("files = %v", files)
	}
	for i, f := range files {
		if filepath.Base(f) != names[i] {
			t.Errorf("file %d = %s, want %s", i, f, names[i])
		}
	}
	tests := []struct {
		file       string
		title      string
		textCols   []string // header names whose column is text (@)
		dateCols   []string // header names whose column shows dates
		headerText string   // the header row joined
	}{
		{"培训信息表.xlsx", "商水县电子商务进农村培训信息表", nil, nil, "项目|内容|填写说明"},
		{"培训学员名单.xlsx", "商水县电子商务进农村培训学员名单", []string{"身份证号码", "联系电话"}, nil, "序号|姓名|性别|身份证号码|联系电话|乡镇|村|学员类别|是否建档立卡贫困户|备注"},
		{"签到表.xlsx", "商水县电子商务进农村培训签到表", []string{"身份证号码", "联系电话"}, []string{"日期"}, "序号|日期|场次|姓名|身份证号码|联系电话|签到时间|本人签名"},
		{"电话回访记录.xlsx", "商水县电子商务进农村培训电话回访记录", []string{"身份证号码", "联系电话"}, []string{"回访日期"}, "序号|姓名|身份证号码|联系电话|回访日期|回访方式|回访情况|是否开展电商应用|是否开设网店|是否网上销售|回访人"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := excelize.OpenFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sh := f.GetSheetList()[0]
			rows, _ := f.GetRows(sh)
			if rows[0][0] != tt.title {
				t.Errorf("title = %q", rows[0][0])
			}
			if !strings.HasPrefix(rows[1][0], "填写说明") {
				t.Errorf("note = %q", rows[1][0])
			}
			if got := strings.Join(rows[2], "|"); got != tt.headerText {
				t.Errorf("header = %q", got)
			}
			merged, _ := f.GetMergeCells(sh)
			if len(merged) < 2 {
				t.Errorf("title and note not merged: %v", merged)
			}
			col := func(h string) string {
				for i, s := range rows[2] {
					if s == h {
						return sheet.ColName(i)
					}
				}
				t.Fatalf("no column %s", h)
				return ""
			}
			for _, h := range tt.textCols {
				for _, cell := range []string{col(h) + "5", col(h) + "100"} {
					id, _ := f.GetCellStyle(sh, cell)
					st, _ := f.GetStyle(id)
					if st.NumFmt != 49 {
						t.Errorf("%s (%s) is not text: NumFmt %d", cell, h, st.NumFmt)
					}
				}
				if w, _ := f.GetColWidth(sh, col(h)); w < 14 {
					t.Errorf("column %s too narrow: %v", h, w)
				}
			}
			for _, h := range tt.dateCols {
				id, _ := f.GetCellStyle(sh, col(h)+"10")
				st, _ := f.GetStyle(id)
				if st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
					t.Errorf("%s is not a date column: %+v", h, st)
				}
			}
			if tt.file != "培训信息表.xlsx" && rows[3][0] != "示例" {
				t.Errorf("example row not marked: %q", rows[3])
			}
			dvs, _ := f.GetDataValidations(sh)
			if len(dvs) == 0 {
				t.Errorf("no data validation")
			}
			// Drop-downs (性别, 学员类别, 是/否) and the 18-character ID rule, on the
			// prepared rows of their columns.
			lists := map[string]string{}
			for _, dv := range dvs {
				c := strings.TrimRight(strings.SplitN(dv.Sqref, ":", 2)[0], "0123456789")
				switch dv.Type {
				case "list":
					lists[c] = dv.Formula1
				case "textLength":
					lists[c] = "textLength " + dv.Formula1
				}
			}
			want := map[string][]string{
				"培训学员名单.xlsx": {"性别=男,女", "学员类别=农民,", "学员类别=返乡青年", "是否建档立卡贫困户=是,否", "身份证号码=textLength", "身份证号码=18"},
				"签到表.xlsx":    {"场次=上午,下午,晚上", "身份证号码=textLength"},
				"电话回访记录.xlsx": {"是否开展电商应用=是,否", "是否开设网店=是,否", "是否网上销售=是,否", "回访方式=电话"},
			}[tt.file]
			if tt.file == "培训学员名单.xlsx" {
				// One vocabulary: the drop-down offers exactly the categories the
				// statistics count by (合作社成员, not 合作社员).
				if got, w := strings.Trim(lists[col("学员类别")], `"`), strings.Join(sheet.Categories(), ","); got != w {
					t.Errorf("学员类别 drop-down %q, want the sheet vocabulary's categories %q", got, w)
				}
			}
			for _, w := range want {
				h, v, _ := strings.Cut(w, "=")
				if got := lists[col(h)]; !strings.Contains(got, v) {
					t.Errorf("validation of %s = %q, want %q", h, got, v)
				}
			}
		})
	}
	// Never overwrite: a second run fails, naming the file, and changes nothing.
	before, _ := os.ReadFile(files[0])
	if _, err := blank.Write(dir, cfg); err == nil || !strings.Contains(err.Error(), "培训信息表.xlsx 已存在") {
		t.Errorf("second Write error = %v", err)
	}
	after, _ := os.ReadFile(files[0])
	if string(before) != string(after) {
		t.Error("existing file modified")
	}
	// Even when only one of the four exists, nothing is written.
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, "签到表.xlsx"), []byte("mine"), 0o644)
	if _, err := blank.Write(dir2, cfg); err == nil || !strings.Contains(err.Error(), "签到表.xlsx") {
		t.Errorf("Write over an existing 签到表.xlsx: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir2, "培训信息表.xlsx")); err == nil {
		t.Error("wrote other files although one existed")
	}
}

func TestOverride(t *testing.T) {
	over := t.TempDir()
	os.MkdirAll(filepath.Join(over, "blank"), 0o755)
	os.WriteFile(filepath.Join(over, "blank", "roster.yaml"), []byte("file: 学员名单.xlsx\nsheet: 名单\ntitle: \"{county}学员\"\ncolumns:\n  - {header: 姓名, width: 10}\n  - {header: 身份证号码, format: text}\nrows: 10\n"), 0o644)
	cfg := config.Default()
	cfg.Templates = over
	files, err := blank.Write(filepath.Join(t.TempDir(), "x"), cfg)
	if err != nil || filepath.Base(files[1]) != "学员名单.xlsx" {
		t.Fatalf("override not used: %v %v", files, err)
	}
	f, _ := excelize.OpenFile(files[1])
	if v, _ := f.GetCellValue("名单", "A1"); v != "商水县学员" {
		t.Errorf("title = %q", v)
	}
	f.Close()
	for _, bad := range []string{"file: ../x.xlsx\nsheet: a\ncolumns: [{header: a}]\n", "file: a.xlsx\nsheet: a\ncolumns: [{header: a, format: money}]\n", "nonsense: 1\n"} {
		os.WriteFile(filepath.Join(over, "blank", "roster.yaml"), []byte(bad), 0o644)
		if _, err := blank.Write(filepath.Join(t.TempDir(), "y"), cfg); err == nil || !strings.Contains(err.Error(), "roster.yaml") {
			t.Errorf("bad spec %q: error %v", bad, err)
		}
	}
}

// TestRoundTrip fills the written templates as an institution would and reads them
// back with the project's own readers.
func TestRoundTrip(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	if _, err := blank.Write(dir, cfg); err != nil {
		t.Fatal(err)
	}
	path := func(name string) string { return filepath.Join(dir, name) }

	// The manifest: values into 内容 beside the pre-filled 项目.
	edit(t, path("培训信息表.xlsx"), func(f *excelize.File, sh string, _ sheet.Header, _ map[string]string) {
		values := map[string]any{
			"institution": "商水县某某职业培训学校", "title": "农村电商实用技能培训班", "class": "第3期",
			"start": time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC), "end": "2026年3月11日",
			"venue": "商水县电子商务公共服务中心", "venue_coords": "33.5432,114.6091", "venue_datum": "GCJ-02（高德、腾讯）",
			"applied": "2026/2/20", "approval_no": "商电商办〔2026〕12号", "approved": time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
			"planned": 3, "teachers": "张某（讲师）",
		}
		rows, _ := f.GetRows(sh)
		for r, row := range rows {
			if len(row) == 0 {
				continue
			}
			if v, ok := values[sheet.ManifestItems().Match(row[0])]; ok {
				f.SetCellValue(sh, fmt.Sprintf("B%d", r+1), v)
			}
		}
	})
	ids := []string{"41162319900501022X", "411623198503120116", "412723199202020512"}
	for i, id := range ids { // make the check digits right
		ids[i] = id[:17] + checkDigit(id[:17])
	}
	names := []string{"王芳", "李强", "郑一"}
	phones := []string{"13800000001", "13800000002", "13800000003"}
	edit(t, path("培训学员名单.xlsx"), func(f *excelize.File, sh string, h sheet.Header, col map[string]string) {
		for i := range ids {
			r := h.Data + 2 + i // below the example row
			set(f, sh, col["seq"], r, i+1)
			set(f, sh, col["name"], r, names[i])
			set(f, sh, col["id"], r, ids[i])
			set(f, sh, col["phone"], r, phones[i])
			set(f, sh, col["gender"], r, []string{"女", "男", "男"}[i])
			set(f, sh, col["town"], r, "邓城镇")
			set(f, sh, col["poor"], r, []string{"是", "否", "否"}[i])
		}
	})
	edit(t, path("签到表.xlsx"), func(f *excelize.File, sh string, h sheet.Header, col map[string]string) {
		r := h.Data + 2
		for day := 10; day <= 11; day++ {
			for i := range ids {
				if day == 11 && i == 2 {
					continue // 郑一 missed the second day
				}
				if i == 0 {
					set(f, sh, col["date"], r, time.Date(2026, 3, day, 0, 0, 0, 0, time.UTC))
					set(f, sh, col["session"], r, "上午")
				}
				set(f, sh, col["name"], r, names[i])
				set(f, sh, col["id"], r, ids[i])
				r++
			}
		}
	})
	edit(t, path("电话回访记录.xlsx"), func(f *excelize.File, sh string, h sheet.Header, col map[string]string) {
		r := h.Data + 2
		set(f, sh, col["name"], r, names[0])
		set(f, sh, col["phone"], r, phones[0])
		set(f, sh, col["calltime"], r, time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC))
		set(f, sh, col["callnote"], r, "已开网店")
		set(f, sh, col["shop"], r, "是")
		set(f, sh, col["sells"], r, "否")
	})

	c, probs := manifest.Read(path("培训信息表.xlsx"), "培训信息表.xlsx", cfg)
	if len(probs) > 0 || c == nil {
		t.Fatalf("manifest problems: %+v", probs)
	}
	if c.Institution != "商水县某某职业培训学校" || c.Class != "第3期" || c.Start.String() != "2026-03-10" || c.End.String() != "2026-03-11" ||
		c.Approved.String() != "2026-02-28" || c.Applied.String() != "2026-02-20" || c.Planned != 3 || c.VenueDatum != "gcj02" || c.VenueCoords == nil {
		t.Errorf("manifest read back as %+v", c)
	}
	file := func(n string) []yanshou.File { return []yanshou.File{{Rel: n, Abs: path(n)}} }
	a := roster.Read(file("培训学员名单.xlsx"), file("签到表.xlsx"), file("电话回访记录.xlsx"), c, cfg)
	if len(a.Problems) > 0 {
		t.Fatalf("attendance problems: %+v", a.Problems)
	}
	if len(a.Trainees) != 3 || a.Trainees[0].ID != ids[0] || !a.Trainees[0].Poor || a.Trainees[0].Row != 6 {
		t.Fatalf("trainees = %+v", a.Trainees)
	}
	if got := strings.Join(a.Sessions, ","); got != "2026-03-10 上午,2026-03-11 上午" {
		t.Errorf("sessions = %s", got)
	}
	n := roster.Count(a)
	if n.Trained != 3 || n.SignInRows != 5 || n.Matched != 5 || n.CalledTrained != 1 || n.InvalidIDs != 0 {
		t.Errorf("counts = %+v", n)
	}
	if c := a.FollowUps[0]; c.Date != "2026-03-20" || c.BeforeEnd || c.OpenedShop == nil || !*c.OpenedShop || c.SellsOnline == nil || *c.SellsOnline || c.Applied != nil {
		t.Errorf("follow-up read back as %+v", c)
	}
}

// edit opens a written template, finds its header with the sheet reader and lets
// fill write cells; col maps field keys to column letters.
func edit(t *testing.T, p string, fill func(f *excelize.File, sh string, h sheet.Header, col map[string]string)) {
	t.Helper()
	book, probs := sheet.Open(p, filepath.Base(p), config.Default())
	if len(probs) > 0 || book == nil {
		t.Fatalf("template %s unreadable: %+v", p, probs)
	}
	tb := book.Tables[0]
	h, _ := tb.FindHeader(sheet.Columns(), 1)
	col := map[string]string{}
	for k, c := range h.Cols {
		col[k] = sheet.ColName(c)
	}
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fill(f, tb.Sheet, h, col)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// set writes a value at a column letter and a 0-based row.
func set(f *excelize.File, sh, col string, r int, v any) {
	if col == "" {
		panic("no such column in the template")
	}
	f.SetCellValue(sh, fmt.Sprintf("%s%d", col, r+1), v)
}

func checkDigit(s string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * w[i]
	}
	return string("10X98765432"[sum%11])
}
