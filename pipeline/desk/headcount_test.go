package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// passedWithSessions is a passed class of the demo whose sign-ins were read
// by session.
func passedWithSessions(t *testing.T, f *fixture) *yanshou.ClassRecord {
	t.Helper()
	for _, c := range f.classes(t) {
		v := c.Latest()
		if v.Verdict == yanshou.Pass && v.Facts != nil && len(v.Facts.Headcount.SessionSignIns) > 1 && v.Facts.Headcount.SessionSignIns[0].SignedIn > 10 {
			return &c
		}
	}
	t.Fatal("the demo has no passed class with sessions")
	return nil
}

// TestHeadcountDesk: after a class was judged, the reviewer records that
// fewer people were present at a session than signed in; the class page and
// the queue show the final verdict 不合格 with the finding and its evidence,
// the confirmation follows the final verdict, and a corrected count brings
// the pass back (the confirmation of the other verdict no longer stands).
// Refused records (an institution, no token, a session not offered, not a
// number) record nothing.
func TestHeadcountDesk(t *testing.T) {
	f := newFixture(t, Options{})
	c := passedWithSessions(t, f)
	first := c.Latest().Facts.Headcount.SessionSignIns[0]
	u := fmt.Sprintf("%s/class/%s/v/%d/headcount", f.srv.URL, c.ID, c.Latest().Version)
	wang, inst := f.session(t, "wang"), f.session(t, "hongda")
	if c.Institution != accounts[2].Institution {
		inst = f.session(t, "nongshang")
	}
	_, own := get(t, inst, f.srv.URL+"/class/"+c.ID)
	if strings.Contains(own, `id="count"`) {
		t.Error("the institution's page offers to record a headcount")
	}
	_, page := get(t, wang, f.srv.URL+"/class/"+c.ID)
	if miss := contains(page, `id="headcounts"`, `id="count"`, "<option>"+first.Session+"</option>", strconv.Itoa(first.SignedIn)+" 人"); miss != "" {
		t.Fatalf("the reviewer's page lacks %q", miss)
	}
	token := csrf(t, page)
	short := strconv.Itoa(first.SignedIn - 10)
	refused := []struct {
		name   string
		c      *http.Client
		form   url.Values
		status int
		says   string
	}{
		{"the institution", inst, url.Values{"csrf": {csrf(t, own)}, "session": {first.Session}, "present": {short}}, http.StatusForbidden, "无权"},
		{"no token", wang, url.Values{"session": {first.Session}, "present": {short}}, http.StatusForbidden, "表单已失效"},
		{"a session not offered", wang, url.Values{"csrf": {token}, "session": {"2099-01-01 上午"}, "present": {short}}, http.StatusBadRequest, "请从列表中选择场次"},
		{"not a number", wang, url.Values{"csrf": {token}, "session": {first.Session}, "present": {"四十"}}, http.StatusBadRequest, "整数"},
		{"a negative count", wang, url.Values{"csrf": {token}, "session": {first.Session}, "present": {"-3"}}, http.StatusBadRequest, "之间"},
	}
	for _, tt := range refused {
		resp, body := post(t, tt.c, u, tt.form)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d, want %d with %q\n%.300s", tt.name, resp.StatusCode, tt.status, tt.says, body)
		}
	}
	if hs, _ := f.ledger.Headcounts(ledger.Scope{All: true}, c.ID); len(hs) != 0 {
		t.Fatalf("refused headcounts were recorded: %+v", hs)
	}

	resp, body := post(t, wang, u, url.Values{"csrf": {token}, "session": {first.Session}, "present": {short}, "note": {"上午十点当场清点"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d\n%.300s", resp.StatusCode, body)
	}
	_, page = get(t, wang, f.srv.URL+resp.Header.Get("Location"))
	if miss := contains(page, `id="verdict">合格`, `id="final">不合格`, "签到人数与现场清点相符", "依据县电子商务办公室登记的实到人数",
		"现场清点实到 "+short+" 人，多出 10 人", "王敏（审核人）于", "上午十点当场清点", "签到多出 10 人", "登记记录（1 条）"); miss != "" {
		t.Errorf("the class page after the headcount lacks %q", miss)
	}
	if _, q := get(t, wang, f.srv.URL+"/"); !strings.Contains(q, "审核后结论 不合格") {
		t.Error("the queue does not show the final verdict the headcount makes")
	}
	if _, own = get(t, inst, f.srv.URL+"/class/"+c.ID); !strings.Contains(own, `id="final">不合格`) || !strings.Contains(own, "上午十点当场清点") {
		t.Error("the institution does not see the office's count and its verdict")
	}
	// the confirmation confirms the final verdict, not the program's
	cu := fmt.Sprintf("%s/class/%s/v/%d/confirm", f.srv.URL, c.ID, c.Latest().Version)
	if resp, body := post(t, wang, cu, url.Values{"csrf": {token}, "reason": {"现场清点人数少于签到"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%.300s", resp.StatusCode, body)
	}
	if _, page = get(t, wang, f.srv.URL+"/class/"+c.ID); !strings.Contains(page, "已确认：不合格（王敏") {
		t.Error("the confirmation is not of the final verdict 不合格")
	}
	// a recount that fits: the pass is back and awaits confirming again
	resp, _ = post(t, wang, u, url.Values{"csrf": {token}, "session": {first.Session}, "present": {strconv.Itoa(first.SignedIn)}, "note": {"复核后更正"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recount: %d", resp.StatusCode)
	}
	_, page = get(t, wang, f.srv.URL+"/class/"+c.ID)
	if strings.Contains(page, `id="final"`) || strings.Contains(page, "已确认：不合格") || !strings.Contains(page, `id="confirm"`) || !strings.Contains(page, "登记记录（2 条）") {
		t.Errorf("after the recount the page still shows the fail, or its confirmation, or no second record")
	}
}
