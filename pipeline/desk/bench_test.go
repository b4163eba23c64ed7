package desk

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
)

// BenchmarkPagesLarge: the desk's pages over a large judged outbox, the one
// cmd/yanshou's TestServeLoad keeps with YANSHOU_DESK_LOAD_KEEP (e.g. 1,000
// classes of 20 institutions), named by YANSHOU_DESK_OUTBOX; skipped without.
func BenchmarkPagesLarge(b *testing.B) {
	src := os.Getenv("YANSHOU_DESK_OUTBOX")
	if src == "" {
		b.Skip("YANSHOU_DESK_OUTBOX names no judged outbox")
	}
	f := newFixtureFrom(b, src, Options{})
	c := f.session(b, "wang")
	cls := f.classes(b)
	for _, p := range []struct{ name, path string }{
		{"queue", "/"},
		{"queue-filtered", "/?verdict=fail"},
		{"uploads", "/upload"},
		{"class", "/class/" + cls[len(cls)/2].ID},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if resp, _ := get(b, c, f.srv.URL+p.path); resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", p.path, resp.StatusCode)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}

// BenchmarkPages: the time of the desk's main pages over the judged demo (10
// classes), served on loopback to a logged-in reviewer, and of one login at
// the default argon2id cost.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, Options{})
	c := f.session(b, "wang")
	cls := f.classes(b)
	pages := []struct{ name, path string }{
		{"queue", "/"},
		{"queue-filtered", "/?verdict=fail"},
		{"class", "/class/" + cls[len(cls)/2].ID},
		{"thumbnail", "/class/" + cls[0].ID + "/v/1/thumb/1"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if resp, _ := get(b, c, f.srv.URL+p.path); resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", p.path, resp.StatusCode)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
	b.Run("login-argon2id-default", func(b *testing.B) {
		if err := f.ledger.AddUser(ledger.User{Login: "bench", Role: ledger.RoleReviewer}, password, ledger.DefaultKDF, time.Now()); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := f.ledger.Authenticate("bench", password, "127.0.0.1", ledger.LoginLimit{PerAccount: 1 << 30, PerAddress: 1 << 30, Window: time.Minute}, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/login")
	})
}

// BenchmarkQueueDecided: the queue over the demo's classes cloned to about
// YANSHOU_DESK_DECIDED classes (480 by default), each with a finding dismissed
// and its final verdict confirmed, and a headcount on every other one: what a
// county office's queue is after a year of reviewing.
func BenchmarkQueueDecided(b *testing.B) {
	n := 480
	if s := os.Getenv("YANSHOU_DESK_DECIDED"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	f := newFixture(b, Options{})
	start := time.Now()
	decidedClones(b, f, n)
	b.Logf("%d classes decided and their final verdicts stored in %v", len(f.classes(b)), time.Since(start))
	c := f.session(b, "wang")
	for _, p := range []struct{ name, path string }{{"queue", "/"}, {"queue-filtered", "/?verdict=pass"}} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if resp, _ := get(b, c, f.srv.URL+p.path); resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", p.path, resp.StatusCode)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
		})
	}
}

// decidedClones copies the fixture's judged classes (their submissions and
// versions, reports and facts) until there are about n, then has the 负责人
// dismiss each clone's first fail or veto finding, confirm its final verdict,
// and count the first session of every other one.
func decidedClones(t testing.TB, f *fixture, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(f.outbox, pipeline.StateDirName, "ledger.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cols := func(table string) []string {
		rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var c string
			rows.Scan(&c)
			out = append(out, c)
		}
		return out
	}
	clone := func(table, key string, k int) {
		var sel []string
		cs := cols(table)
		for _, c := range cs {
			switch c {
			case key, "submission_id", "content_hash":
				sel = append(sel, fmt.Sprintf("%s || '-c%d'", c, k))
			default:
				sel = append(sel, c)
			}
		}
		q := fmt.Sprintf(`INSERT INTO %s(%s) SELECT %s FROM %s WHERE instr(%s, '-c') = 0`, table, strings.Join(cs, ","), strings.Join(sel, ","), table, key)
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	base := f.classes(t)
	for k := 1; len(base)*(k+1) <= n+len(base); k++ {
		clone("submissions", "id", k)
		clone("versions", "content_hash", k)
	}
	head, err := f.ledger.User("li")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, c := range f.classes(t) {
		if !strings.Contains(c.ID, "-c") {
			continue
		}
		last := c.Latest()
		for k, fd := range last.Report.Findings {
			if fd.Severity == yanshou.SevFail || fd.Severity == yanshou.SevVeto {
				if err := f.ledger.Decide(head, c.ID, last.Version, k, fd.Rule, ledger.Dismiss, "现场核实无此问题", now); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		if _, err := f.ledger.ConfirmVerdict(head, c.ID, last.Version, "审核后确认结论", now); err != nil {
			t.Fatal(err)
		}
		if ss := sessionsOf(&c, last); i%2 == 0 && len(ss) > 0 {
			if err := f.ledger.RecordHeadcount(head, c.ID, ss[0].Session, 40, "", now); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Recorded past the desk: their final verdicts are stored as the desk
	// stores them when it records a decision.
	if err := f.desk.refreshFinals(); err != nil {
		t.Fatal(err)
	}
}
