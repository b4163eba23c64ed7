package pipeline

import (
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
)

// TestDocumentNumbers: a notice's 文号 comes from the ledger by the config's
// scheme, in the year of the check in the county's zone; the same version
// rendered again (a batch re-rendering its documents) keeps its number, the
// next notice and an inspection form get the following ones, a pass none.
func TestDocumentNumbers(t *testing.T) {
	l, err := ledger.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cfg := config.Default()
	p := &Pipeline{Ledger: l, Config: cfg}
	// 2026-12-31 20:00 UTC is already 2027 in Beijing.
	at := time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)
	steps := []struct {
		id      string
		version int
		verdict yanshou.Verdict
		want    string
	}{
		{"SA", 1, yanshou.Fail, "商电商验〔2027〕1号"},
		{"SA", 1, yanshou.Fail, "商电商验〔2027〕1号"}, // rendered again
		{"SB", 1, yanshou.Veto, "商电商验〔2027〕2号"},
		{"SC", 1, yanshou.Pass, ""},
		{"SA", 2, yanshou.Fail, "商电商验〔2027〕3号"},
	}
	for i, s := range steps {
		r := &yanshou.Result{ID: s.id, Version: s.version, Verdict: s.verdict, CheckedAt: at}
		if err := p.noticeNumber(r); err != nil || r.DocNumber != s.want {
			t.Errorf("step %d: %q, %v; want %q", i, r.DocNumber, err, s.want)
		}
	}
	for i := range 2 {
		if got, err := p.inspectionNumber("某某学校", at); err != nil || got != "商电商验〔2027〕4号" {
			t.Errorf("inspection form %d: %q, %v", i, got, err)
		}
	}
	if got, _ := (&Pipeline{Config: cfg}).inspectionNumber("某某学校", at); got != "" {
		t.Errorf("without a ledger: %q", got)
	}
}
