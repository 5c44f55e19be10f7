#!/usr/bin/env bash
# lvtest --suite official: the official Lua 5.1 test suite as Debian ships it
# (golang-github-yuin-gopher-lua-dev), in both modes and with soft asserts,
# on the real lua5.1 and luajit; every failure is on a list in
# tests/fixtures/official51/ that says why, and the lists hold exactly.
# Also: bad suite directories, and what the runner gives each run.
. "$(dirname "$0")/lib.sh"
set -e
cd "$LVT_SOURCE_DIR"
S51=/usr/share/gocode/src/github.com/yuin/gopher-lua/_lua5.1-tests
F=$LVT_SOURCE_DIR/tests/fixtures/official51
if [ ! -f "$S51/all.lua" ]; then
  ok 1 "the Debian copy of the Lua 5.1 suite is installed (ci/bootstrap installs golang-github-yuin-gopher-lua-dev)"
  done_testing
fi

# --- all mode: all.lua as upstream runs it --------------------------------
run_lvtest --suite official --suite-dir "$S51" --vm lua5.1 --vm luajit --vm ref \
  --expect lua5.1="$F/all-lua5.1.txt" --expect luajit="$F/all-luajit.txt" --json "$T_TMP/all.json"
is_rc 0 "all mode: lua5.1 and luajit fail where the lists say, nothing else"
has "official  0/0/0 x1  0/0/0 x1  0/0/1" out "all mode: one expected failure each; ref (Lua 5.4) skipped"
python3 - "$T_TMP/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d["suites"] if s["name"] == "official"][0]
vms = {v["name"]: v for v in s["vms"]}
assert vms["lua5.1"]["totals"]["xfail"] == 1, vms["lua5.1"]["totals"]
assert vms["ref"]["totals"]["skip"] == 1, vms["ref"]["totals"]
PY
ok $? "all mode: the JSON report has the expected failure and the skip"
run_lvtest --suite official --suite-dir "$S51" --vm lua5.1
is_rc 1 "all mode without the list: the failure fails the run"
has "main.lua:31: assertion failed!" out "the failure names the file and line where all.lua stopped"

# --- per-file mode ---------------------------------------------------------
run_lvtest --suite official --suite-dir "$S51" --vm lua5.1 --vm luajit --official-mode per-file \
  --expect lua5.1="$F/per-file-lua5.1.txt" --expect luajit="$F/per-file-luajit.txt" -j 2
is_rc 0 "per-file mode: every failure is listed"
has "official  18/0/4 x4" out "per-file on lua5.1: 18 files pass, 4 listed failures, 4 testC skips"
run_lvtest --suite official --suite-dir "$S51" --vm lua5.1 --official-mode per-file -v --json "$T_TMP/pf.json"
python3 - "$T_TMP/pf.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d["suites"] if s["name"] == "official"][0]
skips = [(f["name"], t["name"], t["reason"]) for f in s["files"] for r in f["results"]
         for t in r["tests"] if t["status"] == "skip"]
assert ("api.lua", "testC not active: skipping API tests", "needs the internal T library (Lua built with ltests.h)") in skips, skips
assert len(skips) == 4, skips
print("# testC skips: " + ", ".join(f for f, _, _ in skips))
PY
ok $? "per-file: each '>>> testC not active' notice is a named skip with its reason"
has "pm.lua: pm.lua: " out "per-file: pm.lua fails on its own, the other files still run"
has "unexpected symbol near ';'" out "per-file: the compile error is the reason"

# --- soft asserts: one result per assertion site ---------------------------
run_lvtest --suite official --suite-dir "$S51" --vm lua5.1 --vm luajit --soft-assert \
  --expect lua5.1="$F/soft-lua5.1.txt" --expect luajit="$F/soft-luajit.txt" --json "$T_TMP/soft.json"
is_rc 0 "soft asserts: every failing site is listed"
python3 - "$T_TMP/soft.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = [s for s in d["suites"] if s["name"] == "official"][0]
t = {v["name"]: v["totals"] for v in s["vms"]}
assert t["lua5.1"]["pass"] >= 900, t
assert t["lua5.1"]["xfail"] == 6 and t["lua5.1"]["fail"] == 0, t
assert t["luajit"]["pass"] >= 700, t
print("# soft asserts: lua5.1 %d sites pass; luajit %d" % (t["lua5.1"]["pass"], t["luajit"]["pass"]))
PY
ok $? "soft asserts: hundreds of assertion sites on each VM"

# --- bad input ---------------------------------------------------------------
run_lvtest --suite official --vm lua5.1
is_rc 2 "--suite official without a directory is a usage error"
has "--suite-dir" err "the message says how to give one"
run_lvtest --suite official --suite-dir "$T_TMP/nowhere" --vm lua5.1
is_rc 2 "a missing suite directory is a usage error"
has "no such directory" err "the message says so"
mkdir -p "$T_TMP/notasuite" && echo 'print(1)' >"$T_TMP/notasuite/all.lua"
run_lvtest --suite official --suite-dir "$T_TMP/notasuite" --vm lua5.1
is_rc 2 "a directory that is not the suite is a usage error"
has "not the official Lua test suite" err "the message names what is wrong"
run_lvtest --suite official --suite-dir "$LVT_SOURCE_DIR/corpus" --vm lua5.1
is_rc 2 "a directory without all.lua is refused"
run_lvtest --suite harness --suite-dir "$S51" --vm lua5.1
is_rc 2 "the official suite given as lua-Harness is refused"
has "not lua-Harness" err "and the message says so"
run_lvtest --suite-dir "$S51" --suite official --vm lua5.1
is_rc 2 "--suite-dir before any upstream --suite is a usage error"

# --- --suite all names the upstream suites it did not get -------------------
run_lvtest --suite all --vm lua5.4 -q
has "luajit-tests" out "--suite all names luajit-tests"
LVT_SUITES_DIR=$T_TMP/suites
mkdir -p "$LVT_SUITES_DIR" && ln -s "$S51" "$LVT_SUITES_DIR/official"
export LVT_SUITES_DIR
run_lvtest --suite official --vm lua5.1 --expect lua5.1="$F/all-lua5.1.txt"
is_rc 0 "LVT_SUITES_DIR/official is found without --suite-dir"
unset LVT_SUITES_DIR
done_testing
