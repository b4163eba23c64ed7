package county

import (
	"sort"
	"time"

	"yanshou"
)

// Month is one month's classes (by start date) by their latest verdict.
type Month struct {
	Year  int
	Month time.Month
	Pass  int
	Fail  int
	Veto  int
}

// Total is the month's number of classes.
func (m Month) Total() int { return m.Pass + m.Fail + m.Veto }

// Attention is an institution with classes still open in the cycle of 第十条 and
// 第十二条: to rectify, overdue, or vetoed and not yet retrained.
type Attention struct {
	Institution string
	Rectify     int
	Overdue     int
	Vetoed      int
	Deadline    yanshou.Date // the nearest deadline of its classes to rectify
}

// Summary is what the county summary page shows.
type Summary struct {
	Today     time.Time
	Now       time.Time // when the summary is made, printed in its footer
	Classes   int
	Passed    int // classes whose standing is a pass (合格归档, 整改后合格, 已重训合格)
	Approved  int // trainees approved, latest versions
	Trained   int // trainees trained, latest versions
	Poor      int // poor-household trainees trained, latest versions
	ByVerdict map[yanshou.Verdict]int
	ByState   map[yanshou.State]int
	Months    []Month // consecutive, oldest first
	Attention []Attention
	Coverage  *yanshou.Coverage // nil when no registry is configured
}

// maxMonths caps the chart at the most recent months.
const maxMonths = 18

// States lists the standings in the order the documents show them.
var States = []yanshou.State{yanshou.StateArchived, yanshou.StateRectified, yanshou.StateRetrained,
	yanshou.StateRectify, yanshou.StateOverdue, yanshou.StateVetoed}

// Passed reports whether a standing counts as a pass.
func Passed(s yanshou.State) bool {
	return s == yanshou.StateArchived || s == yanshou.StateRectified || s == yanshou.StateRetrained
}

// Summarize counts the classes of the ledger as the summary page shows them.
func Summarize(classes []yanshou.ClassRecord, today time.Time, loc *time.Location) *Summary {
	s := &Summary{Today: today, ByVerdict: map[yanshou.Verdict]int{}, ByState: map[yanshou.State]int{}}
	months := map[[2]int]*Month{}
	att := map[string]*Attention{}
	for i := range classes {
		c := &classes[i]
		last := c.Latest()
		if last == nil {
			continue
		}
		s.Classes++
		s.ByVerdict[last.Verdict]++
		s.ByState[c.State]++
		if Passed(c.State) {
			s.Passed++
		}
		s.Approved += last.Report.Attendance.Approved
		s.Trained += last.Report.Attendance.Trained
		s.Poor += c.PoorTrained
		if !c.Start.IsZero() {
			t := c.Start.In(loc)
			k := [2]int{t.Year(), int(t.Month())}
			m := months[k]
			if m == nil {
				m = &Month{Year: k[0], Month: time.Month(k[1])}
				months[k] = m
			}
			switch last.Verdict {
			case yanshou.Pass:
				m.Pass++
			case yanshou.Fail:
				m.Fail++
			case yanshou.Veto:
				m.Veto++
			}
		}
		if c.State == yanshou.StateRectify || c.State == yanshou.StateOverdue || c.State == yanshou.StateVetoed {
			a := att[c.Institution]
			if a == nil {
				a = &Attention{Institution: c.Institution}
				att[c.Institution] = a
			}
			switch c.State {
			case yanshou.StateRectify:
				a.Rectify++
				if a.Deadline.IsZero() || c.Deadline.Before(a.Deadline.Time) {
					a.Deadline = c.Deadline
				}
			case yanshou.StateOverdue:
				a.Overdue++
			case yanshou.StateVetoed:
				a.Vetoed++
			}
		}
	}
	s.Months = monthRange(months)
	for _, a := range att {
		s.Attention = append(s.Attention, *a)
	}
	// The gravest first: vetoes, then overdue, then open rectifications.
	sort.Slice(s.Attention, func(i, j int) bool {
		a, b := s.Attention[i], s.Attention[j]
		if ka, kb := a.Vetoed*100+a.Overdue*10+a.Rectify, b.Vetoed*100+b.Overdue*10+b.Rectify; ka != kb {
			return ka > kb
		}
		return a.Institution < b.Institution
	})
	return s
}

// monthRange fills the gaps between the first and last month (empty months show
// as empty bars) and keeps the most recent maxMonths.
func monthRange(months map[[2]int]*Month) []Month {
	if len(months) == 0 {
		return nil
	}
	var keys [][2]int
	for k := range months {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]*12+keys[i][1] < keys[j][0]*12+keys[j][1] })
	first, last := keys[0][0]*12+keys[0][1]-1, keys[len(keys)-1][0]*12+keys[len(keys)-1][1]-1
	if last-first+1 > maxMonths {
		first = last - maxMonths + 1
	}
	var out []Month
	for n := first; n <= last; n++ {
		k := [2]int{n / 12, n%12 + 1}
		if m := months[k]; m != nil {
			out = append(out, *m)
		} else {
			out = append(out, Month{Year: k[0], Month: time.Month(k[1])})
		}
	}
	return out
}
