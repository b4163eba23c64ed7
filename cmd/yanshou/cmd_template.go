package main

import (
	"fmt"
	"io"

	"yanshou/pipeline/output/blank"
	"yanshou/pipeline/platform/config"
)

func init() {
	register("template", "写出发给培训机构填写的空白表格（培训信息表、学员名单、签到表、回访记录、月度计划）", runTemplate)
}

func runTemplate(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("template [选项] 文件夹",
		"把发给培训机构填写的空白 xlsx 模板写到给出的文件夹（没有则新建）。必须给出文件夹：\n"+
			"不会默认写进当前目录。已有的文件从不覆盖。",
		stderr,
		"yanshou template 培训材料模板",
		"yanshou template --config yanshou.yaml D:/发给机构/2026年模板")
	cfgPath := fs.String("config", "", "`文件`县里的配置文件（yanshou.yaml）：县名、办公室名称和自定的模板文件夹")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	switch fs.NArg() {
	case 0:
		// Writing into the current folder by default would put workbooks into
		// whatever folder one stands in (often the repository).
		return usageError(fs, "请给出模板写入的文件夹，如 yanshou template 培训材料模板")
	case 1:
	default:
		return usageError(fs, "只能给一个文件夹")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou template：%v\n", err)
		return exitUnprocessed
	}
	files, err := blank.Write(fs.Arg(0), cfg)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou template：%v\n", err)
		return exitUnprocessed
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return exitOK
}
