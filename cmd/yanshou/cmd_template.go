package main

import (
	"fmt"
	"io"

	"yanshou/pipeline/output/blank"
	"yanshou/pipeline/platform/config"
)

func init() {
	register("template", "write the blank workbooks institutions fill in (培训信息表, 学员名单, 签到表, 回访记录)", runTemplate)
}

func runTemplate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("template [--config F] [DIR]",
		"Writes the blank xlsx templates handed to institutions into DIR (default 培训材料模板).\n"+
			"Existing files are never overwritten.", stderr)
	cfgPath := fs.String("config", "", "county config file (yanshou.yaml)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitUsage
	}
	dir := "培训材料模板"
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou template:", err)
		return exitUnprocessed
	}
	files, err := blank.Write(dir, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou template:", err)
		return exitUnprocessed
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return exitOK
}
