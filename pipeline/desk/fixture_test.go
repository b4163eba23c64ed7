package desk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

// cheap are real argon2id parameters small enough for tests.
var cheap = ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}

const password = "correct horse battery"

// The accounts of the fixture.
var accounts = []ledger.User{
	{Login: "wang", DisplayName: "王敏", Role: ledger.RoleReviewer},
	{Login: "li", DisplayName: "李主任", Role: ledger.RoleHead},
	{Login: "hongda", DisplayName: "宏达学校", Role: ledger.RoleInstitution, Institution: "商水县宏达职业培训学校"},
	{Login: "nongshang", DisplayName: "农商培训中心", Role: ledger.RoleInstitution, Institution: "周口市农商电子商务培训中心"},
	{Login: "ghost", DisplayName: "无班次机构", Role: ledger.RoleInstitution, Institution: "不存在的培训机构"},
}

var (
	demoOnce   sync.Once
	demoOutbox string
	demoErr    error
)

// demo judges the built-in sample once for the package's tests (as yanshou
// demo does) and returns its outbox; the ledger there has no accounts.
func demo(t testing.TB) string {
	t.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "desk-demo-")
		if err != nil {
			demoErr = err
			return
		}
		demoOutbox = filepath.Join(dir, "outbox")
		inbox := filepath.Join(dir, "inbox")
		cfg := config.Default()
		p, err := pipeline.Open(cfg, rules.Default(), demoOutbox, nil)
		if err != nil {
			demoErr = err
			return
		}
		defer p.Close()
		cases, err := sample.Write(inbox, 2026, cfg)
		if err != nil {
			demoErr = err
			return
		}
		for _, c := range cases {
			if _, err := p.Check(context.Background(), filepath.Join(inbox, c.Dir), pipeline.CheckOptions{}); err != nil {
				demoErr = fmt.Errorf("%s: %w", c.Dir, err)
				return
			}
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoOutbox
}

// fixture is a desk over a copy of the demo's outbox with the accounts added.
type fixture struct {
	srv    *httptest.Server
	desk   *Server
	ledger *ledger.Ledger
	outbox string
	cfg    *yanshou.Config
}

func newFixture(t testing.TB, o Options) *fixture {
	t.Helper()
	src := demo(t)
	outbox := filepath.Join(t.TempDir(), "outbox")
	if err := os.CopyFS(outbox, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, u := range accounts {
		if err := l.AddUser(u, password, cheap, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	o.Ledger, o.Outbox, o.Config = l, outbox, cfg
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, desk: s, ledger: l, outbox: outbox, cfg: cfg}
}

// client is a browser without JavaScript: a cookie jar, no redirects followed
// unless follow is set.
func (f *fixture) client(t testing.TB, follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// get fetches a path and returns the response and its body.
func get(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t testing.TB, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// csrf is the form token of a page.
func csrf(t testing.TB, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field in the page:\n%.600s", body)
	}
	return m[1]
}

// login logs c in and returns the status of the login POST.
func (f *fixture) login(t testing.TB, c *http.Client, login, pw string) (*http.Response, string) {
	t.Helper()
	_, body := get(t, c, f.srv.URL+"/login")
	return post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrf(t, body)}, "login": {login}, "password": {pw}})
}

// session is a logged-in client.
func (f *fixture) session(t testing.TB, login string) *http.Client {
	t.Helper()
	c := f.client(t, false)
	if resp, body := f.login(t, c, login, password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d\n%.400s", login, resp.StatusCode, body)
	}
	return c
}

// classes are the fixture's judged classes, as the office sees them.
func (f *fixture) classes(t testing.TB) []yanshou.ClassRecord {
	t.Helper()
	cs, err := f.ledger.ScopedClasses(ledger.Scope{All: true}, time.Now(), f.cfg.Location, f.cfg.Thresholds.AttendancePass)
	if err != nil || len(cs) == 0 {
		t.Fatalf("fixture classes: %d, %v", len(cs), err)
	}
	return cs
}

// of returns the classes of one institution, and of every other.
func of(cs []yanshou.ClassRecord, inst string) (mine, others []yanshou.ClassRecord) {
	for _, c := range cs {
		if c.Institution == inst {
			mine = append(mine, c)
		} else {
			others = append(others, c)
		}
	}
	return
}

func contains(body string, subs ...string) string {
	for _, s := range subs {
		if !strings.Contains(body, s) {
			return s
		}
	}
	return ""
}

func newJar() http.CookieJar {
	jar, _ := cookiejar.New(nil)
	return jar
}

// TestMain removes the judged demo the tests shared.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoOutbox != "" {
		os.RemoveAll(filepath.Dir(demoOutbox))
	}
	os.Exit(code)
}
