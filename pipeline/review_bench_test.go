package pipeline

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

// BenchmarkRenderReviewed: the time to render the reviewed set of a demo
// class confirmed a pass after its failing findings were dismissed (read
// again from its originals, report and two archive copies), beside the time
// its first check took.
func BenchmarkRenderReviewed(b *testing.B) {
	inbox := filepath.Join(b.TempDir(), "inbox")
	cases, err := sample.Write(inbox, 2026, config.Default())
	if err != nil {
		b.Fatal(err)
	}
	var dir string
	for _, c := range cases {
		if c.Verdict == yanshou.Fail && len(c.Rules) == 1 && c.Rules[0] == "photos.time_window" {
			dir = filepath.Join(inbox, c.Dir)
		}
	}
	p, err := Open(config.Default(), rules.Default(), filepath.Join(b.TempDir(), "outbox"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	start := time.Now()
	rep, err := p.Check(ctx, dir, CheckOptions{})
	if err != nil {
		b.Fatal(err)
	}
	check := time.Since(start)
	if err := p.Ledger.AddUser(ledger.User{Login: "wang", DisplayName: "王敏", Role: ledger.RoleReviewer}, "correct horse battery",
		ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, time.Now()); err != nil {
		b.Fatal(err)
	}
	u, _ := p.Ledger.User("wang")
	for k, f := range rep.Findings {
		if f.Severity != yanshou.Warning {
			if err := p.Ledger.Decide(u, rep.ID, rep.Version, k, f.Rule, ledger.Dismiss, "到场核实属实", time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := p.Ledger.ConfirmVerdict(u, rep.ID, rep.Version, "确认合格", time.Now()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := p.RenderReviewed(ctx, rep.ID, rep.Version); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/set")
	b.ReportMetric(float64(check.Milliseconds()), "ms/check")
}
