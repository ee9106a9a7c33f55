#!/usr/bin/env bash
# Fails when a tracked file names a path outside the repository. Students get a clone and
# nothing else, and committed files must not depend on the machine they were written on:
#   - the machines' work folder (/work) and /home/<user>/... (/Users/<user>/ on macOS): where
#     the course is written;
#     (/home/ana is allowed: "ana" is the example user of the client's docs and tests);
#   - this checkout's own absolute path, wherever it is (covers /root/<checkout>, /srv/...);
#   - the developers' shared folder: ../shared, its paper and hooks folders, or a path in
#     quotes, backticks or a link that starts with it (the paper is docs/paper.md).
# The patterns below are spelled in pieces, so that this script does not name what it finds.
# System paths (/usr, /etc, /var, /proc, /tmp, /root/chat.log in an admin example) are the
# same on every machine and stay allowed; prose such as "shared/exclusive" too.
# Usage: check-paths.sh [REPO]   (default: the repository holding this script)
# Exit: 0 clean, 1 offending lines (listed), 77 not a git checkout (ctest: skipped), 2 error.
set -euo pipefail
repo="${1:-$(dirname "$0")/../..}"
self="tests/staff/check-paths.sh"

if [ ! -e "$repo/.git" ]; then
  echo "$repo is not a git checkout: nothing to check"
  exit 77
fi
# Reading only, so any owner of the checkout will do (a CI container may run as another user).
git=(git -c safe.directory='*' -C "$repo")
top="$("${git[@]}" rev-parse --show-toplevel)" || exit 2
# Tracked files as they are in the working tree, except this script (it spells the patterns).
files=(-- ":(top,exclude)$self")

# grep NAME ARGS...: the lines git grep finds in the tracked files, each prefixed with NAME.
found=""
grep_rule() {
  local name="$1"; shift
  local out rc=0
  out="$("${git[@]}" grep -nI "$@" "${files[@]}")" || rc=$?
  [ "$rc" -le 1 ] || { echo "git grep failed ($rc) for rule: $name" >&2; exit 2; }
  [ -n "$out" ] && found+="$(sed "s|^|[$name] |" <<<"$out")"$'\n'
  return 0
}

# Before a path: the start of the line or a character that cannot end a path component
# (nor a variable, as in ${BUILD}/x/, which is a path below that variable).
b='(^|[^[:alnum:]_.~})$-])'
work="/wor""k/"
grep_rule "machine path $work" -E "$b$work"
# -o: one match per output line, so the allowed example user is filtered match by match.
home="$("${git[@]}" grep -nIoE "$b/(home|Users)/[^/[:space:]\`\"')]+" "${files[@]}" || true)"
home="$(grep -vE ':[^[:alnum:]_.~-]?/home/ana$' <<<"$home" || true)"
[ -n "$home" ] && found+="$(sed 's|^|[home directory] |' <<<"$home")"$'\n'
if [ "$top" != "/" ]; then
  escaped="$(sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$top")"
  grep_rule "this checkout's absolute path" -E "$b$escaped([^[:alnum:]_.-]|$)"
fi
shared="shar""ed"
grep_rule "developers' shared folder" -E "(\.\./)+$shared([^[:alnum:]_-]|$)|$shared/(paper|hooks)|[\`\"'(<]$shared/"

if [ -n "$found" ]; then
  printf '%s' "$found"
  echo "The lines above name a path outside the repository: a student's clone has no such file."
  echo "Write paths relative to the repository (the paper's facts are in docs/paper.md)."
  exit 1
fi
echo "no tracked file names a path outside the repository ($("${git[@]}" ls-files | wc -l) files checked)"
