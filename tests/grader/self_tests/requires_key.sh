#!/bin/sh
# requires_key.sh SERVER stage4|any [ARGS...]: runs SERVER with ARGS, but only
# when ARGS hold --key-file (and, with "stage4", --stage 4); else it exits 1
# before READY. Grading a regression run through it proves that the grader
# configured the server with a key; the server then closes every connection
# that does not authenticate, which proves that every client sent the key.
server=$1
want=$2
shift 2
case " $* " in
  *" --key-file "*) ;;
  *) echo "requires_key.sh: started without --key-file: $*" >&2; exit 1 ;;
esac
if [ "$want" = stage4 ]; then
  case " $* " in
    *" --stage 4 "*) ;;
    *) echo "requires_key.sh: started without --stage 4: $*" >&2; exit 1 ;;
  esac
fi
exec "$server" "$@"
