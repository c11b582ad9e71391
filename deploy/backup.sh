#!/usr/bin/env bash
# Backs up the HQ database to a compressed pg_dump file (custom format), checks that the file
# can be read back, and prunes old backups. docs/operations.md, "Backups", has the cron line.
#
#   deploy/backup.sh [BACKUP_DIR]
#
# BACKUP_DIR: default $KH_BACKUP_DIR, else deploy/backups. Files: kh-YYYYmmddTHHMMSSZ.dump.
# Retention: backups older than KH_BACKUP_KEEP_DAYS (14) days are deleted, but the newest
# KH_BACKUP_KEEP_MIN (7) are always kept, so a stretch of failed nights never empties the folder.
#
# Where pg_dump runs: by default inside the compose service "db" (docker compose exec), using the
# container's POSTGRES_USER and POSTGRES_DB. With PGHOST set (PostgreSQL outside compose, e.g. a
# managed database; deploy/check.sh uses this), the host's pg_dump runs with the usual libpq
# variables PGHOST, PGPORT, PGUSER, PGPASSWORD (or ~/.pgpass) and PGDATABASE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${KH_BACKUP_DIR:-$here/backups}}"
keep_days="${KH_BACKUP_KEEP_DAYS:-14}"
keep_min="${KH_BACKUP_KEEP_MIN:-7}"
compose="${KH_COMPOSE:-docker compose}"

# Runs a PostgreSQL client program where the database is (see above); stdin/stdout pass through.
run_pg() {
  if [ -n "${PGHOST:-}" ]; then
    "$@"
  else
    # shellcheck disable=SC2016,SC2086 # $POSTGRES_* expand inside the container; $compose is a command line
    $compose -f "$here/compose.yaml" exec -T db \
      sh -c 'export PGUSER="$POSTGRES_USER" PGDATABASE="$POSTGRES_DB"; exec "$@"' sh "$@"
  fi
}

umask 077 # the dump holds every branch's cash book
mkdir -p "$dir"
name="kh-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$dir/.$name.partial"
trap 'rm -f "$partial"' EXIT

run_pg pg_dump --format=custom --compress=6 --no-owner --no-privileges >"$partial"
# A dump that pg_restore cannot list is not a backup.
run_pg pg_restore --list <"$partial" >/dev/null
mv "$partial" "$dir/$name"
trap - EXIT
echo "backup: $dir/$name ($(du -h "$dir/$name" | cut -f1))"

# Retention: newest first; the first keep_min always stay.
count=0
while IFS= read -r file; do
  count=$((count + 1))
  [ "$count" -le "$keep_min" ] && continue
  if [ -n "$(find "$file" -maxdepth 0 -mtime +"$keep_days")" ]; then
    rm -f -- "$file"
    echo "backup: removed $file (older than $keep_days days)"
  fi
done < <(find "$dir" -maxdepth 1 -type f -name 'kh-*.dump' | sort -r)
