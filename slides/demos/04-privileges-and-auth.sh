#!/usr/bin/env bash
# Live demo, lab 4: as root, papayad --user nobody: every process runs as
# nobody without supplementary groups; a key split in three segments is
# accepted; a wrong key is closed without a reply. Not root: the key part only.
# Run: tools/course demo 4 [--ci]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need "$PAPAYAD" papayad
side_pane
KEY="$DEMO_TMP/key"
(umask 077 && head -c 128 < <(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom) >"$KEY")
key="$(cat "$KEY")"

title "Lab 4: a key, a deadline, and no root"
declare -a user_flags=()
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  # The service user reopens the log in the demo's directory: let it in.
  chmod 711 "$DEMO_TMP"
  user_flags=(--user nobody)
  step "As root: start papayad with --user nobody (it opens the log and key, binds, then drops root)"
else
  step "Not root (or no user nobody): the privilege part is skipped; start papayad as $(id -un)"
fi
start_server srv "$PAPAYAD" --stage 4 --port 0 --bind 127.0.0.1 --log "$DEMO_TMP/chat.log" \
  --key-file "$KEY" "${user_flags[@]}"
pause

step "Client A sends the 128-byte key in three pieces (40 + 50 + 38 bytes), then a line"
connect A 127.0.0.1 "$srv_PORT"
send_raw A "${key:0:40}"; say "   A sends 40 bytes of the key"
sleep 0.2   # not synchronisation: the pause makes TCP deliver three segments
send_raw A "${key:40:50}"; say "   A sends 50 more"
sleep 0.2
send_raw A "${key:90}"; say "   A sends the last 38"
send A "alice: I am in"
expect_line A "alice: I am in"
ok "accepted: the server read until it had 128 bytes, within one deadline"
pause

if [ ${#user_flags[@]} -gt 0 ]; then
  step "Every process of the service runs as nobody, without supplementary groups"
  connect B 127.0.0.1 "$srv_PORT"; send_raw B "$key"; send B "bob: me too"
  expect_line B "bob: me too"
  mapfile -t procs < <(tree_pids "$srv_PID")
  run ps --forest -o pid,ppid,user,group,args -p "$(IFS=,; echo "${procs[*]}")"
  for p in "${procs[@]}"; do
    uid="$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$p/status")"
    groups="$(awk '/^Groups:/ { $1 = ""; print }' "/proc/$p/status" | tr -d ' ')"
    nobody="$(id -u nobody)"
    [ "$uid" = "$nobody$nobody$nobody$nobody" ] || fail "process $p: Uid line is not nobody's ($uid)"
    [ -z "$groups" ] || fail "process $p still has supplementary groups: $groups"
  done
  run grep -E '^(Uid|Gid|Groups):' "/proc/${procs[0]}/status"
  ok "all ${#procs[@]} processes: real, effective, saved and filesystem uid = nobody; Groups: empty"
  disconnect B
  pause
fi

step "Client C sends a wrong key: the connection is closed, no reply, nothing in the chat log"
connect C 127.0.0.1 "$srv_PORT"
send_raw C "$(printf 'x%.0s' $(seq 128))"
send C "mallory: let me in"
expect_eof C 5
grep -q mallory "$DEMO_TMP/chat.log" && fail "the wrong key's line reached the chat log"
has_log_line() { grep -q 'authentication failed' "$DEMO_TMP/srv.err"; }
wait_until 5 "a line about the failed attempt in the server's log" has_log_line
run grep 'authentication failed' "$DEMO_TMP/srv.err"
ok "refused silently; the server's own log says why"
pause

step "SIGTERM stops the service"
disconnect A
disconnect C
stop_server srv
