package desk

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/store/ledger"
	"yanshou/rules"
)

// chromium finds a Chromium-based browser, or "" when there is none.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir is where the browser test writes its pictures: the folder
// YANSHOU_SCREENSHOTS names (relative to the repository root), or "" for none.
func screenshotDir() string {
	d := os.Getenv("YANSHOU_SCREENSHOTS")
	if d == "" || filepath.IsAbs(d) {
		return d
	}
	return filepath.Join("..", "..", d)
}

// TestBrowser drives headless Chromium at 1366×768 over the judged demo: log in
// as a reviewer, see the queue, open a failed class and see its findings and
// evidence, styled (the CSP lets the page's own stylesheet through); dismiss
// one finding and downgrade another, and see the final verdict 合格; record
// on a passed class fewer people present than signed in, and see 不合格.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("没有找到 Chromium（Debian: apt-get install chromium），跳过浏览器测试")
	}
	var p *pipeline.Pipeline // renders the reviewed set after a confirmation, as yanshou serve does
	f := newFixture(t, Options{RenderReviewed: func(ctx context.Context, id string, n int) error {
		_, err := p.RenderReviewed(ctx, id, n)
		return err
	}})
	var err error
	if p, err = pipeline.Open(f.cfg, rules.Default(), f.outbox, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	var target *yanshou.ClassRecord
	for _, c := range f.classes(t) {
		if v := c.Latest(); v.Verdict == yanshou.Fail && len(v.Report.Findings) > 1 && (target == nil || len(v.Report.Findings) > len(target.Latest().Report.Findings)) {
			target = &c
		}
	}
	if target == nil {
		t.Fatal("the demo has no failed class")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.WindowSize(1366, 768), chromedp.Flag("lang", "zh-CN"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 5*time.Minute) // a bound against a hung browser, not a speed test
	defer cancel()

	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(css string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
		step("text of "+css, err)
		return s
	}
	shot := func() []byte {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		step("screenshot", err)
		return b
	}
	step("open the login page", chromedp.Do(ctx,
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate(f.srv.URL+"/"), // not logged in: to the login page
	))
	step("fill the login form", chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), "wang"),
		chromedp.SendKeys(chromedp.ID("password"), password),
	))
	step("submit", chromedp.Do(ctx, chromedp.Click(chromedp.ID("submit"))))
	step("see the queue", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("queue"))))
	title, err := chromedp.Run(ctx, chromedp.Title())
	step("title", err)
	header, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('header.top')).backgroundColor`))
	step("style", err)
	rows := text("#queue tbody")
	queuePNG := shot()
	step("open the class", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href="/class/`+target.ID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("findings")),
	))
	verdict, findings := text("#verdict"), text("#findings")
	classPNG := shot()
	// the evidence below the findings: the photo map and table, the attendance matrix
	step("scroll to the evidence", chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID("evidence"))))
	for i := 0; i < 50; i++ {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Array.from(document.querySelectorAll('#evidence img')).filter(i => i.getBoundingClientRect().top < innerHeight).every(i => i.complete)`))
		step("the evidence's pictures", err)
		if done {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('evidence').scrollIntoView(), true`))
	step("scroll to the evidence again", err)
	time.Sleep(300 * time.Millisecond)
	evidencePNG := shot()
	// the report is shown inline: the frame holds a PDF document (the browser's viewer)
	var pdfType string
	for i := 0; i < 100 && pdfType != "application/pdf"; i++ {
		pdfType, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('iframe.pdf').contentDocument || {}).contentType || ''`))
		step("the report frame", err)
		time.Sleep(100 * time.Millisecond)
	}
	if pdfType != "application/pdf" {
		t.Errorf("the report frame holds %q, not the PDF", pdfType)
	}

	// dismiss the first failing finding with a reason, through the page's own form
	k := -1
	for i, fd := range target.Latest().Report.Findings {
		if fd.Severity == yanshou.SevFail && k < 0 {
			k = i
		}
	}
	const reason = "审核人到场核实，实到人数与签到一致"
	sel := fmt.Sprintf("#f%d", k)
	step("dismiss a finding", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(sel+" details.decide summary")),
		chromedp.SendKeys(chromedp.CSS(sel+" textarea"), reason),
		chromedp.Click(chromedp.CSS(sel+" button")),
		chromedp.WaitVisible(chromedp.CSS(sel+" .decision")),
	))
	decision := text(sel + " .decision")
	if !strings.Contains(decision, "已驳回") || !strings.Contains(decision, "王敏") || !strings.Contains(decision, reason) {
		t.Errorf("after the dismissal the finding says %q", decision)
	}
	if ds, _ := f.ledger.Decisions(ledger.Scope{All: true}, target.ID, target.Latest().Version); len(ds) != 1 || ds[0].Finding != k || ds[0].Login != "wang" {
		t.Errorf("the ledger recorded %+v", ds)
	}

	// downgrade the other failing finding to a warning, through its second button
	k2 := -1
	for i, fd := range target.Latest().Report.Findings {
		if fd.Severity == yanshou.SevFail && i != k && k2 < 0 {
			k2 = i
		}
	}
	if k2 < 0 {
		t.Fatal("the class has one failing finding only: nothing to downgrade")
	}
	sel2 := fmt.Sprintf("#f%d", k2)
	step("downgrade a finding", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(sel2+" details.decide summary")),
		chromedp.SendKeys(chromedp.CSS(sel2+" textarea"), "现场核实，情节轻微按提示处理"),
		chromedp.Click(chromedp.CSS(sel2+" button.downgrade")),
		chromedp.WaitVisible(chromedp.CSS(sel2+" .decision")),
	))
	if got := text(sel2 + " .msg"); !strings.Contains(got, "按提示计") || !strings.Contains(text(sel2+" .decision"), "已降级") {
		t.Errorf("after the downgrade the finding says %q", got)
	}
	if got := text("#final"); got != yanshou.Pass.Chinese() {
		t.Errorf("after a dismissal and a downgrade the final verdict is %q", got)
	}

	// confirm the final verdict through the page: the reviewed report is
	// rendered with the 审核意见 block naming the dismissal and its reason
	step("confirm the verdict", chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#confirm summary")),
		chromedp.SendKeys(chromedp.CSS("#confirm textarea"), "驳回和降级均经现场核实，确认合格"),
		chromedp.Click(chromedp.CSS("#confirm button")),
		chromedp.WaitVisible(chromedp.ID("confirmed")),
	))
	f.desk.reviews.wg.Wait()
	reviewedPDF := ""
	step("open the class again", chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("findings"))))
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('a')).filter(a => a.textContent.includes('验收报告（审核后')).map(a => a.getAttribute('href'))`))
	step("the reviewed report's link", err)
	if len(links) == 0 {
		t.Errorf("the class page offers no reviewed report after the confirmation (%s)", f.desk.reviewNote(target.ID, target.Latest().Version))
	} else {
		resp, body := get(t, f.session(t, "wang"), f.srv.URL+links[0])
		reviewedPDF = filepath.Join(t.TempDir(), "reviewed.pdf")
		os.WriteFile(reviewedPDF, []byte(body), 0o644)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("reviewed report %s: %d", links[0], resp.StatusCode)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil && reviewedPDF != "" {
		out, err := exec.Command("pdftotext", reviewedPDF, "-").Output()
		if txt := strings.Join(strings.Fields(string(out)), ""); err != nil || !strings.Contains(txt, "审核意见") || !strings.Contains(txt, strings.Join(strings.Fields(reason), "")) || !strings.Contains(txt, "王敏") {
			t.Errorf("the reviewed report lacks the 审核意见 with the dismissal's reason (%v):\n%.1500s", err, txt)
		}
	}

	// on a passed class, record fewer people present at a session than signed in
	passed := passedWithSessions(t, f)
	first := passed.Latest().Facts.Headcount.SessionSignIns[0]
	step("record a headcount", chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/class/"+passed.ID),
		chromedp.WaitVisible(chromedp.ID("headcounts")),
		chromedp.Click(chromedp.CSS("#count summary")),
		chromedp.SetValue(chromedp.ID("count-session"), first.Session),
		chromedp.SendKeys(chromedp.ID("count-present"), fmt.Sprint(first.SignedIn-10)),
		chromedp.Click(chromedp.ID("count-submit")),
		chromedp.WaitVisible(chromedp.ID("final")),
	))
	if got := text("#final"); got != yanshou.Fail.Chinese() {
		t.Errorf("after the headcount the final verdict is %q, want 不合格", got)
	}
	if got := text("#headcounts"); !strings.Contains(got, first.Session) || !strings.Contains(got, "签到多出 10 人") || !strings.Contains(got, "王敏（审核人") {
		t.Errorf("the headcount table says %q", got)
	}
	step("scroll to the headcounts", chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID("headcounts"))))
	headcountPNG := shot()
	if !strings.Contains(title, "验收队列") || header != "rgb(139, 26, 26)" {
		t.Errorf("queue page: title %q, header colour %q (is the stylesheet blocked?)", title, header)
	}
	for _, c := range f.classes(t) {
		if !strings.Contains(rows, c.Class) {
			t.Errorf("the queue lacks %s %s", c.Institution, c.Class)
		}
	}
	if verdict != target.Latest().Verdict.Chinese() {
		t.Errorf("class page verdict %q, want %q", verdict, target.Latest().Verdict.Chinese())
	}
	for _, fd := range target.Latest().Report.Findings {
		if !strings.Contains(findings, fd.Article) || !strings.Contains(findings, fd.Message) {
			t.Errorf("the class page lacks %s %q", fd.Article, fd.Message)
		}
		if len(fd.Evidence) > 0 && !strings.Contains(findings, fd.Evidence[0].Detail) {
			t.Errorf("the class page lacks the evidence %q", fd.Evidence[0].Detail)
		}
	}
	if dir := screenshotDir(); dir != "" {
		for name, png := range map[string][]byte{"desk-queue.png": queuePNG, "desk-class.png": classPNG, "desk-evidence.png": evidencePNG, "desk-headcount.png": headcountPNG} {
			if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBrowserAbsent: without a browser on PATH the browser test finds none
// (and so skips with its message) instead of failing.
func TestBrowserAbsent(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if p := chromium(); p != "" {
		t.Fatalf("found %s on an empty PATH", p)
	}
}
