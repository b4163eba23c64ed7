package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline"
	"yanshou/pipeline/format/sheet"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/platform/oserr"
	"yanshou/pipeline/stage/roster"
)

func init() {
	register("roster", "读取学员名单、签到表和回访记录：学员、考勤矩阵和每个问题", runRoster)
}

func runRoster(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("roster [选项] 学员名单.xlsx [签到表.xlsx [电话回访记录.xlsx]]",
		"像 check 那样读取经审批的培训学员名单，以及（可选）签到表和电话回访记录，打印读到的\n"+
			"名单、考勤矩阵（学员 × 场次）、名单外或无法对应的签到、回访记录，以及每个问题所在的\n"+
			"文件、工作表和行。接受 xlsx、xlsm 和 CSV。给出 --start/--end（培训日期）时，也核对年龄、\n"+
			"签到日期和回访日期。名单中一个学员也没读到时退出码为 1。",
		stderr,
		"yanshou roster 07学员名单/培训学员名单.xlsx",
		"yanshou roster --start 2026-03-10 --end 2026-03-12 培训学员名单.xlsx 签到表.xlsx 电话回访记录.xlsx",
		"yanshou roster --json 培训学员名单.csv > 名单.json")
	cfgPath := fs.String("config", "", "`文件`县里的配置文件（yanshou.yaml）；不给时用内置的商水县配置")
	asJSON := fs.Bool("json", false, "以 JSON 打印读到的考勤（学员、签到、回访、场次、问题）")
	start := fs.String("start", "", "`日期`培训第一天（如 2026-03-10），用于核对年龄和日期")
	end := fs.String("end", "", "`日期`培训最后一天（不给时同 --start）")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() < 1 || fs.NArg() > 3 {
		return usageError(fs, "请给出学员名单，以及可选的签到表和电话回访记录（最多 3 个文件）")
	}
	for _, p := range fs.Args() {
		if !sheet.IsTable(p) {
			return usageError(fs, fmt.Sprintf("%s 不是表格文件（应为 .xlsx、.xlsm 或 .csv）", p))
		}
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "yanshou roster：%v\n", err)
		return exitUnprocessed
	}
	if err := pipeline.UseVocabularies(cfg); err != nil { // the county's column names
		fmt.Fprintf(stderr, "yanshou roster：%v\n", err)
		return exitUnprocessed
	}
	class, err := rosterClass(*start, *end, cfg.Location)
	if err != nil {
		return usageError(fs, err.Error())
	}
	var files [3][]yanshou.File
	for i, p := range fs.Args() {
		abs, err := filepath.Abs(p)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			fmt.Fprintf(stderr, "yanshou roster：%s：无法读取（%s）\n", p, oserr.Reason(err))
			return exitUnprocessed
		}
		files[i] = []yanshou.File{{Rel: filepath.ToSlash(p), Abs: abs}}
	}
	a := roster.Read(files[0], files[1], files[2], class, cfg)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a); err != nil {
			fmt.Fprintf(stderr, "yanshou roster：%v\n", err)
			return exitUnprocessed
		}
	} else {
		printRosterReport(stdout, a, cfg, len(files[1]) > 0, len(files[2]) > 0)
	}
	if len(a.Trainees) == 0 {
		// A file that is no roster (a text file, another table) reads as no one:
		// say so rather than "0 人" as if the class had no trainees.
		fmt.Fprintf(stderr, "yanshou roster：%s：没有读到任何学员。请确认这是培训学员名单，表头含“姓名”“身份证号码”等列\n", fs.Arg(0))
		return exitUnprocessed
	}
	return exitOK
}

// rosterClass makes the class the training dates describe, or nil without them.
func rosterClass(start, end string, loc *time.Location) (*yanshou.ClassInfo, error) {
	if start == "" && end == "" {
		return nil, nil
	}
	if start == "" {
		return nil, fmt.Errorf("给了 --end 就要同时给 --start")
	}
	if end == "" {
		end = start
	}
	s, err1 := time.ParseInLocation("2006-01-02", start, loc)
	e, err2 := time.ParseInLocation("2006-01-02", end, loc)
	if err1 != nil || err2 != nil || e.Before(s) {
		return nil, fmt.Errorf("--start %q / --end %q：日期请写成 2026-03-10 这样，结束不能早于开始", start, end)
	}
	return &yanshou.ClassInfo{Start: yanshou.Date{Time: s}, End: yanshou.Date{Time: e}}, nil
}

// printRosterReport prints what was read, for a person at a terminal, in Chinese.
func printRosterReport(w io.Writer, a *yanshou.Attendance, cfg *yanshou.Config, signins, followups bool) {
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return ""
	}
	local, poor := 0, 0
	for _, t := range a.Trainees {
		if t.Local {
			local++
		}
		if t.Poor {
			poor++
		}
	}
	fmt.Fprintf(w, "培训学员名单：%d 人（本县 %d 人，建档立卡贫困户 %d 人）\n", len(a.Trainees), local, poor)
	var tb table
	tb.add("序号", "姓名", "性别", "身份证号码", "联系电话", "乡镇", "学员类别", "贫困户", "本县", "出生日期", "位置")
	for i, t := range a.Trainees {
		tb.add(fmt.Sprint(i+1), t.Name, t.Gender, t.ID, t.Phone, t.Town, t.Category, yes(t.Poor), yes(t.Local), t.Birth, rosterPlace(t.File, t.Sheet, t.Row))
	}
	tb.write(w)

	if signins {
		n := roster.Count(a)
		fmt.Fprintf(w, "\n考勤：%d 场，√ 为签到；签到达到 %.0f%% 场次为参训。参训 %d 人，名单外 %d 人，无法唯一对应 %d 行\n",
			len(a.Sessions), cfg.Thresholds.TraineeMinSessionShare*100, n.Trained, n.WalkIns, n.Ambiguous)
		attended := make([]map[string]bool, len(a.Trainees))
		for _, s := range a.SignIns {
			if s.Match == yanshou.Matched && s.Trainee >= 0 && s.Trainee < len(a.Trainees) {
				if attended[s.Trainee] == nil {
					attended[s.Trainee] = map[string]bool{}
				}
				attended[s.Trainee][s.Session] = true
			}
		}
		var m table
		m.add(append(append([]string{"姓名", "身份证号码"}, a.Sessions...), "签到场次", "参训")...)
		for i, t := range a.Trainees {
			row := []string{t.Name, t.ID}
			for _, s := range a.Sessions {
				row = append(row, map[bool]string{true: "√", false: "·"}[attended[i][s]])
			}
			m.add(append(row, fmt.Sprintf("%d/%d", t.Sessions, len(a.Sessions)), yes(t.Trained))...)
		}
		m.write(w)

		var other table
		other.add("结果", "场次", "姓名", "身份证号码", "手机号", "位置", "原因")
		k := 0
		for _, s := range a.SignIns {
			if s.Match == yanshou.Matched {
				continue
			}
			k++
			other.add(map[yanshou.Match]string{yanshou.WalkIn: "名单外", yanshou.Ambiguous: "无法对应"}[s.Match],
				s.Session, s.Name, s.ID, s.Phone, rosterPlace(s.File, s.Sheet, s.Row), s.Reason)
		}
		if k > 0 {
			fmt.Fprintf(w, "\n签到记录中不在名单或无法唯一对应的：%d 行\n", k)
			other.write(w)
		}
		u := roster.Phones(a, cfg.Thresholds)
		if px := u.Rings; len(px) > 0 {
			fmt.Fprintf(w, "\n疑似代签（一个手机号为超过 %d 人签到）：%d 处\n", cfg.Thresholds.HouseholdPhoneMax, len(px))
			for _, e := range px {
				fmt.Fprintf(w, "  %s %s\n", e.File, e.Detail)
			}
		}
		if hh := u.Households; len(hh) > 0 {
			fmt.Fprintf(w, "\n同户共用手机签到（请核对）：%d 处\n", len(hh))
			for _, e := range hh {
				fmt.Fprintf(w, "  %s %s\n", e.File, e.Detail)
			}
		}
	}

	if followups {
		fmt.Fprintf(w, "\n电话回访记录：%d 行\n", len(a.FollowUps))
		var f table
		f.add("姓名", "回访日期", "对应学员", "开设网店", "网上销售", "电商应用", "回访情况", "位置")
		for _, c := range a.FollowUps {
			who := "—"
			if c.Trainee >= 0 && c.Trainee < len(a.Trainees) {
				who = fmt.Sprintf("第%d位 %s", c.Trainee+1, a.Trainees[c.Trainee].Name)
			}
			date := c.Date
			if c.BeforeEnd {
				date += "（早于结束）"
			}
			f.add(c.Name, date, who, rosterOutcome(c.OpenedShop), rosterOutcome(c.SellsOnline), rosterOutcome(c.Applied), rosterNote(c.Note, 30), rosterPlace(c.File, c.Sheet, c.Row))
		}
		f.write(w)
	}

	fmt.Fprintf(w, "\n问题：%d 项\n", len(a.Problems))
	if len(a.Problems) > 0 {
		var p table
		p.add("文件", "工作表", "行", "说明")
		for _, e := range a.Problems {
			row := ""
			if e.Row > 0 {
				row = fmt.Sprint(e.Row)
			}
			p.add(e.File, e.Sheet, row, e.Detail)
		}
		p.write(w)
	}
}

// rosterPlace names a row: 名单.xlsx「Sheet1」第5行.
func rosterPlace(file, sheet string, row int) string {
	s := file
	if sheet != "" {
		s += "「" + sheet + "」"
	}
	if row > 0 {
		s += fmt.Sprintf("第%d行", row)
	}
	return s
}

// rosterOutcome shows an outcome cell read as yes or no ("" when not recorded).
func rosterOutcome(b *bool) string {
	if b == nil {
		return ""
	}
	if *b {
		return "是"
	}
	return "否"
}

// rosterNote shortens a note to n characters on one line.
func rosterNote(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
