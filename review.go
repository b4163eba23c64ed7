package yanshou

import "time"

// Review is the county office's review of a judged version, as the reviewed
// documents show it (the 审核意见 block): the program's verdict, the office's
// decisions in order, and the final verdict with the confirmation it stands
// by. The program's own documents never carry one.
type Review struct {
	Set     int     // the reviewed set's number: the n-th confirmation of the version
	Program Verdict // the program's verdict (verdict.json)
	Final   Verdict // the verdict after the decisions, as confirmed
	// Decisions are the office's decisions on findings, oldest first (not the
	// confirmation itself).
	Decisions []ReviewDecision
	Confirmed ReviewDecision // the confirmation the final verdict stands by
	// Dismissed are the program's findings that no longer count, with the
	// decision that took them out (shown in the block, not among the findings).
	Dismissed []Finding
}

// ReviewDecision is one decision of the office as a document shows it.
type ReviewDecision struct {
	Action   string    // what was done, in Chinese (驳回, 恢复, 确认结论 …)
	Finding  string    // the finding's Chinese title (Finding.Name); "" for a confirmation
	Message  string    // the finding's message as the program wrote it; the verdict confirmed for a confirmation
	Reason   string    // the reason the reviewer gave
	Reviewer string    // the reviewer's name
	Role     string    // the reviewer's role, in Chinese (审核人, 负责人)
	At       time.Time // when it was recorded
	// Stale: the finding this decision was on is no longer among the
	// version's findings (its content was judged again under other rules).
	Stale bool
}
