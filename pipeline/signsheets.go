package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"yanshou"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/format/signform"
	"yanshou/pipeline/stage/roster"
	"yanshou/pipeline/store/ledger"
	"yanshou/pipeline/store/originals"
	"yanshou/templates"
)

// signSheetWords is the wording of templates/report/signsheet.yaml.
type signSheetWords struct {
	Title       string   `yaml:"title"`
	ClassLine   string   `yaml:"class_line"`
	Dates       string   `yaml:"dates"`
	SessionLine string   `yaml:"session_line"`
	PageLine    string   `yaml:"page_line"`
	Instruction string   `yaml:"instruction"`
	Columns     []string `yaml:"columns"`
	FileName    string   `yaml:"file_name"`
	PDFTitle    string   `yaml:"pdf_title"`
}

// signSheetBlankMin is the least number of blank rows for walk-ins at the end of
// a session's sheet.
const signSheetBlankMin = 5

// SignSheetRequest names the printable sign-in sheets of one class: the roster
// they list, the class's name and days, and the sessions of each day.
type SignSheetRequest struct {
	Roster   string // path of the roster file (xlsx or CSV)
	Rel      string // its name as the institution gave it, whose extension says its format
	Class    string // printed in each sheet's header
	Start    yanshou.Date
	End      yanshou.Date
	Sessions []string // of each day, e.g. 上午, 下午
}

// SignSheetPlan is a class's printable sign-in sheets, ready to write: the
// roster read and the wording loaded. yanshou signin-sheets and the desk's
// download both make them here.
type SignSheetPlan struct {
	req      SignSheetRequest
	words    signSheetWords
	trainees []yanshou.Trainee
	cfg      *yanshou.Config
}

// PlanSignSheets reads the roster of req. It returns the problems the roster
// reader found (notes for the user) and an error when no sheet can be made
// (no trainee read, the wording broken).
func PlanSignSheets(req SignSheetRequest, cfg *yanshou.Config) (*SignSheetPlan, []yanshou.Evidence, error) {
	pl := &SignSheetPlan{req: req, cfg: cfg}
	if err := templates.Load(cfg.Templates, "report/signsheet.yaml", &pl.words); err != nil {
		return nil, nil, err
	}
	if len(pl.words.Columns) != signform.NumCols {
		return nil, nil, fmt.Errorf("模板 report/signsheet.yaml 的 columns 应有 %d 项，现有 %d 项", signform.NumCols, len(pl.words.Columns))
	}
	a := roster.Read([]yanshou.File{{Rel: req.Rel, Abs: req.Roster}}, nil, nil, &yanshou.ClassInfo{Start: req.Start, End: req.End}, cfg)
	if len(a.Trainees) == 0 {
		return nil, a.Problems, fmt.Errorf("%s：未读到任何学员，未生成签到表", req.Rel)
	}
	pl.trainees = a.Trainees
	return pl, a.Problems, nil
}

// Sheets is how many sheets Write writes: one per day and session.
func (pl *SignSheetPlan) Sheets() int {
	n := 0
	for d := pl.req.Start.Time; !d.After(pl.req.End.Time); d = d.AddDate(0, 0, 1) {
		n += len(pl.req.Sessions)
	}
	return n
}

// Write writes one A4 PDF per day and session into dir, refusing to
// overwrite a file. each is told of every sheet: its path, and the error of
// writing it (a *pdfdoc.MissingGlyphsError leaves a complete sheet).
func (pl *SignSheetPlan) Write(dir string, each func(path string, err error)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("无法创建文件夹 %s：%v", dir, err)
	}
	startS, endS := pl.req.Start.Format("2006-01-02"), pl.req.End.Format("2006-01-02")
	var keys []string
	for _, t := range pl.trainees {
		keys = append(keys, t.ID)
	}
	id := signform.ClassID(keys, startS, endS)
	for d := pl.req.Start.Time; !d.After(pl.req.End.Time); d = d.AddDate(0, 0, 1) {
		for _, part := range pl.req.Sessions {
			label := d.Format("2006-01-02") + " " + part
			each(writeSignSheet(dir, label, pl.req.Class, startS, endS, id, pl.trainees, pl.words, pl.cfg))
		}
	}
	return nil
}

// writeSignSheet writes one session's sheet into dir, refusing to overwrite.
func writeSignSheet(dir, label, class, start, end, id string, ts []yanshou.Trainee, w signSheetWords, cfg *yanshou.Config) (string, error) {
	var f templates.Filler
	name := f.Do(w.FileName, map[string]any{"Session": strings.ReplaceAll(label, " ", "-")})
	path := filepath.Join(dir, name)
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s 已存在，未覆盖（请换一个 --out 文件夹）", path)
	}
	s := signform.Sheet{
		Title:       w.Title,
		ClassLine:   f.Do(w.ClassLine, map[string]any{"Class": class, "Dates": f.Do(w.Dates, map[string]any{"Start": start, "End": end})}),
		SessionLine: f.Do(w.SessionLine, map[string]any{"Session": label}),
		Instruction: w.Instruction,
	}
	copy(s.Columns[:], w.Columns)
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.ID
	}
	plan := signform.Plan(id, label, keys, signSheetBlankMin)
	for _, pl := range plan {
		sp := signform.SheetPage{Payload: pl, PageLine: f.Do(w.PageLine, map[string]any{"Page": pl.Page, "Pages": pl.Pages})}
		for k := 0; k < pl.Rows+pl.Blank; k++ {
			n := pl.First + k
			row := signform.Row{No: fmt.Sprint(n + 1)}
			if k < pl.Rows {
				t := ts[n]
				row.Name, row.ID, row.Phone = t.Name, MaskID(t.ID), lastDigits(t.Phone, 4)
			}
			sp.Rows = append(sp.Rows, row)
		}
		s.Pages = append(s.Pages, sp)
	}
	if f.Err != nil {
		return "", f.Err
	}
	title := f.Do(w.PDFTitle, map[string]any{"Class": class, "Session": label})
	err := s.WritePDF(path, cfg.Fonts, pdfdoc.Info{Title: title, Subject: "YS-SIGNIN " + id, Created: time.Now()})
	return path, err
}

// MaskID shows an ID number's first and last four characters: 4101**********1234.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) <= 8 {
		return id
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
}

// lastDigits is the last n digits of a phone number ("" when it has none).
func lastDigits(s string, n int) string {
	var d []rune
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d = append(d, r)
		}
	}
	if len(d) > n {
		d = d[len(d)-n:]
	}
	return string(d)
}

// JudgedRoster finds a judged class in the ledger, in scope, and the roster
// of its latest version in the originals store of outbox; or says in Chinese
// why not (problem).
func JudgedRoster(led *ledger.Ledger, outbox string, scope ledger.Scope, id string, cfg *yanshou.Config) (rec *yanshou.ClassRecord, path, rel, problem string) {
	rec, err := led.ScopedClass(scope, id, time.Now(), cfg.Location, cfg.Thresholds.AttendancePass)
	if err != nil {
		return nil, "", "", err.Error()
	}
	if rec == nil || rec.Latest() == nil {
		return nil, "", "", fmt.Sprintf("台账中没有已验收的班次 %s", id)
	}
	files, err := led.ScopedFiles(scope, id, rec.Latest().Version)
	if err != nil {
		return nil, "", "", err.Error()
	}
	for _, f := range files {
		if f.Kind == yanshou.Roster {
			path = originals.Path(filepath.Join(outbox, StateDirName, "originals"), f.SHA256)
			if _, err := os.Stat(path); err != nil {
				return nil, "", "", fmt.Sprintf("班次 %s 的学员名单 %s 的存档原件不在（%s）", id, f.Rel, path)
			}
			return rec, path, f.Rel, ""
		}
	}
	return nil, "", "", fmt.Sprintf("班次 %s 第 %d 版没有学员名单", id, rec.Latest().Version)
}
