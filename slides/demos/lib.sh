# Shared by the live demos (slides/demos/NN-*.sh); sourced, not run.
#
# A demo is a list of steps. In a terminal it waits for Enter between steps
# (the instructor talks); with --ci, or without a terminal, it runs straight
# through. Every wait has a deadline, every server and client it starts is
# stopped on exit (trap), and a failed expectation ends the demo with status 1.
#
# Binaries come from PAPAYA_BUILD (a CMake build tree; tools/course demo and
# ctest set it), else the first of build/default, build/ci, build/release.

set -euo pipefail

DEMO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEMO_INTERACTIVE=1
for arg in "$@"; do
  [ "$arg" = --ci ] && DEMO_INTERACTIVE=0
done
[ -t 0 ] && [ -t 1 ] || DEMO_INTERACTIVE=0
[ -n "${CI:-}" ] && DEMO_INTERACTIVE=0

if [ -z "${PAPAYA_BUILD:-}" ]; then
  for candidate in default ci release debug; do
    if [ -x "$DEMO_ROOT/build/$candidate/chatserver/papayad" ]; then PAPAYA_BUILD="$DEMO_ROOT/build/$candidate"; break; fi
  done
fi
PAPAYA_BUILD="${PAPAYA_BUILD:-$DEMO_ROOT/build/default}"
PAPAYAD="$PAPAYA_BUILD/chatserver/papayad"
GOREF="$PAPAYA_BUILD/tools/goref/goref"
BENCH="$PAPAYA_BUILD/tools/bench/papaya-bench"

DEMO_TMP="$(mktemp -d /tmp/papaya-demo.XXXXXX)"
DEMO_PIDS=()         # every server started, for the cleanup
declare -A DEMO_FD   # client name -> file descriptor
DEMO_PANE=""

if [ -t 1 ]; then B=$'\e[1m'; D=$'\e[2m'; G=$'\e[32m'; R=$'\e[31m'; Y=$'\e[33m'; N=$'\e[0m'; else B= D= G= R= Y= N=; fi

say()   { printf '%s\n' "$*"; }
title() { printf '\n%s== %s ==%s\n' "$B" "$*" "$N"; }
step()  { printf '\n%s>> %s%s\n' "$Y" "$*" "$N"; }
ok()    { printf '%s   ok: %s%s\n' "$G" "$*" "$N"; }
fail()  { printf '%s   FAILED: %s%s\n' "$R" "$*" "$N" >&2; exit 1; }
skip()  { printf '%s   skipped: %s%s\n' "$D" "$*" "$N"; }

# run CMD...: shows the command, then runs it.
run() { printf '%s$ %s%s\n' "$B" "$*" "$N"; "$@"; }

pause() {
  [ "$DEMO_INTERACTIVE" = 1 ] || return 0
  read -r -p "${D}   [Enter]${N} " _ || true
}

need() {  # need FILE WHAT: the binary must exist
  [ -x "$1" ] || fail "$2 not built: $1 (run: tools/course demo N, which builds it)"
}

# Every descendant of the given pids, the pids included, one per line.
tree_pids() {
  local all pid
  all="$(ps -e -o pid=,ppid=)"
  local -a queue=("$@") out=()
  while [ ${#queue[@]} -gt 0 ]; do
    pid="${queue[0]}"; queue=("${queue[@]:1}")
    [ -d "/proc/$pid" ] || continue
    out+=("$pid")
    while read -r child parent; do
      [ "$parent" = "$pid" ] && queue+=("$child")
    done <<<"$all"
  done
  printf '%s\n' "${out[@]}"
}

forest() {  # forest PID...: ps --forest of those processes' trees
  local list
  list="$(tree_pids "$@" | paste -sd, -)"
  [ -n "$list" ] || { say "   (no process left)"; return 0; }
  run ps --forest -o pid,ppid,pgid,user,stat,args -p "$list"
}

# wait_until SECONDS WHAT CMD...: polls CMD until it succeeds, or fails the demo.
wait_until() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "after ${seconds}s: $what"
    sleep 0.05
  done
}

# start_server NAME CMD...: starts a server (stderr to $DEMO_TMP/NAME.err) and
# waits for its READY line; sets NAME_PID and NAME_PORT.
start_server() {
  local name="$1"; shift
  printf '%s$ %s &%s\n' "$B" "$*" "$N"
  "$@" 2>"$DEMO_TMP/$name.err" >"$DEMO_TMP/$name.out" </dev/null &
  local pid=$!
  DEMO_PIDS+=("$pid")
  [ -n "$DEMO_PANE" ] && printf '%s\n' "$pid" >>"$DEMO_TMP/roots"
  local deadline=$((SECONDS + 10)) line=""
  while :; do
    line="$(grep -m1 '^READY port=' "$DEMO_TMP/$name.err" 2>/dev/null || true)"
    [ -n "$line" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$DEMO_TMP/$name.err" >&2
      fail "$name exited before READY"
    fi
    [ $SECONDS -lt $deadline ] || fail "$name printed no READY line within 10 s"
    sleep 0.05
  done
  local port="${line#READY port=}"; port="${port%% *}"
  printf -v "${name}_PID" '%s' "$pid"
  printf -v "${name}_PORT" '%s' "$port"
  # The server's own pid (differs from NAME_PID when a wrapper such as strace runs it).
  printf -v "${name}_SERVERPID" '%s' "${line##*pid=}"
  say "   $line"
}

# stop_server NAME: SIGTERM, wait for the exit status (must be 0).
stop_server() {
  local name="$1" pidvar="${1}_PID" serverpidvar="${1}_SERVERPID"
  local pid="${!pidvar}" status=0
  run kill -TERM "${!serverpidvar}"
  wait "$pid" || status=$?
  [ "$status" = 0 ] || fail "$name exited with status $status"
  ok "$name exited with status 0"
}

# connect NAME HOST PORT: a client on a bash /dev/tcp descriptor.
connect() {
  local name="$1" host="$2" port="$3" fd
  exec {fd}<>"/dev/tcp/$host/$port"
  DEMO_FD[$name]=$fd
  say "   $name connected to $host port $port"
}

connect_fails() {  # connect_fails HOST PORT: true when the connection is refused
  ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

send() {  # send NAME LINE
  printf '%s\n' "$2" >&"${DEMO_FD[$1]}"
  say "   $1 sends: $2"
}

send_raw() {  # send_raw NAME BYTES (no newline added)
  printf '%s' "$2" >&"${DEMO_FD[$1]}"
}

# expect_line NAME TEXT [SECONDS]: reads lines until one equals TEXT.
expect_line() {
  local name="$1" want="$2" seconds="${3:-3}" line
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if IFS= read -r -t 1 line <&"${DEMO_FD[$name]}"; then
      say "   $name receives: $line"
      [ "$line" = "$want" ] && return 0
    fi
  done
  fail "$name did not receive '$want' within ${seconds}s"
}

# expect_silence NAME SECONDS: nothing arrives for that long (a negative check).
expect_silence() {
  local name="$1" seconds="$2" line
  if IFS= read -r -t "$seconds" line <&"${DEMO_FD[$name]}"; then
    fail "$name received '$line' but expected nothing"
  fi
  say "   $name: nothing received in ${seconds}s"
}

# expect_eof NAME [SECONDS]: the server closed the connection.
expect_eof() {
  local name="$1" seconds="${2:-3}" line
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if IFS= read -r -t 1 line <&"${DEMO_FD[$name]}" 2>/dev/null; then
      fail "$name received '$line' but expected the connection to close"
    elif [ $? -le 128 ]; then  # not a timeout: end of file
      say "   $name: the server closed the connection"
      return 0
    fi
  done
  fail "$name's connection is still open after ${seconds}s"
}

disconnect() {
  local fd="${DEMO_FD[$1]}"
  exec {fd}>&-
  unset "DEMO_FD[$1]"
  say "   $1 disconnected"
}

cleanup() {
  local status=$?
  set +e
  local name fd
  for name in "${!DEMO_FD[@]}"; do fd="${DEMO_FD[$name]}"; exec {fd}>&-; done
  local -a pids=()
  [ ${#DEMO_PIDS[@]} -gt 0 ] && mapfile -t pids < <(tree_pids "${DEMO_PIDS[@]}")
  if [ -s "$DEMO_TMP/extra-pids" ]; then
    local p; while read -r p; do mapfile -t -O "${#pids[@]}" pids < <(tree_pids "$p"); done <"$DEMO_TMP/extra-pids"
  fi
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null
    local deadline=$((SECONDS + 3)) alive
    while :; do
      alive=0
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive = 0 ] || [ $SECONDS -ge $deadline ] && break
      sleep 0.05
    done
    kill -KILL "${pids[@]}" 2>/dev/null
  fi
  [ -n "$DEMO_PANE" ] && tmux kill-pane -t "$DEMO_PANE" 2>/dev/null
  rm -rf "$DEMO_TMP"
  if [ $status = 0 ]; then printf '\n%sdemo finished%s\n' "$G" "$N"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# In CI nothing may run for ever: a watchdog ends the demo after DEMO_LIMIT s.
if [ "$DEMO_INTERACTIVE" = 0 ]; then
  ( trap - EXIT; sleep "${DEMO_LIMIT:-90}"; kill -TERM $$ 2>/dev/null ) &
  DEMO_WATCHDOG=$!
  printf '%s\n' "$DEMO_WATCHDOG" >>"$DEMO_TMP/extra-pids"
fi

# In tmux, a side pane shows the servers' process trees live.
side_pane() {
  [ "$DEMO_INTERACTIVE" = 1 ] && [ -n "${TMUX:-}" ] && command -v tmux >/dev/null || return 0
  : >"$DEMO_TMP/roots"
  DEMO_PANE="$(tmux split-window -h -d -P -F '#{pane_id}' \
    "bash '$DEMO_ROOT/slides/demos/watch-tree.sh' '$DEMO_TMP/roots'")" || DEMO_PANE=""
}

allow_root() {  # the flags a server needs when the demo runs as root
  if [ "$(id -u)" = 0 ]; then printf -- '--allow-root'; fi
}

cd "$DEMO_TMP"
