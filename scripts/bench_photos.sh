#!/usr/bin/env bash
# Benchmark of the photo stage on 12-megapixel JPEGs (issue 4): photos per second
# for reading metadata and for hashing, peak memory, the same metadata read by
# `exiftool -json` in the same run (as a speed ratio), and the number of files
# whose time or GPS position disagrees with ExifTool's.
#
#   scripts/bench_photos.sh [N]      N photos (default 24), written to a temporary
#                                    folder and removed afterwards
#
# It needs exiftool (Debian: libimage-exiftool-perl). It installs nothing unless
# BENCH_INSTALL=1 is set, and then says so before running apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-24}"

if ! command -v exiftool >/dev/null; then
	if [ "${BENCH_INSTALL:-}" = 1 ]; then
		echo "bench_photos: installing libimage-exiftool-perl with apt-get (BENCH_INSTALL=1)" >&2
		sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update -qq && $sudo apt-get install -y -qq libimage-exiftool-perl >/dev/null
	else
		echo "bench_photos: exiftool is not installed; install it with" >&2
		echo "    apt-get install -y libimage-exiftool-perl" >&2
		echo "or run again with BENCH_INSTALL=1 to have this script install it." >&2
		exit 2
	fi
fi

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
echo "== writing $n 12-megapixel JPEGs into $dir"
BENCH_PHOTOS_DIR="$dir" BENCH_PHOTOS_N="$n" go test -count=1 -v -run '^TestWriteBenchPhotos$' ./pipeline/stage/photo/ | grep -E 'wrote|FAIL|ok' || true
du -sh "$dir" | awk '{print "   " $1 " on disk"}'
echo "== $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); exiftool $(exiftool -ver)"
# One process per pass: read metadata, hash, then exiftool on the same files.
BENCH_PHOTOS_DIR="$dir" go test -count=1 -run '^$' -bench '^BenchmarkPhotos12MP$' -benchtime 3x -timeout 60m -v ./pipeline/stage/photo/ |
	grep -vE '^(goos|goarch|pkg|cpu|PASS|ok)'
