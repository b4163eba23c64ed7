package sheet

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// tableFrom makes a table of text: rows split at newlines, cells at tabs.
func tableFrom(s string) *Table {
	t := &Table{File: "f.xlsx", Sheet: "Sheet1"}
	for _, line := range strings.Split(s, "\n") {
		t.Rows = append(t.Rows, strings.Split(line, "\t"))
	}
	return t
}

// FuzzFindHeader: header detection never panics, and what it finds is consistent:
// the header lies within the rows searched, every column it names holds a name of
// that field (in the header row or the sub-header below it), and the row helpers
// accept every row.
func FuzzFindHeader(f *testing.F) {
	for _, s := range []string{
		"商水县电子商务培训学员名单\n序号\t姓名\t身份证号码\t联系电话\n1\t张三\t41162319900101001X\t13800138000",
		"学员名单\n序号\t姓名\t联系方式\t联系方式\t性别\n序号\t姓名\t手机\t固定电话\t性别\n1\t张三\t138\t\t男\n注：以上属实",
		"* 学员 姓名\t证件号码（必填）\t手机号码【11位】\n甲\t1\t2\n姓名\t身份证号码\n合计\t3人",
		"日期\t场次\t姓名\t签到时间\n2026-03-10\t上午\t甲\t08:30",
		"姓名\t3月10日\t3月11日\n甲\t√\t缺勤",
		"\n\n\t\t\n（\t）\n【】",
	} {
		f.Add(s)
	}
	v := Columns()
	f.Fuzz(func(t *testing.T, s string) {
		tb := tableFrom(s)
		h, ok := tb.FindHeader(v, 1)
		for r := range tb.Rows {
			tb.IsEmptyRow(r)
			tb.IsNoteRow(r)
			if ok {
				h.Repeats(tb, r)
			}
		}
		if !ok {
			return
		}
		if h.Row < 0 || h.Row >= HeaderScanRows() || (h.Data != h.Row+1 && h.Data != h.Row+2) {
			t.Fatalf("header row %d, data %d", h.Row, h.Data)
		}
		for key, c := range h.Cols {
			top, sub := v.Match(tb.Cell(h.Row, c)), ""
			if h.Data == h.Row+2 {
				sub = v.Match(tb.Cell(h.Row+1, c))
			}
			if top != key && sub != key {
				t.Fatalf("column %d is %q/%q, not %s", c, tb.Cell(h.Row, c), tb.Cell(h.Row+1, c), key)
			}
			if c >= len(h.Names) {
				t.Fatalf("column %d beyond the names %q", c, h.Names)
			}
		}
	})
}

// FuzzNormalise: the normalisations are idempotent, leave no spaces where they
// promise none, keep valid UTF-8 valid, and recognise a column name the same way
// however it was cleaned.
func FuzzNormalise(f *testing.F) {
	for _, s := range []string{
		" 张　三 ", "阿依古丽•买买提", "４１１６２３ １９９００１０１００１ｘ", "'41162319900101001x", "+86 138-0013-8000",
		"1.38001E+10", "\ufeff 身份证号\u200b ", "身份证号码（必填）", "* 姓 名：", "是否建档立卡贫困户(是/否)", "【】", "(", "x×-",
	} {
		f.Add(s)
	}
	v := Columns()
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(string) string{"Clean": Clean, "Compact": Compact, "NormName": NormName, "NormID": NormID} {
			once := fn(s)
			if twice := fn(once); twice != once {
				t.Fatalf("%s not idempotent: %q → %q → %q", name, s, once, twice)
			}
			if utf8.ValidString(s) && !utf8.ValidString(once) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, once)
			}
		}
		for _, c := range []string{Compact(s), NormName(s), NormID(s)} {
			if strings.IndexFunc(c, unicode.IsSpace) >= 0 {
				t.Fatalf("space left in %q (from %q)", c, s)
			}
		}
		if id := NormID(s); strings.ContainsAny(id, "x-×") {
			t.Fatalf("NormID(%q) = %q", s, id)
		}
		if p := NormPhone(s); p != "" && strings.Trim(p, "0123456789") != "" && !strings.ContainsAny(p, "Ee") {
			t.Fatalf("NormPhone(%q) = %q", s, p)
		}
		if k := v.Match(s); k != "" && v.Match(Clean(s)) != k {
			t.Fatalf("Match(%q) = %s but Match(Clean) = %s", s, k, v.Match(Clean(s)))
		}
	})
}

// FuzzParseWhen: any text either is refused with a reason or gives a real day
// (and time) that reads back the same when written plainly.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2026-03-10", "2026/3/10", "2026.3.10", "2026年3月10日", "20260310", "2026-03-10T08:30:00",
		"2026年3月10日 下午2:30", "3月10日", "2026年3月10日（星期二）", "08:30", "25:00", "2026年2月30日", "明天"} {
		f.Add(s, 2026)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	f.Fuzz(func(t *testing.T, s string, year int) {
		year %= 10000
		w, err := ParseWhen(s, loc, year)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty reason for %q", s)
			}
			return
		}
		if !w.HasDate && !w.HasTime {
			t.Fatalf("%q parsed to nothing", s)
		}
		if w.HasDate {
			plain := w.Time.Format("2006-01-02 15:04:05")
			if w.Time.Year() < 1000 {
				return // not written back as four digits
			}
			back, err := ParseWhen(plain, loc, 0)
			if err != nil || !back.Time.Equal(w.Time) {
				t.Fatalf("%q → %s → %v, %v", s, plain, back.Time, err)
			}
		}
	})
}

// FuzzScanSheet: the byte scanner over sheet XML never panics or loops on
// malformed input, and never reports more rows than it was allowed.
func FuzzScanSheet(f *testing.F) {
	for _, s := range []string{
		`<worksheet><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3"><v>46091</v></c></row></sheetData><mergeCells><mergeCell ref="A1:C1"/></mergeCells></worksheet>`,
		`<x:row r='2'><x:c r='AB2' t='n'><x:v>1</x:v></x:c></x:row><row><c><v>2</v></c></row>`,
		`<row r="99999999999999999999"><c r="XFD1048576" s="9999999999"/>`, `<c r=`, `<<<>>>`, `<!-- <row> -->`,
	} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, maxRows int) {
		maxRows %= 1000
		sc := scanXML(strings.NewReader(s), maxRows)
		if maxRows > 0 && !sc.tooMany && sc.lastRow > maxRows {
			t.Fatalf("lastRow %d beyond %d", sc.lastRow, maxRows)
		}
		for _, c := range sc.cells {
			if c.row < 0 || c.col < 0 {
				t.Fatalf("cell %+v", c)
			}
		}
	})
}
