package render

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"yanshou"
)

// TestMainProblemsNumbering checks through pdftotext that every item of
// "主要问题" on page 1 carries the number its finding has in section 二, and that
// the first page carries no imitation seal (the label "验收结论" stood alone in
// the rotated box; the flat band says "验收结论：…" once).
func TestMainProblemsNumbering(t *testing.T) {
	cfg := testConfig(t)
	item := regexp.MustCompile(`(\d+)．【(不合格|一票否决)】(第[^：\s]+条)：`)
	head := regexp.MustCompile(`(\d+)．【(不合格|一票否决|提示)】(第\S+条) `)
	for _, v := range []yanshou.Verdict{yanshou.Fail, yanshou.Veto} {
		t.Run(v.Chinese(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, sampleResult(v), cfg); err != nil {
				t.Fatal(err)
			}
			page1, err := exec.Command("pdftotext", "-layout", "-f", "1", "-l", "1", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			all := pdfText(t, path)
			sections := map[string]string{} // number → article in section 二
			for _, m := range head.FindAllStringSubmatch(all, -1) {
				sections[m[1]] = m[2] + m[3]
			}
			items := item.FindAllStringSubmatch(string(page1), -1)
			if len(items) == 0 {
				t.Fatalf("no 主要问题 items on page 1:\n%s", page1)
			}
			for _, m := range items {
				if got := sections[m[1]]; got != m[2]+m[3] {
					t.Errorf("主要问题 %s．%s%s is %q in section 二", m[1], m[2], m[3], got)
				}
			}
			if n := strings.Count(string(page1), "验收结论"); n != 1 {
				t.Errorf("page 1 says 验收结论 %d times, want once (no stamp):\n%s", n, page1)
			}
		})
	}
}

func TestDropEmptyColumns(t *testing.T) {
	tests := []struct {
		name   string
		rows   [][]string
		header []string
	}{
		{"all used", [][]string{{"a.xlsx", "表1", "3", "x"}}, []string{"文件", "工作表", "行", "说明"}},
		{"no sheet or row", [][]string{{"a.jpg", "", "", "x"}, {"b.jpg", "", "", "y"}}, []string{"文件", "说明"}},
		{"only detail", [][]string{{"", "", "", "x"}}, []string{"说明"}},
		{"row in one", [][]string{{"", "", "", "x"}, {"", "", "7", "y"}}, []string{"行", "说明"}},
	}
	cols := evidenceColumns()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, h, rows := dropEmptyColumns(cols, []string{"文件", "工作表", "行", "说明"}, tt.rows, 3)
			if strings.Join(h, ",") != strings.Join(tt.header, ",") {
				t.Errorf("header %v, want %v", h, tt.header)
			}
			sum := 0.0
			for _, x := range c {
				sum += x.Share
			}
			if len(c) != len(tt.header) || sum < 0.999 || sum > 1.001 {
				t.Errorf("%d columns sharing %.3f", len(c), sum)
			}
			for _, r := range rows {
				if len(r) != len(tt.header) {
					t.Errorf("row %v has %d cells", r, len(r))
				}
			}
		})
	}
}
