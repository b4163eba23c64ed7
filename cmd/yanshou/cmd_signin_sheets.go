package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/store/ledger"
)

func init() {
	register("signin-sheets", "打印纸质签到表：按学员名单每场生成一份 A4 PDF（带二维码和定位方块，扫描或拍照后可读回）", runSigninSheets)
}

func runSigninSheets(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("signin-sheets [选项] --start 日期 [--end 日期] 学员名单.xlsx | --class-id 编号",
		"按审核通过的学员名单（培训学员名单，xlsx 或 CSV）为培训的每一天、每一场生成一份 A4 纸质签到表 PDF：\n"+
			"每页最多 25 行（序号、姓名、打码的身份证号、手机尾号、本人签名栏），末尾留空行给名单外人员，\n"+
			"每页右上角有二维码（培训班、场次、页码、所列学员），四角有定位方块。请按“实际大小”打印，\n"+
			"课后将签好的各页扫描（PDF）或拍照（JPEG/PNG）随培训材料一并提交，程序读回每个签名栏。\n"+
			"已验收过的班次可用 --class-id 给出验收编号：名单取自台账存档的原件，日期和名称取自台账。", stderr,
		"yanshou signin-sheets --start 2026-03-10 --end 2026-03-11 07培训学员名单/培训学员名单.xlsx",
		"yanshou signin-sheets --sessions 上午,下午,晚上 --class 农村电商直播带货培训班（第3期） --start 2026-05-12 --out 签到表 学员名单.xlsx",
		"yanshou signin-sheets --outbox outbox --class-id SDC7V841N3SMY1")
	cfgPath := fs.String("config", "", "县配置文件（yanshou.yaml）；默认：内置的商水县配置")
	out := fs.String("out", "签到表", "PDF 写入的文件夹（不存在则创建；已有同名文件不覆盖）")
	class := fs.String("class", "", "印在表头的培训班名称；默认：名单文件名")
	start := fs.String("start", "", "培训第一天（2026-03-10）")
	end := fs.String("end", "", "培训最后一天（默认与 --start 相同）")
	sessions := fs.String("sessions", "上午,下午", "每天的场次，逗号分隔")
	outbox := fs.String("outbox", "outbox", "输出目录（与 --class-id 一起用：台账在其 .yanshou/ 子目录中）")
	classID := fs.String("class-id", "", "已验收班次的验收编号：名单、日期和名称取自台账，不再给名单文件和日期")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *classID == "" && (fs.NArg() != 1 || *start == "") || *classID != "" && (fs.NArg() != 0 || *start != "" || *end != "") {
		fmt.Fprintln(stderr, "yanshou signin-sheets：请给出一个学员名单文件和 --start 培训日期，或只给 --class-id 验收编号")
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou signin-sheets：", err)
		return exitUnprocessed
	}
	var stored, storedRel string // the roster kept in the originals store, for --class-id, and its name in the submission
	if *classID != "" {
		rec, path, rel, msg := judgedRoster(*outbox, *classID, cfg)
		if msg != "" {
			fmt.Fprintln(stderr, "yanshou signin-sheets："+msg)
			return exitUnprocessed
		}
		*start, *end, stored, storedRel = rec.Start.Format("2006-01-02"), rec.End.Format("2006-01-02"), path, rel
		if *class == "" {
			*class = strings.TrimSpace(rec.Title + " " + rec.Class)
		}
	}
	if err := pipeline.UseVocabularies(cfg); err != nil {
		fmt.Fprintln(stderr, "yanshou signin-sheets：", err)
		return exitUnprocessed
	}
	ci, err := rosterClass(*start, *end, cfg.Location)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou signin-sheets：培训日期有误：", err)
		return exitUsage
	}
	parts := splitSessions(*sessions)
	if len(parts) == 0 {
		fmt.Fprintln(stderr, "yanshou signin-sheets：--sessions 不能为空（例：上午,下午）")
		return exitUsage
	}
	p := fs.Arg(0)
	if stored != "" {
		p = stored
	}
	abs, err := filepath.Abs(p)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "yanshou signin-sheets：%s：无法读取（%v）\n", p, err)
		return exitUnprocessed
	}
	rel := filepath.ToSlash(p)
	if storedRel != "" {
		rel = storedRel // the name the institution gave it, whose extension says its format
	}
	if *class == "" {
		*class = strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	}
	req := pipeline.SignSheetRequest{Roster: abs, Rel: rel, Class: *class, Start: ci.Start, End: ci.End, Sessions: parts}
	plan, problems, err := pipeline.PlanSignSheets(req, cfg)
	for _, e := range problems {
		fmt.Fprintf(stderr, "yanshou signin-sheets：注意：%s\n", rosterPlace(e.File, e.Sheet, e.Row)+" "+e.Detail)
	}
	if err != nil {
		fmt.Fprintln(stderr, "yanshou signin-sheets：", err)
		return exitUnprocessed
	}
	code := exitOK
	err = plan.Write(*out, func(path string, err error) {
		var mg *pdfdoc.MissingGlyphsError
		switch {
		case errors.As(err, &mg):
			fmt.Fprintf(stderr, "yanshou signin-sheets：注意：%v\n", err)
		case err != nil:
			fmt.Fprintln(stderr, "yanshou signin-sheets：", err)
			code = exitUnprocessed
			return
		}
		fmt.Fprintln(stdout, path)
	})
	if err != nil {
		fmt.Fprintln(stderr, "yanshou signin-sheets：", err)
		return exitUnprocessed
	}
	return code
}

// splitSessions reads --sessions: comma-separated (either comma), blanks dropped.
func splitSessions(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// judgedRoster finds a judged class in the ledger of outbox and the roster of
// its latest version in the originals store, or says in Chinese why not.
func judgedRoster(outbox, id string, cfg *yanshou.Config) (rec *yanshou.ClassRecord, path, rel, problem string) {
	state := filepath.Join(outbox, pipeline.StateDirName)
	if _, err := os.Stat(filepath.Join(state, "ledger.db")); err != nil {
		return nil, "", "", fmt.Sprintf("%s 中没有台账（%s）", outbox, filepath.Join(state, "ledger.db"))
	}
	led, err := ledger.Open(state)
	if err != nil {
		return nil, "", "", err.Error()
	}
	defer led.Close()
	return pipeline.JudgedRoster(led, outbox, ledger.Scope{All: true}, id, cfg)
}
