package desk

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
)

func TestSafetyHeaders(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.session(t, "wang")
	id := f.classes(t)[0].ID
	for _, p := range []string{"/login", "/", "/class/" + id, "/class/" + id + "/v/1/doc/0", "/static/style.css",
		"/static/", "/static", "/nope", "/class/", "/class/" + id + "/v/1/"} {
		resp, body := get(t, c, f.srv.URL+p)
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", p, h)
		}
		if strings.Contains(body, "Index of") || strings.Contains(body, `<a href="style.css">`) {
			t.Errorf("%s: a directory listing", p)
		}
	}
	for _, p := range []string{"/static/", "/static", "/class/", "/class/" + id + "/v/1/", "/outbox/", "/.yanshou/ledger.db"} {
		if resp, _ := get(t, c, f.srv.URL+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		name      string
		form      func(token string) url.Values
		noCookie  bool
		origin    string
		want      int
		wantBody  string
		wantWhere string
	}{
		{"right", func(tk string) url.Values { return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {password}} }, false, "", http.StatusSeeOther, "", "/"},
		{"back where it was going", func(tk string) url.Values {
			return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {password}, "next": {"/?verdict=fail"}}
		}, false, "", http.StatusSeeOther, "", "/?verdict=fail"},
		{"never off the site", func(tk string) url.Values {
			return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {password}, "next": {"//evil.example/"}}
		}, false, "", http.StatusSeeOther, "", "/"},
		{"wrong password", func(tk string) url.Values {
			return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {"wrong one!!"}}
		}, false, "", http.StatusUnauthorized, "账号或密码错误", ""},
		{"unknown account", func(tk string) url.Values { return url.Values{"csrf": {tk}, "login": {"zhao"}, "password": {password}} }, false, "", http.StatusUnauthorized, "账号或密码错误", ""},
		{"no CSRF token", func(string) url.Values { return url.Values{"login": {"wang"}, "password": {password}} }, false, "", http.StatusForbidden, "登录表单已失效", ""},
		{"forged CSRF token", func(string) url.Values {
			return url.Values{"csrf": {strings.Repeat("0", 64)}, "login": {"wang"}, "password": {password}}
		}, false, "", http.StatusForbidden, "登录表单已失效", ""},
		{"no CSRF cookie", func(tk string) url.Values { return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {password}} }, true, "", http.StatusForbidden, "登录表单已失效", ""},
		{"another site's form", func(tk string) url.Values { return url.Values{"csrf": {tk}, "login": {"wang"}, "password": {password}} }, false, "http://evil.example", http.StatusForbidden, "登录表单已失效", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := f.client(t, false)
			_, body := get(t, c, f.srv.URL+"/login")
			token := csrf(t, body)
			if tt.noCookie {
				c.Jar, _ = cookieJarWithout()
			}
			req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(tt.form(token).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.want || !strings.Contains(b.String(), tt.wantBody) {
				t.Fatalf("status %d, want %d (%q)\n%.500s", resp.StatusCode, tt.want, tt.wantBody, b.String())
			}
			if tt.wantWhere != "" {
				if loc := resp.Header.Get("Location"); loc != tt.wantWhere {
					t.Errorf("redirect to %q, want %q", loc, tt.wantWhere)
				}
				var cookie *http.Cookie
				for _, ck := range resp.Cookies() {
					if ck.Name == sessionCookie {
						cookie = ck
					}
				}
				if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || len(cookie.Value) != 64 {
					t.Errorf("session cookie %+v", cookie)
				}
			}
		})
	}
	audit, err := f.ledger.Logins("wang")
	if err != nil || len(audit) != 4 { // three successes, one wrong password; refused forms never reach the ledger
		t.Fatalf("audit of wang: %d attempts, %v; want 4", len(audit), err)
	}
}

func cookieJarWithout() (http.CookieJar, error) { return newJar(), nil }

func TestLoginRateLimit(t *testing.T) {
	now := time.Date(2026, 5, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	f := newFixture(t, Options{Now: clock, Limit: ledger.LoginLimit{PerAccount: 5, PerAddress: 100, Window: 15 * time.Minute}})
	c := f.client(t, false)
	for i := 0; i < 5; i++ {
		if resp, _ := f.login(t, c, "li", "wrong password"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := f.login(t, c, "li", password)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("sixth attempt with the right password: %d\n%.300s", resp.StatusCode, body)
	}
	if resp, _ := f.login(t, c, "wang", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account is locked too: %d", resp.StatusCode)
	}
	now = now.Add(16 * time.Minute)
	if resp, _ := f.login(t, c, "li", password); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("still locked after the window: %d", resp.StatusCode)
	}
}

func TestLogoutNeedsCSRF(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.session(t, "wang")
	_, page := get(t, c, f.srv.URL+"/")
	if resp, _ := post(t, c, f.srv.URL+"/logout", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without the token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/logout", url.Values{"csrf": {strings.Repeat("a", 64)}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout with a forged token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.srv.URL+"/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("refused logouts ended the session: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/logout", url.Values{"csrf": {csrf(t, page)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.srv.URL+"/"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("after logout the queue answers %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestQueueRoles: the office sees every class, an institution its own only, an
// institution without classes none; the filters narrow the office's queue.
func TestQueueRoles(t *testing.T) {
	f := newFixture(t, Options{})
	all := f.classes(t)
	for _, u := range accounts {
		t.Run(u.Login, func(t *testing.T) {
			c := f.session(t, u.Login)
			resp, body := get(t, c, f.srv.URL+"/")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("queue: %d", resp.StatusCode)
			}
			mine, others := all, []yanshou.ClassRecord(nil)
			if !u.Role.Office() {
				mine, others = of(all, u.Institution)
			}
			for _, cl := range mine {
				if !strings.Contains(body, "/class/"+cl.ID) {
					t.Errorf("%s does not see %s %s", u.Login, cl.Institution, cl.Class)
				}
			}
			for _, cl := range others {
				if strings.Contains(body, cl.ID) || strings.Contains(body, template.HTMLEscapeString(cl.Institution)) {
					t.Errorf("%s sees %s %s", u.Login, cl.Institution, cl.Class)
				}
			}
			if n := strings.Count(body, `<a href="/class/`); n != len(mine) {
				t.Errorf("%d rows, want %d", n, len(mine))
			}
		})
	}
	c := f.session(t, "wang")
	filters := []struct {
		query string
		keep  func(i int) bool
	}{
		{"inst=" + url.QueryEscape(all[0].Institution), func(i int) bool { return all[i].Institution == all[0].Institution }},
		{"verdict=fail", func(i int) bool { return all[i].Latest().Verdict == "fail" }},
		{"month=" + all[0].Start.Format("2006-01"), func(i int) bool { return all[i].Start.Format("2006-01") == all[0].Start.Format("2006-01") }},
		{"verdict=veto&month=" + all[0].Start.Format("2006-01"), func(i int) bool {
			return all[i].Latest().Verdict == "veto" && all[i].Start.Format("2006-01") == all[0].Start.Format("2006-01")
		}},
	}
	for _, fl := range filters {
		_, body := get(t, c, f.srv.URL+"/?"+fl.query)
		kept := 0
		for i, cl := range all {
			if fl.keep(i) {
				kept++
			}
			if got := strings.Contains(body, "/class/"+cl.ID+`"`); got != fl.keep(i) {
				t.Errorf("?%s: %s %s shown %v, want %v", fl.query, cl.Institution, cl.Class, got, fl.keep(i))
			}
		}
		if kept == len(all) {
			t.Errorf("?%s keeps every class: the filter is not tested", fl.query)
		}
	}
}

// TestClassPage: the page shows the verdict, every finding under its article
// with its evidence lines, the photos and the report in a frame.
func TestClassPage(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.session(t, "wang")
	withEvidence := 0
	for _, cl := range f.classes(t) {
		v := cl.Latest()
		_, body := get(t, c, f.srv.URL+"/class/"+cl.ID)
		if miss := contains(body, v.Verdict.Chinese(), template.HTMLEscapeString(cl.Class)); miss != "" {
			t.Errorf("%s %s: page lacks %q", cl.Institution, cl.Class, miss)
		}
		for _, fd := range v.Report.Findings {
			if miss := contains(body, "<h3>"+fd.Article+"</h3>", template.HTMLEscapeString(fd.Message)); miss != "" {
				t.Errorf("%s %s, %s: page lacks %q", cl.Class, cl.Institution, fd.Rule, miss)
			}
			// The rule is named by its Chinese title; its id only in the forms.
			if fd.Title == "" || !strings.Contains(body, `<span class="rule">`+template.HTMLEscapeString(fd.Title)+`</span>`) ||
				strings.Contains(body, `<code class="rule">`+fd.Rule) {
				t.Errorf("%s %s, %s: the finding is not named by its title %q", cl.Institution, cl.Class, fd.Rule, fd.Title)
			}
			for _, e := range fd.Evidence {
				withEvidence++
				if !strings.Contains(body, template.HTMLEscapeString(e.Detail)) {
					t.Errorf("%s %s, %s: evidence %q missing", cl.Institution, cl.Class, fd.Rule, e.Detail)
				}
			}
		}
		if !strings.Contains(body, `<iframe class="pdf" title="验收报告" src="/class/`+cl.ID+`/v/`) {
			t.Errorf("%s %s: no report frame", cl.Institution, cl.Class)
		}
		if !strings.Contains(body, `/thumb/0"`) {
			t.Errorf("%s %s: no photo thumbnails", cl.Institution, cl.Class)
		}
	}
	if withEvidence == 0 {
		t.Fatal("the demo gave no evidence lines: nothing was checked")
	}
}

// TestFiles: the report is a PDF, a photo its original bytes, a thumbnail a
// small JPEG.
func TestFiles(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.session(t, "wang")
	cl := f.classes(t)[0]
	base := fmt.Sprintf("%s/class/%s/v/%d", f.srv.URL, cl.ID, cl.Latest().Version)
	_, page := get(t, c, f.srv.URL+"/class/"+cl.ID)
	m := strings.Index(page, `title="验收报告" src="`)
	if m < 0 {
		t.Fatal("no report frame")
	}
	src := page[m+len(`title="验收报告" src="`):]
	src = src[:strings.Index(src, `"`)]
	resp, body := get(t, c, f.srv.URL+src)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline;") {
		t.Fatalf("report: %d %v %.8q", resp.StatusCode, resp.Header, body)
	}
	resp, body = get(t, c, base+"/photo/0")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(body, "\xff\xd8") {
		t.Fatalf("photo: %d %v", resp.StatusCode, resp.Header)
	}
	files, _ := f.ledger.ScopedFiles(ledger.Scope{All: true}, cl.ID, cl.Latest().Version)
	if ps := photos(files); len(body) != int(ps[0].Size) {
		t.Fatalf("photo: %d bytes, the original has %d", len(body), ps[0].Size)
	}
	resp, body = get(t, c, base+"/thumb/0")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumbnail: %d %v", resp.StatusCode, resp.Header)
	}
	img, _, err := image.DecodeConfig(strings.NewReader(body))
	if err != nil || max(img.Width, img.Height) != thumbSide {
		t.Fatalf("thumbnail %dx%d, %v; want the longest side %d", img.Width, img.Height, err, thumbSide)
	}
}

func TestArticleRank(t *testing.T) {
	order := []string{"第一条", "第七条", "第十条", "第十一条", "第二十三条", "其他", ""}
	for i := 1; i < len(order); i++ {
		if a, b := articleRank(order[i-1]), articleRank(order[i]); a > b || a == b && i < len(order)-2 {
			t.Errorf("%q (%d) should come before %q (%d)", order[i-1], a, order[i], b)
		}
	}
}

// TestConcurrentLogins: logins beyond the password checks run at once wait
// their turn and all succeed.
func TestConcurrentLogins(t *testing.T) {
	f := newFixture(t, Options{})
	codes := make(chan int, 3*concurrentLogins)
	for i := 0; i < cap(codes); i++ {
		c := f.client(t, false)
		_, body := get(t, c, f.srv.URL+"/login")
		form := url.Values{"csrf": {csrf(t, body)}, "login": {"li"}, "password": {password}}
		go func() {
			resp, err := c.PostForm(f.srv.URL+"/login", form)
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	for i := 0; i < cap(codes); i++ {
		if code := <-codes; code != http.StatusSeeOther {
			t.Errorf("login %d: %d", i, code)
		}
	}
}

// TestDamagedPhoto: a stored photo that no longer decodes gets a 404 for its
// thumbnail, and its class page still opens.
func TestDamagedPhoto(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.session(t, "wang")
	cl := f.classes(t)[0]
	files, _ := f.ledger.ScopedFiles(ledger.Scope{All: true}, cl.ID, cl.Latest().Version)
	p := originals.Path(filepath.Join(f.outbox, ".yanshou", "originals"), photos(files)[0].SHA256)
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, []byte("\xff\xd8 not a picture any more"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("%s/class/%s/v/%d", f.srv.URL, cl.ID, cl.Latest().Version)
	if resp, body := get(t, c, base+"/thumb/0"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "无法生成缩略图") {
		t.Errorf("thumbnail of a damaged photo: %d\n%.200s", resp.StatusCode, body)
	}
	if resp, _ := get(t, c, f.srv.URL+"/class/"+cl.ID); resp.StatusCode != http.StatusOK {
		t.Errorf("class page: %d", resp.StatusCode)
	}
}
