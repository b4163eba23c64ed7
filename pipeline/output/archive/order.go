package archive

import (
	"slices"

	"yanshou"
	"yanshou/pipeline/format/natsort"
)

// inReadingOrder returns r with its files in the natural order of their names
// (第二讲 before 第十讲, (2) before (10)): the order they are bound in and
// listed. r itself is left as it is: what is hashed and stored keeps its order.
func inReadingOrder(r *yanshou.Result) *yanshou.Result {
	if r.Submission == nil {
		return r
	}
	c := *r
	sub := *r.Submission
	sub.Files = slices.Clone(sub.Files)
	natsort.Sort(sub.Files, func(f yanshou.File) string { return f.Rel })
	c.Submission = &sub
	return &c
}
