package desk

import (
	"archive/zip"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"yanshou/pipeline/output/blank"
)

// zipNames opens a zip body and returns its entries' names and first bytes.
func zipNames(t *testing.T, body string) map[string]string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 5)
		n, _ := rc.Read(head)
		rc.Close()
		out[f.Name] = string(head[:n])
	}
	return out
}

// TestDownloads: every user gets the blank templates yanshou template writes,
// one by one or in a zip; an institution gets the printable sign-in sheets of
// its own judged classes (one PDF per day and session) and of no other.
func TestDownloads(t *testing.T) {
	f := newFixture(t, Options{})
	dir := t.TempDir()
	written, err := blank.Write(dir, f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range written {
		want = append(want, filepath.Base(p))
	}
	sort.Strings(want)
	hongdaS := f.session(t, "hongda")
	_, page := get(t, hongdaS, f.srv.URL+"/downloads")
	if miss := contains(page, append(want, "/downloads/blank.zip", "signin-sheets.zip")...); miss != "" {
		t.Errorf("the downloads page lacks %q", miss)
	}
	resp, one := get(t, hongdaS, f.srv.URL+"/downloads/blank/0")
	if resp.StatusCode != 200 || !strings.HasPrefix(one, "PK\x03\x04") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("one template: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	_, all := get(t, hongdaS, f.srv.URL+"/downloads/blank.zip")
	var got []string
	for n, head := range zipNames(t, all) {
		got = append(got, n)
		if !strings.HasPrefix(head, "PK") {
			t.Errorf("%s is not a workbook", n)
		}
	}
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("zip holds %v, yanshou template writes %v", got, want)
	}
	if resp, _ := get(t, hongdaS, f.srv.URL+fmt.Sprintf("/downloads/blank/%d", len(want))); resp.StatusCode != http.StatusNotFound {
		t.Errorf("past the last template: %d", resp.StatusCode)
	}

	own := classOf(t, f, hongda, "第1期")
	days := int(own.End.Sub(own.Start.Time).Hours()/24) + 1
	tests := []struct {
		name, query string
		code        int
		sheets      []string // names the zip must hold
		say         string
	}{
		{"default sessions", "", 200, []string{"签到表-" + own.Start.String() + "-上午.pdf", "签到表-" + own.End.String() + "-下午.pdf"}, ""},
		{"one session a day", "?sessions=全天", 200, []string{"签到表-" + own.Start.String() + "-全天.pdf"}, ""},
		{"a path for a session", "?sessions=" + "..%2F..%2Fx", 400, nil, "只能由汉字、字母和数字组成"},
		{"too many sessions", "?sessions=a,b,c,d,e", 400, nil, "1 至 4 个"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, hongdaS, f.srv.URL+"/class/"+own.ID+"/signin-sheets.zip"+tt.query)
			if resp.StatusCode != tt.code || !strings.Contains(body, tt.say) {
				t.Fatalf("%d, want %d (%q)", resp.StatusCode, tt.code, tt.say)
			}
			if tt.code != 200 {
				return
			}
			names := zipNames(t, body)
			per := 2
			if tt.query != "" {
				per = 1
			}
			if len(names) != days*per {
				t.Errorf("%d sheets, want %d days × %d", len(names), days, per)
			}
			for _, n := range tt.sheets {
				if head, ok := names[n]; !ok || head != "%PDF-" {
					t.Errorf("no PDF %s among %v", n, names)
				}
			}
		})
	}
	other := classOf(t, f, nongshang, "第1期")
	if resp, body := get(t, hongdaS, f.srv.URL+"/class/"+other.ID+"/signin-sheets.zip"); resp.StatusCode != http.StatusNotFound || leaked(body) {
		t.Errorf("another institution's sheets: %d", resp.StatusCode)
	}
	// no temporary folder is left behind
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "yanshou-signin-*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
