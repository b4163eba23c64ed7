package yanshou

import "testing"

func TestMaterialTable(t *testing.T) {
	tests := []struct {
		kind          MaterialKind
		name          string
		order         int
		required      bool
		photo, table  bool
		document      bool
		parsedFromStr string
	}{
		{Application, "申请报告", 1, true, false, false, true, "application"},
		{Approval, "批复", 2, true, false, false, true, "approval"},
		{Notice, "培训通知", 3, true, false, false, true, "notice"},
		{Courseware, "培训课件", 4, true, false, false, true, "courseware"},
		{SitePhotos, "现场照片", 5, true, true, false, false, "site_photos"},
		{GroupPhoto, "合影照片", 6, true, true, false, false, "group_photo"},
		{Roster, "培训学员名单", 7, true, false, true, false, "roster"},
		{SignInSheets, "签到表", 8, true, false, true, false, "signin"},
		{Content, "培训内容", 9, true, false, false, true, "content"},
		{FollowUp, "电话回访记录", 10, true, false, true, false, "followup"},
		{Summary, "情况总结", 11, true, false, false, true, "summary"},
		{Manifest, "培训信息表", 0, false, false, true, false, "manifest"},
		{Other, "其他", 0, false, false, false, false, "other"},
	}
	if len(tests) != len(MaterialTable) {
		t.Fatalf("table has %d kinds, the test %d", len(MaterialTable), len(tests))
	}
	for _, tt := range tests {
		k, ok := ParseMaterialKind(tt.parsedFromStr)
		if !ok || k != tt.kind {
			t.Errorf("ParseMaterialKind(%q) = %q, %v", tt.parsedFromStr, k, ok)
		}
		if _, ok := MaterialOf(tt.kind); !ok {
			t.Errorf("%s not in the table", tt.kind)
		}
		if k.String() != tt.name || k.Order() != tt.order || k.Required() != tt.required ||
			k.IsPhoto() != tt.photo || k.IsTable() != tt.table || k.IsDocument() != tt.document {
			t.Errorf("%s: got %s %d %v photo=%v table=%v doc=%v", tt.parsedFromStr, k, k.Order(), k.Required(),
				k.IsPhoto(), k.IsTable(), k.IsDocument())
		}
	}
	for _, bad := range []string{"", "6", "GroupPhoto", "合影照片", "group-photo"} {
		if _, ok := ParseMaterialKind(bad); ok {
			t.Errorf("ParseMaterialKind(%q) accepted", bad)
		}
	}
	if m, ok := MaterialOf("nosuch"); ok || m.Required || m.Order != 0 {
		t.Errorf("unknown kind: %+v %v", m, ok)
	}
	// Materials is the eleven in binding order 1…11.
	if len(Materials) != 11 {
		t.Fatalf("%d materials", len(Materials))
	}
	for i, k := range Materials {
		if k.Order() != i+1 {
			t.Errorf("Materials[%d] = %s has order %d", i, k, k.Order())
		}
	}
}
