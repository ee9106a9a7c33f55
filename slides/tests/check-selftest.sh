#!/usr/bin/env bash
# The browser check must be able to fail: render tests/broken/broken.md (one
# defect per slide) and expect the check to report each defect.
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
            'stale snippet solutions/server/connection_io.cpp#read_some' 'overflow: slide 5 .*too wide'; do
  grep -qE "$want" "$out.log" || { echo "selftest: not reported: $want"; missing=1; }
done
[ "$missing" = 0 ] && echo "selftest: every planted defect was reported"
exit "$missing"
