package photo

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"yanshou"
	"yanshou/pipeline/format/exifwrite"
)

// Benchmarks on 12-megapixel JPEGs (4000×3000, as phones take), written for
// the run and never committed. scripts/bench_photos.sh writes them once
// (TestWriteBenchPhotos), then runs BenchmarkPhotos12MP over them with exiftool
// installed, so that the comparison is measured in the same run.

// benchTags are the cameras of the benchmark photos, by photo index mod 6.
func benchTags(i int) exifwrite.Tags {
	t0 := time.Date(2026, 3, 10, 8, 30, 0, 0, shanghai).Add(time.Duration(i) * 17 * time.Minute)
	pos := &yanshou.LatLon{Lat: 33.54 + float64(i%7)*0.0011, Lon: 114.60 + float64(i%5)*0.0013}
	switch i % 6 {
	case 0:
		return exifwrite.Tags{Make: "HUAWEI", Model: "ALN-AL00", Software: "ALN-AL00 4.0.0.126(C00E120R3P3)", DateTimeOriginal: t0,
			WithOffset: true, GPS: pos, GPSTime: t0}
	case 1:
		return exifwrite.Tags{Make: "Xiaomi", Model: "2211133C", Software: "MIUI 14.0.25", DateTimeOriginal: t0, SubSec: "042", GPS: pos}
	case 2:
		return exifwrite.Tags{Make: "Apple", Model: "iPhone 14", Software: "17.3.1", DateTimeOriginal: t0.In(time.FixedZone("", -5*3600)),
			WithOffset: true, GPS: &yanshou.LatLon{Lat: -33.86, Lon: -70.65}, GPSTime: t0, Orientation: 6}
	case 3:
		return exifwrite.Tags{Make: "OPPO", Model: "PGEM10", DateTimeDigitized: t0, DateTime: t0.Add(time.Hour)}
	case 4:
		return exifwrite.Tags{} // sent through WeChat: no EXIF
	}
	return exifwrite.Tags{Make: "vivo", Model: "V2241A", Software: "Adobe Photoshop 25.0", DateTime: t0, GPS: pos, Orientation: 3}
}

// writeBenchPhotos writes n 12-megapixel JPEGs into dir: views of generated
// rooms with sensor-like noise, quality 92 (3–5 MB each, like a phone's).
func writeBenchPhotos(t testing.TB, dir string, n int) []string {
	t.Helper()
	var paths []string
	for i := 0; i < n; i++ {
		r := rand.New(rand.NewSource(int64(7000 + i)))
		rm := newRoom(int64(500 + i/3))
		img := randomView(r).photo(rm.shot(r, 0.5, 0.1, int64(i), 1), 4000, 3000).(*image.RGBA)
		for k := 0; k < len(img.Pix); k += 4 {
			n := (r.Float64() + r.Float64() + r.Float64() - 1.5) * 8
			for c := 0; c < 3; c++ {
				img.Pix[k+c] = clamp(float64(img.Pix[k+c]) + n)
			}
		}
		data, err := exifwrite.Encode(img, 92, benchTags(i))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i+1))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// TestWriteBenchPhotos writes the benchmark photos into $BENCH_PHOTOS_DIR
// ($BENCH_PHOTOS_N of them, default 24); skipped when the variable is unset.
func TestWriteBenchPhotos(t *testing.T) {
	dir := os.Getenv("BENCH_PHOTOS_DIR")
	if dir == "" {
		t.Skip("BENCH_PHOTOS_DIR not set")
	}
	n, err := strconv.Atoi(os.Getenv("BENCH_PHOTOS_N"))
	if err != nil || n <= 0 {
		n = 24
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	writeBenchPhotos(t, dir, n)
	t.Logf("wrote %d 12-megapixel JPEGs into %s in %v", n, dir, time.Since(start).Round(time.Second))
}

// benchFiles returns the JPEGs of $BENCH_PHOTOS_DIR, or writes 6 into a
// temporary folder (the peak memory then includes writing them).
func benchFiles(b *testing.B) []string {
	if dir := os.Getenv("BENCH_PHOTOS_DIR"); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
		sort.Strings(paths)
		if len(paths) > 0 {
			return paths
		}
	}
	return writeBenchPhotos(b, b.TempDir(), 6)
}

// peakRSS is the largest resident set of this process (self) or of any child
// process so far, in MB.
func peakRSS(who int) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// cpuSeconds is the CPU time (user and system) this process has used so far:
// on a machine shared with other work, photos per CPU-second is the speed of
// one core, where photos per second of wall-clock time also counts the waits.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// exiftoolArgs asks ExifTool for the metadata Read gives, as numbers.
var exiftoolArgs = []string{"-json", "-n", "-DateTimeOriginal", "-OffsetTimeOriginal", "-CreateDate", "-ModifyDate",
	"-GPSLatitude", "-GPSLongitude", "-GPSDateStamp", "-GPSTimeStamp", "-Make", "-Model", "-Software", "-Orientation",
	"-ImageWidth", "-ImageHeight"}

// BenchmarkPhotos12MP measures photos per second for reading metadata (Read,
// headers only), for hashing on one goroutine (HashesSum: reduced decode, the
// perceptual hashes and the file's SHA-256 from one read; photos/cpu-s is the
// speed of one core whatever else the machine runs) and on GOMAXPROCS of them
// at once (hash-all-cores, as a check hashes a class's photos), and, when
// exiftool is installed, for `exiftool -json` on the same files in one process
// per pass; it reports the peak resident memory after each, the speed ratios,
// and the number of files whose time or GPS position disagrees with ExifTool's.
func BenchmarkPhotos12MP(b *testing.B) {
	files := benchFiles(b)
	var perPhoto = map[string]float64{}
	run := func(name string, pass func()) {
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuSeconds()
			for b.Loop() {
				pass()
			}
			sec := b.Elapsed().Seconds() / float64(b.N*len(files))
			perPhoto[name] = sec
			b.ReportMetric(1/sec, "photos/s")
			if name != "exiftool" {
				b.ReportMetric(float64(b.N*len(files))/(cpuSeconds()-cpu0), "photos/cpu-s")
			}
			who := syscall.RUSAGE_SELF
			if name == "exiftool" {
				who = syscall.RUSAGE_CHILDREN
			}
			b.ReportMetric(peakRSS(who), "peak-RSS-MB")
		})
	}
	run("metadata", func() {
		for _, f := range files {
			Read(f, f, shanghai)
		}
	})
	run("hash", func() {
		for _, f := range files {
			if _, _, err := HashesSum(f, 100e6); err != nil {
				b.Fatal(err)
			}
		}
	})
	run("hash-all-cores", func() {
		next := make(chan string)
		var wg sync.WaitGroup
		var failed atomic.Bool
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range next {
					if _, _, err := HashesSum(f, 100e6); err != nil {
						failed.Store(true)
					}
				}
			}()
		}
		for _, f := range files {
			next <- f
		}
		close(next)
		wg.Wait()
		if failed.Load() {
			b.Fatal("a photo was not hashed")
		}
	})
	b.Logf("%d photos: hashing %.1f photos/s on one goroutine, %.1f photos/s on %d", len(files),
		1/perPhoto["hash"], 1/perPhoto["hash-all-cores"], runtime.GOMAXPROCS(0))
	if _, err := exec.LookPath("exiftool"); err != nil {
		b.Log("exiftool not installed (apt-get install libimage-exiftool-perl): no comparison")
		return
	}
	var out []byte
	if !benchSelected(b, "exiftool") {
		return
	}
	run("exiftool", func() {
		var err error
		if out, err = exec.Command("exiftool", append(exiftoolArgs, files...)...).Output(); err != nil {
			b.Fatal(err)
		}
	})
	b.Logf("%d photos: metadata %.0f photos/s, hashing %.1f photos/s, exiftool -json %.1f photos/s: metadata is %.1f× exiftool's speed, hashing %.2f×",
		len(files), 1/perPhoto["metadata"], 1/perPhoto["hash"], 1/perPhoto["exiftool"],
		perPhoto["exiftool"]/perPhoto["metadata"], perPhoto["exiftool"]/perPhoto["hash"])
	n, notes := exiftoolDisagreements(b, files, out)
	b.Logf("files whose time or GPS disagrees with exiftool's: %d of %d", n, len(files))
	for _, s := range notes {
		b.Log(s)
	}
}

// benchSelected reports whether the -test.bench pattern selects the sub-benchmark
// name of b (so that a run of one sub-benchmark does not compare with an
// exiftool pass that did not run).
func benchSelected(b *testing.B, name string) bool {
	pat := flag.Lookup("test.bench").Value.String()
	parts := strings.SplitN(pat, "/", 2)
	if len(parts) < 2 {
		return true
	}
	re, err := regexp.Compile(parts[1])
	return err != nil || re.MatchString(name)
}

// exiftoolDisagreements compares Read with ExifTool's JSON (from exiftoolArgs):
// the time from the same tag Read used (wall clock and offset), and the GPS
// position to 1e-6 degrees. It returns how many files disagree, and why.
func exiftoolDisagreements(t testing.TB, files []string, out []byte) (int, []string) {
	var recs []map[string]any
	if err := json.Unmarshal(out, &recs); err != nil {
		t.Fatalf("exiftool JSON: %v", err)
	}
	byFile := map[string]map[string]any{}
	for _, r := range recs {
		if s, ok := r["SourceFile"].(string); ok {
			byFile[filepath.Clean(s)] = r
		}
	}
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	n := 0
	var notes []string
	for _, f := range files {
		r := byFile[filepath.Clean(f)]
		p := Read(f, f, shanghai)
		var why []string
		tag := map[string]string{"DateTimeOriginal": "DateTimeOriginal", "CreateDate": "CreateDate", "DateTime": "ModifyDate"}[p.TimeSource]
		switch {
		case p.Taken == nil && str(r["DateTimeOriginal"])+str(r["CreateDate"])+str(r["ModifyDate"]) != "":
			why = append(why, "no time read; exiftool has one")
		case p.Taken != nil && str(r[tag]) != p.Taken.Format("2006:01:02 15:04:05"):
			why = append(why, fmt.Sprintf("time %s (%s), exiftool %q", p.Taken.Format("2006:01:02 15:04:05"), p.TimeSource, str(r[tag])))
		case p.Taken != nil && tag == "DateTimeOriginal" && str(r["OffsetTimeOriginal"]) != "" && str(r["OffsetTimeOriginal"]) != p.Taken.Format("-07:00"):
			why = append(why, fmt.Sprintf("offset %s, exiftool %s", p.Taken.Format("-07:00"), str(r["OffsetTimeOriginal"])))
		}
		lat, ok1 := r["GPSLatitude"].(float64)
		lon, ok2 := r["GPSLongitude"].(float64)
		switch {
		case ok1 && ok2 && (p.Lat == nil || math.Abs(*p.Lat-lat) > 1e-6 || math.Abs(*p.Lon-lon) > 1e-6):
			why = append(why, fmt.Sprintf("GPS %v,%v, exiftool %v,%v", deref(p.Lat), deref(p.Lon), lat, lon))
		case !(ok1 && ok2) && p.Lat != nil:
			why = append(why, "GPS read where exiftool has none")
		}
		if len(why) > 0 {
			n++
			notes = append(notes, filepath.Base(f)+": "+strings.Join(why, "; "))
		}
	}
	return n, notes
}
