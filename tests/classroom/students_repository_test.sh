#!/usr/bin/env bash
# classroom.students_repository: the repository `export-student` writes is one
# a student can work in: it configures without solutions/, builds the
# student's server and the grader, and grades the untouched starter (lab 0:
# every point possible, some lost, the JSON written); asking it for papayad
# says the build has none.
#   students_repository_test.sh COURSE POINTS_JSON CXX
set -euo pipefail
course="$1" points="$2" cxx="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { printf 'FAIL  %s\n' "$*"; exit 1; }
ok() { printf 'ok    %s\n' "$*"; }

"$course/tools/classroom/export-student" "$course" "$tmp/student" 2>/dev/null
build="$tmp/build"
cmake -S "$tmp/student" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" >"$tmp/configure.log" 2>&1 ||
  { tail -n 30 "$tmp/configure.log"; fail "the students' repository does not configure"; }
ok "configures without solutions/"
cmake --build "$build" --target papaya-student papaya_grade >"$tmp/build.log" 2>&1 ||
  { tail -n 30 "$tmp/build.log"; fail "the students' repository does not build papaya-student and papaya_grade"; }
ok "builds papaya-student and papaya_grade"

grade="$build/tests/grader/papaya_grade"
status=0
"$grade" 0 --target student --json "$tmp/grade0.json" >"$tmp/grade0.txt" 2>&1 || status=$?
[ "$status" -eq 1 ] || { cat "$tmp/grade0.txt"; fail "grading the starter at lab 0 exited $status, not 1 (tests failed)"; }
jq -e --slurpfile points "$points" '.stage == 0 and .target == "student"
    and .totals.stage.max_points == ($points[0]["0"] | tonumber)
    and .totals.stage.points < .totals.stage.max_points
    and any(.tests[]; .status == "fail")' "$tmp/grade0.json" >/dev/null ||
  { cat "$tmp/grade0.json"; fail "the starter's lab 0 grade is not what it should be"; }
ok "grades the starter: lab 0 failed, $(jq -r '"\(.totals.stage.points) of \(.totals.stage.max_points)"' "$tmp/grade0.json") points"

out="$("$grade" 0 --target papayad 2>&1)" && fail "--target papayad graded in a repository without papayad"
case "$out" in
  *"names a program this build does not have"*) ok "--target papayad: $out" ;;
  *) printf '%s\n' "$out"; fail "--target papayad did not say that this build has no papayad" ;;
esac
