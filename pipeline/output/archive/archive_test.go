package archive

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/platform/config"
)

// pageText is the text of one page (1-based) as pdftotext reads it.
func pageText(t testing.TB, path string, page int) string {
	t.Helper()
	n := strconv.Itoa(page)
	return squeeze(run(t, "pdftotext", "-layout", "-f", n, "-l", n, path, "-"))
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

func pdfPages(t testing.TB, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo gives no page count for %s", path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestWrite binds a submission holding every kind of file and checks both
// copies with real tools.
func TestWrite(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo", "pdffonts", "pdfimages", "qpdf")
	fx := newFixture(t)
	dir := t.TempDir()
	out, err := Write(dir, fx.r, fx.cfg, Options{})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if got := strings.Join(out.Names(), ","); got != "归档-商水县电子商务办公室.pdf,归档-培训机构.pdf" {
		t.Fatalf("copies %s", got)
	}
	if h := out.Copies[1].Holder; h != "商水县某某职业培训学校" {
		t.Errorf("the institution's copy is held by %q, want the institution's name", h)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d entries left in the folder, want the 2 copies only", len(entries))
	}
	a, b := filepath.Join(dir, out.Copies[0].Name), filepath.Join(dir, out.Copies[1].Name)
	pages := pdfPages(t, a)
	if pages != out.Pages || pdfPages(t, b) != pages {
		t.Fatalf("copies have %d and %d pages, Output says %d", pages, pdfPages(t, b), out.Pages)
	}

	t.Run("qpdf check and fonts", func(t *testing.T) {
		for _, p := range []string{a, b} {
			if o := run(t, "qpdf", "--check", p); !strings.Contains(o, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check %s:\n%s", p, o)
			}
			for _, l := range strings.Split(run(t, "pdffonts", p), "\n")[2:] {
				if f := strings.Fields(l); len(f) > 4 && !strings.Contains(l, "yes yes") && !strings.Contains(l, "yes no") {
					t.Errorf("font not embedded: %s", l)
				}
			}
		}
	})

	t.Run("cover, contents and page numbers", func(t *testing.T) {
		cover := pageText(t, a, 1)
		for _, w := range []string{"培训材料归档册", "第1份 共2份", "持有单位：商水县电子商务办公室", "商水县某某职业培训学校",
			"农村电商实用技能培训班", "合格", "S0TESTARCHIVE1（第 1 版", fx.r.Submission.ContentHash, "共 " + strconv.Itoa(pages) + " 页"} {
			if !strings.Contains(cover, w) {
				t.Errorf("cover lacks %q:\n%s", w, cover)
			}
		}
		if c := pageText(t, b, 1); !strings.Contains(c, "第2份 共2份") || !strings.Contains(c, "持有单位：商水县某某职业培训学校") || strings.Contains(c, "持有单位：培训机构") {
			t.Errorf("second copy's cover lacks its mark:\n%s", c)
		}
		toc := run(t, "pdftotext", "-layout", "-f", "2", "-l", "2", a, "-")
		if !strings.Contains(toc, "目　录") && !strings.Contains(toc, "目 录") {
			t.Fatalf("page 2 is not the contents:\n%s", toc)
		}
		// Every section of the contents starts on the page it names.
		line := regexp.MustCompile(`(?m)^\s*([一二三四五六七八九十]+、\S+)[\s·]+(\d+)\s*$`)
		sections := line.FindAllStringSubmatch(toc, -1)
		if len(sections) != 12 { // the eleven materials and the others
			t.Fatalf("contents list %d sections, want 12:\n%s", len(sections), toc)
		}
		for i, m := range sections {
			want := yanshou.Materials[min(i, 10)].String()
			if i == 11 {
				want = "其他材料"
			}
			if !strings.Contains(m[1], want) {
				t.Errorf("section %d is %q, want %s", i+1, m[1], want)
			}
			p, _ := strconv.Atoi(m[2])
			if text := pageText(t, a, p); !strings.Contains(text, m[1]) || !strings.Contains(text, "第 "+m[2]+" 页 共 "+strconv.Itoa(pages)+" 页") {
				t.Errorf("contents say %s is on page %d; that page reads:\n%s", m[1], p, text)
			}
		}
		last := regexp.MustCompile(`原件清单及 SHA-256 校验值[\s·]+(\d+)`).FindStringSubmatch(toc)
		if last == nil {
			t.Fatalf("contents lack the file list")
		}
		p, _ := strconv.Atoi(last[1])
		if text := pageText(t, a, p); !strings.Contains(text, "验收结论：合格") || !strings.Contains(text, fx.r.Submission.Files[0].SHA256) {
			t.Errorf("page %d is not the file list:\n%s", p, text)
		}
		// A file entry points at its first page.
		fileLine := regexp.MustCompile(`(?m)01申请报告/申请报告\.pdf[\s·]+(\d+)`).FindStringSubmatch(toc)
		if fileLine == nil {
			t.Fatalf("contents lack the application's file")
		}
		p, _ = strconv.Atoi(fileLine[1])
		if text := pageText(t, a, p); !strings.Contains(text, "关于举办农村电商培训班的申请报告") || !strings.Contains(text, "第 1/2 页") {
			t.Errorf("page %d does not show the imported application:\n%s", p, text)
		}
	})

	t.Run("materials", func(t *testing.T) {
		text := squeeze(run(t, "pdftotext", "-layout", a, "-"))
		want := []string{
			"申请报告第二页：培训计划",               // imported, page 2
			"关于同意举办培训的批复",                // object streams, normalised
			"培训通知：请各学员按时参加",              // encrypted with an empty user password
			"未能装订的文件 文件 03培训通知/加密通知.pdf", // encrypted with a password
			"PDF 已加密",
			"09培训内容/课程安排.pdf", "PDF 文件损坏",
			"05现场照片/IMG_0001.jpg 拍摄时间：2026-03-10 09:15 距场地：35 米 已核验",
			"距场地：1240 米 超出场地",
			"05现场照片/IMG_0004.jpg", "图片无法解码",
			"学员090", "4116231990", "商水县某某职业培训学校 第3期 培训学员名单",
			"签到表.csv〔CSV〕", "3月10日上午 学员002",
			"其他材料", "说明.txt", "此类文件无法装订原文",
		}
		if _, err := exec.LookPath("soffice"); err == nil {
			want = append(want, "第一讲 网店运营课件正文", "培训情况总结正文")
		} else {
			want = append(want, "未安装 LibreOffice")
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("archive lacks %q", w)
			}
		}
		// The roster spans pages and repeats its header on each.
		if n := strings.Count(text, "序号 姓名 身份证号 联系电话 乡镇"); n < 3 {
			t.Errorf("roster header appears %d times, want on every page of the two tables", n)
		}
	})

	t.Run("photos upright and resized", func(t *testing.T) {
		list := run(t, "pdfimages", "-list", a)
		got := map[string]bool{}
		for _, l := range strings.Split(list, "\n") {
			if f := strings.Fields(l); len(f) > 4 && f[2] == "image" {
				got[f[3]+"x"+f[4]] = true
			}
		}
		// 2000×1500 → 1600×1200; with orientation 6 → upright 1200×1600; small ones as they are.
		for _, dims := range []string{"1600x1200", "1200x1600", "800x600", "300x200"} {
			if !got[dims] {
				t.Errorf("no image of %s pixels embedded:\n%s", dims, list)
			}
		}
		if strings.Contains(list, "2000") {
			t.Errorf("a photo was embedded at full size:\n%s", list)
		}
	})

	t.Run("problems", func(t *testing.T) {
		got := map[string]bool{}
		for _, p := range out.Problems {
			got[p.File] = true
		}
		for _, f := range []string{"03培训通知/加密通知.pdf", "09培训内容/课程安排.pdf", "05现场照片/IMG_0004.jpg"} {
			if !got[f] {
				t.Errorf("no problem reported for %s: %+v", f, out.Problems)
			}
		}
		for i := 1; i < len(out.Problems); i++ {
			if out.Problems[i-1].File > out.Problems[i].File {
				t.Errorf("problems not in file order: %+v", out.Problems)
			}
		}
		if got["说明.txt"] || got["02批复/批复.pdf"] || got["03培训通知/培训通知.pdf"] {
			t.Errorf("problems reported for files bound in full: %+v", out.Problems)
		}
		for _, p := range out.Problems {
			if p.File == "" || !strings.Contains(p.Detail, "未能") {
				t.Errorf("problem %+v does not name the file and why", p)
			}
		}
	})

	t.Run("copies differ only in their marks", func(t *testing.T) {
		for p := 1; p <= pages; p++ {
			ta := strings.NewReplacer("第1份 共2份", "MARK", "持有单位：商水县电子商务办公室", "HOLDER",
				"（商水县电子商务办公室）", "HOLDER").Replace(pageText(t, a, p))
			tb := strings.NewReplacer("第2份 共2份", "MARK", "持有单位：商水县某某职业培训学校", "HOLDER",
				"（商水县某某职业培训学校）", "HOLDER").Replace(pageText(t, b, p))
			if ta != tb {
				t.Errorf("page %d differs beyond the copy marks:\n%s\n---\n%s", p, ta, tb)
			}
		}
	})

	t.Run("metadata", func(t *testing.T) {
		info := run(t, "pdfinfo", a)
		for _, w := range []string{"Title:           培训材料归档册", "Author:          商水县电子商务办公室",
			"Subject:         培训材料归档（第十二条）", "Keywords:        S0TESTARCHIVE1 v1 " + fx.r.Submission.ContentHash + " copy 1/2"} {
			if !strings.Contains(info, w) {
				t.Errorf("pdfinfo lacks %q:\n%s", w, info)
			}
		}
	})

	if dir := os.Getenv("YANSHOU_ARTEFACTS"); dir != "" { // PNGs of the pages for a person to look at
		os.MkdirAll(dir, 0o755)
		run(t, "pdftoppm", "-r", "50", "-png", a, filepath.Join(dir, "archive"))
	}
}

// TestWriteRectified marks the cover of a pass after rectification, and a
// missing material gets a divider saying so.
func TestWriteRectified(t *testing.T) {
	needTools(t, "pdftotext")
	fx := newFixture(t)
	var keep []yanshou.File
	for _, f := range fx.r.Submission.Files {
		if f.Kind == yanshou.Application || f.Kind == yanshou.Approval {
			keep = append(keep, f)
		}
	}
	fx.r.Submission.Files = keep
	fx.cfg.ArchiveCopies = []string{"某县电商办"}
	dir := t.TempDir()
	out, err := Write(dir, fx.r, fx.cfg, Options{Rectified: true, Converter: "-"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Copies) != 1 || out.Copies[0].Name != "归档-某县电商办.pdf" || len(out.Problems) != 0 {
		t.Fatalf("output %+v", out)
	}
	fx.cfg.ArchiveCopies = []string{"县/电商办", "县_电商办"} // the same safe name twice
	twice, err := Write(t.TempDir(), fx.r, fx.cfg, Options{Converter: "-"})
	if err != nil || strings.Join(twice.Names(), ",") != "归档-县_电商办.pdf,归档-县_电商办-2.pdf" {
		t.Errorf("copies %v, %v", twice.Names(), err)
	}
	text := squeeze(run(t, "pdftotext", "-layout", filepath.Join(dir, out.Copies[0].Name), "-"))
	for _, w := range []string{"整改后合格", "第1份 共1份", "第十一条所列材料之三 三、培训通知", "培训机构未提交此项材料"} {
		if !strings.Contains(text, w) {
			t.Errorf("archive lacks %q", w)
		}
	}
	if strings.Contains(text, "其他材料") {
		t.Error("an empty 其他 section was bound")
	}
}

// TestWriteLimits: a file over max_file_bytes, and a PDF whose preparation
// takes too long, are bound by name only and reported.
func TestWriteLimits(t *testing.T) {
	fx := newFixture(t)
	var keep []yanshou.File
	for _, f := range fx.r.Submission.Files {
		if f.Kind == yanshou.Application {
			keep = append(keep, f)
		}
	}
	fx.r.Submission.Files = keep
	tests := []struct {
		name     string
		maxBytes int64
		timeout  time.Duration
		want     string
	}{
		{"too big", 100, time.Minute, "超过处理上限 100 字节"},
		{"too slow", 0, time.Nanosecond, "处理超过 1ns 未完成"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := PDFTimeout
			defer func() { PDFTimeout = saved }()
			PDFTimeout = tt.timeout
			cfg := *fx.cfg
			cfg.Intake.MaxFileBytes = tt.maxBytes
			out, err := Write(t.TempDir(), fx.r, &cfg, Options{Converter: "-"})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Problems) != 2 || !strings.Contains(out.Problems[0].Detail, tt.want) {
				t.Errorf("problems %+v, want 2 saying %q", out.Problems, tt.want)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	fx := newFixture(t)
	if _, err := Write(t.TempDir(), nil, fx.cfg, Options{}); err == nil {
		t.Error("Write(nil) gave no error")
	}
	if _, err := Write(filepath.Join(t.TempDir(), "missing", "dir"), fx.r, fx.cfg, Options{}); err == nil {
		t.Error("Write into a missing folder gave no error")
	}
	bad := *fx.cfg
	bad.Templates = t.TempDir()
	os.MkdirAll(filepath.Join(bad.Templates, "report"), 0o755)
	os.WriteFile(filepath.Join(bad.Templates, "report", "archive.yaml"), []byte("copy_mark: \"{{.Kopie}}\"\n"), 0o644)
	if _, err := Write(t.TempDir(), fx.r, &bad, Options{Converter: "-"}); err == nil || !strings.Contains(err.Error(), "Kopie") {
		t.Errorf("bad template: %v", err)
	}
	var mg *pdfdoc.MissingGlyphsError
	fx.r.Submission.Class.Institution = "商水县\U00030000培训学校" // no font has this character
	_, err := Write(t.TempDir(), fx.r, fx.cfg, Options{Converter: "-"})
	if !errors.As(err, &mg) {
		t.Errorf("err = %v, want *MissingGlyphsError", err)
	}
}

// TestConvertTimeout: a converter that hangs is stopped (with its children) at
// the timeout; the documents get a page saying so and the archive is written.
func TestConvertTimeout(t *testing.T) {
	needTools(t, "pdftotext", "sh")
	fx := newFixture(t)
	var keep []yanshou.File
	for _, f := range fx.r.Submission.Files {
		if strings.HasSuffix(f.Rel, ".docx") {
			keep = append(keep, f)
		}
	}
	fx.r.Submission.Files = keep
	bin := t.TempDir()
	hang, finished := filepath.Join(bin, "soffice"), filepath.Join(bin, "finished")
	// The converter hangs; were it waited for, it would leave its mark on finishing.
	os.WriteFile(hang, []byte("#!/bin/sh\nsleep 60 &\nsleep 60\ntouch '"+finished+"'\n"), 0o755)
	out, err := Write(t.TempDir(), fx.r, fx.cfg, Options{Converter: hang, ConvertTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(finished); err == nil {
		t.Error("Write waited for the hanging converter to finish: it was not stopped")
	}
	if len(out.Problems) != 2 || !strings.Contains(out.Problems[0].Detail, "转换超过 1s 未完成") {
		t.Errorf("problems %+v", out.Problems)
	}
}

// TestDemote: a file whose import fails while setting a copy is bound by name
// only, once, and reported.
func TestDemote(t *testing.T) {
	cfg := config.Default()
	w, err := loadWords(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &preparer{w: w, cfg: cfg}
	b := &Book{Sections: []Section{{Kind: yanshou.Application, Items: []Item{
		{File: yanshou.File{Rel: "01/a.pdf"}, PDF: &PDFSource{Path: "x.pdf"}}}}}}
	if !p.demote(b, "01/a.pdf", "boom") {
		t.Fatal("not demoted")
	}
	it := b.Sections[0].Items[0]
	if !it.Failed || it.PDF != nil || !strings.Contains(it.Note, "boom") || len(p.problems) != 1 {
		t.Errorf("item %+v, problems %+v", it, p.problems)
	}
	if p.demote(b, "01/a.pdf", "again") || p.demote(b, "none.pdf", "x") {
		t.Error("demoted twice, or a file that is not there")
	}
	if err := error(&ImportError{File: "a", Err: "panic"}); !errors.Is(err, ErrImport) {
		t.Error("ImportError does not wrap ErrImport")
	}
}

func TestFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"商水县电子商务办公室", "归档-商水县电子商务办公室.pdf"},
		{"培训机构 A/B", "归档-培训机构_A_B.pdf"},
		{"  ", "归档-副本.pdf"},
		{`..\x`, "归档-x.pdf"},
	}
	for _, tt := range tests {
		if got := FileName(tt.in); got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
