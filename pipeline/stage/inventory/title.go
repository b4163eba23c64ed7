package inventory

import (
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"yanshou"
)

// Bounds of a first-page title: the lines looked at, the lines a title may be
// wrapped over, and its length.
const (
	titleLines   = 10
	titleWrap    = 3
	titleMaxRune = 80
)

var (
	// a 发文字号 standing on its own line (商电商办〔2026〕14号): not part of a title
	numberLine = regexp.MustCompile(`[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号$`)
	// what closes a title: trailing punctuation and white space
	titleTrail = regexp.MustCompile(`[\s，,。.;；:：、]+$`)
)

// RecogniseTitle reads the first lines of a document's first page (as
// papers.Heading gives them) as a Chinese office reads a title, with the
// vocabulary of Recognise: the title is the first, shortest run of up to
// three lines (a title wraps; a line starting with 的 goes on with the one
// before) whose head noun closes it — 关于同意……培训的批复 is a 批复,
// ……培训班工作总结 a summary — once numbering and decorations are set aside;
// a 发文字号 line is not part of it, and a title is quoted from 关于 when it
// has one. ext is the file's extension (a kind must take the type). It returns
// the kind and the title as read, or "" and "" when no line is a title.
func RecogniseTitle(lines []string, ext string) (yanshou.MaterialKind, string) {
	vocab := current.Load()
	ext = strings.ToLower(ext)
	var ls, as []string // as matched (NFKC) and as written, white space removed
	for _, l := range lines {
		if w := strings.Join(strings.Fields(l), ""); w != "" {
			as = append(as, w)
			ls = append(ls, strings.Join(strings.Fields(norm.NFKC.String(l)), ""))
		}
		if len(ls) == titleLines {
			break
		}
	}
	for i := range ls {
		if numberLine.MatchString(ls[i]) {
			continue
		}
		// The shortest run of lines that is a title, unless the next line goes
		// on with it (……申请 / 的批复: a title wrapped after a head noun).
		for j := i; j < len(ls) && j < i+titleWrap; j++ {
			if numberLine.MatchString(ls[j]) {
				break
			}
			c := strings.Join(ls[i:j+1], "")
			if utf8.RuneCountInString(c) > titleMaxRune {
				break
			}
			if j+1 < len(ls) && j+1 < i+titleWrap && strings.HasPrefix(ls[j+1], "的") {
				continue
			}
			if k := vocab.closingHead(c, ext); k != "" {
				q := strings.Join(as[i:j+1], "")
				if at := strings.Index(q, "关于"); at > 0 {
					q = q[at:]
				}
				return k, titleTrail.ReplaceAllString(q, "")
			}
		}
	}
	return "", ""
}

// scanName: a file name saying it is a scan or a copy of paper.
var scanName = regexp.MustCompile(`(?i)扫描|复印件|scan`)

// NamedScan reports whether a picture's name says it is a scan of paper
// (扫描件001.jpg, 复印件.png, scan_01.jpg): a picture whose name names no
// material is read for a title (by OCR) only then — a photo of a classroom
// is not.
func NamedScan(rel string) bool {
	return scanName.MatchString(path.Base(rel))
}

// closingHead returns the kind a title gives when its head noun closes it
// (decorations after it set aside), else "".
func (v *vocabulary) closingHead(c, ext string) yanshou.MaterialKind {
	t := strings.ToUpper(titleTrail.ReplaceAllString(title(c), ""))
	if t == "" {
		return ""
	}
	if _, end := v.headEnd(t, ext); end != len(t) {
		return ""
	}
	return v.head(c, ext)
}

// Refile returns f filed by its first-page title when that decides: kind and
// title are RecogniseTitle's, byOCR says the text was read by OCR from a scan.
// A file whose name names no material (Other) takes the title's kind. Of a
// document with a text layer, a title naming another kind than the name wins,
// the name's kind kept in Also (the office is warned, both named); a title
// naming the name's kind settles a name and folder that disagreed. An OCR'd
// title only decides for a name that names no material (a misread must not
// refile a named file). Title is set whenever the title decided.
func Refile(f yanshou.File, kind yanshou.MaterialKind, title string, byOCR bool) yanshou.File {
	if kind == "" || kind == yanshou.Other || kind == yanshou.Manifest || f.Kind == yanshou.Manifest {
		return f
	}
	switch {
	case f.Kind == yanshou.Other:
		f.Kind, f.Also, f.Title = kind, "", title
	case byOCR:
	case kind == f.Kind:
		if f.Also != "" {
			f.Also, f.Title = "", title
		}
	default:
		f.Kind, f.Also, f.Title = kind, f.Kind, title
	}
	return f
}
