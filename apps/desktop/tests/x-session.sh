#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session: an Xvfb display, the openbox window manager
# (it closes windows on Alt+F4 and focuses them as a cashier's desktop does) and a D-Bus session
# bus (the single-instance hand-over uses it). Everything started here stops with the command.
#   apps/desktop/tests/x-session.sh cargo test -p kh-desktop
set -euo pipefail

missing=()
for tool in xvfb-run openbox dbus-run-session xprop xdotool import; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "x-session.sh: missing ${missing[*]}; install them with:" >&2
  echo "  apt-get install xvfb openbox dbus x11-utils xdotool imagemagick" >&2
  exit 1
fi

# shellcheck disable=SC2016 # expanded by the inner shell
# The bus starts inside the display, so services it starts on demand can reach the display too.
exec xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
  dbus-run-session -- bash -c 'openbox --sm-disable >/dev/null 2>&1 & wm=$!
for _ in $(seq 1 100); do xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id" && break; sleep 0.1; done
status=0; "$@" || status=$?
kill "$wm" 2>/dev/null || true
exit "$status"' x-session "$@"
