package render

import (
	"slices"

	"yanshou"
	"yanshou/pipeline/format/natsort"
)

// inReadingOrder returns r as the documents list it: the files in the natural
// order of their names (第二讲 before 第十讲, (2) before (10)), the photos in
// shooting order, those without a time after them, ties in the natural order of
// their names — so the numbers of the photo table, the map and the timeline
// follow the day. r itself is left as it is: what is hashed and stored keeps its
// order.
func inReadingOrder(r *yanshou.Result) *yanshou.Result {
	c := *r
	if r.Submission != nil {
		sub := *r.Submission
		sub.Files = slices.Clone(sub.Files)
		natsort.Sort(sub.Files, func(f yanshou.File) string { return f.Rel })
		c.Submission = &sub
	}
	c.Photos = slices.Clone(r.Photos)
	slices.SortStableFunc(c.Photos, shootingOrder)
	return &c
}

// shootingOrder orders photos by the time they were taken (unknown last), then
// by name.
func shootingOrder(a, b yanshou.Photo) int {
	switch {
	case a.Taken != nil && b.Taken != nil:
		if c := a.Taken.Compare(*b.Taken); c != 0 {
			return c
		}
	case a.Taken != nil:
		return -1
	case b.Taken != nil:
		return 1
	}
	return natsort.Compare(a.File, b.File)
}
