package natsort

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrder sorts shuffled real-world names and expects a clerk's order.
func TestOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string // in reading order
	}{
		{"courseware", []string{
			"第一讲 电商概论.pptx", "第二讲 网店开设.pptx", "第三讲 商品拍摄.pptx", "第四讲 直播带货.pptx",
			"第五讲 物流.pptx", "第九讲 客服.pptx", "第十讲 营销.pptx", "第十一讲 案例.pptx", "第十二讲 总结.pptx",
		}},
		{"brackets", []string{
			"现场照片 (1).jpg", "现场照片 (2).jpg", "现场照片 (3).jpg", "现场照片 (9).jpg",
			"现场照片 (10).jpg", "现场照片 (11).jpg", "现场照片 (12).jpg",
		}},
		{"full-width brackets", []string{"签到（1）.jpg", "签到（2）.jpg", "签到（10）.jpg"}},
		{"camera", []string{"IMG_0009.JPG", "IMG_0010.JPG", "IMG_0099.JPG", "img_0100.jpg", "IMG_1000.JPG"}},
		{"wechat", []string{"mmexport1716012345678.jpg", "mmexport1716012399999.jpg", "mmexport17160123456789.jpg"}},
		{"photo numbers", []string{"照片1.jpg", "照片2.jpg", "照片10.jpg", "照片20.jpg", "照片100.jpg"}},
		{"dates", []string{"2026.5.9 培训.jpg", "2026.5.10 培训.jpg", "2026.5.11 培训.jpg", "2026.10.1 培训.jpg"}},
		{"list items", []string{"一、培训通知.pdf", "二、培训方案.pdf", "三、课程表.pdf", "十、总结.pdf", "十一、附件.pdf", "二十、其他.pdf"}},
		{"full-width digits", []string{"第２期.pdf", "第3期.pdf", "第１０期.pdf"}},
		{"morning before afternoon", []string{"5月9日上午.jpg", "5月9日下午.jpg", "5月10日上午.jpg"}},
		{"mixed numerals", []string{"第1期", "第二期", "第3期", "第十期", "第11期"}},
		{"year digits", []string{"二〇二五年总结.pdf", "二〇二六年总结.pdf"}},
		{"hundreds", []string{"第九十九号", "第一百号", "第一百零五号", "第一百一十号", "第二百号", "第一千号", "第一万二千号"}},
		{"prefix first", []string{"签到表", "签到表-第1场", "签到表-第2场"}},
		{"digits before text", []string{"1.jpg", "a.jpg", "b.jpg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.want)
			r := rand.New(rand.NewPCG(1, uint64(len(got))))
			for range 5 {
				r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
				Strings(got)
				if !slices.Equal(got, tc.want) {
					t.Fatalf("order:\n got %q\nwant %q", got, tc.want)
				}
			}
		})
	}
}

// TestCompare checks single pairs, ties broken by the plain string.
func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"第二讲", "第十讲", -1},
		{"第十二讲", "第二讲", 1},
		{"照片01.jpg", "照片1.jpg", -1}, // same value: plain bytes ("0" < "1")
		{"照片1.jpg", "照片01.jpg", 1},
		{"第2期", "第二期", -1}, // same value: plain bytes
		{"IMG_1.jpg", "img_1.jpg", -1},
		{"a", "a", 0},
		{"", "a", -1},
		{"百度2.png", "百度10.png", -1}, // 百 alone is a word, the digits a number
	} {
		got := Compare(tc.a, tc.b)
		if got != tc.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if back := Compare(tc.b, tc.a); back != -got {
			t.Errorf("Compare(%q, %q) = %d, not the opposite of %d", tc.b, tc.a, back, got)
		}
	}
}

// TestValue checks the reading of Chinese numbers.
func TestValue(t *testing.T) {
	for in, want := range map[string]string{
		"一": "1", "十": "10", "十二": "12", "二十": "20", "二十三": "23", "一百零五": "105",
		"一千零一": "1001", "一万二千": "12000", "十万": "100000", "一亿二千万": "120000000",
		"二〇二六": "2026", "两": "2", "零": "0",
	} {
		if got := chineseValue(in); got != want {
			t.Errorf("chineseValue(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestTotal checks on random names that the order is a total order: antisymmetric,
// transitive, and 0 only for equal strings.
func TestTotal(t *testing.T) {
	alphabet := []string{"第", "讲", "一", "二", "十", "百", "0", "1", "9", "０", "(", ")", "a", "A", ".", "上", "下"}
	r := rand.New(rand.NewPCG(7, 7))
	names := make([]string, 300)
	for i := range names {
		n := 1 + r.IntN(6)
		for range n {
			names[i] += alphabet[r.IntN(len(alphabet))]
		}
	}
	Strings(names)
	for i := 1; i < len(names); i++ {
		if Compare(names[i-1], names[i]) > 0 {
			t.Fatalf("not sorted at %d: %q > %q", i, names[i-1], names[i])
		}
	}
	for i := range 2000 {
		a, b, c := names[r.IntN(len(names))], names[r.IntN(len(names))], names[r.IntN(len(names))]
		ab, bc, ac := Compare(a, b), Compare(b, c), Compare(a, c)
		if (ab == 0) != (a == b) {
			t.Fatalf("%d: Compare(%q, %q) = %d", i, a, b, ab)
		}
		if ab != -Compare(b, a) {
			t.Fatalf("not antisymmetric: %q %q", a, b)
		}
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Fatalf("not transitive: %q ≤ %q ≤ %q but %q > %q", a, b, c, a, c)
		}
	}
}

// TestSort sorts records by a key, stably.
func TestSort(t *testing.T) {
	type rec struct{ name, id string }
	s := []rec{{"第十讲", "a"}, {"第二讲", "b"}, {"第十讲", "c"}}
	Sort(s, func(r rec) string { return r.name })
	if s[0].id != "b" || s[1].id != "a" || s[2].id != "c" {
		t.Fatalf("Sort = %v", s)
	}
}
