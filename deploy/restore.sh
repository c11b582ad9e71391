#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh. docs/operations.md, "Restore", is the procedure.
#
#   deploy/restore.sh FILE --into NAME        restore drill: into a new database NAME
#   deploy/restore.sh FILE --replace --yes    put the backup in place of the HQ database
#
# --replace restores into a new database first (so a damaged file changes nothing), then renames
# the current database to <name>_before_<time> (kept until you drop it) and the restored one to
# <name>, and gives HQ a new epoch so branches send back what the backup lacks. kh-cloud must be
# stopped (docker compose stop kh-cloud): PostgreSQL refuses to rename a
# database that has connections, and the script stops there without changing anything.
#
# Where the client programs run: as in backup.sh (inside the compose service "db", or, with
# PGHOST set, on this host with PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE). The user needs
# CREATEDB (the compose database's user is its owner and a superuser).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
compose="${KH_COMPOSE:-docker compose}"

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

file="${1:-}"
if [ -z "$file" ] || [ ! -f "$file" ]; then usage; fi
shift
mode="" into="" yes=""
while [ $# -gt 0 ]; do
  case "$1" in
    --into) mode=into; into="${2:-}"; shift 2 || usage ;;
    --replace) mode=replace; shift ;;
    --yes) yes=1; shift ;;
    *) usage ;;
  esac
done
[ -n "$mode" ] || usage
[ "$mode" != replace ] || [ -n "$yes" ] || { echo "restore: --replace needs --yes" >&2; exit 2; }

run_pg() {
  if [ -n "${PGHOST:-}" ]; then
    "$@"
  else
    # shellcheck disable=SC2016,SC2086 # $POSTGRES_* expand inside the container; $compose is a command line
    $compose -f "$here/compose.yaml" exec -T db \
      sh -c 'export PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB"; exec "$@"' sh "$@"
  fi
}

# psql on the maintenance database "postgres", stopping at the first error.
sql() {
  run_pg psql -X -v ON_ERROR_STOP=1 -q -At -d postgres "$@"
}

# shellcheck disable=SC2016 # expands where the client programs run
current="$(run_pg sh -c 'echo "$PGDATABASE"')"
[ -n "$current" ] || { echo "restore: PGDATABASE is not set" >&2; exit 2; }
stamp="$(date -u +%Y%m%d%H%M%S)"
target="${into:-${current}_restore_$stamp}"
case "$target" in *[!a-z0-9_]*) echo "restore: database names here use a-z, 0-9 and _" >&2; exit 2 ;; esac

run_pg createdb "$target"
if ! run_pg pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  -d "$target" <"$file"; then
  echo "restore: $file could not be restored; dropping the half-made $target" >&2
  run_pg dropdb --if-exists "$target" || true
  exit 1
fi
echo "restore: $file restored into database $target"
[ "$mode" = replace ] || exit 0

old="${current}_before_$stamp"
sql -c "ALTER DATABASE \"$current\" RENAME TO \"$old\"" || {
  echo "restore: could not rename $current (is kh-cloud still connected? docker compose stop kh-cloud)." >&2
  echo "restore: nothing was replaced; the restored copy stays as $target." >&2
  exit 1
}
sql -c "ALTER DATABASE \"$target\" RENAME TO \"$current\""
# A new HQ epoch (what `kh-cloud epoch reset` does): every branch that sees it sends all its
# entries again, so HQ gets back what was pushed after the backup was taken (DESIGN 8.4).
run_pg psql -X -v ON_ERROR_STOP=1 -q -d "$current" -c \
  "INSERT INTO hq_meta (key, value) VALUES ('epoch', gen_random_uuid()::text) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
echo "restore: $current now holds the backup; the previous database is kept as $old"
echo "restore: HQ has a new epoch: each branch sends its entries again at its next sync"
echo "restore: start kh-cloud again (docker compose start kh-cloud), check it, then: DROP DATABASE $old"
