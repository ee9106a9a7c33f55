#!/bin/sh
# compare_three_servers.sh PAPAYA_BENCH PAPAYAD GOREF FLOOR_JSON: papaya-bench
# compare of three servers, each at its own --stages entry, against a floor
# file as papaya-bench floor --json writes it (a fixed one: measuring the floor
# here would make the test depend on how busy the machine is).
# Fails unless the run exits 0, summary.csv has one correct row per server,
# each server ran at its own stage (stage 8: one process, one thread; stage 7:
# one process, a thread pair per client) and CPU per delivery is also given as a multiple of the floor,
# and papaya-bench summarize makes the same rows again from runs.csv, explaining each stage.
set -eu
bench="$1" papayad="$2" goref="$3" floor="$4"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/table.txt" 2>/dev/null; exit 1; }

"$bench" compare "$papayad" "$papayad" "$goref" --stages 7,8,6 --label threads --label "event loop" \
  --label goref --workload chat --clients 4 --repeat 1 --rate 20 --warmup 0.5 --duration 1 --drain 5 \
  --interval-ms 100 --floor "$floor" --out "$tmp/out" --no-plots >"$tmp/table.txt" 2>&1 ||
  fail "papaya-bench compare exited $?"
grep -q "floor (kernel)" "$tmp/table.txt" || fail "no floor row in the table"

# One line per server: label, runs, correct runs, processes, threads, multiple of the floor.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { print $c["label"] "|" $c["runs"] "|" $c["correct_runs"] "|" $c["processes"] "|" $c["threads"] "|" \
                 $c["floor_multiple"] }' \
  "$tmp/out/summary.csv" >"$tmp/rows"
[ "$(wc -l <"$tmp/rows")" -eq 3 ] || fail "summary.csv has $(wc -l <"$tmp/rows") rows, not 3"
while IFS='|' read -r label runs correct processes threads multiple; do
  [ "$runs" = 1 ] && [ "$correct" = 1 ] || fail "$label: $correct of $runs runs correct"
  awk -v m="$multiple" 'BEGIN { exit !(m > 0) }' || fail "$label: no multiple of the floor ($multiple)"
  case "$label" in
    threads) [ "$processes" = 1 ] && [ "$threads" -ge 9 ] ||
      fail "threads (stage 7) ran $processes processes, $threads threads for 4 clients: not stage 7?" ;;
    "event loop") [ "$processes" = 1 ] && [ "$threads" = 1 ] ||
      fail "event loop (stage 8) ran $processes processes, $threads threads: not stage 8?" ;;
    goref) ;;
    *) fail "unexpected server $label" ;;
  esac
done <"$tmp/rows"

"$bench" summarize "$tmp/out" --floor "$floor" --no-plots >"$tmp/again.txt" 2>&1 ||
  { cat "$tmp/again.txt"; fail "papaya-bench summarize exited $?"; }
rows() { grep -E '^ +4 \|' "$1" | cut -d'|' -f2,3; }
[ "$(rows "$tmp/table.txt")" = "$(rows "$tmp/again.txt")" ] ||
  { cat "$tmp/again.txt"; fail "summarize's rows (above) differ from compare's"; }
for stage in 6 7 8; do
  grep -q "^Stage $stage " "$tmp/again.txt" || { cat "$tmp/again.txt"; fail "summarize does not explain stage $stage"; }
done
echo "compare of three servers: every run correct, each at its stage, against the floor; summarize agrees"
