# lib.sh -- TAP helpers for the integration tests (sourced, not a test).
# Each test runs the real lvtest binary ($LVTEST) and checks exit codes and
# output. 'done_testing' fails a script that asserted nothing.
set -u
: "${LVTEST:?LVTEST must name the lvtest binary}"
: "${LVT_SOURCE_DIR:?LVT_SOURCE_DIR must name the source tree}"
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lvt-it.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
export NO_COLOR=1

ok() {   # ok COND-EXIT-STATUS NAME
  T_N=$((T_N + 1))
  if [ "$1" = 0 ]; then echo "ok $T_N - $2"
  else echo "not ok $T_N - $2"; T_FAILED=$((T_FAILED + 1)); fi
}

# run_lvtest ARGS...: runs lvtest, keeps stdout in $OUT, stderr in $ERR and
# the exit status in $RC.
run_lvtest() {
  set +e
  "$LVTEST" "$@" >"$T_TMP/out" 2>"$T_TMP/err"
  RC=$?
  set -e
  OUT=$(cat "$T_TMP/out")
  ERR=$(cat "$T_TMP/err")
}

is_rc() {   # is_rc WANT NAME
  if [ "$RC" = "$1" ]; then ok 0 "$2"; else
    ok 1 "$2"; echo "#   exit status $RC, expected $1"
    echo "$OUT" | head -40 | sed 's/^/#   out: /'
    echo "$ERR" | head -20 | sed 's/^/#   err: /'
  fi
}

has() {   # has TEXT WHERE(out|err) NAME
  local hay
  if [ "$2" = err ]; then hay=$ERR; else hay=$OUT; fi
  if printf '%s' "$hay" | grep -qF -- "$1"; then ok 0 "$3"; else
    ok 1 "$3"; echo "#   '$1' not found in $2:"
    printf '%s\n' "$hay" | head -40 | sed 's/^/#   /'
  fi
}

hasnt() {   # hasnt TEXT WHERE NAME
  local hay
  if [ "$2" = err ]; then hay=$ERR; else hay=$OUT; fi
  if printf '%s' "$hay" | grep -qF -- "$1"; then
    ok 1 "$3"; echo "#   '$1' unexpectedly found in $2"
  else ok 0 "$3"; fi
}

prog() {   # prog NAME <<'LUA' ... : writes a program into the temp dir
  cat >"$T_TMP/$1"
  echo "$T_TMP/$1"
}

# old_driver: prints the path of a copy of vm/driver/lvx.lua (with
# sandbox.lua beside it) that does not pass the run frame's 'prelude' field
# on, as a driver written before the field would (it skips keys it does
# not know): 'lua5.4 <path>' with lvx=1 is a real VM without preludes.
old_driver() {
  mkdir -p "$T_TMP/old-driver"
  cp "$LVT_SOURCE_DIR/vm/driver/lvx.lua" "$LVT_SOURCE_DIR/vm/driver/sandbox.lua" "$T_TMP/old-driver/"
  sed -i '/^ *prelude = prelude,$/d' "$T_TMP/old-driver/lvx.lua"
  echo "$T_TMP/old-driver/lvx.lua"
}

done_testing() {
  echo "1..$T_N"
  if [ "$T_N" = 0 ]; then echo "# no assertions ran"; exit 1; fi
  [ "$T_FAILED" = 0 ] || { echo "# $T_FAILED of $T_N failed"; exit 1; }
  exit 0
}
