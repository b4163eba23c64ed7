#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages that are not
# installed yet (with sudo unless run as root). Used by make deps and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed -e 's/#.*//' scripts/debian-packages | tr -s ' \t' '\n' | grep -v '^$')
missing=()
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
