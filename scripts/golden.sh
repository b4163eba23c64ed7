#!/usr/bin/env bash
# golden.sh BIN DIR — run the demo and a batch with BIN in DIR and write a normalised
# text snapshot (verdict JSON, the text of every PDF, the cells of every workbook) to
# DIR/snapshot.txt. Two snapshots, before and after a change, are compared with diff:
# a refactoring that means to keep behaviour must leave them equal.
set -euo pipefail
bin=$(readlink -f "$1"); dir=$2
rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
"$bin" demo --inbox inbox --outbox outbox >demo.txt 2>demo.err
"$bin" batch --outbox outbox --inspection 宏达 >batch.txt 2>batch.err || true
snap=snapshot.txt; : >"$snap"
{ echo "== demo"; cat demo.txt; echo "== batch"; sed -E 's/用时 [0-9.]+m?s/用时 …/' batch.txt; } >>"$snap"
norm() { sed -E 's/[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日 [0-9]{2}:[0-9]{2}/<time>/g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?/<time>/g'; }
find outbox -path outbox/.yanshou -prune -o -type f -print | LC_ALL=C sort | while read -r f; do
	echo "== $f" >>"$snap"
	case "$f" in
	*.json) sed -E 's/"(generated|judged_at|checked_at)": "[^"]*"/"\1": "…"/' "$f" | norm >>"$snap" ;;
	*.pdf) pdftotext -layout "$f" - 2>/dev/null | norm >>"$snap" ;;
	*.xlsx) unzip -p "$f" 'xl/sharedStrings.xml' 'xl/worksheets/*.xml' 2>/dev/null | sed -E 's/></>\n</g' | grep -v '^\s*$' | norm >>"$snap" ;;
	*) sha256sum "$f" >>"$snap" ;;
	esac
done
wc -l "$snap"
