package pipeline

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"yanshou"
)

// detailDir is the state folder's folder of judged versions' details.
const detailDir = "evidence"

// DetailPath is where the detail of the judged version with contentHash is
// kept under outbox.
func DetailPath(outbox, contentHash string) string {
	return filepath.Join(outbox, StateDirName, detailDir, contentHash+".json")
}

// ReadDetail reads the detail kept of a judged version; an error wrapping
// os.ErrNotExist when none was kept (versions judged before details were).
func ReadDetail(outbox, contentHash string) (*yanshou.Detail, error) {
	if !isHex(contentHash) {
		return nil, fmt.Errorf("内容摘要 %q 无效：%w", contentHash, os.ErrNotExist)
	}
	b, err := os.ReadFile(DetailPath(outbox, contentHash))
	if err != nil {
		return nil, err
	}
	var d yanshou.Detail
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("%s：%w", DetailPath(outbox, contentHash), err)
	}
	return &d, nil
}

// writeDetail keeps the detail of a judged result in the state folder,
// atomically (a reader sees the old file or the new, never half of one).
func (p *Pipeline) writeDetail(r *yanshou.Result) error {
	if r.Submission == nil || !isHex(r.Submission.ContentHash) {
		return nil
	}
	data, err := json.Marshal(yanshou.NewDetail(r))
	if err != nil {
		return err
	}
	final := DetailPath(p.Outbox, r.Submission.ContentHash)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", final, os.Getpid())
	if err := writeFileSync(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, final)
}

func isHex(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// keepDetail writes the detail of a re-checked version whose documents stand,
// when none is kept yet; a failure is only logged (the documents are in place).
func (p *Pipeline) keepDetail(r *yanshou.Result) {
	if r.Submission == nil || !isHex(r.Submission.ContentHash) {
		return
	}
	if _, err := os.Stat(DetailPath(p.Outbox, r.Submission.ContentHash)); err == nil {
		return
	}
	if err := p.writeDetail(r); err != nil {
		p.Log.Warn("detail not kept", "id", r.ID, "version", r.Version, "error", err)
	}
}
