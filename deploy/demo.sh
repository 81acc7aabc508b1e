#!/usr/bin/env bash
# The run command: installs what is needed, builds, starts the server on an
# embedded SQLite file, loads the sample inventory, backfills four weeks of
# simulated readings for every sample desk sensor through one edge agent per
# gateway, and prints a utilization report for each sample site. Every
# caller has a token of its role: the bootstrap admin token creates a
# facility token (inventory, reports), one device token per gateway (edge
# agents) and an HR token (HR imports and reports); the tokens and the audit
# log are listed at the end.
#
#   deploy/demo.sh                 run, report, stop everything
#   deploy/demo.sh --keep-running  leave the server running afterwards
#
# Environment: MONIPAIKKA_PORT (default 7070), MONIPAIKKA_HTTP_PORT (the web
# dashboard, default 8080), DEMO_DIR (default var/demo).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep_running=0
case "${1:-}" in
  --keep-running) keep_running=1 ;;
  "") ;;
  *) echo "usage: deploy/demo.sh [--keep-running]" >&2; exit 2 ;;
esac

"$root/deploy/install-deps.sh"
echo "== building" >&2
BUILD_DIR="$root/build" "$root/deploy/build.sh"

bin="$root/build"
data="${DEMO_DIR:-$root/var/demo}"
port="${MONIPAIKKA_PORT:-7070}"
http_port="${MONIPAIKKA_HTTP_PORT:-8080}"
rm -rf "$data"
mkdir -p "$data"

# The key of the employee pseudonyms lives apart from the data (the server
# refuses it beside the database) and is kept across runs.
key_dir="${DEMO_KEY_DIR:-$root/var/demo-key}"
mkdir -p "$key_dir"
chmod 700 "$key_dir"
if [ ! -s "$key_dir/pseudonym.key" ]; then
  (umask 077 && openssl rand -hex 32 >"$key_dir/pseudonym.key")
fi

echo "== starting the server on 127.0.0.1:$port (database $data/monipaikka.db)" >&2
# Plaintext on loopback only; docs/security.md, "TLS", shows the server
# with a certificate.
"$bin/server/monipaikka-server" --listen="127.0.0.1:$port" --plaintext \
  --db="$data/monipaikka.db" --port_file="$data/server.port" \
  --pseudonym_key_file="$key_dir/pseudonym.key" \
  --bootstrap_admin_token_file="$data/admin.token" \
  --http_listen="127.0.0.1:$http_port" --web_root="$root/web/dist" \
  2>"$data/server.log" &
server_pid=$!
stop_server() {
  if [ "$keep_running" = 0 ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
}
trap stop_server EXIT
for _ in $(seq 1 300); do
  [ -s "$data/server.port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "demo: the server did not start:" >&2
    cat "$data/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -s "$data/server.port" ] || { echo "demo: the server did not start in 30 s" >&2; exit 1; }

admin=("$bin/client/monipaikka" "--server=127.0.0.1:$port" "--token_file=$data/admin.token")
# Creates a token (tokens create prints it alone) into a 0600 file.
make_token() {
  local file="$1"; shift
  (umask 077 && "${admin[@]}" tokens create "$@" >"$file")
}
echo "== creating tokens with the bootstrap admin token" >&2
make_token "$data/facility.token" --role=facility --name="demo facility team"
make_token "$data/hr.token" --role=hr --name="demo HR" --ttl=1d
make_token "$data/display.token" --role=display --name="demo lobby screen" \
  --sites=HKI-PASILA-VT
client=("$bin/client/monipaikka" "--server=127.0.0.1:$port" "--token_file=$data/facility.token")
hr=("$bin/client/monipaikka" "--server=127.0.0.1:$port" "--token_file=$data/hr.token")
echo "== importing the sample inventory" >&2
"${client[@]}" inventory import "$root/deploy/sample/inventory.json"

# Prints the values of the named column of CSV on standard input.
column() {
  awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                        c { print $c }'
}

to=$(TZ=Europe/Helsinki date -d yesterday +%F)
from=$(TZ=Europe/Helsinki date -d "28 days ago" +%F)
echo "== backfilling $from .. $to through the edge agents" >&2
edge_pids=()
for gateway in $("${client[@]}" --output=csv sensors list | column gateway | sort -u); do
  make_token "$data/edge-$gateway.token" --role=device --name="edge $gateway" \
    --gateway="$gateway"
  "$bin/edge/monipaikka-edge" --server="127.0.0.1:$port" --gateway="$gateway" \
    --token_file="$data/edge-$gateway.token" \
    --outbox="$data/outbox-$gateway.db" --backfill_from="$from" \
    --backfill_to="$to" --exit_when_drained 2>"$data/edge-$gateway.log" &
  edge_pids+=($!)
done
for pid in "${edge_pids[@]}"; do
  if ! wait "$pid"; then
    echo "demo: an edge agent failed; logs in $data/edge-*.log" >&2
    exit 1
  fi
done
for log in "$data"/edge-*.log; do tail -n 1 "$log" >&2; done

for site in $("${client[@]}" --output=csv sites list | column code); do
  echo
  "${client[@]}" report utilization --site="$site" --from="$from" --to="$to"
done

# HR: a generated registry of 420 people in the sample agencies and their
# work-location days of last month, then the two HR reports.
echo >&2
echo "== HR: importing a generated employee registry and last month's work-location days" >&2
month=$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m)
awk -v orgs="VERO MML DVV ELY-PIR KELA MIGRI POLIISI-KS" 'BEGIN {
  n = split(orgs, org, " ")
  print "employee_id,organization,unit,fte,home_workstation,office_workstation,multi_space,shared_use,valid_from,valid_to,site"
  srand(7)
  for (i = 0; i < 420; i++) {
    o = org[i % n + 1]
    kind = (i % 5 == 0) ? "none" : (rand() < 0.3 ? "unassigned" : "assigned")
    printf "E%05d,%s,%s-%d,%s,%s,%s,%s,%s,2024-01-01,,%s\n", i, o, o, int(i / n) % 3,
      (i % 10 == 0 ? "0.8" : "1"), (rand() < 0.55 ? "yes" : "no"), kind,
      (rand() < 0.45 ? "yes" : "no"), (o == "VERO" || o == "MML" || o == "DVV" ? "yes" : "no"),
      (o == "VERO" || o == "MML" || o == "DVV" ? "HKI-PASILA-VT" : "")
  }
}' >"$data/employees.csv"
{
  echo "employee_id,date,location_kind,source"
  for day in $(seq -w 1 31); do
    date -d "$month-$day" >/dev/null 2>&1 || continue
    [ "$(date -d "$month-$day" +%u)" -le 5 ] || continue
    awk -v d="$month-$day" -v seed="$day" 'BEGIN {
      srand(seed)
      for (i = 0; i < 420; i++) {
        r = rand()
        k = r < 0.55 ? "A" : (r < 0.85 ? "B" : (r < 0.95 ? "D" : "G"))
        printf "E%05d,%s,%s,badge\n", i, d, k
      }
    }'
  done
} >"$data/work-days.csv"
"${hr[@]}" employees import "$data/employees.csv"
"${hr[@]}" work-days import "$data/work-days.csv"
echo
# Registry snapshots are published on month ends: the last one passed.
"${hr[@]}" report workstation-distribution --as_of="$(date -d "$(date +%Y-%m-01) -1 day" +%Y-%m-%d)"
echo
"${hr[@]}" report office-days --from_month="$month" --by=organization

echo
echo "== access control: the facility token may not read HR figures" >&2
if "${client[@]}" report office-days --from_month="$month" 2>"$data/refused.txt"; then
  echo "demo: a facility token read HR figures" >&2
  exit 1
fi
head -n 1 "$data/refused.txt"
echo
echo "== tokens and the audit log" >&2
"${admin[@]}" tokens list
echo
"${admin[@]}" audit list --limit=20

if [ "$keep_running" = 1 ]; then
  echo
  echo "The server keeps running (pid $server_pid) on 127.0.0.1:$port. Try:"
  echo "  $bin/client/monipaikka --server=127.0.0.1:$port --token_file=$data/facility.token sites list"
  echo "The dashboard: http://127.0.0.1:$http_port/ (sign in with the token in"
  echo "  $data/facility.token, $data/hr.token or, for a lobby screen,"
  echo "  $data/display.token). The same API from a program:"
  echo "  curl -X POST http://127.0.0.1:$http_port/monipaikka.v1.InventoryService/ListSites \\"
  echo "    -H \"Authorization: Bearer \$(cat $data/facility.token)\" -H 'Content-Type: application/json' -d '{}'"
  echo "Stop it with: kill $server_pid"
fi
