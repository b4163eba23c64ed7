package paper

import (
	"strings"

	"yanshou"
	"yanshou/pipeline/format/signform"
	"yanshou/templates"
)

// alikeMinBoxes is the fewest look-alike signatures on a page that can be one
// hand signing for many: two alike may be chance.
const alikeMinBoxes = 4

// alike compares the signed boxes of one page pairwise (signform.Alike): those
// at least th.PaperSignatureAlikeMin alike are look-alikes, joined into groups
// (alike to one of the group). When the look-alikes are at least alikeMinBoxes
// and more than th.PaperSimilarSignaturesMaxShare of the page's signed boxes,
// one evidence names the page and the rows of each group.
func alike(sp *seen, ts []yanshou.Trainee, th yanshou.Thresholds) []yanshou.Evidence {
	if th.PaperSignatureAlikeMin <= 0 {
		return nil
	}
	p := sp.read.Payload
	type signed struct {
		row   int
		name  string
		shape signform.Shape
	}
	var boxes []signed
	for _, b := range sp.read.Boxes {
		if b.State != signform.Signed {
			continue
		}
		s, ok := signform.ShapeOf(b.Crop)
		if !ok {
			continue
		}
		name := templates.Say("paper.alike_walkin")
		if b.Row < p.Rows && p.First+b.Row < len(ts) {
			name = ts[p.First+b.Row].Name
		}
		boxes = append(boxes, signed{b.Row + 1, name, s})
	}
	parent := make([]int, len(boxes))
	for i := range parent {
		parent[i] = i
	}
	var find func(i int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			if signform.Alike(boxes[i].shape, boxes[j].shape) >= th.PaperSignatureAlikeMin {
				parent[find(j)] = find(i)
			}
		}
	}
	groups := map[int][]int{}
	var order []int
	for i := range boxes {
		r := find(i)
		if len(groups[r]) == 0 {
			order = append(order, r)
		}
		groups[r] = append(groups[r], i)
	}
	n := 0
	var parts []string
	for _, r := range order {
		g := groups[r]
		if len(g) < 2 {
			continue
		}
		n += len(g)
		names := make([]string, len(g))
		for k, i := range g {
			names[k] = templates.Say("paper.alike_row", boxes[i].row, boxes[i].name)
		}
		parts = append(parts, strings.Join(names, templates.Say("paper.alike_sep")))
	}
	if n < alikeMinBoxes || float64(n) <= th.PaperSimilarSignaturesMaxShare*float64(len(boxes)) {
		return nil
	}
	e := yanshou.Evidence{File: sp.file, Sheet: templates.Say("paper.sheet_page", p.Page)}
	if sp.fp > 0 {
		e.Sheet = templates.Say("paper.sheet_page_of_file", p.Page, sp.fp)
	}
	e.Detail = templates.Say("paper.alike", p.Session, p.Page, n, len(boxes), strings.Join(parts, templates.Say("paper.alike_group_sep")))
	return []yanshou.Evidence{e}
}
