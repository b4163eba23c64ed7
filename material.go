package yanshou

// MaterialKind is the stable code of a material: one of the eleven of 第十一条,
// the manifest, or Other. The code (e.g. "group_photo") is what the ledger and
// the keyword vocabulary store, so adding a material never renumbers anything.
type MaterialKind string

// The kinds, by their stable codes. MaterialTable gives their names, binding
// order and traits.
const (
	Other        MaterialKind = "other"       // 其他: not recognised, still listed
	Application  MaterialKind = "application" // 申请报告
	Approval     MaterialKind = "approval"    // 批复
	Notice       MaterialKind = "notice"      // 培训通知
	Courseware   MaterialKind = "courseware"  // 培训课件
	SitePhotos   MaterialKind = "site_photos" // 现场照片
	GroupPhoto   MaterialKind = "group_photo" // 合影照片
	Roster       MaterialKind = "roster"      // 培训学员名单
	SignInSheets MaterialKind = "signin"      // 签到表
	Content      MaterialKind = "content"     // 培训内容
	FollowUp     MaterialKind = "followup"    // 电话回访记录
	Summary      MaterialKind = "summary"     // 情况总结
	Manifest     MaterialKind = "manifest"    // 培训信息表 (the manifest itself; not one of the eleven)
)

// Trait is what a material is made of, deciding how it is read and bound.
type Trait uint8

// The traits of a material; a kind may have none (Other).
const (
	TraitPhoto    Trait = 1 << iota // pictures: read by the photo stage, bound two to a page
	TraitTable                      // workbooks the sheet readers parse and report problems of
	TraitDocument                   // documents (PDF, Office) checked as files and bound as pages
)

// Material is one row of MaterialTable.
type Material struct {
	Kind     MaterialKind
	Name     string // Chinese name as written in 第十一条
	Order    int    // place in the bound archive, 1–11; 0 for a file outside the eleven
	Required bool   // a submission without a file of this kind misses a material
	Traits   Trait
}

// Has reports whether the material has trait t.
func (m Material) Has(t Trait) bool { return m.Traits&t != 0 }

// MaterialTable is every kind: the eleven materials of 第十一条 in binding order
// (DESIGN.md), then the manifest and Other. It is the one place a kind's
// behaviour is decided.
var MaterialTable = []Material{
	{Application, "申请报告", 1, true, TraitDocument},
	{Approval, "批复", 2, true, TraitDocument},
	{Notice, "培训通知", 3, true, TraitDocument},
	{Courseware, "培训课件", 4, true, TraitDocument},
	{SitePhotos, "现场照片", 5, true, TraitPhoto},
	{GroupPhoto, "合影照片", 6, true, TraitPhoto},
	{Roster, "培训学员名单", 7, true, TraitTable},
	{SignInSheets, "签到表", 8, true, TraitTable},
	{Content, "培训内容", 9, true, TraitDocument},
	{FollowUp, "电话回访记录", 10, true, TraitTable},
	{Summary, "情况总结", 11, true, TraitDocument},
	{Manifest, "培训信息表", 0, false, TraitTable},
	{Other, "其他", 0, false, 0},
}

var materialIndex = func() map[MaterialKind]int {
	m := make(map[MaterialKind]int, len(MaterialTable))
	for i, row := range MaterialTable {
		m[row.Kind] = i
	}
	return m
}()

// Materials lists the eleven materials of 第十一条 in binding order.
var Materials = func() []MaterialKind {
	var out []MaterialKind
	for _, row := range MaterialTable {
		if row.Order > 0 {
			out = append(out, row.Kind)
		}
	}
	return out
}()

// MaterialOf returns the table row of a kind, and false for a code not in the table.
func MaterialOf(k MaterialKind) (Material, bool) {
	i, ok := materialIndex[k]
	if !ok {
		return Material{Kind: k, Name: string(k)}, false
	}
	return MaterialTable[i], true
}

// ParseMaterialKind returns the kind a stored code names, and false for an unknown code.
func ParseMaterialKind(code string) (MaterialKind, bool) {
	k := MaterialKind(code)
	_, ok := materialIndex[k]
	return k, ok
}

// String returns the material's Chinese name as written in 第十一条.
func (k MaterialKind) String() string { m, _ := MaterialOf(k); return m.Name }

// Order is the material's place in the bound archive, 1–11; 0 outside the eleven.
func (k MaterialKind) Order() int { m, _ := MaterialOf(k); return m.Order }

// Required reports whether a submission must contain a file of this kind.
func (k MaterialKind) Required() bool { m, _ := MaterialOf(k); return m.Required }

// IsPhoto reports whether files of this kind are pictures (现场照片, 合影照片).
func (k MaterialKind) IsPhoto() bool { m, _ := MaterialOf(k); return m.Has(TraitPhoto) }

// IsTable reports whether files of this kind are tables the sheet readers parse
// (the manifest, the roster, the sign-in sheets, the follow-up records).
func (k MaterialKind) IsTable() bool { m, _ := MaterialOf(k); return m.Has(TraitTable) }

// IsDocument reports whether files of this kind are documents (PDF, Office).
func (k MaterialKind) IsDocument() bool { m, _ := MaterialOf(k); return m.Has(TraitDocument) }
