#!/bin/sh
# papaya-course start and status without a terminal (as in CI), against two
# servers of tests/matrix: the untouched starter and the starter with lab 0
# solved. Usage: without_a_terminal.sh PAPAYA_COURSE STARTER SOLVED_TO_0 STAGE_COUNT
course=$1 starter=$2 solved_to_0=$3 stage_count=$4
fail() { printf '%s\n' "$out"; echo "FAILED: $*"; exit 1; }
expect() { case "$out" in *"$1"*) ;; *) fail "expected: $1";; esac; }

# The starter fails lab 0: start shows lab 0's screen and exits 1.
out=$("$course" start --target "$starter" </dev/null 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "start on the starter: expected exit status 1, got $rc"
expect "== Lab 0: blocking-echo =="
expect "Files to edit: labs/server/connection_io.cpp labs/server/accept_loop.cpp"
expect "Progress:      [.............................."
# Its first failure, as grade reports it (what the failure says depends on
# how far the stub got: the TODO is in the server's stderr, when it was read).
expect "FAIL    0/"
expect "s  Lab0."
expect "Rerun only this test:"
expect "Hint: "
expect "Read: labs/00-blocking-echo/README.md   Grade it all: tools/course grade 0"
case "$out" in *"Watching"*) fail "start watched without a terminal";; esac

# Lab 0 solved: start moves on to lab 1.
out=$("$course" start --target "$solved_to_0" </dev/null 2>&1); rc=$?
[ "$rc" -eq 1 ] || fail "start on solved_to_0: expected exit status 1, got $rc"
expect "== Lab 1: fork-per-client =="
expect "s  Lab1."
echo "start: ok"

# status: one row per stage, the starter passing no test.
out=$("$course" status --target "$starter" </dev/null 2>&1); rc=$?
[ "$rc" -eq 0 ] || fail "status: expected exit status 0, got $rc"
expect "Lab   Topic                    Points    Tests"
expect "0     blocking-echo            0/"
rows=$(printf '%s\n' "$out" | grep -c '^[0-9]')
[ "$rows" -eq "$stage_count" ] || fail "status: expected $stage_count rows, got $rows"
printf '%s\n' "$out" | grep '^[0-9]' | grep -qv '\[\.\{30\}\] 0/[1-9][0-9]* tests$' && fail "status: a lab the starter passes a test of"
echo "status: ok"
