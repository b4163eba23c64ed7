package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"yanshou"
	"yanshou/pipeline/format/zh"
)

// style is how an institution names and lays out its files.
type style int

const (
	styleFolders style = iota // one numbered folder per material
	styleFlat                 // numbered files side by side
	styleMixed                // unnumbered names, a few folders, variant keywords
)

// camera is a phone that takes the class photos.
type camera struct {
	Make, Model, Software string
	Offset                bool // writes OffsetTimeOriginal
	GPSTime               bool // writes GPSDateStamp/GPSTimeStamp
	SubSec                bool
	OwnTables             bool // writes quantisation tables of its own, not libjpeg's (camera_quant_makes)
}

var (
	huawei = camera{Make: "HUAWEI", Model: "ALN-AL00", Software: "ALN-AL00 4.0.0.126(C00E120R3P3)", Offset: true, GPSTime: true}
	xiaomi = camera{Make: "Xiaomi", Model: "2211133C", Software: "MIUI 14.0.25", SubSec: true}
	oppo   = camera{Make: "OPPO", Model: "PGEM10", Software: "PGEM10_11_A.27"}
	vivo   = camera{Make: "vivo", Model: "V2241A", Software: "V2241A_A_1.10.3", Offset: true}
	iphone = camera{Make: "Apple", Model: "iPhone 14", Software: "17.3.1", Offset: true, GPSTime: true, SubSec: true, OwnTables: true}
)

// institution is a fictional training provider.
type institution struct {
	Name     string
	Style    style
	Title    string // 培训名称
	Contact  string // 联系人
	Tel      string // office phone
	Teachers []string
	Cameras  []camera
	Theme    [3]uint8 // courseware colour
	Author   string   // document author in file properties
}

var (
	instHongda = &institution{
		Name: "商水县宏达职业培训学校", Style: styleFolders, Title: "农村电商实用技能培训班",
		Contact: "孙建华", Tel: "0394-5421368",
		Teachers: []string{"刘建军（高级电子商务师）", "王丽（讲师）", "陈晓峰（淘宝大学认证讲师）", "赵志强（副教授）"},
		Cameras:  []camera{huawei, xiaomi}, Theme: [3]uint8{23, 92, 168}, Author: "宏达培训学校",
	}
	instNongshang = &institution{
		Name: "周口市农商电子商务培训中心", Style: styleFlat, Title: "电子商务进农村创业培训班",
		Contact: "马文博", Tel: "0394-8276015",
		Teachers: []string{"郭佳琪（讲师）", "何永生（电子商务师）", "周红梅（副教授）"},
		Cameras:  []camera{oppo, vivo}, Theme: [3]uint8{196, 72, 28}, Author: "Administrator",
	}
	instJinguo = &institution{
		Name: "商水县巾帼电商创业服务站", Style: styleMixed, Title: "巾帼电商直播带货培训班",
		Contact: "李秀兰", Tel: "13839451207",
		Teachers: []string{"杨雪（直播运营讲师）", "张艳（电子商务师）", "许婷婷（讲师）"},
		Cameras:  []camera{iphone, xiaomi}, Theme: [3]uint8{176, 38, 96}, Author: "lenovo",
	}
)

// caseSpec is what a case is meant to show; the generator turns it into files.
type caseSpec struct {
	Inst     *institution
	No       int    // 期次
	Start    string // 2006-01-02
	Days     int
	Applied  int // days before the start
	Approved int // days before the start; negative: after the start
	// TypedApproved is the days before the start the manifest says the class
	// was approved, when the institution typed another date than the 批复's
	// own; 0: the 批复's.
	TypedApproved int
	Office        bool // files titled as offices title them (关于……的批复, 学员花名册（已审核）)
	Trainees      int
	Address       string         // "" → the config's first venue
	Coords        yanshou.LatLon // WGS-84, with Address
	Missing       []yanshou.MaterialKind
	LatePhotos    int // on-site photos taken 5+ days after the end
	ReuseOf       int // 1-based case whose first photo in this class's window is copied; 0: none
	Trained       int // roster members signing enough sessions; 0: all of them
	WalkIns       int
	Paper         paperKind // paper sign-in sheets sent beside the xlsx
	// OwnStream: the case draws its dates, people and sign-ins from a random
	// stream of its own, not the one the cases before it share, so that adding
	// it at the end left every earlier case's files as they were.
	OwnStream bool
	// PhotoSalt picks other scenes for the class's photos (0: the class's own):
	// for a class whose scenes came out by chance like another class's.
	PhotoSalt   uint64
	Description string
	Verdict     yanshou.Verdict
	Rules       []string
}

// specs are the sample's cases in processing order.
var specs = []caseSpec{
	{Inst: instHongda, No: 1, Start: "2026-03-10", Days: 3, Applied: 19, Approved: 11, Trainees: 45,
		Description: "材料齐全、过程规范的培训班（每种材料一个文件夹，日期为 Excel 日期单元格）",
		Verdict:     yanshou.Pass},
	{Inst: instNongshang, No: 1, Start: "2026-03-03", Days: 2, Applied: 19, Approved: 7, Trainees: 36,
		Address:     "商水县新城街道阳城大道与章华路交叉口东北角农商电商实训基地三楼",
		Coords:      yanshou.LatLon{Lat: 33.53182, Lon: 114.62534},
		Description: "材料齐全的培训班（平铺编号文件，文字日期，培训地点为地址加 WGS-84 坐标）",
		Verdict:     yanshou.Pass},
	{Inst: instJinguo, No: 1, Start: "2026-03-24", Days: 2, Applied: 19, Approved: 11, Trainees: 30,
		Missing:     []yanshou.MaterialKind{yanshou.FollowUp, yanshou.Summary},
		Description: "缺少电话回访记录和情况总结",
		Verdict:     yanshou.Fail, Rules: []string{"materials.complete"}},
	{Inst: instHongda, No: 2, Start: "2026-04-07", Days: 2, Applied: 18, Approved: 11, Trainees: 38,
		LatePhotos:  3,
		Description: "部分现场照片拍摄于培训结束 5 天以后",
		Verdict:     yanshou.Fail, Rules: []string{"photos.time_window"}},
	{Inst: instNongshang, No: 3, Start: "2026-04-21", Days: 3, Applied: 4, Approved: -3, Trainees: 42,
		Description: "批复日期晚于开班日期（先培训后批复）",
		Verdict:     yanshou.Veto, Rules: []string{"timeline.approved_before_start"}},
	{Inst: instNongshang, No: 2, Start: "2026-03-11", Days: 2, Applied: 16, Approved: 7, Trainees: 32, ReuseOf: 1,
		Description: "一张现场照片与宏达职业培训学校第1期的照片完全相同",
		Verdict:     yanshou.Veto, Rules: []string{"photos.reused"}},
	{Inst: instHongda, No: 3, Start: "2026-05-12", Days: 2, Applied: 20, Approved: 13, Trainees: 40,
		Trained: 24, WalkIns: 2,
		Description: "批复名单中仅六成学员达到签到要求，另有 2 名名单外人员签到",
		Verdict:     yanshou.Fail, Rules: []string{"attendance.rate", "attendance.walk_ins"}},
	{Inst: instJinguo, No: 2, Start: "2026-05-19", Days: 2, Applied: 17, Approved: 9, Trainees: 34,
		Description: "材料齐全的培训班（不编号的文件名、花名册、课程内容、签到表按手机号核对）",
		Verdict:     yanshou.Pass},
	{Inst: instHongda, No: 4, Start: "2026-06-09", Days: 2, Applied: 8, Approved: -2, TypedApproved: 6, Trainees: 30,
		Description: "培训信息表填写的批复日期早于批复原文：批复原文的成文日期晚于开班日期",
		Verdict:     yanshou.Veto, Rules: []string{"papers.approval"}},
	{Inst: instJinguo, No: 3, Start: "2026-06-16", Days: 2, Applied: 18, Approved: 10, Trainees: 31, Office: true,
		Description: "材料齐全，文件按公文标题命名（关于同意……的批复、关于举办……的通知、学员花名册（已审核）、电话回访学员名单）",
		Verdict:     yanshou.Pass},
	{Inst: instHongda, No: 5, Start: "2026-06-23", Days: 2, Applied: 19, Approved: 11, Trainees: 30, Paper: paperSigned, OwnStream: true,
		Description: "签到表另附纸质签到表：第一场为手机拍照，第二场为扫描件，签名与电子签到一致",
		Verdict:     yanshou.Pass},
	{Inst: instHongda, No: 6, Start: "2026-06-29", Days: 2, Applied: 19, Approved: 11, Trainees: 30, Paper: paperThirdEmpty, OwnStream: true, PhotoSalt: 1,
		Description: "电子签到表记为全员到场，但纸质签到表扫描件上三分之一学员的签名栏为空",
		Verdict:     yanshou.Fail, Rules: []string{"attendance.paper_empty"}},
}

// session is one half-day of training.
type session struct {
	Day     time.Time
	Half    string // 上午 | 下午
	Course  course
	Teacher string
}

// Label is the session's sheet name, e.g. 3月10日上午.
func (s session) Label() string {
	return fmt.Sprintf("%d月%d日%s", s.Day.Month(), s.Day.Day(), s.Half)
}

// followUp is one phone call after the training.
type followUp struct {
	Trainee int
	At      time.Time
	Note    string
}

// photo is one picture of a class.
type photo struct {
	Rel    string // path in the submission
	Taken  time.Time
	GPS    yanshou.LatLon
	Cam    camera
	Group  bool
	Late   bool
	Seed   uint64 // scene stream
	Reused *photo // when set, the bytes are the other photo's
}

// class is one generated submission.
type class struct {
	caseSpec
	Index      int
	Dir        string
	Loc        *time.Location
	StartT     time.Time
	EndT       time.Time
	AppliedT   time.Time
	ApprovedT  time.Time
	TypedT     time.Time // the approval date the manifest gives
	NoticeT    time.Time
	SummaryT   time.Time
	ApprovalNo string
	Venue      string
	Point      yanshou.LatLon // photos are taken around it (WGS-84)
	Teachers   []string
	Sessions   []session
	Roster     []person
	Attend     [][]bool // [trainee][session]
	Walkers    []person
	Calls      []followUp
	Photos     []*photo
	Lectures   []course // distinct courses, in order
}

// Trained reports how many roster members signed in at least half of the sessions.
func (c *class) Trained() int {
	n := 0
	for _, a := range c.Attend {
		k := 0
		for _, v := range a {
			if v {
				k++
			}
		}
		if 2*k >= len(a) {
			n++
		}
	}
	return n
}

func (c *class) has(k yanshou.MaterialKind) bool {
	for _, m := range c.Missing {
		if m == k {
			return false
		}
	}
	return true
}

// buildPlan turns the specs into classes: people, sessions, sign-ins, photos.
func buildPlan(seed int64, cfg *yanshou.Config) ([]*class, error) {
	loc := cfg.Location
	if loc == nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	if len(cfg.Venues) == 0 {
		return nil, fmt.Errorf("sample: the county config names no venue")
	}
	venue := cfg.Venues[0]
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	folk := newPeople(rng)
	var classes []*class
	for i, s := range specs {
		start, err := time.ParseInLocation("2006-01-02", s.Start, loc)
		if err != nil {
			return nil, err
		}
		c := &class{caseSpec: s, Index: i, Loc: loc, StartT: start}
		c.EndT = start.AddDate(0, 0, s.Days-1)
		c.AppliedT = start.AddDate(0, 0, -s.Applied)
		c.ApprovedT = start.AddDate(0, 0, -s.Approved)
		c.TypedT = c.ApprovedT
		if s.TypedApproved != 0 {
			c.TypedT = start.AddDate(0, 0, -s.TypedApproved)
		}
		c.NoticeT = c.ApprovedT.AddDate(0, 0, 1)
		if !c.NoticeT.Before(start) {
			c.NoticeT = start.AddDate(0, 0, -3)
		}
		r := rng
		if s.OwnStream {
			r = rand.New(rand.NewPCG(uint64(seed), uint64(i+1)<<40|0x0a5e))
			folk.rng = r // the people already drawn stay taken
		}
		c.SummaryT = c.EndT.AddDate(0, 0, 4+r.IntN(4))
		c.Dir = dirName(s.Inst, s.No)
		if s.Address != "" {
			c.Venue, c.Point = s.Address, s.Coords
		} else {
			c.Venue, c.Point = venue.Name, venue.Point
		}
		planSessions(c, r)
		for range s.Trainees {
			c.Roster = append(c.Roster, folk.trainee())
		}
		for range s.WalkIns {
			c.Walkers = append(c.Walkers, folk.trainee())
		}
		planAttendance(c, r)
		planCalls(c, r)
		classes = append(classes, c)
	}
	numberApprovals(classes)
	for _, c := range classes {
		planPhotos(c, classes, rng)
		if c.ReuseOf > 0 && !slices.ContainsFunc(c.Photos, func(p *photo) bool { return p.Reused != nil }) {
			return nil, fmt.Errorf("sample: case %d has no photo of case %d on %s to reuse", c.Index+1, c.ReuseOf, c.EndT.Format("2006-01-02"))
		}
	}
	return classes, nil
}

func dirName(inst *institution, no int) string {
	switch inst.Style {
	case styleFlat:
		return fmt.Sprintf("%s/2026年第%d期培训资料", inst.Name, no)
	case styleMixed:
		return fmt.Sprintf("%s/巾帼电商第%s期", inst.Name, zh.Number(no))
	}
	return fmt.Sprintf("%s/第%d期", inst.Name, no)
}

// planSessions gives each half-day a course and a teacher.
func planSessions(c *class, rng *rand.Rand) {
	pool := coursesFor(c.Inst)
	off := rng.IntN(len(pool))
	nTeach := 2 + rng.IntN(2)
	if nTeach > len(c.Inst.Teachers) {
		nTeach = len(c.Inst.Teachers)
	}
	perm := rng.Perm(len(c.Inst.Teachers))
	for _, k := range perm[:nTeach] {
		c.Teachers = append(c.Teachers, c.Inst.Teachers[k])
	}
	n := 0
	for d := range c.Days {
		day := c.StartT.AddDate(0, 0, d)
		for _, half := range []string{"上午", "下午"} {
			crs := pool[(off+n)%len(pool)]
			c.Sessions = append(c.Sessions, session{Day: day, Half: half, Course: crs, Teacher: c.Teachers[n%len(c.Teachers)]})
			if len(c.Lectures) == 0 || c.Lectures[len(c.Lectures)-1].Title != crs.Title {
				c.Lectures = append(c.Lectures, crs)
			}
			n++
		}
	}
}

// planAttendance marks who signed which session.
func planAttendance(c *class, rng *rand.Rand) {
	n := len(c.Sessions)
	c.Attend = make([][]bool, len(c.Roster))
	absent := map[int]bool{}
	if c.caseSpec.Trained > 0 {
		for _, k := range rng.Perm(len(c.Roster))[:len(c.Roster)-c.caseSpec.Trained] {
			absent[k] = true
		}
	}
	for i := range c.Roster {
		c.Attend[i] = make([]bool, n)
		if !absent[i] {
			for s := range n {
				c.Attend[i][s] = true
			}
			continue
		}
		// Came once at most: well under the session share that counts as trained.
		if rng.IntN(2) == 0 {
			c.Attend[i][rng.IntN(n)] = true
		}
	}
}

var callNotes = []string{
	"已在拼多多开设网店，主营红薯粉条，月销售额约三千元",
	"正在学习短视频拍摄，已发布作品二十余条",
	"通过抖音直播销售自家土鸡蛋，效果较好",
	"已加入村电商服务站，协助村民代购代销",
	"暂未开店，希望参加进阶班继续学习",
	"在微信朋友圈销售手工挂面，客户以本地居民为主",
	"对培训内容满意，建议增加上机实操课时",
	"已注册淘宝店铺，正在拍摄和上架产品",
	"帮助合作社开通了线上销售渠道",
	"学会了商品图片处理，店铺点击率有所提升",
	"与快递网点谈妥了农产品发货价格",
	"计划和邻村种植户联合开店销售小磨香油",
}

// planCalls picks about a fifth of the trained trainees for phone follow-ups.
func planCalls(c *class, rng *rand.Rand) {
	var trained []int
	for i, a := range c.Attend {
		k := 0
		for _, v := range a {
			if v {
				k++
			}
		}
		if 2*k >= len(a) {
			trained = append(trained, i)
		}
	}
	want := int(math.Ceil(0.2 * float64(len(trained))))
	rng.Shuffle(len(trained), func(i, j int) { trained[i], trained[j] = trained[j], trained[i] })
	picked := append([]int(nil), trained[:want]...)
	sort.Ints(picked)
	day := c.EndT.AddDate(0, 0, 7+rng.IntN(5))
	for k, i := range picked {
		if k > 0 && rng.IntN(3) == 0 {
			day = day.AddDate(0, 0, 1)
		}
		at := day.Add(time.Duration(9*60+rng.IntN(8*60)) * time.Minute)
		c.Calls = append(c.Calls, followUp{Trainee: i, At: at, Note: callNotes[rng.IntN(len(callNotes))]})
	}
	sort.SliceStable(c.Calls, func(i, j int) bool { return c.Calls[i].At.Before(c.Calls[j].At) })
}

// numberApprovals gives approvals running numbers in the order the office issued them.
func numberApprovals(classes []*class) {
	order := append([]*class(nil), classes...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].ApprovedT.Before(order[j].ApprovedT) })
	n := 8
	for _, c := range order {
		c.ApprovalNo = fmt.Sprintf("商电商办〔2026〕%d号", n)
		n += 1 + c.Index%3
	}
}

// planPhotos schedules the on-site photos (4–5 a day), the group photo and the
// case's defects: late photos, or a copy of an earlier class's photo.
func planPhotos(c *class, all []*class, rng *rand.Rand) {
	cams := c.Inst.Cameras
	stream := uint64(c.Index+1)<<16 | c.PhotoSalt<<8
	add := func(t time.Time, group, late bool) *photo {
		cam := cams[0]
		if rng.IntN(4) == 0 {
			cam = cams[1]
		}
		p := &photo{Taken: t, GPS: near(c.Point, rng), Cam: cam, Group: group, Late: late, Seed: stream}
		stream++
		c.Photos = append(c.Photos, p)
		return p
	}
	for d := range c.Days {
		day := c.StartT.AddDate(0, 0, d)
		n := 4 + rng.IntN(2)
		for k := range n {
			var minute int
			if k < (n+1)/2 { // morning, 08:35–11:35
				minute = 8*60 + 35 + (k*180)/((n+1)/2) + rng.IntN(150/((n+1)/2))
			} else { // afternoon, 14:05–17:20
				j := k - (n+1)/2
				minute = 14*60 + 5 + (j*190)/(n-(n+1)/2) + rng.IntN(170/(n-(n+1)/2))
			}
			add(day.Add(time.Duration(minute)*time.Minute+time.Duration(rng.IntN(60))*time.Second), false, false)
		}
	}
	// The group photo: at the opening on the first morning or the close on the last afternoon.
	if rng.IntN(2) == 0 {
		add(c.StartT.Add(8*time.Hour+time.Duration(32+rng.IntN(20))*time.Minute), true, false)
	} else {
		add(c.EndT.Add(16*time.Hour+time.Duration(45+rng.IntN(30))*time.Minute), true, false)
	}
	for k := range c.LatePhotos {
		day := c.EndT.AddDate(0, 0, 5+k/2)
		add(day.Add(time.Duration(9*60+rng.IntN(7*60))*time.Minute), false, true)
	}
	if c.ReuseOf > 0 {
		src := all[c.ReuseOf-1]
		for _, p := range src.Photos { // the first of the source's photos on this class's last day
			if !p.Group && !p.Late && !p.Taken.Before(c.EndT) && p.Taken.Before(c.EndT.AddDate(0, 0, 1)) {
				c.Photos = append(c.Photos, &photo{Taken: p.Taken, GPS: p.GPS, Cam: p.Cam, Reused: p})
				break
			}
		}
	}
	sort.SliceStable(c.Photos, func(i, j int) bool { return c.Photos[i].Taken.Before(c.Photos[j].Taken) })
	namePhotos(c, rng)
}

// near returns a point 20–180 m from p in a random direction.
func near(p yanshou.LatLon, rng *rand.Rand) yanshou.LatLon {
	d := 20 + rng.Float64()*160
	a := rng.Float64() * 2 * math.Pi
	const mPerDeg = 111195.0
	return yanshou.LatLon{
		Lat: p.Lat + d*math.Cos(a)/mPerDeg,
		Lon: p.Lon + d*math.Sin(a)/(mPerDeg*math.Cos(p.Lat*math.Pi/180)),
	}
}

// namePhotos names photo files the way the phone (or the institution) does.
func namePhotos(c *class, rng *rand.Rand) {
	used := map[string]bool{}
	apple := 1000 + rng.IntN(8000)
	site := 0
	for _, p := range c.Photos {
		var base string
		cam := p.Cam
		switch {
		case cam.Make == "Apple":
			base = fmt.Sprintf("IMG_%04d.JPG", apple)
			apple += 1 + rng.IntN(6)
		case cam.Make == "OPPO":
			base = "IMG" + p.Taken.Format("20060102150405") + ".jpg"
		default:
			base = "IMG_" + p.Taken.Format("20060102_150405") + ".jpg"
		}
		for used[base] {
			base = "1" + base
		}
		used[base] = true
		switch c.Inst.Style {
		case styleFolders:
			if p.Group {
				p.Rel = "06合影照片/合影.jpg"
			} else {
				p.Rel = "05现场照片/" + base
			}
		case styleFlat:
			if p.Group {
				p.Rel = "06合影照片.jpg"
			} else {
				site++
				p.Rel = fmt.Sprintf("05现场照片 (%d).jpg", site)
			}
		default:
			if p.Group {
				p.Rel = "合影.jpg"
			} else {
				p.Rel = "培训现场/" + base
			}
		}
	}
}
