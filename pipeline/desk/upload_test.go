package desk

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// upFile is one file part of an upload, its name exactly as a client sends it.
type upFile struct {
	field, name, body string
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// uploadBody is a multipart upload form: the fields in order, then the files.
func uploadBody(t testing.TB, fields [][2]string, files []upFile) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, f.field, quoteEscaper.Replace(f.name)))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

var tokenField = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

// uploadForm is the upload page's CSRF and upload tokens for c.
func uploadForm(t testing.TB, f *fixture, c *http.Client) (csrfTok, token string) {
	t.Helper()
	resp, body := get(t, c, f.srv.URL+"/upload")
	m := tokenField.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("upload page: %d, no token field\n%.600s", resp.StatusCode, body)
	}
	return csrf(t, body), m[1]
}

func sendUpload(t testing.TB, f *fixture, c *http.Client, fields [][2]string, files []upFile) (*http.Response, string) {
	t.Helper()
	b, ct := uploadBody(t, fields, files)
	req, _ := http.NewRequest("POST", f.srv.URL+"/upload", b)
	req.Header.Set("Content-Type", ct)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// tree lists the files under dir, relative, with /.
func tree(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

const hongda = "商水县宏达职业培训学校"

func classFiles(top string) []upFile {
	return []upFile{
		{"files", top + "/培训信息表.xlsx", "sheet"},
		{"files", top + "/照片/第一天.jpg", "jpeg"},
	}
}

// TestUpload: a folder and a zip land in the inbox under the account's own
// institution (whatever the form says), whole, with the completion marker;
// the same token twice lands once; a new upload of the same name lands beside
// it; the page shows them queued, then judged.
func TestUpload(t *testing.T) {
	inbox := t.TempDir()
	f := newFixture(t, Options{Inbox: inbox})
	c := f.session(t, "hongda")
	cs, tok := uploadForm(t, f, c)
	others := [][2]string{{"institution", "周口市农商电子商务培训中心"}, {"class", "not-mine"}}
	fields := append([][2]string{{"csrf", cs}, {"token", tok}}, others...)
	for i := 0; i < 2; i++ { // the second is a browser's retry of the same form
		if resp, body := sendUpload(t, f, c, fields, classFiles("第3期")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %d: %d\n%.600s", i, resp.StatusCode, body)
		}
	}
	want := []string{hongda + "/第3期/培训信息表.xlsx", hongda + "/第3期/提交完成.txt", hongda + "/第3期/照片/第一天.jpg"}
	if got := tree(t, inbox); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("inbox after the upload and its retry:\n%v\nwant %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(inbox, hongda, "第3期", "照片", "第一天.jpg")); string(b) != "jpeg" {
		t.Fatalf("photo content %q", b)
	}
	// A new form (a resubmission) of the same folder name lands beside it.
	cs, tok = uploadForm(t, f, c)
	if resp, body := sendUpload(t, f, c, [][2]string{{"csrf", cs}, {"token", tok}}, classFiles("第3期")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmission: %d\n%.600s", resp.StatusCode, body)
	}
	if _, err := os.Stat(filepath.Join(inbox, hongda, "第3期（2）", "培训信息表.xlsx")); err != nil {
		t.Fatalf("the resubmission did not land beside the first: %v", tree(t, inbox))
	}
	cs, tok = uploadForm(t, f, c)
	if resp, body := sendUpload(t, f, c, [][2]string{{"csrf", cs}, {"token", tok}}, []upFile{{"zip", `C:fake\第4期.zip`, "PK"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a zip named with a drive: %d\n%.300s", resp.StatusCode, body)
	}
	if resp, body := sendUpload(t, f, c, [][2]string{{"csrf", cs}, {"token", tok}}, []upFile{{"zip", "第4期.zip", "PK\x03\x04"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("zip upload: %d\n%.600s", resp.StatusCode, body)
	}
	if b, err := os.ReadFile(filepath.Join(inbox, hongda, "第4期.zip")); err != nil || string(b) != "PK\x03\x04" {
		t.Fatalf("zip not landed: %v %q", err, b)
	}
	if left := tree(t, filepath.Join(inbox, StagingDirName)); len(left) != 0 {
		t.Fatalf("staging left %v", left)
	}
	_, page := get(t, c, f.srv.URL+"/upload")
	if n := strings.Count(page, "已上传，排队中"); n != 3 {
		t.Fatalf("%d uploads shown queued, want 3\n%s", n, page)
	}
	// The intake claims and judges the first: its verdict and class show.
	ci := &yanshou.ClassInfo{Institution: hongda, Class: "第3期-上传", Start: yanshou.Date{Time: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}}
	ci.End = ci.Start
	v, err := f.ledger.Claim(ledger.SubmissionID(ci, ""), ci, "upload-h1", filepath.Join(inbox, hongda, "第3期"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, page = get(t, c, f.srv.URL+"/upload"); !strings.Contains(page, "验收中") {
		t.Fatalf("claimed upload not shown 验收中\n%s", page)
	}
	if err := f.ledger.Complete(v, &yanshou.Result{Submission: &yanshou.Submission{}, Verdict: yanshou.Fail}, "out", "{}", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, page = get(t, c, f.srv.URL+"/upload"); !strings.Contains(page, "已验收：不合格") || !strings.Contains(page, "/class/"+v.SubmissionID) {
		t.Fatalf("judged upload not shown with its verdict\n%s", page)
	}
	// Another institution sees none of it.
	if _, page = get(t, f.session(t, "nongshang"), f.srv.URL+"/upload"); strings.Contains(page, "第3期") {
		t.Fatalf("another institution sees 宏达's uploads\n%s", page)
	}
	// The office sees every upload but has no form.
	if _, page = get(t, f.session(t, "wang"), f.srv.URL+"/upload"); !strings.Contains(page, "第4期.zip") || strings.Contains(page, `name="token"`) {
		t.Fatalf("the office's upload page\n%s", page)
	}
}

// TestUploadRefused: path tricks in the names, a body over the limit, a
// missing or wrong CSRF token, the office's account and a desk without an
// inbox are refused with a Chinese message, and nothing lands in the inbox.
func TestUploadRefused(t *testing.T) {
	inbox := t.TempDir()
	f := newFixture(t, Options{Inbox: inbox, MaxUploadBytes: 64 << 10})
	c := f.session(t, "hongda")
	long := strings.Repeat("长", 400)
	tests := []struct {
		name  string
		files []upFile
		csrf  string // "" the page's; "-" none
		code  int
		say   string
	}{
		{"parent", []upFile{{"files", "第3期/../../etc/passwd", "x"}}, "", 400, "上级文件夹"},
		{"parent backslash", []upFile{{"files", `第3期\..\..\x.txt`, "x"}}, "", 400, "上级文件夹"},
		{"absolute", []upFile{{"files", "/etc/cron.d/x", "x"}}, "", 400, "绝对路径"},
		{"drive", []upFile{{"files", `C:\Windows\x.txt`, "x"}}, "", 400, "绝对路径"},
		{"UNC", []upFile{{"files", `\\server\share\x.txt`, "x"}}, "", 400, "绝对路径"},
		{"NUL", []upFile{{"files", "第3期/a\x00.xlsx", "x"}}, "", 400, "无法读取"},
		{"only dots", []upFile{{"files", "第3期/...", "x"}}, "", 400, "不能用作文件名"},
		{"very long", []upFile{{"files", "第3期/" + long + ".jpg", "x"}}, "", 400, "过长"},
		{"deep", []upFile{{"files", strings.Repeat("a/", 12) + "x.jpg", "x"}}, "", 400, "过深"},
		{"not a zip", []upFile{{"zip", "第3期.rar", "x"}}, "", 400, "不是 zip"},
		{"zip and folder", []upFile{{"zip", "第3期.zip", "x"}, {"files", "第3期/a.jpg", "x"}}, "", 400, "一次只能上传"},
		{"nothing", nil, "", 400, "没有选择"},
		{"too large", []upFile{{"files", "第3期/big.jpg", strings.Repeat("x", 80<<10)}}, "", 413, "超过上限 64 KB"},
		{"no csrf", classFiles("第3期"), "-", 403, "表单已失效"},
		{"wrong csrf", classFiles("第3期"), "0123456789abcdef0123456789abcdef", 403, "表单已失效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, tok := uploadForm(t, f, c)
			fields := [][2]string{{"token", tok}}
			switch tt.csrf {
			case "":
				fields = append(fields, [2]string{"csrf", cs})
			case "-":
			default:
				fields = append(fields, [2]string{"csrf", tt.csrf})
			}
			resp, body := sendUpload(t, f, c, fields, tt.files)
			if resp.StatusCode != tt.code || !strings.Contains(body, tt.say) {
				t.Fatalf("%d, want %d with %q\n%.800s", resp.StatusCode, tt.code, tt.say, body)
			}
			if got := tree(t, inbox); len(got) != 0 {
				t.Fatalf("landed %v", got)
			}
			// the refused token is not used up: the corrected upload is taken
			if seen, _ := f.ledger.UploadSeen(tok); seen {
				t.Fatal("a refused upload's token was recorded")
			}
		})
	}
	// Windows device names and long names become safe names, not refusals.
	cs, tok := uploadForm(t, f, c)
	files := []upFile{{"files", "第3期/CON.txt", "x"}, {"files", "第3期/" + strings.Repeat("名", 90) + ".jpg", "y"}}
	if resp, body := sendUpload(t, f, c, [][2]string{{"csrf", cs}, {"token", tok}}, files); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("device name upload: %d\n%.600s", resp.StatusCode, body)
	}
	got := strings.Join(tree(t, inbox), "|")
	if !strings.Contains(got, "第3期/CON_.txt") || !strings.Contains(got, "第3期/"+strings.Repeat("名", maxNameRunes)+"|") {
		t.Fatalf("device and long names landed as %s", got)
	}
	for _, who := range []string{"wang", "li"} {
		s := f.session(t, who)
		_, page := get(t, s, f.srv.URL+"/upload")
		resp, body := sendUpload(t, f, s, [][2]string{{"csrf", csrf(t, page)}, {"token", strings.Repeat("a", 32)}}, classFiles("第9期"))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "只有培训机构账号") {
			t.Fatalf("%s's upload: %d\n%.300s", who, resp.StatusCode, body)
		}
	}
	g := newFixture(t, Options{})
	gc := g.session(t, "hongda")
	_, page := get(t, gc, g.srv.URL+"/upload")
	if !strings.Contains(page, "没有设置收件目录") {
		t.Fatalf("a desk without an inbox offers uploads\n%s", page)
	}
	resp, _ := sendUpload(t, g, gc, [][2]string{{"csrf", csrf(t, page)}, {"token", strings.Repeat("a", 32)}}, classFiles("第9期"))
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("upload to a desk without an inbox: %d", resp.StatusCode)
	}
}

// slowReader gives its bytes a few at a time, pausing between reads.
type slowReader struct {
	r     io.Reader
	pause time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	time.Sleep(s.pause)
	if len(p) > 512 {
		p = p[:512]
	}
	return s.r.Read(p)
}

// TestUploadSlowLine: an upload that takes longer to arrive than the server's
// read timeout (as on a town's slow line) is still taken whole.
func TestUploadSlowLine(t *testing.T) {
	inbox := t.TempDir()
	f := newFixture(t, Options{Inbox: inbox})
	f.srv.Config.ReadTimeout = 300 * time.Millisecond
	f.srv.Config.WriteTimeout = 300 * time.Millisecond
	c := f.session(t, "hongda")
	cs, tok := uploadForm(t, f, c)
	b, ct := uploadBody(t, [][2]string{{"csrf", cs}, {"token", tok}}, []upFile{{"files", "第6期/照片.jpg", strings.Repeat("z", 8<<10)}})
	req, _ := http.NewRequest("POST", f.srv.URL+"/upload", &slowReader{r: b, pause: 60 * time.Millisecond}) // ≥ 1 s in all
	req.Header.Set("Content-Type", ct)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("slow upload: %d", resp.StatusCode)
	}
	if got, _ := os.ReadFile(filepath.Join(inbox, hongda, "第6期", "照片.jpg")); len(got) != 8<<10 {
		t.Fatalf("slow upload landed %d bytes", len(got))
	}
}
