#!/bin/sh
# Put LlamaDesk from this unpacked .tar.gz into your applications menu (no root needed):
#   ./install-desktop-entry.sh            add the menu entry and icons for this user
#   ./install-desktop-entry.sh --remove   take them away again (this folder stays)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
id=io.github.llamadesk.LlamaDesk
data="${XDG_DATA_HOME:-$HOME/.local/share}"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$data/applications/$id.desktop"
  find "$data/icons/hicolor" -name "$id.*" -type f -delete 2>/dev/null || true
  echo "Removed the LlamaDesk menu entry."
  exit 0
fi
mkdir -p "$data/applications"
sed "s|^Exec=llamadesk|Exec=\"$here/llamadesk\"|" "$here/share/applications/$id.desktop" \
  > "$data/applications/$id.desktop"
(cd "$here/share" && find icons -name "$id.*" -type f) | while read -r icon; do
  mkdir -p "$data/$(dirname "$icon")"
  cp "$here/share/$icon" "$data/$icon"
done
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "LlamaDesk is in your applications menu (it runs $here/llamadesk)."
