package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckAll: every path has its report, in order; a stopped run checks no
// path after the stop and says so; a submission's own problem stops nothing.
func TestCheckAll(t *testing.T) {
	p := open(t, filepath.Join(t.TempDir(), "outbox"))
	missing := []string{filepath.Join(t.TempDir(), "甲"), filepath.Join(t.TempDir(), "乙")}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		wantErr error
		want    string // in every report's Error
	}{
		{"stopped before the first", stopped, context.Canceled, NotCheckedStopped},
		{"missing paths are each reported", context.Background(), nil, "找不到文件夹或文件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := p.CheckAll(tt.ctx, missing, CheckOptions{})
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if len(reps) != len(missing) {
				t.Fatalf("%d reports for %d paths", len(reps), len(missing))
			}
			for i, r := range reps {
				if r.Path != missing[i] || !strings.Contains(r.Error, tt.want) {
					t.Errorf("report %d: path %s, error %q; want %s, %q", i, r.Path, r.Error, missing[i], tt.want)
				}
			}
		})
	}
}
