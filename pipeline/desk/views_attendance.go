package desk

import (
	"net/http"
	"sort"
	"strconv"

	"yanshou"
	"yanshou/pipeline"
)

// Marks of the attendance matrix, as the 考勤表 and the report's 签字核对 name them.
const (
	markSigned = "签到"
	markAbsent = "未签"
	markUnsure = "无法判断"
)

// matrixView is the attendance matrix: trainee × session.
type matrixView struct {
	Sessions []string
	Rows     []matrixRow
	WalkIns  int // distinct people signed in who are not on the roster
	Unsure   int // sign-in rows that match several roster rows
}

type matrixRow struct {
	N        int
	Name, ID string // the ID masked
	Cells    []matrixCell
	Attended int
	Trained  bool
}

type matrixCell struct {
	Mark, Class string
}

// matrix is the attendance matrix of a detail: a cell is 签到 when a sign-in of
// that session matched the trainee (electronic, or a paper box read as
// signed), 无法判断 when only a paper box that could not be read says so, 未签
// otherwise. nil without a roster.
func matrix(d *yanshou.Detail) *matrixView {
	a := d.Attendance
	if a == nil || len(a.Trainees) == 0 {
		return nil
	}
	m := &matrixView{Sessions: a.Sessions, WalkIns: a.WalkIns()}
	col := map[string]int{}
	for i, s := range a.Sessions {
		col[s] = i
	}
	cells := make([][]string, len(a.Trainees))
	for i := range cells {
		cells[i] = make([]string, len(a.Sessions))
	}
	for _, si := range a.SignIns {
		j, ok := col[si.Session]
		switch {
		case si.Match == yanshou.Matched && ok && si.Trainee >= 0 && si.Trainee < len(cells):
			cells[si.Trainee][j] = markSigned
		case si.Match == yanshou.Ambiguous:
			m.Unsure++
		}
	}
	for _, b := range d.Paper {
		j, ok := col[b.Session]
		if !ok || b.Trainee < 0 || b.Trainee >= len(cells) || cells[b.Trainee][j] != "" {
			continue
		}
		switch b.State {
		case yanshou.BoxSigned:
			cells[b.Trainee][j] = markSigned
		case yanshou.BoxUnsure:
			cells[b.Trainee][j] = markUnsure
		}
	}
	for i, t := range a.Trainees {
		row := matrixRow{N: i + 1, Name: t.Name, ID: pipeline.MaskID(t.ID), Attended: t.Sessions, Trained: t.Trained}
		for _, c := range cells[i] {
			switch c {
			case markSigned:
				row.Cells = append(row.Cells, matrixCell{c, "m-signed"})
			case markUnsure:
				row.Cells = append(row.Cells, matrixCell{c, "m-unsure"})
			default:
				row.Cells = append(row.Cells, matrixCell{markAbsent, "m-absent"})
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

// stripsView is the report's 签字核对: each trainee's signature boxes of the
// paper sheets, one column per session, and the names written in blank rows.
type stripsView struct {
	Sessions []string
	Rows     []stripRow
	WalkIns  []stripBox
}

type stripRow struct {
	Name  string
	Boxes []*stripBox // by session; nil where no box was read
}

type stripBox struct {
	K       int // index in the detail's boxes, for the image route
	State   string
	Class   string
	Session string
	Where   string // file, page and row
	Image   bool   // a crop was kept
	Name    bool   // a walk-in's name crop was kept
}

var boxWords = map[yanshou.PaperBoxState][2]string{
	yanshou.BoxSigned: {"已签", "m-signed"},
	yanshou.BoxEmpty:  {markAbsent, "m-absent"},
	yanshou.BoxUnsure: {markUnsure, "m-unsure"},
}

// strips orders the paper boxes of a detail as the report does; nil when no
// paper sheet was read.
func strips(d *yanshou.Detail) *stripsView {
	if len(d.Paper) == 0 {
		return nil
	}
	v := &stripsView{}
	seen := map[string]bool{}
	byTrainee := map[int]map[string]*stripBox{}
	var order []int
	for k := range d.Paper {
		b := &d.Paper[k]
		if !seen[b.Session] {
			seen[b.Session] = true
			v.Sessions = append(v.Sessions, b.Session)
		}
		w := boxWords[b.State]
		sb := &stripBox{K: k, State: w[0], Class: w[1], Session: b.Session, Image: len(b.PNG) > 0, Name: len(b.NamePNG) > 0,
			Where: b.File + " 第 " + itoa(b.Page) + " 页第 " + itoa(b.Row) + " 行"}
		if b.Trainee < 0 {
			v.WalkIns = append(v.WalkIns, *sb)
			continue
		}
		if byTrainee[b.Trainee] == nil {
			byTrainee[b.Trainee] = map[string]*stripBox{}
			order = append(order, b.Trainee)
		}
		byTrainee[b.Trainee][b.Session] = sb
	}
	sort.Strings(v.Sessions)
	sort.Ints(order)
	for _, t := range order {
		row := stripRow{Name: "第 " + itoa(t+1) + " 名"}
		if a := d.Attendance; a != nil && t < len(a.Trainees) {
			row.Name = a.Trainees[t].Name
		}
		for _, s := range v.Sessions {
			row.Boxes = append(row.Boxes, byTrainee[t][s])
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }

// signature serves the crop of one paper signature box ({k} in the version's
// detail) as the paper stage kept it, a grey PNG; with ?name, a walk-in's name
// cell instead.
func (s *Server) signature(w http.ResponseWriter, r *http.Request) {
	_, v, ok := s.scopedVersion(w, r)
	if !ok {
		return
	}
	d, err := s.detail(v)
	if err != nil {
		s.notFound(w, r)
		return
	}
	k, ok := index(r.PathValue("k"), len(d.Paper))
	if !ok {
		s.notFound(w, r)
		return
	}
	b := d.Paper[k].PNG
	if r.URL.Query().Has("name") {
		b = d.Paper[k].NamePNG
	}
	if len(b) == 0 {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(b)
}
