package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"yanshou/pipeline"
	"yanshou/pipeline/output/archive"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/platform/oserr"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

func init() {
	register("verify", "核验归档册（归档-*.pdf）及其原件与台账是否一致", runVerify)
}

// verifyWords is templates/report/verify.yaml.
type verifyWords struct {
	Archive          string `yaml:"archive"`
	SHA256           string `yaml:"sha256"`
	NoLedger         string `yaml:"no_ledger"`
	Record           string `yaml:"record"`
	Reviewed         string `yaml:"reviewed"`
	Unknown          string `yaml:"unknown"`
	Claims           string `yaml:"claims"`
	ClaimsUnrecorded string `yaml:"claims_unrecorded"`
	Originals        string `yaml:"originals"`
	OriginalOK       string `yaml:"original_ok"`
	OriginalMissing  string `yaml:"original_missing"`
	OriginalCorrupt  string `yaml:"original_corrupt"`
	OriginalError    string `yaml:"original_error"`
	Intact           string `yaml:"intact"`
	Altered          string `yaml:"altered"`
	OriginalsAltered string `yaml:"originals_altered"`
	ReadError        string `yaml:"read_error"`
	Missing          string `yaml:"missing"`
	NotChecked       string `yaml:"not_checked"`
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify [选项] 归档-*.pdf...",
		"重新计算每份归档册及其装订所依据的每个存档原件的 SHA-256，与台账记录比对，用中文\n"+
			"说明归档册是否完整。退出码：0 全部完整，1 有被改动、无法核实或找不到的，2 用法有误。",
		stderr,
		"yanshou verify outbox/商水县宏达职业培训学校_第1期_2026-03-10_v1/归档-商水县电子商务办公室.pdf",
		"yanshou verify --outbox D:/验收/outbox 收到的归档册.pdf")
	outbox := fs.String("outbox", "", "`文件夹`存放台账的输出目录（默认：归档册所在的输出目录，否则 ./outbox）")
	cfgPath := fs.String("config", "", "`文件`县里的配置文件（用其中的 templates 文件夹）")
	tmpl := fs.String("templates", "", "`文件夹`替换内置文字的模板文件夹（report/verify.yaml）")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, "没有给出要核验的归档册（归档-*.pdf）")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou verify：%v\n", err)
		return exitUsage
	}
	if *tmpl != "" {
		cfg.Templates = *tmpl
	}
	var w verifyWords
	if err := templates.Load(cfg.Templates, "report/verify.yaml", &w); err != nil {
		fmt.Fprintf(stderr, "yanshou verify：%v\n", err)
		return exitUnprocessed
	}
	p := &printer{out: stdout}
	code := exitOK
	for i, path := range fs.Args() {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if !verifyOne(p, &w, path, *outbox) {
			code = exitUnprocessed
		}
	}
	if p.err != nil {
		fmt.Fprintf(stderr, "yanshou verify：%v\n", p.err)
		return exitUnprocessed
	}
	return code
}

// printer fills and prints wording lines, keeping the first template error.
type printer struct {
	out io.Writer
	err error
}

func (p *printer) say(text string, v map[string]any) {
	s, err := templates.Fill(text, v)
	if err != nil && p.err == nil {
		p.err = err
	}
	fmt.Fprintln(p.out, s)
}

// ledgerDir finds the state folder: the given outbox's, else that of the outbox
// the archive sits in (outbox/<version folder>/归档-*.pdf, or a reviewed copy
// in outbox/<version folder>/审核后/第N次确认/), else ./outbox's.
func ledgerDir(archivePath, outbox string) string {
	cands := []string{outbox}
	if outbox == "" {
		version := filepath.Dir(archivePath)
		if filepath.Base(filepath.Dir(version)) == pipeline.ReviewedDirName {
			version = filepath.Dir(filepath.Dir(version))
		}
		cands = []string{filepath.Dir(version), "outbox"}
	}
	for _, o := range cands {
		d := filepath.Join(o, pipeline.StateDirName)
		if _, err := os.Stat(filepath.Join(d, "ledger.db")); err == nil {
			return d
		}
	}
	return filepath.Join(cands[0], pipeline.StateDirName)
}

// verifyOne checks one archive and reports whether it is intact.
func verifyOne(p *printer, w *verifyWords, path, outbox string) bool {
	p.say(w.Archive, map[string]any{"Path": path})
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// Nothing to compare: not evidence that an archive was altered.
		p.say(w.Missing, map[string]any{"Path": path})
		p.say(w.NotChecked, nil)
		return false
	}
	if err != nil {
		p.say(w.ReadError, map[string]any{"Path": path, "Err": oserr.Reason(err)})
		p.say(w.NotChecked, nil)
		return false
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	p.say(w.SHA256, map[string]any{"SHA256": sha})
	state := ledgerDir(path, outbox)
	if _, err := os.Stat(filepath.Join(state, "ledger.db")); err != nil {
		p.say(w.NoLedger, map[string]any{"Ledger": filepath.Join(state, "ledger.db")})
		p.say(w.Altered, nil)
		return false
	}
	l, err := ledger.Open(state)
	if err != nil {
		p.say(w.NoLedger, map[string]any{"Ledger": err})
		p.say(w.Altered, nil)
		return false
	}
	defer l.Close()
	rec, err := l.LookupArchive(sha)
	if err != nil {
		p.say(w.ReadError, map[string]any{"Path": l.Path(), "Err": err})
		p.say(w.Altered, nil)
		return false
	}
	if rec == nil {
		p.say(w.Unknown, nil)
		if id, ok := archive.Identify(data); ok {
			copies, err := l.ArchivesOf(id.ContentHash)
			recorded := ""
			for _, c := range copies {
				if c.Copy == id.Copy {
					recorded = c.SHA256
				}
			}
			v := map[string]any{"ID": id.ID, "Version": id.Version, "Copy": id.Copy, "Recorded": recorded}
			if err == nil && recorded != "" {
				p.say(w.Claims, v)
			} else {
				p.say(w.ClaimsUnrecorded, v)
			}
		}
		p.say(w.Altered, nil)
		return false
	}
	p.say(w.Record, map[string]any{"Institution": rec.Institution, "Class": rec.Class, "ID": rec.SubmissionID,
		"Version": rec.Version, "Verdict": rec.Verdict.Chinese(), "Copy": rec.Copy, "Of": rec.Of, "Holder": rec.Holder,
		"Created": rec.Created.Local().Format("2006-01-02 15:04")})
	if set, final, ok := reviewedCopy(l, rec); ok {
		p.say(w.Reviewed, map[string]any{"Set": set, "Program": rec.Verdict.Chinese(), "Final": final})
	}
	store := filepath.Join(state, "originals")
	p.say(w.Originals, map[string]any{"N": len(rec.Files)})
	bad := 0
	for _, f := range rec.Files {
		v := map[string]any{"File": f.Rel, "SHA256": f.SHA256}
		switch err := originals.Verify(store, f.SHA256); {
		case err == nil:
			p.say(w.OriginalOK, v)
		case errors.Is(err, fs.ErrNotExist):
			bad++
			p.say(w.OriginalMissing, v)
		case errors.Is(err, originals.ErrCorrupt):
			bad++
			p.say(w.OriginalCorrupt, v)
		default:
			bad++
			v["Err"] = err
			p.say(w.OriginalError, v)
		}
	}
	if bad > 0 {
		p.say(w.OriginalsAltered, map[string]any{"Bad": bad})
		return false
	}
	p.say(w.Intact, map[string]any{"N": len(rec.Files)})
	return true
}

// reviewedCopy reports whether the recorded copy is one of a reviewed set
// (审核后/第N次确认/), with the set's name and the verdict its confirmation
// confirmed, as the ledger's decisions record it.
func reviewedCopy(l *ledger.Ledger, rec *ledger.Archive) (set, final string, ok bool) {
	dir := filepath.Dir(filepath.FromSlash(rec.Path))
	if filepath.Base(filepath.Dir(dir)) != pipeline.ReviewedDirName {
		return "", "", false
	}
	set = filepath.Base(dir)
	ds, err := l.Decisions(ledger.Scope{All: true}, rec.SubmissionID, rec.Version)
	if err != nil {
		return set, "", true
	}
	n := 0
	for _, d := range ds {
		if d.Action == ledger.Confirm {
			if n++; pipeline.ReviewedSetName(n) == set {
				final = d.Message
			}
		}
	}
	return set, final, true
}
