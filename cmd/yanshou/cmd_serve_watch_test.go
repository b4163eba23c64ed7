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
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
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

// fetchPage is a page's body, or why it could not be had (status other than 200).
func fetchPage(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return string(b), err
}

// loginClient is a logged-in browser without JavaScript on the desk at base.
func loginClient(t *testing.T, base, login, pw string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page := pageOf(t, c, base+"login")
	resp, err := c.PostForm(base+"login", url.Values{"csrf": {csrfInPage.FindStringSubmatch(page)[1]}, "login": {login}, "password": {pw}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login %s: %v %v", login, resp.StatusCode, err)
	}
	resp.Body.Close()
	return c
}

// deskLoad is the size of the desk's load test: institutions uploading
// classes each at once while reviewers browse.
type deskLoad struct{ institutions, classes, reviewers int }

// deskLoadSize reads YANSHOU_DESK_LOAD ("20x50x5": institutions × classes each
// × reviewers, make bench); unset, the test is small and uploads the sample's
// classes (every institution of the sample, all its classes, 2 reviewers).
func deskLoadSize(t *testing.T) (deskLoad, bool) {
	v := os.Getenv("YANSHOU_DESK_LOAD")
	if v == "" {
		return deskLoad{reviewers: 2}, false
	}
	var l deskLoad
	if _, err := fmt.Sscanf(v, "%dx%dx%d", &l.institutions, &l.classes, &l.reviewers); err != nil || l.institutions < 1 || l.classes < 1 || l.reviewers < 1 {
		t.Fatalf("YANSHOU_DESK_LOAD=%q: want institutions×classes×reviewers, e.g. 20x50x5", v)
	}
	return l, true
}

// synthInstitution is the institution of the load test's k-th synthesised
// institution (synth writes its manifest).
func synthInstitution(k int) string { return fmt.Sprintf("商水县测试职业培训学校%02d", k) }

// quietPages times the queue, the upload list and a class page fetched one
// after another by c alone (ten each): their medians, as a line.
func quietPages(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	queue := pageOf(t, c, base)
	m := regexp.MustCompile(`href="/class/([0-9A-Z]+)"`).FindStringSubmatch(queue)
	if m == nil {
		t.Fatalf("no class on the queue:\n%.2000s", queue)
	}
	var out []string
	for _, p := range []struct{ name, path string }{{"queue", ""}, {"uploads", "upload"}, {"class", "class/" + m[1]}} {
		var ds []time.Duration
		for range 10 {
			start := time.Now()
			if _, err := fetchPage(c, base+p.path); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		out = append(out, fmt.Sprintf("%s p50 %v", p.name, ds[len(ds)/2].Round(time.Millisecond/10)))
	}
	return strings.Join(out, ", ")
}

// TestServeLoad is the desk's load test: every institution uploads all its
// classes at once through its own account while reviewers browse the queue and
// the class pages; every class is judged exactly once and every upload shows
// its verdict. The page times are reported (p50, p95, max), not asserted.
// make test runs it small (the sample's institutions and classes, 2
// reviewers); make bench at full size with YANSHOU_DESK_LOAD=20x50x5 (20
// institutions × 50 small synthesised classes, 5 reviewers).
func TestServeLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	size, full := deskLoadSize(t)
	dir := t.TempDir()
	inbox, outbox, samples := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox"), filepath.Join(dir, "sample")
	os.MkdirAll(inbox, 0o755)
	byInst := map[string][]string{}
	if full {
		for i := range size.institutions {
			for c := range size.classes {
				n := i*size.classes + c
				d := filepath.Join(samples, fmt.Sprintf("机构%02d", i), fmt.Sprintf("第%d期", c+1))
				synthClass(t, d, synthInstitution(i), n, c+1)
				byInst[synthInstitution(i)] = append(byInst[synthInstitution(i)], d)
			}
		}
	} else {
		cases, err := sample.Write(samples, 2026, config.Default())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			inst := strings.Split(c.Dir, "/")[0]
			byInst[inst] = append(byInst[inst], filepath.Join(samples, filepath.FromSlash(c.Dir)))
		}
	}
	total := 0
	for _, dirs := range byInst {
		total += len(dirs)
	}
	led, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	cheapKDF := ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}
	const pw = "correct horse battery"
	logins := map[string]string{}
	i := 0
	for inst := range byInst {
		i++
		logins[inst] = fmt.Sprintf("jigou%d", i)
		if err := led.AddUser(ledger.User{Login: logins[inst], Role: ledger.RoleInstitution, Institution: inst}, pw, cheapKDF, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var reviewers []string
	for r := range size.reviewers {
		reviewers = append(reviewers, fmt.Sprintf("shen%d", r+1))
		if err := led.AddUser(ledger.User{Login: reviewers[r], Role: ledger.RoleReviewer}, pw, cheapKDF, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	led.Close()
	base, stop := serve(t, "--watch", "--inbox", inbox, "--outbox", outbox, "--listen", "127.0.0.1:0", "--quiet")

	done := make(chan struct{})
	times := make(chan time.Duration, 1<<20)
	var browsers sync.WaitGroup
	for _, r := range reviewers {
		c := loginClient(t, base, r, pw)
		browsers.Add(1)
		go func() {
			defer browsers.Done()
			classLink := regexp.MustCompile(`href="/class/([0-9A-Z]+)"`)
			for {
				select {
				case <-done:
					return
				default:
				}
				start := time.Now()
				q, err := fetchPage(c, base)
				times <- time.Since(start)
				for _, m := range classLink.FindAllStringSubmatch(q, 3) {
					start = time.Now()
					if _, err = fetchPage(c, base+"class/"+m[1]); err != nil {
						break
					}
					times <- time.Since(start)
				}
				if err != nil {
					t.Error(err) // not Fatal: this is not the test's goroutine
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	begin := time.Now()
	var uploads sync.WaitGroup
	errs := make(chan error, total)
	for inst, dirs := range byInst {
		c := loginClient(t, base, logins[inst], pw)
		uploads.Add(1)
		go func() { // one institution uploads its classes one after another, all institutions at once
			defer uploads.Done()
			for _, d := range dirs {
				form, err := fetchPage(c, base+"upload")
				cm, tm := csrfInPage.FindStringSubmatch(form), tokenInPage.FindStringSubmatch(form)
				if err != nil || cm == nil || tm == nil {
					errs <- fmt.Errorf("upload form of %s: %v", inst, err)
					return
				}
				body, ct := folderUpload(t, cm[1], tm[1], d)
				resp, err := c.Post(base+"upload", ct, body)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("upload %s: %d", d, resp.StatusCode)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	uploads.Wait()
	uploaded := time.Since(begin)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	judged := func() (int, error) {
		led, err := ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
		if err != nil {
			return 0, err
		}
		defer led.Close()
		ups, err := led.Uploads(ledger.Scope{All: true})
		n := 0
		for _, u := range ups {
			if u.Done {
				n++
			}
		}
		return n, err
	}
	n := 0
	for i := 0; i < 3600 && n < total; i++ { // bounded: an hour on a loaded machine
		time.Sleep(time.Second)
		if n, err = judged(); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(begin)
	close(done)
	browsers.Wait()
	if n != total {
		t.Fatalf("%d of %d uploads judged", n, total)
	}
	office := loginClient(t, base, reviewers[0], pw)
	if page := pageOf(t, office, base+"upload"); strings.Count(page, "已验收：") != total {
		t.Errorf("the upload page shows %d of %d uploads judged", strings.Count(page, "已验收："), total)
	}
	if prof := os.Getenv("YANSHOU_DESK_PROFILE"); prof != "" { // a CPU profile of the quiet pages below
		f, err := os.Create(prof)
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	t.Logf("DESKQUIET after the load, one reviewer alone: %s", quietPages(t, office, base))
	if code := stop(); code != exitOK {
		t.Fatalf("serve --watch exit %d", code)
	}
	close(times)
	var ds []time.Duration
	for d := range times {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
	if len(ds) > 0 {
		t.Logf("DESKLOAD %d institutions uploading %d classes at once (uploaded in %v, all judged in %v, %.2f classes/s), %d reviewers browsing: %d pages, p50 %v, p95 %v, max %v",
			len(byInst), total, uploaded.Round(time.Millisecond), took.Round(time.Millisecond), float64(total)/took.Seconds(),
			len(reviewers), len(ds), ds[len(ds)/2], ds[len(ds)*95/100], ds[len(ds)-1])
	}
	if keep := os.Getenv("YANSHOU_DESK_LOAD_KEEP"); keep != "" { // the judged outbox, for BenchmarkPagesLarge in pipeline/desk
		if err := os.CopyFS(keep, os.DirFS(outbox)); err != nil {
			t.Fatal(err)
		}
	}
	led, err = ledger.Open(filepath.Join(outbox, pipeline.StateDirName))
	if err != nil {
		t.Fatal(err)
	}
	defer led.Close()
	cs, _ := led.ScopedClasses(ledger.Scope{All: true}, time.Now(), time.UTC, 0.8)
	if len(cs) != total {
		t.Fatalf("%d classes in the ledger, want %d", len(cs), total)
	}
	for _, c := range cs {
		if len(c.Versions) != 1 {
			t.Errorf("%s %s judged %d times", c.Institution, c.Class, len(c.Versions))
		}
	}
}
