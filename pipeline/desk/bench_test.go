package desk

import (
	"net/http"
	"os"
	"testing"
	"time"

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
