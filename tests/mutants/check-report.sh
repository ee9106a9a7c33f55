#!/usr/bin/env bash
# The report a student sees for a mutant, kept as expected output: a change in
# a test's steps, messages or hint is then a reviewed change of
# tests/mutants/reports/NAME.txt, not an accident.
#
# Usage: check-report.sh EXPECTED BUILD_DIR SOURCE_DIR GRADE_COMMAND...
# The grade runs with a fixed seed; what differs between runs (ports, pids,
# temporary and build paths, times, test source line numbers, and how many of
# N zombies one SIGCHLD happened to leave) is replaced by <placeholders>.
# PAPAYA_UPDATE_REPORTS=1 writes EXPECTED instead of comparing.
set -uo pipefail
expected="$1" build="$2" source="$3"
shift 3
actual="$("$@" 2>&1 | sed -E \
  -e "s#${build}#<build>#g" -e "s#${source}#<source>#g" \
  -e 's#/tmp/papaya-[A-Za-z0-9_-]+#<tmp>#g' \
  -e 's#(port[ =])[0-9]+#\1<port>#g' -e 's#127\.0\.0\.1:[0-9]+#127.0.0.1:<port>#g' \
  -e 's#(pid[ =])[0-9]+#\1<pid>#g' -e 's#\[[0-9]+\]#[<pid>]#g' -e 's#/proc/[0-9]+/#/proc/<pid>/#g' \
  -e 's#(kill -[A-Z]+ )[0-9]+#\1<pid>#g' -e 's# [0-9]+\.[0-9]{2}s # <time>s #g' \
  -e 's#([a-z_]+\.cpp):[0-9]+:#\1:<line>:#g' \
  -e 's#[0-9]+ of the ([0-9]+) children are still zombies#<n> of the \1 children are still zombies#')"
if [ "${PAPAYA_UPDATE_REPORTS:-}" = 1 ]; then
  printf '%s\n' "$actual" >"$expected"
  echo "wrote $expected"
  exit 0
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "The report differs from ${expected#"$source"/} (above: - expected, + now)."
  echo "If the change is meant, review it and rerun with PAPAYA_UPDATE_REPORTS=1 to record it."
  exit 1
fi
