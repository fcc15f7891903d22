#!/usr/bin/env bash
# The federation of city nodes on this machine (make federation-demo): a three-server NATS
# JetStream cluster on loopback (TLS between everyone), three city nodes — Nanning 450100 (a demo
# city), Shenzhen 440300 and Xiamen 350200 — each served by `jundeng serve --federation`, and a
# migrant child who moves Nanning → Shenzhen → Xiamen. Prints what each node sees after each move;
# then Nanning and Shenzhen report last month's figures to Xiamen's node as the pilot-wide
# aggregator, and everything stops. Everything lives in var/federation-demo/ (made anew each run).
#   scripts/federation-demo.sh [path/to/jundeng]
set -euo pipefail
cd "$(dirname "$0")/.."
JUNDENG=$(realpath "${1:-build/jundeng}")
NATS=$(command -v nats-server || echo /usr/sbin/nats-server)
DIR=var/federation-demo
rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== NATS JetStream: three servers, TLS (a certificate for 127.0.0.1 made here)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$DIR/nats-key.pem" -out "$DIR/nats-cert.pem" \
  > /dev/null 2>&1
TLS="tls {
  cert_file: \"$DIR/nats-cert.pem\"
  key_file: \"$DIR/nats-key.pem\"
  ca_file: \"$DIR/nats-cert.pem\"
}"
URLS=""
for i in 0 1 2; do
  routes=""
  for j in 0 1 2; do [[ $i != "$j" ]] && routes+="    nats-route://127.0.0.1:$((14255 + j))"$'\n'; done
  cat > "$DIR/nats-$i.conf" <<EOF
server_name: demo$i
listen: 127.0.0.1:$((14250 + i))
$TLS
jetstream {
  store_dir: "$DIR/js-$i"
}
cluster {
  name: jundeng-demo
  listen: 127.0.0.1:$((14255 + i))
$TLS
  routes: [
$routes  ]
}
EOF
  "$NATS" -c "$DIR/nats-$i.conf" > "$DIR/nats-$i.log" 2>&1 &
  pids+=($!)
  URLS+="${URLS:+,}nats://127.0.0.1:$((14250 + i))"
done
NATS_ARGS=(--nats "$URLS" --nats-ca "$DIR/nats-cert.pem" --replicas 3)

echo "== three city nodes"
"$JUNDENG" demo --db "$DIR/nanning.db" --persons 300 --seed 5 > /dev/null 2>&1
"$JUNDENG" init --db "$DIR/shenzhen.db" --city 440300 > /dev/null 2>&1
"$JUNDENG" init --db "$DIR/xiamen.db" --city 350200 > /dev/null 2>&1
declare -A NODE=([nanning]=450100 [shenzhen]=440300 [xiamen]=350200)
for city in nanning shenzhen xiamen; do
  "$JUNDENG" federation init --db "$DIR/$city.db" --node-id "${NODE[$city]}" \
    --lookup-key "$DIR/lookup-key" --public-out "$DIR/$city.pub.json"
done
for a in nanning shenzhen xiamen; do
  for b in nanning shenzhen xiamen; do
    [[ $a == "$b" ]] || "$JUNDENG" federation join --db "$DIR/$a.db" --peer "$DIR/$b.pub.json" 2> /dev/null
  done
done
# The cluster elects its leader; the first node to reach it makes the stream and the index.
for _ in $(seq 1 30); do
  if "$JUNDENG" federation announce --db "$DIR/nanning.db" "${NATS_ARGS[@]}" > /dev/null 2>&1; then break; fi
  sleep 1
done
port=8091
for city in nanning shenzhen xiamen; do
  "$JUNDENG" serve --db "$DIR/$city.db" --listen "127.0.0.1:$port" --static /nonexistent \
    --federation "$URLS" --federation-ca "$DIR/nats-cert.pem" --federation-replicas 3 \
    > "$DIR/$city.log" 2>&1 &
  pids+=($!)
  echo "   $city (${NODE[$city]}) serves http://127.0.0.1:$port/ and takes part in the federation"
  port=$((port + 1))
done

child=$(sqlite3 "$DIR/nanning.db" "SELECT p.id FROM persons p WHERE p.status = 'active' AND \
  p.id_type = 'resident_id' AND EXISTS (SELECT 1 FROM vaccination_records r WHERE \
  r.person_id = p.id AND r.status = 'active') ORDER BY p.id LIMIT 1")
number=$(sqlite3 "$DIR/nanning.db" "SELECT id_number FROM persons WHERE id = '$child'")

show() {
  for city in nanning shenzhen xiamen; do
    row=$(sqlite3 "$DIR/$city.db" "SELECT p.status || ', ' || p.residence_org || ', ' || \
      (SELECT COUNT(*) FROM vaccination_records r WHERE r.person_id = p.id AND r.status = \
      'active') || ' doses' FROM persons p WHERE p.id_number = '$number'")
    ledger=$(sqlite3 "$DIR/$city.db" "SELECT group_concat(direction || ' ' || peer || ' ' || \
      state, '; ') FROM federation_transfers")
    printf '   %-9s %-32s ledger: %s\n' "$city" "${row:-(not registered)}" "${ledger:-(empty)}"
  done
  holder=$("$JUNDENG" federation lookup --db "$DIR/nanning.db" --id-number "$number" "${NATS_ARGS[@]}")
  echo "   look-up by the keyed hash of the ID number: $holder"
}
wait_for() {  # city: until its ledger says it took the transfer in
  for _ in $(seq 1 60); do
    if [[ $(sqlite3 "$DIR/$1.db" "SELECT COUNT(*) FROM federation_transfers WHERE direction = \
      'in' AND state = 'ingested'") == 1 ]]; then return; fi
    sleep 0.5
  done
  echo "   $1 did not take the migrant in" >&2
  exit 1
}

echo "== before: the child lives in Nanning"
show
echo "== moves to Shenzhen (罗湖区 440303)"
"$JUNDENG" federation send --db "$DIR/nanning.db" --person "$child" --to 440300 \
  --to-division 440303 "${NATS_ARGS[@]}" > /dev/null
wait_for shenzhen
show
echo "== moves on to Xiamen (湖里区 350206)"
at_shenzhen=$(sqlite3 "$DIR/shenzhen.db" "SELECT id FROM persons WHERE id_number = '$number'")
"$JUNDENG" federation send --db "$DIR/shenzhen.db" --person "$at_shenzhen" --to 350200 \
  --to-division 350206 "${NATS_ARGS[@]}" > /dev/null
wait_for xiamen
show
echo "== the messages on the wire hold no ID number:"
if grep -rq "$number" "$DIR"/js-*; then echo "   FOUND in the servers' files" >&2; exit 1; fi
echo "   none of the three servers' stores holds $number"
echo "== Nanning and Shenzhen report last month to the aggregator (here Xiamen's node)"
for city in nanning shenzhen; do
  "$JUNDENG" federation report --db "$DIR/$city.db" --to 350200 "${NATS_ARGS[@]}" > /dev/null
done
for _ in $(seq 1 60); do
  [[ $(sqlite3 "$DIR/xiamen.db" "SELECT COUNT(*) FROM aggregate_reports") == 2 ]] && break
  sleep 0.5
done
sqlite3 -separator ' ' "$DIR/xiamen.db" "SELECT '   ' || city, period, 'from node', node, \
  'received', received_at FROM aggregate_reports ORDER BY city"
echo "   Xiamen's 统计 → 试点城市对比 page ranks them; Shenzhen is one of the 40 pilot cities"
