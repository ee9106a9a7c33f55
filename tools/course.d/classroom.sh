# Grading a whole class (sourced by tools/course; docs/instructors.md):
# gradescope, export-student, export-solutions. The work is done by
# tools/classroom/; these parse the options. Uses ROOT, PACKAGES, say, die,
# install_packages from tools/course.

CLASSROOM="$ROOT/tools/classroom"

classroom_last_stage() { jq '.stages | length - 1' "$ROOT/labs/stages.json"; }

# classroom_stage_arg VALUE: VALUE when it is a stage of the table, else dies.
classroom_stage_arg() {
  local last
  last="$(classroom_last_stage)"
  if ! [[ "$1" =~ ^[0-9]+$ ]] || [ "$1" -gt "$last" ]; then die "no stage $1: the stages are 0..$last (labs/stages.json)"; fi
  printf '%s' "$1"
}

cmd_gradescope() {
  local dir="" stage="" timeout=120 budget=540
  while [ $# -gt 0 ]; do
    case "$1" in
      --stage) stage="$(classroom_stage_arg "${2:?--stage needs a stage}")"; shift 2 ;;
      --timeout) timeout="${2:?--timeout needs seconds}"; shift 2 ;;
      --budget) budget="${2:?--budget needs seconds}"; shift 2 ;;
      -*) die "gradescope: unknown option $1 (try: tools/course help)" ;;
      *) [ -z "$dir" ] || die "gradescope: one folder only"; dir="$1"; shift ;;
    esac
  done
  [ -n "$dir" ] || die "gradescope: where to write autograder.zip? e.g. tools/course gradescope out/lab3 --stage 3"
  [[ "$timeout$budget" =~ ^[1-9][0-9]*$ ]] || die "gradescope: --timeout and --budget take seconds"
  install_packages
  [ -n "$stage" ] || stage="$(classroom_last_stage)"
  "$CLASSROOM/gradescope-zip" "$ROOT" "$dir" "$stage" "$timeout" "$budget" "${PACKAGES[*]}"
}

cmd_export_solutions() {
  [ $# -eq 2 ] || die "export-solutions: usage: tools/course export-solutions N DIR"
  local n
  n="$(classroom_stage_arg "$1")"
  install_packages
  "$CLASSROOM/export-solutions" "$ROOT" "$n" "$2"
}

cmd_export_student() {
  [ $# -eq 1 ] || die "export-student: usage: tools/course export-student DIR"
  install_packages
  "$CLASSROOM/export-student" "$ROOT" "$1"
}
