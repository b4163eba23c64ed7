package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestInspectionDesk: the reviewer records an inspection of a class with the
// fields of the 检查记录表; the class page and the institution's list show
// it; the institution sees its own but has no form, its POST and a record
// missing a field are refused, and it cannot list another institution's.
func TestInspectionDesk(t *testing.T) {
	f := newFixture(t, Options{})
	mine, _ := of(f.classes(t), accounts[2].Institution)
	_, others := of(f.classes(t), accounts[2].Institution)
	if len(mine) == 0 || len(others) == 0 {
		t.Fatal("the demo lacks classes of two institutions")
	}
	c := mine[0]
	u := fmt.Sprintf("%s/class/%s/v/%d/inspection", f.srv.URL, c.ID, c.Latest().Version)
	wang, hongda := f.session(t, "wang"), f.session(t, "hongda")
	_, own := get(t, hongda, f.srv.URL+"/class/"+c.ID)
	if strings.Contains(own, `id="inspect"`) {
		t.Error("the institution's page offers to record an inspection")
	}
	_, page := get(t, wang, f.srv.URL+"/class/"+c.ID)
	if !strings.Contains(page, `id="inspect"`) {
		t.Fatal("the reviewer's page has no inspection form")
	}
	token := csrf(t, page)
	form := func(change func(url.Values)) url.Values {
		v := url.Values{"csrf": {token}, "at": {"2026-03-10T10:30"}, "place": {"县电商公共服务中心三楼"}, "inspectors": {"王敏、李强"},
			"content": {"现场查看学员签到、课件和培训照片"}, "opinion": {"补齐第二天下午的签到表"}, "inspector_sign": {"王敏"},
			"inspector_at": {"2026-03-10T11:00"}, "inspected_sign": {"张校长"}, "inspected_at": {"2026-03-10T11:05"}}
		if change != nil {
			change(v)
		}
		return v
	}
	refused := []struct {
		name   string
		c      *http.Client
		form   url.Values
		status int
		says   string
	}{
		{"the institution", hongda, form(func(v url.Values) { v.Set("csrf", csrf(t, own)) }), http.StatusForbidden, "无权"},
		{"no token", wang, form(func(v url.Values) { v.Del("csrf") }), http.StatusForbidden, "表单已失效"},
		{"no place", wang, form(func(v url.Values) { v.Set("place", " ") }), http.StatusBadRequest, "请填写检查地点"},
		{"no signature of the inspected", wang, form(func(v url.Values) { v.Del("inspected_sign") }), http.StatusBadRequest, "请填写被检查单位负责人签字"},
		{"a time not a time", wang, form(func(v url.Values) { v.Set("at", "昨天上午") }), http.StatusBadRequest, "检查时间无法识别"},
	}
	for _, tt := range refused {
		resp, body := post(t, tt.c, u, tt.form)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d, want %d with %q\n%.300s", tt.name, resp.StatusCode, tt.status, tt.says, body)
		}
	}
	resp, body := post(t, wang, u, form(nil))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d\n%.300s", resp.StatusCode, body)
	}
	want := []string{"2026-03-10 10:30", "县电商公共服务中心三楼", "王敏、李强", "现场查看学员签到、课件和培训照片", "补齐第二天下午的签到表",
		"检查人 王敏（2026-03-10 11:00）；被检查单位负责人 张校长（2026-03-10 11:05）", "王敏（审核人）于"}
	if _, page = get(t, wang, f.srv.URL+"/class/"+c.ID); contains(page, want...) != "" {
		t.Errorf("the class page lacks %q", contains(page, want...))
	}
	if _, list := get(t, wang, f.srv.URL+"/inspections?inst="+url.QueryEscape(c.Institution)); contains(list, want...) != "" || !strings.Contains(list, "共 1 次") {
		t.Errorf("the office's list lacks %q", contains(list, want...))
	}
	if _, list := get(t, hongda, f.srv.URL+"/inspections"); !strings.Contains(list, "张校长") {
		t.Error("the institution does not see its inspection")
	}
	nongshang := f.session(t, "nongshang")
	if _, list := get(t, nongshang, f.srv.URL+"/inspections?inst="+url.QueryEscape(c.Institution)); strings.Contains(list, "张校长") {
		t.Error("another institution lists this institution's inspections")
	}
	if _, p := get(t, nongshang, f.srv.URL+"/class/"+c.ID); strings.Contains(p, "张校长") {
		t.Error("another institution sees the class's inspection")
	}
}
