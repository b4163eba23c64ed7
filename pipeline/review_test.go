package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"yanshou"
	"yanshou/pipeline/store/ledger"
)

// reviewer adds an office account to p's ledger and returns it.
func reviewer(t *testing.T, p *Pipeline, login, name string, role ledger.Role) *ledger.User {
	t.Helper()
	if err := p.Ledger.AddUser(ledger.User{Login: login, DisplayName: name, Role: role}, "correct horse battery",
		ledger.KDFParams{Time: 1, Memory: 64, Threads: 1}, time.Now()); err != nil {
		t.Fatal(err)
	}
	u, err := p.Ledger.User(login)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// pdfText is the text of a PDF (pdftotext), the test skipped without it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func fileBytes(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRenderReviewed: a fail whose failing findings the office dismisses and
// whose verdict it confirms gets a reviewed set beside the program's
// documents — a report with the 审核意见 block (reason, reviewer, final
// verdict) and the bound archive, recorded in the ledger; the program's
// verdict.json and report stay byte for byte. A second confirmation (a
// finding restored) is a second set, with a rectification notice of its own
// 文号, the first set kept; the program's documents rendered again keep both.
func TestRenderReviewed(t *testing.T) {
	inbox, cases := writeSample(t)
	var fail int = -1
	for i, c := range cases {
		if c.Verdict == yanshou.Fail && len(c.Rules) == 1 && c.Rules[0] == "photos.time_window" {
			fail = i
		}
	}
	if fail < 0 {
		t.Fatal("the sample has no class failing on photos.time_window")
	}
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	ctx := context.Background()
	rep, err := p.Check(ctx, filepath.Join(inbox, cases[fail].Dir), CheckOptions{})
	if err != nil || rep.Verdict != yanshou.Fail {
		t.Fatalf("check: %s, %v", rep.Verdict, err)
	}
	c, err := p.Ledger.ScopedClass(ledger.Scope{All: true}, rep.ID, time.Now(), p.Config.Location, 0.8)
	if err != nil || c == nil {
		t.Fatalf("class: %v", err)
	}
	folder := filepath.Join(outbox, c.Latest().OutDir)
	verdictJSON := fileBytes(t, filepath.Join(folder, "verdict.json"))
	programReport := fileBytes(t, filepath.Join(folder, "验收报告.pdf"))

	if _, err := p.RenderReviewed(ctx, rep.ID, rep.Version); !errors.Is(err, ErrNotConfirmed) {
		t.Fatalf("before a confirmation: %v, want ErrNotConfirmed", err)
	}
	wang := reviewer(t, p, "wang", "王敏", ledger.RoleReviewer)
	const reason = "审核人到场核实培训时间属实"
	var restore int
	for k, f := range rep.Findings {
		if f.Severity == yanshou.SevFail || f.Severity == yanshou.SevVeto {
			if err := p.Ledger.Decide(wang, rep.ID, rep.Version, k, f.Rule, ledger.Dismiss, reason, time.Now()); err != nil {
				t.Fatalf("dismiss %s: %v", f.Rule, err)
			}
			restore = k
		}
	}
	if final, err := p.Ledger.ConfirmVerdict(wang, rep.ID, rep.Version, "驳回后材料齐全", time.Now()); err != nil || final != yanshou.Pass {
		t.Fatalf("confirm: %s, %v", final, err)
	}
	first, err := p.RenderReviewed(ctx, rep.ID, rep.Version)
	if err != nil {
		t.Fatal(err)
	}
	if first.Review.Set != 1 || first.Review.Program != yanshou.Fail || first.Review.Final != yanshou.Pass {
		t.Errorf("review %+v: want set 1, 不合格 → 合格", first.Review)
	}
	var archives, notices int
	for _, f := range first.Files {
		if !strings.HasPrefix(f, "审核后/第1次确认/") {
			t.Errorf("reviewed file %s outside 审核后/第1次确认/", f)
		}
		archives += strings.Count(filepath.Base(f), "归档-")
		notices += strings.Count(filepath.Base(f), "通知书")
	}
	if archives == 0 || notices != 0 {
		t.Errorf("reviewed pass %v: want its archive and no notice", first.Files)
	}
	text := pdfText(t, filepath.Join(folder, "审核后", "第1次确认", "验收报告.pdf"))
	for _, want := range []string{"审核意见", reason, "王敏", "最终结论：合格", "程序初步结论：不合格"} {
		if !strings.Contains(text, want) {
			t.Errorf("reviewed report lacks %q", want)
		}
	}
	if got := fileBytes(t, filepath.Join(folder, "verdict.json")); got != verdictJSON {
		t.Error("verdict.json changed by the review")
	}
	if got := fileBytes(t, filepath.Join(folder, "验收报告.pdf")); got != programReport {
		t.Error("the program's report changed by the review")
	}
	if strings.Contains(pdfText(t, filepath.Join(folder, "验收报告.pdf")), "审核意见") {
		t.Error("the program's report shows a review")
	}
	// The reviewed archive copies are recorded, under their own paths.
	copies, err := p.Ledger.ArchivesOf(c.Latest().ContentHash)
	if err != nil {
		t.Fatal(err)
	}
	reviewed := 0
	for _, a := range copies {
		if strings.Contains(a.Path, "审核后") {
			reviewed++
			if _, err := os.Stat(filepath.Join(outbox, a.Path)); err != nil {
				t.Errorf("recorded copy %s: %v", a.Path, err)
			}
		}
	}
	if reviewed != archives {
		t.Errorf("%d reviewed copies recorded, want %d", reviewed, archives)
	}
	for _, f := range first.Files {
		if strings.HasPrefix(filepath.Base(f), "归档-") {
			cover := pdfText(t, filepath.Join(folder, filepath.FromSlash(f)))
			if !strings.Contains(cover, "审核确认：程序初步结论为不合格") || !strings.Contains(cover, "驳回后材料齐全") {
				t.Errorf("reviewed archive %s: its cover does not say on whose confirmation", f)
			}
		}
	}

	// A finding restored and the verdict confirmed again: set 2, a notice.
	f := rep.Findings[restore]
	if err := p.Ledger.Decide(wang, rep.ID, rep.Version, restore, f.Rule, ledger.Restore, "复核后仍须整改", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Ledger.ConfirmVerdict(wang, rep.ID, rep.Version, "恢复后确认不合格", time.Now()); err != nil {
		t.Fatal(err)
	}
	second, err := p.RenderReviewed(ctx, rep.ID, rep.Version)
	if err != nil {
		t.Fatal(err)
	}
	if second.Review.Set != 2 || second.Review.Final != yanshou.Fail {
		t.Errorf("second review %+v: want set 2, 不合格", second.Review)
	}
	notice := filepath.Join(folder, "审核后", "第2次确认", "整改通知书.pdf")
	nt := pdfText(t, notice)
	programNotice := pdfText(t, filepath.Join(folder, "整改通知书.pdf"))
	if !strings.Contains(nt, "审核意见") || !strings.Contains(nt, "复核后仍须整改") {
		t.Error("reviewed notice without its 审核意见")
	}
	number := func(s string) string {
		i := strings.Index(s, "〔")
		if i < 0 {
			return ""
		}
		j := strings.Index(s[i:], "号")
		return s[i : i+j]
	}
	if n1, n2 := number(programNotice), number(nt); n1 == "" || n2 == "" || n1 == n2 {
		t.Errorf("文号 program %q, reviewed %q: want two numbers", n1, n2)
	}
	if sets := ReviewedSets(outbox, c.Latest().OutDir); len(sets) != 2 {
		t.Errorf("reviewed sets %v, want 2", sets)
	}

	// The program's documents rendered again (its folder edited): the sets stay.
	os.WriteFile(filepath.Join(folder, "verdict.json"), []byte("{}"), 0o644)
	if _, err := p.Check(ctx, filepath.Join(inbox, cases[fail].Dir), CheckOptions{Recheck: true}); err != nil {
		t.Fatal(err)
	}
	if got := fileBytes(t, filepath.Join(folder, "verdict.json")); got == "{}" {
		t.Fatal("the version was not rendered again")
	}
	if sets := ReviewedSets(outbox, c.Latest().OutDir); len(sets) != 2 {
		t.Errorf("after the program's documents were rendered again: sets %v, want 2", sets)
	}
	if _, err := os.Stat(notice); err != nil {
		t.Errorf("reviewed notice lost: %v", err)
	}
}

// TestBatchReviewed: a batch keeps the office's decisions: its documents
// count the confirmed final verdict (台账.xlsx: 程序结论 beside 最终结论, the
// standing from the final verdict), it renders the reviewed set of a
// confirmed version that has none, and leaves a current set alone.
func TestBatchReviewed(t *testing.T) {
	inbox, cases := writeSample(t)
	var dir string
	for _, c := range cases {
		if c.Verdict == yanshou.Fail && len(c.Rules) == 1 && c.Rules[0] == "photos.time_window" {
			dir = filepath.Join(inbox, c.Dir)
		}
	}
	outbox := filepath.Join(t.TempDir(), "outbox")
	p := open(t, outbox)
	ctx := context.Background()
	rep, err := p.Check(ctx, dir, CheckOptions{})
	if err != nil || rep.Verdict != yanshou.Fail {
		t.Fatalf("check: %s, %v", rep.Verdict, err)
	}
	li := reviewer(t, p, "li", "李主任", ledger.RoleHead)
	for k, f := range rep.Findings {
		if f.Severity != yanshou.Warning {
			if err := p.Ledger.Decide(li, rep.ID, rep.Version, k, f.Rule, ledger.Dismiss, "到场核实时间属实", time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := p.Ledger.ConfirmVerdict(li, rep.ID, rep.Version, "确认合格归档", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := p.Batch(ctx, BatchOptions{Documents: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reviewed) != 1 || !strings.HasSuffix(res.Reviewed[0], filepath.Join("审核后", "第1次确认")) {
		t.Errorf("reviewed sets rendered %v, want the one confirmation's", res.Reviewed)
	}
	if len(res.Classes) != 1 {
		t.Fatalf("%d classes", len(res.Classes))
	}
	c := res.Classes[0]
	last := c.Latest()
	if last.Verdict != yanshou.Pass || last.ProgramVerdict() != yanshou.Fail || c.State != yanshou.StateArchived ||
		!strings.Contains(last.ConfirmedBy, "李主任") {
		t.Errorf("class after the batch: verdict %s (program %s), state %s, by %q; want 合格 (不合格), 合格归档",
			last.Verdict, last.ProgramVerdict(), c.State, last.ConfirmedBy)
	}
	f, err := excelize.OpenFile(res.Book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("全部班次")
	header, row := strings.Join(rows[2], "|"), strings.Join(rows[3], "|")
	if !strings.Contains(header, "程序结论|最终结论") || !strings.Contains(row, "不合格|合格（负责人 李主任 确认）|合格归档") {
		t.Errorf("台账 row\n%s\n%s", header, row)
	}
	again, err := p.Batch(ctx, BatchOptions{})
	if err != nil || len(again.Reviewed) != 0 {
		t.Errorf("second batch rendered %v (%v), want nothing: the set is current", again.Reviewed, err)
	}
	// A set rendered from another report than the ledger's (the version
	// judged again under other rules) is rendered again.
	record := filepath.Join(outbox, res.Reviewed[0], ReviewFile)
	data := strings.Replace(fileBytes(t, record), `"report_sha256": "`, `"report_sha256": "0`, 1)
	os.WriteFile(record, []byte(data), 0o644)
	third, err := p.Batch(ctx, BatchOptions{})
	if err != nil || len(third.Reviewed) != 1 {
		t.Errorf("batch after the report changed rendered %v (%v), want the set again", third.Reviewed, err)
	}
}

// TestReviewedSets: the sets of a version's folder, by confirmation number
// (not by the order of names: 第10次 after 第2次), those without their record
// and other folders left out.
func TestReviewedSets(t *testing.T) {
	outbox := t.TempDir()
	base := filepath.Join(outbox, "某班_v1", ReviewedDirName)
	for _, s := range []struct {
		dir    string
		record string
	}{
		{"第1次确认", `{"files":["验收报告.pdf","整改通知书.pdf"]}`},
		{"第2次确认", ""}, // being written
		{"第10次确认", `{"files":["验收报告.pdf","../逃出.pdf"]}`},
		{"第01次确认", `{"files":["验收报告.pdf"]}`},
		{"其他", `{"files":["验收报告.pdf"]}`},
	} {
		os.MkdirAll(filepath.Join(base, s.dir), 0o755)
		if s.record != "" {
			os.WriteFile(filepath.Join(base, s.dir, ReviewFile), []byte(s.record), 0o644)
		}
	}
	got := ReviewedSets(outbox, "某班_v1")
	want := [][]string{{"审核后/第1次确认/验收报告.pdf", "审核后/第1次确认/整改通知书.pdf"}, {"审核后/第10次确认/验收报告.pdf"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sets %v, want %v", got, want)
	}
	if got := ReviewedSets(outbox, "没有的班_v1"); got != nil {
		t.Errorf("no folder: %v", got)
	}
}

// TestReview: the review of a version from its report and decisions: none
// before a confirmation or after a decision that follows it; the set is the
// confirmation's number; a decision whose finding is no longer at its index
// (the version judged again) is marked stale; the dismissed findings are
// listed and left out of those that count, as is the archive's binding warning.
func TestReview(t *testing.T) {
	rep := yanshou.Report{Verdict: yanshou.Fail, Findings: []yanshou.Finding{
		{Rule: "photos.gps", Title: "照片有拍摄地点", Severity: yanshou.SevFail},
		{Rule: "papers.summary", Severity: yanshou.Warning},
		{Rule: "archive.bind", Severity: yanshou.Warning},
	}}
	at := time.Date(2026, 5, 5, 1, 0, 0, 0, time.UTC)
	dismiss := ledger.Decision{Finding: 0, Rule: "photos.gps", Action: ledger.Dismiss, Reason: "到场核实", DisplayName: "王敏", Role: ledger.RoleReviewer, At: at}
	stale := ledger.Decision{Finding: 1, Rule: "materials.complete", Action: ledger.Dismiss, Reason: "原件已补", DisplayName: "王敏", Role: ledger.RoleReviewer, At: at}
	confirm := ledger.Decision{Finding: ledger.ConfirmFinding, Action: ledger.Confirm, Message: "合格", Reason: "确认合格", DisplayName: "李主任", Role: ledger.RoleHead, At: at}
	confirmFail := confirm
	confirmFail.Message, confirmFail.Reason = "不合格", "确认不合格"
	downgrade := ledger.Decision{Finding: 0, Rule: "photos.gps", Action: ledger.Downgrade, Reason: "定位偏差可以解释", DisplayName: "王敏", Role: ledger.RoleReviewer, At: at}
	tests := []struct {
		name      string
		ds        []ledger.Decision
		none      bool
		set       int
		final     yanshou.Verdict
		stale     []bool
		dismissed int
		kept      int
	}{
		{"nothing decided", nil, true, 0, "", nil, 0, 0},
		{"dismissed, not confirmed", []ledger.Decision{dismiss}, true, 0, "", nil, 0, 0},
		{"confirmed as it is", []ledger.Decision{confirmFail}, false, 1, yanshou.Fail, nil, 0, 2},
		{"a confirmation of another verdict than the final one does not stand", []ledger.Decision{confirm}, true, 0, "", nil, 0, 0},
		{"downgraded and confirmed: the finding counts as a warning", []ledger.Decision{downgrade, confirm}, false, 1, yanshou.Pass, []bool{false}, 0, 2},
		{"dismissed and confirmed", []ledger.Decision{dismiss, confirm}, false, 1, yanshou.Pass, []bool{false}, 1, 1},
		{"a decision after the confirmation", []ledger.Decision{confirm, dismiss}, true, 0, "", nil, 0, 0},
		{"confirmed twice, a stale decision", []ledger.Decision{confirm, dismiss, stale, confirm}, false, 2, yanshou.Pass, []bool{false, true}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rv, kept := review(rep, tt.ds)
			if tt.none {
				if rv != nil {
					t.Errorf("review %+v, want none", rv)
				}
				return
			}
			if rv == nil {
				t.Fatal("no review")
			}
			if rv.Set != tt.set || rv.Final != tt.final || rv.Program != yanshou.Fail || len(rv.Dismissed) != tt.dismissed || len(kept) != tt.kept {
				t.Errorf("set %d final %s program %s, %d dismissed, %d kept; want %d %s 不合格 %d %d",
					rv.Set, rv.Final, rv.Program, len(rv.Dismissed), len(kept), tt.set, tt.final, tt.dismissed, tt.kept)
			}
			var st []bool
			for _, d := range rv.Decisions {
				st = append(st, d.Stale)
			}
			if fmt.Sprint(st) != fmt.Sprint(tt.stale) {
				t.Errorf("stale %v, want %v", st, tt.stale)
			}
			if rv.Confirmed.Reviewer != "李主任" || rv.Confirmed.Role != "负责人" {
				t.Errorf("confirmed by %+v", rv.Confirmed)
			}
			for _, f := range kept {
				if f.Rule == "archive.bind" {
					t.Error("the binding warning is kept")
				}
				if f.Rule == "photos.gps" && f.Severity != yanshou.SevFail && tt.ds[0].Action != ledger.Downgrade {
					t.Errorf("photos.gps kept as %s without a downgrade", f.Severity)
				}
				if f.Rule == "photos.gps" && tt.ds[0].Action == ledger.Downgrade && f.Severity != yanshou.Warning {
					t.Errorf("downgraded photos.gps kept as %s, want a warning", f.Severity)
				}
			}
		})
	}
}
