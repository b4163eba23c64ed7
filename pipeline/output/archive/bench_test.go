//go:build linux

package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
	"yanshou/pipeline/format/pdfdoc"
	"yanshou/pipeline/platform/config"
)

// benchPhotos writes n distinct 4000×3000 (12 MP) photos with EXIF, cached in
// the temp folder across runs (making them takes about a minute).
func benchPhotos(b *testing.B, n int) []string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "yanshou-bench-photos-v1")
	os.MkdirAll(dir, 0o755)
	paths := make([]string, n)
	missing := false
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i+1))
		if _, err := os.Stat(paths[i]); err != nil {
			missing = true
		}
	}
	if !missing {
		return paths
	}
	base := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < 3000; y++ { // a smooth scene with grain: realistic JPEG sizes (3–5 MB)
		for x := 0; x < 4000; x++ {
			g := uint8(rng.IntN(24))
			base.SetRGBA(x, y, color.RGBA{uint8(60+x/40) + g, uint8(90+y/30) + g, uint8(120+(x+y)/70) + g, 255})
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i := range paths {
		if _, err := os.Stat(paths[i]); err == nil {
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			img := image.NewRGBA(base.Rect)
			copy(img.Pix, base.Pix)
			for y := 0; y < 400; y++ { // a block in a different place on every photo
				for x := 0; x < 400; x++ {
					img.SetRGBA((i*37)%3600+x, (i*53)%2600+y, color.RGBA{200, uint8(i * 2), 40, 255})
				}
			}
			o := 1
			if i%10 == 0 {
				o = 6 // some taken upright
			}
			data, err := exifwrite.Encode(img, 92, exifwrite.Tags{Make: "HUAWEI", Model: "P40",
				DateTimeOriginal: time.Date(2026, 3, 10+i%3, 9, i%60, 0, 0, shanghai), Orientation: o,
				GPS: &yanshou.LatLon{Lat: 33.544, Lon: 114.61}})
			if err != nil {
				panic(err)
			}
			if err := os.WriteFile(paths[i]+".tmp", data, 0o644); err != nil {
				panic(err)
			}
			os.Rename(paths[i]+".tmp", paths[i])
		}()
	}
	wg.Wait()
	return paths
}

// peakRSS resets the kernel's high-water mark of this process's resident memory
// and returns a function reading it, in MB (Linux; 0 elsewhere).
func peakRSS() func() float64 {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return func() float64 {
		data, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, l := range strings.Split(string(data), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
		return 0
	}
}

// cpuSelf is the CPU time (user + system) this process has used.
func cpuSelf() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// imageMagick returns the real ImageMagick convert (not a stand-in), or "".
func imageMagick() string {
	for _, c := range []string{"magick", "/usr/bin/convert", "convert"} {
		path, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		if out, err := exec.Command(path, "-version").Output(); err == nil && strings.Contains(string(out), "ImageMagick") {
			return path
		}
	}
	return ""
}

// BenchmarkArchive binds 100 twelve-megapixel photos and 50 imported PDF pages
// into the two copies, reporting time, peak resident memory and archive size;
// then times ImageMagick resizing the same photos to the same pixels.
//
//	go test -run '^$' -bench Archive -benchtime 1x ./pipeline/output/archive/
func BenchmarkArchive(b *testing.B) {
	photos := benchPhotos(b, 100)
	root := b.TempDir()
	var files []yanshou.File
	add := func(rel, abs string, k yanshou.MaterialKind) {
		data, err := os.ReadFile(abs)
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.Sum256(data)
		files = append(files, yanshou.File{Rel: rel, Abs: abs, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Kind: k})
	}
	for i := 0; i < 5; i++ { // 5 PDFs of 10 pages: 50 imported pages
		pages := make([]string, 10)
		for j := range pages {
			pages[j] = fmt.Sprintf("培训课件 第%d讲 第%d页：农村电商网店运营、直播带货与物流", i+1, j+1)
		}
		rel := fmt.Sprintf("04培训课件/第%d讲.pdf", i+1)
		makePDF(b, filepath.Join(root, rel), pages...)
		add(rel, filepath.Join(root, rel), yanshou.Courseware)
	}
	var photoFacts []yanshou.Photo
	for i, p := range photos {
		rel := fmt.Sprintf("05现场照片/IMG_%04d.jpg", i+1)
		add(rel, p, yanshou.SitePhotos)
		taken := time.Date(2026, 3, 10+i%3, 9, i%60, 0, 0, shanghai)
		photoFacts = append(photoFacts, yanshou.Photo{File: rel, Taken: &taken, InWindow: ptr(true), DistanceM: ptr(40.0),
			InVenue: ptr(true), InCounty: ptr(true)})
	}
	r := &yanshou.Result{Submission: &yanshou.Submission{Files: files, ContentHash: strings.Repeat("0", 64),
		Class: &yanshou.ClassInfo{Institution: "商水县某某职业培训学校", Class: "第3期"}},
		ID: "SBENCH", Version: 1, CheckedAt: time.Now(), Verdict: yanshou.Pass, Photos: photoFacts}
	cfg := config.Default()

	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir()
		runtime.GC()
		peak := peakRSS()
		start, cpu := time.Now(), cpuSelf()
		out, err := Write(dir, r, cfg, Options{Converter: "-"})
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.ReportMetric(elapsed.Seconds(), "s/2-copies")
		b.ReportMetric((cpuSelf() - cpu).Seconds(), "cpu-s/2-copies")
		b.ReportMetric(peak(), "peak-RSS-MB")
		b.ReportMetric(float64(out.Copies[0].Size)/(1<<20), "MB/copy")
		b.ReportMetric(float64(out.Pages), "pages")
		if len(out.Problems) > 0 {
			b.Fatalf("problems: %+v", out.Problems)
		}
	}
	b.StopTimer()

	// Our picture preparation alone, as the archive does it (2 at a time).
	start, cpu := time.Now(), cpuSelf()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, p := range photos {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := pdfdoc.PrepareImage(p, 0, 1600); err != nil {
				b.Error(err)
			}
		}()
	}
	wg.Wait()
	ours, oursCPU := time.Since(start), cpuSelf()-cpu
	b.ReportMetric(ours.Seconds(), "s-photos-go")
	b.ReportMetric(oursCPU.Seconds(), "cpu-s-photos-go")

	im := imageMagick()
	if im == "" {
		b.Log("ImageMagick not installed (apt-get install imagemagick): no comparison")
		return
	}
	out := b.TempDir()
	var imCPU time.Duration
	start = time.Now()
	for i, p := range photos { // one at a time: convert already uses every core (OpenMP)
		cmd := exec.Command(im, p, "-auto-orient", "-resize", "1600x1600>", "-quality", "85",
			filepath.Join(out, fmt.Sprintf("%d.jpg", i)))
		if o, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", im, err, o)
		}
		imCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	imTime := time.Since(start)
	b.ReportMetric(imTime.Seconds(), "s-photos-convert")
	b.ReportMetric(imCPU.Seconds(), "cpu-s-photos-convert")
	b.ReportMetric(ours.Seconds()/imTime.Seconds(), "go/convert")
	b.ReportMetric(oursCPU.Seconds()/imCPU.Seconds(), "go/convert-cpu")

	// ImageMagick at its fastest: libjpeg decodes at half scale (DCT scaling: 2000×1500 ≥ 1600×1200).
	var scaledCPU time.Duration
	for i, p := range photos {
		cmd := exec.Command(im, "-define", "jpeg:size=1600x1200", p, "-auto-orient", "-resize", "1600x1600>",
			"-quality", "85", filepath.Join(out, fmt.Sprintf("s%d.jpg", i)))
		if o, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", im, err, o)
		}
		scaledCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(scaledCPU.Seconds(), "cpu-s-photos-convert-dctscale")
	b.ReportMetric(oursCPU.Seconds()/scaledCPU.Seconds(), "go/convert-dctscale-cpu")
}
