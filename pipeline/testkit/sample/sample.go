// Package sample writes the built-in demo inbox: training classes from three
// fictional institutions in 商水县, each a folder with its 培训信息表 and the eleven
// materials of 第十一条 (real PDFs, JPEGs with EXIF, xlsx workbooks), some clean and
// some with the defects the county's rules must find. `yanshou demo` writes it and
// runs the pipeline over it; the cases say what each class must come to.
//
// The same seed gives byte-identical files: every random choice comes from
// math/rand/v2 PCG streams derived from the seed, and every date written into a
// file (EXIF, PDF and xlsx properties) is fixed by the class's own calendar.
package sample

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline/format/fonts"
	"yanshou/pipeline/platform/durable"
)

// Case is one sample submission and what the county's rules must conclude about it.
type Case struct {
	Dir         string // path relative to the inbox, e.g. "商水县宏达职业培训学校/第1期"
	Description string // Chinese, one line: what this case shows
	Verdict     yanshou.Verdict
	Rules       []string // rule ids that must appear among the findings (fail/veto severity)
}

// sampleFile is one file of a class, relative to the class's folder.
type sampleFile struct {
	rel  string
	data []byte
}

// Write writes the sample inbox under dir (creating it; a re-run over an existing
// sample rewrites only files whose bytes differ and never deletes anything else)
// and returns the cases in processing order. Deterministic: the same seed gives
// byte-identical files.
func Write(dir string, seed int64, cfg *yanshou.Config) ([]Case, error) {
	files, cases, err := Generate(seed, cfg)
	if err != nil {
		return nil, err
	}
	if err := writeFiles(dir, files); err != nil {
		return nil, err
	}
	return cases, nil
}

// writeFiles writes files under dir, leaving alone those already holding their bytes.
func writeFiles(dir string, files []File) error {
	for _, f := range files {
		if err := writeIfChanged(filepath.Join(dir, filepath.FromSlash(f.Path)), f.Data); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
	}
	return nil
}

// File is one generated file: its slash-separated path under the inbox and its bytes.
type File struct {
	Path string
	Data []byte
}

// Generate builds the sample in memory: every file (in a fixed order) and the cases
// in processing order. Write is Generate followed by writing the files.
func Generate(seed int64, cfg *yanshou.Config) ([]File, []Case, error) {
	if cfg == nil {
		return nil, nil, errors.New("sample: no county config")
	}
	fontPath, err := fonts.Find(cfg.Fonts)
	if err != nil {
		return nil, nil, err
	}
	ts, err := newTypesetter(fontPath)
	if err != nil {
		return nil, nil, err
	}
	classes, err := buildPlan(seed, cfg)
	if err != nil {
		return nil, nil, err
	}
	// Documents and workbooks are made on one goroutine while the photos are
	// drawn on the others.
	docs := make([][]sampleFile, len(classes))
	var docErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i, c := range classes {
			if docs[i], docErr = classFiles(ts, c, seed); docErr != nil {
				docErr = fmt.Errorf("sample: %s: %w", c.Dir, docErr)
				return
			}
		}
	}()
	photos, err := renderPhotos(seed, classes)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if docErr != nil {
		return nil, nil, docErr
	}
	var files []File
	var cases []Case
	for i, c := range classes {
		// The manifest goes last, so that a watcher sees a class complete once it is there.
		fs := docs[i]
		for _, p := range c.Photos {
			fs = append(fs, sampleFile{p.Rel, photos[p]})
		}
		manifest := fs[0]
		fs = append(fs[1:], manifest)
		for _, f := range fs {
			files = append(files, File{Path: path.Join(c.Dir, f.rel), Data: f.data})
		}
		cases = append(cases, Case{Dir: c.Dir, Description: c.Description, Verdict: c.Verdict,
			Rules: append([]string(nil), c.Rules...)})
	}
	if err := ts.check(); err != nil {
		return nil, nil, err
	}
	return files, cases, nil
}

// names gives each material its file name in the institution's style.
func names(c *class) map[yanshou.MaterialKind]string {
	if c.Office {
		return map[yanshou.MaterialKind]string{
			yanshou.Application: "01-关于举办" + c.Inst.Title + "的申请（盖章版）.pdf",
			yanshou.Approval:    "02-关于同意培训申请的批复.pdf",
			yanshou.Notice:      "关于举办" + c.Inst.Title + "的通知.pdf",
			yanshou.Courseware:  "培训课件/", yanshou.Roster: "学员花名册（已审核）.xlsx",
			yanshou.SignInSheets: fmt.Sprintf("%d年第%d期签到表.xlsx", c.StartT.Year(), c.No),
			yanshou.Content:      "培训课程安排.pdf", yanshou.FollowUp: "电话回访学员名单.xlsx",
			yanshou.Summary: "培训工作总结（最终版）.pdf"}
	}
	switch c.Inst.Style {
	case styleFlat:
		return map[yanshou.MaterialKind]string{
			yanshou.Application: "01申请报告.pdf", yanshou.Approval: "02批复.pdf", yanshou.Notice: "03培训通知.pdf",
			yanshou.Courseware: "04培训课件.pdf", yanshou.Roster: "07培训学员名单.xlsx", yanshou.SignInSheets: "08签到表.xlsx",
			yanshou.Content: "09培训内容.pdf", yanshou.FollowUp: "10电话回访记录.xlsx", yanshou.Summary: "11情况总结.pdf"}
	case styleMixed:
		return map[yanshou.MaterialKind]string{
			yanshou.Application: "培训申请.pdf", yanshou.Approval: "县电商办批复.pdf", yanshou.Notice: "开班通知.pdf",
			yanshou.Courseware: "课件/", yanshou.Roster: "学员花名册.xlsx", yanshou.SignInSheets: "签到.xlsx",
			yanshou.Content: "课程内容.pdf", yanshou.FollowUp: "电话回访.xlsx", yanshou.Summary: "工作总结.pdf"}
	}
	return map[yanshou.MaterialKind]string{
		yanshou.Application: "01申请报告/申请报告.pdf", yanshou.Approval: "02批复/批复.pdf",
		yanshou.Notice: "03培训通知/培训通知.pdf", yanshou.Courseware: "04培训课件/",
		yanshou.Roster: "07培训学员名单/培训学员名单.xlsx", yanshou.SignInSheets: "08签到表/签到表.xlsx",
		yanshou.Content: "09培训内容/培训内容.pdf", yanshou.FollowUp: "10电话回访记录/电话回访记录.xlsx",
		yanshou.Summary: "11情况总结/情况总结.pdf"}
}

var lectureNumbers = []string{"第一讲", "第二讲", "第三讲", "第四讲", "第五讲", "第六讲", "第七讲", "第八讲"}

// classFiles makes the documents and workbooks of one class, relative to its
// folder; the manifest comes first.
func classFiles(ts *typesetter, c *class, seed int64) ([]sampleFile, error) {
	var out []sampleFile
	add := func(rel string, data []byte, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		out = append(out, sampleFile{rel, data})
		return nil
	}
	nm := names(c)
	data, err := manifestXLSX(c)
	if err := add("培训信息表.xlsx", data, err); err != nil {
		return nil, err
	}
	docs := []struct {
		kind yanshou.MaterialKind
		make func(*class) ([]byte, error)
	}{
		{yanshou.Application, ts.applicationPDF},
		{yanshou.Approval, ts.approvalPDF},
		{yanshou.Notice, ts.noticePDF},
		{yanshou.Content, ts.contentPDF},
		{yanshou.Summary, ts.summaryPDF},
	}
	for _, d := range docs {
		if !c.has(d.kind) {
			continue
		}
		data, err := d.make(c)
		if err := add(nm[d.kind], data, err); err != nil {
			return nil, err
		}
	}
	// Courseware: one file per lecture in a folder, or all lectures in one file.
	if cw := nm[yanshou.Courseware]; strings.HasSuffix(cw, "/") {
		for i, l := range c.Lectures {
			name := lectureNumbers[i%len(lectureNumbers)]
			if c.Inst.Style == styleMixed {
				name = l.Title
			}
			data, err := ts.lecturePDF(c, []course{l})
			if err := add(cw+name+".pdf", data, err); err != nil {
				return nil, err
			}
		}
	} else {
		data, err := ts.lecturePDF(c, c.Lectures)
		if err := add(cw, data, err); err != nil {
			return nil, err
		}
	}
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(c.Index+1)<<32|0x51))
	data, err = rosterXLSX(c)
	if err := add(nm[yanshou.Roster], data, err); err != nil {
		return nil, err
	}
	data, err = signInXLSX(c, rng)
	if err := add(nm[yanshou.SignInSheets], data, err); err != nil {
		return nil, err
	}
	sheets, err := paperFiles(c, seed, path.Dir(nm[yanshou.SignInSheets]))
	if err != nil {
		return nil, err
	}
	for _, f := range sheets {
		if err := add(f.rel, f.data, nil); err != nil {
			return nil, err
		}
	}
	if c.has(yanshou.FollowUp) {
		data, err = followUpXLSX(c)
		if err := add(nm[yanshou.FollowUp], data, err); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writeIfChanged writes data to name unless the file already holds exactly those
// bytes; the new content goes to a temporary file first and is renamed into place.
func writeIfChanged(name string, data []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	// 0644: the sample stands for files institutions copy in.
	return durable.WriteFile(name, data, 0o644)
}
