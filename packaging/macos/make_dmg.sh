#!/usr/bin/env bash
# Make a .dmg with LlamaDesk.app and a link to /Applications.  macOS runner only.
#   packaging/macos/make_dmg.sh build/dist/LlamaDesk.app dist/LlamaDesk-VERSION-macos-ARCH.dmg
set -euo pipefail
app="$1"; dmg="$2"
stage="$(mktemp -d)"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
mkdir -p "$(dirname "$dmg")"
hdiutil create -volname LlamaDesk -srcfolder "$stage" -ov -format UDZO "$dmg"
rm -rf "$stage"
