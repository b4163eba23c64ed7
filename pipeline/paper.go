package pipeline

import (
	"yanshou"
	"yanshou/pipeline/stage/paper"
	"yanshou/pipeline/stage/roster"
)

// splitSignIns separates the typed sign-in workbooks from the PDFs and pictures
// that may be paper sign-in sheets (pipeline/stage/paper).
func splitSignIns(files []yanshou.File) (typed, pictures []yanshou.File) {
	for _, f := range files {
		if paper.IsPicture(f.Rel) {
			pictures = append(pictures, f)
			continue
		}
		typed = append(typed, f)
	}
	return typed, pictures
}

// readPaper reads the paper sign-in sheets into a: the paper decides the
// sessions it covers (roster.UsePaper); its problems and the pictures that are
// not our sheets join the attendance's problems. It returns the trainees typed
// as present whose box on the paper is empty, the pages signed by one hand for
// many, and the boxes read for the report's 签字核对 (small grey crops).
func readPaper(a *yanshou.Attendance, files []yanshou.File, class *yanshou.ClassInfo, cfg *yanshou.Config) (empty, alike []yanshou.Evidence, boxes []yanshou.PaperBox) {
	c := paper.Class{Trainees: a.Trainees}
	if class != nil && !class.Start.IsZero() && !class.End.IsZero() {
		c.Start, c.End = class.Start.Format("2006-01-02"), class.End.Format("2006-01-02")
	}
	res := paper.Read(files, c, cfg.Thresholds, cfg.Intake.MaxImagePixels)
	a.Problems = append(a.Problems, res.Problems...)
	a.Problems = append(a.Problems, res.Manual...)
	typed := roster.UsePaper(a, res.SignIns, res.Covered(), cfg)
	return paper.TypedButEmpty(res, typed, a.Trainees), res.Alike, res.PaperBoxes()
}
