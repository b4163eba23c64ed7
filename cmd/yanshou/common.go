package main

import (
	"flag"
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
	fs.StringVar(&c.config, "config", "", "`文件`县里的配置文件（yanshou.yaml）；不给时用内置的商水县配置")
	fs.StringVar(&c.outbox, "outbox", "outbox", "`文件夹`输出目录，生成的报告、通知书、归档册都放在这里（台账数据库在其中的 .yanshou 文件夹）")
	fs.StringVar(&c.logFormat, "log", "text", "`格式`日志（写到标准错误）的格式：text（中文文本）或 json")
	fs.BoolVar(&c.quiet, "quiet", false, "只记录警告和错误")
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
	p, err := pipeline.Open(cfg, set, c.outbox, newLogger(stderr, c.logFormat, c.quiet, cfg.Location))
	if err != nil {
		return nil, nil, err
	}
	return p, cfg, nil
}
