package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"yanshou/pipeline/store/ledger"
)

// TestDetailKept: a judged version's detail is in the state folder, with each
// photo's judgements (which verdict.json does not carry) and the attendance.
func TestDetailKept(t *testing.T) {
	inbox, _ := writeSample(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	tests := []struct {
		dir           string
		outsideWindow bool // some photo was judged outside the training days
		paper         bool // paper sign-in sheets were read
	}{
		{"商水县宏达职业培训学校/第1期", false, false},
		{"商水县宏达职业培训学校/第2期", true, false},
		{"商水县宏达职业培训学校/第6期", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			rep, err := p.Check(context.Background(), filepath.Join(inbox, tt.dir), CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := p.Ledger.ScopedClass(ledger.Scope{All: true}, rep.ID, time.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
			if err != nil || c == nil {
				t.Fatalf("ledger: %v", err)
			}
			d, err := ReadDetail(outbox, c.Latest().ContentHash)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Photos) != rep.Photos.Total || d.Attendance == nil || len(d.Attendance.Trainees) != rep.Attendance.Approved {
				t.Fatalf("detail: %d photos (report %d), attendance %v", len(d.Photos), rep.Photos.Total, d.Attendance != nil)
			}
			outside := 0
			for _, ph := range d.Photos {
				if j := ph.Judged(); j.InWindow != nil && !*j.InWindow {
					outside++
				}
			}
			if (outside > 0) != tt.outsideWindow || outside != rep.Photos.OutsideWindow {
				t.Errorf("%d photos outside the window in the detail, report says %d", outside, rep.Photos.OutsideWindow)
			}
			if (len(d.Paper) > 0) != tt.paper {
				t.Errorf("%d paper boxes kept", len(d.Paper))
			}
		})
	}
	// a version judged before details were kept gets its detail when it is re-checked
	rep, err := p.Check(context.Background(), filepath.Join(inbox, tests[0].dir), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := p.Ledger.ScopedClass(ledger.Scope{All: true}, rep.ID, time.Now(), p.Config.Location, p.Config.Thresholds.AttendancePass)
	os.Remove(DetailPath(outbox, c.Latest().ContentHash))
	if _, err := p.Check(context.Background(), filepath.Join(inbox, tests[0].dir), CheckOptions{Recheck: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDetail(outbox, c.Latest().ContentHash); err != nil {
		t.Errorf("after a re-check: %v", err)
	}
	if _, err := ReadDetail(outbox, "../../etc/passwd"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a path for a content hash: %v", err)
	}
}
