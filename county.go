package yanshou

// The county's records the pre-inspection batch compares the classes with: the
// registry of poor households (第三条) and the institutions' monthly plans
// (第十四条). They are read by pipeline/output/county and written into the
// ledger by pipeline/output/ledgerbook.

import "time"

// RegistryMember is one person of the county's registry of 建档立卡贫困户 members with
// training needs.
type RegistryMember struct {
	Name    string
	ID      string // normalised ID number
	Town    string // 乡镇
	Village string // 村
	Where   string // file, sheet and row, for messages
}

// Coverage is the poor-household coverage of 第三条 (goal: 100%): who of the
// registry has been trained in a passed class, and who not yet.
type Coverage struct {
	Registry  string
	Members   int
	Trained   []RegistryMember
	Missing   []RegistryMember
	TrainedIn map[string]string // ID → the class that trained them (institution, class, dates)
	Problems  []Evidence        // rows of the registry that could not be read
}

// Rate is trained ÷ members (0 when the registry is empty).
func (c *Coverage) Rate() float64 {
	if c == nil || c.Members == 0 {
		return 0
	}
	return float64(len(c.Trained)) / float64(c.Members)
}

// Plan is one institution's plan for one month (第十四条: 每月参训人员数量和培训内容).
type Plan struct {
	Institution string
	Year        int
	Month       time.Month
	Classes     int    // 计划班次
	Trainees    int    // 计划人数
	Content     string // 培训内容
}

// PlanRow compares one institution's month: planned against delivered (classes
// starting in that month that reached a verdict, and the trainees they trained).
type PlanRow struct {
	Institution      string
	Year             int
	Month            time.Month
	PlannedClasses   int
	PlannedTrainees  int
	DeliveredClasses int
	Trained          int
	Content          string
	Planned          bool // false: classes were delivered in a month with no plan
}

// ClassShare is delivered ÷ planned classes (0 without a plan).
func (r PlanRow) ClassShare() float64 {
	if r.PlannedClasses == 0 {
		return 0
	}
	return float64(r.DeliveredClasses) / float64(r.PlannedClasses)
}

// TraineeShare is trained ÷ planned trainees (0 without a plan).
func (r PlanRow) TraineeShare() float64 {
	if r.PlannedTrainees == 0 {
		return 0
	}
	return float64(r.Trained) / float64(r.PlannedTrainees)
}

// Colour is the verdict's colour in every document (the report's stamp, the
// county's charts): green for a pass, amber for a fail, red for a veto, as
// 8-bit RGB.
func (v Verdict) Colour() [3]uint8 {
	switch v {
	case Fail:
		return [3]uint8{0xE8, 0x9B, 0x2E}
	case Veto:
		return [3]uint8{0xC6, 0x3B, 0x3B}
	}
	return [3]uint8{0x4C, 0x9A, 0x5B}
}
