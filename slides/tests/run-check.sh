#!/usr/bin/env bash
# ctest's browser check (label "slides"): renders every deck (HTML, PDF, and
# the one-page rendering), then checks it in headless Chromium (tools/check.mjs).
# Chromium sees only the course's fonts (tools/fonts.mjs: FONTCONFIG_FILE);
# PAPAYA_SYSTEM_FONTS=1 runs it with the machine's own fontconfig instead.
#   run-check.sh OUT_DIR [selftest]
# Without Marp's npm packages or Chromium it skips (exit 77) and says how to
# install them -- unless PAPAYA_REQUIRE_SLIDES=1 (tools/course test sets it),
# where a missing dependency is a failure.
set -euo pipefail
slides="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: run-check.sh OUT_DIR [selftest]}"
missing=""
command -v node >/dev/null || missing+=" node (Node.js >= 18)"
[ -x "$slides/node_modules/.bin/marp" ] && [ -d "$slides/node_modules/puppeteer-core" ] ||
  missing+=" the npm packages (cd slides && npm ci)"
chromium="${CHROME_PATH:-}"
[ -n "$chromium" ] || for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  [ -x "$c" ] && { chromium="$c"; break; }
done
[ -n "$chromium" ] || missing+=" Chromium (apt-get install chromium)"
command -v node >/dev/null && ! node "$slides/tools/fonts.mjs" --missing >/dev/null &&
  missing+=" the course's fonts (apt-get install fonts-dejavu-core)"
if [ -n "$missing" ]; then
  echo "slides: missing:$missing -- tools/course test installs them"
  [ "${PAPAYA_REQUIRE_SLIDES:-0}" = 1 ] && exit 1
  exit 77
fi
export CHROME_PATH="$chromium"
if [ "${2:-}" = selftest ]; then
  exec bash "$slides/tests/check-selftest.sh" "$out"
fi
node "$slides/tools/build.mjs" --out "$out"
node "$slides/tools/check.mjs" --out "$out"
