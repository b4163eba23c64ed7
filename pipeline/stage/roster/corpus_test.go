package roster

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/longbridgeapp/opencc"

	"yanshou"
	"yanshou/pipeline/judge/facts"
	"yanshou/pipeline/platform/config"
	"yanshou/rules"
)

// The people corpus: generated rural classes read from real workbooks and
// judged by the default rules (the attendance, roster and trainee rules).
// Honest classes are written as rural institutions write them: names on the
// sign-in sheet in traditional or variant characters, a character mistyped with
// the phone right, households sharing one phone on the roster and on the sheet,
// IDs of the old 周口地区 codes, masked IDs on the sheet, a trainee missing a
// session. Frauds are planted one per class. Honest classes must give no veto
// (and no fail of these rules); every fraud must be caught.

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
		"梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "欧阳", "司马"}
	given = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞",
		"平", "刚", "桂英", "建国", "建华", "国强", "红梅", "玉兰", "凤英", "德华", "志强", "丽娟", "海燕", "春花", "长江", "学文", "书华", "爱民"}
	codes = []string{"411623", "411623", "411623", "412723", "411626", "411602", "411622"}
)

type genPerson struct {
	name, id, phone, gender string
}

type genClass struct {
	name     string
	people   []genPerson
	sessions int
	// sign: per session and person, the row written (nil: absent)
	sign func(s, i int, p genPerson) *genPerson
	// fraud is the rule that must catch it ("" for an honest class).
	fraud string
}

func genID(r *rand.Rand, code string, birth time.Time, serial int) string {
	s := fmt.Sprintf("%s%s%03d", code, birth.Format("20060102"), serial)
	return s + string(checkChar(s))
}

func honestPeople(r *rand.Rand, n int) []genPerson {
	var out []genPerson
	used := map[string]bool{}
	for len(out) < n {
		name := surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))]
		if r.IntN(3) == 0 {
			name += given[r.IntN(len(given))][:3]
		}
		if used[name] {
			continue
		}
		used[name] = true
		birth := time.Date(1955+r.IntN(50), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		code := codes[r.IntN(len(codes))]
		if birth.Year() >= 2000 && code == "412723" {
			code = "411623"
		}
		serial := r.IntN(999)
		g := "男"
		if serial%2 == 0 {
			g = "女"
		}
		out = append(out, genPerson{name: name, id: genID(r, code, birth, serial), phone: fmt.Sprintf("1%d%09d", 3+r.IntN(6), r.IntN(1e9)), gender: g})
	}
	// Households: about one in six shares a phone with the person before
	// (a couple, or a parent and child), at most three on a phone.
	for i := 1; i < len(out); i++ {
		if r.IntN(6) == 0 && (i < 2 || out[i-2].phone != out[i-1].phone) {
			out[i].phone = out[i-1].phone
		}
	}
	return out
}

// honestSign writes a row as a trainee does: present nine times in ten, the
// name sometimes in traditional characters, once in a while a wrong character
// with the phone right, sometimes the ID masked.
func honestSign(r *rand.Rand, t2s *opencc.OpenCC) func(s, i int, p genPerson) *genPerson {
	return func(s, i int, p genPerson) *genPerson {
		if r.IntN(10) == 0 {
			return nil
		}
		q := p
		q.id = ""
		switch k := r.IntN(20); {
		case k < 3:
			q.name, _ = t2s.Convert(p.name)
		case k == 3:
			rs := []rune(p.name)
			rs[len(rs)-1] = []rune("玮芬娅绣敏靜麗")[r.IntN(7)]
			q.name = string(rs)
		case k < 6:
			q.id = p.id[:6] + "********" + p.id[14:]
		}
		return &q
	}
}

func genCorpus(n int, seed uint64) []genClass {
	r := rand.New(rand.NewPCG(seed, 17))
	s2t, err := opencc.New("s2t")
	if err != nil {
		panic(err)
	}
	var out []genClass
	for c := 0; c < n; c++ {
		people := honestPeople(r, 20+r.IntN(31))
		out = append(out, genClass{name: fmt.Sprintf("honest %d", c), people: people, sessions: 2 + r.IntN(3), sign: honestSign(r, s2t)})
	}
	// The frauds, each in a class otherwise honest.
	plant := func(name, rule string, change func(g *genClass)) {
		g := genClass{name: name, people: honestPeople(r, 30), sessions: 3, sign: honestSign(r, s2t), fraud: rule}
		change(&g)
		out = append(out, g)
	}
	plant("a county code that does not exist", "roster.ids_valid", func(g *genClass) {
		for i := range g.people[:8] {
			g.people[i].id = genID(r, "411699", time.Date(1980+i, 3, 3, 0, 0, 0, 0, time.UTC), 100+i*7)
		}
	})
	plant("everyone born on one day", "roster.ids_plausible", func(g *genClass) {
		for i := range g.people {
			g.people[i].id = genID(r, "411623", time.Date(1985, 6, 1, 0, 0, 0, 0, time.UTC), r.IntN(999))
		}
	})
	plant("serials 001…030", "roster.ids_plausible", func(g *genClass) {
		for i := range g.people {
			g.people[i].id = genID(r, "411623", time.Date(1960+i, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i+1)
		}
	})
	plant("ten trainees sharing one phone on the roster", "roster.phones", func(g *genClass) {
		for i := range g.people[:10] {
			g.people[i].phone = "13912345678"
		}
		sign := g.sign
		g.sign = func(s, i int, p genPerson) *genPerson {
			q := sign(s, i, p)
			if q != nil && i < 10 {
				q.phone = fmt.Sprintf("1370000%04d", i)
			}
			return q
		}
	})
	plant("ten people on five phones, two each, every session", "attendance.proxy_spread", func(g *genClass) {
		g.people = g.people[:10]
		g.sign = func(s, i int, p genPerson) *genPerson {
			q := p
			q.id = ""
			q.phone = g.people[i/2*2].phone
			return &q
		}
	})
	plant("six signed in on one phone in a session", "attendance.proxy_signin", func(g *genClass) {
		g.sign = func(s, i int, p genPerson) *genPerson {
			q := p
			q.id = ""
			if i < 6 {
				q.phone = g.people[0].phone
			}
			return &q
		}
	})
	plant("half the class never came", "attendance.rate", func(g *genClass) {
		g.sign = func(s, i int, p genPerson) *genPerson {
			if i%2 == 0 {
				return nil
			}
			q := p
			return &q
		}
	})
	return out
}

// writeClass writes the roster and sign-in workbooks of a generated class.
func writeClass(t testing.TB, dir string, g genClass) (yanshou.File, yanshou.File) {
	rows := [][]any{{"序号", "姓名", "性别", "身份证号码", "联系电话"}}
	for i, p := range g.people {
		rows = append(rows, []any{i + 1, p.name, p.gender, p.id, p.phone})
	}
	roster := workbook(t, dir, "学员名单.xlsx", sheetSpec{name: "学员名单", rows: rows})
	var sheets []sheetSpec
	for s := 0; s < g.sessions; s++ {
		rows := [][]any{{"姓名", "身份证号", "手机号码"}}
		for i, p := range g.people {
			if q := g.sign(s, i, p); q != nil {
				rows = append(rows, []any{q.name, q.id, q.phone})
			}
		}
		sheets = append(sheets, sheetSpec{name: "第" + strconv.Itoa(s+1) + "场", rows: rows})
	}
	return roster, workbook(t, dir, "签到表.xlsx", sheets...)
}

// judgePeople reads a class's workbooks and applies the default rules; it
// returns the findings of the people rules (attendance, roster, trainees).
func judgePeople(t testing.TB, cfg *yanshou.Config, set *rules.Set, roster, signin yanshou.File) []yanshou.Finding {
	a := Read([]yanshou.File{roster}, []yanshou.File{signin}, nil, nil, cfg)
	n := Count(a)
	f := facts.Gather(facts.Input{
		Submission: &yanshou.Submission{}, Attendance: a, Config: cfg,
		RosterProblems: facts.RosterCounts{InvalidIDs: n.InvalidIDs + n.MissingIDs, Duplicates: n.Duplicates},
		Phones:         Phones(a, cfg.Thresholds), IDPatterns: IDPatterns(a, cfg.Thresholds), Repeats: Repeats(a),
	})
	all, err := set.Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []yanshou.Finding
	for _, x := range all {
		if strings.HasPrefix(x.Rule, "attendance.") || strings.HasPrefix(x.Rule, "roster.") || strings.HasPrefix(x.Rule, "trainees.") {
			out = append(out, x)
		}
	}
	return out
}

// TestPeopleCorpus: 1,000 honest rural classes (100 with -short) give no veto
// and no fail of the people rules; each planted fraud is caught by its rule.
// PEOPLE_CORPUS=N sets the number of honest classes.
func TestPeopleCorpus(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	if v, err := strconv.Atoi(os.Getenv("PEOPLE_CORPUS")); err == nil && v > 0 {
		n = v
	}
	cfg := config.Default()
	set := rules.Default()
	dir := t.TempDir()
	warnings := map[string]int{}
	var vetoes, fails []string
	caught := map[string]string{}
	rows, people := 0, 0
	for _, g := range genCorpus(n, 2026) {
		roster, signin := writeClass(t, dir, g)
		got := judgePeople(t, cfg, set, roster, signin)
		people += len(g.people)
		rows += len(g.people) * g.sessions
		if g.fraud != "" {
			var seen []string
			for _, x := range got {
				if x.Severity != yanshou.Warning {
					seen = append(seen, x.Rule+"="+string(x.Severity))
				}
				if x.Rule == g.fraud && x.Severity != yanshou.Warning {
					caught[g.name] = x.Rule + " (" + string(x.Severity) + ")"
				}
			}
			if caught[g.name] == "" {
				t.Errorf("fraud %q not caught by %s: findings %v", g.name, g.fraud, seen)
			}
			continue
		}
		for _, x := range got {
			switch x.Severity {
			case yanshou.SevVeto:
				vetoes = append(vetoes, g.name+": "+x.Rule+" "+x.Message)
			case yanshou.SevFail:
				fails = append(fails, g.name+": "+x.Rule+" "+x.Message)
			default:
				warnings[x.Rule]++
			}
		}
	}
	var ws []string
	for k, v := range warnings {
		ws = append(ws, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(ws)
	t.Logf("honest classes: %d (%d trainees, about %d sign-in rows): %d vetoes, %d fails; warnings by rule: %s",
		n, people, rows, len(vetoes), len(fails), strings.Join(ws, ", "))
	for name, how := range caught {
		t.Logf("fraud %-52s caught by %s", name, how)
	}
	for _, v := range vetoes {
		t.Errorf("honest class vetoed: %s", v)
	}
	for i, f := range fails {
		if i < 10 {
			t.Errorf("honest class failed: %s", f)
		}
	}
	if len(fails) > 10 {
		t.Errorf("… %d fails in all", len(fails))
	}
}
