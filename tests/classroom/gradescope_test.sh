#!/usr/bin/env bash
# classroom.gradescope: tools/classroom/run_autograder against simulated
# /autograder trees (PAPAYA_AUTOGRADER_ROOT), its results.json checked with jq.
#   gradescope_test.sh COURSE BUILD MUTANT_FILE MUTANT_TEST STAGE
# MUTANT_FILE: a solution stage file with one classic mistake (tests/mutants
# writes it), which MUTANT_TEST must catch.
set -euo pipefail
course="$1" build="$2" mutant_file="$3" mutant_test="$4" stage="$5"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0

# grade NAME [SECONDS]: runs the autograder on $tmp/NAME/submission, SECONDS
# per test (default 90); the JSON in $tmp/NAME.json.
grade() {
  mkdir -p "$tmp/$1/results"
  chmod -R a+rX "$tmp"
  local t0=$SECONDS
  PAPAYA_AUTOGRADER_ROOT="$tmp/$1" PAPAYA_COURSE_SOURCE="$course" PAPAYA_COURSE_BUILD="$build" \
    PAPAYA_ASSIGNMENT_STAGE="$stage" PAPAYA_TEST_TIMEOUT="${2:-90}" PAPAYA_SEED=1 \
    "$course/tools/classroom/run_autograder"
  cp "$tmp/$1/results/results.json" "$tmp/$1.json"
  printf '%s: graded in %ss: %s\n' "$1" "$((SECONDS - t0))" "$(jq -c '{score, max: ([.tests[].max_score] | add), tests: (.tests | length)}' "$tmp/$1.json")"
}

# check NAME WHAT JQ-FILTER [jq options]: the filter must be true of NAME's results.json.
check() {
  local name="$1" what="$2" filter="$3"
  shift 3
  if jq -e "$@" "$filter" "$tmp/$name.json" >/dev/null; then
    printf 'ok    %s: %s\n' "$name" "$what"
  else
    printf 'FAIL  %s: %s\n' "$name" "$what"
    failures=$((failures + 1))
  fi
}

# Every results.json: Gradescope's fields, a score that is the sum of the tests'.
check_format() {
  check "$1" "Gradescope's format" '
    (.score | type) == "number" and (.execution_time | type) == "number" and .output_format == "text"
    and (.output | type) == "string" and (.tests | length) > 0
    and all(.tests[]; (.name | type) == "string" and (.score | type) == "number"
                      and (.max_score | type) == "number" and (.output | type) == "string"
                      and .visibility == "visible" and .score <= .max_score
                      and (if has("status") then (.status == "failed" or (.status == "passed" and .score == .max_score))
                           else .max_score == 0 end))
    and .score == ([.tests[].score] | add)'
}

first_file="$(jq -r '.stages[0].files[0]' "$course/labs/stages.json")"
stage_file="$(jq -r --argjson n "$stage" '.stages[$n].files[0]' "$course/labs/stages.json")"
solution() {  # solution DIR: the solution's stage files in DIR/labs/server
  mkdir -p "$1/labs/server"
  cp "$course"/solutions/server/*.cpp "$1/labs/server/"
}

# (a) The starter, one file of the graded stage missing, one file too many,
# and lab 0's files links to the course's solution (integrity: not followed).
mkdir -p "$tmp/starter/submission/labs/server"
cp "$course"/labs/server/*.cpp "$tmp/starter/submission/labs/server/"
rm "$tmp/starter/submission/labs/server/$stage_file"
echo 'int helper() { return 1; }' >"$tmp/starter/submission/labs/server/helper.cpp"
for f in $(jq -r '.stages[0].files[]' "$course/labs/stages.json"); do
  ln -sf "$course/solutions/server/$f" "$tmp/starter/submission/labs/server/$f"
done
grade starter
check_format starter
check starter "scores less than the maximum, a test failed" '.score < ([.tests[].max_score] | add) and any(.tests[]; .status == "failed")'
check starter "links to the solution are reported and not graded: no lab 0 test passes" \
  '(.output | contains("a link, not a file of your own") and contains("labs/server/\($f)"))
   and all(.tests[] | select(.tags[0] == "lab 0"); .status != "passed")' --arg f "$first_file"
check starter "reports the missing and the extra file" \
  '(.output | contains("MISSING") and contains("labs/server/\($missing)")) and (.output | contains("IGNORED") and contains("labs/server/helper.cpp"))' \
  --arg missing "$stage_file"

# (b) The solution, with tests/, a header and the targets edited (integrity):
# graded on the course's copies, it earns every point.
solution "$tmp/solution/submission"
header="$(ls "$course"/chatserver/include/papaya/*.hpp | head -n 1)"
mkdir -p "$tmp/solution/submission/chatserver/include/papaya" "$tmp/solution/submission/tests/lab0"
printf '#error "the submission'"'"'s header was compiled"\n' >"$tmp/solution/submission/chatserver/include/papaya/${header##*/}"
for f in "$course"/tests/lab0/*.cpp; do
  printf 'this is not C++: the submission'"'"'s tests were compiled\n' >"$tmp/solution/submission/tests/lab0/${f##*/}"
done
printf 'student - /bin/true\n' >"$tmp/solution/submission/tests/targets.conf"
grade solution
check_format solution
check solution "every point, every applicable test passed" \
  '.score == ([.tests[].max_score] | add) and .score > 0 and all(.tests[]; .status != "failed")'
check solution "tests of every stage 0..$stage ran" \
  '[.tests[] | select(.max_score > 0) | .tags[0]] | unique == [range(0; $n + 1) | "lab \(.)"]' --argjson n "$stage"

# (c) The solution with one classic mistake: exactly its test fails.
solution "$tmp/mutant/submission"
cp "$mutant_file" "$tmp/mutant/submission/labs/server/${mutant_file##*/}"
grade mutant
check_format mutant
check mutant "$mutant_test fails with 0 points and its report" \
  '.tests[] | select(.name == $t) | .status == "failed" and .score == 0 and .max_score > 0
                                   and (.output | contains("Rerun only this test") and contains("Hint:"))' --arg t "$mutant_test"
# Other tests may see the same mistake; most of the server still earns its points.
check mutant "the rest still earns points" '.score > 0 and any(.tests[]; .name != $t and .status == "passed")' --arg t "$mutant_test"
echo "failed tests of the mutant: $(jq -c '[.tests[] | select(.status == "failed") | .name]' "$tmp/mutant.json")"
echo "the mutant's entry:"
jq --arg t "$mutant_test" '.tests[] | select(.name == $t)' "$tmp/mutant.json"

# (e) The same mistake with a timeout shorter than the test (it waits 10 s for
# the zombies to go): the test is stopped, failed, and the points are kept.
solution "$tmp/hang/submission"
cp "$mutant_file" "$tmp/hang/submission/labs/server/${mutant_file##*/}"
# As root the autograder runs the tests as PAPAYA_GRADER_USER: named here, so
# that the check below knows whose processes to look at (what runs as that
# user now is not ours).
grader_user=""
[ "$(id -u)" -ne 0 ] || grader_user=nobody
running_as_grader() { [ -z "$grader_user" ] || ps -u "$grader_user" -o pid=,stat= | awk '$2 !~ /^Z/ { print $1 }' | sort; }
before_hang="$(running_as_grader)"
PAPAYA_GRADER_USER="$grader_user" grade hang 5
check_format hang
check hang "$mutant_test is stopped by the timeout: failed, 0 points, says so" \
  '.tests[] | select(.name == $t) | .status == "failed" and .score == 0 and (.output | contains("did not finish within 5 s"))' \
  --arg t "$mutant_test"
check hang "the maximum is the solution's: a stopped test keeps its suite's points" \
  '([.tests[].max_score] | add) == ($solution[0] | [.tests[].max_score] | add)' --slurpfile solution "$tmp/solution.json"
# The stopped test's server (and its 200 unreaped clients) is not left running.
left_behind() { comm -13 <(printf '%s\n' "$before_hang") <(running_as_grader) | grep . ; }
for _ in $(seq 50); do left_behind >/dev/null || break; sleep 0.1; done
if [ -n "$grader_user" ] && left="$(left_behind)"; then
  printf 'FAIL  hang: processes of %s left behind by the stopped test: %s\n' "$grader_user" "$(echo $left)"
  failures=$((failures + 1))
else
  printf 'ok    hang: no process of the grader user (%s) left behind\n' "${grader_user:-not root: not checked}"
fi

# (d) A submission that does not compile: one failed test with the compiler's first error.
solution "$tmp/broken/submission"
printf '\nint broken_function( {\n' >>"$tmp/broken/submission/labs/server/$first_file"
grade broken
check_format broken
check broken "one failed test, Compilation, naming the file and the error" \
  '(.tests | length) == 1 and .tests[0].name == "Compilation" and .tests[0].status == "failed" and .score == 0
   and .tests[0].max_score > 0 and (.tests[0].output | contains("labs/server/\($f)") and contains("error"))' --arg f "$first_file"

# (g) A run whose time budget is spent before the first test: every test is
# reported, not run, and the maximum is still the solution's.
solution "$tmp/budget/submission"
PAPAYA_RUN_BUDGET=0 grade budget
check_format budget
check budget "every test reported not run, failed; the maximum is the solution's" \
  'all(.tests[]; .status == "failed" and (.output | startswith("Not run")))
   and ([.tests[].max_score] | add) == ($solution[0] | [.tests[].max_score] | add)' --slurpfile solution "$tmp/solution.json"

# (f) The zip as Gradescope unpacks it (/autograder/source), its run_autograder
# with the options baked in (here: 60 s per test), the course's build standing
# in for setup.sh's; the solution again.
"$course/tools/classroom/gradescope-zip" "$course" "$tmp/zip" "$stage" 60 540 "jq" 2>/dev/null
mkdir -p "$tmp/zipped/source" "$tmp/zipped/results"
(cd "$tmp/zipped/source" && cmake -E tar xf "$tmp/zip/autograder.zip")
mkdir -p "$tmp/zipped/source/course/build"
ln -s "$build" "$tmp/zipped/source/course/build/autograder"
solution "$tmp/zipped/submission"
chmod -R a+rX "$tmp"
if [ -x "$tmp/zipped/source/setup.sh" ] && [ -x "$tmp/zipped/source/run_autograder" ]; then
  PAPAYA_AUTOGRADER_ROOT="$tmp/zipped" PAPAYA_SEED=1 "$tmp/zipped/source/run_autograder"
  cp "$tmp/zipped/results/results.json" "$tmp/zipped.json"
else
  echo '{}' >"$tmp/zipped.json"
fi
check_format zipped
check zipped "the zip's run_autograder grades labs 0..$stage, 60 s per test, every point for the solution" \
  '(.output | contains("labs 0..\($n)") and contains("60s per test")) and .score == ($solution[0].score)' \
  --argjson n "$stage" --slurpfile solution "$tmp/solution.json"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
