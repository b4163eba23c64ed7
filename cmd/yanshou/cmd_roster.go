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
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/stage/roster"
)

func init() {
	register("roster", "read a roster, sign-ins and follow-ups: trainees, attendance matrix and every problem", runRoster)
}

func runRoster(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("roster [--json] [--config F] [--start DATE --end DATE] ROSTER.xlsx [SIGNIN.xlsx [FOLLOWUP.xlsx]]",
		"Reads an approved roster (培训学员名单), optionally a sign-in workbook (签到表) and phone\n"+
			"follow-up records (电话回访记录), the way `check` reads them, and prints the parsed roster,\n"+
			"the attendance matrix (trainee × session), the sign-ins not matched to the roster, the\n"+
			"follow-ups and every problem with its file, sheet and row. xlsx and CSV are accepted.\n"+
			"With --start/--end (the training dates) ages, session dates and follow-up dates are checked too.", stderr)
	cfgPath := fs.String("config", "", "county config file (yanshou.yaml); default: the built-in 商水县 config")
	asJSON := fs.Bool("json", false, "print the attendance (trainees, sign-ins, follow-ups, sessions, problems) as JSON")
	start := fs.String("start", "", "first day of the training (2026-03-10), for ages and dates")
	end := fs.String("end", "", "last day of the training (default: --start)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() < 1 || fs.NArg() > 3 {
		fmt.Fprintln(stderr, "yanshou roster: give ROSTER, and optionally SIGNIN and FOLLOWUP")
		fs.Usage()
		return exitUsage
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou roster:", err)
		return exitUnprocessed
	}
	if err := pipeline.UseVocabularies(cfg); err != nil { // the county's column names
		fmt.Fprintln(stderr, "yanshou roster:", err)
		return exitUnprocessed
	}
	class, err := rosterClass(*start, *end, cfg.Location)
	if err != nil {
		fmt.Fprintln(stderr, "yanshou roster:", err)
		return exitUsage
	}
	var files [3][]yanshou.File
	for i, p := range fs.Args() {
		abs, err := filepath.Abs(p)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			fmt.Fprintf(stderr, "yanshou roster: %s：无法读取（%v）\n", p, err)
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
			fmt.Fprintln(stderr, "yanshou roster:", err)
			return exitUnprocessed
		}
		return exitOK
	}
	printRosterReport(stdout, a, cfg, len(files[1]) > 0, len(files[2]) > 0)
	return exitOK
}

// rosterClass makes the class the training dates describe, or nil without them.
func rosterClass(start, end string, loc *time.Location) (*yanshou.ClassInfo, error) {
	if start == "" && end == "" {
		return nil, nil
	}
	if start == "" {
		return nil, fmt.Errorf("--end needs --start")
	}
	if end == "" {
		end = start
	}
	s, err1 := time.ParseInLocation("2006-01-02", start, loc)
	e, err2 := time.ParseInLocation("2006-01-02", end, loc)
	if err1 != nil || err2 != nil || e.Before(s) {
		return nil, fmt.Errorf("--start %q / --end %q: give dates as 2026-03-10, the end not before the start", start, end)
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
