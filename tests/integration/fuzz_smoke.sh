#!/usr/bin/env bash
# The fuzz engines run: ci/fuzz-smoke (libFuzzer targets, the AFL++
# persistent target with its custom mutator, the escape inputs on the
# raw-source targets) builds the presets 'fuzz' and 'afl' when ci/test has
# not already, runs each engine for a few seconds and fails when one does
# not run. Once per ci/test: in the sanitizer pass (an lvtest built with
# ASan) it is skipped, the engines' builds being the same.
. "$(dirname "$0")/lib.sh"
if ldd "$LVTEST" 2>/dev/null | grep -q libasan; then
  echo "1..0 # SKIP the fuzz smoke runs once, in the non-sanitizer pass (its engines are their own builds)"
  exit 0
fi
if [ "${LVT_NO_FUZZ:-0}" = 1 ]; then
  echo "1..0 # SKIP LVT_NO_FUZZ=1: the fuzz engines are not built"
  exit 0
fi
work="$T_TMP/smoke"
LVT_SMOKE_DIR=$work "$LVT_SOURCE_DIR/ci/fuzz-smoke" >"$T_TMP/log" 2>&1
rc=$?
sed 's/^/# /' "$T_TMP/log"
ok "$rc" "ci/fuzz-smoke: every engine ran (exit status $rc)"
grep -q '^fuzz-smoke: libFuzzer fuzz_lua_ref: [1-9][0-9]* runs' "$T_TMP/log"
ok $? "libFuzzer fuzz_lua_ref executed inputs"
grep -q '^fuzz-smoke: afl-fuzz afl_ref (custom mutator, dictionary): [1-9][0-9]* execs' "$T_TMP/log"
ok $? "afl-fuzz executed inputs on afl_ref with the custom mutator"
grep -q '^fuzz-smoke: lvtest fuzz --time [0-9]*s: exit status [01]; [1-9][0-9]* programs' "$T_TMP/log"
ok $? "lvtest fuzz ran programs"
grep -q '^fuzz-smoke: escape inputs on fuzz_lua_ref: ' "$T_TMP/log" \
  && grep -q '^fuzz-smoke: escape inputs on afl_ref: ' "$T_TMP/log"
ok $? "both raw-source targets survived the escape inputs"
done_testing
