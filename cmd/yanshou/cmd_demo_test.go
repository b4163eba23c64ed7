package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sample"
)

// TestDemo runs the whole pipeline over the built-in sample: every case must end
// with its intended verdict and rules, every report must exist, and a second run
// must judge nothing twice.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
	code, stdout, stderr := runCmd(t, "demo", "--inbox", inbox, "--outbox", outbox, "--quiet")
	if code != exitOK {
		t.Fatalf("demo exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	cases, err := sample.Write(filepath.Join(dir, "again"), 2026, config.Default())
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[yanshou.Verdict]int{}
	for _, cs := range cases {
		verdicts[cs.Verdict]++
		if !strings.Contains(stdout, cs.Dir) {
			t.Errorf("demo table does not list %s", cs.Dir)
		}
	}
	if verdicts[yanshou.Pass] == 0 || verdicts[yanshou.Fail] == 0 || verdicts[yanshou.Veto] == 0 {
		t.Fatalf("sample lacks a verdict kind: %v", verdicts)
	}

	// check --json on each sample case gives the DESIGN.md shape and the intended rules.
	var args []string
	for _, cs := range cases {
		args = append(args, filepath.Join(inbox, cs.Dir))
	}
	code, stdout, stderr = runCmd(t, append([]string{"check", "--json", "--quiet", "--outbox", outbox}, args...)...)
	if code != exitOK {
		t.Fatalf("check exited %d: %s", code, stderr)
	}
	var reps []map[string]any
	if err := json.Unmarshal([]byte(stdout), &reps); err != nil {
		t.Fatal(err)
	}
	for i, cs := range cases {
		r := reps[i]
		for _, key := range []string{"path", "id", "version", "institution", "class", "start", "end", "verdict", "verdict_zh", "findings", "attendance", "photos", "outputs"} {
			if _, ok := r[key]; !ok {
				t.Errorf("%s: key %q missing from JSON", cs.Dir, key)
			}
		}
		if r["verdict"] != string(cs.Verdict) {
			t.Errorf("%s: verdict %v, want %s", cs.Dir, r["verdict"], cs.Verdict)
		}
		if r["version"] != 1.0 {
			t.Errorf("%s: version %v after a second check of the same content, want 1", cs.Dir, r["version"])
		}
		fired := map[string]bool{}
		for _, f := range r["findings"].([]any) {
			fm := f.(map[string]any)
			if fm["severity"] != "warning" {
				fired[fm["rule"].(string)] = true
			}
		}
		for _, want := range cs.Rules {
			if !fired[want] {
				t.Errorf("%s: rule %s did not fire (fired: %v)", cs.Dir, want, fired)
			}
		}
		for _, o := range r["outputs"].([]any) {
			if _, err := os.Stat(o.(string)); err != nil {
				t.Errorf("%s: output %v missing", cs.Dir, o)
			}
		}
	}
}
