# The student's commands of tools/course (sourced by it): start, status,
# catch-up, and the course staff's make-starter. Uses ROOT, STATE, GRADE,
# say, die, build, install_packages from tools/course.

# The labs are the folders labs/NN-slug/, in order.
LAB_SLUGS=()
for lab_path in "$ROOT"/labs/[0-9][0-9]-*/; do LAB_SLUGS+=("$(basename "$lab_path")"); done
LAST_STAGE=$((${#LAB_SLUGS[@]} - 1))

lab_dir() { printf 'labs/%s' "${LAB_SLUGS[$1]}"; }

# The stage files of lab $1 (the lab a file belongs to is in its `// @lab N` markers).
lab_files() {
  local f
  for f in "$ROOT"/solutions/server/*.cpp; do
    grep -qE "^ *// @lab $1[:(]" "$f" && basename "$f"
  done
}

# Builds the student's server and the grader. On a compile error shows the
# compiler's messages and returns 1.
build_student_and_grader() {
  local log
  log="$(mktemp)"
  if ! build default papaya_grade papaya-student >"$log" 2>&1; then
    # The compiler's own lines (file:line: error), else the end of the log.
    if grep -qE '(error|warning):' "$log"; then
      grep -E -A3 '(error|warning):' "$log" | head -n 60 >&2
    else
      tail -n 40 "$log" >&2
    fi
    rm -f "$log"
    say "your server does not compile (labs/server/): fix the first error above"
    return 1
  fi
  rm -f "$log"
}

# run_suite K OUT: grades the student's lab K suite alone; the report goes to
# OUT. Prints "passed total points max" of the suite.
run_suite() {
  local k="$1" out="$2"
  (cd "$ROOT" && "$GRADE" "$k" --target student --only "Lab$k.*") >"$out" 2>&1 || true
  awk -v suite="Lab$k." '
    /^(PASS|FAIL|N\/A) / && index($NF, suite) == 1 { total++; if ($1 == "PASS") passed++ }
    /^Stage [0-9]+: / { split($3, s, "/"); points = s[1]; max = s[2] }
    END { printf "%d %d %d %d\n", passed, total, points, max }' "$out"
}

progress_bar() {  # progress_bar PASSED TOTAL
  local passed="$1" total="$2" width=30 filled=0 bar=""
  [ "$total" -gt 0 ] && filled=$((passed * width / total))
  local i
  for ((i = 0; i < width; i++)); do
    if [ "$i" -lt "$filled" ]; then bar+="#"; else bar+="."; fi
  done
  printf '[%s] %d/%d tests' "$bar" "$passed" "$total"
}

# The "## Goal" section of a lab's README, without its heading.
lab_goal() {
  awk '/^## /{ on = ($0 ~ /^## Goal/); next } on' "$ROOT/$(lab_dir "$1")/README.md" 2>/dev/null |
    sed -e '/./,$!d' -e '/^$/d' | head -n 12
}

# The report of the first failing test: from its FAIL line to the next test.
first_failure() {
  awk '/^FAIL / { if (seen) exit; seen = 1 }
       seen && /^(PASS|N\/A) |^Stage [0-9]+: / { exit }
       seen' "$1"
}

# show_stage K OUT PASSED TOTAL: the screen of one stage.
show_stage() {
  local k="$1" out="$2" passed="$3" total="$4"
  printf '\n== Lab %d: %s ==\n\n' "$k" "${LAB_SLUGS[$k]#??-}"
  lab_goal "$k" | sed 's/^/  /'
  printf '\n  Files to edit: %s\n' "$(lab_files "$k" | sed 's|^|labs/server/|' | paste -sd' ')"
  printf '  Progress:      %s\n\n' "$(progress_bar "$passed" "$total")"
  first_failure "$out"
  printf '\n  Read: %s/README.md   Grade it all: tools/course grade %d\n' "$(lab_dir "$k")" "$k"
}

# The first stage whose suite does not pass; LAST_STAGE+1 when all do.
# Sets STAGE, and the suite's result in STAGE_OUT, PASSED, TOTAL.
find_stage() {
  local k from="${1:-0}" result
  for ((k = from; k <= LAST_STAGE; k++)); do
    result="$(run_suite "$k" "$STAGE_OUT")"
    read -r PASSED TOTAL _ _ <<<"$result"
    if [ "$PASSED" -lt "$TOTAL" ] || [ "$TOTAL" -eq 0 ]; then
      STAGE="$k"
      return
    fi
  done
  STAGE=$((LAST_STAGE + 1))
}

# A fingerprint of labs/server/: changes whenever a file is saved.
sources_stamp() { find "$ROOT/labs/server" -type f -printf '%p %T@ %s\n' 2>/dev/null | sort | cksum; }

cmd_start() {
  [ $# -eq 0 ] || die "start: takes no options (try: tools/course help)"
  install_packages
  cd "$ROOT"
  STAGE_OUT="$(mktemp)"
  trap 'rm -f "$STAGE_OUT"' EXIT
  local interactive=0
  [ -t 0 ] && [ -t 1 ] && interactive=1
  local stage=0 stamp=""
  while :; do
    stamp="$(sources_stamp)"
    if build_student_and_grader; then
      say "grading your server (labs/server/) ..."
      find_stage "$stage"
      stage="$STAGE"
      if [ "$stage" -gt "$LAST_STAGE" ]; then
        say "every lab passes: your server is complete. Run tools/course status for the table, and"
        say "tools/course grade 6 for the full regression."
        return 0
      fi
      [ "$interactive" -eq 1 ] && clear
      show_stage "$stage" "$STAGE_OUT" "$PASSED" "$TOTAL"
    fi
    if [ "$interactive" -eq 0 ]; then
      return 1
    fi
    printf '\n  Watching labs/server/: save a file to re-grade. q quits.\n'
    local key=""
    while [ "$(sources_stamp)" = "$stamp" ]; do
      if read -r -s -n 1 -t 1 key && [ "$key" = q ]; then
        printf '\n'
        return 0
      fi
    done
  done
}

cmd_status() {
  [ $# -eq 0 ] || die "status: takes no options (try: tools/course help)"
  install_packages
  build_student_and_grader || exit 1
  local out k result passed total points max
  out="$(mktemp)"
  printf '%-5s %-24s %-9s %s\n' Lab Topic Points Tests
  for ((k = 0; k <= LAST_STAGE; k++)); do
    result="$(run_suite "$k" "$out")"
    read -r passed total points max <<<"$result"
    printf '%-5s %-24s %-9s %s\n' "$k" "${LAB_SLUGS[$k]#??-}" "$points/$max" "$(progress_bar "$passed" "$total")"
  done
  rm -f "$out"
  say "each lab's suite alone; tools/course grade N adds the regression of labs 0..N-1"
}

confirm() {  # confirm QUESTION: yes from a terminal, or --yes
  [ "${ASSUME_YES:-0}" -eq 1 ] && return 0
  [ -t 0 ] || die "not a terminal: pass --yes to confirm"
  local answer
  read -r -p "$1 [y/N] " answer
  [ "$answer" = y ] || [ "$answer" = Y ]
}

cmd_catch_up() {
  local n="" ASSUME_YES=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --yes) ASSUME_YES=1; shift ;;
      [0-9]*) n="$1"; shift ;;
      *) die "catch-up: unknown option $1 (try: tools/course help)" ;;
    esac
  done
  [[ "$n" =~ ^[0-6]$ ]] || die "catch-up: which lab? e.g. tools/course catch-up 2 (0..6)"
  local files=() k f
  for ((k = 0; k <= n; k++)); do
    while read -r f; do files+=("$f"); done < <(lab_files "$k")
  done
  printf 'These files of labs/server/ will be replaced by the solution of labs 0..%d:\n' "$n"
  printf '  %s\n' "${files[@]}"
  local backup
  backup="$STATE/catch-up-$(date +%Y%m%d-%H%M%S)"
  printf 'Your versions are kept in %s/\n' "${backup#"$ROOT"/}"
  confirm "Replace them?" || die "nothing changed"
  mkdir -p "$backup"
  for f in "${files[@]}"; do
    cp -p "$ROOT/labs/server/$f" "$backup/$f"
    cp "$ROOT/solutions/server/$f" "$ROOT/labs/server/$f"
  done
  say "done: labs 0..$n are the solution's; go on with lab $((n + 1)) (tools/course start)"
}

cmd_make_starter() {
  local ASSUME_YES=0
  [ "${1:-}" = --yes ] && ASSUME_YES=1
  say "course staff: regenerates labs/server/ from solutions/server/ (a student's work there is overwritten)"
  confirm "Regenerate labs/server/?" || die "nothing changed"
  quiet_build default papaya-make-starter
  local f
  for f in "$ROOT"/solutions/server/*.cpp; do
    "$ROOT/build/default/tools/make-starter/papaya-make-starter" "$f" "$ROOT/labs/server/$(basename "$f")"
  done
  say "labs/server/ regenerated; commit it with the solution change"
}
