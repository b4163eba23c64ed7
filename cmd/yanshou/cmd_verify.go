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
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

func init() {
	register("verify", "check a bound archive (归档-*.pdf) and its originals against the ledger", runVerify)
}

// verifyWords is templates/report/verify.yaml.
type verifyWords struct {
	Archive          string `yaml:"archive"`
	SHA256           string `yaml:"sha256"`
	NoLedger         string `yaml:"no_ledger"`
	Record           string `yaml:"record"`
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
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify [--outbox DIR] [--config F] [--templates DIR] ARCHIVE.pdf...",
		"Recomputes the SHA-256 of each archive copy and of every stored original it was bound from,\n"+
			"and compares them with the ledger. Prints, in Chinese, whether each archive is intact.\n"+
			"Exit status: 0 every archive intact, 1 one altered or unknown, 2 bad usage.", stderr)
	outbox := fs.String("outbox", "", "the outbox holding the ledger (default: the outbox the archive sits in, else ./outbox)")
	cfgPath := fs.String("config", "", "county config file (for its templates: folder)")
	tmpl := fs.String("templates", "", "folder overriding the built-in wording (report/verify.yaml)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "yanshou verify: no ARCHIVE.pdf given")
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou verify:", err)
		return exitUsage
	}
	if *tmpl != "" {
		cfg.Templates = *tmpl
	}
	var w verifyWords
	if err := templates.Load(cfg.Templates, "report/verify.yaml", &w); err != nil {
		fmt.Fprintln(stderr, "yanshou verify:", err)
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
		fmt.Fprintln(stderr, "yanshou verify:", p.err)
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
// the archive sits in (outbox/<version folder>/归档-*.pdf), else ./outbox's.
func ledgerDir(archivePath, outbox string) string {
	cands := []string{outbox}
	if outbox == "" {
		cands = []string{filepath.Dir(filepath.Dir(archivePath)), "outbox"}
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
	if err != nil {
		p.say(w.ReadError, map[string]any{"Path": path, "Err": err})
		p.say(w.Altered, nil)
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
