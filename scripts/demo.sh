#!/usr/bin/env bash
# `make demo`: HQ and one branch on this machine, in one command.
#
#   scripts/demo.sh            # runs until Ctrl+C, then stops both and removes the demo data
#   scripts/demo.sh --for 60   # stops by itself after 60 seconds (for scripts and CI)
#
# Starts kh-cloud (HQ) on a SQLite file, creates the branch DEMO-01 with the command line, starts
# kh-local (the cashier app) with its own data folder, activated against that HQ through
# KH_CLOUD_URL and KH_BRANCH_API_KEY, and prints what to open. While it runs it reports every
# change of the entries HQ has received. Uses the release binaries in
# ${CARGO_TARGET_DIR:-target}/release and builds them first when one is missing.
#
# Settings: KH_DEMO_HQ_PORT (3000) and KH_DEMO_BRANCH_PORT (8080), each replaced by a free port
# when taken; KH_DEMO_KEEP=1 keeps the demo folder (databases and logs) after the end.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration=""
case "${1:-}" in
  --for) duration="${2:?--for needs a number of seconds}" ;;
  "") ;;
  *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
cloud_bin="$target_dir/release/kh-cloud"
local_bin="$target_dir/release/kh-local"

need() { command -v "$1" >/dev/null || { echo "demo: $1 is missing ($2)" >&2; exit 1; }; }
need curl "apt-get install curl"
if [ ! -x "$cloud_bin" ] || [ ! -x "$local_bin" ]; then
  need cargo "install Rust 1.94 or newer: https://rustup.rs"
  echo "demo: building the release binaries (cargo build --release -p kh-cloud -p kh-local)..."
  CARGO_TARGET_DIR="$target_dir" cargo build --release --locked -p kh-cloud -p kh-local
fi

# A JSON field from stdin, with jq when present, else python3.
json_field() {
  if command -v jq >/dev/null; then
    jq -r "$1"
  else
    need python3 "or install jq"
    python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].lstrip(".").split("."):
    v = v[k]
print(v)' "$1"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local port="$1"
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port"
}

demo_dir="$(mktemp -d "${TMPDIR:-/tmp}/kh-demo.XXXXXX")"
hq_pid="" branch_pid=""
stop() {
  # Stop and clean up first, print last: with the output piped (| tee) and the reader gone after
  # Ctrl+C, a message could end the script before the cleanup.
  trap - EXIT INT TERM
  trap '' PIPE
  local pid
  for pid in $branch_pid $hq_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $branch_pid $hq_pid; do wait "$pid" 2>/dev/null || true; done
  if [ "${KH_DEMO_KEEP:-0}" = 1 ]; then
    echo "demo: stopped; kept $demo_dir (hq.db, branch/, hq.log, branch.log)" 2>/dev/null || true
  else
    rm -rf "$demo_dir"
    echo "demo: stopped" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

hq_port="$(pick_port "${KH_DEMO_HQ_PORT:-3000}")"
branch_port="$(pick_port "${KH_DEMO_BRANCH_PORT:-8080}")"
[ "$branch_port" != "$hq_port" ] || branch_port="$(pick_port $((hq_port + 1)))"
hq="http://127.0.0.1:$hq_port"
branch="http://127.0.0.1:$branch_port"
admin_token="demo-admin-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# HQ: one SQLite file instead of PostgreSQL, on loopback only.
hq_env=(KH_DATABASE_URL="sqlite://$demo_dir/hq.db" KH_HTTP_ADDR="127.0.0.1:$hq_port"
  KH_ADMIN_TOKEN="$admin_token" KH_LOG_FORMAT=json)
env "${hq_env[@]}" "$cloud_bin" migrate 2>>"$demo_dir/hq.log"
created="$(env "${hq_env[@]}" "$cloud_bin" branch create --code DEMO-01 --name "Cabang Demo" 2>>"$demo_dir/hq.log")"
api_key="$(json_field .api_key <<<"$created")"
# Started as plain commands (not through a function), so $! is the server itself.
env "${hq_env[@]}" "$cloud_bin" serve 2>>"$demo_dir/hq.log" &
hq_pid=$!

wait_for() { # wait_for URL PID LOG
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "demo: $1 did not come up; the end of $3:" >&2
  tail -n 20 "$3" >&2
  exit 1
}
wait_for "$hq/api/v1/health" "$hq_pid" "$demo_dir/hq.log"

# The branch: its own data folder, activated at first start by the environment.
KH_DATA_DIR="$demo_dir/branch" KH_HTTP_ADDR="127.0.0.1:$branch_port" \
  KH_CLOUD_URL="$hq" KH_BRANCH_API_KEY="$api_key" KH_SYNC_INTERVAL_SECS=5 KH_LOG_FORMAT=json \
  "$local_bin" 2>>"$demo_dir/branch.log" >>"$demo_dir/branch.log" &
branch_pid=$!
wait_for "$branch/api/v1/health" "$branch_pid" "$demo_dir/branch.log"

cat <<EOF

Haramain Finance demo is running (data in $demo_dir).

  Cashier app (branch DEMO-01):  $branch/
  HQ API:                        $hq/api/v1   (admin token: $admin_token)

Record an entry at the branch:
  curl -s -XPOST $branch/api/v1/transactions -H 'content-type: application/json' \\
    -d '{"type":"IN","amount":250000,"category":"Penjualan","description":"nasi kotak 10"}'
Watch it reach HQ (the branch pushes every 5 s; "sync now": curl -s -XPOST $branch/api/v1/system/sync):
  curl -s $branch/api/v1/system/status
  curl -s -H 'Authorization: Bearer $admin_token' $hq/api/v1/reports/summary
  curl -s -H 'Authorization: Bearer $admin_token' $hq/api/v1/transactions

Logs: $demo_dir/hq.log and $demo_dir/branch.log. Ctrl+C stops both.
EOF

# Report what HQ has whenever it changes; end when a process dies or the time is up.
seen="" started=$SECONDS
while :; do
  for pid in $hq_pid $branch_pid; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: a process stopped unexpectedly; see $demo_dir/hq.log and branch.log" >&2
      KH_DEMO_KEEP=1
      exit 1
    fi
  done
  summary="$(curl -sf -H "Authorization: Bearer $admin_token" "$hq/api/v1/reports/summary" || true)"
  if [ -n "$summary" ]; then
    now="$(json_field .data.total.transaction_count <<<"$summary" 2>/dev/null || echo "?")"
    if [ "$now" != "$seen" ]; then
      echo "HQ: $now entries received from the branches ($(date +%H:%M:%S))"
      seen="$now"
    fi
  fi
  if [ -n "$duration" ] && [ $((SECONDS - started)) -ge "$duration" ]; then
    exit 0
  fi
  sleep 2
done
