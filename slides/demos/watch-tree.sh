#!/usr/bin/env bash
# The side pane of a live demo in tmux: the process trees of the servers whose
# pids the demo writes to ROOTS_FILE, refreshed twice a second.
roots_file="$1"
while [ -e "$roots_file" ]; do
  out="$(
    all="$(ps -e -o pid=,ppid=)"
    queue=($(cat "$roots_file" 2>/dev/null)); list=()
    while [ ${#queue[@]} -gt 0 ]; do
      p="${queue[0]}"; queue=("${queue[@]:1}")
      [ -d "/proc/$p" ] || continue
      list+=("$p")
      while read -r c pp; do [ "$pp" = "$p" ] && queue+=("$c"); done <<<"$all"
    done
    if [ ${#list[@]} -gt 0 ]; then
      ps --forest --cols "$(tput cols 2>/dev/null || echo 100)" -o pid,pgid,user,stat,args -p "$(IFS=,; echo "${list[*]}")"
    else
      echo "(no server running)"
    fi
  )"
  clear
  printf 'process trees of the demo (every 0.5 s)\n\n%s\n' "$out"
  sleep 0.5
done
