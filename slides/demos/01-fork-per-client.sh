#!/usr/bin/env bash
# Live demo, lab 1: one process per client. ps --forest shows a child appear
# per connection, a child reaped when its client leaves (no zombie), and
# SIGTERM taking every process down. Run: tools/course demo 1 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
side_pane

count_children() { ps -o pid= --ppid "$srv_PID" | wc -l; }
children_are() { [ "$(count_children)" -eq "$1" ]; }
no_zombie() { ! ps -o stat= --ppid "$srv_PID" | grep -q Z; }

title "Lab 1: a process per client"
step "Start the server at stage 1 (fork per client, echo)"
start_server srv "$PAPAYAD" --stage 1 --port 0 --bind 127.0.0.1 $(allow_root)
forest "$srv_PID"
pause

step "Three clients connect"
for c in A B C; do connect "$c" 127.0.0.1 "$srv_PORT"; send "$c" "hi from $c"; expect_line "$c" "hi from $c"; done
wait_until 5 "three client processes" children_are 3
forest "$srv_PID"
ok "one child process per client; all three are served at the same time"
pause

step "B leaves: its process exits and the acceptor reaps it (waitpid on SIGCHLD)"
disconnect B
wait_until 5 "two client processes left" children_are 2
wait_until 5 "no zombie" no_zombie
forest "$srv_PID"
ok "no <defunct> process"
pause

step "SIGTERM to the acceptor: it stops every client process, then exits 0"
mapfile -t before < <(tree_pids "$srv_PID")
stop_server srv
for p in "${before[@]}"; do [ -d "/proc/$p" ] && fail "process $p outlived the server"; done
ok "none of the ${#before[@]} processes is left"
