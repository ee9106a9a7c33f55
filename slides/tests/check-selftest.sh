#!/usr/bin/env bash
# The browser check must be able to fail: render tests/broken/broken.md (one
# defect per slide: too long, a missing image, a stale snippet, code too wide,
# a table too wide, a plot with 8 px text) and expect the check to report each
# defect; then run the check with a fontconfig that offers another font (DejaVu
# Serif) under the course's file names, and expect it to see that font.
set -euo pipefail
slides="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: check-selftest.sh OUT_DIR}"
rm -rf "$out"
node "$slides/tools/build.mjs" --decks "$slides/tests/broken" --out "$out" --no-pdf --allow-stale >"$out.build.log" 2>&1 ||
  { cat "$out.build.log"; echo "selftest: the broken deck did not render"; exit 1; }
status=0
node "$slides/tools/check.mjs" --decks "$slides/tests/broken" --out "$out" >"$out.log" 2>&1 || status=$?
cat "$out.log"
[ "$status" != 0 ] || { echo "selftest: the check passed a broken deck"; exit 1; }
missing=0
for want in 'overflow: slide 2 ' 'missing image: slide 3' 'no-such-diagram.svg \(net::ERR_FILE_NOT_FOUND\)' \
            'stale snippet solutions/server/connection_io.cpp#read_some' 'overflow: slide 5 .*too wide' \
            'overflow: slide 6 .*a <table> overflows' 'plot: slide 7 .*tiny-text-plot.svg: its smallest text is 8.0 px'; do
  grep -qE "$want" "$out.log" || { echo "selftest: not reported: $want"; missing=1; }
done
# Chromium must draw with the fonts of the check's fontconfig and nothing else:
# offer it DejaVu Serif under the course's file names, and the check must say so
# (with the check's own fontconfig, even when the phase above used the machine's).
serif="$(dirname "$out")/$(basename "$out")-serif"
rm -rf "$serif"
mkdir -p "$serif"
for f in $(node "$slides/tools/fonts.mjs" --files); do
  cp /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf "$serif/$f"
done
env -u PAPAYA_SYSTEM_FONTS PAPAYA_FONT_DIR="$serif" node "$slides/tools/check.mjs" --decks "$slides/tests/broken" --out "$out" >"$out.fonts.log" 2>&1 || true
grep -E 'font: text in .* was drawn with DejaVu Serif' "$out.fonts.log" ||
  { cat "$out.fonts.log"; echo "selftest: not reported: text drawn with a font the check's fontconfig does not offer"; missing=1; }
rm -rf "$serif"
[ "$missing" = 0 ] && echo "selftest: every planted defect was reported"
exit "$missing"
