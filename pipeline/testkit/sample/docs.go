package sample

import (
	"fmt"
	"strings"
	"time"

	"yanshou/pipeline/format/zh"
)

// cn formats a day as 2026年3月10日.
func cn(t time.Time) string { return t.Format("2006年1月2日") }

// span formats the training days as 2026年3月10日至3月12日.
func (c *class) span() string {
	return cn(c.StartT) + "至" + c.EndT.Format("1月2日")
}

// className is the full name of the class, e.g. 农村电商实用技能培训班（第1期）.
func (c *class) className() string { return fmt.Sprintf("%s（第%d期）", c.Inst.Title, c.No) }

func (c *class) teacherList() string { return strings.Join(c.Teachers, "、") }

func (c *class) halfDays() string {
	return fmt.Sprintf("培训共%d天，每天上午8:30—11:30、下午14:00—17:00，共%d个单元，学员每半天签到一次。",
		c.Days, len(c.Sessions))
}

func (c *class) scheduleRows() [][]string {
	rows := [][]string{{"日期", "时段", "课程", "授课教师"}}
	for _, s := range c.Sessions {
		t := "8:30—11:30"
		if s.Half == "下午" {
			t = "14:00—17:00"
		}
		rows = append(rows, []string{s.Day.Format("1月2日"), s.Half + " " + t, s.Course.Title, s.Teacher})
	}
	return rows
}

func at(t time.Time, hour, minute int) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, t.Location())
}

// applicationPDF is 申请报告: the items 第七条 asks for, the schedule and the names.
func (ts *typesetter) applicationPDF(c *class) ([]byte, error) {
	d, err := ts.newDoc(false)
	if err != nil {
		return nil, err
	}
	d.center("关于举办"+c.className()+"的申请", 20)
	d.gap(0.6)
	_ = d.font(14)
	d.left("商水县电子商务办公室：")
	d.para(fmt.Sprintf("　　为贯彻落实我县电子商务进农村综合示范项目工作部署，提升农村电子商务从业人员的实际操作能力，我单位拟于%s在%s举办%s。现将有关事项申请如下：",
		c.span(), c.Venue, c.className()))
	d.para(fmt.Sprintf("　　一、培训对象及人数。本期培训对象为有电商创业意愿的返乡青年、合作社成员、种养大户、个体工商户、乡村电商服务站点人员以及建档立卡贫困户家庭成员，计划培训%d人（参训人员名单附后）。",
		len(c.Roster)))
	d.para("　　二、师资配置。本期由" + c.teacherList() + "授课，均具有多年电子商务实战和教学经验。")
	d.para("　　三、时间安排。" + c.halfDays())
	d.para("　　四、课程计划。见附件1《课程计划表》。")
	d.para("　　五、食宿安排。培训期间统一安排工作午餐，本县学员不安排住宿。")
	d.para(fmt.Sprintf("　　六、资金安排。培训经费主要用于场租、讲课、资料、伙食等支出，预算%d元，严格按照《中央和国家机关培训费管理办法》和我县有关规定使用。",
		len(c.Roster)*260))
	d.para("　　妥否，请批示。")
	d.gap(0.5)
	d.left("　　附件：1. 课程计划表　2. 参训人员名单")
	d.gap(1)
	d.right(c.Inst.Name)
	d.right(cn(c.AppliedT))

	d.page()
	d.center("附件1　课程计划表", 16)
	d.gap(0.3)
	d.table([]float64{0.16, 0.26, 0.36, 0.22}, c.scheduleRows(), 11)

	d.page()
	d.center("附件2　参训人员名单", 16)
	d.gap(0.3)
	rows := [][]string{{"序号", "姓名", "性别", "乡镇", "序号", "姓名", "性别", "乡镇"}}
	half := (len(c.Roster) + 1) / 2
	for i := range half {
		row := []string{fmt.Sprint(i + 1), c.Roster[i].Name, c.Roster[i].Gender(), c.Roster[i].Town, "", "", "", ""}
		if j := i + half; j < len(c.Roster) {
			row[4], row[5], row[6], row[7] = fmt.Sprint(j+1), c.Roster[j].Name, c.Roster[j].Gender(), c.Roster[j].Town
		}
		rows = append(rows, row)
	}
	d.table([]float64{0.08, 0.13, 0.08, 0.21, 0.08, 0.13, 0.08, 0.21}, rows, 10)
	return d.bytes("关于举办"+c.className()+"的申请", c.Inst.Author, at(c.AppliedT, 10, 12))
}

// approvalPDF is 批复: the office's red-headed reply with its number and date.
func (ts *typesetter) approvalPDF(c *class) ([]byte, error) {
	d, err := ts.newDoc(false)
	if err != nil {
		return nil, err
	}
	d.redHeader("商水县电子商务办公室", c.ApprovalNo)
	d.center("关于同意"+c.Inst.Name, 18)
	d.center("举办"+c.className()+"的批复", 18)
	d.gap(0.6)
	_ = d.font(14)
	d.left(c.Inst.Name + "：")
	d.para("　　你单位《关于举办" + c.className() + "的申请》收悉。经研究，现批复如下：")
	d.para(fmt.Sprintf("　　一、同意你单位于%s在%s举办%s，培训人数%d人。", c.span(), c.Venue, c.className(), len(c.Roster)))
	d.para("　　二、培训要严格按照《商水县电子商务进农村综合示范项目培训管理办法》组织实施，严把学员报名审核关，对建档立卡贫困户家庭成员优先安排培训。")
	d.para("　　三、培训期间要如实做好学员签到、培训现场照片和合影的留存工作，县电商办将派员全程参与，监督培训情况。")
	d.para("　　四、培训结束后，请及时将申请报告、批复、培训通知、培训课件、现场照片、合影照片、培训学员名单、签到表、培训内容、电话回访记录、情况总结等材料报送我办验收。")
	d.para("　　此复。")
	d.gap(1.5)
	d.right("商水县电子商务办公室")
	d.right(cn(c.ApprovedT))
	return d.bytes("关于同意举办"+c.className()+"的批复", "商水县电子商务办公室", at(c.ApprovedT, 15, 40))
}

// noticePDF is 培训通知: when, where, who, what to bring.
func (ts *typesetter) noticePDF(c *class) ([]byte, error) {
	d, err := ts.newDoc(false)
	if err != nil {
		return nil, err
	}
	d.center("关于举办"+c.className()+"的通知", 20)
	d.gap(0.6)
	_ = d.font(14)
	d.left("各乡镇（街道）电商服务站、各位学员：")
	d.para("　　为提升我县农村电商从业人员的网上经营能力，" + c.Inst.Name + "定于" + c.span() + "举办" + c.className() + "。现将有关事项通知如下：")
	d.para("　　一、培训时间：" + c.span() + "，每天上午8:30开课（8:00开始签到），下午14:00开课。")
	d.para("　　二、培训地点：" + c.Venue + "。")
	d.para("　　三、培训对象：已报名并经审核的学员，名单见附件。")
	var titles []string
	for _, l := range c.Lectures {
		titles = append(titles, l.Title)
	}
	d.para("　　四、培训课程：" + strings.Join(titles, "；") + "。")
	d.para("　　五、有关要求：1. 学员须携带本人身份证，每半天签到一次，不得代签；2. 请自带智能手机并充满电，提前下载拼多多、抖音、剪映等软件；3. 培训期间遵守课堂纪律，不迟到早退。")
	d.para("　　联系人：" + c.Inst.Contact + "　联系电话：" + c.Inst.Tel)
	d.gap(1)
	d.right(c.Inst.Name)
	d.right(cn(c.NoticeT))
	return d.bytes("关于举办"+c.className()+"的通知", c.Inst.Author, at(c.NoticeT, 9, 5))
}

// lecturePDF is one lecture's slides; several lectures may share one file.
func (ts *typesetter) lecturePDF(c *class, lectures []course) ([]byte, error) {
	d, err := ts.newDoc(true)
	if err != nil {
		return nil, err
	}
	first := true
	for _, l := range lectures {
		teacher, day := c.Teachers[0], c.StartT
		for _, s := range c.Sessions {
			if s.Course.Title == l.Title {
				teacher, day = s.Teacher, s.Day
				break
			}
		}
		name := teacher
		if i := strings.Index(name, "（"); i > 0 {
			name = name[:i]
		}
		d.coverPage(c.Inst.Theme, l.Title, name, c.Inst.Name, cn(day), first)
		first = false
		for _, s := range l.Slides {
			d.slidePage(c.Inst.Theme, c.Inst.Name+"　"+c.className(), s.Heading, s.Points, false)
		}
		d.slidePage(c.Inst.Theme, c.Inst.Name+"　"+c.className(), "谢谢！", []string{"欢迎交流：" + c.Inst.Tel}, false)
	}
	title := lectures[0].Title
	if len(lectures) > 1 {
		title = c.className() + "课件"
	}
	return d.bytes(title, c.Inst.Author, at(c.StartT.AddDate(0, 0, -2), 20, 30))
}

// contentPDF is 培训内容: the schedule and what each lecture covered.
func (ts *typesetter) contentPDF(c *class) ([]byte, error) {
	d, err := ts.newDoc(false)
	if err != nil {
		return nil, err
	}
	d.center(c.className(), 18)
	d.center("培训内容及课程安排", 18)
	d.gap(0.4)
	_ = d.font(14)
	d.para("　　培训时间：" + c.span() + "　培训地点：" + c.Venue)
	d.para("　　授课教师：" + c.teacherList())
	d.gap(0.3)
	d.table([]float64{0.16, 0.26, 0.36, 0.22}, c.scheduleRows(), 11)
	d.gap(0.6)
	_ = d.font(14)
	for i, l := range c.Lectures {
		d.left(fmt.Sprintf("%s、%s", zh.Number(i+1), l.Title))
		d.para("　　" + l.About)
		var pts []string
		for _, s := range l.Slides {
			pts = append(pts, s.Heading)
		}
		d.para("　　主要内容：" + strings.Join(pts, "；") + "。")
	}
	return d.bytes(c.className()+"培训内容", c.Inst.Author, at(c.StartT.AddDate(0, 0, -3), 16, 20))
}

// summaryPDF is 情况总结: what was done, for how many, and what followed.
func (ts *typesetter) summaryPDF(c *class) ([]byte, error) {
	d, err := ts.newDoc(false)
	if err != nil {
		return nil, err
	}
	d.center(c.className()+"情况总结", 20)
	d.gap(0.6)
	_ = d.font(14)
	d.para(fmt.Sprintf("　　%s，%s在%s举办了%s。现将培训情况总结如下：", c.span(), c.Inst.Name, c.Venue, c.className()))
	d.para(fmt.Sprintf("　　一、基本情况。本期培训经商水县电子商务办公室批复（%s），计划培训%d人，实际参训%d人，共%d个单元。学员每半天签到一次，培训现场照片%d张，合影1张。",
		c.ApprovalNo, len(c.Roster), c.Trained(), len(c.Sessions), len(c.Photos)-1))
	var titles []string
	for _, l := range c.Lectures {
		titles = append(titles, "《"+l.Title+"》")
	}
	d.para("　　二、培训内容。本期课程包括" + strings.Join(titles, "、") + "，由" + c.teacherList() + "授课，采用知识讲解和上网操作相结合的方式，每节课都安排了上机实操。")
	d.para("　　三、培训效果。学员普遍反映课程实用、易懂，多数学员在培训期间完成了网店注册或短视频账号开通，部分学员已上架本地农产品。")
	d.para(fmt.Sprintf("　　四、跟踪回访。培训结束后，我单位对%d名学员进行了电话回访，了解学员开店和销售情况，并为有需要的学员提供后续指导和孵化服务。", len(c.Calls)))
	d.para("　　五、存在问题及下步打算。部分年龄较大的学员操作手机不够熟练，下一步将通过县电商公共服务中心组织上机辅导，并建立学员微信群持续答疑。")
	d.gap(1)
	d.right(c.Inst.Name)
	d.right(cn(c.SummaryT))
	return d.bytes(c.className()+"情况总结", c.Inst.Author, at(c.SummaryT, 11, 0))
}
