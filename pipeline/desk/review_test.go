package desk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/rules"
)

// TestReviewedDocuments: a confirmation renders the reviewed set (the real
// pipeline's RenderReviewed, in the background); the class page then offers
// the reviewed report and notice through the scoped file route, the report
// showing the 审核意见 with the confirmation's reason; the institution sees
// its own reviewed notice, another institution gets nothing.
func TestReviewedDocuments(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	var p *pipeline.Pipeline
	f := newFixture(t, Options{RenderReviewed: func(ctx context.Context, id string, n int) error {
		_, err := p.RenderReviewed(ctx, id, n)
		return err
	}})
	var err error
	if p, err = pipeline.Open(f.cfg, rules.Default(), f.outbox, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	var c *yanshou.ClassRecord
	for _, cl := range f.classes(t) {
		if cl.Latest().Verdict == yanshou.Fail && cl.Institution == hongda {
			c = &cl
			break
		}
	}
	if c == nil {
		t.Fatal("the demo has no failed class of " + hongda)
	}
	wang := f.session(t, "wang")
	_, page := get(t, wang, f.srv.URL+"/class/"+c.ID)
	const reason = "整改要求已当面告知机构负责人"
	u := fmt.Sprintf("%s/class/%s/v/%d/confirm", f.srv.URL, c.ID, c.Latest().Version)
	if resp, body := post(t, wang, u, url.Values{"csrf": {csrf(t, page)}, "reason": {reason}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmation: %d\n%.400s", resp.StatusCode, body)
	}
	f.desk.reviews.wg.Wait()
	if note := f.desk.reviewNote(c.ID, c.Latest().Version); note != "" {
		t.Fatalf("after rendering: %s", note)
	}
	_, page = get(t, wang, f.srv.URL+"/class/"+c.ID)
	links := regexp.MustCompile(`href="(/class/[^"]+/doc/\d+)"[^>]*>([^<]+)</a>`).FindAllStringSubmatch(page, -1)
	docs := map[string]string{}
	for _, l := range links {
		docs[l[2]] = l[1]
	}
	report, notice := docs["验收报告（审核后·第1次确认）.pdf"], docs["整改通知书（审核后·第1次确认）.pdf"]
	if report == "" || notice == "" || docs["验收报告.pdf"] == "" {
		t.Fatalf("class page documents %v: want the program's and the reviewed report and notice", docs)
	}
	resp, body := get(t, wang, f.srv.URL+report)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), url.PathEscape("验收报告（审核后·第1次确认）.pdf")) {
		t.Fatalf("reviewed report: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(pdf, []byte(body), 0o644)
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil || !strings.Contains(string(text), "审核意见") || !strings.Contains(string(text), reason) || !strings.Contains(string(text), "王敏") {
		t.Errorf("reviewed report without the 审核意见 and its reason (%v)", err)
	}
	inst, other := f.session(t, "hongda"), f.session(t, "nongshang")
	if resp, _ := get(t, inst, f.srv.URL+notice); resp.StatusCode != http.StatusOK {
		t.Errorf("the institution's reviewed notice: %d", resp.StatusCode)
	}
	if resp, _ := get(t, other, f.srv.URL+notice); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another institution's reviewed notice: %d, want 404", resp.StatusCode)
	}
}
