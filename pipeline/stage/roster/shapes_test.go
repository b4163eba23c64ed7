package roster

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"yanshou"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sheettest"
)

// The same three trainees, written the ways rosters really arrive, are read the
// same: 甲 (a local, poor-household farmer), 乙 and 丙.
func TestRosterShapes(t *testing.T) {
	cfg := config.Default()
	ids := []string{mkID("411623", "19800101", 11), mkID("411623", "19850202", 22), ""}
	for seq := 30; ids[2] == ""; seq++ { // 丙: not local, an ID ending in X, written x
		if s := mkID("410102", "19900303", seq); strings.HasSuffix(s, "X") {
			ids[2] = s[:17] + "x"
		}
	}
	want := []string{ids[0], ids[1], strings.ToUpper(ids[2])}
	fullWidth := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			if r == 'x' || r == 'X' {
				return 'ｘ'
			}
			return r
		}, s)
	}
	gbk := func(s string) []byte { b, _ := simplifiedchinese.GBK.NewEncoder().String(s); return []byte(b) }
	tests := []struct {
		name string
		make func(dir string) yanshou.File
	}{
		{"title rows merged, header on row 4", func(dir string) yanshou.File {
			return workbook(t, dir, "a.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
				{"商水县电子商务进农村培训学员名单"}, {"培训机构：某某学校", nil, nil, "期次：第3期"}, {},
				{"序号", "姓名", "身份证号码", "联系电话", "学员类别", "是否建档立卡贫困户"},
				{1, "甲", ids[0], "13800000001", "农民", "是"}, {2, "乙", ids[1], "13800000002", "返乡青年", "否"}, {3, "丙", ids[2], "13800000003", "农民", "否"},
			}, merges: [][2]string{{"A1", "F1"}, {"A2", "C2"}, {"D2", "F2"}}})
		}},
		{"a two-row header with merged cells", func(dir string) yanshou.File {
			return workbook(t, dir, "b.xlsx", sheetSpec{name: "名单", rows: [][]any{
				{"序号", "基本信息", nil, "联系方式", nil, "学员类别", "是否建档立卡贫困户"},
				{nil, "姓名", "公民身份号码", "手机", "固定电话"},
				{1, "甲", ids[0], "13800000001", nil, "农民", "√"}, {2, "乙", ids[1], "13800000002"}, {3, "丙", ids[2], "13800000003"},
			}, merges: [][2]string{{"A1", "A2"}, {"B1", "C1"}, {"D1", "E1"}, {"F1", "F2"}, {"G1", "G2"}}})
		}},
		{"alias headers with remarks, stars and spaces", func(dir string) yanshou.File {
			return workbook(t, dir, "c.xlsx", sheetSpec{name: "花名册", rows: [][]any{
				{"* 学员 姓名", "证件号码（必填）", "手机号码【11位】", "人员类别", "是否脱贫户："},
				{"甲", ids[0], "13800000001", "农民", "是"}, {"乙", ids[1], "13800000002"}, {"丙", ids[2], "13800000003"},
			}})
		}},
		{"shuffled columns", func(dir string) yanshou.File {
			return workbook(t, dir, "d.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
				{"是否建档立卡贫困户", "联系电话", "身份证号码", "备注", "类别", "姓名"},
				{"是", "13800000001", ids[0], nil, "农民", "甲"}, {"否", "13800000002", ids[1], nil, nil, "乙"}, {nil, "13800000003", ids[2], "x", nil, "丙"},
			}})
		}},
		{"full-width digits, spaces inside names and numbers", func(dir string) yanshou.File {
			return workbook(t, dir, "e.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
				{"姓名", "身份证号码", "联系电话", "学员类别", "贫困户"},
				{"甲", fullWidth(ids[0]), fullWidth("138 0000 0001"), "农民", "是"}, {"乙", " " + ids[1][:6] + " " + ids[1][6:] + " ", "13800000002"}, {"丙\u3000", "'" + ids[2], "+86 138-0000-0003"},
			}})
		}},
		{"blank rows, an example row, a repeated header and a footer", func(dir string) yanshou.File {
			return workbook(t, dir, "f.xlsx", sheetSpec{name: "Sheet1", rows: [][]any{
				{"姓名", "身份证号码", "联系电话", "学员类别", "是否建档立卡贫困户"},
				{"示例", "11010519491231002X", "13800000000"}, {},
				{"甲", ids[0], "13800000001", "农民", "是"}, {}, {},
				{"姓名", "身份证号码", "联系电话"},
				{"乙", ids[1], "13800000002"}, {nil, nil, nil}, {"丙", ids[2], "13800000003"}, {}, {"填表人：张某", nil, "审核人：李某"}, {"合计", "3人"},
			}})
		}},
		{"a hidden sheet with an old list, the roster on the second sheet", func(dir string) yanshou.File {
			f := workbook(t, dir, "g.xlsx",
				sheetSpec{name: "旧名单", rows: [][]any{{"姓名", "身份证号码"}, {"丁", mkID("411623", "19700101", 1)}}},
				sheetSpec{name: "名单", rows: [][]any{{"姓名", "身份证号码", "联系电话", "学员类别", "是否建档立卡贫困户"},
					{"甲", ids[0], "13800000001", "农民", "是"}, {"乙", ids[1], "13800000002"}, {"丙", ids[2], "13800000003"}}})
			x, err := excelize.OpenFile(f.Abs)
			if err != nil {
				t.Fatal(err)
			}
			x.SetActiveSheet(1)
			if err := x.SetSheetVisible("旧名单", false); err != nil {
				t.Fatal(err)
			}
			x.Save()
			x.Close()
			return f
		}},
		{"formulas with cached values, as Excel saves them", func(dir string) yanshou.File {
			p := filepath.Join(dir, "h.xlsx")
			names := []string{"甲", "乙", "丙"}
			err := sheettest.Write(p, sheettest.Sheet{Name: "名单", Rows: 4, Row: func(i int) []any {
				if i == 0 {
					return []any{"序号", "姓名", "身份证号码", "联系电话", "学员类别", "是否建档立卡贫困户"}
				}
				k := i - 1
				row := []any{sheettest.Formula{Expr: "ROW()-1", Cached: i}, sheettest.Formula{Expr: fmt.Sprintf(`TRIM(" %s ")`, names[k]), Cached: names[k]},
					sheettest.Formula{Expr: fmt.Sprintf(`"%s"&"%s"`, ids[k][:9], ids[k][9:]), Cached: ids[k]}, fmt.Sprintf("1380000000%d", i), nil, nil}
				if k == 0 {
					row[4], row[5] = "农民", sheettest.Formula{Expr: `IF(1>0,"是","否")`, Cached: "是"}
				}
				return row
			}})
			if err != nil {
				t.Fatal(err)
			}
			return yanshou.File{Rel: "h.xlsx", Abs: p}
		}},
		{"CSV in GBK with a title line, as Excel saves it in China", func(dir string) yanshou.File {
			p := filepath.Join(dir, "名单.csv")
			os.WriteFile(p, gbk("学员名单（第3期）,,,,\n姓名,身份证号码,联系电话,学员类别,是否建档立卡贫困户\n甲,"+ids[0]+",13800000001,农民,是\n乙,"+ids[1]+",13800000002,,\n丙,"+ids[2]+",13800000003,,\n"), 0o644)
			return yanshou.File{Rel: "名单.csv", Abs: p}
		}},
		{"CSV in UTF-8 with BOM, IDs as text with a tab", func(dir string) yanshou.File {
			p := filepath.Join(dir, "名单.csv")
			os.WriteFile(p, []byte("\ufeff姓名,身份证号码,联系电话,学员类别,是否建档立卡贫困户\r\n甲,\t"+ids[0]+",13800000001,农民,是\r\n乙,\t"+ids[1]+",13800000002,,\r\n丙,\t"+ids[2]+",13800000003,,\r\n"), 0o644)
			return yanshou.File{Rel: "名单.csv", Abs: p}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.make(t.TempDir())
			a := Read([]yanshou.File{f}, nil, nil, nil, cfg)
			var got []string
			for _, tr := range a.Trainees {
				got = append(got, tr.Name+":"+tr.ID)
			}
			var exp []string
			for i, n := range []string{"甲", "乙", "丙"} {
				exp = append(exp, n+":"+want[i])
			}
			if strings.Join(got, ",") != strings.Join(exp, ",") {
				t.Fatalf("trainees %v, want %v; problems:\n%s", got, exp, problemText(a))
			}
			probs := problemText(a)
			if hidden := strings.Contains(tt.name, "hidden"); hidden != (probs != "") ||
				hidden && probs != "g.xlsx|旧名单|0|工作表「旧名单」：隐藏的工作表未读取；如含学员，请取消隐藏后重新提交" {
				t.Errorf("problems:\n%s", probs)
			}
			jia := a.Trainees[0]
			if !jia.Local || a.Trainees[2].Local || jia.Phone != "13800000001" || a.Trainees[2].Phone != "13800000003" {
				t.Errorf("甲 = %+v, 丙 = %+v", jia, a.Trainees[2])
			}
			if jia.Category != "农民" || !jia.Poor || a.Trainees[1].Poor || a.Trainees[2].Poor {
				t.Errorf("甲's category %q poor %v; 乙 poor %v", jia.Category, jia.Poor, a.Trainees[1].Poor)
			}
		})
	}
}
