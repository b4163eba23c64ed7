package pipeline

import (
	"context"
	"errors"

	"yanshou"
)

// NotCheckedAfterFault is the Report.Error of a submission not checked because
// an earlier one of the same run failed on the outbox or the ledger.
const NotCheckedAfterFault = "未检查：前面的提交因输出目录或台账数据库的故障未能处理，为保持先后顺序，其后的提交都未检查；排除故障后请重新运行"

// CheckAll checks paths in order, each with opts (opts.Origin is not used:
// every path is its own origin), and returns one report per path, in order. A
// later path is judged against the ledger entries of earlier ones (reused
// photos, trainees counted twice), so checking it without one that failed
// would judge it differently than a run in order: after a FaultError (a full
// disk, a locked ledger) the later paths are not checked and their reports say
// so (NotCheckedAfterFault), and after ctx is cancelled the paths not begun
// are not checked (NotCheckedStopped). The error is that fault or ctx's error.
func (p *Pipeline) CheckAll(ctx context.Context, paths []string, opts CheckOptions) ([]yanshou.Report, error) {
	opts.Origin = ""
	reports := make([]yanshou.Report, 0, len(paths))
	var stop error
	for _, path := range paths {
		if stop == nil {
			stop = ctx.Err()
		}
		if stop != nil {
			msg := NotCheckedAfterFault
			if errors.Is(stop, ctx.Err()) {
				msg = NotCheckedStopped
			}
			reports = append(reports, yanshou.Report{Path: path, Findings: []yanshou.Finding{}, Outputs: []string{}, Error: msg})
			continue
		}
		rep, err := p.Check(ctx, path, opts)
		var fault *FaultError
		if errors.As(err, &fault) || ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			stop = err
		}
		reports = append(reports, rep)
	}
	return reports, stop
}
