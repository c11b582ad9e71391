#!/usr/bin/env bash
# The API fuzzing stage (`make test-api`): schemathesis against a real kh-local and a real
# kh-cloud, each driven by the OpenAPI document it serves (GET /api/v1/openapi.json).
#
#   bash scripts/api-fuzz.sh
#
# Starts the debug kh-local on a fresh data folder and kh-cloud on a fresh PostgreSQL database,
# both on free loopback ports; creates a branch with `kh-cloud branch create` so the branch-key
# endpoints run with a real key (and the admin endpoints with the admin token); then runs
# `schemathesis run` against each server with the checks below, for a fixed time budget each
# and a seed it prints. Both servers are stopped and the database dropped on exit.
#
# Settings (environment):
#   KH_LOCAL_BIN, KH_CLOUD_BIN   the binaries (default: $CARGO_TARGET_DIR/debug/kh-local, kh-cloud;
#                                built with cargo when missing)
#   KH_FUZZ_SECONDS              time budget per server (default 60)
#   KH_FUZZ_SEED                 the seed (default: a random one, printed)
#   KH_FUZZ_PG_ADMIN_URL         a PostgreSQL URL that may create databases
#                                (default: $KH_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)
#   KH_FUZZ_VENV                 the virtual environment schemathesis is installed in
#                                (default: $CARGO_TARGET_DIR/.venv-api-fuzz)
# Ends with "api-fuzz: N passed, N failed" and exits non-zero when any server failed a check.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
local_bin="${KH_LOCAL_BIN:-$target_dir/debug/kh-local}"
cloud_bin="${KH_CLOUD_BIN:-$target_dir/debug/kh-cloud}"
seconds="${KH_FUZZ_SECONDS:-60}"
seed="${KH_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
pg_admin="${KH_FUZZ_PG_ADMIN_URL:-${KH_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
venv="${KH_FUZZ_VENV:-$target_dir/.venv-api-fuzz}"
# The version this stage was made green with (docs/decisions.md says why these checks).
schemathesis_version=4.32.5
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection

say() { printf 'api-fuzz: %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }

for tool in python3 psql curl; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done

# --- schemathesis in its own virtual environment, at the pinned version
st="$venv/bin/schemathesis"
if [ ! -x "$st" ] || [ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("schemathesis"))' 2>/dev/null)" != "$schemathesis_version" ]; then
  say "installing schemathesis==$schemathesis_version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi
# The documents themselves are checked against the OpenAPI 3.1 specification first.
validator_version=0.7.2
validator="$venv/bin/openapi-spec-validator"
if [ ! -x "$validator" ] || [ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("openapi-spec-validator"))' 2>/dev/null)" != "$validator_version" ]; then
  say "installing openapi-spec-validator==$validator_version into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$validator_version"
fi

if [ ! -x "$local_bin" ] || [ ! -x "$cloud_bin" ]; then
  say "building the debug binaries (cargo build -p kh-local -p kh-cloud)"
  CARGO_TARGET_DIR="$target_dir" cargo build --locked -p kh-local -p kh-cloud
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/kh-api-fuzz.XXXXXX")"
db="kh_api_fuzz_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
local_pid="" cloud_pid=""

stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$local_pid"
  stop_pid "$cloud_pid"
  psql "$pg_admin" -X -q -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for FILE PATTERN PID: until a line of FILE matches PATTERN (the server's "listening" line),
# or the server exits, or 30 s pass.
wait_for() {
  local file="$1" pattern="$2" pid="$3"
  for _ in $(seq 1 300); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; die "the server exited before listening"; }
    sleep 0.1
  done
  cat "$file" >&2
  die "the server did not start within 30 s"
}

# --- kh-local on a fresh data folder, port 0; its address is on the line it prints
mkdir -p "$tmp/local"
env -i PATH="$PATH" HOME="$tmp" KH_DATA_DIR="$tmp/local" KH_HTTP_ADDR=127.0.0.1:0 \
  KH_LOG=warn KH_LOG_FORMAT=json "$local_bin" >"$tmp/local.out" 2>"$tmp/local.log" &
local_pid=$!
wait_for "$tmp/local.out" "(API: " "$local_pid"
local_api="$(sed -n 's/.*(API: \(http[^)]*\)).*/\1/p' "$tmp/local.out" | head -n 1)"
local_origin="${local_api%/api/v1}"

# --- kh-cloud on a fresh PostgreSQL database, port 0; its address is in its "listening" log
psql "$pg_admin" -X -q -v ON_ERROR_STOP=1 -c "create database $db" >/dev/null
db_url="$(python3 -c 'import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$pg_admin" "$db")"
admin_token="fuzz-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cloud_env=(PATH="$PATH" HOME="$tmp" KH_DATABASE_URL="$db_url" KH_ADMIN_TOKEN="$admin_token"
  KH_HTTP_ADDR=127.0.0.1:0 KH_LOG=info KH_LOG_FORMAT=json)
env -i "${cloud_env[@]}" "$cloud_bin" serve >/dev/null 2>"$tmp/cloud.log" &
cloud_pid=$!
wait_for "$tmp/cloud.log" "kh-cloud listening" "$cloud_pid"
cloud_addr="$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    if "kh-cloud listening" in line:
        print(json.loads(line)["addr"]); break' "$tmp/cloud.log")"
cloud_origin="http://$cloud_addr"
branch_key="$(env -i "${cloud_env[@]}" "$cloud_bin" branch create --code FUZZ-01 --name "Cabang Fuzz" 2>>"$tmp/cloud.log" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')"
[ -n "$branch_key" ] || die "kh-cloud branch create gave no key"

# The credentials go to schemathesis by environment, per security scheme of the document.
# Invalid data must be refused with one of the 4xx statuses the servers refuse with: 413 is
# among them (a push over KH_MAX_BATCH rows, DESIGN 6), which schemathesis does not list by
# default; 5xx is not (a server error is a failure of its own, not a refusal).
# The credentials are not generated data: schemathesis would otherwise also send requests with
# the Authorization header removed or mangled, and after 20 of those in 60 s HQ refuses this
# address (429) for the rest of the window, leaving the endpoints behind it untested. Wrong and
# missing credentials are covered by the router and process tests (crates/http-cloud/tests,
# apps/cloud/tests/hardening.rs).
cat >"$tmp/schemathesis.toml" <<'EOF'
[generation]
with-security-parameters = false

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "409", "413", "415", "429"]
EOF
# kh-local's activation, and HQ's two security schemes (kh-local has none).
cp "$tmp/schemathesis.toml" "$tmp/schemathesis-hq.toml"
cat >>"$tmp/schemathesis.toml" <<'EOF'

# Activation asks HQ at the address it is given. This machine has no HQ at the addresses the
# fuzzer makes up, so the contract's answer is 503 `unavailable` ("cannot reach HQ at ...;
# nothing was changed", DESIGN 4, shown as such by the activation form): that one status, on
# that one operation, is not a server error here. A 500 still is.
[[operations]]
include-path = "/api/v1/system/activate"
checks.not_a_server_error.expected-statuses = ["2xx", "3xx", "4xx", "503"]
EOF
cat >>"$tmp/schemathesis-hq.toml" <<'EOF'

[auth.openapi.branchKey]
bearer = "${KH_FUZZ_BRANCH_KEY}"

[auth.openapi.adminToken]
bearer = "${KH_FUZZ_ADMIN_TOKEN}"
EOF

say "seed $seed, $seconds s per server, schemathesis $schemathesis_version, checks $checks"
passed=0 failed=0
# fuzz NAME CONFIG ORIGIN SECONDS [FILTER...]: schemathesis against one server's own document.
fuzz() {
  local name="$1" config="$2" origin="$3" budget="$4" started status
  shift 4
  started=$(date +%s)
  say "--- $name at $origin ($budget s)"
  if (cd "$tmp" && KH_FUZZ_BRANCH_KEY="$branch_key" KH_FUZZ_ADMIN_TOKEN="$admin_token" \
    "$st" --config-file "$config" --no-color run "$origin/api/v1/openapi.json" \
    --url "$origin" --checks "$checks" --max-time "$budget" --seed "$seed" --workers 1 "$@"); then
    status=0
    passed=$((passed + 1))
  else
    status=$?
    failed=$((failed + 1))
  fi
  say "$name: exit $status after $(($(date +%s) - started)) s"
}
validate_document() { # name origin
  curl -fsS "$2/api/v1/openapi.json" -o "$tmp/$1-openapi.json" || die "$1 does not serve /api/v1/openapi.json"
  "$validator" "$tmp/$1-openapi.json" >"$tmp/$1-validation.txt" 2>&1 \
    || { cat "$tmp/$1-validation.txt" >&2; die "$1's OpenAPI document does not validate (above)"; }
  say "$1: the OpenAPI document validates"
}
validate_document kh-local "$local_origin"
validate_document kh-cloud "$cloud_origin"

fuzz kh-local "$tmp/schemathesis.toml" "$local_origin" "$seconds"
# HQ in two runs: the branch-key endpoints first, then the rest. The admin endpoints rotate and
# disable keys (the fuzzer finds the branch's id through GET /branches), after which the key the
# branch-key run holds would be refused; in this order each run keeps working credentials.
fuzz "kh-cloud (branch key)" "$tmp/schemathesis-hq.toml" "$cloud_origin" "$((seconds / 3))" --include-path-regex '^/api/v1/sync/'
fuzz "kh-cloud (admin, public)" "$tmp/schemathesis-hq.toml" "$cloud_origin" "$((seconds - seconds / 3))" --exclude-path-regex '^/api/v1/sync/'

# The servers' logs stay until the next run (they never hold the credentials: checked below).
mkdir -p "$target_dir/api-fuzz-logs"
cp "$tmp/local.log" "$tmp/cloud.log" "$target_dir/api-fuzz-logs/"
say "server logs in $target_dir/api-fuzz-logs"
# A server error leaves its cause in the log; none may name a secret.
if grep -q -e "$admin_token" -e "$branch_key" "$tmp/cloud.log" "$tmp/local.log"; then
  say "a server log holds a credential"
  failed=$((failed + 1))
fi
say "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
