#!/usr/bin/env bash
# SQL injection scan (Debian's sqlmap) of every GET operation of the real server that takes a query
# parameter. The operations are read from the running server's /api/v1/openapi.json; path
# parameters are filled with real records of a demo city, query parameters with a valid sample
# value (from the schema: enum, default, format, pattern; else by name), and sqlmap tests each
# query parameter with a Bearer token of a city-level account. Slow (about a minute per
# operation), so not part of CI; docs/security.md records the last result.
#   scripts/sqlmap-scan.sh                 a fresh demo city in a temporary directory
#   LISTEN=127.0.0.1:18480 scripts/sqlmap-scan.sh
#   LEVEL=1 RISK=1 PER_OPERATION=120 scripts/sqlmap-scan.sh
# Exit status: 0 when no parameter is injectable, 1 when one is, 2 when the scan could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

LISTEN=${LISTEN:-127.0.0.1:18480}
BUILD=${BUILD:-build}
LEVEL=${LEVEL:-2}
RISK=${RISK:-1}
PER_OPERATION=${PER_OPERATION:-180}  # seconds, a hard cap per operation
base="http://$LISTEN"

command -v sqlmap > /dev/null || { echo "sqlmap is missing: scripts/install-deps.sh" >&2; exit 2; }
[[ -x $BUILD/jundeng ]] || cmake --build "$BUILD" --target jundeng

work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$BUILD/jundeng" demo --db "$work/city.db" --persons 300 --seed 7 > "$work/demo.txt"
"$BUILD/jundeng" serve --db "$work/city.db" --listen "$LISTEN" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "$base/healthz" > /dev/null && break
  sleep 0.2
done

# A city-level account that reads the city's records (ACCOUNT picks another demo account); its
# one-time password is changed as the server requires before anything else.
read -r user _ _ password < <(awk -v a="${ACCOUNT:-commission}" '$1 == a {print; exit}' "$work/demo.txt")
login() {
  curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$1\"}" | jq -r .token
}
token=$(login "$password")
new_password="Scan-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
curl -sf -X POST "$base/api/v1/auth/password" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d "{\"current_password\":\"$password\",\"new_password\":\"$new_password\"}" > /dev/null
token=$(login "$new_password")
auth="Authorization: Bearer $token"
api() { curl -sf "$base$1" -H "$auth"; }

# Real records for path parameters.
person=$(api "/api/v1/persons?page_size=1" | jq -r '.items[0].id')
first_id() { api "$1" | jq -r '(.items // .)[0].id // empty' 2> /dev/null || true; }
round=$(first_id /api/v1/immunization/catch-up-rounds)
campaign=$(first_id /api/v1/immunization/campaigns)
check=$(first_id /api/v1/immunization/entry-checks)
org=$(api /api/v1/auth/me | jq -r '.user.org // .org // .org_code // empty')
clinic=$(api "/api/v1/org-units" | jq -r '[.. | objects | select(.type? == "clinic" or .kind? == "clinic") | .code][0] // empty')
clinic=${clinic:-$org}

api /api/v1/openapi.json > "$work/openapi.json"
PERSON=$person ROUND=$round CAMPAIGN=$campaign CHECK=$check ORG=$org CLINIC=$clinic \
  python3 - "$work/openapi.json" > "$work/targets.tsv" << 'PY'
import json, os, sys, urllib.parse
doc = json.load(open(sys.argv[1]))
comps = doc.get("components", {}).get("parameters", {})
env = os.environ
def resolve(p):
    return comps[p["$ref"].split("/")[-1]] if "$ref" in p else p
def sample(p):
    s, name = p.get("schema", {}), p["name"]
    by_name = {"org": env["ORG"], "clinic": env["CLINIC"], "period": "2025", "year": "2025",
               "codes": "", "code": "", "q": "王", "as_of": "2026-01-01", "date": "2026-01-01",
               "from": "2025-01-01", "to": "2025-12-31", "cohort": "2020", "parent": env["ORG"]}
    if "enum" in s: return str(s["enum"][0])
    if "default" in s: return str(s["default"])
    if s.get("format") == "date": return "2026-01-01"
    if s.get("type") == "integer": return str(s.get("minimum", 1))
    if s.get("pattern") == "^[0-9]{4}$": return "2020"
    if s.get("pattern") == "^[0-9]{2}$": return "45"
    return by_name.get(name, "1") or "1"
def fill(path):
    ids = {"/api/v1/immunization/catch-up-rounds/": env["ROUND"],
           "/api/v1/immunization/campaigns/": env["CAMPAIGN"],
           "/api/v1/immunization/entry-checks/": env["CHECK"]}
    value = next((v for k, v in ids.items() if path.startswith(k)), env["PERSON"])
    return path.replace("{id}", value or env["PERSON"]).replace("{code}", env["CLINIC"])
for path, item in sorted(doc["paths"].items()):
    op = item.get("get")
    if not op: continue
    params = [resolve(p) for p in item.get("parameters", []) + op.get("parameters", [])]
    query = [p for p in params if p.get("in") == "query"]
    if not query: continue
    qs = urllib.parse.urlencode([(p["name"], sample(p)) for p in query])
    print(f"{path}\t{fill(path)}?{qs}\t{','.join(p['name'] for p in query)}")
PY

version=$(sqlmap --version 2> /dev/null | head -n1)
echo "sqlmap $version, level $LEVEL, risk $RISK, $(wc -l < "$work/targets.tsv") operations, $(date -u +%F)"
injectable=0
tested=0
unreached=0
while IFS=$'\t' read -r path url names; do
  start=$SECONDS
  out="$work/out-$tested"
  # --dbms: the server's database is SQLite, so payloads for other engines are skipped.
  timeout "$PER_OPERATION" sqlmap -u "$base$url" -p "$names" --headers="$auth" --batch \
    --level="$LEVEL" --risk="$RISK" --dbms=SQLite --flush-session --disable-coloring \
    --output-dir="$work/sqlmap" --timeout=15 --retries=1 > "$out" 2>&1 || true
  tested=$((tested + 1))
  if grep -qiE "is vulnerable|appears to be injectable|sqlmap identified the following injection" "$out"; then
    injectable=$((injectable + 1))
    verdict="INJECTABLE"
    grep -iE "parameter:|type:|payload:" "$out" | head -n 20
  elif grep -q "do not appear to be injectable" "$out"; then
    verdict="not injectable"
  elif ((SECONDS - start >= PER_OPERATION)); then
    verdict="not injectable within the time cap (${PER_OPERATION} s)"
  else
    unreached=$((unreached + 1))
    verdict="not reached: $(grep -E '\[(CRITICAL|ERROR)\]' "$out" | tail -n1 | sed 's/^\[[0-9:]*\] //')"
  fi
  echo "GET $path ($names): $verdict, $((SECONDS - start)) s"
done < "$work/targets.tsv"
echo "sqlmap scan: $tested operations, $injectable injectable, $unreached not reached"
((injectable == 0))
