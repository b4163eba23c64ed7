// Package rules holds the county's acceptance rules and evaluates them. The
// default rule set (default.yaml, embedded) names every rule id of DESIGN.md; each
// check is an expression compiled by expr-lang/expr against yanshou.Facts, so a
// rule that names an unknown fact is rejected when the set is loaded, with the
// rule id and the reason.
package rules

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"

	"yanshou"
	"yanshou/pipeline/format/zh"
)

//go:embed default.yaml
var defaultYAML []byte

// Required are the rule ids DESIGN.md fixes; the default set contains them all.
var Required = []string{
	"materials.complete", "timeline.approved_before_start", "roster.ids_valid",
	"attendance.rate", "attendance.walk_ins", "attendance.proxy_signin",
	"photos.count", "photos.time_window", "photos.location", "photos.unverifiable",
	"photos.reused", "followup.coverage", "trainees.double_counted",
}

// Set is a compiled rule set.
type Set struct {
	Source string // where it was read from
	Rules  []Rule
}

// Rule is one acceptance rule: an id, the article it enforces, and its checks.
type Rule struct {
	ID       string  `yaml:"id"`
	Article  string  `yaml:"article"`
	Title    string  `yaml:"title"`
	Evidence string  `yaml:"evidence"` // key into Facts.Evidence
	Checks   []Check `yaml:"checks"`
}

// Check is one condition of a rule; the first check that holds decides the finding.
type Check struct {
	Severity string `yaml:"severity"` // veto | fail | warning | off
	When     string `yaml:"when"`
	Message  string `yaml:"message"`

	when    *vm.Program
	message []piece
}

// piece is literal text or a compiled {{ expression }} of a message.
type piece struct {
	text string
	prog *vm.Program
}

var placeholder = regexp.MustCompile(`\{\{(.*?)\}\}`)

// Default returns the built-in rule set.
func Default() *Set {
	s, err := Parse(defaultYAML, "rules/default.yaml")
	if err != nil {
		panic("built-in rule set does not compile: " + err.Error())
	}
	return s
}

// DefaultYAML returns the text of the built-in rule set (to copy and edit).
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Load reads and compiles a rule file; "" means the built-in set.
func Load(path string) (*Set, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes and compiles a rule set. Every problem is reported with the rule id.
func Parse(data []byte, source string) (*Set, error) {
	var doc struct {
		Rules []Rule `yaml:"rules"`
	}
	d := yaml.NewDecoder(bytes.NewReader(data))
	d.KnownFields(true)
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("rules %s: %v", source, err)
	}
	var problems []string
	seen := map[string]bool{}
	for i := range doc.Rules {
		r := &doc.Rules[i]
		name := r.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
			problems = append(problems, name+": id is empty")
		}
		if seen[r.ID] {
			problems = append(problems, name+": id is used twice")
		}
		seen[r.ID] = true
		if r.Article == "" {
			problems = append(problems, name+": article is empty")
		}
		if r.Evidence != "" && !slices.Contains(yanshou.EvidenceKeys, r.Evidence) {
			problems = append(problems, fmt.Sprintf("%s: evidence %q is not a list the facts provide (one of %s)", name, r.Evidence, strings.Join(yanshou.EvidenceKeys, ", ")))
		}
		if len(r.Checks) == 0 {
			problems = append(problems, name+": has no checks")
		}
		for j := range r.Checks {
			if err := r.Checks[j].compile(); err != nil {
				problems = append(problems, fmt.Sprintf("%s: check %d: %v", name, j+1, err))
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("rules %s: %s", source, strings.Join(problems, "; "))
	}
	return &Set{Source: source, Rules: doc.Rules}, nil
}

func options() []expr.Option {
	return []expr.Option{
		expr.Env(yanshou.Facts{}),
		expr.Function("pct", func(p ...any) (any, error) {
			return zh.Percent(p[0].(float64)), nil
		}, new(func(float64) string)),
		expr.Function("duration", func(p ...any) (any, error) {
			return zh.Duration(p[0].(time.Duration)), nil
		}, new(func(time.Duration) string)),
	}
}

func (c *Check) compile() error {
	switch yanshou.Severity(c.Severity) {
	case yanshou.SevVeto, yanshou.SevFail, yanshou.Warning:
	case "off":
	default:
		return fmt.Errorf("severity %q must be veto, fail, warning or off", c.Severity)
	}
	if strings.TrimSpace(c.When) == "" {
		return errors.New("when is empty")
	}
	prog, err := expr.Compile(c.When, append(options(), expr.AsBool())...)
	if err != nil {
		return fmt.Errorf("when %q: %v", c.When, oneLine(err))
	}
	c.when = prog
	if strings.TrimSpace(c.Message) == "" {
		return errors.New("message is empty")
	}
	c.message = nil
	rest := c.Message
	for {
		loc := placeholder.FindStringSubmatchIndex(rest)
		if loc == nil {
			c.message = append(c.message, piece{text: rest})
			return nil
		}
		c.message = append(c.message, piece{text: rest[:loc[0]]})
		src := strings.TrimSpace(rest[loc[2]:loc[3]])
		p, err := expr.Compile(src, options()...)
		if err != nil {
			return fmt.Errorf("message {{%s}}: %v", src, oneLine(err))
		}
		c.message = append(c.message, piece{prog: p})
		rest = rest[loc[1]:]
	}
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.SplitN(err.Error(), "\n", 2)[0]), " ")
}

// Evaluate runs every rule over the facts and returns the findings: for each rule,
// the first check that holds (checks with severity off hold nothing).
func (s *Set) Evaluate(f *yanshou.Facts) ([]yanshou.Finding, error) {
	var out []yanshou.Finding
	for _, r := range s.Rules {
		for _, c := range r.Checks {
			v, err := expr.Run(c.when, *f)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %v", r.ID, err)
			}
			if hold, _ := v.(bool); !hold {
				continue
			}
			if c.Severity == "off" {
				break
			}
			msg, err := c.render(f)
			if err != nil {
				return nil, fmt.Errorf("rule %s: message: %v", r.ID, err)
			}
			out = append(out, yanshou.Finding{
				Rule: r.ID, Title: r.Title, Article: r.Article, Severity: yanshou.Severity(c.Severity),
				Message: msg, Evidence: append([]yanshou.Evidence{}, f.Evidence[r.Evidence]...),
			})
			break
		}
	}
	return out, nil
}

func (c *Check) render(f *yanshou.Facts) (string, error) {
	var b strings.Builder
	for _, p := range c.message {
		if p.prog == nil {
			b.WriteString(p.text)
			continue
		}
		v, err := expr.Run(p.prog, *f)
		if err != nil {
			return "", err
		}
		fmt.Fprint(&b, v)
	}
	return b.String(), nil
}

// ArchiveBind is the rule applied once the archive of a passed class is bound,
// over the facts then known (Facts.Archive).
const ArchiveBind = "archive.bind"

// Headcount is the rule over the office's own headcount of each session
// (第七条): evaluated when a version is judged, and again on its facts when the
// office records a headcount after it was judged.
const Headcount = "attendance.headcount"

// EvaluateOnly runs the rules with the given ids over the facts, as Evaluate
// does (a rule set without them gives nothing).
func (s *Set) EvaluateOnly(f *yanshou.Facts, ids ...string) ([]yanshou.Finding, error) {
	sub := &Set{Source: s.Source}
	for _, r := range s.Rules {
		if slices.Contains(ids, r.ID) {
			sub.Rules = append(sub.Rules, r)
		}
	}
	return sub.Evaluate(f)
}

// Find returns the rule with the id, or nil.
func (s *Set) Find(id string) *Rule {
	for i := range s.Rules {
		if s.Rules[i].ID == id {
			return &s.Rules[i]
		}
	}
	return nil
}
