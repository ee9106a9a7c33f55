#!/usr/bin/env bash
# Live demo, lab 0: the blocking echo server serves one client at a time; a
# second client is connected (the kernel queued it) but gets no echo until the
# first one leaves. Run: tools/course demo 0 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad

title "Lab 0: one client at a time"
step "Start the server at stage 0 (an iterative echo server) on a free port"
start_server srv "$PAPAYAD" --stage 0 --port 0 --bind 127.0.0.1 $(allow_root)
pause

step "Client A connects and is echoed"
connect A 127.0.0.1 "$srv_PORT"
send A "hello from A"
expect_line A "hello from A"
ok "A is being served"
pause

step "Client B connects: the connection succeeds (the kernel completed the handshake)..."
connect B 127.0.0.1 "$srv_PORT"
send B "hello from B"
expect_silence B 1
ok "B is connected but not served: it waits in the listen backlog"
step "The listening socket's queue: Recv-Q counts connections not accepted yet"
run ss -ltn "sport = :$srv_PORT"
pause

step "A leaves: the server accepts B, and B's bytes, waiting in its socket, come back at once"
disconnect A
expect_line B "hello from B" 3
ok "B is served now"
pause

step "SIGTERM stops the server"
disconnect B
stop_server srv
