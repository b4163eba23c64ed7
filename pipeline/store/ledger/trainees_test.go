package ledger

import (
	"sort"
	"strings"
	"testing"
	"time"

	"yanshou"
)

func TestTrainedIn(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	const x, y = "411623199001011234", "41162319850312001X"
	span := func(inst, cls, start, end string) *yanshou.ClassInfo {
		c := class(inst, cls, start)
		e, _ := time.Parse("2006-01-02", end)
		c.End = yanshou.Date{Time: e}
		return c
	}
	// judge records one judged version of a class with X trained (and Y not).
	judge := func(c *yanshou.ClassInfo, hash string, v yanshou.Verdict) string {
		id := SubmissionID(c, "")
		ver, err := l.Claim(id, c, hash, "inbox/"+hash, now)
		if err != nil {
			t.Fatal(err)
		}
		r := &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: v, Attendance: &yanshou.Attendance{Trainees: []yanshou.Trainee{
			{Name: "张三", ID: x, Trained: true}, {Name: "李四", ID: y, Trained: false}}}}
		if err := l.Complete(ver, r, "out/"+hash, "{}", now); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a := judge(span("宏达", "第1期", "2026-03-10", "2026-03-12"), "a1", yanshou.Pass)
	judge(span("农商", "第1期", "2026-03-11", "2026-03-12"), "b1", yanshou.Fail)
	judge(span("巾帼", "第1期", "2026-03-11", "2026-03-11"), "c1", yanshou.Veto)
	judge(span("巾帼", "第2期", "2026-03-12", "2026-03-13"), "f1", yanshou.Pass)
	judge(span("巾帼", "第2期", "2026-03-12", "2026-03-13"), "f2", yanshou.Veto) // the latest version decides
	corrected := judge(span("宏达", "第1期", "2026-03-10", "2026-03-13"), "d1", yanshou.Fail)
	later := judge(span("新建", "第1期", "2026-03-12", "2026-03-12"), "e1", yanshou.Pass)

	tests := []struct {
		name string
		id   string
		want string // labels for X, joined with |
	}{
		{"a later class sees the earlier, not vetoed ones", later, "宏达 第1期（2026-03-10至2026-03-12）|农商 第1期（2026-03-11至2026-03-12）|宏达 第1期（2026-03-10至2026-03-13）"},
		{"the first class sees nobody", a, ""},
		{"a resubmission with corrected dates does not see itself", corrected, "农商 第1期（2026-03-11至2026-03-12）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.TrainedIn(tt.id, []string{x, y, "nobody"})
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, p := range got[x] {
				labels = append(labels, p.Label)
				if p.Start == "" || p.End == "" || p.Verdict == yanshou.Veto || p.SubmissionID == "" {
					t.Errorf("prior training %+v", p)
				}
			}
			want := strings.Split(tt.want, "|")
			if tt.want == "" {
				want = nil
			}
			sort.Strings(labels)
			sort.Strings(want)
			if strings.Join(labels, "|") != strings.Join(want, "|") {
				t.Errorf("X trained in %q, want %q", labels, want)
			}
			if len(got[y]) != 0 {
				t.Errorf("Y was never trained, got %+v", got[y])
			}
		})
	}
	if got, err := l.TrainedIn(later, nil); err != nil || len(got) != 0 {
		t.Errorf("no IDs: %v, %v", got, err)
	}
}
