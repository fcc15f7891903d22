#!/usr/bin/env bash
# Lighthouse 12 (the web app's devDependency) in Debian's Chromium, headless, desktop preset, on
# the login page and on the home page of a signed-in 社区卫生服务中心 user, against a demo city it
# makes and serves itself with the built app (web/dist). Prints the performance, accessibility
# and best-practices scores of each page; the reports go to OUT (JSON and HTML).
#   scripts/lighthouse.sh
#   OUT=/tmp/lh PERSONS=2000 scripts/lighthouse.sh
#   MIN=95 scripts/lighthouse.sh       exit 1 when a score is below MIN
#   DIST=other/dist scripts/lighthouse.sh   another build of the app
# Needs: build/jundeng, web/dist and web/node_modules (make build), /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/lighthouse}
PERSONS=${PERSONS:-300}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
DIST=${DIST:-web/dist}
MIN=${MIN:-0}

for need in "$BUILD/jundeng" "$DIST/index.html" web/node_modules/lighthouse "$CHROMIUM"; do
  [[ -e $need ]] || { echo "missing: $need (make build; Debian's chromium)" >&2; exit 2; }
done

# A demo city (its first center account and one-time password) served on a free port; the
# server and the city go when the script ends, however it ends.
work=$(mktemp -d)
"$BUILD/jundeng" demo --db "$work/city.db" --persons "$PERSONS" --seed 7 > "$work/demo.txt" 2> "$work/demo.log"
read -r user password < <(awk '$2 == "center" { print $1, $4; exit }' "$work/demo.txt")
"$BUILD/jundeng" serve --db "$work/city.db" --listen 127.0.0.1:0 --port-file "$work/port" --static "$DIST" > "$work/serve.log" 2>&1 &
trap 'kill '$!' 2> /dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [[ -s $work/port ]] && break; sleep 0.1; done
[[ -s $work/port ]] || { cat "$work/serve.log" >&2; exit 2; }
base="http://127.0.0.1:$(cat "$work/port")"

mkdir -p "$OUT"
node scripts/lighthouse.mjs --base "$base" --user "$user" --password "$password" \
  --chromium "$CHROMIUM" --out "$OUT" --min "$MIN"
