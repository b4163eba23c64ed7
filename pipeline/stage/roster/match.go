package roster

import (
	"fmt"
	"strings"

	"yanshou"
)

// index finds roster trainees by ID, phone and name.
type index struct {
	t       []yanshou.Trainee
	lossy   map[int]bool // IDs whose digits were lost by number storage
	byID    map[string][]int
	byID15  map[string][]int // first 15 digits of 18-digit IDs
	byPhone map[string][]int
	byName  map[string][]int
}

func newIndex(ts []yanshou.Trainee, lossy map[int]bool) *index {
	x := &index{t: ts, lossy: lossy, byID: map[string][]int{}, byID15: map[string][]int{},
		byPhone: map[string][]int{}, byName: map[string][]int{}}
	for i, tr := range ts {
		if tr.ID != "" {
			x.byID[tr.ID] = append(x.byID[tr.ID], i)
			if len(tr.ID) == 18 {
				x.byID15[tr.ID[:15]] = append(x.byID15[tr.ID[:15]], i)
			}
		}
		if tr.Phone != "" {
			x.byPhone[tr.Phone] = append(x.byPhone[tr.Phone], i)
		}
		if tr.Name != "" {
			x.byName[tr.Name] = append(x.byName[tr.Name], i)
		}
	}
	return x
}

func (x *index) named(c []int, name string) []int {
	if name == "" {
		return nil
	}
	var out []int
	for _, i := range c {
		if x.t[i].Name == name {
			out = append(out, i)
		}
	}
	return out
}

// match finds the roster trainee a row names: by ID; else by phone and name; else by
// a name unique in the roster; else by a phone unique in the roster when the row has
// neither name nor ID. It returns the trainee index (-1), the outcome and the
// reason in Chinese.
func (x *index) match(p person) (int, yanshou.Match, string) {
	idValid := false
	if p.id != "" {
		if c := x.byID[p.id]; len(c) > 0 && p.loss == idIntact {
			if len(c) == 1 {
				i := c[0]
				reason := "身份证号码一致"
				if p.name != "" && x.t[i].Name != "" && p.name != x.t[i].Name {
					reason += fmt.Sprintf("，但姓名不同（名单为「%s」）", x.t[i].Name)
				}
				return i, yanshou.Matched, reason
			}
			if n := x.named(c, p.name); len(n) == 1 {
				return n[0], yanshou.Matched, "身份证号码和姓名一致（名单中该号码重复）"
			}
			return -1, yanshou.Ambiguous, fmt.Sprintf("名单中有 %d 行身份证号码为「%s」", len(c), p.id)
		}
		if strings.Contains(p.id, "*") { // masked: 411623********1234
			var fit []int
			for _, i := range x.byName[p.name] {
				if compatible(p.id, x.t[i].ID) {
					fit = append(fit, i)
				}
			}
			if len(fit) == 1 {
				return fit[0], yanshou.Matched, "部分隐藏的身份证号码与姓名一致"
			}
		}
		if len(p.id) == 18 {
			for _, i := range x.named(x.byID15[p.id[:15]], p.name) {
				if p.loss != idIntact || x.lossy[i] {
					return i, yanshou.Matched, "身份证号码前15位和姓名一致（号码曾以数字格式保存，后几位丢失）"
				}
			}
		}
		idValid = p.loss == idIntact && ValidID(p.id) == ""
	}
	if p.phone != "" && p.name != "" {
		switch c := x.named(x.byPhone[p.phone], p.name); len(c) {
		case 1:
			if p.id != "" {
				return c[0], yanshou.Matched, "身份证号码与名单不符，按手机号和姓名匹配"
			}
			return c[0], yanshou.Matched, "手机号和姓名一致"
		case 0:
		default:
			return -1, yanshou.Ambiguous, fmt.Sprintf("名单中有 %d 人手机号和姓名都相同", len(c))
		}
	}
	if p.name != "" {
		switch c := x.byName[p.name]; len(c) {
		case 1:
			i := c[0]
			if idValid && x.t[i].ID != "" && !x.lossy[i] && ValidID(x.t[i].ID) == "" {
				return -1, yanshou.WalkIn, fmt.Sprintf("名单中的「%s」身份证号码不同，不是同一人", p.name)
			}
			reason := "姓名在名单中唯一"
			if p.id != "" && !idValid {
				reason += "（签到的身份证号码有误）"
			}
			if p.phone != "" && x.t[i].Phone != "" && p.phone != x.t[i].Phone {
				reason += "（手机号与名单不同）"
			}
			return i, yanshou.Matched, reason
		case 0:
			if p.id != "" {
				return -1, yanshou.WalkIn, fmt.Sprintf("名单中没有「%s」，身份证号码也不在名单中", p.name)
			}
			return -1, yanshou.WalkIn, fmt.Sprintf("名单中没有「%s」", p.name)
		default:
			return -1, yanshou.Ambiguous, fmt.Sprintf("名单中有 %d 人名为「%s」，无能区分的身份证号码或手机号", len(c), p.name)
		}
	}
	if p.id == "" && p.phone != "" {
		switch c := x.byPhone[p.phone]; len(c) {
		case 1:
			return c[0], yanshou.Matched, "只有手机号，与名单中唯一一人一致"
		case 0:
			return -1, yanshou.WalkIn, "只有手机号，不在名单中"
		default:
			return -1, yanshou.Ambiguous, fmt.Sprintf("只有手机号，名单中有 %d 人使用该号码", len(c))
		}
	}
	if p.id != "" {
		return -1, yanshou.WalkIn, "身份证号码不在名单中"
	}
	return -1, yanshou.WalkIn, "没有姓名、身份证号码或手机号"
}
