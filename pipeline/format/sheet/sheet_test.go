package sheet

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/platform/config"
)

// build writes a workbook made by fill into dir/name and returns its path.
func build(t testing.TB, dir, name string, fill func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// rewritePart replaces one part of a zip (xlsx) file through edit.
func rewritePart(t testing.TB, p, part string, edit func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == part {
			data = edit(data)
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zr.Close()
	zw.Close()
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

var reDimElem = regexp.MustCompile(`<dimension[^>]*>(</dimension>)?`)

// claimSize rewrites a zip so that one entry declares a larger uncompressed size
// than it has (what a zip bomb looks like from its directory), without the cost of
// compressing that much.
func claimSize(t testing.TB, p, part string, size uint64) {
	t.Helper()
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		fh := f.FileHeader
		if f.Name == part {
			fh.UncompressedSize64 = size
		}
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.OpenRaw()
		io.Copy(w, raw)
	}
	zr.Close()
	zw.Close()
	os.WriteFile(p, buf.Bytes(), 0o644)
}

func set(f *excelize.File, sheet, cell string, v any) {
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		panic(err)
	}
}

func details(ps []yanshou.Evidence) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.File+"|"+p.Sheet+"|"+p.Detail)
	}
	return strings.Join(s, "\n")
}

func TestOpenXLSX(t *testing.T) {
	cfg := config.Default()
	loc := cfg.Location
	dir := t.TempDir()
	tests := []struct {
		name    string
		file    string
		maxRows int
		noRatio bool // switch the compression-ratio check off
		fill    func(f *excelize.File)
		patch   func(p string)
		wantErr string // substring of a problem; "" means none
		check   func(t *testing.T, b *Book)
	}{
		{
			name: "title row merged, header on row 3, full-width text",
			file: "名单.xlsx",
			fill: func(f *excelize.File) {
				set(f, "Sheet1", "A1", "商水县电子商务培训学员名单")
				f.MergeCell("Sheet1", "A1", "D1")
				set(f, "Sheet1", "A2", "培训机构：某某学校")
				set(f, "Sheet1", "A3", "序号")
				set(f, "Sheet1", "B3", "学员 姓名")
				set(f, "Sheet1", "C3", "身份证号码（必填）")
				set(f, "Sheet1", "D3", "手机号码")
				set(f, "Sheet1", "A4", 1)
				set(f, "Sheet1", "B4", "张　三")
				set(f, "Sheet1", "C4", "４１１６２３１９９００１０１００１ｘ")
				set(f, "Sheet1", "D4", "13800138000")
			},
			check: func(t *testing.T, b *Book) {
				tb := b.Tables[0]
				if got := tb.Cell(0, 3); got != "商水县电子商务培训学员名单" {
					t.Errorf("merged title not filled into D1: %q", got)
				}
				h, ok := tb.FindHeader(Columns(), 2)
				if !ok || h.Row != 2 || h.Data != 3 || h.Col("name") != 1 || h.Col("id") != 2 || h.Col("phone") != 3 {
					t.Fatalf("header = %+v, %v", h, ok)
				}
				if got := NormName(h.Get(tb, 3, "name")); got != "张三" {
					t.Errorf("name = %q", got)
				}
				if got := NormID(h.Get(tb, 3, "id")); got != "41162319900101001X" {
					t.Errorf("id = %q", got)
				}
				if tb.IsNumber(3, 2) || !tb.IsNumber(3, 0) {
					t.Errorf("number flags wrong: id %v seq %v", tb.IsNumber(3, 2), tb.IsNumber(3, 0))
				}
			},
		},
		{
			name: "date cells by number format, numbers and ID stored as number",
			file: "dates.xlsx",
			fill: func(f *excelize.File) {
				d14, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
				cn := `yyyy"年"m"月"d"日"`
				dcn, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &cn})
				dt := "yyyy-mm-dd hh:mm"
				ddt, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dt})
				set(f, "Sheet1", "A1", time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
				f.SetCellStyle("Sheet1", "A1", "A1", d14)
				set(f, "Sheet1", "B1", time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC))
				f.SetCellStyle("Sheet1", "B1", "B1", dcn)
				set(f, "Sheet1", "C1", time.Date(2026, 3, 12, 8, 30, 0, 0, time.UTC))
				f.SetCellStyle("Sheet1", "C1", "C1", ddt)
				set(f, "Sheet1", "D1", 46091) // a plain number, General format
				set(f, "Sheet1", "E1", 4.10623199001011e17)
				set(f, "Sheet1", "F1", "2026年3月10日")
			},
			check: func(t *testing.T, b *Book) {
				tb := b.Tables[0]
				want := []struct {
					col    int
					date   bool
					when   string
					wantOK bool
				}{
					{0, true, "2026-03-10 00:00", true},
					{1, true, "2026-03-11 00:00", true},
					{2, true, "2026-03-12 08:30", true},
					{3, false, "2026-03-10 00:00", true}, // serial in a date context, format lost
					{4, false, "", false},
					{5, false, "2026-03-10 00:00", true},
				}
				for _, w := range want {
					if tb.IsDate(0, w.col) != w.date {
						t.Errorf("col %d IsDate = %v, want %v", w.col, !w.date, w.date)
					}
					got, err := tb.When(0, w.col, loc, 0)
					if (err == nil) != w.wantOK {
						t.Errorf("col %d When error %v", w.col, err)
						continue
					}
					if err == nil && got.Time.Format("2006-01-02 15:04") != w.when {
						t.Errorf("col %d When = %s, want %s", w.col, got.Time.Format("2006-01-02 15:04"), w.when)
					}
					if err == nil && got.Time.Location() != loc {
						t.Errorf("col %d not in the county's zone", w.col)
					}
				}
				if !tb.IsNumber(0, 4) || !strings.Contains(strings.ToUpper(tb.Cell(0, 4)), "E+17") && !strings.HasSuffix(tb.Cell(0, 4), "000") {
					t.Errorf("ID stored as number read as %q number=%v", tb.Cell(0, 4), tb.IsNumber(0, 4))
				}
			},
		},
		{
			name: "row numbers as Excel shows them across gaps; hidden sheet flagged",
			file: "gaps.xlsx",
			fill: func(f *excelize.File) {
				set(f, "Sheet1", "B2", "第二行")
				set(f, "Sheet1", "C7", "第七行")
				f.NewSheet("隐藏")
				set(f, "隐藏", "A1", "x")
				f.SetSheetVisible("隐藏", false)
			},
			check: func(t *testing.T, b *Book) {
				tb := b.Tables[0]
				if tb.Cell(1, 1) != "第二行" || tb.Cell(6, 2) != "第七行" || len(tb.Rows) != 7 {
					t.Errorf("rows misplaced: %q", tb.Rows)
				}
				if len(b.Tables) != 2 || !b.Tables[1].Hidden || b.Tables[0].Hidden {
					t.Errorf("hidden flag wrong")
				}
				e := tb.Problem(6, "测试")
				if e.Row != 7 || e.Sheet != "Sheet1" || !strings.Contains(e.Detail, "第7行") {
					t.Errorf("problem = %+v", e)
				}
			},
		},
		{
			name: "vertically merged cells fill the data rows",
			file: "merge.xlsx",
			fill: func(f *excelize.File) {
				set(f, "Sheet1", "A1", "乡镇")
				set(f, "Sheet1", "B1", "姓名")
				set(f, "Sheet1", "A2", "邓城镇")
				f.MergeCell("Sheet1", "A2", "A4")
				set(f, "Sheet1", "B2", "甲")
				set(f, "Sheet1", "B3", "乙")
				set(f, "Sheet1", "B4", "丙")
			},
			patch: func(p string) { // absurd merges: far below the data, and over the whole sheet
				rewritePart(t, p, "xl/worksheets/sheet1.xml", func(b []byte) []byte {
					if !bytes.Contains(b, []byte(`<mergeCell ref="A2:A4"></mergeCell>`)) {
						t.Fatalf("merge not found in %s", b)
					}
					return bytes.Replace(b, []byte(`<mergeCell ref="A2:A4"></mergeCell>`), []byte(`<mergeCell ref="A2:A4"/><mergeCell ref="C100:Z1048576"/><mergeCell ref="E1:XFD1048576"/>`), 1)
				})
			},
			check: func(t *testing.T, b *Book) {
				tb := b.Tables[0]
				if tb.Cell(3, 0) != "邓城镇" || len(tb.Rows) != 4 {
					t.Errorf("merge not filled / rows %d: %q", len(tb.Rows), tb.Rows)
				}
			},
		},
		{
			name: "sheet whose dimension claims 1,000,000 rows is refused by its dimension",
			file: "huge.xlsx",
			fill: func(f *excelize.File) {
				set(f, "Sheet1", "A1", "姓名")
				f.NewSheet("正常")
				set(f, "正常", "A1", "姓名")
			},
			patch: func(p string) {
				rewritePart(t, p, "xl/worksheets/sheet1.xml", func(b []byte) []byte {
					if !reDimElem.Match(b) {
						t.Fatalf("no dimension in %s", b)
					}
					return reDimElem.ReplaceAll(b, []byte(`<dimension ref="A1:J1000000"/>`))
				})
			},
			wantErr: "声明有 1000000 行",
			check: func(t *testing.T, b *Book) {
				if len(b.Tables) != 1 || b.Tables[0].Sheet != "正常" {
					t.Errorf("the other sheet must still be read: %d tables", len(b.Tables))
				}
			},
		},
		{
			name:    "more rows than the limit without a dimension is refused by counting",
			file:    "many.xlsx",
			maxRows: 10,
			fill: func(f *excelize.File) {
				for r := 1; r <= 20; r++ {
					set(f, "Sheet1", "A"+strconv.Itoa(r), r)
				}
			},
			patch: func(p string) {
				rewritePart(t, p, "xl/worksheets/sheet1.xml", func(b []byte) []byte {
					return reDimElem.ReplaceAll(b, nil)
				})
			},
			wantErr: "超过 10 行",
		},
		{
			name:    "a workbook that unpacks to far more than it weighs (zip bomb)",
			file:    "bomb.xlsx",
			fill:    func(f *excelize.File) { set(f, "Sheet1", "A1", "姓名") },
			patch:   func(p string) { claimSize(t, p, "xl/worksheets/sheet1.xml", 100<<20) },
			wantErr: "压缩比异常",
		},
		{
			name:    "a sheet whose XML is far larger than its row limit allows",
			file:    "fat.xlsx",
			noRatio: true,
			fill:    func(f *excelize.File) { set(f, "Sheet1", "A1", "姓名") },
			patch:   func(p string) { claimSize(t, p, "xl/worksheets/sheet1.xml", 600<<20) },
			wantErr: "工作表「Sheet1」解压后有 629145600 字节",
		},
		{
			name:    ".xls is refused with the fix",
			file:    "名单.xls",
			patch:   func(p string) { os.WriteFile(p, append(append([]byte{}, cfbMagic...), make([]byte, 600)...), 0o644) },
			wantErr: "旧版 .xls 格式不支持，请在 Excel/WPS 中另存为 .xlsx",
		},
		{
			name:    "an xlsx that is not a zip",
			file:    "签到表.xlsx",
			patch:   func(p string) { os.WriteFile(p, []byte("姓名,身份证号\n张三,1\n"), 0o644) },
			wantErr: "不是有效的 .xlsx 文件",
		},
		{
			name:    "a truncated xlsx",
			file:    "坏.xlsx",
			fill:    func(f *excelize.File) { set(f, "Sheet1", "A1", "x") },
			patch:   func(p string) { b, _ := os.ReadFile(p); os.WriteFile(p, b[:len(b)/2], 0o644) },
			wantErr: "不是有效的 .xlsx 文件",
		},
		{
			name:    "an old .xls renamed to .xlsx",
			file:    "改名.xlsx",
			patch:   func(p string) { os.WriteFile(p, append(append([]byte{}, cfbMagic...), make([]byte, 600)...), 0o644) },
			wantErr: "旧版 .xls 格式或设置了打开密码",
		},
		{
			name:    "an empty file",
			file:    "空.xlsx",
			patch:   func(p string) { os.WriteFile(p, nil, 0o644) },
			wantErr: "文件是空的",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *cfg
			if tt.maxRows > 0 {
				c.Thresholds.MaxSheetRows = tt.maxRows
			}
			if tt.noRatio {
				c.Intake.MaxZipRatio = 0
			}
			p := filepath.Join(dir, tt.file)
			if tt.fill != nil {
				p = build(t, dir, tt.file, tt.fill)
			}
			if tt.patch != nil {
				tt.patch(p)
			}
			before, _ := os.ReadFile(p)
			allocBefore := totalAlloc()
			b, probs := Open(p, "材料/"+tt.file, &c)
			if mb := (totalAlloc() - allocBefore) >> 20; mb > 512 {
				t.Errorf("opening allocated %d MB", mb)
			}
			after, _ := os.ReadFile(p)
			if !bytes.Equal(before, after) {
				t.Errorf("input file modified")
			}
			all := details(probs)
			if tt.wantErr == "" && len(probs) > 0 {
				t.Fatalf("unexpected problems:\n%s", all)
			}
			if tt.wantErr != "" {
				if !strings.Contains(all, tt.wantErr) {
					t.Fatalf("problems %q do not contain %q", all, tt.wantErr)
				}
				for _, p := range probs {
					if p.File != "材料/"+tt.file {
						t.Errorf("problem does not name the file: %+v", p)
					}
				}
			}
			if tt.check != nil {
				if b == nil {
					t.Fatal("nil book")
				}
				tt.check(t, b)
			}
		})
	}
}

func TestOpenCSV(t *testing.T) {
	cfg := config.Default()
	dir := t.TempDir()
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("姓名,身份证号码,联系电话\n张三,41162319900101001X,13800138000\n")
	tests := []struct {
		name string
		data []byte
		rows int
		cell string // Rows[1][0]
		sep  string
	}{
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, "姓名,身份证号码\n张三,41162319900101001X\n"...), 2, "张三", ""},
		{"GBK from Chinese Excel", []byte(gbk), 2, "张三", ""},
		{"tab separated", []byte("姓名\t身份证号码\n李四\t41162319900101001X\n"), 2, "李四", ""},
		{"title line then header, quoted newline", []byte("学员名单\n姓名,备注\n\"王五\",\"两行\n备注\"\n"), 3, "姓名", ""},
		{"utf-16 with BOM", utf16le("姓名,电话\n赵六,1\n"), 2, "赵六", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "x.csv")
			os.WriteFile(p, tt.data, 0o644)
			b, probs := Open(p, "名单.csv", cfg)
			if len(probs) > 0 || b == nil {
				t.Fatalf("problems: %s", details(probs))
			}
			tb := b.Tables[0]
			if len(tb.Rows) != tt.rows || tb.Cell(1, 0) != tt.cell {
				t.Fatalf("rows = %q", tb.Rows)
			}
			if tb.Sheet != "" || tb.File != "名单.csv" {
				t.Errorf("table names %q %q", tb.File, tb.Sheet)
			}
		})
	}
	// Too many rows.
	c := *cfg
	c.Thresholds.MaxSheetRows = 3
	p := filepath.Join(dir, "big.csv")
	os.WriteFile(p, []byte(strings.Repeat("a,b\n", 10)), 0o644)
	if _, probs := Open(p, "big.csv", &c); !strings.Contains(details(probs), "超过 3 行") {
		t.Errorf("big CSV not refused: %s", details(probs))
	}
	// One line of 1 MB (a damaged export): refused before parsing, naming the line.
	p = filepath.Join(dir, "line.csv")
	os.WriteFile(p, []byte("姓名,电话\n"+strings.Repeat("张一,", 1<<18)), 0o644)
	if b, probs := Open(p, "line.csv", cfg); b != nil || len(probs) != 1 || probs[0].Row != 2 || !strings.Contains(probs[0].Detail, "第2行") {
		t.Errorf("long line: %v %+v", b, probs)
	}
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			panic("test text in BMP only")
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func TestParseWhen(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	tests := []struct {
		in      string
		year    int
		want    string // 2006-01-02 15:04:05, or the error substring after "!"
		hasTime bool
	}{
		{"2026-03-10", 0, "2026-03-10 00:00:00", false},
		{"2026/3/10", 0, "2026-03-10 00:00:00", false},
		{"2026.3.10", 0, "2026-03-10 00:00:00", false},
		{"2026年3月10日", 0, "2026-03-10 00:00:00", false},
		{"２０２６年３月１０日", 0, "2026-03-10 00:00:00", false},
		{"20260310", 0, "2026-03-10 00:00:00", false},
		{"2026-03-10T08:30:00", 0, "2026-03-10 08:30:00", true},
		{"2026-3-10 8:30", 0, "2026-03-10 08:30:00", true},
		{"2026年3月10日 下午2:30", 0, "2026-03-10 14:30:00", true},
		{"2026年3月10日8时05分", 0, "2026-03-10 08:05:00", true},
		{"3月10日", 2026, "2026-03-10 00:00:00", false},
		{"2026年3月10日（星期二）", 0, "2026-03-10 00:00:00", false},
		{"2026-03-10 周二 8:30", 0, "2026-03-10 08:30:00", true},
		{"08:30", 0, "0001-01-01 08:30:00", true},
		{"3月10日", 0, "!缺少年份", false},
		{"2026年2月30日", 0, "!不存在", false},
		{"2026-13-01", 0, "!不存在", false},
		{"明天", 0, "!不是日期", false},
		{"2026-03-10 早些时候", 0, "!不是时间", false},
		{"25:00", 0, "!不存在", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseWhen(tt.in, loc, tt.year)
			if strings.HasPrefix(tt.want, "!") {
				if err == nil || !strings.Contains(err.Error(), tt.want[1:]) {
					t.Fatalf("err = %v, want %q", err, tt.want[1:])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := w.Time.Format("2006-01-02 15:04:05"); got != tt.want || w.HasTime != tt.hasTime {
				t.Fatalf("got %s hasTime=%v", got, w.HasTime)
			}
		})
	}
}

func TestIsDateFormat(t *testing.T) {
	tests := []struct {
		id   int
		code string
		want bool
	}{
		{14, "", true}, {22, "", true}, {31, "", true}, {57, "", true},
		{0, "", false}, {1, "", false}, {49, "", false}, {11, "", false},
		{164, "yyyy-mm-dd", true}, {164, `yyyy"年"m"月"d"日"`, true}, {164, "[$-F800]dddd, mmmm dd, yyyy", true},
		{164, "h:mm:ss", true}, {164, "[h]:mm", true}, {164, "0.00E+00", false}, {164, `0.00_);[Red](0.00)`, false},
		{164, `[$¥-804]#,##0.00`, false}, {164, "@", false}, {164, "General", false}, {164, `0"人"`, false},
		{164, "yyyy年m月d日", true},
	}
	for _, tt := range tests {
		if got := isDateFormat(tt.id, tt.code); got != tt.want {
			t.Errorf("isDateFormat(%d, %q) = %v", tt.id, tt.code, got)
		}
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct {
		f      func(string) string
		in     string
		want   string
		fnName string
	}{
		{NormName, " 张　三 ", "张三", "name"},
		{NormName, "阿依古丽•买买提", "阿依古丽·买买提", "name"},
		{NormID, "４１１６２３ １９９００１０１００１ｘ", "41162319900101001X", "id"},
		{NormID, "'41162319900101001x", "41162319900101001X", "id"},
		{NormPhone, "+86 138-0013-8000", "13800138000", "phone"},
		{NormPhone, "１３８００１３８０００", "13800138000", "phone"},
		{NormPhone, "0394-5421234", "03945421234", "phone"},
		{NormPhone, "1.38001E+10", "1.38001E+10", "phone"},
		{Clean, "\ufeff 身份证号\u200b ", "身份证号", "clean"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %q, want %q", tt.fnName, tt.in, got, tt.want)
		}
	}
}

func TestVocab(t *testing.T) {
	tests := []struct {
		v    *Vocab
		in   string
		want string
	}{
		{Columns(), "公民身份号码", "id"},
		{Columns(), "身份证号码（18位）", "id"},
		{Columns(), "* 姓 名：", "name"},
		{Columns(), "手机号码", "phone"},
		{Columns(), "是否建档立卡贫困户(是/否)", "poor"},
		{Columns(), "回访日期", "calltime"},
		{Columns(), "场次", "session"},
		{Columns(), "籍贯", ""},
		{ManifestItems(), "培训机构", "institution"},
		{ManifestItems(), "开始日期", "start"},
		{ManifestItems(), "地点坐标", "venue_coords"},
		{ManifestHeader(), "内容", "value"},
	}
	for _, tt := range tests {
		if got := tt.v.Match(tt.in); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, err := NewVocab([]Field{{Key: "a", Label: "姓名"}, {Key: "b", Label: "名", Aliases: []string{"姓名"}}}); err == nil {
		t.Error("an alias claimed twice must be an error")
	}
	for _, d := range []struct{ in, want string }{{"WGS-84", "wgs84"}, {"高德地图", "gcj02"}, {"百度", "bd09"}, {"GCJ02（高德、腾讯）", "gcj02"}, {"火星文", "gcj02"}, {"不知道", ""}} {
		if got := Datum(d.in); got != d.want {
			t.Errorf("Datum(%q) = %q", d.in, got)
		}
	}
}

func TestFindHeaderTwoRows(t *testing.T) {
	tb := &Table{Rows: [][]string{
		{"学员名单"},
		{"序号", "姓名", "联系方式", "联系方式", "性别"},
		{"序号", "姓名", "手机", "固定电话", "性别"},
		{"1", "张三", "13800138000", "", "男"},
		{"注：以上信息属实"},
	}}
	h, ok := tb.FindHeader(Columns(), 2)
	if !ok || h.Data != 3 || h.Col("phone") != 2 || h.Col("gender") != 4 {
		t.Fatalf("header = %+v", h)
	}
	if !tb.IsNoteRow(4) || tb.IsNoteRow(3) {
		t.Errorf("note row detection wrong")
	}
	if _, ok := (&Table{Rows: [][]string{{"无关"}, {"内容"}}}).FindHeader(Columns(), 1); ok {
		t.Errorf("no header expected")
	}
}

func TestHelpers(t *testing.T) {
	for _, tt := range []struct {
		c    int
		want string
	}{{0, "A"}, {25, "Z"}, {26, "AA"}, {701, "ZZ"}, {702, "AAA"}} {
		if got := ColName(tt.c); got != tt.want {
			t.Errorf("ColName(%d) = %s", tt.c, got)
		}
		if c, _ := splitRef(tt.want + "7"); c != tt.c+1 {
			t.Errorf("splitRef(%s7) col = %d", tt.want, c)
		}
	}
	for _, tt := range []struct{ in, want string }{{"签到表/第1天.xlsx", "第1天"}, {`a\b\名单.csv`, "名单"}, {"x", "x"}} {
		if got := Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q", tt.in, got)
		}
	}
	for _, tt := range []struct {
		in   string
		want bool
	}{{"a.XLSX", true}, {"a.csv", true}, {"a.xls", true}, {"a.et", true}, {"a.pdf", false}, {"a", false}} {
		if IsTable(tt.in) != tt.want {
			t.Errorf("IsTable(%q)", tt.in)
		}
	}
	tb := &Table{Rows: [][]string{{"姓名", "身份证号码"}, {"甲", "1"}, {"姓名", "身份证号码"}, {" ", "\u3000"}}}
	h, _ := tb.FindHeader(Columns(), 2)
	if h.Repeats(tb, 1) || !h.Repeats(tb, 2) || !tb.IsEmptyRow(3) || tb.IsEmptyRow(1) || !h.Has("id") || h.Has("phone") || h.Get(tb, 1, "name") != "甲" {
		t.Error("Repeats / IsEmptyRow / Has / Get wrong")
	}
	if w, _ := ParseWhen("2026-03-10 08:30", time.UTC, 0); !w.Date().Equal(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date() = %v", w.Date())
	}
	if Columns().Label("id") != "身份证号码" || ManifestItems().Field("start").Kind != "date" {
		t.Error("Label/Field wrong")
	}
	if !IsWord("yes", "√") || !IsWord("absent", "请假") || IsWord("yes", "否") || !ContainsWord("poor", "脱贫户（监测户）") {
		t.Error("word lists wrong")
	}
}

// TestEvidenceAndProblem: Evidence names the file, sheet and row like Problem but
// takes its detail as worded, so a percent sign in a cell's text stays as it is.
func TestEvidenceAndProblem(t *testing.T) {
	xlsx := &Table{File: "名单.xlsx", Sheet: "Sheet1"}
	csv := &Table{File: "名单.csv"}
	for _, tt := range []struct {
		name   string
		got    yanshou.Evidence
		row    int
		detail string
	}{
		{"a row of a sheet", xlsx.Evidence(4, "缺少姓名"), 5, "工作表「Sheet1」第5行：缺少姓名"},
		{"the whole sheet", xlsx.Evidence(-1, "未读取"), 0, "工作表「Sheet1」：未读取"},
		{"a row of a CSV file", csv.Evidence(0, "缺少姓名"), 1, "第1行：缺少姓名"},
		{"a percent sign is no verb", xlsx.Evidence(1, "「100%」不是日期"), 2, "工作表「Sheet1」第2行：「100%」不是日期"},
		{"Problem formats, then is Evidence", xlsx.Problem(1, "「%s」不是日期", "100%"), 2, "工作表「Sheet1」第2行：「100%」不是日期"},
		{"a CSV file alone", csv.Evidence(-1, "未读取"), 0, "未读取"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Row != tt.row || tt.got.Detail != tt.detail || tt.got.File == "" {
				t.Errorf("got %+v, want row %d, detail %q", tt.got, tt.row, tt.detail)
			}
		})
	}
}
