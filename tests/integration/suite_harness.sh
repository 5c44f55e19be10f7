#!/usr/bin/env bash
# lvtest --suite harness and --suite luajit-tests, on fixtures written for
# these tests (tests/fixtures/lua-harness: .t files in lua-Harness' layout
# that pass, fail a subtest and exit 0, stop short of their plan, raise, skip
# themselves, use directives, hang, and check their environment;
# tests/fixtures/luajit-tests: a runner printing what LuaJIT-tests' runner
# prints), on real VMs including the reference run as 'lua'.
. "$(dirname "$0")/lib.sh"
set -e
cd "$LVT_SOURCE_DIR"
H=$LVT_SOURCE_DIR/tests/fixtures/lua-harness
J=$LVT_SOURCE_DIR/tests/fixtures/luajit-tests
VMS="--vm ref --vm lua5.1 --vm lua5.4 --vm luajit"

run_lvtest --suite harness --suite-dir "$H" $VMS --timeout 3s -v --json "$T_TMP/h.json"
is_rc 1 "harness: the fixture's failures fail the run"
has "harness              16/4/2 x1  16/4/2 x1  16/4/2 x1  16/4/2 x1" out "harness: the same counts on every VM"
has "002-subfail.t: one plus one" out "a failing subtest fails even though the file exits 0"
has "003-shortplan.t: (file): planned 5 tests but ran 3" out "a short plan fails the file"
has "004-error.t: (file): Lua error (exit 1)" out "a Lua error fails the file, with the interpreter's message"
has "attempt to index a nil value (local 't')" out "the 5.4 message is the reason on lua5.4 and ref"
has "007-hang.t: (file): timeout" out "a hanging file is killed at the wall clock"
has "  008-environment.t  5/0/0      5/0/0      5/0/0      5/0/0" out "scratch cwd, HOME, absolute interpreter, profile and empty stdin on every VM"
has "  005-skipall.t      0/0/1" out "1..0 # SKIP is a skipped file"
has "unexpectedly fine" out "an 'ok # TODO' is reported"
python3 - "$T_TMP/h.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d["suites"] if s["name"] == "harness"][0]
for f in s["files"]:
    if f["name"] != "001-pass.t": continue
    for r in f["results"]:
        names = [t["name"] for t in r["tests"]]
        assert names == ["profile " + {"ref": "lua54", "lua5.1": "lua51", "lua5.4": "lua54",
                                        "luajit": "luajit21"}[r["vm"]],
                         "tab after ok", "a name with # inside"], (r["vm"], names)
PY
ok $? "each VM ran with the profile of its dialect; tab separators and '\\#' read right"

run_lvtest --suite harness --suite-dir "$H/test_lua" $VMS --timeout 3s --expect "$H/expected.txt" -j 3
is_rc 0 "harness: with the fixture's list, the run passes (test_lua/ given directly, 3 jobs)"
run_lvtest --suite harness --suite-dir "$H" --vm lua5.4 --timeout 3s --expect "$H/expected.txt" --profile profile_lua51 --json "$T_TMP/p.json"
is_rc 0 "--profile: the run passes with the list"
python3 - "$T_TMP/p.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d["suites"] if s["name"] == "harness"][0]
f = [f for f in s["files"] if f["name"] == "001-pass.t"][0]
assert f["results"][0]["tests"][0]["name"] == "profile lua51", f["results"][0]["tests"][0]
PY
ok $? "--profile: lua5.4 ran with the profile given"
run_lvtest --suite harness --suite-dir "$H" --vm lua5.4 --profile profile_nope
is_rc 1 "a profile the suite does not have: the VM is skipped, and a run of zero tests fails"
has "lua5.4 skipped: this lua-Harness has no profile_nope.lua" out "the skip names the missing profile"
has "no test ran on any VM" out "and the zero-test run says why it failed"

# --- LuaJIT-tests ----------------------------------------------------------
run_lvtest --suite luajit-tests --suite-dir "$J" --vm luajit --vm lua5.1 --vm lua5.4 --vm ref
is_rc 1 "luajit-tests: the fixture's failing test fails the run"
has "luajit-tests  2/1/0   2/1/0   0/0/1   0/0/1" out "luajit-tests: runs on luajit and 5.1, skipped on 5.4 and ref"
has "basic.lua --- string length: basic.lua:1: the length of 'abc'" out "the failing test, by name, with its error"
has "lua5.4 skipped: LuaJIT-tests run on LuaJIT and on Lua 5.1/5.2" out "the skip says why"
printf 'basic.lua --- string length\tthe fixture fails it on purpose\n' >"$T_TMP/ljt.txt"
run_lvtest --suite luajit-tests --suite-dir "$J" --vm luajit --expect "$T_TMP/ljt.txt"
is_rc 0 "luajit-tests: listed, the failure is expected"

# --- bad input -----------------------------------------------------------------
run_lvtest --suite harness --suite-dir "$J" --vm lua5.4
is_rc 2 "LuaJIT-tests given as lua-Harness: refused"
run_lvtest --suite luajit-tests --suite-dir "$H" --vm lua5.4
is_rc 2 "lua-Harness given as LuaJIT-tests: refused"
has "not LuaJIT-tests" err "the message says so"
mkdir -p "$T_TMP/empty/test_lua" && echo 'x=1' >"$T_TMP/empty/test_lua/profile_lua54.lua"
run_lvtest --suite harness --suite-dir "$T_TMP/empty" --vm lua5.4
is_rc 2 "a lua-Harness without any .t file: refused (a run of zero tests is no pass)"
done_testing
