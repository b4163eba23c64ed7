#!/usr/bin/env bash
# The benchmark table (make bench): builds the corpus, runs each benchmark as its
# own process under /usr/bin/time -v (so that the peak memory of each row is its
# own), and prints one Markdown table with the machine it ran on.
#
#   scripts/bench.sh                 everything (about 15–20 minutes on 2 cores)
#
# Environment: BENCH_PHOTOS (12 MP photos for the photo row, default 48),
# BENCH_CLASSES (batch sizes, default "100 1000"), BENCH_LOAD_N (submissions
# dropped at once in the load test, default 200; 10% more arrive later),
# BENCH_OUT (folder for the raw outputs, default a new temporary folder; the
# table is also written there as table.md), BENCH_STEPS (which to run, default
# "photos forensics capture heic video watermark papers ocr signsheets roster archive review batch latency load desk"; the table shows every row whose
# output is in BENCH_OUT, so one row can be run again into an earlier run's
# folder, and BENCH_STEPS=none only prints the table).
#
# It installs exiftool (libimage-exiftool-perl) and ImageMagick (imagemagick)
# with apt-get when they are missing, with sudo unless run as root; the fonts
# and poppler come from `make deps`.
set -euo pipefail
cd "$(dirname "$0")/.."

photos_n="${BENCH_PHOTOS:-48}"
classes="${BENCH_CLASSES:-100 1000}"
load_n="${BENCH_LOAD_N:-200}"
steps=" ${BENCH_STEPS:-photos forensics capture heic video watermark papers ocr signsheets roster archive review batch latency load desk} "
want() { [[ "$steps" == *" $1 "* ]]; }
out="${BENCH_OUT:-$(mktemp -d /tmp/yanshou-bench.XXXXXX)}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
need=()
command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)
[ -x /usr/bin/convert ] || command -v magick >/dev/null || need+=(imagemagick)
[ -x /usr/bin/time ] || need+=(time)
if [ "${#need[@]}" -gt 0 ]; then
	echo "bench: installing ${need[*]} with apt-get" >&2
	$sudo apt-get update -qq && $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

log() { echo "bench: $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# run NAME PKGDIR ARGS...: runs the package's test binary in its folder under
# /usr/bin/time -v; output in $out/NAME.txt, time's report in $out/NAME.time.
run() {
	local name=$1 dir=$2
	shift 2
	local bin="$work/$(echo "$dir" | tr / _).test"
	[ -x "$bin" ] || go test -c -o "$bin" "./$dir"
	echo "$(load1)" >"$out/$name.load"
	log "$name (load $(load1))"
	if ! (cd "$dir" && /usr/bin/time -v -o "$out/$name.time" "$bin" -test.timeout 90m "$@") >"$out/$name.txt" 2>&1; then
		log "$name FAILED: see $out/$name.txt"
		tail -20 "$out/$name.txt" >&2
		exit 1
	fi
}

# metric FILE BENCH-REGEX UNIT: a figure of a benchmark result line.
metric() {
	awk -v b="$2" -v u="$3" '$1 ~ b { for (i = 3; i < NF; i += 2) if ($(i + 1) == u) { print $i; exit } }' "$1"
}
# maxrss NAME: the process's maximum resident set in MB, from time -v.
maxrss() { awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/$1.time"; }
rowload() { cat "$out/$1.load"; }
fmt() { awk -v v="${2:-}" -v f="$1" 'BEGIN { if (v == "") print "—"; else printf f, v }'; }

start_load="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date '+%Y-%m-%d %H:%M %Z')"

# The corpus: 12 MP photos for the photo row (the archive benchmark writes and
# keeps its own 100 in the temp folder; the batch and load tests write theirs).
if want photos; then
	log "writing $photos_n 12-megapixel JPEGs"
	mkdir -p "$work/photos"
	BENCH_PHOTOS_DIR="$work/photos" BENCH_PHOTOS_N="$photos_n" go test -count=1 -run '^TestWriteBenchPhotos$' ./pipeline/stage/photo/ >"$out/corpus.txt" 2>&1
	BENCH_PHOTOS_DIR="$work/photos" run photos pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkPhotos12MP$' -test.benchtime 3x -test.v
	BENCH_PHOTOS_DIR="$work/photos" run photoscan pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkScan12MP$' -test.benchtime 20x
fi
if want forensics; then
	run forensics pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkReadForensics$' -test.benchtime 2000x
fi
if want capture; then
	run capture pipeline/stage/photo -test.run '^$' -test.bench '^(BenchmarkCompareCaptures|BenchmarkRephotoPlane)$' -test.benchtime 5x -test.benchmem
fi
if want heic; then
	# each decoder in its own process, for its own peak memory
	run heic pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkHashHEIC$/^heif-convert$' -test.benchtime 5x -test.benchmem
	run heicwasm pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkHashHEIC$/^WebAssembly$' -test.benchtime 5x -test.benchmem
	run heic12 pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkHashHEIC12MP$/^heif-convert$' -test.benchtime 3x -test.benchmem
	run heic12wasm pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkHashHEIC12MP$/^WebAssembly$' -test.benchtime 2x -test.benchmem
fi
if want video; then
	run video pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkReadVideo$' -test.benchtime 2000x -test.benchmem
fi
if want watermark; then
	run watermark pipeline/stage/photo -test.run '^$' -test.bench '^BenchmarkWatermarkOCR$' -test.benchtime 18x
fi
if want papers; then
	run papers pipeline/stage/papers -test.run '^$' -test.bench '^BenchmarkRead100$' -test.benchtime 3x
fi
if want ocr; then
	run ocr pipeline/stage/papers -test.run '^$' -test.bench '^BenchmarkReadOCR$' -test.benchtime 1x
fi
if want signsheets; then
	run signsheets pipeline/testkit/papersheet -test.run '^$' -test.bench '^BenchmarkRead(Scan|Photo)$' -test.benchtime 10x
	run signsheets100 pipeline/stage/paper -test.run '^$' -test.bench '^BenchmarkRead100PageScans$' -test.benchtime 1x
fi
if want roster; then
	run roster pipeline/stage/roster -test.run '^$' -test.bench '^BenchmarkSignIn100k$' -test.benchtime 2x -test.benchmem
fi
if want archive; then
	run archive pipeline/output/archive -test.run '^$' -test.bench '^BenchmarkArchive$' -test.benchtime 1x
fi
if want review; then
	run review pipeline -test.run '^$' -test.bench '^BenchmarkRenderReviewed$' -test.benchtime 3x
fi
for n in $classes; do
	if want batch || want "batch$n"; then
		YANSHOU_BENCH_CLASSES="$n" run "batch$n" pipeline -test.run '^$' -test.bench '^BenchmarkBatch$' -test.benchtime 1x
	fi
done
if want latency; then
	run latency cmd/yanshou -test.run '^$' -test.bench '^BenchmarkWatchMarkerLatency$' -test.benchtime 7x
fi
if want load; then
	YANSHOU_LOAD_N="$load_n" run load cmd/yanshou -test.run '^TestWatchLoad$' -test.v
fi

if want desk; then
	run desk pipeline/desk -test.run '^$' -test.bench '^BenchmarkPages$' -test.benchtime 20x
	run deskdecided pipeline/desk -test.run '^$' -test.bench '^BenchmarkQueueDecided$' -test.benchtime 20x
	YANSHOU_DESK_LOAD="${BENCH_DESK_LOAD:-20x50x5}" run deskload cmd/yanshou -test.run '^TestServeLoad$' -test.v
fi

# The table: a row for every output in $out.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) { print "—"; exit }
		r = a / b; printf (r < 1 ? "%.2f×" : r < 10 ? "%.1f×" : "%.0f×"), r }'
}
{
	echo "| Benchmark | Result | Peak memory (max RSS) | Load avg | Notes |"
	echo "|---|---|---|---|---|"
	f=$out/photos.txt
	if [ -f "$f" ]; then
		files=$(grep -o '[0-9]* photos: metadata' "$f" | cut -d' ' -f1 || true)
		meta=$(metric "$f" 'Photos12MP/metadata' photos/s)
		hash=$(metric "$f" 'Photos12MP/hash(-[0-9]+)?$' photos/s)
		hashcpu=$(metric "$f" 'Photos12MP/hash(-[0-9]+)?$' photos/cpu-s)
		hashall=$(metric "$f" 'Photos12MP/hash-all-cores' photos/s)
		cores=$(grep -o 'photos/s on [0-9]*$' "$f" | grep -o '[0-9]*$' || true)
		exif=$(metric "$f" 'Photos12MP/exiftool' photos/s)
		differ=$(grep -o "disagrees with exiftool's: [0-9]* of [0-9]*" "$f" | sed 's/.*: /time or GPS differs from exiftool: /' || true)
		echo "| Photos: metadata (12 MP JPEG, ${files:-?} files) | $(fmt '%.0f photos/s' "$meta") | $(fmt '%.0f MB' "$(metric "$f" 'Photos12MP/metadata' peak-RSS-MB)") | $(rowload photos) | $(ratio "$meta" "$exif") exiftool's speed |"
		echo "| Photos: hashing, one core (DC-only decode, 129–135 pHashes: cuts to a quarter, mirrored and turned, framed picture; SHA-256 in the same read) | $(fmt '%.1f photos/s' "$hashcpu") per CPU-second ($(fmt '%.1f photos/s' "$hash") wall-clock) | $(fmt '%.0f MB' "$(metric "$f" 'Photos12MP/hash(-[0-9]+)?$' peak-RSS-MB)") | $(rowload photos) | $(ratio "$hash" "$exif") exiftool's speed |"
		echo "| Photos: hashing, all cores (${cores:-?} at once, as a check does) | $(fmt '%.1f photos/s' "$hashall") | $(fmt '%.0f MB' "$(metric "$f" 'Photos12MP/hash-all-cores' peak-RSS-MB)") | $(rowload photos) | a re-check hashes nothing (ledger cache by SHA-256) |"
		echo "| Photos: \`exiftool -json\`, same files | $(fmt '%.1f photos/s' "$exif") | $(fmt '%.0f MB' "$(metric "$f" 'Photos12MP/exiftool' peak-RSS-MB)") | $(rowload photos) | $differ |"
	fi

	f=$out/photoscan.txt
	if [ -f "$f" ]; then
		echo "| Photos: the DC-only JPEG decoder alone (12 MP, q92, sensor noise) | $(fmt '%.1f photos/s' "$(metric "$f" 'Scan12MP/fast' photos/cpu-s)") per CPU-second | $(maxrss photoscan) MB | $(rowload photoscan) | the reference decoder (refScan, a symbol a look-up): $(fmt '%.1f photos/s' "$(metric "$f" 'Scan12MP/reference' photos/cpu-s)") per CPU-second |"
	fi

	f=$out/forensics.txt
	if [ -f "$f" ]; then
		with=$(metric "$f" 'ReadForensics/with-thumbnail' photos/s)
		without=$(metric "$f" 'ReadForensics/without-thumbnail' photos/s)
		echo "| Photos: metadata with the EXIF thumbnail decoded and hashed (forensics) | $(fmt '%.0f photos/s' "$with") | $(maxrss forensics) MB | $(rowload forensics) | $(fmt '%.0f photos/s' "$without") without a thumbnail |"
	fi

	f=$out/capture.txt
	if [ -f "$f" ]; then
		ns=$(metric "$f" 'CompareCaptures' ns/op)
		echo "| Same capture or same room: one candidate pair, 12 MP JPEGs (mirrored, cropped copy) | $(fmt '%.0f ms per pair' "$(awk -v n="$ns" 'BEGIN { if (n != "") print n / 1e6 }')") | $(maxrss capture) MB | $(rowload capture) | only pairs whose perceptual hashes match are compared |"
		ns=$(metric "$f" 'RephotoPlane' ns/op)
		echo "| Photos: looking for a screen or print photographed again (framed picture), 12 MP DC plane | $(fmt '%.1f ms per photo' "$(awk -v n="$ns" 'BEGIN { if (n != "") print n / 1e6 }')") | $(maxrss capture) MB | $(rowload capture) | paid by every photo hashed; the picture found is squared up and hashed |"
	fi

	f=$out/heic.txt
	if [ -f "$f" ]; then
		echo "| Photos: hashing HEIC (1440×960 phone HEIC) through heif-convert (libheif-examples) | $(fmt '%.2f photos/s' "$(metric "$f" 'HashHEIC/heif-convert' photos/s)"), $(fmt '%.2f per CPU-s' "$(metric "$f" 'HashHEIC/heif-convert' photos/cpu-s)") | $(maxrss heic) MB | $(rowload heic) | native libheif, Y4M in a private temp dir; pixel limit from the header before it runs, 120 s, rlimits; once per content per check (the proxy JPEG feeds report and archive), cached in the ledger |"
	fi
	f=$out/heicwasm.txt
	if [ -f "$f" ]; then
		echo "| Photos: hashing HEIC (1440×960 phone HEIC) in WebAssembly (heif-convert absent) | $(fmt '%.2f photos/s' "$(metric "$f" 'HashHEIC/WebAssembly' photos/s)"), $(fmt '%.2f per CPU-s' "$(metric "$f" 'HashHEIC/WebAssembly' photos/cpu-s)") | $(maxrss heicwasm) MB | $(rowload heicwasm) | gen2brain's libheif run by wazero, interruptible (120 s bound, 1 GiB) |"
	fi
	f=$out/heic12.txt
	if [ -f "$f" ]; then
		echo "| Photos: hashing HEIC (4032×3024, 12 MP, heif-enc -q 60 of a generated scene) through heif-convert | $(fmt '%.2f photos/s' "$(metric "$f" 'HashHEIC12MP/heif-convert' photos/s)"), $(fmt '%.2f per CPU-s' "$(metric "$f" 'HashHEIC12MP/heif-convert' photos/cpu-s)") | $(maxrss heic12) MB | $(rowload heic12) | skipped without heif-enc or heif-convert (libheif-examples) |"
	fi
	f=$out/heic12wasm.txt
	if [ -f "$f" ]; then
		echo "| Photos: hashing HEIC (4032×3024, 12 MP) in WebAssembly (heif-convert absent) | $(fmt '%.2f photos/s' "$(metric "$f" 'HashHEIC12MP/WebAssembly' photos/s)"), $(fmt '%.2f per CPU-s' "$(metric "$f" 'HashHEIC12MP/WebAssembly' photos/cpu-s)") | $(maxrss heic12wasm) MB | $(rowload heic12wasm) | skipped without heif-enc |"
	fi

	f=$out/video.txt
	if [ -f "$f" ]; then
		echo "| Video metadata (iPhone-style MOV: mvhd, QuickTime keys, ©xyz; 8 MB of media before the moov) | $(fmt '%.0f files/s' "$(metric "$f" 'ReadVideo' files/s)") | $(maxrss video) MB | $(rowload video) | box reader only: no frame decoded (posters are ffmpeg's, cached by SHA-256) |"
	fi
	f=$out/watermark.txt
	if [ -f "$f" ]; then
		echo "| Watermark OCR photos/s: strip found, cut, read (tesseract chi_sim) and parsed; 2–12 MP, ¼ WeChat copies | $(fmt '%.2f photos/s' "$(metric "$f" 'WatermarkOCR/strips' photos/s)") | $(maxrss watermark) MB | $(rowload watermark) | $(fmt '%.0f%%' "$(awk -v r="$(metric "$f" 'WatermarkOCR/strips' read-right)" 'BEGIN { if (r != "") print 100 * r }')") read right, $(fmt '%.0f%%' "$(awk -v r="$(metric "$f" 'WatermarkOCR/strips' read-wrong)" 'BEGIN { if (r != "") print 100 * r }')") wrong; a photo without a strip (finder only): $(fmt '%.1f photos/s' "$(metric "$f" 'WatermarkOCR/plain' photos/s)") |"
	fi

	f=$out/papers.txt
	if [ -f "$f" ]; then
		echo "| Documents: the 批复 of 100 classes read and parsed (PDF, CJK) | $(fmt '%.0f documents/s' "$(metric "$f" 'Read100/first' documents/s)") first, $(fmt '%.0f documents/s' "$(metric "$f" 'Read100/cached' documents/s)") re-check | $(maxrss papers) MB | $(rowload papers) | the re-check reads no document (ledger cache by SHA-256) |"
	fi

	f=$out/ocr.txt
	if [ -f "$f" ]; then
		first=$(metric "$f" 'ReadOCR/first' pages/s)
		echo "| Documents: 4 scanned 批复 (image-only PDFs) read by OCR (pdftoppm 200 dpi, tesseract chi_sim) | $(fmt '%.2f pages/s' "$first") ($(awk -v p="$first" 'BEGIN { if (p > 0) printf "%.1f s a page", 1 / p; else print "—" }')) first, $(fmt '%.0f pages/s' "$(metric "$f" 'ReadOCR/cached' pages/s)") re-check | $(maxrss ocr) MB | $(rowload ocr) | skipped without tesseract; the re-check runs no OCR (ledger cache) |"
	fi
	f=$out/signsheets.txt
	if [ -f "$f" ]; then
		echo "| Paper sign-in sheets: a 300 dpi grey scan read (QR, marks, 25 boxes) | $(fmt '%.1f pages/s' "$(metric "$f" 'ReadScan' pages/s)") | $(maxrss signsheets) MB | $(rowload signsheets) | |"
		echo "| Paper sign-in sheets: a 2–12 MP phone photo decoded and read | $(fmt '%.1f pages/s' "$(metric "$f" 'ReadPhoto' pages/s)") | $(maxrss signsheets) MB | $(rowload signsheets) | perspective, blur, JPEG q50–90 |"
	fi
	f=$out/signsheets100.txt
	if [ -f "$f" ]; then
		echo "| Paper sign-in sheets: a 100-page image-only PDF of scans | $(fmt '%.1f pages/s' "$(metric "$f" 'Read100PageScans' pages/s)") | $(maxrss signsheets100) MB | $(rowload signsheets100) | one page decoded at a time; pdfcpu holds the file |"
	fi

	f=$out/roster.txt
	if [ -f "$f" ]; then
		alloc=$(awk '$1 ~ /SignIn100k/ { for (i = 3; i < NF; i += 2) if ($(i + 1) == "B/op") { print $i / 1048576; exit } }' "$f")
		echo "| Roster matching: 100,000 sign-in rows, 25,000 trainees | $(fmt '%.0f rows/s' "$(metric "$f" 'SignIn100k' rows/s)") | $(maxrss roster) MB | $(rowload roster) | heap growth $(fmt '%.0f MB' "$(metric "$f" 'SignIn100k' peak-MB)"), $(fmt '%.0f MB' "$alloc") allocated per pass |"
	fi

	f=$out/archive.txt
	if [ -f "$f" ]; then
		echo "| Archive: 100 × 12 MP photos + 50 PDF pages, 2 copies | $(fmt '%.1f s' "$(metric "$f" 'Archive' s/2-copies)"), $(fmt '%.0f MB per copy' "$(metric "$f" 'Archive' MB/copy)") | $(fmt '%.0f MB' "$(metric "$f" 'Archive' peak-RSS-MB)") | $(rowload archive) | photos alone vs ImageMagick \`convert\`: $(fmt '%.2f×' "$(metric "$f" 'Archive' go/convert)") the time, $(fmt '%.2f×' "$(metric "$f" 'Archive' go/convert-cpu)") the CPU |"
	fi

	for n in $classes; do
		f=$out/batch$n.txt
		[ -f "$f" ] || continue
		b="classes=$n"
		first=$(metric "$f" "$b" s-first)
		echo "| Batch, $n classes: first run (nothing cached) | $(fmt '%.1f s' "$first") | $(fmt '%.0f MB' "$(metric "$f" "$b" MB-peak-first)") | $(rowload "batch$n") | $(fmt '%.0f ms per class' "$(awk -v s="$first" -v n="$n" 'BEGIN { if (s != "") print 1000 * s / n }')") |"
		echo "| Batch, $n classes: re-run, same rules (cached) | $(fmt '%.2f s' "$(metric "$f" "$b" s-rerun-same)") | $(fmt '%.0f MB' "$(metric "$f" "$b" MB-peak-same)") | $(rowload "batch$n") | judgements unchanged, documents kept |"
		echo "| Batch, $n classes: re-run, one threshold changed | $(fmt '%.1f s' "$(metric "$f" "$b" s-rerun-changed)") | $(fmt '%.0f MB' "$(metric "$f" "$b" MB-peak-changed)") | $(rowload "batch$n") | every class fails and is re-rendered: $(fmt '%.2f×' "$(metric "$f" "$b" ratio-changed/first)") the first run |"
	done

	f=$out/latency.txt
	if [ -f "$f" ]; then
		echo "| Watch: marker file → verdict.json, folder already copied | $(fmt '%.0f ms' "$(metric "$f" 'marker-after-copy' ms-median)") median | $(maxrss latency) MB (test process) | $(rowload latency) | 7 submissions, default settle and rescan |"
		echo "| Watch: folder dropped with its marker → verdict.json | $(fmt '%.0f ms' "$(metric "$f" 'dropped-with-marker' ms-median)") median | $(maxrss latency) MB (test process) | $(rowload latency) | found, then still twice |"
	fi

	if [ -f "$out/load.txt" ]; then
		grep -o 'LOAD .*' "$out/load.txt" | while read -r _ w a l s each peak _ arr; do
			w=${w#workers=} a=${a#at_once=} l=${l#later=} s=${s#seconds=} each=${each#ms_each=} peak=${peak#peak_rss_mb=}
			echo "| Watch load: $a at once + $l arriving during, $w worker(s) | $s s, $each ms each | $peak MB (daemon VmHWM) | $(rowload load) | each judged exactly once; verdicts out as the later ones arrived: ${arr#done_at_arrivals=} |"
		done
	fi

	f=$out/review.txt
	if [ -f "$f" ]; then
		echo "| Reviewed set after a confirmation (demo class read again from its originals: report + 2 archive copies) | $(fmt '%.0f ms' "$(metric "$f" 'RenderReviewed' ms/set)") | $(maxrss review) MB (test process) | $(rowload review) | its first check: $(fmt '%.0f ms' "$(metric "$f" 'RenderReviewed' ms/check)") |"
	fi

	f=$out/desk.txt
	if [ -f "$f" ]; then
		echo "| Review desk: queue / class page / cached thumbnail, 10 demo classes, loopback | $(fmt '%.1f' "$(metric "$f" 'Pages/queue-' ms/page)") / $(fmt '%.1f' "$(metric "$f" 'Pages/class-' ms/page)") / $(fmt '%.1f ms' "$(metric "$f" 'Pages/thumbnail-' ms/page)") | $(maxrss desk) MB (test process) | $(rowload desk) | one login (argon2id, 3 passes, 64 MiB): $(fmt '%.0f ms' "$(metric "$f" 'Pages/login-' ms/login)") |"
	fi
	f=$out/deskdecided.txt
	if [ -f "$f" ]; then
		echo "| Review desk: queue / filtered by final verdict, ~480 classes each decided on and confirmed (final verdicts stored) | $(fmt '%.1f' "$(metric "$f" 'QueueDecided/queue-' ms/page)") / $(fmt '%.1f ms' "$(metric "$f" 'QueueDecided/queue-filtered-' ms/page)") | $(maxrss deskdecided) MB (test process) | $(rowload deskdecided) | before the stored final verdicts (each decided class's report read): 265.7 / 70.5 ms |"
	fi
	f=$out/deskload.txt
	if [ -f "$f" ]; then
		d=$(grep -o 'DESKLOAD.*' "$f")
		echo "| Review desk under load: $(echo "$d" | sed -E 's/DESKLOAD ([0-9]+) institutions uploading ([0-9]+) classes.*, ([0-9]+) reviewers.*/\1 institutions uploading \2 classes (serve --watch), \3 reviewers browsing/') | p95 $(echo "$d" | sed -E 's/.*p95 ([^,]+),.*/\1/') a page (p50 $(echo "$d" | sed -E 's/.*p50 ([^,]+),.*/\1/')) | $(maxrss deskload) MB (test process) | $(rowload deskload) | every class judged once: $(echo "$d" | sed -E 's/.*all judged in ([^,]+), ([0-9.]+) classes\/s.*/\1, \2 classes\/s/') |"
	fi
} >"$out/table.md"

end_load="$(cut -d' ' -f1-3 /proc/loadavg)"
mem_gb=$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="$cpu, $(nproc) cores, $mem_gb GB RAM; $(go version | cut -d' ' -f3-); $started; load average $start_load at the start, $end_load at the end"
if [ "$steps" = " none " ] && [ -f "$out/machine.txt" ]; then
	machine="$(cat "$out/machine.txt")" # only the table again: the machine of the run
else
	echo "$machine" >"$out/machine.txt"
fi
echo
echo "Machine: $machine"
echo
cat "$out/table.md"
echo
log "raw outputs in $out"
