#!/usr/bin/env bash
# Live demo, lab 8: one event loop. Two clients chat, then 2000 more connect
# from this one shell: the server still has one thread (/proc/PID/task), one
# descriptor per client and a few hundred bytes of memory each (VmRSS); one
# line to every client is read from the log once and sent once per client
# (strace -c); the clients leave and SIGTERM ends the loop.
# Run: tools/course demo 8 [--ci]   (DEMO_CLIENTS=N for another count)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
# A sanitizer build's leak check cannot run under strace (ptrace): it would turn exit 0 into 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
side_pane
MANY="${DEMO_CLIENTS:-2000}"

# One descriptor per client in this shell, and one in the server, which inherits the limit.
want=$((MANY + 64))
soft="$(ulimit -Sn)" hard="$(ulimit -Hn)"
if [ "$soft" != unlimited ] && [ "$soft" -lt "$want" ]; then
  if [ "$hard" = unlimited ] || [ "$hard" -ge "$want" ]; then
    ulimit -Sn "$want"
  else
    ulimit -Sn "$hard"
    MANY=$((hard - 64))
    [ "$MANY" -ge 100 ] || fail "the descriptor limit (ulimit -Hn $hard) is too low for this demo"
    say "   (ulimit -Hn is $hard: $MANY clients instead of ${DEMO_CLIENTS:-2000})"
  fi
fi

threads() { ls "/proc/$srv_PID/task" | wc -l; }
fds() { ls "/proc/$srv_PID/fd" | wc -l; }
fds_at_least() { [ "$(fds)" -ge "$1" ]; }
fds_at_most() { [ "$(fds)" -le "$1" ]; }
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$srv_PID/status"; }

title "Lab 8: one event loop"
step "Start the server at stage 8"
start_server srv "$PAPAYAD" --stage 8 --port 0 --bind 127.0.0.1 --log "$DEMO_TMP/chat.log" \
  --max-clients $((MANY + 16)) $(allow_root)
run ps -L -o pid,lwp,stat,wchan:24,comm -p "$srv_PID"
base="$(threads)"
ok "one process, $base thread: it sleeps in epoll_wait"
pause

step "Two clients chat"
for c in A B; do connect "$c" 127.0.0.1 "$srv_PORT"; done
send A "alice: one loop for everyone"
for c in A B; do expect_line "$c" "alice: one loop for everyone"; done
fds0="$(fds)" rss0="$(rss_kib)"
run grep -E '^(Threads|VmRSS):' "/proc/$srv_PID/status"
pause

step "$MANY more clients connect, all from this one shell"
printf '%s$ for i in $(seq %d); do exec {fd}<>/dev/tcp/127.0.0.1/%s; done%s\n' "$B" "$MANY" "$srv_PORT" "$N"
for ((i = 1; i <= MANY; i++)); do
  exec {fd}<>"/dev/tcp/127.0.0.1/$srv_PORT"
  DEMO_FD[c$i]=$fd
  if ((i % 500 == 0 || i == MANY)); then
    wait_until 10 "the server accepted $i clients" fds_at_least $((fds0 + i))
    say "   $i connected; the server: $(threads) thread, $(fds) descriptors"
  fi
done
run sh -c "ls /proc/$srv_PID/task | wc -l"
[ "$(threads)" -eq "$base" ] || fail "the server has $(threads) threads with $MANY more clients, $base before"
run grep -E '^(Threads|VmRSS):' "/proc/$srv_PID/status"
rss1="$(rss_kib)"
ok "still $base thread; VmRSS +$((rss1 - rss0)) KiB for $MANY clients: about $(((rss1 - rss0) * 1024 / MANY)) bytes each"
say "   (what the loop keeps per client; the sockets' buffers are kernel memory, not in VmRSS)"
pause

step "One line to $((MANY + 2)) clients: read from the log once, then one send per client"
tracer=""
if command -v strace >/dev/null; then
  strace -q -c -e trace=pread64,sendto -o "$DEMO_TMP/strace.txt" -p "$srv_PID" 2>"$DEMO_TMP/strace.err" &
  tracer=$!
  printf '%s\n' "$tracer" >>"$DEMO_TMP/extra-pids"
  traced() { grep -qE '^TracerPid:\s+[1-9]' "/proc/$srv_PID/status"; }
  for ((i = 0; i < 100; i++)); do
    traced && break
    kill -0 "$tracer" 2>/dev/null || break
    sleep 0.05
  done
  if ! traced; then
    kill "$tracer" 2>/dev/null; wait "$tracer" 2>/dev/null || true
    tracer=""
    skip "strace could not attach ($(head -n 1 "$DEMO_TMP/strace.err")): no counts this time"
  fi
else
  skip "strace is not installed (apt-get install strace): no counts this time"
fi
send A "alice: hello, all $((MANY + 2)) of you"
for c in A B c1 "c$MANY"; do expect_line "$c" "alice: hello, all $((MANY + 2)) of you" 10; done
if [ -n "$tracer" ]; then
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  run cat "$DEMO_TMP/strace.txt"
  calls() { awk -v s="$1" '$NF == s { print $4 }' "$DEMO_TMP/strace.txt"; }
  preads="$(calls pread64)" sends="$(calls sendto)"
  # The tracer stops once four clients have the line: the loop may still be
  # sending to the others, so the count is at most MANY + 2, not exactly.
  [ "${sends:-0}" -ge 100 ] || fail "expected hundreds of sendto calls, strace counted ${sends:-0}"
  [ "${preads:-0}" -lt 10 ] || fail "expected a few pread64 calls, strace counted $preads"
  ok "${preads:-0} pread64 (the writer's look at the log's last byte, and one read of the new line"
  say "   for everybody) against $sends sendto: a SEND thread or process per client would pread each"
fi
pause

step "The $MANY clients leave"
for ((i = 1; i <= MANY; i++)); do
  fd="${DEMO_FD[c$i]}"
  exec {fd}>&-
  unset "DEMO_FD[c$i]"
done
say "   $MANY clients disconnected"
wait_until 10 "the server closed their sockets" fds_at_most "$fds0"
run grep -E '^(Threads|VmRSS):' "/proc/$srv_PID/status"
ok "$(threads) thread throughout; $(fds) descriptors, as before they came"
pause

step "SIGTERM: the loop reads it from its signalfd, closes every client, exits 0"
stop_server srv
for c in A B; do expect_eof "$c"; done
ok "both clients closed, the process gone"
