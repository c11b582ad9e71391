#!/bin/bash
# HEALTHCHECK of the kh-cloud image: healthy only when GET /api/v1/health on the container's own
# port answers HTTP 200 (kh-cloud answers 503 while PostgreSQL is unreachable). It uses bash's
# /dev/tcp, so the runtime image needs no curl. deploy/check.sh runs this very file against a
# real kh-cloud. The port comes from KH_HTTP_ADDR (default 0.0.0.0:3000).
set -euo pipefail
addr="${KH_HTTP_ADDR:-0.0.0.0:3000}"
port="${addr##*:}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: kh-healthcheck\r\nConnection: close\r\n\r\n' >&3
status=""
IFS=' ' read -r -t 5 _ status _ <&3 || true
exec 3<&-
if [ "${status}" = "200" ]; then
  exit 0
fi
echo "kh-cloud health: HTTP status '${status:-none}' on port ${port}" >&2
exit 1
