package inventory

import (
	"path"
	"strings"
	"testing"

	"yanshou"
)

// TestRecogniseTitle: first-page headings (as papers.ReadHeading gives them) →
// the kind a clerk reads from the title, and the title quoted.
func TestRecogniseTitle(t *testing.T) {
	const (
		app, appr, note, sum = yanshou.Application, yanshou.Approval, yanshou.Notice, yanshou.Summary
		ware, content, roll  = yanshou.Courseware, yanshou.Content, yanshou.Roster
		sign, none           = yanshou.SignInSheets, yanshou.MaterialKind("")
	)
	cases := []struct {
		lines string // lines of the heading, | between them
		ext   string
		kind  yanshou.MaterialKind
		title string
	}{
		// 公文: issuer, 文号, a title wrapped over two lines.
		{"商水县电子商务办公室|商电商办〔2026〕10号|关于同意商水县宏达职业培训学校|举办农村电商实用技能培训班（第1期）的批复", ".pdf", appr,
			"关于同意商水县宏达职业培训学校举办农村电商实用技能培训班（第1期）的批复"},
		{"关于同意培训申请的批复", ".pdf", appr, "关于同意培训申请的批复"},
		{"关于同意举办电商培训申请|的批复|商水县巾帼电商创业服务站", ".pdf", appr, "关于同意举办电商培训申请的批复"},
		{"商电商办[2026]14号|关于同意举办巾帼电商培训班的批复", ".docx", appr, "关于同意举办巾帼电商培训班的批复"},
		{"关于举办农村电商实用技能培训班（第1期）的申请", ".pdf", app, "关于举办农村电商实用技能培训班（第1期）的申请"},
		{"关于举办电商培训班的请示", ".pdf", app, "关于举办电商培训班的请示"},
		{"关于举办巾帼电商直播带货培训班（第1期）的通知", ".pdf", note, "关于举办巾帼电商直播带货培训班（第1期）的通知"},
		{"农村电商实用技能培训班（第1期）情况总结", ".pdf", sum, "农村电商实用技能培训班（第1期）情况总结"},
		{"巾帼电商培训班工作总结|2026年6月", ".docx", sum, "巾帼电商培训班工作总结"},
		{"农村电商实用技能培训班（第1期）|培训内容及课程安排|培训时间：2026年3月10日至3月12日", ".pdf", content, "农村电商实用技能培训班（第1期）培训内容及课程安排"},
		{"巾帼电商培训班学员签到表", ".pdf", sign, "巾帼电商培训班学员签到表"},
		{"参训学员花名册（第3期）", ".pdf", roll, "参训学员花名册（第3期）"},
		{"农村电商直播带货实务课件", ".pptx", ware, "农村电商直播带货实务课件"},
		// OCR'd text: spaces between the characters, a full-width colon.
		{"关 于 同 意 举 办 电 商 培 训 班 的 批 复", ".pdf", appr, "关于同意举办电商培训班的批复"},
		// The head noun must close the title: a lecture, a line mentioning a 批复.
		{"在线客服技巧与订单处理|主讲：刘建军|商水县宏达职业培训学校|2026年3月10日", ".pdf", none, ""},
		{"根据县商务局批复要求|我校举办了培训", ".pdf", none, ""},
		{"商水县电子商务办公室|商电商办〔2026〕10号", ".pdf", none, ""},
		{"", ".pdf", none, ""},
		// A kind must take the file type: a deck is never a 批复.
		{"关于同意举办电商培训班的批复", ".pptx", none, ""},
	}
	for _, c := range cases {
		var lines []string
		if c.lines != "" {
			lines = strings.Split(c.lines, "|")
		}
		kind, title := RecogniseTitle(lines, c.ext)
		if kind != c.kind || title != c.title {
			t.Errorf("%s (%s): %q %q, want %q %q", c.lines, c.ext, kind, title, c.kind, c.title)
		}
	}
}

// TestRefile: names × first-page titles → the kind filed, what Also and Title
// say. A name naming nothing takes the title's kind (even by OCR); a named
// document's text-layer title wins over its name, which Also keeps; an OCR'd
// title never refiles a named file; a title agreeing with the name settles a
// name and folder that disagreed.
func TestRefile(t *testing.T) {
	const title = "关于同意举办电商培训班的批复"
	cases := []struct {
		rel   string
		head  string // first-page heading, | between lines
		ocr   bool
		kind  yanshou.MaterialKind
		also  yanshou.MaterialKind
		title string
	}{
		{"扫描件001.pdf", title, false, yanshou.Approval, "", title},
		{"扫描件001.pdf", title, true, yanshou.Approval, "", title},
		{"资料/文件2.docx", "巾帼电商培训班工作总结", false, yanshou.Summary, "", "巾帼电商培训班工作总结"},
		{"补充通知.pdf", title, false, yanshou.Approval, yanshou.Notice, title},
		{"补充通知.pdf", title, true, yanshou.Notice, "", ""},
		{"02批复/批复.pdf", title, false, yanshou.Approval, "", ""},
		{"02批复/培训通知.pdf", title, false, yanshou.Approval, yanshou.Notice, title},
		{"03培训通知/批复.pdf", title, false, yanshou.Approval, "", title},
		{"03培训通知/批复.pdf", title, true, yanshou.Approval, yanshou.Notice, ""},
		{"04培训课件/第一讲.pdf", "在线客服技巧与订单处理|主讲：刘建军", false, yanshou.Courseware, "", ""},
		{"扫描件002.pdf", "", false, yanshou.Other, "", ""},
		{"培训信息表.xlsx", "学员花名册", false, yanshou.Manifest, "", ""},
	}
	for _, c := range cases {
		r := Recognise(c.rel)
		f := yanshou.File{Rel: c.rel, Kind: r.Kind, Also: r.Also}
		var lines []string
		if c.head != "" {
			lines = strings.Split(c.head, "|")
		}
		kind, title := RecogniseTitle(lines, path.Ext(c.rel))
		got := Refile(f, kind, title, c.ocr)
		if got.Kind != c.kind || got.Also != c.also || got.Title != c.title {
			t.Errorf("%s × %q (ocr %v): %s also %q title %q, want %s also %q title %q",
				c.rel, c.head, c.ocr, got.Kind, got.Also, got.Title, c.kind, c.also, c.title)
		}
	}
}

// TestNamedScan: a picture's name says it is a scan of paper, or not.
func TestNamedScan(t *testing.T) {
	for rel, want := range map[string]bool{
		"扫描件001.jpg": true, "资料/批复扫描.png": true, "复印件.jpeg": true, "Scan_0001.JPG": true,
		"IMG_2916.JPG": false, "扫描件/IMG_0001.jpg": false, "微信图片_20260310.jpg": false,
	} {
		if got := NamedScan(rel); got != want {
			t.Errorf("NamedScan(%s) = %v, want %v", rel, got, want)
		}
	}
}
