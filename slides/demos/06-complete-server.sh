#!/usr/bin/env bash
# Live demo, lab 6: papayad as a daemon; the paper's availability claim
# (SIGSTOP, then SIGKILL, of the acceptor while clients keep chatting); and a
# short live CPU comparison with the Go server (papaya-bench, whole process
# tree). Run: tools/course demo 6 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
side_pane
PIDFILE="$DEMO_TMP/papayad.pid"

title "Lab 6: the complete server"
step "papayad --daemon returns once the daemon listens; the pidfile names the daemon"
printf '%s$ %s%s\n' "$B" "$PAPAYAD --daemon --pidfile $PIDFILE --port 0 --bind 127.0.0.1 --log $DEMO_TMP/chat.log" "$N"
"$PAPAYAD" --daemon --pidfile "$PIDFILE" --port 0 --bind 127.0.0.1 --log "$DEMO_TMP/chat.log" $(allow_root) \
  2>"$DEMO_TMP/daemon.err" </dev/null || { cat "$DEMO_TMP/daemon.err" >&2; fail "papayad --daemon failed"; }
ok "the launcher exited with status 0"
daemon="$(cat "$PIDFILE")"
printf '%s\n' "$daemon" >>"$DEMO_TMP/extra-pids"
[ -n "$DEMO_PANE" ] && printf '%s\n' "$daemon" >>"$DEMO_TMP/roots"
line="$(grep -m1 '^READY port=' "$DEMO_TMP/daemon.err")"
say "   $line"
port="${line#READY port=}"; port="${port%% *}"
[ "${line##*pid=}" = "$daemon" ] || fail "READY names pid ${line##*pid=}, the pidfile $daemon"
run ps -o pid,ppid,sid,tty,args -p "$daemon"
ok "READY came from the daemon (pid $daemon): its parent is init, no terminal, a session of its own"
pause

step "Three clients chat"
for c in A B C; do connect "$c" 127.0.0.1 "$port"; done
send A "alice: hi all"
for c in A B C; do expect_line "$c" "alice: hi all"; done
forest "$daemon"
pause

step "SIGSTOP the acceptor: connected clients keep chatting"
run kill -STOP "$daemon"
stopped() { grep -q '^State:.*T' "/proc/$daemon/status"; }
wait_until 5 "the acceptor stopped" stopped
send B "bob: the door is shut, the room is not"
for c in A B C; do expect_line "$c" "bob: the door is shut, the room is not"; done
connect D 127.0.0.1 "$port"
expect_silence D 1
ok "a new client D is connected (kernel backlog) but not served: nobody accepts it"
pause

step "SIGCONT: the acceptor resumes and D is served (it gets the history)"
run kill -CONT "$daemon"
expect_line D "bob: the door is shut, the room is not" 5
ok "D is in"
disconnect D
pause

step "SIGKILL the acceptor: the port closes, the clients already in keep chatting"
# Its children outlive it: keep their pids for the cleanup.
tree_pids "$daemon" | tail -n +2 >>"$DEMO_TMP/extra-pids"
run kill -KILL "$daemon"
gone() { ! kill -0 "$daemon" 2>/dev/null; }
wait_until 5 "the acceptor gone" gone
send C "carol: still talking"
for c in A B C; do expect_line "$c" "carol: still talking"; done
refused() { connect_fails 127.0.0.1 "$port"; }
wait_until 5 "the port closed" refused
ok "no new client can connect, and A, B, C chat on: the paper's availability argument (section IV)"
for c in A B C; do disconnect "$c"; done
pause

step "Live CPU comparison with the Go server: the same chat load, measured over the whole process tree"
if [ -x "$BENCH" ] && [ -x "$GOREF" ]; then
  duration="${DEMO_BENCH_SECONDS:-3}"
  [ "$DEMO_INTERACTIVE" = 1 ] || duration=2
  cmd=("$BENCH" compare "$PAPAYAD" "$GOREF" --stage 6 --clients 16 --repeat 1 --duration "$duration"
       --warmup 0.5 --no-plots --out "$DEMO_TMP/bench")
  run "${cmd[@]}" || say "   (papaya-bench reported invalid runs: a busy machine; the numbers above say which)"
  ok "the table: papayad (A) against goref (B); more runs and plots: tools/course compare 6"
else
  skip "papaya-bench or goref is not built (tools/course demo 6 builds them)"
fi
