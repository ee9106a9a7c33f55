#!/bin/sh
# bench_floor_catches_a_wrong_line: the real floor writer ($PAPAYA_FLOOR), with
# lines one byte shorter than papaya-bench floor asks for.
after_size=0
for arg; do
  shift
  if [ "$after_size" = 1 ]; then arg=$((arg - 1)); fi
  after_size=0
  [ "$arg" = --size ] && after_size=1
  set -- "$@" "$arg"
done
exec "$PAPAYA_FLOOR" "$@"
