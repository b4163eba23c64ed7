package inventory

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"yanshou"
)

// Recognition is what a file's path says it is.
type Recognition struct {
	Kind yanshou.MaterialKind
	// Also is another material the path names just as well (the folder says one
	// thing, the file's name another), or "": the office is warned to check.
	Also yanshou.MaterialKind
}

// Recognise reads a file's slash-separated path inside the submission as a
// Chinese office reads titles (see materials.yaml): the file's own name first,
// then its folders from the nearest up; in each, the head noun — the keyword
// that ends last once numbering and decorations are set aside — gives the kind,
// unless another kind's modifier comes before it; only kinds that take the
// file's type count.
func Recognise(rel string) Recognition {
	vocab := current.Load()
	rel = norm.NFKC.String(rel)
	parts := strings.Split(rel, "/")
	base := parts[len(parts)-1]
	if len(parts) == 1 { // the manifest sits at the top of the submission
		for _, m := range vocab.Manifest.Names {
			if strings.EqualFold(base, m) {
				return Recognition{Kind: yanshou.Manifest}
			}
		}
	}
	ext := strings.ToLower(path.Ext(base))
	var found []yanshou.MaterialKind // per part, nearest first: the kind it names ("" none)
	for i := len(parts) - 1; i >= 0; i-- {
		name := parts[i]
		if i == len(parts)-1 {
			name = strings.TrimSuffix(name, path.Ext(name))
		}
		found = append(found, vocab.head(name, ext))
	}
	var r Recognition
	for i, k := range found {
		if k == "" {
			continue
		}
		r.Kind = k
		// The nearest folder that names a material, when the file's name named one.
		if i == 0 {
			for _, f := range found[1:] {
				if f != "" {
					if f != k {
						r.Also = f
					}
					break
				}
			}
		}
		return r
	}
	return Recognition{Kind: yanshou.Other}
}

// Classify is Recognise's kind.
func Classify(rel string) yanshou.MaterialKind { return Recognise(rel).Kind }

var (
	// numbering in front of a title: 01-, 1.、 一、 （1） 附件2： 第3部分
	leadNumber = regexp.MustCompile(`^(附件\s*\d*\s*[:：]?|[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9]+\s*[-_.、．)）]?|[一二三四五六七八九十]+\s*[、.．]|\s+)+`)
	// decorations after a title, repeated: （1） (最终版) 【盖章】 _v2 -副本 扫描件 2026年3月10日 20260310 第3期
	trailDecor = regexp.MustCompile(`([(（【\[][^)）】\]]*[)）】\]]|[-_\s]*(v|V)\d+|[-_\s]*(最终版|终稿|定稿|修改版|修订版|副本|扫描件|扫描版|复印件|盖章版|签字版|原件|电子版|word版|pdf版|PDF版)|[-_\s]*\d{4}年\d{1,2}月(\d{1,2}日)?|[-_\s]*\d{4}[-.]?\d{1,2}[-.]?\d{1,2}|[-_\s]*\d+|[-_\s]*第[0-9一二三四五六七八九十]+(期|批|天|场|次|讲|页)|[-_\s]+)$`)
	// the first conjunct of "A及B"
	conjunction = regexp.MustCompile(`及|以及|暨|和|与|、|＆|&|\+`)
)

// title is a name with numbering in front and decorations after set aside
// (签到表（第一天） reads 签到表; head falls back to the whole name).
func title(name string) string {
	t := strings.TrimSpace(name)
	for {
		s := trailDecor.ReplaceAllString(t, "")
		if s == t || s == "" {
			break
		}
		t = s
	}
	t = leadNumber.ReplaceAllString(t, "")
	return strings.TrimSpace(t)
}

type occurrence struct {
	kind       yanshou.MaterialKind
	modifies   []yanshou.MaterialKind // for a modifier: the heads it acts on
	start, end int                    // byte offsets in the upper-cased title
	modifier   bool
}

// head returns the kind a name gives for a file of extension ext, or "".
func (v *vocabulary) head(name, ext string) yanshou.MaterialKind {
	t := strings.ToUpper(title(name))
	if t == "" {
		t = strings.ToUpper(name)
	}
	if k := v.headIn(t, ext); k != "" {
		// Of "A及B", A is the document: 培训通知及课程安排 is the notice.
		if loc := conjunction.FindStringIndex(t); loc != nil {
			if first := v.headIn(t[:loc[0]], ext); first != "" {
				return first
			}
		}
		return k
	}
	// Nothing in the title itself: what the decorations held (资料（签到表）).
	if u := strings.ToUpper(name); u != t {
		return v.headIn(u, ext)
	}
	return ""
}

// headIn finds the head noun in an upper-cased title: the keyword occurrence
// that ends last (the longer on a tie), of a kind that takes the file type; a
// modifier of another kind before it makes that kind the answer.
func (v *vocabulary) headIn(t, ext string) yanshou.MaterialKind {
	k, _ := v.headEnd(t, ext)
	return k
}

// headEnd is headIn with the byte offset where the head noun ends (-1 with no kind).
func (v *vocabulary) headEnd(t, ext string) (yanshou.MaterialKind, int) {
	var occ []occurrence
	for _, k := range v.Kinds {
		if !v.takes(k, ext) {
			continue
		}
		for _, kw := range k.Keywords {
			find(t, strings.ToUpper(kw), func(s, e int) { occ = append(occ, occurrence{k.Kind, nil, s, e, false}) })
		}
		for _, m := range k.Modifiers {
			find(t, strings.ToUpper(m), func(s, e int) { occ = append(occ, occurrence{k.Kind, k.Modifies, s, e, true}) })
		}
	}
	best := -1
	for i, o := range occ {
		if o.modifier {
			continue
		}
		if best < 0 || o.end > occ[best].end || (o.end == occ[best].end && o.end-o.start > occ[best].end-occ[best].start) {
			best = i
		}
	}
	if best < 0 {
		return "", -1
	}
	h := occ[best]
	for _, o := range occ {
		if o.modifier && o.kind != h.kind && o.end <= h.start && slices.Contains(o.modifies, h.kind) {
			return o.kind, h.end
		}
	}
	return h.kind, h.end
}

// takes reports whether kind k may come as a file of extension ext (any, for
// a folder name or an extension no type lists).
func (v *vocabulary) takes(k kindKeywords, ext string) bool {
	if len(k.FileTypes) == 0 || ext == "" {
		return true
	}
	listed := false
	for _, exts := range v.Types {
		for _, e := range exts {
			listed = listed || e == ext
		}
	}
	if !listed {
		return true
	}
	for _, ty := range k.FileTypes {
		for _, e := range v.Types[ty] {
			if e == ext {
				return true
			}
		}
	}
	return false
}

// find calls f with the start and end of every occurrence of sub in s.
func find(s, sub string, f func(start, end int)) {
	if sub == "" {
		return
	}
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return
		}
		f(off+i, off+i+len(sub))
		off += i + len(sub)
	}
}
