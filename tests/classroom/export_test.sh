#!/usr/bin/env bash
# classroom.export: `export-student` writes a repository without the answers,
# and `export-solutions N` a pack of exactly labs 0..N.
#   export_test.sh COURSE
set -euo pipefail
course="$1"
tools="$course/tools/classroom"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
expect() {  # expect WHAT COMMAND...: COMMAND must succeed
  local what="$1"
  shift
  if "$@"; then printf 'ok    %s\n' "$what"; else printf 'FAIL  %s\n' "$what"; failures=$((failures + 1)); fi
}

# The detector can fail: the course itself (solutions/ included) holds solution code.
expect "solution-leaks finds the solutions in the course itself" \
  sh -c '! "$1" "$2" "$2/solutions" >/dev/null' check "$tools/solution-leaks" "$course"

"$tools/export-student" "$course" "$tmp/student"
out="$tmp/student"
expect "no solutions/" test ! -e "$out/solutions"
expect "no mutants (their FIND/REPLACE texts are solution code), no matrix" \
  sh -c '[ ! -e "$1/tests/mutants" ] && [ ! -e "$1/tests/matrix" ]' check "$out"
expect "no reveal deck" sh -c '! ls "$1"/slides/*-reveal.md >/dev/null 2>&1' check "$out"
expect "the starter and the lab guides are there" \
  sh -c 'for f in $(jq -r ".stages[].files[]" "$2/labs/stages.json"); do [ -f "$1/labs/server/$f" ] || exit 1; done
         [ "$(ls -d "$1"/labs/[0-9][0-9]-*/README.md | wc -l)" -eq "$(jq ".stages | length" "$2/labs/stages.json")" ]' \
  check "$out" "$course"
expect "the Classroom workflow is .github/workflows/classroom.yml" \
  cmp -s "$tools/classroom.yml" "$out/.github/workflows/classroom.yml"
expect "no file of the export holds solution code" "$tools/solution-leaks" "$course" "$out"

last="$(jq '.stages | length - 1' "$course/labs/stages.json")"
n=$((last > 0 ? 1 : 0))
"$tools/export-solutions" "$course" "$n" "$tmp/pack" 2>/dev/null
expect "export-solutions $n: exactly the stage files of labs 0..$n" \
  sh -c '[ "$(ls "$1/solutions/server" | sort)" = "$(jq -r --argjson n "$3" "[.stages[:\$n + 1][].files[]] | sort[]" "$2/labs/stages.json")" ]' \
  check "$tmp/pack" "$course" "$n"
expect "export-solutions $n: the files are the solution's" \
  sh -c 'for f in "$1"/solutions/server/*.cpp; do cmp -s "$f" "$2/solutions/server/${f##*/}" || exit 1; done' check "$tmp/pack" "$course"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
