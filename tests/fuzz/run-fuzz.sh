#!/usr/bin/env bash
# run-fuzz.sh FUZZER SEED_CORPUS WORK_DIR SECONDS [libFuzzer options...]
# Replays the committed corpus (seeds and past crashes: a regression fails
# here first), then fuzzes for SECONDS. New inputs go to WORK_DIR/corpus,
# never into the committed one; a crash is saved as WORK_DIR/crash-* and its
# report printed. Exit status: libFuzzer's (0 when nothing was found).
set -euo pipefail
fuzzer="$1" seeds="$2" work="$3" seconds="$4"
shift 4
mkdir -p "$work/corpus"
log="$work/fuzz.log"
status=0
# -rss_limit_mb: ASan's shadow counts; -timeout: one input hanging 10 s is a bug.
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
  -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds" >"$log" 2>&1 || status=$?
# The last status line has libFuzzer's cov:/ft:/exec/s figures.
grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log"
  echo "run-fuzz: $(basename "$fuzzer") failed (exit $status); inputs: $(ls "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-* 2>/dev/null | tr '\n' ' ')"
fi
exit "$status"
