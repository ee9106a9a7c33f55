#!/usr/bin/env bash
# Live demo, lab 3: the process clusters (acceptor, anchor, RECV + SEND per
# client), SIGUSR1 blocked in SEND, and a signal storm that changes nothing:
# every process survives and a line still reaches every client exactly once.
# Run: tools/course demo 3 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
side_pane
STORM=5000

title "Lab 3: multicast with SIGUSR1"
step "Start the server at stage 3; three clients connect"
start_server srv "$PAPAYAD" --stage 3 --port 0 --bind 127.0.0.1 --log "$DEMO_TMP/chat.log" $(allow_root)
for c in A B C; do connect "$c" 127.0.0.1 "$srv_PORT"; done
eight() { [ "$(tree_pids "$srv_PID" | wc -l)" -eq 8 ]; }
wait_until 5 "acceptor + anchor + 2 x 3 processes" eight
forest "$srv_PID"
# The anchor is the acceptor's child that leads its own process group.
anchor="$(ps -o pid=,pgid= --ppid "$srv_PID" | awk '$1 == $2 { print $1 }')"
[ -n "$anchor" ] || fail "no anchor process (a child of the acceptor leading its own group)"
mapfile -t senders < <(ps -e -o pid=,pgid= | awk -v g="$anchor" '$2 == g && $1 != g { print $1 }')
[ "${#senders[@]}" = 3 ] || fail "expected 3 SEND processes in group $anchor, found ${#senders[@]}"
ok "acceptor, anchor $anchor (group leader), and RECV + SEND per client; SEND group = ${senders[*]}"
pause

step "Where does a SEND process wait? In sigwaitinfo, for SIGUSR1"
waiting() { grep -q sigtimedwait "/proc/$1/wchan"; }
wait_until 5 "SEND ${senders[0]} waiting in sigwaitinfo" waiting "${senders[0]}"
run cat "/proc/${senders[0]}/wchan"; echo
run grep -E '^Sig(Blk|Ign|Cgt)' "/proc/${senders[0]}/status"
ok "it sleeps in (rt_)sigtimedwait. SigBlk reads 0 right now: while it waits, the kernel"
say "   unblocks the awaited signal; at every other moment SIGUSR1 (mask 0x200) is blocked,"
say "   so a signal that arrives while SEND is busy writing stays pending instead of being lost"
pause

step "A chat line: RECV appends it and sends one SIGUSR1 to the group; every client gets it"
send A "alice: hello, everyone"
for c in A B C; do expect_line "$c" "alice: hello, everyone"; done
pause

step "A signal storm: $STORM x SIGUSR1 to the SEND group, and 1000 to the acceptor"
mapfile -t before < <(tree_pids "$srv_PID" | sort)
printf '%s$ for i in $(seq %d); do kill -USR1 -%s; done%s\n' "$B" "$STORM" "$anchor" "$N"
for ((i = 0; i < STORM; i++)); do kill -USR1 -- "-$anchor"; done
printf '%s$ for i in $(seq 1000); do kill -USR1 %s; done%s\n' "$B" "$srv_PID" "$N"
for ((i = 0; i < 1000; i++)); do kill -USR1 "$srv_PID"; done
mapfile -t after < <(tree_pids "$srv_PID" | sort)
[ "${before[*]}" = "${after[*]}" ] || fail "processes changed: before ${before[*]}, after ${after[*]}"
ok "all ${#after[@]} processes are still there (the acceptor ignores SIGUSR1; SEND has it blocked)"
for c in A B C; do expect_silence "$c" 0.3; done
ok "spurious wakeups sent nothing: there was nothing new in the log"
pause

step "After the storm a line still reaches every client, exactly once"
send B "bob: still here"
for c in A B C; do expect_line "$c" "bob: still here"; done
for c in A B C; do expect_silence "$c" 0.3; done
ok "delivered once to each client"
pause

step "SIGTERM stops every process"
for c in A B C; do disconnect "$c"; done
stop_server srv
