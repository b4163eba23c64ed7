package render

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/format/fonts"
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

// TestNoticeOfficialPaper checks the 版头 and 版记 of GB/T 9704 through the
// PDF's text and fonts: the 发文机关标志 and the 文号 above the title, no
// drawn seal but its place marked （印章） above the office's name, the
// 成文日期 in Chinese numerals, the closing line on the signature's page, the
// body in the Fang face (or the primary font where there is none) and titles in
// the Hei face when the machine has one.
func TestNoticeOfficialPaper(t *testing.T) {
	cfg := testConfig(t)
	for _, v := range []yanshou.Verdict{yanshou.Fail, yanshou.Veto} {
		t.Run(v.Chinese(), func(t *testing.T) {
			r := sampleResult(v)
			r.DocNumber = cfg.DocNumber(2026, 17)
			dir := t.TempDir()
			name, err := Notice(dir, r, cfg)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			text := pdfText(t, path)
			order := []string{"商水县电子商务办公室文件", "商电商验〔2026〕17号", strings.TrimSuffix(name, ".pdf"),
				"商水县某某职业培训学校：", "特此通知。", "（印章）", "商水县电子商务办公室", "二〇二六年三月二十日", "签收人"}
			at := 0
			for _, w := range order {
				i := strings.Index(text[at:], w)
				if i < 0 {
					t.Fatalf("%q missing or out of order after offset %d:\n%s", w, at, text)
				}
				at += i + len(w)
			}
			if strings.Contains(text, "盖章") || strings.Contains(text, "编号：") {
				t.Errorf("notice still has the old seal line or internal number")
			}
			// The closing line and the signature are on one page.
			for _, page := range strings.Split(text, "\f") {
				if strings.Contains(page, "（印章）") && !strings.Contains(page, "特此通知。") {
					t.Errorf("signature block alone on its page:\n%s", page)
				}
			}
			faces := pdfTool(t, "pdffonts", path)
			if spec, ok := fonts.FindStyle(fonts.Hei); ok && !strings.Contains(faces, fontFamily(spec)) {
				t.Errorf("the Hei face %s is not embedded:\n%s", spec, faces)
			}
			if spec, ok := fonts.FindStyle(fonts.Fang); ok && !strings.Contains(faces, fontFamily(spec)) {
				t.Errorf("the Fang face %s is not embedded:\n%s", spec, faces)
			}
		})
	}
	// Without a number from the ledger the notice says its internal number.
	dir := t.TempDir()
	name, err := Notice(dir, sampleResult(yanshou.Fail), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, filepath.Join(dir, name)); !strings.Contains(text, "编号：sx-2026-0310-mm3-2") {
		t.Errorf("notice without 文号 lacks its internal number")
	}
}

// fontFamily is the PDF font name pdfdoc gives a font spec (its file name's
// letters and digits).
func fontFamily(spec string) string {
	path, _, _ := fonts.SplitSpec(spec)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	var b strings.Builder
	for _, r := range base {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestReportPagination: for a growing list of files (which moves the
// signature section down page by page), the signature section is never alone
// on its page — the last files come with it — and no page but the last is
// less than a third full (measured from pdftotext -bbox: the lowest word of
// the body, above the footer).
func TestReportPagination(t *testing.T) {
	cfg := testConfig(t)
	word := regexp.MustCompile(`<word xMin="[0-9.]+" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">([^<]*)</word>`)
	for extra := 0; extra <= 60; extra += 6 {
		t.Run(fmt.Sprint(extra, " files"), func(t *testing.T) {
			r := sampleResult(yanshou.Fail)
			for i := range extra {
				rel := fmt.Sprintf("04培训课件/补充材料%02d.pdf", i+1)
				r.Submission.Files = append(r.Submission.Files, yanshou.File{Rel: rel, Kind: yanshou.Courseware, Size: 1 << 20, SHA256: hashOf(rel)})
			}
			path := filepath.Join(t.TempDir(), ReportName)
			if err := Report(path, r, cfg); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(out), "<page ")[1:]
			for p, page := range pages {
				lowest, body := 0.0, []string{}
				for _, m := range word.FindAllStringSubmatch(page, -1) {
					top, _ := strconv.ParseFloat(m[1], 64)
					bottom, _ := strconv.ParseFloat(m[2], 64)
					if top < 50 || top > 770 { // running head, footer
						continue
					}
					lowest = max(lowest, bottom)
					body = append(body, m[3])
				}
				if fill := (lowest - 62) / (776 - 62); p < len(pages)-1 && fill < 1.0/3 {
					t.Errorf("page %d of %d is %.0f%% full", p+1, len(pages), 100*fill)
				}
				if len(body) > 0 && body[0] == "七、验收签署" {
					t.Errorf("page %d starts with the signature section, alone:\n%s", p+1, strings.Join(body, " "))
				}
			}
		})
	}
}
