#!/usr/bin/env bash
# Checks that every C++ file of the repository is formatted by .clang-format
# (clang-format --dry-run -Werror); --fix reformats them in place instead.
# labs/server/ is left out: tools/make-starter writes it from solutions/server/.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/check-format.sh [--fix] [--diff] [FILE...]
  (no option)  List the C++ files that .clang-format would change; exit 1 if there is one.
  --diff       Show what would change in them, as a unified diff.
  --fix        Reformat the files in place.
  FILE...      Only these files (default: every C++ file git knows of, tracked or new).
Environment: CLANG_FORMAT names the program (default: clang-format, version 14 as in Debian
bookworm; another version may format some lines differently).
USAGE
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fix=false diff=false files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fix) fix=true ;;
    --diff) diff=true ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done

CLANG_FORMAT="${CLANG_FORMAT:-clang-format}"
if ! command -v "$CLANG_FORMAT" >/dev/null; then
  echo "check-format: $CLANG_FORMAT not found (Debian package clang-format; tools/course test installs it)" >&2
  exit 2
fi
version="$("$CLANG_FORMAT" --version)"
case "$version" in
  *" version 14."*) ;;
  *) echo "check-format: warning: .clang-format is checked with clang-format 14; this is: $version" >&2 ;;
esac

if [ ${#files[@]} -eq 0 ]; then
  # Tracked and new (not ignored) files, so that a file not yet added is checked too.
  mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
    '*.cpp' '*.hpp' '*.h' '*.cc' ':!:labs/server/*' | sort -u)
  # A file deleted from the working tree but still in the index.
  mapfile -t files < <(for f in "${files[@]}"; do [ -f "$f" ] && printf '%s\n' "$f"; done)
fi
[ ${#files[@]} -gt 0 ] || { echo "check-format: no C++ files" >&2; exit 2; }
for f in "${files[@]}"; do [ -f "$f" ] || { echo "check-format: $f: no such file" >&2; exit 2; }; done

if $fix; then
  "$CLANG_FORMAT" -i --style=file -- "${files[@]}"
  echo "check-format: formatted ${#files[@]} file(s)"
  exit 0
fi

# One run over all files; each violation is reported as `file:line:col: error: ...`.
set +e
report="$("$CLANG_FORMAT" --dry-run -Werror --style=file -- "${files[@]}" 2>&1)"
status=$?
set -e
if [ $status -eq 0 ]; then
  echo "check-format: ${#files[@]} file(s) formatted as .clang-format says"
  exit 0
fi
mapfile -t bad < <(sed -n 's/^\(.*\):[0-9][0-9]*:[0-9][0-9]*: error: code should be clang-formatted.*/\1/p' <<<"$report" | uniq)
if [ ${#bad[@]} -eq 0 ]; then
  # Not a formatting difference: clang-format itself failed (bad .clang-format, unreadable file).
  printf '%s\n' "$report" >&2
  exit 2
fi
for f in "${bad[@]}"; do
  if $diff; then
    "$CLANG_FORMAT" --style=file "$f" | diff -u --label "$f" --label "$f (formatted)" "$f" - || true
  else
    echo "$f"
  fi
done
echo "check-format: ${#bad[@]} of ${#files[@]} file(s) differ from .clang-format" >&2
echo "check-format: see the changes with tools/check-format.sh --diff; make them with tools/check-format.sh --fix [FILE...]" >&2
exit 1
