package desk

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// TestDecisions: a reviewer dismisses a finding with a reason and the page
// shows who, when, why and the verdict after it; refused decisions (no
// reason, no token, wrong role, another institution) record nothing; what the
// program found is kept as it was.
func TestDecisions(t *testing.T) {
	f := newFixture(t, Options{})
	var failed, vetoed *yanshou.ClassRecord
	for _, c := range f.classes(t) {
		rep := c.Latest().Report
		fails := 0
		for _, fd := range rep.Findings {
			if fd.Severity == yanshou.SevFail {
				fails++
			}
		}
		switch {
		case rep.Verdict == yanshou.Fail && fails == 1 && failed == nil:
			failed = &c
		case rep.Verdict == yanshou.Veto && vetoed == nil:
			vetoed = &c
		}
	}
	if failed == nil || vetoed == nil {
		t.Fatal("the demo has no class failed by one finding, or none vetoed")
	}
	k := -1
	for i, fd := range failed.Latest().Report.Findings {
		if fd.Severity == yanshou.SevFail {
			k = i
		}
	}
	fd := failed.Latest().Report.Findings[k]
	action := func(c *yanshou.ClassRecord, k int) string {
		return fmt.Sprintf("%s/class/%s/v/%d/finding/%d", f.srv.URL, c.ID, c.Latest().Version, k)
	}
	wang, hongda := f.session(t, "wang"), f.session(t, "hongda")
	_, page := get(t, wang, f.srv.URL+"/class/"+failed.ID)
	token := csrf(t, page)
	if !strings.Contains(page, `action="/class/`+failed.ID) {
		t.Fatal("the reviewer's page has no decision form")
	}
	if _, own := get(t, hongda, f.srv.URL+"/class/"+failed.ID); strings.Contains(own, "驳回此问题") {
		t.Error("an institution's page offers the decision forms")
	}
	const reason = "审核人到场核实，照片拍摄时间为相机时钟误差"
	refused := []struct {
		name   string
		c      *http.Client
		url    string
		form   url.Values
		status int
		says   string
	}{
		{"no reason", wang, action(failed, k), url.Values{"csrf": {token}, "rule": {fd.Rule}, "action": {"dismiss"}}, http.StatusBadRequest, "请写明理由"},
		{"no token", wang, action(failed, k), url.Values{"rule": {fd.Rule}, "action": {"dismiss"}, "reason": {reason}}, http.StatusForbidden, "表单已失效"},
		{"another finding than shown", wang, action(failed, k), url.Values{"csrf": {token}, "rule": {"no.such"}, "action": {"dismiss"}, "reason": {reason}}, http.StatusBadRequest, "请刷新页面"},
		{"an unknown action", wang, action(failed, k), url.Values{"csrf": {token}, "rule": {fd.Rule}, "action": {"delete"}, "reason": {reason}}, http.StatusBadRequest, "未知的审核决定"},
		{"a finding that is not there", wang, action(failed, 999), url.Values{"csrf": {token}, "rule": {fd.Rule}, "action": {"dismiss"}, "reason": {reason}}, http.StatusNotFound, ""},
		{"the institution itself", hongda, action(failed, k), nil, http.StatusForbidden, "无权"},
		{"a reviewer on a veto", wang, action(vetoed, firstVeto(vetoed)), nil, http.StatusForbidden, "只能由负责人驳回"},
	}
	for _, tt := range refused {
		form := tt.form
		if form == nil { // a well-formed form of the client's own page
			_, p := get(t, tt.c, f.srv.URL+"/class/"+failed.ID)
			rule := fd.Rule
			if strings.Contains(tt.url, vetoed.ID) {
				rule = vetoed.Latest().Report.Findings[firstVeto(vetoed)].Rule
			}
			form = url.Values{"csrf": {csrf(t, p)}, "rule": {rule}, "action": {"dismiss"}, "reason": {reason}}
		}
		resp, body := post(t, tt.c, tt.url, form)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d, want %d with %q\n%.300s", tt.name, resp.StatusCode, tt.status, tt.says, body)
		}
	}
	for _, c := range []*yanshou.ClassRecord{failed, vetoed} {
		if ds, _ := f.ledger.Decisions(ledger.Scope{All: true}, c.ID, c.Latest().Version); len(ds) != 0 {
			t.Fatalf("refused decisions were recorded: %+v", ds)
		}
	}

	resp, _ := post(t, wang, action(failed, k), url.Values{"csrf": {token}, "rule": {fd.Rule}, "action": {"dismiss"}, "reason": {reason}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: %d", resp.StatusCode)
	}
	_, page = get(t, wang, f.srv.URL+resp.Header.Get("Location"))
	if miss := contains(page, "<strong>已驳回</strong>（王敏，审核人，", template.HTMLEscapeString(reason), `id="final">合格`,
		"已审核：驳回 1 项，审核后结论 合格", "审核记录", "恢复此问题"); miss != "" {
		t.Errorf("the class page after the dismissal lacks %q", miss)
	}
	if _, queue := get(t, wang, f.srv.URL+"/"); !strings.Contains(queue, "已审核：驳回 1 项，审核后结论 合格") {
		t.Error("the queue does not show the review")
	}
	if _, own := get(t, hongda, f.srv.URL+"/class/"+failed.ID); !strings.Contains(own, template.HTMLEscapeString(reason)) {
		t.Error("the institution does not see why its finding was dismissed")
	}
	// the head dismisses the veto; the finding and the report stay as the program wrote them
	li := f.session(t, "li")
	_, p := get(t, li, f.srv.URL+"/class/"+vetoed.ID)
	kv := firstVeto(vetoed)
	resp, body := post(t, li, action(vetoed, kv), url.Values{"csrf": {csrf(t, p)}, "rule": {vetoed.Latest().Report.Findings[kv].Rule}, "action": {"dismiss"}, "reason": {"负责人复核：批复原件日期早于开班"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the head's dismissal: %d\n%.300s", resp.StatusCode, body)
	}
	for _, c := range []*yanshou.ClassRecord{failed, vetoed} {
		now, _ := f.ledger.Lookup(c.Latest().ContentHash)
		if now.Verdict != c.Latest().Verdict || len(now.ReportJSON) == 0 {
			t.Errorf("%s: the program's verdict changed to %s", c.Class, now.Verdict)
		}
	}
}

func firstVeto(c *yanshou.ClassRecord) int {
	for i, fd := range c.Latest().Report.Findings {
		if fd.Severity == yanshou.SevVeto {
			return i
		}
	}
	return -1
}

// TestConfirm: the reviewer confirms a class's verdict with a reason; the
// class page and the queue show who confirmed what; the institution sees it
// but has no form, and its POST is refused; a second confirmation is refused.
func TestConfirm(t *testing.T) {
	f := newFixture(t, Options{})
	var c *yanshou.ClassRecord
	for _, cl := range f.classes(t) {
		if cl.Latest().Verdict == yanshou.Fail && cl.Institution == hongda {
			c = &cl
			break
		}
	}
	if c == nil {
		t.Fatal("the demo has no failed class of " + hongda)
	}
	u := fmt.Sprintf("%s/class/%s/v/%d/confirm", f.srv.URL, c.ID, c.Latest().Version)
	wang, inst := f.session(t, "wang"), f.session(t, "hongda")
	_, own := get(t, inst, f.srv.URL+"/class/"+c.ID)
	if strings.Contains(own, `id="confirm"`) {
		t.Fatal("the institution's page offers to confirm")
	}
	if resp, _ := post(t, inst, u, url.Values{"csrf": {csrf(t, own)}, "reason": {"我们自己确认一下"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("the institution's confirmation: %d", resp.StatusCode)
	}
	_, page := get(t, wang, f.srv.URL+"/class/"+c.ID)
	if !strings.Contains(page, `id="confirm"`) {
		t.Fatal("the reviewer's page has no confirm form")
	}
	token := csrf(t, page)
	if resp, _ := post(t, wang, u, url.Values{"csrf": {token}, "reason": {"短"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("confirmation without a reason: %d", resp.StatusCode)
	}
	const reason = "材料齐全，整改要求已告知机构"
	if resp, body := post(t, wang, u, url.Values{"csrf": {token}, "reason": {reason}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmation: %d\n%.400s", resp.StatusCode, body)
	}
	_, page = get(t, wang, f.srv.URL+"/class/"+c.ID)
	if miss := contains(page, "已确认：不合格（王敏", reason, "确认结论"); miss != "" || strings.Contains(page, `id="confirm"`) {
		t.Fatalf("class page after the confirmation lacks %q (or still offers it)", miss)
	}
	if resp, _ := post(t, wang, u, url.Values{"csrf": {token}, "reason": {reason}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a second confirmation: %d", resp.StatusCode)
	}
	if _, q := get(t, wang, f.srv.URL+"/"); !strings.Contains(q, "已确认：不合格") {
		t.Fatal("the queue does not show the confirmation")
	}
	if _, own = get(t, inst, f.srv.URL+"/class/"+c.ID); !strings.Contains(own, reason) {
		t.Fatal("the institution does not see the confirmation's reason")
	}
}

// TestDowngradeDesk: the reviewer downgrades a class's only fail to a warning
// and the page shows it and the final verdict 合格; a reviewer's downgrade of
// a veto is refused, the head's makes it count as a fail; restoring brings the
// program's verdict back. The decisions record names the rule by its title.
func TestDowngradeDesk(t *testing.T) {
	f := newFixture(t, Options{})
	var failed, vetoed *yanshou.ClassRecord
	for _, c := range f.classes(t) {
		n := map[yanshou.Severity]int{}
		for _, fd := range c.Latest().Report.Findings {
			n[fd.Severity]++
		}
		switch {
		case c.Latest().Verdict == yanshou.Fail && n[yanshou.SevFail] == 1 && failed == nil:
			failed = &c
		case c.Latest().Verdict == yanshou.Veto && n[yanshou.SevVeto] == 1 && vetoed == nil:
			vetoed = &c
		}
	}
	if failed == nil || vetoed == nil {
		t.Fatal("the demo has no class failed by one finding, or none vetoed by one")
	}
	first := func(c *yanshou.ClassRecord, s yanshou.Severity) int {
		for i, fd := range c.Latest().Report.Findings {
			if fd.Severity == s {
				return i
			}
		}
		return -1
	}
	steps := []struct {
		who    string
		c      *yanshou.ClassRecord
		sev    yanshou.Severity
		action string
		status int
		says   []string // on the class page after the step
	}{
		{"wang", vetoed, yanshou.SevVeto, "downgrade", http.StatusForbidden, []string{"只能由负责人降级"}},
		{"wang", failed, yanshou.SevFail, "downgrade", http.StatusSeeOther,
			[]string{"<strong>已降级</strong>（王敏，审核人，", "按提示计", `id="final">合格`, "降级 1 项", "恢复此问题"}},
		{"wang", failed, yanshou.SevFail, "dismiss", http.StatusBadRequest, []string{"请先恢复"}},
		{"li", vetoed, yanshou.SevVeto, "downgrade", http.StatusSeeOther, []string{"按不合格计", `id="final">不合格`, "（李主任，负责人，"}},
		{"wang", failed, yanshou.SevFail, "restore", http.StatusSeeOther, []string{"<strong>已恢复</strong>", "驳回或降级此问题"}},
	}
	for i, s := range steps {
		c := f.session(t, s.who)
		k := first(s.c, s.sev)
		_, page := get(t, c, f.srv.URL+"/class/"+s.c.ID)
		u := fmt.Sprintf("%s/class/%s/v/%d/finding/%d", f.srv.URL, s.c.ID, s.c.Latest().Version, k)
		resp, body := post(t, c, u, url.Values{"csrf": {csrf(t, page)}, "rule": {s.c.Latest().Report.Findings[k].Rule},
			"action": {s.action}, "reason": {"审核人到场核实后的决定"}})
		if resp.StatusCode != s.status {
			t.Fatalf("step %d (%s %s): %d, want %d\n%.300s", i, s.who, s.action, resp.StatusCode, s.status, body)
		}
		if resp.StatusCode == http.StatusSeeOther {
			_, body = get(t, c, f.srv.URL+"/class/"+s.c.ID)
		}
		if miss := contains(body, s.says...); miss != "" {
			t.Errorf("step %d (%s %s): the page lacks %q", i, s.who, s.action, miss)
		}
	}
	_, page := get(t, f.session(t, "wang"), f.srv.URL+"/class/"+failed.ID)
	fd := failed.Latest().Report.Findings[first(failed, yanshou.SevFail)]
	if !strings.Contains(page, "<td>降级</td>") || !strings.Contains(page, "<td>恢复</td>") || !strings.Contains(page, "<strong>"+template.HTMLEscapeString(fd.Name())+"</strong>") {
		t.Errorf("the decisions record does not name the actions in Chinese or the rule %q by its title", fd.Name())
	}
	if ds, _ := f.ledger.Decisions(ledger.Scope{All: true}, failed.ID, failed.Latest().Version); ledger.FinalVerdict(failed.Latest().Report, ds) != yanshou.Fail {
		t.Error("the restored fail does not count again")
	}
}
