#!/usr/bin/env bash
# Live demo, lab 2: the chat log shared by processes. Four clients append 200
# lines each at the same time: every line arrives whole; every RECV process
# has its own open file description of the log; strace shows the protocol
# (flock LOCK_EX, one write, LOCK_UN). Run: tools/course demo 2 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
# A sanitizer build's leak check cannot run under strace (ptrace): it would turn exit 0 into 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
command -v nc >/dev/null || fail "nc is not installed (apt-get install netcat-openbsd)"
LOG="$DEMO_TMP/chat.log"
LINES=200

title "Lab 2: the chat log"
step "Start the server at stage 2 (lines go to $LOG)"
start_server srv "$PAPAYAD" --stage 2 --port 0 --bind 127.0.0.1 --log "$LOG" $(allow_root)
pause

step "Four writers, $LINES lines each, all at the same time"
writer() {  # writer N: one connection, LINES lines at once; reads the history it is sent
  local i
  for ((i = 1; i <= LINES; i++)); do printf 'w%d: line %d of %d\n' "$1" "$i" "$LINES"; done |
    timeout 15 nc -N 127.0.0.1 "$srv_PORT" >/dev/null
}
for w in 1 2 3 4; do writer "$w" & done
log_has() { [ -e "$LOG" ] && [ "$(wc -l <"$LOG")" -ge "$1" ]; }
wait_until 20 "$((4 * LINES)) lines in the log" log_has $((4 * LINES))
run wc -l "$LOG"
run tail -n 4 "$LOG"
bad="$(grep -cvE '^w[1-4]: line [0-9]+ of 200$' "$LOG" || true)"
[ "$bad" = 0 ] || fail "$bad lines are not whole records"
for w in 1 2 3 4; do
  n="$(grep -c "^w$w: " "$LOG")"
  [ "$n" = "$LINES" ] || fail "writer $w has $n lines, not $LINES"
done
ok "every line whole, every writer's $LINES lines present, none interleaved"
pause

step "Two connected clients: each RECV process opened the log itself"
connect A 127.0.0.1 "$srv_PORT"
connect B 127.0.0.1 "$srv_PORT"
recv_of_two() { [ "$(ps -o pid= --ppid "$srv_PID" | wc -l)" -ge 2 ]; }
wait_until 5 "two RECV processes" recv_of_two
mapfile -t recv < <(ps -o pid= --ppid "$srv_PID" | tr -d ' ')
for p in "${recv[@]:0:2}"; do
  fd="$(ls -l "/proc/$p/fd" | awk -v f="$LOG" '$NF == f { print $(NF-2) }' | head -n1)"
  [ -n "$fd" ] || fail "process $p has no descriptor of the log"
  say "   RECV $p: descriptor $fd -> $LOG"
  run grep -E '^(pos|flags)' "/proc/$p/fdinfo/$fd"
done
say "   (flags: octal 02000 is O_APPEND, 01 O_WRONLY. One descriptor per RECV, opened after fork:
   each process has its own open file description, so its own lock and offset)"
acceptor_has_log() { ls -l "/proc/$srv_PID/fd" | grep -q "$LOG"; }
if acceptor_has_log; then fail "the acceptor holds the log open: its children would share that description"; fi
ok "the acceptor holds no descriptor of the log"
pause

step "The protocol, live: strace on both RECV processes while A and B each send a line"
if command -v strace >/dev/null; then
  for p in "${recv[@]:0:2}"; do
    strace -q -p "$p" -e trace=flock,write -o "$DEMO_TMP/strace.$p" &
    printf '%s\n' "$!" >>"$DEMO_TMP/extra-pids"
    traced() { grep -qE '^TracerPid:\s+[1-9]' "/proc/$1/status"; }
    wait_until 5 "strace attached to $p" traced "$p"
  done
  send A "alice: is the lock held?"
  send B "bob: exclusively, while I write"
  unlocked_twice() { [ "$(cat "$DEMO_TMP"/strace.* | grep -c LOCK_UN)" -ge 2 ]; }
  wait_until 5 "two writes traced" unlocked_twice
  for p in "${recv[@]:0:2}"; do run cat "$DEMO_TMP/strace.$p"; done
  ok "flock(LOCK_EX), one write of the whole line, flock(LOCK_UN)"
else
  skip "strace is not installed (apt-get install strace)"
fi
pause

step "SIGTERM stops the server"
disconnect A
disconnect B
stop_server srv
