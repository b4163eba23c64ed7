package desk

import (
	"net/http"

	"yanshou"
)

// historyView is the versions of a class with their verdicts and dates, and
// what changed between two of them.
type historyView struct {
	Versions []historyRow
	Diff     *versionDiff // nil for a class with one version
}

type historyRow struct {
	Version   int
	Verdict   yanshou.Verdict
	CheckedAt string
	Findings  int
	Current   bool
}

// versionDiff is what changed from one version to another: materials by name
// and digest, findings by rule.
type versionDiff struct {
	From, To         int
	Choices          []int // the other versions it may be compared with
	Added, Removed   []fileChange
	Replaced         []fileChange
	Same             int // files with the same name and digest
	Fixed, New, Kept []string
	Why              string // why the files could not be compared
}

type fileChange struct {
	Name     string
	Old, New string // SHA-256, first 12 hex digits
}

// history builds the versions table, and the difference between the version
// shown and the one named by ?from= (the previous version by default).
func (s *Server) history(r *http.Request, c *yanshou.ClassRecord, ver *yanshou.VersionRecord) *historyView {
	h := &historyView{}
	var prev *yanshou.VersionRecord
	for i := range c.Versions {
		v := &c.Versions[i]
		h.Versions = append(h.Versions, historyRow{Version: v.Version, Verdict: v.Verdict,
			CheckedAt: v.CheckedAt.In(s.loc()).Format("2006-01-02 15:04"), Findings: len(v.Report.Findings), Current: v.Version == ver.Version})
		if v.Version < ver.Version {
			prev = v
		}
	}
	if len(c.Versions) < 2 {
		return h
	}
	from := prev
	if n := r.URL.Query().Get("from"); n != "" {
		if v := version(c, n); v != nil && v.Version != ver.Version {
			from = v
		}
	}
	if from == nil { // the first version shown: compare it with the next
		from, ver = ver, &c.Versions[1]
	}
	d := &versionDiff{From: from.Version, To: ver.Version}
	for _, v := range c.Versions {
		if v.Version != ver.Version && v.Version != from.Version {
			d.Choices = append(d.Choices, v.Version)
		}
	}
	h.Diff = d
	scope := session(r).User.Scope()
	a, err := s.o.Ledger.ScopedFiles(scope, c.ID, from.Version)
	if err == nil {
		b, err2 := s.o.Ledger.ScopedFiles(scope, c.ID, ver.Version)
		err = err2
		old := map[string]string{}
		for _, f := range a {
			old[f.Rel] = f.SHA256
		}
		for _, f := range b {
			o, ok := old[f.Rel]
			switch {
			case !ok:
				d.Added = append(d.Added, fileChange{Name: f.Rel, New: short(f.SHA256)})
			case o != f.SHA256:
				d.Replaced = append(d.Replaced, fileChange{Name: f.Rel, Old: short(o), New: short(f.SHA256)})
			default:
				d.Same++
			}
			delete(old, f.Rel)
		}
		for _, f := range a {
			if _, gone := old[f.Rel]; gone {
				d.Removed = append(d.Removed, fileChange{Name: f.Rel, Old: short(f.SHA256)})
			}
		}
	}
	if err != nil {
		s.o.Logger.Warn("history", "class", c.ID, "err", err)
		d.Why = "两版的文件清单无法读取，未比较材料"
	}
	d.Fixed, d.New, d.Kept = findingChanges(from.Report.Findings, ver.Report.Findings)
	return h
}

// findingChanges compares two versions' findings by rule: the rules that no
// longer fire (fixed), that fire only now (new) and that still fire.
func findingChanges(before, after []yanshou.Finding) (fixed, added, kept []string) {
	count := func(fs []yanshou.Finding) (map[string]int, []yanshou.Finding) {
		m := map[string]int{}
		var first []yanshou.Finding
		for _, f := range fs {
			if f.Severity == yanshou.Warning {
				continue
			}
			if m[f.Rule] == 0 {
				first = append(first, f)
			}
			m[f.Rule]++
		}
		return m, first
	}
	b, bf := count(before)
	a, af := count(after)
	line := func(f yanshou.Finding) string { return f.Name() + "：" + f.Message }
	for _, f := range bf {
		if a[f.Rule] == 0 {
			fixed = append(fixed, line(f))
		}
	}
	for _, f := range af {
		if b[f.Rule] == 0 {
			added = append(added, line(f))
		} else {
			kept = append(kept, line(f))
		}
	}
	return
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
