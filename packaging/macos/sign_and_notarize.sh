#!/usr/bin/env bash
# Sign LlamaDesk.app and its .dmg with a Developer ID and notarise them.  macOS runner only.
# Needs: a "Developer ID Application" identity in the keychain (SIGN_IDENTITY) and a
# notarytool keychain profile (NOTARY_PROFILE), made once with
#   xcrun notarytool store-credentials NOTARY_PROFILE --apple-id ... --team-id ...
# NOTARY_KEYCHAIN: the keychain holding that profile, if not the default one (CI).
#   packaging/macos/sign_and_notarize.sh build/dist/LlamaDesk.app dist/LlamaDesk.dmg
set -euo pipefail
app="$1"; dmg="$2"
: "${SIGN_IDENTITY:?set SIGN_IDENTITY to the Developer ID Application identity}"
: "${NOTARY_PROFILE:?set NOTARY_PROFILE to a notarytool keychain profile}"
entitlements="$(dirname "$0")/entitlements.plist"
# Inside out: every library and executable, then the bundle, with the hardened runtime.
find "$app/Contents" -type f \( -name "*.dylib" -o -name "*.so" -o -perm -u+x \) -print0 |
  xargs -0 codesign --force --timestamp --options runtime --entitlements "$entitlements" \
    --sign "$SIGN_IDENTITY"
codesign --force --timestamp --options runtime --entitlements "$entitlements" \
  --sign "$SIGN_IDENTITY" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
"$(dirname "$0")/make_dmg.sh" "$app" "$dmg"
codesign --force --timestamp --sign "$SIGN_IDENTITY" "$dmg"
keychain=()
if [ -n "${NOTARY_KEYCHAIN:-}" ]; then keychain=(--keychain "$NOTARY_KEYCHAIN"); fi
xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" "${keychain[@]}" --wait
xcrun stapler staple "$dmg"
spctl --assess --type open --context context:primary-signature --verbose "$dmg"
