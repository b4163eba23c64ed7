package main

import (
	"flag"
	"fmt"
	"io"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

// commonFlags are the flags every pipeline command shares.
type commonFlags struct {
	config    string
	outbox    string
	logFormat string
	quiet     bool
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "county config file (yanshou.yaml); default: the built-in 商水县 config")
	fs.StringVar(&c.outbox, "outbox", "outbox", "folder for everything generated (the ledger lives in its .yanshou/ folder)")
	fs.StringVar(&c.logFormat, "log", "text", "log format on stderr: text or json")
	fs.BoolVar(&c.quiet, "quiet", false, "log warnings and errors only")
}

// open loads the config and rules and opens the pipeline.
func (c *commonFlags) open(stderr io.Writer) (*pipeline.Pipeline, *yanshou.Config, error) {
	cfg, err := config.Load(c.config)
	if err != nil {
		return nil, nil, err
	}
	set, err := rules.Load(cfg.Rules)
	if err != nil {
		return nil, nil, err
	}
	p, err := pipeline.Open(cfg, set, c.outbox, newLogger(stderr, c.logFormat, c.quiet))
	if err != nil {
		return nil, nil, err
	}
	return p, cfg, nil
}

// newFlagSet makes a flag set whose usage text starts with the command's synopsis.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: yanshou %s\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, returning an exit code when the command should stop.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK, true
		}
		return exitUsage, true
	}
	return 0, false
}
