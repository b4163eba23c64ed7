package desk

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"yanshou"
	"yanshou/pipeline"
)

// reviewJobs are the reviewed sets being rendered after a confirmation, in
// the background: rendering reads the version again from its originals,
// which takes as long as its check did.
type reviewJobs struct {
	mu      sync.Mutex
	running map[string]bool
	failed  map[string]string // why the last rendering of a version failed
	wg      sync.WaitGroup
}

func reviewKey(id string, n int) string { return fmt.Sprintf("%s|%d", id, n) }

// startReview renders, in the background, the reviewed set of version n of
// class id just confirmed (Options.RenderReviewed; nothing without it).
func (s *Server) startReview(id string, n int) {
	if s.o.RenderReviewed == nil {
		return
	}
	j := &s.reviews
	key := reviewKey(id, n)
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running == nil {
		j.running, j.failed = map[string]bool{}, map[string]string{}
	}
	if j.running[key] {
		return // the running one reads the decisions when it starts; a confirmation cannot follow it so soon
	}
	j.running[key] = true
	delete(j.failed, key)
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		err := s.o.RenderReviewed(context.Background(), id, n)
		if err != nil {
			s.o.Logger.Error("reviewed documents not rendered", "class", id, "version", n, "error", err)
		}
		j.mu.Lock()
		delete(j.running, key)
		if err != nil {
			j.failed[key] = err.Error()
		}
		j.mu.Unlock()
	}()
}

// reviewNote says on the class page whether its reviewed set is being
// rendered or why it could not be; "" otherwise.
func (s *Server) reviewNote(id string, n int) string {
	j := &s.reviews
	j.mu.Lock()
	defer j.mu.Unlock()
	key := reviewKey(id, n)
	switch {
	case j.running[key]:
		return "审核后的文件（验收报告、通知书或归档册）正在生成，请稍后刷新本页。"
	case j.failed[key] != "":
		return "审核后的文件未能生成：" + j.failed[key]
	}
	return ""
}

// documents are the file names of a version's documents the desk serves, in
// the order of its report's outputs (PDFs and workbooks written into its own
// output folder), then those of its reviewed sets, oldest first
// (审核后/第N次确认/…).
func (s *Server) documents(v *yanshou.VersionRecord) []string {
	docs := documents(v)
	if v.OutDir == "" {
		return docs
	}
	for _, set := range pipeline.ReviewedSets(s.o.Outbox, v.OutDir) {
		for _, d := range set {
			if strings.HasSuffix(d, ".pdf") || strings.HasSuffix(d, ".xlsx") {
				docs = append(docs, d)
			}
		}
	}
	return docs
}

// docTitle is the name a document is shown and downloaded under: its file
// name, a reviewed one's with its set (验收报告（审核后·第1次确认）.pdf).
func docTitle(name string) string {
	dir, base := path.Split(name)
	set := path.Base(strings.TrimSuffix(dir, "/"))
	if dir == "" || !strings.HasPrefix(dir, pipeline.ReviewedDirName+"/") {
		return base
	}
	ext := path.Ext(base)
	return strings.TrimSuffix(base, ext) + "（" + pipeline.ReviewedDirName + "·" + set + "）" + ext
}
