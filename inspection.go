package yanshou

import "time"

// InspectionRecord is one 《电子商务培训检查记录表》 (第十五条) the office filled
// in on the review desk for a class: when and where it inspected, who
// inspected, what it found and required, and the signatures of the inspector
// and of the inspected unit, kept as names and times.
type InspectionRecord struct {
	ClassID       string    // the class (submission id) inspected
	Class         string    // … its 期次, for lists
	Institution   string    // 被检查单位
	At            time.Time // 检查时间
	Place         string    // 检查地点
	Inspectors    string    // 检查人员
	Content       string    // 检查内容（情况）
	Opinion       string    // 问题及整改要求
	InspectorSign string    // 检查人签字: the name signed
	InspectorAt   time.Time // … and when
	InspectedSign string    // 被检查单位负责人签字: the name signed
	InspectedAt   time.Time // … and when
	By, Role      string    // who recorded it on the desk, in which role
	RecordedAt    time.Time // when
}
