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
	// judge records one judged version of a class with X trained (and Y not),
	// sent from the inbox folder origin ("": its own).
	judgeFrom := func(c *yanshou.ClassInfo, hash, origin string, v yanshou.Verdict) string {
		id := SubmissionID(c, "")
		if origin == "" {
			origin = "inbox/" + hash
		}
		ver, err := l.Claim(id, c, hash, origin, now)
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
	judge := func(c *yanshou.ClassInfo, hash string, v yanshou.Verdict) string { return judgeFrom(c, hash, "", v) }
	a := judge(span("宏达", "第1期", "2026-03-10", "2026-03-12"), "a1", yanshou.Pass)
	judge(span("农商", "第1期", "2026-03-11", "2026-03-12"), "b1", yanshou.Fail)
	judge(span("巾帼", "第1期", "2026-03-11", "2026-03-11"), "c1", yanshou.Veto)
	judge(span("巾帼", "第2期", "2026-03-12", "2026-03-13"), "f1", yanshou.Pass)
	judge(span("巾帼", "第2期", "2026-03-12", "2026-03-13"), "f2", yanshou.Veto)                              // the latest version decides
	corrected := judgeFrom(span("宏达", "第1期", "2026-03-10", "2026-03-13"), "d1", "inbox/a1", yanshou.Fail) // a's folder, dates corrected
	later := judge(span("新建", "第1期", "2026-03-12", "2026-03-12"), "e1", yanshou.Pass)
	again := judge(span("宏达", "第1期", "2026-03-11", "2026-03-12"), "g1", yanshou.Pass) // a second 宏达 第1期, from another folder

	tests := []struct {
		name string
		id   string
		want string // labels for X, joined with |
	}{
		{"a later class sees the other, not vetoed ones", later, "宏达 第1期（2026-03-10至2026-03-12）|农商 第1期（2026-03-11至2026-03-12）|宏达 第1期（2026-03-10至2026-03-13）|later:宏达 第1期（2026-03-11至2026-03-12）"},
		{"the first class sees the later ones, marked later", a, "later:农商 第1期（2026-03-11至2026-03-12）|later:新建 第1期（2026-03-12）|later:宏达 第1期（2026-03-11至2026-03-12）"},
		{"a resubmission with corrected dates from the same folder does not see itself", corrected, "农商 第1期（2026-03-11至2026-03-12）|later:新建 第1期（2026-03-12）|later:宏达 第1期（2026-03-11至2026-03-12）"},
		{"a second class under a used label, from another folder, sees the first", again, "宏达 第1期（2026-03-10至2026-03-12）|农商 第1期（2026-03-11至2026-03-12）|新建 第1期（2026-03-12）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got0, err := l.TrainedIn(tt.id, []yanshou.Person{{ID: x, Name: "张三"}, {ID: y, Name: "李四"}, {ID: "nobody"}})
			got := map[string][]yanshou.PriorTraining{x: got0[0], y: got0[1]}
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, p := range got[x] {
				if p.Later {
					labels = append(labels, "later:"+p.Label)
				} else {
					labels = append(labels, p.Label)
				}
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
		t.Errorf("no people: %v, %v", got, err)
	}
	if got, err := l.TrainedIn(later, []yanshou.Person{{Name: "无名"}}); err != nil || len(got) != 0 {
		t.Errorf("no IDs: %v, %v", got, err)
	}
}

// TestTrainedInByNameAndPhone: a person whose ID was altered (two serial digits
// changed, the check digit recomputed) or masked is still found in another
// class by the same name — traditional characters too — with the same phone or
// a masked ID that fits; the same name with another phone is somebody else.
func TestTrainedInByNameAndPhone(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	const realID = "411623199001011234"
	first := class("宏达", "第1期", "2026-03-10")
	ver, err := l.Claim(SubmissionID(first, ""), first, "h1", "inbox/h1", now)
	if err != nil {
		t.Fatal(err)
	}
	r := &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Pass, Attendance: &yanshou.Attendance{Trainees: []yanshou.Trainee{
		{Name: "张三丰", ID: realID, Phone: "13800000001", Trained: true}}}}
	if err := l.Complete(ver, r, "out/h1", "{}", now); err != nil {
		t.Fatal(err)
	}
	second := class("农商", "第1期", "2026-03-10")
	ver2, err := l.Claim(SubmissionID(second, ""), second, "h2", "inbox/h2", now)
	if err != nil {
		t.Fatal(err)
	}
	me := ver2.SubmissionID
	for _, tt := range []struct {
		name string
		p    yanshou.Person
		via  string // "" not found; "id" by the ID
	}{
		{"the same ID", yanshou.Person{ID: realID, Name: "张三丰"}, "id"},
		{"an altered ID, the same name and phone", yanshou.Person{ID: "411623199001015671", Name: "张三丰", Phone: "13800000001"}, "name_phone"},
		{"an altered ID, the name in traditional characters, the same phone", yanshou.Person{ID: "411623199001015671", Name: "張三豐", Phone: "13800000001"}, "name_phone"},
		{"a masked ID that fits, the same name", yanshou.Person{ID: "411623********1234", Name: "张三丰"}, "name_masked_id"},
		{"a masked ID that does not fit", yanshou.Person{ID: "411623********9999", Name: "张三丰"}, ""},
		{"the same name, another phone and ID: somebody else", yanshou.Person{ID: "411623199203035678", Name: "张三丰", Phone: "13999999999"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.TrainedIn(me, []yanshou.Person{tt.p})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.via == "" && len(got[0]) != 0:
				t.Errorf("found %+v", got[0])
			case tt.via == "id" && (len(got[0]) != 1 || got[0][0].Via != ""):
				t.Errorf("by ID: %+v", got[0])
			case tt.via != "" && tt.via != "id" && (len(got[0]) != 1 || got[0][0].Via != tt.via || got[0][0].OtherID != realID):
				t.Errorf("got %+v, want via %s", got[0], tt.via)
			}
		})
	}
}

// TestTextCache: document text round-trips by SHA-256 and reader version; a
// scan's empty page is cached too.
func TestTextCache(t *testing.T) {
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, _, ok, err := l.CachedText("v1", "s1"); ok || err != nil {
		t.Fatalf("empty cache: %v %v", ok, err)
	}
	if err := l.CacheText("v1", "s1", []string{"商电商办〔2026〕12号", ""}, true); err != nil {
		t.Fatal(err)
	}
	if p, ocr, ok, err := l.CachedText("v1", "s1"); !ok || !ocr || err != nil || len(p) != 2 || p[0] != "商电商办〔2026〕12号" || p[1] != "" {
		t.Errorf("cached %q %v %v %v", p, ocr, ok, err)
	}
	if _, _, ok, _ := l.CachedText("v2", "s1"); ok {
		t.Error("another reader version used the cache")
	}
}
