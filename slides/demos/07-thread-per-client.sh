#!/usr/bin/env bash
# Live demo, lab 7: one thread per client. ps -L shows one process with a
# RECV and a SEND thread per client, growing as clients connect and shrinking
# as they leave (no zombie, no waitpid); what a thread costs in memory (a
# stack reserved, a few pages touched); SIGSTOP stops every client at once
# (the paper's availability argument is gone); SIGTERM ends every thread.
# Run: tools/course demo 7 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
side_pane
MORE=50

threads() { ls "/proc/$srv_PID/task" | wc -l; }
threads_are() { [ "$(threads)" -eq "$1" ]; }
status_kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$srv_PID/status"; }  # VmSize, VmRSS

# many PREFIX N: N more clients on /dev/tcp descriptors, quietly (named PREFIX1 .. PREFIXN).
many() {
  local prefix="$1" n="$2" i fd
  printf '%s$ for i in $(seq %d); do exec {fd}<>/dev/tcp/127.0.0.1/%s; done%s\n' "$B" "$n" "$srv_PORT" "$N"
  for ((i = 1; i <= n; i++)); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$srv_PORT"
    DEMO_FD[$prefix$i]=$fd
  done
  say "   $n clients connected"
}
leave() {  # leave PREFIX N: those clients disconnect
  local prefix="$1" n="$2" i fd
  for ((i = 1; i <= n; i++)); do
    fd="${DEMO_FD[$prefix$i]}"
    exec {fd}>&-
    unset "DEMO_FD[$prefix$i]"
  done
  say "   $n clients disconnected"
}

title "Lab 7: a thread per client"
step "Start the server at stage 7: one process"
start_server srv "$PAPAYAD" --stage 7 --port 0 --bind 127.0.0.1 --log "$DEMO_TMP/chat.log" $(allow_root)
run ps -L -o pid,lwp,stat,wchan:24,comm -p "$srv_PID"
base="$(threads)"
ok "$base thread before any client: the acceptor, waiting in ppoll"
pause

step "Three clients chat: a RECV and a SEND thread each, all in the same process"
for c in A B C; do connect "$c" 127.0.0.1 "$srv_PORT"; done
send A "alice: hello, threads"
for c in A B C; do expect_line "$c" "alice: hello, threads"; done
wait_until 5 "$base + 2 x 3 threads" threads_are $((base + 6))
run ps -L -o pid,lwp,stat,wchan:24,comm -p "$srv_PID"
ok "one PID, $(threads) LWPs (thread ids): the acceptor, then RECV and SEND per client"
futexes="$(for t in /proc/"$srv_PID"/task/*; do cat "$t/wchan" 2>/dev/null; echo; done | grep -c futex || true)"
if [ "$futexes" -ge 3 ]; then
  ok "$futexes threads sleep in a futex wait: the SEND threads, on the condition variable"
else
  skip "this kernel does not show where the threads sleep (/proc/PID/task/TID/wchan)"
fi
pause

step "$MORE more clients: two threads each, and a stack each"
size0="$(status_kib VmSize)"; rss0="$(status_kib VmRSS)"
run grep -E '^(Threads|VmSize|VmRSS):' "/proc/$srv_PID/status"
many m "$MORE"
wait_until 10 "$base + 2 x $((MORE + 3)) threads" threads_are $((base + 2 * (MORE + 3)))
run grep -E '^(Threads|VmSize|VmRSS):' "/proc/$srv_PID/status"
size1="$(status_kib VmSize)"; rss1="$(status_kib VmRSS)"
ok "$((2 * MORE)) more threads: VmSize +$(((size1 - size0) / (2 * MORE))) KiB each (address space reserved: a stack of"
say "   ulimit -s, and glibc's per-thread malloc arenas), VmRSS +$(((rss1 - rss0) / (2 * MORE))) KiB each (pages touched)"
pause

step "They leave: their threads end at once (nothing to reap, unlike lab 1's processes)"
leave m "$MORE"
wait_until 10 "back to $base + 2 x 3 threads" threads_are $((base + 6))
run ps -L -o pid,lwp,stat,comm -p "$srv_PID"
ok "$(threads) threads again; an ended thread leaves no zombie (the next accept joins it)"
pause

step "SIGSTOP the server: every thread stops, so nobody is served (lab 6 stopped only the acceptor)"
run kill -STOP "$srv_PID"
stopped() { grep -q '^State:.*T' "/proc/$srv_PID/status"; }
wait_until 5 "the server stopped" stopped
send B "bob: anyone there?"
for c in A C; do expect_silence "$c" 1; done
ok "the line waits in the socket: one process is the whole service"
run kill -CONT "$srv_PID"
for c in A B C; do expect_line "$c" "bob: anyone there?" 5; done
ok "SIGCONT: it arrives; the paper's availability argument (section IV) needs processes"
pause

step "SIGTERM: the acceptor wakes every session (flag + shutdown), joins every thread, exits 0"
stop_server srv
for c in A B C; do expect_eof "$c"; done
ok "every client's connection closed, the process and its threads gone"
