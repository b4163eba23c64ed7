package roster

import (
	"strings"
	"testing"

	"yanshou"
)

func TestMatch(t *testing.T) {
	a, b, c := mkID("411623", "19900101", 11), mkID("411623", "19910101", 21), mkID("411623", "19920101", 31)
	lostFull := mkID("411623", "19930101", 123)
	lost := lostFull[:15] + "000"
	other := mkID("411623", "19940101", 41)
	ts := []yanshou.Trainee{
		{Name: "甲", ID: a, Phone: "13800000001"},
		{Name: "乙", ID: b, Phone: "13800000002"},
		{Name: "乙", ID: c, Phone: "13800000003"},    // two named 乙
		{Name: "丙", ID: lost, Phone: "13800000004"}, // ID lost to number storage
		{Name: "丁", ID: a, Phone: "13800000005"},    // duplicate of 甲's ID
		{Name: "戊", Phone: "13800000009"},
		{Name: "己", Phone: "13800000009"}, // shares a phone with 戊
		{Name: "杜伟", Phone: "13800000010"},
		{Name: "欧阳修", ID: mkID("411623", "19500101", 51), Phone: "13800000011"},
		{Name: "王建国", Phone: "13800000020"},
		{Name: "王小明", Phone: "13800000020"}, // his son, on his phone
		{Name: "王建华", Phone: "13800000021"},
		{Name: "王建民", Phone: "13800000021"}, // brothers on one phone
	}
	x := newIndex(ts, map[int]bool{3: true})
	tests := []struct {
		name string
		p    person
		idx  int
		m    yanshou.Match
		why  string
	}{
		{"ID shared by two rows, name decides", person{name: "甲", id: a}, 0, yanshou.Matched, "名单中该号码重复"},
		{"ID shared by two rows, no name", person{id: a}, -1, yanshou.Ambiguous, "2 行身份证号码"},
		{"ID alone", person{id: b}, 1, yanshou.Matched, "身份证号码一致"},
		{"ID with another name", person{name: "庚", id: b}, 1, yanshou.Matched, "姓名不同（名单为「乙」）"},
		{"masked ID and name", person{name: "乙", id: c[:6] + "********" + c[14:]}, 2, yanshou.Matched, "部分隐藏"},
		{"full ID against a roster ID that lost digits", person{name: "丙", id: lostFull}, 3, yanshou.Matched, "前15位"},
		{"phone and name", person{name: "乙", phone: "13800000003"}, 2, yanshou.Matched, "手机号和姓名一致"},
		{"wrong ID, phone and name", person{name: "乙", id: other, phone: "13800000002"}, 1, yanshou.Matched, "身份证号码与名单不符"},
		{"name unique", person{name: "甲"}, 0, yanshou.Matched, "姓名在名单中唯一"},
		{"name unique, phone differs", person{name: "甲", phone: "13900000000"}, 0, yanshou.Matched, "手机号与名单不同"},
		{"name unique, invalid ID", person{name: "甲", id: "12345"}, 0, yanshou.Matched, "签到的身份证号码有误"},
		{"name unique but another valid ID: another person", person{name: "甲", id: other}, -1, yanshou.WalkIn, "不是同一人"},
		{"name shared, nothing to tell apart", person{name: "乙"}, -1, yanshou.Ambiguous, "2 人名为「乙」"},
		{"unknown name", person{name: "辛"}, -1, yanshou.WalkIn, "名单中没有「辛」"},
		{"unknown name and ID", person{name: "辛", id: other}, -1, yanshou.WalkIn, "身份证号码也不在名单中"},
		{"phone only, unique", person{phone: "13800000001"}, 0, yanshou.Matched, "只有手机号"},
		{"phone only, shared", person{phone: "13800000009"}, -1, yanshou.Ambiguous, "2 人使用该号码"},
		{"phone only, unknown", person{phone: "13700000000"}, -1, yanshou.WalkIn, "不在名单中"},
		{"ID only, unknown", person{id: other}, -1, yanshou.WalkIn, "身份证号码不在名单中"},
		{"traditional characters for the roster's simplified", person{name: "杜偉"}, 7, yanshou.Matched, "姓名在名单中唯一"},
		{"traditional compound surname with the phone", person{name: "歐陽修", phone: "13800000011"}, 8, yanshou.Matched, "手机号和姓名一致"},
		{"unknown name, phone of exactly one trainee", person{name: "杜维", phone: "13800000010"}, 7, yanshou.Matched, "名单为「杜伟」"},
		{"unknown name, phone shared by two trainees", person{name: "庚", phone: "13800000009"}, -1, yanshou.WalkIn, "名单中没有「庚」"},
		{"a name a character off, on a household's phone: that member", person{name: "王小民", phone: "13800000020"}, 10, yanshou.Matched, "名单为「王小明」"},
		{"another trainee's name with the phone of a trainee a character off", person{name: "王建华", phone: "13800000020"}, 9, yanshou.Matched, "名单为「王建国」"},
		{"a name a character off from both members of a household: either", person{name: "王建明", phone: "13800000021"}, -1, yanshou.Ambiguous, "无法确定是谁"},
		{"unknown name, masked ID of exactly one trainee", person{name: "欧阳秀", id: "411623********" + mkID("411623", "19500101", 51)[14:]}, 8, yanshou.Matched, "部分隐藏的身份证号码与名单中唯一一人相符"},
		{"unknown name, phone of one trainee, but a valid ID of nobody on the roster", person{name: "杜维", phone: "13800000010", id: other}, -1, yanshou.WalkIn, "身份证号码也不在名单中"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := x.match(tt.p)
			i, m, why := mt.trainee, mt.match, mt.reason
			if i != tt.idx || m != tt.m || !strings.Contains(why, tt.why) {
				t.Errorf("match = %d %s %q, want %d %s %q", i, m, why, tt.idx, tt.m, tt.why)
			}
			if differs := strings.Contains(why, "名单为「") && m == yanshou.Matched && !strings.Contains(why, "身份证号码一致"); differs != (mt.nameDiffers != "") {
				t.Errorf("nameDiffers = %q for %q", mt.nameDiffers, why)
			}
		})
	}
}
