#!/usr/bin/env bash
# Checks a built kh-desktop .deb: the package metadata, the program, the menu entry (name and
# icon say Haramain Finance) and that it depends on the WebKitGTK runtime, not the -dev package.
#   bash apps/desktop/check-deb.sh target/release/bundle/deb/Haramain\ Finance_0.1.0_amd64.deb
set -euo pipefail
deb=${1:?usage: check-deb.sh path/to/package.deb}
[ -f "$deb" ] || { echo "check-deb: no such file: $deb" >&2; exit 1; }

fail() { echo "check-deb: $*" >&2; exit 1; }
field() { dpkg-deb --field "$deb" "$1"; }

contents=$(dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's#^\./##')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --extract "$deb" "$work"

[ "$(field Package)" = "haramain-finance" ] || fail "package name is $(field Package)"
field Depends | grep -q 'libwebkit2gtk-4.1-0' || fail "does not depend on libwebkit2gtk-4.1-0: $(field Depends)"
field Depends | grep -q -- '-dev' && fail "depends on a -dev package: $(field Depends)"
grep -qx 'usr/bin/kh-desktop' <<<"$contents" || fail "no /usr/bin/kh-desktop in the package"
[ -x "$work/usr/bin/kh-desktop" ] || fail "/usr/bin/kh-desktop is not executable"
entry=$(find "$work/usr/share/applications" -name '*.desktop' | head -n1)
[ -n "$entry" ] || fail "no menu entry (.desktop file)"
grep -qx 'Name=Haramain Finance' "$entry" || fail "menu entry is not named Haramain Finance: $entry"
grep -qx 'Exec=kh-desktop' "$entry" || fail "menu entry does not start kh-desktop"
icon=$(sed -n 's/^Icon=//p' "$entry")
find "$work/usr/share/icons" -name "$icon.png" | grep -q . || fail "icon $icon is not in the package"
echo "check-deb: $(basename "$deb") is a complete package ($(field Version), $(du -h "$deb" | cut -f1))"
