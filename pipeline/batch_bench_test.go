package pipeline

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/platform/config"
	"yanshou/pipeline/testkit/sample"
	"yanshou/rules"
)

// genClasses writes n small but complete classes under dir: a manifest, every
// material, four photos with EXIF, a CSV roster of 20 and a CSV sign-in sheet.
func genClasses(tb testing.TB, dir string, n int) {
	tb.Helper()
	cfg := config.Default()
	venue := cfg.Venues[0].Point
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < n; i++ {
		root := filepath.Join(dir, fmt.Sprintf("机构%02d", i%20), fmt.Sprintf("第%d期", i))
		start := time.Date(2026, time.Month(1+i%11), 1+i%25, 0, 0, 0, 0, cfg.Location)
		files := map[string][]byte{
			"manifest.yaml": []byte(fmt.Sprintf("institution: 商水县测试培训学校%02d\ntitle: 农村电商实用技能培训班\nclass: 第%d期\n"+
				"start: %s\nend: %s\nvenue: 商水县电子商务公共服务中心\napplied: %s\napproval_no: 商电商办〔2026〕%d号\napproved: %s\nplanned: 20\nteachers: 张某\n",
				i%20, i, start.Format("2006-01-02"), start.Format("2006-01-02"), start.AddDate(0, 0, -20).Format("2006-01-02"), i+1,
				start.AddDate(0, 0, -10).Format("2006-01-02"))),
		}
		for _, m := range []string{"01申请报告", "02批复", "03培训通知", "04培训课件", "09培训内容", "11情况总结"} {
			files[m+".txt"] = []byte(m + strconv.Itoa(i))
		}
		var roster, signin, follow strings.Builder
		roster.WriteString("姓名,身份证号码,联系电话\n")
		signin.WriteString("日期,姓名,身份证号码\n")
		follow.WriteString("回访日期,姓名,联系电话,回访情况\n")
		for k := 0; k < 20; k++ {
			first := fmt.Sprintf("411623%04d0101%03d", 1970+k, (i*20+k)%1000)
			id := first + string(sample.CheckDigit(first))
			phone := fmt.Sprintf("138%08d", i*20+k)
			fmt.Fprintf(&roster, "学员%d_%d,%s,%s\n", i, k, id, phone)
			fmt.Fprintf(&signin, "%s,学员%d_%d,%s\n", start.Format("2006-01-02"), i, k, id)
			if k < 3 {
				fmt.Fprintf(&follow, "%s,学员%d_%d,%s,已开网店\n", start.AddDate(0, 1, 0).Format("2006-01-02"), i, k, phone)
			}
		}
		files["07培训学员名单.csv"] = []byte(roster.String())
		files["08签到表.csv"] = []byte(signin.String())
		files["10电话回访记录.csv"] = []byte(follow.String())
		for k := 0; k < 4; k++ {
			img := image.NewRGBA(image.Rect(0, 0, 640, 480))
			draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}}, image.Point{}, draw.Src)
			for r := 0; r < 12; r++ {
				x, y := rng.IntN(600), rng.IntN(440)
				c := color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255}
				draw.Draw(img, image.Rect(x, y, x+20+rng.IntN(200), y+20+rng.IntN(200)), &image.Uniform{c}, image.Point{}, draw.Src)
			}
			p := venue
			b, err := exifwrite.Encode(img, 80, exifwrite.Tags{Make: "HUAWEI", Model: "ALN-AL00",
				DateTimeOriginal: start.Add(time.Duration(9+k*2) * time.Hour), WithOffset: true, GPS: &p})
			if err != nil {
				tb.Fatal(err)
			}
			name := "05现场照片/IMG_" + strconv.Itoa(k) + ".jpg"
			if k == 3 {
				name = "06合影照片/合影.jpg"
			}
			files[name] = b
		}
		for rel, b := range files {
			p := filepath.Join(root, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// peakRSS returns the process's peak resident set (VmHWM) in MB and resets it.
func peakRSS() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	var kb float64
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ = strconv.ParseFloat(strings.Fields(l)[1], 64)
		}
	}
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o644)
	return kb / 1024
}

// BenchmarkBatch measures a first batch over fresh classes (everything read,
// hashed and rendered), a re-run with the same rules (cached) and a re-run after
// one threshold changed; it reports seconds, their ratio and peak memory.
// Run: go test -run '^$' -bench Batch -benchtime 1x ./pipeline/
func BenchmarkBatch(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("classes=%d", n), func(b *testing.B) {
			if n > 100 && testing.Short() {
				b.Skip("1000 classes: not in -short")
			}
			dir := b.TempDir()
			inbox, outbox := filepath.Join(dir, "inbox"), filepath.Join(dir, "outbox")
			genClasses(b, inbox, n)
			for b.Loop() {
				os.RemoveAll(outbox)
				p, err := Open(config.Default(), rules.Default(), outbox, nil)
				if err != nil {
					b.Fatal(err)
				}
				peakRSS()
				t0 := time.Now()
				res, err := p.Batch(context.Background(), BatchOptions{Paths: []string{inbox}})
				reps := res.Reports
				first := time.Since(t0)
				firstMB := peakRSS()
				if err != nil || len(reps) != n {
					b.Fatalf("first batch: %d reports, %v", len(reps), err)
				}
				t1 := time.Now()
				if _, err := p.Batch(context.Background(), BatchOptions{}); err != nil {
					b.Fatal(err)
				}
				same := time.Since(t1)
				sameMB := peakRSS()
				p.Close()

				cfg := config.Default()
				cfg.Thresholds.FollowupMinShare = 0.2 // 3 of 20 called: every class now fails
				p2, err := Open(cfg, rules.Default(), outbox, nil)
				if err != nil {
					b.Fatal(err)
				}
				peakRSS()
				t2 := time.Now()
				res, err = p2.Batch(context.Background(), BatchOptions{})
				reps = res.Reports
				changed := time.Since(t2)
				changedMB := peakRSS()
				p2.Close()
				fails := 0
				for _, r := range reps {
					if r.Verdict == yanshou.Fail {
						fails++
					}
				}
				if err != nil || fails < n*9/10 {
					b.Fatalf("after the threshold change %d of %d fail, %v", fails, n, err)
				}
				b.ReportMetric(first.Seconds(), "s-first")
				b.ReportMetric(same.Seconds(), "s-rerun-same")
				b.ReportMetric(changed.Seconds(), "s-rerun-changed")
				b.ReportMetric(changed.Seconds()/first.Seconds(), "ratio-changed/first")
				b.ReportMetric(firstMB, "MB-peak-first")
				b.ReportMetric(sameMB, "MB-peak-same")
				b.ReportMetric(changedMB, "MB-peak-changed")
			}
		})
	}
}

// benchSizes are the class counts BenchmarkBatch runs (YANSHOU_BENCH_CLASSES
// overrides, e.g. "20" for a quick profile).
func benchSizes() []int {
	if s := os.Getenv("YANSHOU_BENCH_CLASSES"); s != "" {
		var out []int
		for _, f := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
		return out
	}
	return []int{100, 1000}
}
