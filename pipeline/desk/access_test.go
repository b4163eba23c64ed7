package desk

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// leaked reports whether a body is one of the files the desk guards: a PDF, a
// JPEG, a workbook (zip), the ledger database, or a class page.
func leaked(body string) bool {
	for _, magic := range []string{"%PDF-", "\xff\xd8", "PK\x03\x04", "SQLite format 3", "\x89PNG"} {
		if strings.HasPrefix(body, magic) {
			return true
		}
	}
	return strings.Contains(body, `id="findings"`)
}

// TestAccess: an institution's session, trying the other institutions'
// classes, documents and photos by their ids, and path tricks on its own
// class, gets 404 (or 401 without a session) and never a byte of a file; its
// own class and files, asked for the same way, are served (the control).
func TestAccess(t *testing.T) {
	f := newFixture(t, Options{})
	all := f.classes(t)
	const inst = "商水县宏达职业培训学校"
	mine, others := of(all, inst)
	if len(mine) == 0 || len(others) == 0 {
		t.Fatalf("the demo must have classes of %s and of others: %d, %d", inst, len(mine), len(others))
	}
	own := mine[0]
	ownBase := fmt.Sprintf("/class/%s/v/%d", own.ID, own.Latest().Version)
	hongda := f.session(t, "hongda")
	hongda.CheckRedirect = nil // follow the mux's redirects of unclean paths to where they end
	ghost := f.session(t, "ghost")
	ghost.CheckRedirect = nil
	anonymous := f.client(t, false)

	for _, p := range []string{"/class/" + own.ID, ownBase + "/doc/0", ownBase + "/photo/0", ownBase + "/thumb/0", ownBase + "/map.png"} {
		if resp, body := get(t, hongda, f.srv.URL+p); resp.StatusCode != 200 || !leaked(body) {
			t.Fatalf("control: its own %s answers %d", p, resp.StatusCode)
		}
	}

	var refused []string
	for _, o := range others {
		for _, v := range o.Versions {
			b := fmt.Sprintf("/class/%s/v/%d", o.ID, v.Version)
			refused = append(refused, "/class/"+o.ID, "/class/"+o.ID+"?v=1", b+"/doc/0", b+"/doc/1", b+"/photo/0", b+"/thumb/0", b+"/photo/1",
				b+"/map.png", b+"/pair/0/0", b+"/sig/0", b+"/sig/0?name", "/class/"+o.ID+"?v="+fmt.Sprint(v.Version)+"&from=1",
				"/class/"+o.ID+"/signin-sheets.zip")
		}
	}
	tricks := []string{
		"/class/" + own.ID + "/../" + others[0].ID,
		"/class/" + others[0].ID + "%2f..%2f" + own.ID,
		"/class/%2e%2e/v/1/doc/0",
		"/class/%2e%2e%2f%2e%2e%2f.yanshou/v/1/doc/0",
		ownBase + "/doc/..%2f..%2f.yanshou%2fledger.db",
		ownBase + "/doc/%2e%2e",
		ownBase + "/doc/-1",
		ownBase + "/doc/99",
		ownBase + "/doc/0%00",
		ownBase + "/doc/%00",
		ownBase + "/doc/1e1",
		ownBase + "/doc/+0",
		ownBase + "/doc/%2fetc%2fpasswd",
		ownBase + "/doc//etc/passwd",
		ownBase + "/photo/..%2f..%2f..%2f.yanshou%2fledger.db",
		ownBase + "/photo/" + strings.Repeat("9", 30),
		ownBase + "/thumb/0x0",
		ownBase + "/map.png/..%2f..%2f.yanshou%2fledger.db",
		ownBase + "/pair/0/99",
		ownBase + "/pair/-1/0",
		ownBase + "/pair/0/..%2f0",
		ownBase + "/pair/" + strings.Repeat("0", 64) + "/0",
		ownBase + "/sig/-1",
		ownBase + "/sig/999999",
		ownBase + "/sig/..%2f..%2fledger.db",
		fmt.Sprintf("/class/%s/v/99/doc/0", own.ID),
		fmt.Sprintf("/class/%s/v/0/doc/0", own.ID),
		fmt.Sprintf("/class/%s/v/-1/doc/0", own.ID),
		fmt.Sprintf("/class/%s/v/%%2e%%2e/doc/0", own.ID),
		"/etc/passwd",
		"/.yanshou/ledger.db",
		"/" + strings.TrimPrefix(f.outbox, "/") + "/.yanshou/ledger.db",
		"/outbox/" + own.Latest().OutDir + "/验收报告.pdf",
		"/static/../.yanshou/ledger.db",
		"/static/%2e%2e/%2e%2e/.yanshou/ledger.db",
		"/class/" + own.ID + "/signin-sheets.zip?sessions=..%2f..%2fledger",
		"/class/%2e%2e/signin-sheets.zip",
		"/downloads/blank/-1",
		"/downloads/blank/..%2f..%2f.yanshou%2fledger.db",
		"/downloads/blank/99",
	}
	for _, p := range append(refused, tricks...) {
		resp, body := get(t, hongda, f.srv.URL+p)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusBadRequest || leaked(body) {
			t.Errorf("hongda %s: %d, leaked %v", p, resp.StatusCode, leaked(body))
		}
	}
	// an institution with no classes sees none of them; without a session nothing is served
	for _, p := range refused[:min(len(refused), 14)] {
		if resp, body := get(t, ghost, f.srv.URL+p); resp.StatusCode != http.StatusNotFound || leaked(body) {
			t.Errorf("ghost %s: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/class/" + own.ID, ownBase + "/doc/0", ownBase + "/photo/0", ownBase + "/thumb/0", ownBase + "/map.png",
		ownBase + "/pair/0/0", ownBase + "/sig/0", "/class/" + own.ID + "/signin-sheets.zip", "/downloads", "/downloads/blank/0", "/downloads/blank.zip"} {
		resp, body := get(t, anonymous, f.srv.URL+p)
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized || leaked(body) {
			t.Errorf("anonymous %s: %d", p, resp.StatusCode)
		}
	}
	// nor does a resumable upload take a byte without one
	for _, req := range []struct{ method, path string }{
		{http.MethodPost, "/upload/resume"},
		{http.MethodPut, "/upload/resume/" + strings.Repeat("a", 32)},
		{http.MethodPut, "/upload/resume/..%2f..%2f.yanshou%2fledger.db"},
	} {
		r, err := http.NewRequest(req.method, f.srv.URL+req.path, strings.NewReader("PK\x03\x04"))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Range", "bytes 0-3/4")
		resp, err := anonymous.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if c := resp.StatusCode; c != http.StatusSeeOther && c != http.StatusUnauthorized && c != http.StatusForbidden && c != http.StatusNotFound {
			t.Errorf("anonymous %s %s: %d", req.method, req.path, c)
		}
	}
	// a session cookie of a disabled account opens nothing
	if err := f.ledger.SetDisabled("hongda", true, time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, hongda, f.srv.URL+ownBase+"/doc/0"); resp.StatusCode != http.StatusUnauthorized || leaked(body) {
		t.Errorf("disabled account: %d", resp.StatusCode)
	}
}
