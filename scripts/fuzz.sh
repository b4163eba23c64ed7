#!/usr/bin/env bash
# Runs every fuzz target of the module for a fixed time each.
#   scripts/fuzz.sh 10s     # CI: a short pass over every target
#   scripts/fuzz.sh 10m     # a longer run (make fuzz uses 60s)
# Targets are found by their declaration (func FuzzX(f *testing.F)) in the test
# files, so a new Fuzz function is run without editing this script. Seeds come from the tests (pipeline/hostile's generators,
# real photos) and testdata/fuzz; new failures are written to testdata/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10s}
n=0
for file in $(find . -name '*_test.go' -not -path './.git/*' | sort); do
	pkg=$(dirname "$file")
	for t in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing\.F).*/\1/p' "$file"); do
		echo "== $pkg $t ($time)"
		if ! out=$(go test -run '^$' -fuzz "^$t\$" -fuzztime "$time" "$pkg" 2>&1); then
			echo "$out" | grep -v '^fuzz: elapsed' | tail -40
			echo "fuzz: $pkg $t failed" >&2
			exit 1
		fi
		echo "$out" | grep -v '^fuzz: elapsed' | tail -3
		n=$((n + 1))
	done
done
echo "fuzz: $n targets, $time each, no failures"
