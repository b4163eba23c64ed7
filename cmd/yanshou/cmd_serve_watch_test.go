package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"yanshou/pipeline"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/testkit/sample"
)

var (
	csrfInPage  = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	tokenInPage = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
)

func pageOf(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// folderUpload is the upload form for the files of dir, sent as a browser
// sends a folder chosen with webkitdirectory: each file named by its path
// from the folder's name.
func folderUpload(t *testing.T, csrf, token, dir string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", csrf)
	mw.WriteField("token", token)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), p)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files"; filename="%s"`, filepath.ToSlash(rel)))
		w, err := mw.CreatePart(h)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// TestServeWatch: serve --watch is the desk and the intake in one process: an
// institution uploads a class folder of the sample through the desk, the
// watcher judges it once (the form sent again lands no second time), and the
// upload page shows its verdict.
func TestServeWatch(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox, samples := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox"), filepath.Join(dir, "sample")
	os.MkdirAll(inbox, 0o755)
	cases, err := sample.Write(samples, 2026, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	class := cases[0]
	inst := strings.Split(class.Dir, "/")[0]
	led, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	if err := led.AddUser(ledger.User{Login: "jigou", DisplayName: "机构", Role: ledger.RoleInstitution, Institution: inst},
		"correct horse battery", ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, time.Now()); err != nil {
		t.Fatal(err)
	}
	led.Close()

	base, stop := serve(t, "--watch", "--inbox", inbox, "--outbox", outbox, "--listen", "127.0.0.1:0", "--quiet")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	login := pageOf(t, c, base+"login")
	resp, err := c.PostForm(base+"login", url.Values{"csrf": {csrfInPage.FindStringSubmatch(login)[1]},
		"login": {"jigou"}, "password": {"correct horse battery"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	form := pageOf(t, c, base+"upload")
	cm, tm := csrfInPage.FindStringSubmatch(form), tokenInPage.FindStringSubmatch(form)
	if cm == nil || tm == nil {
		t.Fatalf("no upload form:\n%s", form)
	}
	for i := 0; i < 2; i++ {
		body, ct := folderUpload(t, cm[1], tm[1], filepath.Join(samples, filepath.FromSlash(class.Dir)))
		resp, err := c.Post(base+"upload", ct, body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("upload %d: %v %v", i, resp.StatusCode, err)
		}
		resp.Body.Close()
	}
	var page string
	for i := 0; i < 900 && !strings.Contains(page, "已验收"); i++ { // bounded: at most 15 minutes on a loaded machine
		time.Sleep(time.Second)
		page = pageOf(t, c, base+"upload")
	}
	if !strings.Contains(page, "已验收："+class.Verdict.Chinese()) {
		t.Fatalf("the uploaded class was not judged %s:\n%s", class.Verdict.Chinese(), page)
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve --watch exit %d", code)
	}
	led, err = ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	defer led.Close()
	ups, _ := led.Uploads(ledger.Scope{All: true})
	cs, _ := led.ScopedClasses(ledger.Scope{All: true}, time.Now(), time.UTC, 0.8)
	if len(ups) != 1 || len(cs) != 1 || len(cs[0].Versions) != 1 {
		t.Fatalf("%d uploads, %d classes (%v), want one upload judged once", len(ups), len(cs), cs)
	}
	if entries, _ := os.ReadDir(filepath.Join(inbox, inst)); len(entries) != 1 {
		t.Fatalf("inbox holds %d folders of %s, want 1", len(entries), inst)
	}
}
