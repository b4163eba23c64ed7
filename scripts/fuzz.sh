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
		out=$(go test -run '^$' -fuzz "^$t\$" -fuzztime "$time" "$pkg" 2>&1) && ok=1 || ok=0
		# An input still being worked on when the time runs out ends the run with
		# "context deadline exceeded" and no failing input (FuzzCheck's bounded
		# pdfcpu parse can take seconds): that is no finding; run once more, twice as long.
		if [ $ok = 0 ] && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input' <<<"$out"; then
			again=$((${time%?} * 2))${time: -1}
			echo "   (an input outlasted the time, no failure found: once more for $again)"
			out=$(go test -run '^$' -fuzz "^$t\$" -fuzztime "$again" "$pkg" 2>&1) && ok=1 || ok=0
		fi
		if [ $ok = 0 ]; then
			echo "$out" | grep -v '^fuzz: elapsed' | tail -40
			echo "fuzz: $pkg $t failed" >&2
			exit 1
		fi
		echo "$out" | grep -v '^fuzz: elapsed' | tail -3
		n=$((n + 1))
	done
done
echo "fuzz: $n targets, $time each, no failures"
