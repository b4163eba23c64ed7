package county

import (
	"fmt"
	"path/filepath"
	"sort"

	"yanshou"
	"yanshou/pipeline/format/sheet"
)

// ReadRegistry reads the registry workbook (xlsx or CSV, any sheet whose header
// names at least 姓名 and 身份证号码). A person listed twice counts once; rows
// without a valid-looking ID number are reported as problems, not counted.
func ReadRegistry(path string, cfg *yanshou.Config) ([]yanshou.RegistryMember, []yanshou.Evidence, error) {
	book, problems := sheet.Open(path, filepath.Base(path), cfg)
	if book == nil {
		if len(problems) > 0 {
			return nil, problems, fmt.Errorf("贫困户名单 %s：%s", path, problems[0].Detail)
		}
		return nil, problems, fmt.Errorf("贫困户名单 %s 无法读取", path)
	}
	seen := map[string]bool{}
	var out []yanshou.RegistryMember
	found := false
	for _, t := range book.Tables {
		h, ok := t.FindHeader(sheet.Columns(), 2)
		if !ok || !h.Has("name") || !h.Has("id") {
			continue
		}
		found = true
		for r := h.Data; r < len(t.Rows); r++ {
			if t.IsEmptyRow(r) || t.IsNoteRow(r) || h.Repeats(t, r) {
				continue
			}
			id := sheet.NormID(h.Get(t, r, "id"))
			if len(id) != 18 {
				problems = append(problems, t.Problem(r, "身份证号码「%s」不是 18 位，未计入", h.Get(t, r, "id")))
				continue
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, yanshou.RegistryMember{Name: h.Get(t, r, "name"), ID: id, Town: h.Get(t, r, "town"),
				Village: h.Get(t, r, "village"), Where: t.Where(r)})
		}
	}
	if !found {
		return nil, problems, fmt.Errorf("贫困户名单 %s 中没有找到含「姓名」「身份证号码」两列的工作表", path)
	}
	return out, problems, nil
}

// Cover compares the registry with the trainees trained in passed classes
// (trained: ID → the class, as a label).
func Cover(registry string, members []yanshou.RegistryMember, trained map[string]string) *yanshou.Coverage {
	c := &yanshou.Coverage{Registry: registry, Members: len(members), TrainedIn: map[string]string{}}
	for _, m := range members {
		if class, ok := trained[m.ID]; ok {
			c.Trained = append(c.Trained, m)
			c.TrainedIn[m.ID] = class
		} else {
			c.Missing = append(c.Missing, m)
		}
	}
	sort.SliceStable(c.Missing, func(i, j int) bool {
		a, b := c.Missing[i], c.Missing[j]
		if a.Town != b.Town {
			return a.Town < b.Town
		}
		return a.Village < b.Village
	})
	return c
}
