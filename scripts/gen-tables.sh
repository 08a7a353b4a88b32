#!/usr/bin/env bash
# Regenerates the name tables (src/decode/tables/) and docs/name-tables.md from the three header sources.
#
#   scripts/gen-tables.sh WIN32METADATA_GIT_DIR
#
# WIN32METADATA_GIT_DIR: a git directory (a clone, bare or not) of github.com/microsoft/win32metadata. The
# snapshot may lack its largest files; only headers under generation/WinSDK/RecompiledIdlHeaders/{shared,um} are
# read, with git cat-file, and a missing blob is reported and skipped.
# The Debian packages mingw-w64-common and libwine-dev are downloaded with apt-get (no install: dpkg -x).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${1:?usage: scripts/gen-tables.sh WIN32METADATA_GIT_DIR}
work=${IRPSCOPE_HEADERS_DIR:-${TMPDIR:-/tmp}/irpscope-headers}
rm -rf "$work" && mkdir -p "$work/sdk" "$work/deb"

sdk_commit=$(git -C "$mirror" rev-parse HEAD)
echo "sdk: microsoft/win32metadata @ $sdk_commit" >&2
prefix=generation/WinSDK/RecompiledIdlHeaders/
git -C "$mirror" ls-tree -r HEAD "${prefix}shared" "${prefix}um" | while read -r _mode type object path; do
  [ "$type" = blob ] || continue
  case "$path" in *.h|*.H) ;; *) continue ;; esac
  relative=${path#"$prefix"}
  mkdir -p "$work/sdk/$(dirname "$relative")"
  git -C "$mirror" cat-file blob "$object" > "$work/sdk/$relative" 2>/dev/null || { echo "sdk: $relative is missing from the snapshot, skipped" >&2; rm -f "$work/sdk/$relative"; }
done

(cd "$work/deb" && apt-get download mingw-w64-common libwine-dev >&2)
for deb in "$work"/deb/*.deb; do dpkg -x "$deb" "$work/deb/x"; done
mingw_version=$(dpkg-deb -f "$work"/deb/mingw-w64-common_*.deb Version)
wine_version=$(dpkg-deb -f "$work"/deb/libwine-dev_*.deb Version)

cd "$repo"
# The generator builds on its own: the tables it writes are what the rest of the project compiles against.
npx tsc -p tsconfig.gen.json >&2
node dist/scripts/gen-tables.js \
  --sdk "$work/sdk" --sdk-version "$sdk_commit" \
  --mingw "$work/deb/x/usr/share/mingw-w64/include" --mingw-version "mingw-w64-common $mingw_version" \
  --wine "$work/deb/x/usr/include/wine/wine/windows" --wine-version "libwine-dev $wine_version"
npm run build >&2
