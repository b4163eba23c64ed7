package desk

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou/pipeline/store/ledger"
)

// classZip is a zip of a class folder with one incompressible photo of n
// bytes, generated.
func classZip(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range classFiles("第4期") {
		w, _ := zw.Create(f.name)
		w.Write([]byte(f.body))
	}
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "第4期/照片/第二天.jpg", Method: zip.Store})
	r := rand.New(rand.NewPCG(1, 2))
	photo := make([]byte, n)
	for i := range photo {
		photo[i] = byte(r.Uint32())
	}
	w.Write(photo)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// resumeClient sends a resumable upload's requests as the upload page's
// script does.
type resumeClient struct {
	t    *testing.T
	f    *fixture
	c    *http.Client
	csrf string
}

func (rc resumeClient) do(req *http.Request) (int, resumeState) {
	rc.t.Helper()
	if rc.csrf != "" {
		req.Header.Set("X-CSRF-Token", rc.csrf)
	}
	resp, err := rc.c.Do(req)
	if err != nil {
		rc.t.Fatal(err)
	}
	defer resp.Body.Close()
	var st resumeState
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		rc.t.Fatalf("%s %s: %d, not JSON: %v", req.Method, req.URL.Path, resp.StatusCode, err)
	}
	return resp.StatusCode, st
}

func (rc resumeClient) start(token, name string, size int, sum string) (int, resumeState) {
	form := url.Values{"token": {token}, "name": {name}, "size": {fmt.Sprint(size)}, "sha256": {sum}}
	req, _ := http.NewRequest("POST", rc.f.srv.URL+"/upload/resume", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return rc.do(req)
}

// put sends body as the chunk a..b of size bytes (body may be shorter: a
// connection broken on the way).
func (rc resumeClient) put(token string, a, b, size int, body []byte) (int, resumeState) {
	req, _ := http.NewRequest("PUT", rc.f.srv.URL+"/upload/resume/"+token, bytes.NewReader(body))
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", a, b, size))
	return rc.do(req)
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestResumableUpload: a zip sent in chunks, broken on the way and resumed
// after a reload from the bytes the desk holds, lands in the inbox once, as
// the same bytes; a chunk at the wrong offset, another institution's
// requests, a different file under the same token and bytes that do not
// match their SHA-256 are refused, and nothing of them lands.
func TestResumableUpload(t *testing.T) {
	inbox := t.TempDir()
	f := newFixture(t, Options{Inbox: inbox, MaxUploadBytes: 1 << 20})
	c := f.session(t, "hongda")
	cs, tok := uploadForm(t, f, c)
	up := resumeClient{t, f, c, cs}
	data := classZip(t, 300<<10)
	n, sum := len(data), hexSum(data)
	expect := func(step string, code int, st resumeState, wantCode int, wantOffset int) {
		t.Helper()
		if code != wantCode || st.Offset != int64(wantOffset) {
			t.Fatalf("%s: %d %+v, want %d at offset %d", step, code, st, wantCode, wantOffset)
		}
	}
	code, st := up.start(tok, "第4期.zip", n, sum)
	expect("declared", code, st, 200, 0)
	code, st = up.put(tok, 0, 99999, n, data[:100000])
	expect("first chunk", code, st, 200, 100000)
	code, st = up.put(tok, 0, 99999, n, data[:100000])
	expect("the first chunk again", code, st, http.StatusConflict, 100000)
	code, st = up.put(tok, 100000, 199999, n, data[100000:130000])
	expect("broken on the way", code, st, http.StatusBadRequest, 130000)

	other := f.session(t, "nongshang")
	ocs, _ := uploadForm(t, f, other)
	theirs := resumeClient{t, f, other, ocs}
	if code, st := theirs.put(tok, 130000, 139999, n, data[130000:140000]); code != http.StatusNotFound || st.Offset != 0 {
		t.Fatalf("another institution's chunk: %d %+v", code, st)
	}
	if code, st := theirs.start(tok, "第4期.zip", n, sum); code == http.StatusOK || st.Offset != 0 {
		t.Fatalf("another institution asks how far it got: %d %+v", code, st)
	}
	if code, _ := (resumeClient{t, f, c, ""}).put(tok, 130000, 139999, n, data[130000:140000]); code != http.StatusForbidden {
		t.Fatalf("a chunk without the page's token: %d", code)
	}
	wang := f.session(t, "wang")
	_, queue := get(t, wang, f.srv.URL+"/")
	wcs := csrf(t, queue)
	if code, _ := (resumeClient{t, f, wang, wcs}).start(randomToken(), "第4期.zip", n, sum); code != http.StatusForbidden {
		t.Fatalf("the office's upload: %d", code)
	}
	if code, _ := up.start(tok, "第5期.zip", n, sum); code != http.StatusConflict {
		t.Fatalf("another file under the same token: %d", code)
	}

	// The page is reloaded: it asks again with the token it kept.
	code, st = up.start(tok, "第4期.zip", n, sum)
	expect("after the reload", code, st, 200, 130000)
	for a := int(st.Offset); a < n; a += 64 << 10 {
		b := min(a+64<<10, n) - 1
		code, st = up.put(tok, a, b, n, data[a:b+1])
		if code != 200 || st.Offset != int64(b+1) || st.Done != (b+1 == n) {
			t.Fatalf("chunk %d-%d: %d %+v", a, b, code, st)
		}
	}
	got, err := os.ReadFile(filepath.Join(inbox, hongda, "第4期.zip"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the zip landed (%v) is not the bytes sent: %d of %d", err, len(got), n)
	}
	if code, st := up.start(tok, "第4期.zip", n, sum); code != 200 || !st.Done {
		t.Fatalf("the same upload declared again after it landed: %d %+v", code, st)
	}
	ups, _ := f.ledger.Uploads(ledger.Scope{All: true})
	if len(ups) != 1 || ups[0].Bytes != int64(n) || ups[0].Name != "第4期.zip" || ups[0].Institution != hongda {
		t.Fatalf("uploads recorded: %+v", ups)
	}

	// Bytes that do not match their SHA-256 are dropped at the end.
	bad := randomToken()
	if code, _ := up.start(bad, "第6期.zip", n, hexSum(data[1:])); code != 200 {
		t.Fatalf("declared: %d", code)
	}
	if code, st := up.put(bad, 0, n-1, n, data); code != http.StatusUnprocessableEntity || !strings.Contains(st.Error, "第6期.zip") || !strings.Contains(st.Error, "SHA-256") {
		t.Fatalf("mismatched bytes: %d %+v", code, st)
	}
	refused := []struct {
		name       string
		file       string
		size       int
		sum        string
		code       int
		say        string
		rangeOf    string
		chunkBytes int
	}{
		{"not a zip", "第7期.rar", n, sum, http.StatusBadRequest, "不是 zip", "", 0},
		{"too large", "第7期.zip", 2 << 20, sum, http.StatusRequestEntityTooLarge, "超过上限", "", 0},
		{"no checksum", "第7期.zip", n, "", http.StatusBadRequest, "SHA-256", "", 0},
		{"a path", "../../第7期.zip", n, sum, http.StatusBadRequest, "上级文件夹", "", 0},
	}
	for _, tt := range refused {
		if code, st := up.start(randomToken(), tt.file, tt.size, tt.sum); code != tt.code || !strings.Contains(st.Error, tt.say) {
			t.Errorf("%s: %d %+v, want %d saying %q", tt.name, code, st, tt.code, tt.say)
		}
	}
	ranged := randomToken()
	up.start(ranged, "第8期.zip", n, sum)
	for _, h := range []string{"", "bytes 0-10", fmt.Sprintf("bytes 0-%d/%d", MaxChunkBytes, n), fmt.Sprintf("bytes 0-10/%d", n+1), "bytes 5-1/100"} {
		req, _ := http.NewRequest("PUT", f.srv.URL+"/upload/resume/"+ranged, bytes.NewReader(data[:11]))
		if h != "" {
			req.Header.Set("Content-Range", h)
		}
		if code, _ := up.do(req); code != http.StatusBadRequest {
			t.Errorf("Content-Range %q: %d", h, code)
		}
	}
	var landed []string
	for _, p := range tree(t, inbox) {
		if !strings.HasPrefix(p, StagingDirName+"/") {
			landed = append(landed, p)
		}
	}
	if len(landed) != 1 {
		t.Fatalf("the inbox holds more than the one upload: %v", landed)
	}
	if _, err := os.Stat(filepath.Join(inbox, StagingDirName, resumePrefix+bad)); !os.IsNotExist(err) {
		t.Fatalf("the mismatched bytes are kept: %v", err)
	}
}
