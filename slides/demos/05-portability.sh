#!/usr/bin/env bash
# Live demo, lab 5: the two portability bugs of the paper (section IV-C).
# It gives the lab away: show it after the lab, with 05-portability-reveal.md.
#  1. The dual-stack listener under net.ipv6.bindv6only=1 (FreeBSD's default),
#     reproduced in a private network namespace (needs root): the given
#     listener serves IPv6 only; papayad serves both. strace shows why.
#  2. The self-resetting handler: two SIGUSR1 kill the given code's acceptor.
# The buggy server is the student's server after lab 4 (the solution's labs
# 0-4 with lab 5's given files: tests/matrix builds it), or DEMO_SERVER.
# Run: tools/course demo 5 [--ci]

# Everything runs in a network namespace of its own when we may make one.
if [ "${DEMO_IN_NETNS:-}" != 1 ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  DEMO_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
# A sanitizer build's leak check cannot run under strace (ptrace): it would turn exit 0 into 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
BUGGY="${DEMO_SERVER:-$PAPAYA_BUILD/tests/matrix/papaya_matrix_solved_to_4}"
need "$BUGGY" "the server of labs 0-4 solved (papaya_matrix_solved_to_4)"
have_strace=0; command -v strace >/dev/null && have_strace=1
trace_into() {  # trace_into FILE: TRACE = the strace prefix writing FILE (empty without strace)
  TRACE=()
  if [ $have_strace = 1 ]; then TRACE=(strace -f -qq -o "$1" -e trace=socket,setsockopt,bind,rt_sigaction); fi
}
show_trace() {  # show_trace FILE REGEX
  if [ $have_strace = 1 ]; then run grep -E "$2" "$1"; else skip "strace is not installed"; fi
}

title "Lab 5: portability"
# Probe first: some containers give root a namespace but a read-only /proc/sys.
netns_ready() {
  [ "${DEMO_IN_NETNS:-}" = 1 ] && [ -e /proc/net/if_inet6 ] &&
    ip link set lo up 2>/dev/null && sysctl -q -w net.ipv6.bindv6only=1 >/dev/null 2>&1
}
if netns_ready; then
  step "A private network namespace (unshare -n): its own loopback and its own sysctls"
  run ip link set lo up
  run sysctl -w net.ipv6.bindv6only=1
  has_v6_loopback() { ip -6 addr show dev lo | grep -q '::1'; }
  wait_until 5 "::1 on lo" has_v6_loopback
  pause

  step "The given listener (no IPV6_V6ONLY call), without --bind: one AF_INET6 socket on [::]"
  trace_into "$DEMO_TMP/bug.strace"
  start_server bug "${TRACE[@]}" "$BUGGY" --stage 0 --port 0 $(allow_root)
  run ss -ltn "sport = :$bug_PORT"
  connect A6 ::1 "$bug_PORT"; send A6 "over IPv6"; expect_line A6 "over IPv6"; disconnect A6
  say "$B\$ exec 3<>/dev/tcp/127.0.0.1/$bug_PORT$N"
  if connect_fails 127.0.0.1 "$bug_PORT"; then
    ok "IPv6 works, IPv4 is refused: the paper's 'listens on IPv6 only' (FreeBSD)"
  else
    fail "the given listener accepted IPv4 with bindv6only=1: is DEMO_SERVER already fixed?"
  fi
  show_trace "$DEMO_TMP/bug.strace" 'socket\(AF_INET6|setsockopt|bind'
  say "   no setsockopt(IPV6_V6ONLY): the socket took the system default, bindv6only=1"
  stop_server bug
  pause

  step "papayad in the same namespace"
  trace_into "$DEMO_TMP/fixed.strace"
  start_server fixed "${TRACE[@]}" "$PAPAYAD" --stage 0 --port 0 $(allow_root)
  connect B6 ::1 "$fixed_PORT"; send B6 "over IPv6"; expect_line B6 "over IPv6"; disconnect B6
  connect B4 127.0.0.1 "$fixed_PORT"; send B4 "over IPv4"; expect_line B4 "over IPv4"; disconnect B4
  show_trace "$DEMO_TMP/fixed.strace" 'socket\(AF_INET6|setsockopt|bind'
  ok "IPV6_V6ONLY set to 0 explicitly: both families on one socket, whatever the host's default"
  stop_server fixed
  pause
else
  step "The bindv6only part needs root, a network namespace with writable sysctls, and IPv6"
  skip "one of them is missing here: see labs/05-portability/README.md to reproduce it by hand"
fi

step "The second bug: the given ignore_signal() installs a handler with SA_RESETHAND"
trace_into "$DEMO_TMP/bug2.strace"
start_server bug2 "${TRACE[@]}" "$BUGGY" --stage 0 --port 0 --bind 127.0.0.1 $(allow_root)
show_trace "$DEMO_TMP/bug2.strace" 'rt_sigaction\(SIGUSR1'
pid="$bug2_SERVERPID"
caught_usr1() { local m; m="$(awk '/^SigCgt/ { print $2 }' "/proc/$pid/status")"; (( 16#$m & 0x200 )); }
caught_usr1 || fail "the acceptor does not catch SIGUSR1: is DEMO_SERVER already fixed?"
run kill -USR1 "$pid"
reset_to_default() { ! caught_usr1; }
wait_until 5 "the handler to reset itself" reset_to_default
say "   after one SIGUSR1: alive, but SigCgt no longer has SIGUSR1: the disposition is back to the default"
run kill -USR1 "$pid"
dead() { ! kill -0 "$pid" 2>/dev/null || grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; }
wait_until 5 "the acceptor to die" dead
status=0; wait "$bug2_PID" || status=$?
say "   exit status $status (128 + 10: killed by SIGUSR1)"
[ "$status" -ne 0 ] || fail "the acceptor survived"
ok "the second stray SIGUSR1 killed the whole server"
pause

step "papayad: SIGUSR1 is ignored (SIG_IGN), however many arrive"
trace_into "$DEMO_TMP/good.strace"
start_server good "${TRACE[@]}" "$PAPAYAD" --stage 0 --port 0 --bind 127.0.0.1 $(allow_root)
show_trace "$DEMO_TMP/good.strace" 'rt_sigaction\(SIGUSR1'
for ((i = 0; i < 100; i++)); do kill -USR1 "$good_SERVERPID"; done
say "$B\$ for i in \$(seq 100); do kill -USR1 $good_SERVERPID; done$N"
connect C 127.0.0.1 "$good_PORT"; send C "still serving"; expect_line C "still serving"; disconnect C
ok "alive and serving after 100 signals"
stop_server good
