package desk

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/judge/facts"
)

// queueCells are the cells of a class's row in the queue page, as text; nil
// when the page lists no such class.
func queueCells(page, id string) []string {
	i := strings.Index(page, `<a href="/class/`+id+`">`)
	if i < 0 {
		return nil
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := i + strings.Index(page[i:], "</tr>")
	tags := regexp.MustCompile(`<[^>]*>`)
	var out []string
	for _, cell := range strings.Split(page[start:end], "<td>")[1:] {
		out = append(out, strings.Join(strings.Fields(tags.ReplaceAllString(cell, " ")), " "))
	}
	return out
}

// The queue's columns (queue.html).
const (
	colProgram = 4
	colFinal   = 5
	colReview  = 7
	colState   = 8
	colDue     = 9
)

// TestQueueFollowsFinal: the queue's 整改状态, 整改期限 and verdict filter
// follow the confirmed final verdict, read from the final verdicts stored
// when the office decided: a dismissal is a recommendation (审核后结论 合格,
// 待确认, still 待整改) until confirmed (合格归档, no deadline); a headcount
// making a passed class fail, once confirmed, gives it a deadline counted
// from the confirmation, and 逾期未整改 after it. Both verdicts are shown.
func TestQueueFollowsFinal(t *testing.T) {
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	f := newFixture(t, Options{Now: now})
	var failed *yanshou.ClassRecord
	for _, c := range f.classes(t) {
		if c.Latest().Report.Verdict == yanshou.Fail && failed == nil {
			failed = &c
		}
	}
	if failed == nil {
		t.Fatal("the demo has no failed class")
	}
	passed := passedWithSessions(t, f)
	wang := f.session(t, "wang")
	_, page := get(t, wang, f.srv.URL+"/")
	token := csrf(t, page)
	row := func(query, id string) []string {
		t.Helper()
		_, page := get(t, wang, f.srv.URL+"/"+query)
		return queueCells(page, id)
	}
	check := func(step, id string, program, final, review, state, due string) {
		t.Helper()
		r := row("", id)
		if len(r) <= colDue {
			t.Fatalf("%s: no row of %s in the queue: %q", step, id, r)
		}
		if r[colProgram] != program || r[colFinal] != final || !strings.HasPrefix(r[colReview], review) || r[colState] != state || r[colDue] != due {
			t.Fatalf("%s: row %q, want 程序结论 %q, 审核后结论 %q, 审核 %q…, 整改状态 %q, 期限 %q", step, r, program, final, review, state, due)
		}
	}
	filtered := func(step, id, verdict string, want bool) {
		t.Helper()
		if got := row("?verdict="+verdict, id) != nil; got != want {
			t.Fatalf("%s: listed under ?verdict=%s: %v, want %v", step, verdict, got, want)
		}
	}
	due := failed.Deadline.String()
	check("judged", failed.ID, "不合格", "—", "待审核", string(yanshou.StateRectify), due)

	// Every fail finding dismissed: a recommendation until confirmed.
	for k, fd := range failed.Latest().Report.Findings {
		if fd.Severity != yanshou.SevFail {
			continue
		}
		u := fmt.Sprintf("%s/class/%s/v/%d/finding/%d", f.srv.URL, failed.ID, failed.Latest().Version, k)
		if resp, body := post(t, wang, u, url.Values{"csrf": {token}, "rule": {fd.Rule}, "action": {"dismiss"}, "reason": {"审核人到场核实无此问题"}}); resp.StatusCode != 303 {
			t.Fatalf("dismiss %d: %d\n%.300s", k, resp.StatusCode, body)
		}
	}
	check("dismissed", failed.ID, "不合格", "合格 待确认", "已审核：驳回", string(yanshou.StateRectify), due)
	filtered("dismissed", failed.ID, "fail", true)
	filtered("dismissed", failed.ID, "pass", false)

	cu := func(c *yanshou.ClassRecord) string {
		return fmt.Sprintf("%s/class/%s/v/%d/confirm", f.srv.URL, c.ID, c.Latest().Version)
	}
	if resp, body := post(t, wang, cu(failed), url.Values{"csrf": {token}, "reason": {"驳回后材料符合要求"}}); resp.StatusCode != 303 {
		t.Fatalf("confirm: %d\n%.300s", resp.StatusCode, body)
	}
	check("confirmed 合格", failed.ID, "不合格", "合格", "已确认：合格", string(yanshou.StateArchived), "—")
	filtered("confirmed 合格", failed.ID, "pass", true)
	filtered("confirmed 合格", failed.ID, "fail", false)

	// A passed class the office's headcount makes fail, confirmed.
	first := passed.Latest().Facts.Headcount.SessionSignIns[0]
	hu := fmt.Sprintf("%s/class/%s/v/%d/headcount", f.srv.URL, passed.ID, passed.Latest().Version)
	if resp, _ := post(t, wang, hu, url.Values{"csrf": {token}, "session": {first.Session}, "present": {strconv.Itoa(first.SignedIn - 10)}}); resp.StatusCode != 303 {
		t.Fatalf("headcount: %d", resp.StatusCode)
	}
	check("counted", passed.ID, "合格", "不合格 待确认", "待审核：按县电子商务办公室登记的实到人数", string(yanshou.StateArchived), "—")
	if resp, body := post(t, wang, cu(passed), url.Values{"csrf": {token}, "reason": {"现场清点人数少于签到"}}); resp.StatusCode != 303 {
		t.Fatalf("confirm: %d\n%.300s", resp.StatusCode, body)
	}
	deadline := facts.Deadline(clock, f.cfg)
	check("confirmed 不合格", passed.ID, "合格", "不合格", "已确认：不合格", string(yanshou.StateRectify), deadline.String())
	filtered("confirmed 不合格", passed.ID, "fail", true)
	if _, page := get(t, wang, f.srv.URL+"/class/"+passed.ID); !strings.Contains(page, string(yanshou.StateRectify)+"，整改期限 "+deadline.String()) {
		t.Error("the class page does not give the confirmed fail its deadline")
	}
	mu.Lock()
	clock = deadline.AddDate(0, 0, 2)
	mu.Unlock()
	wang = f.session(t, "wang") // the morning's login has expired
	check("past the deadline", passed.ID, "合格", "不合格", "已确认：不合格", string(yanshou.StateOverdue), deadline.String())

	// What is stored is what the queue shows: a desk started afresh over
	// the same ledger computes nothing again.
	if n, err := f.desk.finals.Refresh(now()); err != nil || n != 0 {
		t.Fatalf("final verdicts stale after the desk recorded them: %d, %v", n, err)
	}
}
